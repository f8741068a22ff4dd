import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/client.js';
import { withTenant } from '../../../../platform/db/tenancy.js';

/**
 * Test clock for the retention purge: moves a conversation and everything that hangs off it
 * `days` into the past (every timestamp the purge or the Usage page reads), as if it had
 * happened then. Runs under the org's tenant scope like any tenant write.
 */
export async function ageConversation(
  database: Database,
  orgId: string,
  conversationId: string,
  days: number,
): Promise<void> {
  const by = sql`make_interval(days => ${days})`;
  await withTenant(database, [orgId], async (tx) => {
    await tx.execute(sql`
      update conversations set
        created_at = created_at - ${by},
        last_message_at = last_message_at - ${by},
        handoff_requested_at = handoff_requested_at - ${by},
        claimed_at = claimed_at - ${by},
        closed_at = closed_at - ${by},
        context_started_at = context_started_at - ${by}
      where org_id = ${orgId} and id = ${conversationId}`);
    for (const [table, column] of [
      ['messages', 'created_at'],
      ['events', 'created_at'],
      ['visitor_contacts', 'consented_at'],
      ['notifications', 'created_at'],
      ['model_calls', 'created_at'],
    ] as const) {
      await tx.execute(
        sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${sql.identifier(column)} - ${by}
             where org_id = ${orgId} and conversation_id = ${conversationId}`,
      );
    }
  });
}
