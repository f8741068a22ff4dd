import type { WindowDecision } from './sliding-window.js';

/**
 * Where sliding-window counters live: in this process, or in Redis so every server process
 * shares them. Keys arrive already hashed (see limit-key.ts): no address, email or secret is
 * ever stored.
 */
export interface CounterStore {
  /** Counts one hit if it fits within `max` per sliding `windowMs`; says whether it did. */
  hit(key: string, max: number, windowMs: number): Promise<WindowDecision & { allowed: boolean }>;
  /** The state as `hit` would see it, without counting anything. */
  peek(key: string, max: number, windowMs: number): Promise<WindowDecision & { allowed: boolean }>;
  close(): Promise<void>;
}
