import type { UsageDay } from '@confidant/contract';

export type UsageSummary = {
  conversations: number;
  handoffs: number;
  resolvedWithoutPerson: number;
  /** resolvedWithoutPerson / conversations, or null with no conversation. */
  resolvedShare: number | null;
  /** The median of the days' medians (days with an answered handoff), or null. */
  medianFirstResponseSeconds: number | null;
  tokens: number;
};

export function summarize(days: UsageDay[]): UsageSummary {
  const sum = (pick: (d: UsageDay) => number) => days.reduce((total, d) => total + pick(d), 0);
  const conversations = sum((d) => d.conversations);
  const resolvedWithoutPerson = sum((d) => d.resolvedWithoutPerson);
  const medians = days
    .map((d) => d.medianFirstResponseSeconds)
    .filter((m): m is number => m !== null)
    .sort((a, b) => a - b);
  const mid = Math.floor(medians.length / 2);
  return {
    conversations,
    handoffs: sum((d) => d.handoffs),
    resolvedWithoutPerson,
    resolvedShare: conversations > 0 ? resolvedWithoutPerson / conversations : null,
    medianFirstResponseSeconds:
      medians.length === 0
        ? null
        : medians.length % 2
          ? medians[mid]!
          : (medians[mid - 1]! + medians[mid]!) / 2,
    tokens: sum((d) => d.tokensIn + d.tokensOut),
  };
}

/** "45 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${Math.floor(s / 3600)} h`;
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number) => numberFormat.format(n);

const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact' });
export const formatCompact = (n: number) => compactFormat.format(n);

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
/** A UTC calendar day ("2026-11-29") as "Nov 29". */
export const formatDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

const usdFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const smallUsdFormat = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 2,
});
/** "$12.34"; amounts under a cent keep two significant digits ("$0.00054") rather than "$0.00". */
export const formatUsd = (usd: number) =>
  usd > 0 && usd < 0.01 ? smallUsdFormat.format(usd) : usdFormat.format(usd);

const minutesFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
/**
 * Seconds of audio as minutes: "12.5 min", "1,204 min"; under a minute in seconds ("45 s") so a
 * few seconds of voice do not read as "0 min".
 */
export function formatAudioMinutes(seconds: number): string {
  if (seconds <= 0) return '0 min';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${minutesFormat.format(seconds / 60)} min`;
}
