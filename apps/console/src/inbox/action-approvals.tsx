import type { ActionCall } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Check, X } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import './action-approvals.css';

export const approvalsKey = (orgId: string) => [orgId, 'action-approvals'] as const;

/**
 * The conversation's action calls waiting for an operator (an action that needs approval, called
 * by the agent's model): what it wants to do, with which parameters (sensitive ones read
 * "[redacted]"), and Approve / Reject. Approving runs it; either way the visitor is told. Kept
 * live by `action_call` events (use-inbox-live.ts). Shows nothing when none wait.
 */
export function ActionApprovals({
  orgId,
  conversationId,
  canAct,
}: {
  orgId: string;
  conversationId: string;
  canAct: boolean;
}) {
  const queryClient = useQueryClient();
  const queryKey = [...approvalsKey(orgId), conversationId];
  const pending = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      request<{ calls: ActionCall[] }>(`/v1/conversations/${conversationId}/action-approvals`, {
        orgId,
        signal,
      }),
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const decide = async (call: ActionCall, decision: 'approve' | 'reject') => {
    setBusy(call.id);
    setError(null);
    try {
      await request(`/v1/action-calls/${call.id}/${decision}`, { method: 'POST', orgId });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
      void queryClient.invalidateQueries({ queryKey: approvalsKey(orgId) });
    }
  };

  const calls = pending.data?.calls ?? [];
  if (calls.length === 0 && !error) return null;
  return (
    <section className="action-approvals" aria-label="Actions awaiting approval">
      {calls.map((call) => (
        <div key={call.id} className="action-approval">
          <div className="action-approval-text">
            <strong>The agent wants to run “{call.actionName}”</strong>
            <code className="action-params">{JSON.stringify(call.parameters)}</code>
          </div>
          {canAct && (
            <div className="action-approval-buttons">
              <Button
                size="sm"
                variant="primary"
                disabled={busy !== null}
                onClick={() => void decide(call, 'approve')}
              >
                <Check aria-hidden="true" />
                Approve
              </Button>
              <Button size="sm" disabled={busy !== null} onClick={() => void decide(call, 'reject')}>
                <X aria-hidden="true" />
                Reject
              </Button>
            </div>
          )}
        </div>
      ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
