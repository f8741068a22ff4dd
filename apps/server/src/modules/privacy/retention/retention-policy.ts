import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { retentionCaps, retentionRules } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';
import { categoryInfo, type ExpiringCategory, expiringCategories } from './categories.js';

/**
 * An organization's retention, per category: its own rule (null days = keep), the caps its
 * reseller or the platform set, and the period the purge enforces — min(rule, caps), the
 * category's default when the org set nothing.
 */
export type RetentionRuleView = {
  category: ExpiringCategory;
  /** The period in days the org chose (or the default); null = keep (only where allowed). */
  days: number | null;
  /** True when the org never set this category and the default applies. */
  isDefault: boolean;
  defaultDays: number;
  keepAllowed: boolean;
  /** The lowest cap set by the reseller or the platform, if any. */
  maxDays: number | null;
  /** What the purge enforces: min(days, maxDays); null = kept. */
  effectiveDays: number | null;
  label: string;
  description: string;
};

export type RuleInput = { category: ExpiringCategory; days: number | null };

export async function readRetention(tx: Tx, orgId: string): Promise<RetentionRuleView[]> {
  const rules = await tx.select().from(retentionRules).where(eq(retentionRules.orgId, orgId));
  const caps = await readCaps(tx, orgId);
  return expiringCategories.map((category) => {
    const info = categoryInfo[category];
    const rule = rules.find((r) => r.category === category);
    const days = rule ? rule.days : info.defaultDays;
    const maxDays = caps[category] ?? null;
    const effectiveDays = maxDays === null ? days : days === null ? maxDays : Math.min(days, maxDays);
    return {
      category,
      days,
      isDefault: !rule,
      defaultDays: info.defaultDays,
      keepAllowed: info.keepAllowed,
      maxDays,
      effectiveDays,
      label: info.label,
      description: info.description,
    };
  });
}

/** The periods the purge enforces, by category (null = kept). */
export async function effectivePeriods(
  tx: Tx,
  orgId: string,
): Promise<Record<ExpiringCategory, number | null>> {
  const views = await readRetention(tx, orgId);
  return Object.fromEntries(views.map((v) => [v.category, v.effectiveDays])) as Record<
    ExpiringCategory,
    number | null
  >;
}

/** The lowest cap per category over every setter. */
async function readCaps(tx: Tx, orgId: string): Promise<Partial<Record<ExpiringCategory, number>>> {
  const rows = await tx
    .select({ category: retentionCaps.category, maxDays: sql<number>`min(${retentionCaps.maxDays})::int` })
    .from(retentionCaps)
    .where(eq(retentionCaps.orgId, orgId))
    .groupBy(retentionCaps.category);
  return Object.fromEntries(rows.map((r) => [r.category, r.maxDays]));
}

/**
 * Sets some of the org's rules (categories not named keep theirs). Refused as a whole, naming
 * each offending entry, when a rule keeps a category that may not be kept or exceeds a cap.
 */
export async function setRetentionRules(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  rules: RuleInput[],
): Promise<RetentionRuleView[]> {
  const caps = await readCaps(tx, orgId);
  const issues = rules.flatMap((rule, i) => {
    const cap = caps[rule.category];
    const path = `rules.${i}.days`;
    if (rule.days === null && !categoryInfo[rule.category].keepAllowed) {
      return [
        {
          path,
          message: `${categoryInfo[rule.category].label} cannot be kept forever; give a number of days`,
        },
      ];
    }
    if (cap !== undefined && (rule.days === null || rule.days > cap)) {
      return [{ path, message: `must be at most ${cap} days (the limit set by your provider)` }];
    }
    return [];
  });
  if (issues.length > 0) {
    throw new AppError('validation_failed', issues.map((i) => i.message).join('; '), issues);
  }
  for (const rule of rules) {
    await tx
      .insert(retentionRules)
      .values({ orgId, category: rule.category, days: rule.days })
      .onConflictDoUpdate({
        target: [retentionRules.orgId, retentionRules.category],
        set: { days: rule.days, updatedAt: sql`now()` },
      });
    await recordAudit(tx, keyring, orgId, actor, {
      action: 'privacy.retention.updated',
      targetType: 'retention_category',
      targetId: rule.category,
      metadata: { category: rule.category, days: rule.days },
    });
  }
  return readRetention(tx, orgId);
}

export type CapInput = { category: ExpiringCategory; maxDays: number | null };

/** The caps one setter (a reseller or the platform) placed on an org. */
export async function readCapsSetBy(
  tx: Tx,
  orgId: string,
  setByOrgId: string,
): Promise<{ category: ExpiringCategory; maxDays: number | null }[]> {
  const rows = await tx
    .select()
    .from(retentionCaps)
    .where(and(eq(retentionCaps.orgId, orgId), eq(retentionCaps.setByOrgId, setByOrgId)));
  return expiringCategories.map((category) => ({
    category,
    maxDays: rows.find((r) => r.category === category)?.maxDays ?? null,
  }));
}

/**
 * Sets (or, with null, removes) caps on a client org. A cap below the org's current rule takes
 * effect at once (the effective period is the minimum); the rule itself is left as it is.
 * Audited in the client org's chain, with the setter as actor.
 */
export async function setRetentionCaps(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  setByOrgId: string,
  actor: Actor,
  caps: CapInput[],
): Promise<{ category: ExpiringCategory; maxDays: number | null }[]> {
  for (const cap of caps) {
    if (cap.maxDays === null) {
      await tx
        .delete(retentionCaps)
        .where(
          and(
            eq(retentionCaps.orgId, orgId),
            eq(retentionCaps.setByOrgId, setByOrgId),
            inArray(retentionCaps.category, [cap.category]),
          ),
        );
    } else {
      await tx
        .insert(retentionCaps)
        .values({ orgId, category: cap.category, setByOrgId, maxDays: cap.maxDays })
        .onConflictDoUpdate({
          target: [retentionCaps.orgId, retentionCaps.category, retentionCaps.setByOrgId],
          set: { maxDays: cap.maxDays, updatedAt: sql`now()` },
        });
    }
    await recordAudit(tx, keyring, orgId, actor, {
      action: 'privacy.retention.limit_set',
      targetType: 'retention_category',
      targetId: cap.category,
      metadata: { category: cap.category, maxDays: cap.maxDays, setByOrgId },
    });
  }
  return readCapsSetBy(tx, orgId, setByOrgId);
}
