import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { auditLog } from '../../platform/db/schema/index.js';

/**
 * Reading the audit log: newest first, filtered by action (exact, or a prefix ending in "."
 * such as "conversation.") and actor, in pages keyed by seq (a page never repeats or skips an
 * entry, whatever is appended meanwhile). Entries hold ids and flags only, so they can be shown.
 */
export type AuditEntryView = {
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

export type AuditQuery = { cursor?: number; action?: string; actor?: string; limit: number };

export async function listAuditEntries(
  tx: Tx,
  orgId: string,
  query: AuditQuery,
): Promise<{ entries: AuditEntryView[]; nextCursor: number | null }> {
  // A filter ending in "." is a prefix: "conversation." matches every conversation action.
  const action = query.action
    ? query.action.endsWith('.')
      ? sql`starts_with(${auditLog.action}, ${query.action})`
      : eq(auditLog.action, query.action)
    : undefined;
  const rows = await tx
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.orgId, orgId),
        action,
        query.actor ? eq(auditLog.actorId, query.actor) : undefined,
        query.cursor !== undefined ? lt(auditLog.seq, query.cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      actorType: r.actorType,
      actorId: r.actorId,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      metadata: r.metadata,
      hash: r.hash,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}
