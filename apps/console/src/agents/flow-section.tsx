import type { AgentFlow, FlowField, FlowFieldKind, FlowStep, FlowStepType } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { ApiError, describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';
import { TextareaField } from '../ui/textarea-field';
import { useToasts } from '../ui/toasts';
import { fieldKindLabels, move, newField, newStep, stepLabel, stepTypeLabels } from './flow-draft';
import { FlowPreview } from './flow-preview';
import './flow-editor.css';

export const flowKey = (orgId: string, agentId: string) => [orgId, 'agents', agentId, 'flow'] as const;

/**
 * The agent's flow editor (GET|PUT /v1/agents/{id}/flow): ordered steps the widget runs before
 * the chat — messages, quick replies with a next-step picker per button, consent-first forms
 * (each field states its purpose; the business writes the consent text), a handoff to a person
 * or to the AI — with a live preview of how the widget shows them. The server checks the whole
 * flow (unique ids, every next exists, no unreachable step) and its problems are listed here.
 */
export function FlowSection({
  orgId,
  agentId,
  canEdit,
}: {
  orgId: string;
  agentId: string;
  canEdit: boolean;
}) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const flow = useQuery({
    queryKey: flowKey(orgId, agentId),
    queryFn: ({ signal }) => request<AgentFlow>(`/v1/agents/${agentId}/flow`, { orgId, signal }),
  });
  const [steps, setSteps] = useState<FlowStep[] | null>(null);
  const [addType, setAddType] = useState<FlowStepType>('message');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (flow.data && steps === null) setSteps(flow.data.steps);
  }, [flow.data, steps]);

  if (flow.isPending || steps === null)
    return (
      <section className="card snippet-card" aria-labelledby={headingId} aria-busy="true">
        <h2 id={headingId} className="section-title">
          Conversation flow
        </h2>
      </section>
    );

  const update = (index: number, next: FlowStep) => setSteps(steps.map((s, i) => (i === index ? next : s)));
  const save = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const saved = await request<AgentFlow>(`/v1/agents/${agentId}/flow`, {
        method: 'PUT',
        orgId,
        body: { steps },
      });
      queryClient.setQueryData(flowKey(orgId, agentId), saved);
      setSteps(saved.steps);
      toasts.show({ tone: 'info', title: `Flow saved (version ${saved.version})` });
    } catch (failure) {
      const issues: { path: string; message: string }[] =
        failure instanceof ApiError && Array.isArray(failure.problem?.issues) ? failure.problem.issues : [];
      setProblems(issues.length ? issues.map((i) => `${i.path}: ${i.message}`) : [describeError(failure)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card snippet-card flow-section" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Conversation flow
        </h2>
        <span className="muted">Version {flow.data?.version ?? 0}</span>
      </div>
      <p className="muted">
        Steps the widget runs before the chat. The first step starts; a step goes on to the next one unless it
        says otherwise. Form answers are kept only when the visitor ticks consent for their purpose, and
        browsers with Global Privacy Control never see optional fields.
      </p>
      <div className="flow-layout">
        <fieldset className="flow-steps" disabled={!canEdit || busy}>
          <legend className="sr-only">Steps</legend>
          {steps.length === 0 && <p className="muted">No flow: the widget opens straight into the chat.</p>}
          <ol className="flow-step-list">
            {steps.map((step, index) => (
              <li key={step.id} className="flow-step" aria-label={stepLabel(step, index)}>
                <div className="flow-step-head">
                  <strong>
                    {index + 1}. {stepTypeLabels[step.type]}
                  </strong>
                  <code className="muted">{step.id}</code>
                  <span className="flow-step-tools">
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Move step ${index + 1} up`}
                      disabled={index === 0}
                      onClick={() => setSteps(move(steps, index, -1))}
                    >
                      <ArrowUp aria-hidden="true" />
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Move step ${index + 1} down`}
                      disabled={index === steps.length - 1}
                      onClick={() => setSteps(move(steps, index, 1))}
                    >
                      <ArrowDown aria-hidden="true" />
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Delete step ${index + 1}`}
                      onClick={() => setSteps(steps.filter((_, i) => i !== index))}
                    >
                      <Trash2 aria-hidden="true" />
                    </Button>
                  </span>
                </div>
                <StepEditor step={step} index={index} steps={steps} onChange={(s) => update(index, s)} />
              </li>
            ))}
          </ol>
          {canEdit && (
            <div className="flow-add">
              <label className="field-label" htmlFor={`${headingId}-type`}>
                New step
              </label>
              <select
                id={`${headingId}-type`}
                className="input"
                value={addType}
                onChange={(e) => setAddType(e.target.value as FlowStepType)}
              >
                {Object.entries(stepTypeLabels).map(([type, label]) => (
                  <option key={type} value={type}>
                    {label}
                  </option>
                ))}
              </select>
              <Button onClick={() => setSteps([...steps, newStep(addType, steps)])}>
                <Plus aria-hidden="true" />
                Add step
              </Button>
            </div>
          )}
          {problems.length > 0 && (
            <div className="form-error" role="alert">
              <p>The flow was not saved:</p>
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          {canEdit && (
            <div>
              <Button variant="primary" onClick={() => void save()} disabled={busy}>
                Save flow
              </Button>
            </div>
          )}
        </fieldset>
        <FlowPreview steps={steps} />
      </div>
    </section>
  );
}

function NextPicker({
  label,
  value,
  steps,
  optional,
  onChange,
}: {
  label: string;
  value: string | undefined;
  steps: FlowStep[];
  optional: boolean;
  onChange: (next: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="input"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        {optional && <option value="">The following step</option>}
        {steps.map((s, i) => (
          <option key={s.id} value={s.id}>
            {stepLabel(s, i)}
          </option>
        ))}
      </select>
    </div>
  );
}

function StepEditor({
  step,
  index,
  steps,
  onChange,
}: {
  step: FlowStep;
  index: number;
  steps: FlowStep[];
  onChange: (step: FlowStep) => void;
}) {
  const n = index + 1;
  switch (step.type) {
    case 'message':
      return (
        <>
          <TextareaField
            label={`Message text (step ${n})`}
            value={step.text}
            maxLength={1000}
            rows={2}
            onChange={(e) => onChange({ ...step, text: e.target.value })}
          />
          <NextPicker
            label={`After step ${n}`}
            value={step.next}
            steps={steps}
            optional
            onChange={(next) => onChange(withNext(step, next))}
          />
        </>
      );
    case 'handoff':
    case 'ai':
      return (
        <TextareaField
          label={`Message text (step ${n})`}
          value={step.text}
          maxLength={1000}
          rows={2}
          onChange={(e) => onChange({ ...step, text: e.target.value })}
        />
      );
    case 'buttons':
      return (
        <>
          <TextareaField
            label={`Question (step ${n})`}
            value={step.text}
            maxLength={1000}
            rows={2}
            onChange={(e) => onChange({ ...step, text: e.target.value })}
          />
          {step.buttons.map((b, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: buttons and fields have no identity but their place
            <div className="flow-row" key={`${step.id}-b${j}`}>
              <TextField
                label={`Button ${j + 1} label`}
                value={b.label}
                maxLength={80}
                onChange={(e) =>
                  onChange({
                    ...step,
                    buttons: step.buttons.map((x, k) => (k === j ? { ...x, label: e.target.value } : x)),
                  })
                }
              />
              <NextPicker
                label={`Button ${j + 1} leads to`}
                value={b.next}
                steps={steps}
                optional={false}
                onChange={(next) =>
                  onChange({
                    ...step,
                    buttons: step.buttons.map((x, k) => (k === j ? { ...x, next: next ?? x.next } : x)),
                  })
                }
              />
              <Button
                size="sm"
                variant="ghost"
                iconOnly
                aria-label={`Remove button ${j + 1}`}
                disabled={step.buttons.length === 1}
                onClick={() => onChange({ ...step, buttons: step.buttons.filter((_, k) => k !== j) })}
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </div>
          ))}
          <div>
            <Button
              size="sm"
              disabled={step.buttons.length >= 8}
              onClick={() =>
                onChange({
                  ...step,
                  buttons: [...step.buttons, { label: 'Another option', next: steps[0]!.id }],
                })
              }
            >
              <Plus aria-hidden="true" />
              Add button
            </Button>
          </div>
        </>
      );
    case 'form':
      return <FormEditor step={step} n={n} steps={steps} onChange={onChange} />;
  }
}

const withNext = <S extends { next?: string }>(step: S, next: string | undefined): S => {
  const { next: _old, ...rest } = step;
  return (next ? { ...rest, next } : rest) as S;
};

function FormEditor({
  step,
  n,
  steps,
  onChange,
}: {
  step: Extract<FlowStep, { type: 'form' }>;
  n: number;
  steps: FlowStep[];
  onChange: (step: FlowStep) => void;
}) {
  const [kind, setKind] = useState<FlowFieldKind>('name');
  const kindId = useId();
  const setField = (j: number, field: FlowField) =>
    onChange({ ...step, fields: step.fields.map((f, k) => (k === j ? field : f)) });
  return (
    <>
      <TextField
        label={`Form title (step ${n})`}
        value={step.title}
        maxLength={80}
        onChange={(e) => onChange({ ...step, title: e.target.value })}
      />
      {step.fields.map((f, j) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: buttons and fields have no identity but their place
        <fieldset className="flow-field-editor" key={`${step.id}-f${j}`}>
          <legend>
            Field {j + 1}: {fieldKindLabels[f.kind]}
          </legend>
          <div className="flow-row">
            <TextField
              label={`Field ${j + 1} label`}
              value={f.label}
              maxLength={80}
              onChange={(e) => setField(j, { ...f, label: e.target.value })}
            />
            <TextField
              label={`Field ${j + 1} key`}
              value={f.key}
              maxLength={40}
              onChange={(e) => setField(j, { ...f, key: e.target.value })}
            />
          </div>
          <TextField
            label={`Field ${j + 1} purpose`}
            hint="Why you ask, completing “so that you can …”; consent is asked per purpose."
            value={f.purpose}
            maxLength={200}
            onChange={(e) => setField(j, { ...f, purpose: e.target.value })}
          />
          {f.kind === 'select' && (
            <TextField
              label={`Field ${j + 1} choices`}
              hint="Separated by commas"
              value={(f.options ?? []).join(', ')}
              onChange={(e) =>
                setField(j, {
                  ...f,
                  options: e.target.value
                    .split(',')
                    .map((o) => o.trim())
                    .filter(Boolean),
                })
              }
            />
          )}
          <div className="flow-row">
            <label className="checkbox-label">
              <input
                type="checkbox"
                checked={f.required}
                onChange={(e) => setField(j, { ...f, required: e.target.checked })}
              />
              Field {j + 1} required
            </label>
            <Button
              size="sm"
              variant="ghost"
              disabled={step.fields.length === 1}
              onClick={() => onChange({ ...step, fields: step.fields.filter((_, k) => k !== j) })}
            >
              <Trash2 aria-hidden="true" />
              Remove field {j + 1}
            </Button>
          </div>
        </fieldset>
      ))}
      <div className="flow-add">
        <label className="field-label" htmlFor={kindId}>
          New field
        </label>
        <select
          id={kindId}
          className="input"
          value={kind}
          onChange={(e) => setKind(e.target.value as FlowFieldKind)}
        >
          {Object.entries(fieldKindLabels).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <Button
          size="sm"
          disabled={step.fields.length >= 10}
          onClick={() => onChange({ ...step, fields: [...step.fields, newField(kind, step.fields)] })}
        >
          <Plus aria-hidden="true" />
          Add field
        </Button>
      </div>
      <TextareaField
        label={`Consent text (step ${n})`}
        hint="Shown beside one unticked box per purpose; {purpose} is replaced by it. Its SHA-256 is recorded with each consent."
        value={step.consentText}
        maxLength={1000}
        rows={3}
        onChange={(e) => onChange({ ...step, consentText: e.target.value })}
      />
      <NextPicker
        label={`After step ${n}`}
        value={step.next}
        steps={steps}
        optional
        onChange={(next) => onChange(withNext(step, next))}
      />
    </>
  );
}
