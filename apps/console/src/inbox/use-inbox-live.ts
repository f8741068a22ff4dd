import type { ConversationDetail, InboxEvent } from '@confidant/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { followInboxEvents } from '../api/live-events';
import { queryKeys } from '../api/queries';
import { approvalsKey } from './action-approvals';
import { clearTyping, recordTyping } from './typing-store';

/** Lists and counts are refetched at most this often while events stream in. */
const LIST_REFRESH_MS = 250;

/**
 * Keeps the inbox live from GET /v1/events: an open transcript gets new messages and ownership
 * changes in place, lists and counts are refetched (throttled, since one change can move a
 * conversation between several views), typing goes to the typing store. `listen` also sees every
 * event (the waiting alerts); it may change between renders without reconnecting.
 */
export function useInboxLive(orgId: string, listen?: (event: InboxEvent) => void) {
  const queryClient = useQueryClient();
  const listener = useRef(listen);
  listener.current = listen;
  useEffect(() => {
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshLists = () => {
      refreshTimer ??= setTimeout(() => {
        refreshTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversations(orgId) });
      }, LIST_REFRESH_MS);
    };
    const patchDetail = (id: string, patch: (d: ConversationDetail) => ConversationDetail) =>
      queryClient.setQueryData<ConversationDetail>(queryKeys.conversation(orgId, id), (d) =>
        d ? patch(d) : d,
      );

    const onEvent = (event: InboxEvent) => {
      listener.current?.(event);
      if (event.event === 'typing') return recordTyping(event.data);
      // An action call waits for approval or was decided: the approvals shown are refetched.
      if (event.event === 'action_call')
        return void queryClient.invalidateQueries({ queryKey: approvalsKey(orgId) });
      if (event.event === 'conversation') {
        const summary = event.data;
        patchDetail(summary.id, (d) => ({ ...d, ...summary }));
        // What the summary does not carry (a rating given, the model's handoff reason and
        // summary) is refetched for an open detail; ownership changes are rare, so this is cheap.
        void queryClient.invalidateQueries({
          queryKey: queryKeys.conversation(orgId, summary.id),
          exact: true,
        });
      } else {
        const message = event.data;
        if (message.role === 'visitor' || message.role === 'operator')
          clearTyping(message.conversationId, message.role);
        patchDetail(message.conversationId, (d) =>
          d.messages.some((m) => m.id === message.id) ? d : { ...d, messages: [...d.messages, message] },
        );
      }
      refreshLists();
    };
    const stop = followInboxEvents(orgId, {
      onEvent,
      // After a (re)connection, refetch: what changed while disconnected may predate the stream.
      onOpen: () => void queryClient.invalidateQueries({ queryKey: [orgId] }),
    });
    return () => {
      clearTimeout(refreshTimer);
      stop();
    };
  }, [orgId, queryClient]);
}
