import type { MeteredUsage } from '../models/gateway.js';
import type { Limits } from './usage-limits.js';

/**
 * What this process last learned about each org's month against its limits, so the quota check
 * after every answered message (and before every model call) costs no query most of the time.
 *
 * A full check (usage/model-quota.ts: the limits, the month's usage, the 80%/100% notices) runs
 * when there is no watch yet, the month changed, the watch is older than REFRESH_MS, or what this
 * process added since (messages it stored, tokens and cost it metered) would carry the org across
 * the next threshold (80, then 100). In between, the answer is the last full check's.
 *
 * Why it is enough: the projection counts only what this process caused, so it never runs ahead of
 * the truth; growth it cannot see (operators' replies, other processes, embeddings) is picked up
 * by the refresh. A crossing is therefore noticed at the message that crosses it when one process
 * serves the org, and at most REFRESH_MS (plus one message) late otherwise. Changing the limits
 * forgets the watch (forgetQuota), so a new limit applies to the next message in this process.
 */
export const REFRESH_MS = 60_000;
export const THRESHOLDS = [80, 100] as const;

export type Used = { messages: number; tokens: number; costUsd: number };

type Watch = {
  month: string;
  checkedAt: number;
  limits: Limits;
  used: Used;
  /** Highest share of any limited measure at the last full check, in percent (null: no limit). */
  percent: number | null;
  /** What this process added since the last full check. */
  added: Used;
};

const watches = new Map<string, Watch>();

export const monthOf = (now: Date) => now.toISOString().slice(0, 7);

/**
 * The highest share of any limited measure, in percent, rounded DOWN to one decimal (null: no
 * limit set): 9,999 of 10,000 tokens is 99.9%, so a limit counts as reached only once it is.
 */
export function percentOf(used: Used, limits: Limits): number | null {
  const shares = [
    limits.monthlyMessages === null ? null : used.messages / limits.monthlyMessages,
    limits.monthlyTokens === null ? null : used.tokens / limits.monthlyTokens,
    limits.monthlyCostUsd === null ? null : used.costUsd / limits.monthlyCostUsd,
  ].filter((x): x is number => x !== null);
  // The epsilon absorbs float noise (0.8 * 1000 may be 799.9999…), never a real unit of usage.
  return shares.length === 0 ? null : Math.floor(Math.max(...shares) * 1000 + 1e-9) / 10;
}

/** The last full check's answer when it still holds; undefined: a full check is due. */
export function currentWatch(orgId: string, now: Date): { percent: number | null } | undefined {
  const w = watches.get(orgId);
  if (!w || w.month !== monthOf(now) || now.getTime() - w.checkedAt >= REFRESH_MS) return undefined;
  if (w.percent === null) return w;
  const next = THRESHOLDS.find((t) => (w.percent ?? 0) < t);
  if (next === undefined) return w;
  const projected = percentOf(
    {
      messages: w.used.messages + w.added.messages,
      tokens: w.used.tokens + w.added.tokens,
      costUsd: w.used.costUsd + w.added.costUsd,
    },
    w.limits,
  );
  return projected !== null && projected >= next ? undefined : w;
}

/** Records a full check's result. */
export function rememberCheck(
  orgId: string,
  now: Date,
  check: { limits: Limits; used: Used; percent: number | null },
): void {
  watches.set(orgId, {
    month: monthOf(now),
    checkedAt: now.getTime(),
    ...check,
    added: { messages: 0, tokens: 0, costUsd: 0 },
  });
}

/** Messages this process stored for the org (a visitor message and its answer: 2). */
export function noteMessages(orgId: string, count: number): void {
  const w = watches.get(orgId);
  if (w) w.added.messages += count;
}

/** A model call this process metered for the org (called by the gateway through onMetered). */
export function noteModelUsage(orgId: string, usage: MeteredUsage): void {
  const w = watches.get(orgId);
  if (!w) return;
  w.added.tokens += usage.inputTokens + usage.outputTokens;
  w.added.costUsd += usage.costUsd ?? 0;
}

/** The org's limits changed: the next check is a full one. */
export function forgetQuota(orgId: string): void {
  watches.delete(orgId);
}
