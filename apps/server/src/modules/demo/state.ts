import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import { systemState } from '../../platform/db/schema/index.js';

/** The system_state key that records the one-time demo seed. */
export const DEMO_STATE_KEY = 'demo_seeded';

/**
 * What the seed remembers: ids only (no credentials, no personal data). `seeding` marks a seed
 * in progress, claimed atomically so two processes starting together never seed twice.
 */
const demoStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('seeding') }),
  z.object({ state: z.literal('done'), orgId: z.uuid(), agentId: z.uuid(), seededAt: z.string() }),
]);

export type DemoState = z.infer<typeof demoStateSchema>;
export type SeededDemo = Extract<DemoState, { state: 'done' }>;

export async function readDemoState(database: Database): Promise<DemoState | undefined> {
  const [row] = await database.db.select().from(systemState).where(eq(systemState.key, DEMO_STATE_KEY));
  if (!row) return undefined;
  const parsed = demoStateSchema.safeParse(row.value);
  return parsed.success ? parsed.data : undefined;
}

/** Claims the seed for this process; false when a seed already ran (or is running elsewhere). */
export async function claimDemoSeed(database: Database): Promise<boolean> {
  const claimed = await database.db
    .insert(systemState)
    .values({ key: DEMO_STATE_KEY, value: { state: 'seeding' } satisfies DemoState })
    .onConflictDoNothing()
    .returning({ key: systemState.key });
  return claimed.length > 0;
}

export async function completeDemoSeed(database: Database, state: SeededDemo): Promise<void> {
  await database.db
    .update(systemState)
    .set({ value: state, updatedAt: new Date() })
    .where(eq(systemState.key, DEMO_STATE_KEY));
}

/** Releases a claim after a failed seed, so the next start tries again from scratch. */
export async function releaseDemoSeed(database: Database): Promise<void> {
  await database.db.delete(systemState).where(eq(systemState.key, DEMO_STATE_KEY));
}
