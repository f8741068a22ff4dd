import type { UsageLimits, UsageLimitsView } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { type FieldErrors, serverFieldErrors } from '../agents/agent-form-model';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { queryKeys, usageLimitsQuery } from '../api/queries';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import { formatCount, formatUsd } from './summarize';

type Measure = keyof UsageLimits;
const measures: {
  key: Measure;
  label: string;
  used: (u: UsageLimitsView['month']['used']) => number;
  show: (n: number) => string;
}[] = [
  { key: 'monthlyMessages', label: 'Messages', used: (u) => u.messages, show: formatCount },
  { key: 'monthlyTokens', label: 'Model tokens', used: (u) => u.tokens, show: formatCount },
  { key: 'monthlyCostUsd', label: 'Model cost', used: (u) => u.costUsd, show: formatUsd },
];

/**
 * This month's usage against the monthly limits (progress bars), and for admins the form that
 * sets them. Past 100% agents answer by quoting the knowledge instead of calling the model.
 */
export function LimitsCard({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const limits = useQuery(usageLimitsQuery(orgId));
  const titleId = useId();
  return (
    <section className="chart limits-card" aria-labelledby={titleId}>
      <div className="chart-caption">
        <h2 id={titleId} className="chart-title">
          This month{limits.data ? ` (${limits.data.month.month}, UTC)` : ''}
        </h2>
        {limits.data?.month.percent != null && (
          <span className="chart-total">{Math.round(limits.data.month.percent)}% of the closest limit</span>
        )}
      </div>
      {limits.isPending ? (
        <Skeleton height="6rem" />
      ) : limits.isError ? (
        <p className="field-error" role="alert">
          Could not load the limits: {describeError(limits.error)}
        </p>
      ) : (
        <>
          <ul className="limit-list">
            {measures.map((m) => {
              const limit = limits.data.effective[m.key];
              const used = m.used(limits.data.month.used);
              const percent = limit === null ? null : Math.min(100, (used / limit) * 100);
              return (
                <li key={m.key} className="limit-row">
                  <span className="limit-label">{m.label}</span>
                  <span className="limit-numbers">
                    {m.show(used)}
                    {limit === null ? ' · no limit' : ` of ${m.show(limit)}`}
                  </span>
                  {percent !== null && (
                    <progress
                      className={`limit-bar${percent >= 100 ? ' is-over' : percent >= 80 ? ' is-near' : ''}`}
                      max={100}
                      value={percent}
                      aria-label={`${m.label}: ${Math.round(percent)}% of the monthly limit`}
                    />
                  )}
                </li>
              );
            })}
          </ul>
          {limits.data.month.percent !== null && limits.data.month.percent >= 100 && (
            <p className="limit-warning" role="status">
              The monthly limit is reached: agents answer by quoting your knowledge, without the model, until
              the month ends or the limit is raised.
            </p>
          )}
          {canEdit && <LimitsForm key={JSON.stringify(limits.data.own)} orgId={orgId} view={limits.data} />}
        </>
      )}
    </section>
  );
}

function LimitsForm({ orgId, view }: { orgId: string; view: UsageLimitsView }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [values, setValues] = useState<Record<Measure, string>>({
    monthlyMessages: view.own.monthlyMessages?.toString() ?? '',
    monthlyTokens: view.own.monthlyTokens?.toString() ?? '',
    monthlyCostUsd: view.own.monthlyCostUsd?.toString() ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setGeneral(null);
    const body: Record<string, number | null> = {};
    const invalid: FieldErrors = {};
    for (const m of measures) {
      const raw = values[m.key].trim().replaceAll(',', '');
      const n = Number(raw);
      if (raw !== '' && !(Number.isFinite(n) && n > 0 && (m.key === 'monthlyCostUsd' || Number.isInteger(n))))
        invalid[m.key] =
          m.key === 'monthlyCostUsd'
            ? 'Enter an amount above 0, or leave empty for no limit.'
            : 'Enter a whole number above 0, or leave empty for no limit.';
      body[m.key] = raw === '' ? null : n;
    }
    if (Object.keys(invalid).length > 0) {
      setErrors(invalid);
      return;
    }
    setBusy(true);
    try {
      const stored = await request<UsageLimitsView>('/v1/usage/limits', { method: 'PUT', orgId, body });
      queryClient.setQueryData(queryKeys.usageLimits(orgId), stored);
      toasts.show({ tone: 'info', title: 'Usage limits saved' });
    } catch (failure) {
      const server = serverFieldErrors(failure);
      setErrors(server.fields);
      setGeneral(server.general ?? (Object.keys(server.fields).length ? null : describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  const capHint = (m: Measure, show: (n: number) => string) => {
    const cap = view.caps[m];
    return cap === null
      ? 'Empty: no limit.'
      : `Empty: no limit of yours. Capped at ${show(cap)} by your provider.`;
  };

  return (
    <form className="limits-form" onSubmit={save} noValidate aria-label="Usage limits">
      <h3 className="settings-subtitle">Usage limits</h3>
      <p className="muted">
        Admins are emailed at 80% and 100% of a limit. Past 100%, agents stop calling the model and quote your
        knowledge instead.
      </p>
      <div className="limits-fields">
        {measures.map((m) => (
          <TextField
            key={m.key}
            label={m.key === 'monthlyCostUsd' ? 'Monthly cost (USD)' : `Monthly ${m.label.toLowerCase()}`}
            inputMode={m.key === 'monthlyCostUsd' ? 'decimal' : 'numeric'}
            value={values[m.key]}
            onChange={(e) => setValues((v) => ({ ...v, [m.key]: e.target.value }))}
            hint={capHint(m.key, m.show)}
            error={errors[m.key]}
          />
        ))}
      </div>
      {general && (
        <p className="form-error" role="alert">
          {general}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save limits'}
        </Button>
      </div>
    </form>
  );
}
