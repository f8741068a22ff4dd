import type { InboxEvent } from '@confidant/contract';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useRef } from 'react';
import type { AlertPreferences } from './alert-preferences';
import { visitorLabel } from './views';
import { playWaitingChime } from './waiting-sound';

/**
 * Alerts a person when a conversation enters "Waiting for a person" (from the live events):
 * a desktop notification and/or a chime, as they chose. Only when they would not see it anyway:
 * the tab is hidden, or another conversation is open. Once per wait: a conversation alerts again
 * only after it left waiting. Clicking the notification focuses the window and opens it.
 */
export function useWaitingAlerts({
  orgId,
  openConversationId,
  preferences,
}: {
  orgId: string;
  openConversationId: string | undefined;
  preferences: AlertPreferences;
}): (event: InboxEvent) => void {
  const navigate = useNavigate();
  const waiting = useRef(new Set<string>());
  const latest = useRef({ openConversationId, preferences });
  latest.current = { openConversationId, preferences };

  return useCallback(
    (event: InboxEvent) => {
      if (event.event !== 'conversation') return;
      const { id, status } = event.data;
      if (status !== 'waiting') {
        waiting.current.delete(id);
        return;
      }
      if (waiting.current.has(id)) return;
      waiting.current.add(id);
      const { openConversationId: open, preferences: wanted } = latest.current;
      if (!document.hidden && open === id) return;
      if (wanted.sound) playWaitingChime();
      if (wanted.desktop && 'Notification' in window && Notification.permission === 'granted') {
        // Ids only: the visitor's words stay inside the console, not in the OS notification centre.
        const notification = new Notification('A visitor is waiting for a person', {
          body: `${visitorLabel(id)} asked to talk to someone from your team.`,
          tag: `confidant-waiting-${id}`,
        });
        notification.onclick = () => {
          window.focus();
          notification.close();
          void navigate({
            to: '/o/$orgId/inbox/$conversationId',
            params: { orgId, conversationId: id },
            search: { view: 'waiting' },
          });
        };
      }
    },
    [navigate, orgId],
  );
}
