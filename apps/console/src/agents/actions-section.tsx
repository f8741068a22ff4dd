import type { AgentAction } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Play, Plus, Trash2, Zap } from 'lucide-react';
import { useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ActionDialog } from './action-dialog';
import { ActionTestDialog } from './action-test-dialog';
import './actions.css';

export const actionsKey = (orgId: string, agentId: string) => [orgId, 'agents', agentId, 'actions'] as const;

/**
 * The agent's HTTP actions (admins): the list, add/edit, test with the call log, delete. The
 * model may call enabled actions in Model mode; one that needs approval waits for an operator in
 * the inbox.
 */
export function ActionsSection({ orgId, agentId }: { orgId: string; agentId: string }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const queryKey = actionsKey(orgId, agentId);
  const list = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      request<{ actions: AgentAction[] }>(`/v1/agents/${agentId}/actions`, { orgId, signal }),
  });
  const [editing, setEditing] = useState<AgentAction | 'new' | null>(null);
  const [testing, setTesting] = useState<AgentAction | null>(null);
  const [deleting, setDeleting] = useState<AgentAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  const remove = async () => {
    if (!deleting) return;
    try {
      await request(`/v1/agents/${agentId}/actions/${deleting.id}`, { method: 'DELETE', orgId });
      await refresh();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <section className="card snippet-card" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Actions
        </h2>
        <Button size="sm" onClick={() => setEditing('new')}>
          <Plus aria-hidden="true" />
          Add action
        </Button>
      </div>
      <p className="muted">
        HTTP requests the agent may make for a visitor in Model mode — look up an order, book a slot. Calls go
        only to public addresses, with a timeout and a size limit, and each one is logged.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {list.data && list.data.actions.length === 0 && <p className="muted">No actions yet.</p>}
      {list.data && list.data.actions.length > 0 && (
        <ul className="action-list" aria-label="Actions">
          {list.data.actions.map((action) => (
            <li key={action.id} className="action-item">
              <Zap aria-hidden="true" className="action-icon" />
              <div className="action-summary">
                <div className="action-name">
                  <strong>{action.name}</strong>
                  {action.requiresApproval && <Badge tone="info">Needs approval</Badge>}
                  {!action.enabled && <Badge tone="warning">Disabled</Badge>}
                </div>
                <code className="action-url">
                  {action.method} {action.urlTemplate}
                </code>
                {action.description && <span className="muted">{action.description}</span>}
              </div>
              <div className="action-buttons">
                <Button size="sm" onClick={() => setTesting(action)} aria-label={`Test ${action.name}`}>
                  <Play aria-hidden="true" />
                  Test
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  iconOnly
                  aria-label={`Edit ${action.name}`}
                  onClick={() => setEditing(action)}
                >
                  <Pencil />
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  iconOnly
                  aria-label={`Delete ${action.name}`}
                  onClick={() => setDeleting(action)}
                >
                  <Trash2 />
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <ActionDialog
          key={editing === 'new' ? 'new' : editing.id}
          orgId={orgId}
          agentId={agentId}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => void refresh()}
        />
      )}
      {testing && <ActionTestDialog orgId={orgId} action={testing} onClose={() => setTesting(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description="The model can no longer call it; its stored headers and call log are removed."
        confirmLabel="Delete action"
        onConfirm={remove}
      />
    </section>
  );
}
