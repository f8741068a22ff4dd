import type { ConversationDetail, Me, Role } from '@confidant/contract';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, ChevronDown, Hand, RotateCcw, Scale, Undo2, UserPlus } from 'lucide-react';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { request } from '../api/client';
import { type ConversationAction, conversationActions } from '../api/mutations';
import { membersQuery, queryKeys } from '../api/queries';
import { canAdminister } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Dialog } from '../ui/dialog';
import { useToasts } from '../ui/toasts';

const failureTitle: Record<ConversationAction, string> = {
  claim: 'Could not take over the conversation',
  handback: 'Could not hand the conversation back',
  close: 'Could not close the conversation',
  reopen: 'Could not reopen the conversation',
};

/** Runs one ownership action; the new summary updates the open conversation at once. */
export function useConversationAction(orgId: string, conversationId: string) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  return useCallback(
    async (action: ConversationAction | { assign: string | null }) => {
      try {
        const summary =
          typeof action === 'string'
            ? await conversationActions.act(orgId, conversationId, action)
            : await conversationActions.assign(orgId, conversationId, action.assign);
        queryClient.setQueryData<ConversationDetail>(queryKeys.conversation(orgId, conversationId), (d) =>
          d ? { ...d, ...summary } : d,
        );
        // The system line the action wrote arrives through the events stream; refetch in case it is closed.
        void queryClient.invalidateQueries({ queryKey: [orgId] });
      } catch (error) {
        toasts.showError(
          typeof action === 'string' ? failureTitle[action] : 'Could not assign the conversation',
          error,
        );
      }
    },
    [orgId, conversationId, queryClient, toasts],
  );
}

type Props = {
  orgId: string;
  conversation: ConversationDetail;
  me: Me;
  role: Role;
  onAction: (action: ConversationAction | { assign: string | null }) => Promise<void>;
};

/** Take over, hand back, assign, close and reopen: only the ones the status allows are shown. */
export function ConversationActions({ orgId, conversation, me, role, onAction }: Props) {
  const [busy, setBusy] = useState(false);
  const run = async (action: ConversationAction | { assign: string | null }) => {
    setBusy(true);
    try {
      await onAction(action);
    } finally {
      setBusy(false);
    }
  };
  const { status, assigneeId } = conversation;
  const ownedByMe = status === 'human' && assigneeId === me.id;
  const hold = canAdminister(role) ? <LegalHoldAction orgId={orgId} conversation={conversation} /> : null;
  if (status === 'closed')
    return (
      <div className="conversation-actions">
        <Button onClick={() => run('reopen')} disabled={busy}>
          <RotateCcw aria-hidden="true" />
          Reopen
        </Button>
        {hold}
      </div>
    );
  return (
    <div className="conversation-actions">
      {!ownedByMe && (
        <Button variant="primary" onClick={() => run('claim')} disabled={busy}>
          <Hand aria-hidden="true" />
          Take over
        </Button>
      )}
      {status === 'human' && (
        <Button onClick={() => run('handback')} disabled={busy}>
          <Undo2 aria-hidden="true" />
          Hand back
        </Button>
      )}
      <AssignMenu
        orgId={orgId}
        me={me}
        role={role}
        assigneeId={assigneeId}
        disabled={busy}
        onAssign={(userId) => run({ assign: userId })}
      />
      <Button onClick={() => run('close')} disabled={busy}>
        <CheckCircle2 aria-hidden="true" />
        Close conversation
      </Button>
      {hold}
    </div>
  );
}

/** Shown in the conversation's header while a legal hold keeps it out of the retention purge. */
export function LegalHoldBadge({ conversation }: { conversation: ConversationDetail }) {
  if (!conversation.legalHold) return null;
  return (
    <span title={`Legal hold: ${conversation.legalHold.reason}`}>
      <Badge tone="warning">Legal hold</Badge>
      <span className="visually-hidden">: {conversation.legalHold.reason}</span>
    </span>
  );
}

/**
 * Place or lift a legal hold (admins and owners, as the API requires): a held conversation is
 * never purged by retention. Placing asks for a reason (kept with the conversation for the team,
 * never in the audit log); lifting asks for confirmation, since the next purge may then delete it.
 */
function LegalHoldAction({ orgId, conversation }: { orgId: string; conversation: ConversationDetail }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const key = queryKeys.conversation(orgId, conversation.id);
  const setHold = (legalHold: ConversationDetail['legalHold']) =>
    queryClient.setQueryData<ConversationDetail>(key, (d) => (d ? { ...d, legalHold } : d));

  const place = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why the conversation must be kept.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const hold = await request<NonNullable<ConversationDetail['legalHold']>>(
        `/v1/conversations/${conversation.id}/hold`,
        { method: 'POST', orgId, body: { reason: reason.trim() } },
      );
      setHold(hold);
      setOpen(false);
      setReason('');
      toasts.show({ tone: 'info', title: 'Legal hold placed' });
    } catch (failure) {
      toasts.showError('Could not place the legal hold', failure);
    } finally {
      setBusy(false);
    }
  };

  if (conversation.legalHold)
    return (
      <>
        <Button onClick={() => setOpen(true)}>
          <Scale aria-hidden="true" />
          Lift legal hold
        </Button>
        <ConfirmDialog
          open={open}
          onOpenChange={setOpen}
          title="Lift the legal hold?"
          description="The conversation will again be deleted by the retention purge once it is past its period."
          confirmLabel="Lift hold"
          onConfirm={async () => {
            try {
              await request(`/v1/conversations/${conversation.id}/hold`, { method: 'DELETE', orgId });
              setHold(null);
              toasts.show({ tone: 'info', title: 'Legal hold lifted' });
            } catch (failure) {
              toasts.showError('Could not lift the legal hold', failure);
            }
          }}
        />
      </>
    );
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Scale aria-hidden="true" />
        Place legal hold
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Place a legal hold"
        description="A held conversation is kept out of the retention purge until the hold is lifted."
      >
        <form className="form-stack" onSubmit={place} noValidate>
          <div className="field">
            <label className="field-label" htmlFor={fieldId}>
              Reason
            </label>
            <textarea
              id={fieldId}
              className="input"
              rows={3}
              maxLength={500}
              value={reason}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${fieldId}-error` : `${fieldId}-hint`}
              onChange={(e) => setReason(e.target.value)}
            />
            {error ? (
              <span id={`${fieldId}-error`} className="field-error">
                {error}
              </span>
            ) : (
              <span id={`${fieldId}-hint`} className="field-hint">
                Shown to your team with the conversation; not written to the audit log.
              </span>
            )}
          </div>
          <div className="dialog-actions">
            <Button type="button" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? 'Placing…' : 'Place hold'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

/** Assign to a member: admins pick anyone with the agent role or above; agents can assign themselves. */
function AssignMenu({
  orgId,
  me,
  role,
  assigneeId,
  disabled,
  onAssign,
}: {
  orgId: string;
  me: Me;
  role: Role;
  assigneeId: string | null;
  disabled: boolean;
  onAssign: (userId: string | null) => void;
}) {
  const canListMembers = canAdminister(role);
  const members = useQuery({ ...membersQuery(orgId), enabled: canListMembers });
  const candidates = canListMembers
    ? (members.data ?? []).filter((m) => m.role !== 'viewer').map((m) => ({ id: m.userId, name: m.name }))
    : [{ id: me.id, name: me.name }];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild disabled={disabled}>
        <Button>
          <UserPlus aria-hidden="true" />
          Assign
          <ChevronDown aria-hidden="true" />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Assign to</DropdownMenu.Label>
          {candidates.map((c) => (
            <DropdownMenu.Item
              key={c.id}
              className="menu-item"
              disabled={c.id === assigneeId}
              onSelect={() => onAssign(c.id)}
            >
              {c.id === me.id ? `${c.name} (you)` : c.name}
            </DropdownMenu.Item>
          ))}
          {assigneeId && (
            <>
              <DropdownMenu.Separator className="menu-separator" />
              <DropdownMenu.Item className="menu-item" onSelect={() => onAssign(null)}>
                Unassign
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
