import { eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { memberships, usageNotices, users } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { recordAudit } from '../audit/service.js';
import { insertNotifications, type NewNotification } from '../notifications/queue.js';
import { hasSlackWebhook } from '../notifications/settings.js';
import { currentWatch, monthOf, noteMessages, percentOf, rememberCheck, THRESHOLDS } from './quota-watch.js';
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
  const month = monthOf(now);
  const { effective } = await readLimits(tx, orgId);
  const report = await usageReport(
    tx,
    orgId,
    { from: `${month}-01`, to: now.toISOString().slice(0, 10) },
    'day',
  );
  const t = report.totals;
  const used = { messages: t.messages ?? 0, tokens: t.tokensIn + t.tokensOut, costUsd: t.costUsd ?? 0 };
  return { month, used, limits: effective, percent: percentOf(used, effective) };
}

export type QuotaDeps = { database: Database; keyring: Keyring };

/**
 * Whether the org's month is past 100% of a limit (then answers do not call the model: the
 * extractive answerer answers, and an explicit model call is a 429 quota_exceeded; voice turns
 * neither transcribe nor speak (conversations/voice/speech-port.ts); call analysis pauses
 * (calls/pipeline/process-call.ts)). Called before every model call and after every answered
 * visitor message, whatever the agent's mode, so an org whose agents answer extractively is told
 * too; past 100% such an org keeps being answered.
 *
 * Cheap on purpose (quota-watch.ts): most calls read only this process's memory; a full check —
 * the limits, the month's usage, and the admins notified once per threshold (80, 100) per month
 * (the usage_notices row is the "once", inserted in the same transaction as the notifications
 * and the audit entry) — runs when a threshold may have been crossed or the watch is stale.
 */
export async function checkModelQuota(
  deps: QuotaDeps,
  orgId: string,
  now = new Date(),
  /** Always a full check (the database's truth, not this process's watch): long jobs (calls). */
  options: { fresh?: boolean } = {},
): Promise<{ exceeded: boolean }> {
  const known = options.fresh ? undefined : currentWatch(orgId, now);
  if (known) return { exceeded: known.percent !== null && known.percent >= 100 };
  return withTenant(deps.database, [orgId], async (tx) => {
    // An org without limits, the common case, costs one indexed read (once per refresh).
    const { effective } = await readLimits(tx, orgId);
    if (Object.values(effective).every((v) => v === null)) {
      rememberCheck(orgId, now, {
        limits: effective,
        used: { messages: 0, tokens: 0, costUsd: 0 },
        percent: null,
      });
      return { exceeded: false };
    }
    const usage = await monthUsage(tx, orgId, now);
    rememberCheck(orgId, now, usage);
    if (usage.percent === null) return { exceeded: false };
    for (const threshold of THRESHOLDS) {
      if (usage.percent >= threshold) await noticeOnce(tx, deps.keyring, orgId, usage, threshold);
    }
    return { exceeded: usage.percent >= 100 };
  });
}

/**
 * After an answer was stored (the visitor's message and the answer: two messages): counts them
 * towards the month and checks the thresholds, so crossing monthlyMessages is announced whatever
 * the agent's answer mode.
 */
export async function checkQuotaAfterAnswer(deps: QuotaDeps, orgId: string): Promise<void> {
  noteMessages(orgId, 2);
  await checkModelQuota(deps, orgId);
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
