import type { Rubric } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { ListChecks, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { deleteRubric, rubricsKey, rubricsQuery } from './calls-api';
import { formatDate } from './describe-call';
import { RubricDialog } from './rubric-dialog';

/** The org's rubrics (admins and owners): what calls are scored against. */
export function RubricsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const rubrics = useQuery(rubricsQuery(orgId));
  // undefined: closed; null: a new rubric.
  const [editing, setEditing] = useState<Rubric | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<Rubric | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: rubricsKey(orgId) });

  return (
    <div className="form-stack">
      <header className="calls-section-header">
        <div>
          <h2 className="section-title">Rubrics</h2>
          <p className="page-lead">Criteria, with weights and a scale, that each call is scored against.</p>
        </div>
        <Button variant="primary" onClick={() => setEditing(null)}>
          <Plus aria-hidden="true" />
          New rubric
        </Button>
      </header>
      {rubrics.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : rubrics.isError ? (
        <p className="form-error" role="alert">
          The rubrics could not be loaded: {describeError(rubrics.error)}
        </p>
      ) : rubrics.data.length === 0 ? (
        <EmptyState icon={<ListChecks />} title="No rubrics yet">
          <p>Create a rubric: calls are scored against it, criterion by criterion, with evidence.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Rubric</th>
                <th scope="col">Criteria</th>
                <th scope="col">Scale</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rubrics.data.map((rubric) => (
                <tr key={rubric.id}>
                  <td>
                    <div className="rubric-name">{rubric.name}</div>
                    {rubric.description && <div className="muted">{rubric.description}</div>}
                  </td>
                  <td>{rubric.criteria.map((c) => c.name).join(', ')}</td>
                  <td className="call-cell-nowrap">
                    {rubric.scale.min}–{rubric.scale.max}
                  </td>
                  <td className="call-cell-nowrap">{formatDate(rubric.updatedAt)}</td>
                  <td className="table-actions call-cell-nowrap">
                    <Button size="sm" aria-label={`Edit ${rubric.name}`} onClick={() => setEditing(rubric)}>
                      <Pencil aria-hidden="true" />
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      iconOnly
                      aria-label={`Delete ${rubric.name}`}
                      onClick={() => setDeleting(rubric)}
                    >
                      <Trash2 />
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== undefined && (
        <RubricDialog
          key={editing?.id ?? 'new'}
          orgId={orgId}
          rubric={editing}
          onClose={() => setEditing(undefined)}
          onSaved={(saved, created) => {
            toasts.show({ tone: 'info', title: created ? `${saved.name} created` : `${saved.name} saved` });
            void refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete ${deleting?.name ?? 'rubric'}?`}
        description="Calls already scored keep their scores; new calls can no longer use this rubric."
        confirmLabel="Delete rubric"
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await deleteRubric(orgId, deleting.id);
          } catch (error) {
            toasts.showError('The rubric could not be deleted', error);
            throw error;
          }
          void refresh();
        }}
      />
    </div>
  );
}
