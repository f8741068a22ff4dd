import type { PrivacyRequest, PrivacySubjectKind } from '@confidant/contract';

export const subjectKindLabels: Record<PrivacySubjectKind, string> = {
  email: 'Email',
  phone: 'Phone',
  userId: 'User ID',
  conversationId: 'Conversation ID',
};

/** "12 rows in 5 tables", or what happened when nothing was found. */
export function countsSummary(req: PrivacyRequest): string {
  const entries = Object.entries(req.counts);
  const rows = entries.reduce((sum, [, n]) => sum + n, 0);
  if (req.status !== 'completed') return '—';
  if (rows === 0) return 'Nothing found';
  return `${rows} ${rows === 1 ? 'row' : 'rows'} in ${entries.length} ${entries.length === 1 ? 'table' : 'tables'}`;
}

export function countsDetail(req: PrivacyRequest): string {
  return Object.entries(req.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, n]) => `${table.replace(/_/g, ' ')}: ${n}`)
    .join(', ');
}

export const formatDay = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** Days until the due date (negative when overdue), for open requests. */
export const daysLeft = (iso: string, now = Date.now()) => Math.ceil((Date.parse(iso) - now) / 86_400_000);
