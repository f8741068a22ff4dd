import type { InboxTyping } from '@confidant/contract';
import { useSyncExternalStore } from 'react';

/** How long a typing signal shows; senders repeat it while typing (the server throttles). */
const TYPING_VISIBLE_MS = 5000;

type Entry = InboxTyping & { until: number };
const entries = new Map<string, Entry>();
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** Records a typing event from GET /v1/events; it fades by itself after a few seconds. */
export function recordTyping(typing: InboxTyping) {
  const key = `${typing.conversationId}:${typing.role}`;
  entries.set(key, { ...typing, until: Date.now() + TYPING_VISIBLE_MS });
  notify();
  setTimeout(() => {
    const entry = entries.get(key);
    if (entry && entry.until <= Date.now()) {
      entries.delete(key);
      notify();
    }
  }, TYPING_VISIBLE_MS + 50);
}

/** A message from that side ends its typing indicator at once. */
export function clearTyping(conversationId: string, role: InboxTyping['role']) {
  if (entries.delete(`${conversationId}:${role}`)) notify();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The visitor's (or another operator's) typing in one conversation, or null. */
export function useTyping(conversationId: string, role: InboxTyping['role']): Entry | null {
  return useSyncExternalStore(subscribe, () => entries.get(`${conversationId}:${role}`) ?? null);
}
