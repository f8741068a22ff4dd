import { describe, expect, it } from 'vitest';
import { backoffDelay } from './live-events.js';
import { systemLineText } from './system-lines.js';
import { refreshDelay, tokenExpiresAt } from './visitor-token.js';

const tokenExpiringAt = (seconds: number) =>
  `h.${btoa(JSON.stringify({ exp: seconds }))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')}.s`;

describe('live stream helpers', () => {
  it('backs off exponentially to 30 s, with jitter in [50%, 100%] of the ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(1_000);
    expect(backoffDelay(3, () => 1)).toBe(8_000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
    expect(backoffDelay(20, () => 0)).toBe(15_000);
  });

  it('refreshes a token well before it expires, and never with a negative delay', () => {
    const now = 1_000_000_000_000;
    expect(tokenExpiresAt(tokenExpiringAt(now / 1000 + 3600))).toBe(now + 3_600_000);
    expect(refreshDelay(tokenExpiringAt(now / 1000 + 3600), now)).toBe(2_880_000);
    expect(refreshDelay(tokenExpiringAt(now / 1000 + 60), now)).toBe(30_000);
    expect(refreshDelay(tokenExpiringAt(now / 1000 - 5), now)).toBe(0);
    expect(refreshDelay('not-a-token', now)).toBeUndefined();
  });

  it('words system lines by the operator name, and says nothing for waiting', () => {
    expect(systemLineText('claimed', 'Olga')).toBe("You're now chatting with Olga");
    expect(systemLineText('assigned', undefined)).toBe("You're now chatting with a person from our team");
    expect(systemLineText('handed_back', undefined)).toBe('The assistant is back');
    expect(systemLineText('closed', undefined)).toBe('This conversation was closed');
    expect(systemLineText('reopened', undefined)).toBe('This conversation was reopened');
    expect(systemLineText('waiting', undefined)).toBeNull();
  });
});
