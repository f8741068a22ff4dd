import type { Rubric, RubricInput } from '@confidant/contract';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { TextareaField } from '../ui/textarea-field';
import { createRubric, updateRubric } from './calls-api';

type CriterionDraft = { key: number; id?: string; name: string; description: string; weight: string };

/**
 * Creates or edits a rubric: its name, description, scale and criteria (each with a name, what
 * the scorer looks for, and a relative weight), added, removed and reordered with buttons (no
 * dragging, so the keyboard does it all). The server checks the whole rubric; a refusal shows its
 * words here.
 */
export function RubricDialog({
  orgId,
  rubric,
  onClose,
  onSaved,
}: {
  orgId: string;
  /** null: a new rubric. */
  rubric: Rubric | null;
  onClose: () => void;
  onSaved: (rubric: Rubric, created: boolean) => void;
}) {
  const nextKey = useRef(1);
  const draftOf = (c?: Rubric['criteria'][number]): CriterionDraft => ({
    key: nextKey.current++,
    ...(c ? { id: c.id } : {}),
    name: c?.name ?? '',
    description: c?.description ?? '',
    weight: String(c?.weight ?? 1),
  });
  const [name, setName] = useState(rubric?.name ?? '');
  const [description, setDescription] = useState(rubric?.description ?? '');
  const [min, setMin] = useState(String(rubric?.scale.min ?? 1));
  const [max, setMax] = useState(String(rubric?.scale.max ?? 5));
  const [criteria, setCriteria] = useState<CriterionDraft[]>(() =>
    rubric ? rubric.criteria.map(draftOf) : [draftOf()],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = (key: number, patch: Partial<CriterionDraft>) =>
    setCriteria((all) => all.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const move = (index: number, by: -1 | 1) =>
    setCriteria((all) => {
      const next = [...all];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });

  const save = async () => {
    setBusy(true);
    setError(null);
    const body: RubricInput = {
      name: name.trim(),
      description: description.trim(),
      scale: { min: Number(min), max: Number(max) },
      criteria: criteria.map((c) => ({
        ...(c.id ? { id: c.id } : {}),
        name: c.name.trim(),
        description: c.description.trim(),
        weight: Number(c.weight),
      })),
    };
    try {
      const saved = rubric ? await updateRubric(orgId, rubric.id, body) : await createRubric(orgId, body);
      onSaved(saved, rubric === null);
      onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={rubric ? `Edit ${rubric.name}` : 'New rubric'}
    >
      <form
        className="form-stack rubric-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <TextField
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextareaField
          label="Description"
          rows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset className="rubric-scale">
          <legend className="field-label">Scale</legend>
          <TextField
            label="Lowest score"
            type="number"
            required
            value={min}
            onChange={(e) => setMin(e.target.value)}
          />
          <TextField
            label="Highest score"
            type="number"
            required
            value={max}
            onChange={(e) => setMax(e.target.value)}
          />
        </fieldset>
        <fieldset className="rubric-criteria">
          <legend className="field-label">Criteria</legend>
          <ol className="criteria-editor">
            {criteria.map((c, i) => {
              const label = c.name.trim() || `criterion ${i + 1}`;
              return (
                <li key={c.key} className="criterion-editor">
                  <fieldset className="criterion-fields">
                    <legend className="visually-hidden">Criterion {i + 1}</legend>
                    <div className="criterion-row">
                      <TextField
                        label={`Criterion ${i + 1} name`}
                        required
                        maxLength={200}
                        value={c.name}
                        onChange={(e) => change(c.key, { name: e.target.value })}
                      />
                      <TextField
                        label={`Criterion ${i + 1} weight`}
                        type="number"
                        min={0.01}
                        step="any"
                        required
                        value={c.weight}
                        onChange={(e) => change(c.key, { weight: e.target.value })}
                      />
                    </div>
                    <TextareaField
                      label={`Criterion ${i + 1} description`}
                      hint="What the scorer looks for in the call."
                      rows={2}
                      required
                      maxLength={2000}
                      value={c.description}
                      onChange={(e) => change(c.key, { description: e.target.value })}
                    />
                  </fieldset>
                  <div className="criterion-tools">
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Move ${label} up`}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <ArrowUp />
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Move ${label} down`}
                      disabled={i === criteria.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <ArrowDown />
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Remove ${label}`}
                      disabled={criteria.length === 1}
                      onClick={() => setCriteria((all) => all.filter((x) => x.key !== c.key))}
                    >
                      <Trash2 />
                    </Button>
                  </div>
                </li>
              );
            })}
          </ol>
          <Button size="sm" onClick={() => setCriteria((all) => [...all, draftOf()])}>
            <Plus aria-hidden="true" />
            Add criterion
          </Button>
        </fieldset>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {rubric ? 'Save rubric' : 'Create rubric'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
