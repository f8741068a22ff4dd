import type { CallSummary } from '@confidant/contract';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useRouteContext, useSearch } from '@tanstack/react-router';
import { PhoneCall } from 'lucide-react';
import { type ChangeEvent, type FormEvent, useEffect, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { roleAtLeast } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { type CallFilters, callsKey, callsQuery, inProgress, isPaused, rubricsQuery } from './calls-api';
import {
  callStatuses,
  formatDate,
  formatDuration,
  progressText,
  scoreTone,
  statusLabels,
  statusTones,
} from './describe-call';
import { UploadCalls } from './upload-calls';

/**
 * The calls list (every role reads; operators and up upload): filters kept in the URL, a page
 * of 25 at a time with "Load more", and live progress while any call is being processed (the
 * list is polled until none is).
 */
export function CallsListPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const filters = useSearch({ from: '/o/$orgId/calls/' });
  const navigate = useNavigate({ from: '/o/$orgId/calls/' });
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const calls = useInfiniteQuery(callsQuery(orgId, filters));
  const rubrics = useQuery(rubricsQuery(orgId));
  const canUpload = roleAtLeast(membership.role, 'agent');
  const all = calls.data?.pages.flatMap((p) => p.calls) ?? [];
  const filtered = Object.keys(filters).length > 0;
  const processing = all.filter(inProgress).length;
  const [wasProcessing, setWasProcessing] = useState(false);
  if (processing > 0 && !wasProcessing) setWasProcessing(true);

  return (
    <div className="form-stack">
      {canUpload && (
        <UploadCalls
          orgId={orgId}
          rubrics={rubrics.data ?? []}
          onUploaded={(call) => {
            toasts.show({ tone: 'info', title: `${call.title} uploaded`, detail: 'Processing has started.' });
            // Shown at once (queued, with its progress bar) in the unfiltered list; the refetch confirms it.
            if (!filtered)
              queryClient.setQueryData(callsQuery(orgId, filters).queryKey, (data) =>
                data?.pages[0] && !data.pages.some((p) => p.calls.some((c) => c.id === call.id))
                  ? {
                      ...data,
                      pages: [
                        { ...data.pages[0], calls: [call, ...data.pages[0].calls] },
                        ...data.pages.slice(1),
                      ],
                    }
                  : data,
              );
            void queryClient.invalidateQueries({ queryKey: callsKey(orgId) });
          }}
        />
      )}
      <Filters
        filters={filters}
        rubrics={rubrics.data ?? []}
        onChange={(next) => void navigate({ search: next, replace: true })}
      />
      {/* Announced politely: how many calls are still being processed, and when all are done. */}
      <p className="visually-hidden" role="status">
        {processing > 0
          ? `${processing} ${processing === 1 ? 'call is' : 'calls are'} being processed.`
          : wasProcessing
            ? 'All calls are processed.'
            : ''}
      </p>
      <section aria-label="Call list" aria-busy={calls.isFetching && !calls.isRefetching ? true : undefined}>
        {calls.isPending ? (
          <div className="form-stack" aria-busy="true">
            <Skeleton height="2.5rem" />
            <Skeleton height="2.5rem" />
            <Skeleton height="2.5rem" />
          </div>
        ) : calls.isError ? (
          <p className="form-error" role="alert">
            The calls could not be loaded: {describeError(calls.error)}{' '}
            <Button onClick={() => void calls.refetch()}>Try again</Button>
          </p>
        ) : all.length === 0 ? (
          <EmptyState icon={<PhoneCall />} title={filtered ? 'No calls match these filters' : 'No calls yet'}>
            <p>
              {filtered
                ? 'Change or clear the filters to see more calls.'
                : 'Upload a recording: it is transcribed, scored against a rubric and measured here.'}
            </p>
          </EmptyState>
        ) : (
          <>
            <div className="table-scroll">
              <table className="table calls-table">
                <thead>
                  <tr>
                    <th scope="col">Call</th>
                    <th scope="col">Rep</th>
                    <th scope="col">Date</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Status</th>
                    <th scope="col">Score</th>
                  </tr>
                </thead>
                <tbody>
                  {all.map((call) => (
                    <CallRow key={call.id} orgId={orgId} call={call} />
                  ))}
                </tbody>
              </table>
            </div>
            {calls.hasNextPage && (
              <Button disabled={calls.isFetchingNextPage} onClick={() => void calls.fetchNextPage()}>
                {calls.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function CallRow({ orgId, call }: { orgId: string; call: CallSummary }) {
  const percent = Math.round(call.progress * 100);
  return (
    <tr>
      <td>
        <Link to="/o/$orgId/calls/$callId" params={{ orgId, callId: call.id }} className="call-link">
          {call.title}
        </Link>
      </td>
      <td>{call.repName ?? <span className="muted">—</span>}</td>
      <td className="call-cell-nowrap">{formatDate(call.createdAt)}</td>
      <td className="call-cell-nowrap">{formatDuration(call.durationSeconds)}</td>
      <td>
        {isPaused(call) ? (
          <Badge tone="warning">Paused</Badge>
        ) : (
          <Badge tone={statusTones[call.status]}>{statusLabels[call.status]}</Badge>
        )}
        {inProgress(call) && !isPaused(call) && (
          <span className="call-progress">
            <span
              role="progressbar"
              aria-label={`Processing ${call.title}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-valuetext={progressText(call)}
              className={call.status === 'queued' ? 'progress progress-waiting' : 'progress'}
            >
              <span className="progress-fill" style={{ width: `${percent}%` }} />
            </span>
          </span>
        )}
        {call.status === 'failed' && call.error && <div className="call-error">{call.error}</div>}
        {isPaused(call) && <div className="call-paused">{call.error}</div>}
      </td>
      <td>
        {call.score === null ? (
          <span className="muted">—</span>
        ) : (
          <Badge tone={scoreTone(call.score)}>{Math.round(call.score)}</Badge>
        )}
      </td>
    </tr>
  );
}

type Draft = Record<keyof CallFilters, string>;

const draftOf = (f: CallFilters): Draft => ({
  status: f.status ?? '',
  rep: f.rep ?? '',
  rubric: f.rubric ?? '',
  minScore: f.minScore?.toString() ?? '',
  maxScore: f.maxScore?.toString() ?? '',
  from: f.from ?? '',
  to: f.to ?? '',
  q: f.q ?? '',
});

const scoreOrUndefined = (s: string) => {
  if (!s.trim()) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined;
};

/** The filters a draft stands for, without the empty ones (the URL stays short). */
function filtersOf(d: Draft): CallFilters {
  const next: CallFilters = {
    status: d.status || undefined,
    rep: d.rep.trim().slice(0, 200) || undefined,
    rubric: d.rubric || undefined,
    minScore: scoreOrUndefined(d.minScore),
    maxScore: scoreOrUndefined(d.maxScore),
    from: d.from || undefined,
    to: d.to || undefined,
    q: d.q.trim().slice(0, 200) || undefined,
  };
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as CallFilters;
}

/**
 * The filters as a form: a choice (status, rubric, dates) applies at once; typed fields apply
 * with Enter or the Filter button. Every filter lives in the URL, so a link, a reload or
 * Back/Forward shows what is applied.
 */
function Filters({
  filters,
  rubrics,
  onChange,
}: {
  filters: CallFilters;
  rubrics: { id: string; name: string }[];
  onChange: (filters: CallFilters) => void;
}) {
  const id = useId();
  const applied = JSON.stringify(filters);
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-sync only when the URL's filters change
  useEffect(() => setDraft(draftOf(filters)), [applied]);
  const text = (name: keyof Draft) => ({
    id: `${id}-${name}`,
    name,
    value: draft[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [name]: e.target.value })),
  });
  /** A choice applies at once. */
  const choice = (name: keyof Draft) => ({
    id: `${id}-${name}`,
    name,
    value: draft[name],
    onChange: (e: ChangeEvent<HTMLSelectElement | HTMLInputElement>) => {
      const next = { ...draft, [name]: e.target.value };
      setDraft(next);
      onChange(filtersOf(next));
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onChange(filtersOf(draft));
  };
  return (
    <form className="call-filters" aria-label="Filter calls" onSubmit={submit}>
      <div className="field call-filter-search">
        <label className="field-label" htmlFor={`${id}-q`}>
          Search
        </label>
        <input type="search" className="input" placeholder="Title or transcript" {...text('q')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-status`}>
          Status
        </label>
        <select className="select" {...choice('status')}>
          <option value="">Any</option>
          {callStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-rep`}>
          Rep
        </label>
        <input className="input" {...text('rep')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-rubric`}>
          Rubric
        </label>
        <select className="select" {...choice('rubric')}>
          <option value="">Any</option>
          {rubrics.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field call-filter-narrow">
        <label className="field-label" htmlFor={`${id}-minScore`}>
          Min score
        </label>
        <input type="number" min={0} max={100} className="input" {...text('minScore')} />
      </div>
      <div className="field call-filter-narrow">
        <label className="field-label" htmlFor={`${id}-maxScore`}>
          Max score
        </label>
        <input type="number" min={0} max={100} className="input" {...text('maxScore')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-from`}>
          From
        </label>
        <input type="date" className="input" {...choice('from')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-to`}>
          To
        </label>
        <input type="date" className="input" {...choice('to')} />
      </div>
      <div className="call-filter-actions">
        <Button type="submit">Filter</Button>
        {applied !== '{}' && (
          <Button variant="ghost" onClick={() => onChange({})}>
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}
