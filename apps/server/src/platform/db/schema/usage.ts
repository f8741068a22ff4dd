import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, orgId, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/**
 * Monthly usage limits of an organization, one row per setter: the org's own admins
 * (set_by_org_id = org_id) and each reseller/platform above it (a cap). The effective limit of a
 * measure is the minimum over the rows; null means "no limit" from that setter.
 */
export const usageLimits = pgTable(
  'usage_limits',
  {
    orgId: orgId(),
    setByOrgId: uuid('set_by_org_id').notNull(),
    monthlyMessages: integer('monthly_messages'),
    monthlyTokens: integer('monthly_tokens'),
    monthlyCostUsd: doublePrecision('monthly_cost_usd'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.setByOrgId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check(
      'usage_limits_positive_check',
      sql`coalesce(${t.monthlyMessages}, 1) > 0 and coalesce(${t.monthlyTokens}, 1) > 0 and coalesce(${t.monthlyCostUsd}, 1) > 0`,
    ),
  ],
);

/**
 * The usage thresholds (80, 100 percent) an organization's admins were told about, per UTC month:
 * the row is inserted before notifying, so each threshold is announced once a month.
 */
export const usageNotices = pgTable(
  'usage_notices',
  {
    orgId: orgId(),
    month: text('month').notNull(),
    threshold: integer('threshold').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.month, t.threshold] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('usage_notices_threshold_check', sql`${t.threshold} in (80, 100)`),
  ],
);
