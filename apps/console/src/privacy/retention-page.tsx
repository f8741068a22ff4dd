import type {
  PurgePreview,
  PurgeRun,
  Retention,
  RetentionCategory,
  RetentionRule,
} from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useRouteContext } from '@tanstack/react-router';
import { Eraser, Timer } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, serverFieldErrors } from '../agents/agent-form-model';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { SettingsCard } from '../settings/settings-card';
import '../settings/settings.css';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { privacyKeys, retentionQuery } from './privacy-queries';

/**
 * Retention (admins and owners): the period per retention category (GET|PUT
 * /v1/privacy/retention), any limit the reseller or platform set, and the purge itself: a
 * preview (dry run, nothing changes) and a run now (the same job that runs every hour).
 */
export function RetentionPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const retention = useQuery(retentionQuery(orgId));
  return (
    <div className="form-stack">
      <SettingsCard
        icon={<Timer aria-hidden="true" />}
        title="Retention periods"
        lead="Each kind of data is deleted once it is older than its period. The widget tells visitors the transcript period you set here."
      >
        {retention.isPending ? (
          <div className="form-stack" aria-busy="true">
            <Skeleton height="4rem" />
            <Skeleton height="4rem" />
            <Skeleton height="4rem" />
          </div>
        ) : retention.isError ? (
          <p className="form-error" role="alert">
            Could not load retention: {describeError(retention.error)}
          </p>
        ) : (
          <RetentionForm
            key={retention.data.rules.map((r) => `${r.category}:${r.days}:${r.maxDays}`).join(',')}
            orgId={orgId}
            saved={retention.data.rules}
          />
        )}
      </SettingsCard>
      <PurgeCard orgId={orgId} />
    </div>
  );
}

type Draft = Record<RetentionCategory, { days: string; keep: boolean }>;

const draftOf = (rules: RetentionRule[]): Draft =>
  Object.fromEntries(
    rules.map((r) => [r.category, { days: r.days === null ? '' : String(r.days), keep: r.days === null }]),
  ) as Draft;

function RetentionForm({ orgId, saved }: { orgId: string; saved: RetentionRule[] }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const draftDays = (category: RetentionCategory): number | null | 'invalid' => {
    const d = draft[category];
    if (d.keep) return null;
    const n = Number(d.days);
    return d.days.trim() !== '' && Number.isInteger(n) ? n : 'invalid';
  };
  const changed = saved.filter((r) => draftDays(r.category) !== r.days);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const local: FieldErrors = {};
    for (const rule of changed) {
      const value = draftDays(rule.category);
      if (value === 'invalid' || (value !== null && (value < 1 || value > 3650)))
        local[rule.category] = 'Enter a whole number of days from 1 to 3650.';
      else if (rule.maxDays !== null && (value === null || value > rule.maxDays))
        local[rule.category] = `At most ${rule.maxDays} days (the limit set by your provider).`;
    }
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const rules = changed.map((r) => ({
      category: r.category,
      days: draftDays(r.category) as number | null,
    }));
    setBusy(true);
    try {
      const stored = await request<Retention>('/v1/privacy/retention', {
        method: 'PUT',
        orgId,
        body: { rules },
      });
      queryClient.setQueryData(privacyKeys.retention(orgId), stored);
      toasts.show({ tone: 'info', title: 'Retention saved' });
    } catch (failure) {
      const server = serverFieldErrors(failure);
      const fields: FieldErrors = {};
      for (const [path, message] of Object.entries(server.fields)) {
        const index = /^rules\.(\d+)/.exec(path)?.[1];
        const rule = index === undefined ? undefined : rules[Number(index)];
        if (rule) fields[rule.category] = message;
      }
      setErrors(fields);
      setGeneral(Object.keys(fields).length > 0 ? null : (server.general ?? describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="retention-form" onSubmit={save} noValidate aria-label="Retention periods">
      <ul className="retention-rows">
        {saved.map((rule) => (
          <RetentionRow
            key={rule.category}
            rule={rule}
            value={draft[rule.category]}
            error={errors[rule.category]}
            onChange={(value) => setDraft((d) => ({ ...d, [rule.category]: value }))}
          />
        ))}
      </ul>
      <p className="muted retention-footnote">
        Confidant writes no log files: its logs go to standard output, and how long they are kept is up to
        whoever runs the server.
      </p>
      {general && (
        <p className="form-error" role="alert">
          {general}
        </p>
      )}
      <div className="settings-actions">
        <Button type="submit" variant="primary" disabled={busy || changed.length === 0}>
          {busy ? 'Saving…' : 'Save retention'}
        </Button>
      </div>
    </form>
  );
}

function RetentionRow({
  rule,
  value,
  error,
  onChange,
}: {
  rule: RetentionRule;
  value: { days: string; keep: boolean };
  error: string | undefined;
  onChange: (value: { days: string; keep: boolean }) => void;
}) {
  const id = `retention-${rule.category}`;
  const capped = rule.maxDays !== null && rule.effectiveDays !== rule.days;
  return (
    <li className="retention-row">
      <div className="retention-text">
        <label className="check-label" htmlFor={id}>
          {rule.label}
        </label>
        <span id={`${id}-hint`} className="field-hint">
          {rule.description}
        </span>
        <span className="retention-badges">
          {rule.isDefault && <Badge>Default</Badge>}
          {rule.maxDays !== null && <Badge tone="info">Provider limit: {rule.maxDays} days</Badge>}
          {capped && rule.effectiveDays !== null && (
            <Badge tone="warning">Purged after {rule.effectiveDays} days</Badge>
          )}
        </span>
      </div>
      <div className="retention-control">
        <div className="retention-days">
          <input
            id={id}
            className="input"
            type="number"
            inputMode="numeric"
            min={1}
            max={rule.maxDays ?? 3650}
            step={1}
            value={value.keep ? '' : value.days}
            disabled={value.keep}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            onChange={(e) => onChange({ days: e.target.value, keep: false })}
          />
          <span className="retention-unit" aria-hidden="true">
            days
          </span>
        </div>
        {rule.keepAllowed && rule.maxDays === null && (
          <label className="retention-keep">
            <input
              type="checkbox"
              checked={value.keep}
              onChange={(e) =>
                onChange({ days: e.target.checked ? '' : String(rule.defaultDays), keep: e.target.checked })
              }
            />
            Keep
            <span className="visually-hidden"> {rule.label.toLowerCase()} without a period</span>
          </label>
        )}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    </li>
  );
}

const tableNames: Record<string, string> = {
  conversations: 'Conversations',
  messages: 'Messages and notes',
  events: 'Live events',
  conversation_reads: 'Read markers',
  visitor_contacts: 'Visitor contact details',
  notifications: 'Notifications',
  model_calls: 'Model-call records',
  'pgboss.job': 'Background jobs',
};

type RunState = { runId: string; state: string } | null;

function PurgeCard({ orgId }: { orgId: string }) {
  const toasts = useToasts();
  const [preview, setPreview] = useState<PurgePreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [run, setRun] = useState<RunState>(null);

  const loadPreview = async () => {
    setPreviewing(true);
    try {
      setPreview(
        await request<PurgePreview>('/v1/privacy/retention/run?dryRun=true', { method: 'POST', orgId }),
      );
    } catch (failure) {
      toasts.showError('Could not preview the purge', failure);
    } finally {
      setPreviewing(false);
    }
  };

  const runNow = async () => {
    try {
      const queued = await request<PurgeRun>('/v1/privacy/retention/run', { method: 'POST', orgId });
      setRun({ runId: queued.runId, state: 'created' });
      void follow(queued.runId);
    } catch (failure) {
      toasts.showError('Could not start the purge', failure);
    }
  };

  // Follows the queued run until it settles (the purge is a job; counts go to the audit log).
  const follow = async (runId: string) => {
    for (let i = 0; i < 120; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        const state = await request<{ runId: string; state: string }>(`/v1/privacy/retention/runs/${runId}`, {
          orgId,
        });
        setRun(state);
        if (state.state === 'completed') {
          toasts.show({ tone: 'info', title: 'Purge finished' });
          if (preview) void loadPreview();
          return;
        }
        if (state.state === 'failed' || state.state === 'cancelled') return;
      } catch {
        return;
      }
    }
  };

  const rows = preview ? Object.entries(preview.counts).filter(([, n]) => n > 0) : [];
  const running = run !== null && !['completed', 'failed', 'cancelled'].includes(run.state);
  return (
    <SettingsCard
      icon={<Eraser aria-hidden="true" />}
      title="Purge"
      lead="The purge runs every hour. Held conversations (legal hold, from the inbox) are never purged. Daily counts for the Usage page are kept without any visitor data."
    >
      <div className="settings-actions">
        <Button onClick={() => void loadPreview()} disabled={previewing}>
          {previewing ? 'Previewing…' : 'Preview purge'}
        </Button>
        <Button variant="danger" onClick={() => setConfirming(true)} disabled={running}>
          Run purge now
        </Button>
        <span className="muted" role="status" aria-live="polite">
          {run === null
            ? ''
            : running
              ? 'Purge running…'
              : run.state === 'completed'
                ? 'Purge finished. The audit log lists what it removed.'
                : 'The purge did not finish; it will be retried.'}
        </span>
      </div>
      {preview &&
        (rows.length === 0 ? (
          <p className="retention-empty">
            Nothing is past its period right now: a purge would delete nothing.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table retention-preview">
              <caption className="retention-caption">What a purge would delete now</caption>
              <thead>
                <tr>
                  <th scope="col">Data</th>
                  <th scope="col" className="numeric">
                    Rows
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([table, n]) => (
                  <tr key={table}>
                    <td>{tableNames[table] ?? table}</td>
                    <td className="numeric">{n.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <p className="muted">
        Each run is recorded, with counts per table, in the{' '}
        <Link to="/o/$orgId/audit" params={{ orgId }}>
          audit log
        </Link>
        .
      </p>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Run the purge now?"
        description="Everything past its retention period is deleted permanently, except held conversations. Daily counts are kept for the Usage page."
        confirmLabel="Purge now"
        onConfirm={runNow}
      />
    </SettingsCard>
  );
}
