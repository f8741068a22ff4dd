import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { ScrollText, ShieldAlert, ShieldCheck } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { type AuditFilters, auditQuery, auditVerifyQuery } from '../api/queries';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { CheckpointsSection } from './checkpoints-section';
import {
  actionFilters,
  actionInWords,
  actorTypeWords,
  formatTime,
  shortId,
  targetWords,
} from './describe-entry';
import './audit.css';

/**
 * The audit log (admins and owners): who did what, newest first, with action and actor filters,
 * and the chain's verification status (recomputed by the server on each visit).
 */
export function AuditPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const [filters, setFilters] = useState<AuditFilters>({});
  // The previous list stays while a new filter loads (no flash of skeletons).
  const entries = useInfiniteQuery({ ...auditQuery(orgId, filters), placeholderData: keepPreviousData });
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  const filtered = Boolean(filters.action || filters.actor);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Audit log</h1>
          <p className="page-lead">
            Every change to this organization, signed in a tamper-evident chain. Newest first.
          </p>
        </div>
        <ChainStatus orgId={orgId} />
      </header>
      <CheckpointsSection orgId={orgId} />
      <AuditFilterForm filters={filters} onChange={setFilters} />
      {entries.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : rows.length > 0 ? (
        <>
          <div className="table-scroll">
            <table
              className="table"
              aria-label="Audit log entries"
              aria-busy={entries.isPlaceholderData || undefined}
            >
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <tr key={entry.seq}>
                    <td className="nowrap">
                      <time dateTime={entry.at}>{formatTime(entry.at)}</time>
                    </td>
                    <td>
                      {actorTypeWords(entry.actorType)}
                      {entry.actorId && (
                        <>
                          {' '}
                          <span className="mono muted" title={entry.actorId}>
                            {shortId(entry.actorId)}
                          </span>
                        </>
                      )}
                    </td>
                    <td>
                      {actionInWords(entry.action)}
                      <span className="audit-action-id mono">{entry.action}</span>
                    </td>
                    <td>
                      {entry.targetType ? (
                        <>
                          {targetWords(entry)}
                          {entry.targetId && (
                            <>
                              {' '}
                              <span className="mono muted" title={entry.targetId}>
                                {shortId(entry.targetId)}
                              </span>
                            </>
                          )}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {entries.hasNextPage && (
            <div className="audit-more">
              <Button onClick={() => entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
                {entries.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            </div>
          )}
          {entries.isFetchNextPageError && (
            <p className="field-error" role="alert">
              Could not load more entries: {describeError(entries.error)}
            </p>
          )}
        </>
      ) : entries.isError ? (
        <p className="field-error" role="alert">
          Could not load the audit log: {describeError(entries.error)}
        </p>
      ) : filtered ? (
        <EmptyState icon={<ScrollText />} title="No entries match these filters">
          <p>Choose “All actions” or clear the actor to see the whole log.</p>
        </EmptyState>
      ) : (
        <EmptyState icon={<ScrollText />} title="Nothing recorded yet">
          <p>Changes such as inviting a member or creating an API key are recorded here as they happen.</p>
        </EmptyState>
      )}
    </div>
  );
}

function ChainStatus({ orgId }: { orgId: string }) {
  const verify = useQuery(auditVerifyQuery(orgId));
  return (
    <div className="audit-chain" role="status">
      {verify.isPending ? (
        <Badge>Verifying the chain…</Badge>
      ) : verify.isError ? (
        <Badge tone="warning">Could not verify the chain: {describeError(verify.error)}</Badge>
      ) : verify.data.verified ? (
        <Badge tone="success">
          <ShieldCheck aria-hidden="true" className="audit-chain-icon" />
          Chain verified — {verify.data.entries} {verify.data.entries === 1 ? 'entry' : 'entries'}
        </Badge>
      ) : (
        <Badge tone="danger">
          <ShieldAlert aria-hidden="true" className="audit-chain-icon" />
          Chain broken at entry {verify.data.problem?.seq}
          {verify.data.problem?.kind === 'key_missing' ? ' (signing key missing)' : ''}:{' '}
          {verify.data.problem?.reason}
        </Badge>
      )}
    </div>
  );
}

function AuditFilterForm({
  filters,
  onChange,
}: {
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
}) {
  const actionId = useId();
  const actorId = useId();
  const [actor, setActor] = useState(filters.actor ?? '');
  const [actorError, setActorError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = actor.trim();
    if (value && !/^[A-Za-z0-9_:-]{1,100}$/.test(value)) {
      setActorError('An actor id has letters, digits, “_”, “:” and “-” only.');
      return;
    }
    setActorError(null);
    const next: AuditFilters = {};
    if (filters.action) next.action = filters.action;
    if (value) next.actor = value;
    onChange(next);
  };
  return (
    <form className="audit-filters" onSubmit={submit} aria-label="Filter the audit log">
      <div className="field">
        <label className="field-label" htmlFor={actionId}>
          Action
        </label>
        <select
          id={actionId}
          className="select"
          value={filters.action ?? ''}
          onChange={(e) => {
            const next: AuditFilters = { ...filters };
            if (e.target.value) next.action = e.target.value;
            else delete next.action;
            onChange(next);
          }}
        >
          {actionFilters.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={actorId}>
          Actor id
        </label>
        <input
          id={actorId}
          className="input"
          value={actor}
          placeholder="A user or API key id"
          aria-invalid={actorError ? true : undefined}
          aria-describedby={actorError ? `${actorId}-error` : undefined}
          onChange={(e) => setActor(e.target.value)}
        />
        {actorError && (
          <span id={`${actorId}-error`} className="field-error">
            {actorError}
          </span>
        )}
      </div>
      <Button type="submit">Filter</Button>
    </form>
  );
}
