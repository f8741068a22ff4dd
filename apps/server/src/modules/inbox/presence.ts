import { and, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { operatorPresence } from '../../platform/db/schema/index.js';

/**
 * Operator presence, shared by every process through the database: an operator counts as
 * available while their live events stream is open (refreshed every PRESENCE_REFRESH_MS) or
 * when they acted in the last ONLINE_WINDOW_MS. The widget's handoff promise is computed from it.
 */
export const PRESENCE_REFRESH_MS = 60_000;
export const ONLINE_WINDOW_MS = 3 * 60_000;

export async function touchPresence(tx: Tx, orgId: string, userId: string): Promise<void> {
  await tx
    .insert(operatorPresence)
    .values({ orgId, userId })
    .onConflictDoUpdate({
      target: [operatorPresence.orgId, operatorPresence.userId],
      set: { lastSeenAt: sql`now()` },
    });
}

export async function operatorsOnline(tx: Tx, orgId: string): Promise<number> {
  const rows = await tx
    .select({ userId: operatorPresence.userId })
    .from(operatorPresence)
    .where(
      and(
        eq(operatorPresence.orgId, orgId),
        gt(operatorPresence.lastSeenAt, sql`now() - make_interval(secs => ${ONLINE_WINDOW_MS / 1000})`),
      ),
    );
  return rows.length;
}
