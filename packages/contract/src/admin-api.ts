/** Wire types of the console's admin pages: the audit log (GET /v1/audit, /v1/audit/verify) and usage. */

/** One entry of the organization's audit log (metadata holds counts and ids, never content). */
export type AuditEntry = {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, string | number | boolean | null>;
  hash: string;
};

/** A page of entries, newest first; pass nextCursor as `cursor` for the next (older) page. */
export type AuditPage = { entries: AuditEntry[]; nextCursor: number | null };

/** The chain recomputed now: the first bad entry, if any. */
export type AuditVerification = {
  verified: boolean;
  entries: number;
  problem: { seq: number; kind: 'broken' | 'key_missing'; reason: string } | null;
  checkedAt: string;
};

/** One UTC day of usage (GET /v1/usage/daily). */
export type UsageDay = {
  day: string;
  conversations: number;
  handoffs: number;
  resolvedWithoutPerson: number;
  medianFirstResponseSeconds: number | null;
  tokensIn: number;
  tokensOut: number;
};
