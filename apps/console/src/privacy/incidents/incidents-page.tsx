import type { Incident } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { Download, Pencil, Plus, ShieldAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { Skeleton } from '../../ui/skeleton';
import { useToasts } from '../../ui/toasts';
import {
  deadlineState,
  describeCategory,
  formatInstant,
  statusLabels,
  statusTones,
} from './describe-incident';
import { IncidentDialog } from './incident-dialog';
import { downloadReport, incidentsKey, incidentsQuery } from './incidents-api';
import './incidents.css';

/** The current time, ticking every 30 seconds, so the countdowns move while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The incident register: each breach with its status and the 72-hour countdown to notify the
 * supervisory authority (overdue ones stand out), a form to register or update one, and the
 * report for the authority as a Markdown download.
 */
export function IncidentsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const incidents = useQuery(incidentsQuery(orgId));
  const now = useNow();
  // undefined: closed; null: a new incident.
  const [editing, setEditing] = useState<Incident | null | undefined>(undefined);
  const refresh = () => queryClient.invalidateQueries({ queryKey: incidentsKey(orgId) });

  return (
    <div className="form-stack">
      <header className="privacy-section-header">
        <div>
          <h2 className="privacy-section-title">Incidents</h2>
          <p className="page-lead">
            Personal-data breaches, their measures and the 72-hour deadline to notify the supervisory
            authority.
          </p>
        </div>
        <Button variant="primary" onClick={() => setEditing(null)}>
          <Plus aria-hidden="true" />
          Register incident
        </Button>
      </header>
      {incidents.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : incidents.isError ? (
        <p className="form-error" role="alert">
          The incidents could not be loaded. <Button onClick={() => void refresh()}>Try again</Button>
        </p>
      ) : incidents.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table incidents-table">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Became aware</th>
                <th scope="col">Notification deadline</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {incidents.data.map((incident) => {
                const deadline = deadlineState(incident, now);
                return (
                  <tr
                    key={incident.id}
                    className={deadline.kind === 'overdue' ? 'incident-overdue' : undefined}
                  >
                    <td>
                      <div className="incident-title">{incident.title}</div>
                      {incident.dataCategories.length > 0 && (
                        <div className="incident-facts">
                          {incident.dataCategories.map(describeCategory).join(', ')}
                          {incident.subjectsAffected !== null &&
                            ` · about ${incident.subjectsAffected} people`}
                        </div>
                      )}
                    </td>
                    <td className="incident-fact">
                      <Badge tone={statusTones[incident.status]}>{statusLabels[incident.status]}</Badge>
                    </td>
                    <td className="incident-fact">{formatInstant(incident.awareAt)}</td>
                    <td className="incident-fact">
                      <div>{formatInstant(incident.deadlineAt)}</div>
                      <div className={`incident-deadline incident-deadline-${deadline.kind}`}>
                        {deadline.kind === 'overdue' && <Badge tone="danger">Overdue</Badge>} {deadline.text}
                      </div>
                    </td>
                    <td className="table-actions incident-fact">
                      <Button
                        size="sm"
                        aria-label={`Edit ${incident.title}`}
                        onClick={() => setEditing(incident)}
                      >
                        <Pencil aria-hidden="true" />
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        aria-label={`Download report for ${incident.title}`}
                        onClick={() =>
                          downloadReport(orgId, incident).catch((e) =>
                            toasts.showError('Could not download the report', e),
                          )
                        }
                      >
                        <Download aria-hidden="true" />
                        Report
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState icon={<ShieldAlert />} title="No incidents registered">
          <p>
            When personal data is lost, disclosed or altered without authorization, register it here. The
            owners and admins are reminded at 24, 48 and 66 hours until the authority is notified.
          </p>
        </EmptyState>
      )}
      {editing !== undefined && (
        <IncidentDialog
          key={editing?.id ?? 'new'}
          orgId={orgId}
          incident={editing}
          open
          onOpenChange={(open) => {
            if (!open) setEditing(undefined);
          }}
          onSaved={(_, created) => {
            toasts.show({ tone: 'info', title: created ? 'Incident registered' : 'Incident updated' });
            void refresh();
          }}
        />
      )}
    </div>
  );
}
