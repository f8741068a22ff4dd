import { and, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { usageLimits } from '../../platform/db/schema/index.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * Monthly usage limits. An org's admins set their own (set_by_org_id = the org); its reseller or
 * the platform may cap it (set_by_org_id = the setter). Effective limit per measure = the minimum
 * of every non-null value; null everywhere = no limit.
 */
export type Limits = {
  monthlyMessages: number | null;
  monthlyTokens: number | null;
  monthlyCostUsd: number | null;
};
export const NO_LIMITS: Limits = { monthlyMessages: null, monthlyTokens: null, monthlyCostUsd: null };
const measures = ['monthlyMessages', 'monthlyTokens', 'monthlyCostUsd'] as const;

export async function readLimitsSetBy(tx: Tx, orgId: string, setByOrgId: string): Promise<Limits> {
  const [row] = await tx
    .select()
    .from(usageLimits)
    .where(and(eq(usageLimits.orgId, orgId), eq(usageLimits.setByOrgId, setByOrgId)));
  return row
    ? {
        monthlyMessages: row.monthlyMessages,
        monthlyTokens: row.monthlyTokens,
        monthlyCostUsd: row.monthlyCostUsd,
      }
    : { ...NO_LIMITS };
}

/** The org's own limits, the lowest caps set above it, and the effective minimum. */
export async function readLimits(
  tx: Tx,
  orgId: string,
): Promise<{ own: Limits; caps: Limits; effective: Limits }> {
  const rows = await tx.select().from(usageLimits).where(eq(usageLimits.orgId, orgId));
  const own = { ...NO_LIMITS };
  const caps = { ...NO_LIMITS };
  for (const row of rows) {
    const target = row.setByOrgId === orgId ? own : caps;
    for (const m of measures) target[m] = minOf(target[m], row[m]);
  }
  const effective = { ...NO_LIMITS };
  for (const m of measures) effective[m] = minOf(own[m], caps[m]);
  return { own, caps, effective };
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** Replaces the limits `setByOrgId` sets on `orgId` (all null removes the row). Audited. */
export async function setLimits(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  setByOrgId: string,
  actor: Actor,
  limits: Limits,
): Promise<void> {
  if (measures.every((m) => limits[m] === null)) {
    await tx
      .delete(usageLimits)
      .where(and(eq(usageLimits.orgId, orgId), eq(usageLimits.setByOrgId, setByOrgId)));
  } else {
    await tx
      .insert(usageLimits)
      .values({ orgId, setByOrgId, ...limits })
      .onConflictDoUpdate({
        target: [usageLimits.orgId, usageLimits.setByOrgId],
        set: { ...limits, updatedAt: sql`now()` },
      });
  }
  await recordAudit(tx, keyring, orgId, actor, {
    action: setByOrgId === orgId ? 'usage.limits_set' : 'usage.limits_capped',
    targetType: 'organization',
    targetId: orgId,
    metadata: { ...limits, setByOrgId },
  });
}
