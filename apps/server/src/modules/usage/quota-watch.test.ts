import { describe, expect, it } from 'vitest';
import {
  currentWatch,
  forgetQuota,
  noteMessages,
  noteModelUsage,
  percentOf,
  REFRESH_MS,
  rememberCheck,
} from './quota-watch.js';
import { NO_LIMITS } from './usage-limits.js';

/** When the quota check may answer from memory, and when it must count again. */
describe('quota watch', () => {
  const at = (iso: string) => new Date(iso);
  const limits = { ...NO_LIMITS, monthlyMessages: 100, monthlyTokens: 10_000 };

  it('answers from the last full check until what this process added reaches the next threshold', () => {
    const org = 'org-a';
    const now = at('2026-11-10T10:00:00Z');
    expect(currentWatch(org, now)).toBeUndefined();
    rememberCheck(org, now, { limits, used: { messages: 70, tokens: 0, costUsd: 0 }, percent: 70 });
    expect(currentWatch(org, now)).toEqual(expect.objectContaining({ percent: 70 }));
    noteMessages(org, 8);
    expect(currentWatch(org, now)).toBeDefined();
    noteMessages(org, 2); // 80 of 100 messages: 80% may have been crossed
    expect(currentWatch(org, now)).toBeUndefined();

    rememberCheck(org, now, { limits, used: { messages: 80, tokens: 0, costUsd: 0 }, percent: 80 });
    noteModelUsage(org, { inputTokens: 6000, outputTokens: 3999, costUsd: null });
    expect(currentWatch(org, now)).toBeDefined();
    noteModelUsage(org, { inputTokens: 1, outputTokens: 0, costUsd: 0 }); // 10,000 tokens: 100%
    expect(currentWatch(org, now)).toBeUndefined();
  });

  it('counts again after REFRESH_MS, in a new month, and once the limits changed', () => {
    const org = 'org-b';
    const now = at('2026-11-30T23:59:00Z');
    rememberCheck(org, now, { limits, used: { messages: 1, tokens: 0, costUsd: 0 }, percent: 1 });
    expect(currentWatch(org, new Date(now.getTime() + REFRESH_MS - 1))).toBeDefined();
    expect(currentWatch(org, new Date(now.getTime() + REFRESH_MS))).toBeUndefined();
    expect(currentWatch(org, at('2026-12-01T00:00:00Z'))).toBeUndefined();
    forgetQuota(org);
    expect(currentWatch(org, now)).toBeUndefined();
  });

  it('past 100% and without limits there is no threshold left to watch for', () => {
    const now = at('2026-11-10T10:00:00Z');
    rememberCheck('org-c', now, { limits, used: { messages: 120, tokens: 0, costUsd: 0 }, percent: 120 });
    noteMessages('org-c', 1000);
    expect(currentWatch('org-c', now)).toEqual(expect.objectContaining({ percent: 120 }));
    rememberCheck('org-d', now, {
      limits: NO_LIMITS,
      used: { messages: 0, tokens: 0, costUsd: 0 },
      percent: null,
    });
    noteMessages('org-d', 1000);
    expect(currentWatch('org-d', now)).toEqual(expect.objectContaining({ percent: null }));
    expect(percentOf({ messages: 5, tokens: 9000, costUsd: 0 }, limits)).toBe(90);
    expect(percentOf({ messages: 5, tokens: 9000, costUsd: 0 }, NO_LIMITS)).toBeNull();
  });
});
