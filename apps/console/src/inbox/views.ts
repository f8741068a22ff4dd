import type { ConversationStatus, InboxView } from '@confidant/contract';
import type { BadgeTone } from '../ui/badge';

/** The inbox views in the order the console shows them (the server also has `human`). */
export const inboxViews: { id: InboxView; label: string }[] = [
  { id: 'mine', label: 'Mine' },
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'waiting', label: 'Waiting for a person' },
  { id: 'ai', label: 'AI handling' },
  { id: 'all', label: 'All' },
  { id: 'closed', label: 'Closed' },
];

export const inboxViewIds: InboxView[] = [...inboxViews.map((v) => v.id), 'human'];

export const statusLabel: Record<ConversationStatus, { label: string; tone: BadgeTone }> = {
  ai: { label: 'AI handling', tone: 'info' },
  waiting: { label: 'Waiting', tone: 'warning' },
  human: { label: 'With a person', tone: 'success' },
  closed: { label: 'Closed', tone: 'neutral' },
};

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "now", "5 min. ago", "3 hr. ago", or a date for anything older than a day. */
export function formatAge(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return 'now';
  if (Math.abs(seconds) < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export const formatTime = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** Visitors are anonymous: a short, stable label from the conversation id. */
export const visitorLabel = (conversationId: string) => `Visitor ${conversationId.slice(0, 4).toUpperCase()}`;
