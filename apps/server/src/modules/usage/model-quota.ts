import { eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { memberships, usageNotices, users } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { recordAudit } from '../audit/service.js';
import { insertNotifications, type NewNotification } from '../notifications/queue.js';
import { hasSlackWebhook } from '../notifications/settings.js';
import { type Limits, readLimits } from './usage-limits.js';
import { usageReport } from './usage-report.js';
import { usageThreshold } from './usage-threshold-notice.js';

/**
 * The month's usage against the effective limits (usage-limits.ts), UTC calendar month.
 * `percent` is the highest share of any limited measure (null: no limit set).
 */
export type MonthUsage = {
  month: string;
  used: { messages: number; tokens: number; costUsd: number };
  limits: Limits;
  percent: number | null;
};

export async function monthUsage(tx: Tx, orgId: string, now = new Date()): Promise<MonthUsage> {
  const month = now.toISOString().slice(0, 7);
  const { effective } = await readLimits(tx, orgId);
  const report = await usageReport(
    tx,
    orgId,
    { from: `${month}-01`, to: now.toISOString().slice(0, 10) },
    'day',
  );
  const t = report.totals;
  const used = { messages: t.messages ?? 0, tokens: t.tokensIn + t.tokensOut, costUsd: t.costUsd ?? 0 };
  const shares = [
    effective.monthlyMessages === null ? null : used.messages / effective.monthlyMessages,
    effective.monthlyTokens === null ? null : used.tokens / effective.monthlyTokens,
    effective.monthlyCostUsd === null ? null : used.costUsd / effective.monthlyCostUsd,
  ].filter((x): x is number => x !== null);
  const percent = shares.length === 0 ? null : Math.round(Math.max(...shares) * 1000) / 10;
  return { month, used, limits: effective, percent };
}

export type QuotaDeps = { database: Database; keyring: Keyring };

/**
 * Called on the answer path before a model call: whether the org's month is past 100% of a limit
 * (then the caller answers without the model). On the way it notifies the org's admins, once per
 * threshold (80, 100) per month: the usage_notices row is the "once", inserted in the same
 * transaction as the notifications and the audit entry.
 */
export async function checkModelQuota(deps: QuotaDeps, orgId: string): Promise<{ exceeded: boolean }> {
  return withTenant(deps.database, [orgId], async (tx) => {
    // The common case, no limit at all, costs one indexed read.
    const { effective } = await readLimits(tx, orgId);
    if (Object.values(effective).every((v) => v === null)) return { exceeded: false };
    const usage = await monthUsage(tx, orgId);
    if (usage.percent === null) return { exceeded: false };
    for (const threshold of [80, 100] as const) {
      if (usage.percent >= threshold) await noticeOnce(tx, deps.keyring, orgId, usage, threshold);
    }
    return { exceeded: usage.percent >= 100 };
  });
}

async function noticeOnce(tx: Tx, keyring: Keyring, orgId: string, usage: MonthUsage, threshold: 80 | 100) {
  const inserted = await tx
    .insert(usageNotices)
    .values({ orgId, month: usage.month, threshold })
    .onConflictDoNothing()
    .returning({ threshold: usageNotices.threshold });
  if (inserted.length === 0) return;
  const message = usageThreshold({ threshold, month: usage.month, used: usage.used, limits: usage.limits });
  const admins = await tx
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(sql`${memberships.orgId} = ${orgId} and ${memberships.role} in ('owner', 'admin')`)
    .orderBy(users.id);
  const rows: NewNotification[] = admins.map((a) => ({
    ...message,
    channel: 'email',
    recipient: a.email,
    recipientUserId: a.userId,
    conversationId: null,
  }));
  if (await hasSlackWebhook(tx, orgId))
    rows.push({
      ...message,
      channel: 'slack',
      recipient: 'slack',
      recipientUserId: null,
      conversationId: null,
    });
  await insertNotifications(tx, orgId, rows);
  await recordAudit(
    tx,
    keyring,
    orgId,
    { type: 'system', id: null },
    {
      action: 'usage.threshold_reached',
      targetType: 'organization',
      targetId: orgId,
      metadata: { threshold, month: usage.month, notified: rows.length },
    },
  );
}
