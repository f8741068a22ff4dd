import type { ConversationDetail, Me, Role } from '@confidant/contract';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, ChevronDown, Hand, RotateCcw, Undo2, UserPlus } from 'lucide-react';
import { useCallback, useState } from 'react';
import { type ConversationAction, conversationActions } from '../api/mutations';
import { membersQuery, queryKeys } from '../api/queries';
import { canAdminister } from '../shell/roles';
import { Button } from '../ui/button';
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
  if (status === 'closed')
    return (
      <div className="conversation-actions">
        <Button onClick={() => run('reopen')} disabled={busy}>
          <RotateCcw aria-hidden="true" />
          Reopen
        </Button>
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
    </div>
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
