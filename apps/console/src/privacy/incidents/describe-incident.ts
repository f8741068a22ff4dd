import type { Incident, IncidentStatus } from '@confidant/contract';
import type { BadgeTone } from '../../ui/badge';

export const statusLabels: Record<IncidentStatus, string> = {
  open: 'Open',
  contained: 'Contained',
  notified: 'Notified',
  closed: 'Closed',
  not_notifiable: 'Not notifiable',
};
export const statusTones: Record<IncidentStatus, BadgeTone> = {
  open: 'warning',
  contained: 'info',
  notified: 'success',
  closed: 'neutral',
  not_notifiable: 'neutral',
};

/** The data-map categories that hold personal data, the ones a breach report names. */
export const personalCategories: { value: string; label: string }[] = [
  { value: 'user.contact.email', label: 'Email addresses' },
  { value: 'user.contact.name', label: 'Names' },
  { value: 'user.content.chat', label: 'Chat transcripts' },
  { value: 'user.identifier', label: 'User identifiers' },
  { value: 'user.device', label: 'Device data (IP address, browser)' },
  { value: 'user.session', label: 'Sign-in sessions' },
  { value: 'user.credential.password', label: 'Passwords (hashed)' },
  { value: 'user.credential.secret', label: 'Secrets and tokens' },
];
const categoryLabel = new Map(personalCategories.map((c) => [c.value, c.label]));
export const describeCategory = (value: string) => categoryLabel.get(value) ?? value;

/**
 * Where the 72 hours stand at `now`: time left, overdue by how much, or settled (the authority
 * was notified, or the incident needs no notification).
 */
export function deadlineState(
  incident: Incident,
  now: number,
): { kind: 'settled' | 'running' | 'overdue'; text: string } {
  if (!incident.notificationPending)
    return {
      kind: 'settled',
      text: incident.authorityNotifiedAt ? 'Authority notified' : 'No notification needed',
    };
  const ms = Date.parse(incident.deadlineAt) - now;
  const span = (m: number) => {
    const minutes = Math.floor(Math.abs(m) / 60_000);
    const h = Math.floor(minutes / 60);
    return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
  };
  return ms < 0 || incident.overdue
    ? { kind: 'overdue', text: `${span(ms)} late` }
    : { kind: 'running', text: `${span(ms)} left` };
}

export const formatInstant = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO instant as the value of a datetime-local input (the browser's time zone). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value back to an ISO instant; empty is null. */
export const fromLocalInput = (value: string): string | null =>
  value ? new Date(value).toISOString() : null;
