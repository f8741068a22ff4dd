import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after consecutive failures, closes after the cool-down, and a success resets the count', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ threshold: 3, coolDownMs: 1000, now: () => now });
    breaker.recordFailure('a');
    breaker.recordFailure('a');
    breaker.recordSuccess('a');
    breaker.recordFailure('a');
    breaker.recordFailure('a');
    expect(breaker.isOpen('a')).toBe(false);
    breaker.recordFailure('a');
    expect(breaker.isOpen('a')).toBe(true);
    expect(breaker.isOpen('b')).toBe(false);
    now = 999;
    expect(breaker.isOpen('a')).toBe(true);
    now = 1000;
    expect(breaker.isOpen('a')).toBe(false);
  });
});
