import type { PrivacyRequest } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { Download, Plus, ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { Badge, type BadgeTone } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { Skeleton } from '../../ui/skeleton';
import { useToasts } from '../../ui/toasts';
import { countsDetail, countsSummary, daysLeft, formatDay, subjectKindLabels } from './describe-request';
import { NewRequestDialog } from './new-request-dialog';
import { downloadExport, privacyRequestsKey, privacyRequestsQuery } from './privacy-requests-api';
import './privacy-requests.css';

const statusTone: Record<PrivacyRequest['status'], BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  completed: 'success',
  failed: 'danger',
};
const statusLabel: Record<PrivacyRequest['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

/**
 * Data-subject requests: exports and erasures of one person's data, with their progress, what
 * they found per table and their legal due date; finished exports download here until they
 * expire. The subject is only ever shown masked — the server keeps no clear identifier.
 */
export function PrivacyRequestsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const requests = useQuery(privacyRequestsQuery(orgId));
  const [creating, setCreating] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: privacyRequestsKey(orgId) });

  return (
    <div className="form-stack">
      <header className="privacy-section-header">
        <div>
          <h2 className="privacy-section-title">Privacy requests</h2>
          <p className="page-lead">Export or erase everything stored about one person, in every store.</p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          <Plus aria-hidden="true" />
          New request
        </Button>
      </header>
      {requests.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : requests.isError ? (
        <p className="form-error" role="alert">
          The requests could not be loaded. <Button onClick={() => void refresh()}>Try again</Button>
        </p>
      ) : requests.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table privacy-requests-table">
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Person</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col">Due</th>
                <th scope="col">Found</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.data.map((req) => (
                <RequestRow key={req.id} req={req} orgId={orgId} onError={toasts.showError} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState icon={<ShieldCheck />} title="No privacy requests yet">
          <p>
            When someone asks for a copy of their data or for it to be deleted, start a request here. Each one
            is due within 30 days.
          </p>
        </EmptyState>
      )}
      <NewRequestDialog
        orgId={orgId}
        open={creating}
        onOpenChange={setCreating}
        onStarted={(type) => {
          toasts.show({ tone: 'info', title: type === 'erasure' ? 'Erasure started' : 'Export started' });
          void refresh();
        }}
      />
    </div>
  );
}

function RequestRow({
  req,
  orgId,
  onError,
}: {
  req: PrivacyRequest;
  orgId: string;
  onError: (title: string, error: unknown) => void;
}) {
  const open = req.status === 'queued' || req.status === 'running';
  const left = daysLeft(req.dueAt);
  const typeLabel = req.type === 'export' ? 'Export' : 'Erasure';
  return (
    <tr>
      <td>
        <Badge tone={req.type === 'erasure' ? 'warning' : 'accent'}>{typeLabel}</Badge>
        {req.note && <div className="request-note">{req.note}</div>}
      </td>
      <td className="request-fact">
        <span className="request-subject-kind">{subjectKindLabels[req.subject.kind]}</span>{' '}
        <span className="mono">{req.subject.masked}</span>
      </td>
      <td className="request-fact">
        {open ? (
          <div className="request-progress">
            <div
              role="progressbar"
              aria-label={`${typeLabel} of ${req.subject.masked}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={req.progress}
              aria-valuetext={req.status === 'queued' ? 'Waiting to start' : `${req.progress}%`}
              className="request-progress-bar"
            >
              <div className="request-progress-fill" style={{ width: `${req.progress}%` }} />
            </div>
            <span className="request-progress-text">
              {req.status === 'queued' ? 'Queued' : `${req.progress}%`}
            </span>
          </div>
        ) : (
          <Badge tone={statusTone[req.status]}>{statusLabel[req.status]}</Badge>
        )}
      </td>
      <td className="request-fact">{formatDay(req.createdAt)}</td>
      <td className="request-fact">
        {formatDay(req.dueAt)}
        {open && (
          <div className={left <= 5 ? 'request-due request-due-soon' : 'request-due'}>
            {left < 0 ? `${-left} days overdue` : `${left} days left`}
          </div>
        )}
      </td>
      <td className="request-found" title={countsDetail(req) || undefined}>
        {countsSummary(req)}
        {req.status === 'completed' && Object.keys(req.counts).length > 0 && (
          <details className="request-counts">
            <summary>Per table</summary>
            <ul>
              {Object.entries(req.counts)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([table, n]) => (
                  <li key={table}>
                    <span className="mono">{table}</span> {n}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </td>
      <td className="table-actions request-fact">
        {req.download ? (
          <Button
            size="sm"
            aria-label={`Download export of ${req.subject.masked}`}
            title={`Available until ${formatDay(req.download.expiresAt)}`}
            onClick={() =>
              downloadExport(orgId, req).catch((e) => onError('Could not download the export', e))
            }
          >
            <Download aria-hidden="true" />
            Download
          </Button>
        ) : req.type === 'export' && req.status === 'completed' ? (
          <span className="request-expired">No longer available</span>
        ) : null}
      </td>
    </tr>
  );
}
