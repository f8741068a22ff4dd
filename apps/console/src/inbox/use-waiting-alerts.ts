import type { InboxEvent } from '@confidant/contract';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useRef } from 'react';
import type { AlertPreferences } from './alert-preferences';
import { visitorLabel } from './views';
import { playWaitingChime } from './waiting-sound';

/**
 * Alerts a person when a conversation starts waiting for a person: a desktop notification and/or
 * a chime, as they chose. The trigger is the transcript's `waiting` system line, which the server
 * writes exactly once each time a conversation enters waiting (a visitor asks, or the agent hands
 * off) — not the status in conversation events, which repeat it on every assignment. Only when
 * the person would not see it anyway: the tab is hidden, or another conversation is open.
 * Clicking the notification focuses the window and opens the conversation.
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
  const alerted = useRef(new Set<string>());
  const latest = useRef({ openConversationId, preferences });
  latest.current = { openConversationId, preferences };

  return useCallback(
    (event: InboxEvent) => {
      if (event.event !== 'message' || event.data.systemEvent !== 'waiting') return;
      // A reconnection may replay the line: one alert per line.
      if (alerted.current.has(event.data.id)) return;
      alerted.current.add(event.data.id);
      const id = event.data.conversationId;
      const { openConversationId: open, preferences: wanted } = latest.current;
      if (!document.hidden && open === id) return;
      if (wanted.sound) playWaitingChime();
      if (wanted.desktop && 'Notification' in window && Notification.permission === 'granted') {
        // Ids only: the visitor's words stay inside the console, not in the OS notification centre.
        const notification = new Notification('A visitor is waiting for a person', {
          body: `${visitorLabel(id)} is waiting for someone from your team to reply.`,
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
