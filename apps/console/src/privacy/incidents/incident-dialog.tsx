import type { Incident, IncidentChanges, IncidentStatus } from '@confidant/contract';
import { useId, useState } from 'react';
import { describeError } from '../../api/api-error';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { TextareaField } from '../../ui/textarea-field';
import { fromLocalInput, personalCategories, statusLabels, toLocalInput } from './describe-incident';
import { createIncident, updateIncident } from './incidents-api';

type Form = {
  title: string;
  description: string;
  awareAt: string;
  occurredAt: string;
  dataCategories: string[];
  subjectsAffected: string;
  recordsAffected: string;
  consequences: string;
  measures: string;
  status: IncidentStatus;
  notNotifiableReason: string;
  authorityNotifiedAt: string;
  subjectsNotifiedAt: string;
  delayReason: string;
  contactPoint: string;
};

const formOf = (i: Incident | null): Form => ({
  title: i?.title ?? '',
  description: i?.description ?? '',
  awareAt: toLocalInput(i?.awareAt ?? new Date().toISOString()),
  occurredAt: toLocalInput(i?.occurredAt ?? null),
  dataCategories: i?.dataCategories ?? [],
  subjectsAffected: i?.subjectsAffected?.toString() ?? '',
  recordsAffected: i?.recordsAffected?.toString() ?? '',
  consequences: i?.consequences ?? '',
  measures: i?.measures ?? '',
  status: i?.status ?? 'open',
  notNotifiableReason: i?.notNotifiableReason ?? '',
  authorityNotifiedAt: toLocalInput(i?.authorityNotifiedAt ?? null),
  subjectsNotifiedAt: toLocalInput(i?.subjectsNotifiedAt ?? null),
  delayReason: i?.delayReason ?? '',
  contactPoint: i?.contactPoint ?? '',
});

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const countOrNull = (s: string) => (s.trim() ? Number(s) : null);

/** The request body a form stands for; the server checks it (a 400 shows its words here). */
function bodyOf(f: Form): Required<IncidentChanges> {
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    awareAt: fromLocalInput(f.awareAt) ?? '',
    occurredAt: fromLocalInput(f.occurredAt),
    dataCategories: f.dataCategories,
    subjectsAffected: countOrNull(f.subjectsAffected),
    recordsAffected: countOrNull(f.recordsAffected),
    consequences: f.consequences.trim(),
    measures: f.measures.trim(),
    status: f.status,
    notNotifiableReason: f.status === 'not_notifiable' ? orNull(f.notNotifiableReason) : null,
    authorityNotifiedAt: fromLocalInput(f.authorityNotifiedAt),
    subjectsNotifiedAt: fromLocalInput(f.subjectsNotifiedAt),
    delayReason: orNull(f.delayReason),
    contactPoint: orNull(f.contactPoint),
  };
}

/**
 * Registers an incident, or edits one (only the fields that changed are sent, so the audit entry
 * names exactly those). Times are entered in the browser's time zone and sent as UTC instants.
 */
export function IncidentDialog({
  orgId,
  incident,
  open,
  onOpenChange,
  onSaved,
}: {
  orgId: string;
  /** null: a new incident. */
  incident: Incident | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: (incident: Incident, created: boolean) => void;
}) {
  const statusId = useId();
  const [form, setForm] = useState<Form>(() => formOf(incident));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = bodyOf(form);
      if (incident) {
        const before = bodyOf(formOf(incident));
        const changes = Object.fromEntries(
          Object.entries(body).filter(
            ([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof IncidentChanges]),
          ),
        ) as IncidentChanges;
        const saved =
          Object.keys(changes).length > 0 ? await updateIncident(orgId, incident.id, changes) : incident;
        onSaved(saved, false);
      } else {
        const {
          notNotifiableReason,
          authorityNotifiedAt,
          subjectsNotifiedAt,
          delayReason,
          contactPoint,
          occurredAt,
          subjectsAffected,
          recordsAffected,
          ...rest
        } = body;
        // A new incident omits what is empty rather than sending nulls.
        const optional = {
          notNotifiableReason,
          authorityNotifiedAt,
          subjectsNotifiedAt,
          delayReason,
          contactPoint,
          occurredAt,
          subjectsAffected,
          recordsAffected,
        };
        onSaved(
          await createIncident(orgId, {
            ...rest,
            ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
          }),
          true,
        );
      }
      onOpenChange(false);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      wide
      title={incident ? 'Edit incident' : 'Register an incident'}
      description="A personal-data breach must be notified to the supervisory authority within 72 hours of becoming aware of it, unless it is unlikely to result in a risk to people."
    >
      <form
        className="form-stack incident-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <TextField
          label="Title"
          required
          maxLength={200}
          value={form.title}
          onChange={(e) => set('title', e.target.value)}
        />
        <TextareaField
          label="What happened"
          rows={3}
          maxLength={10000}
          required
          value={form.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <div className="incident-form-row">
          <TextField
            label="Became aware"
            type="datetime-local"
            required
            value={form.awareAt}
            onChange={(e) => set('awareAt', e.target.value)}
            hint="The 72 hours run from here"
          />
          <TextField
            label="Occurred (if known)"
            type="datetime-local"
            value={form.occurredAt}
            onChange={(e) => set('occurredAt', e.target.value)}
          />
        </div>
        <fieldset className="incident-categories">
          <legend className="field-label">Data affected</legend>
          {personalCategories.map((c) => (
            <label key={c.value} className="incident-category">
              <input
                type="checkbox"
                checked={form.dataCategories.includes(c.value)}
                onChange={(e) =>
                  set(
                    'dataCategories',
                    e.target.checked
                      ? [...form.dataCategories, c.value]
                      : form.dataCategories.filter((v) => v !== c.value),
                  )
                }
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <div className="incident-form-row">
          <TextField
            label="People affected (approx.)"
            type="number"
            min={0}
            inputMode="numeric"
            value={form.subjectsAffected}
            onChange={(e) => set('subjectsAffected', e.target.value)}
          />
          <TextField
            label="Records affected (approx.)"
            type="number"
            min={0}
            inputMode="numeric"
            value={form.recordsAffected}
            onChange={(e) => set('recordsAffected', e.target.value)}
          />
        </div>
        <TextareaField
          label="Likely consequences"
          rows={2}
          maxLength={10000}
          value={form.consequences}
          onChange={(e) => set('consequences', e.target.value)}
        />
        <TextareaField
          label="Measures taken or proposed"
          rows={2}
          maxLength={10000}
          value={form.measures}
          onChange={(e) => set('measures', e.target.value)}
        />
        <div className="field">
          <label className="field-label" htmlFor={statusId}>
            Status
          </label>
          <select
            id={statusId}
            className="select"
            value={form.status}
            onChange={(e) => set('status', e.target.value as IncidentStatus)}
          >
            {(Object.keys(statusLabels) as IncidentStatus[]).map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        {form.status === 'not_notifiable' && (
          <TextareaField
            label="Why it is not notifiable"
            rows={2}
            maxLength={5000}
            required
            value={form.notNotifiableReason}
            onChange={(e) => set('notNotifiableReason', e.target.value)}
          />
        )}
        <div className="incident-form-row">
          <TextField
            label="Authority notified"
            type="datetime-local"
            value={form.authorityNotifiedAt}
            onChange={(e) => set('authorityNotifiedAt', e.target.value)}
          />
          <TextField
            label="People notified"
            type="datetime-local"
            value={form.subjectsNotifiedAt}
            onChange={(e) => set('subjectsNotifiedAt', e.target.value)}
          />
        </div>
        <TextareaField
          label="Reasons for any delay past 72 hours"
          rows={2}
          maxLength={5000}
          value={form.delayReason}
          onChange={(e) => set('delayReason', e.target.value)}
        />
        <TextField
          label="Contact point (e.g. your DPO)"
          maxLength={500}
          value={form.contactPoint}
          onChange={(e) => set('contactPoint', e.target.value)}
          hint="Named in the report; when empty, the owners’ email addresses are"
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            disabled={busy || !form.title.trim() || !form.description.trim()}
          >
            {incident ? 'Save changes' : 'Register incident'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
