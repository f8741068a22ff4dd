import { describe, expect, it } from 'vitest';
import { EphemeralTranscripts } from './ephemeral-transcripts.js';

/** The in-memory store's invariants: keyed per org and conversation, bounded, dropped, expiring. */
describe('ephemeral transcripts', () => {
  const held = (text: string) => ({ text, citations: [] });

  it('returns text only for the same org, conversation and message', () => {
    const store = new EphemeralTranscripts();
    store.hold('org-a', 'c1', 'm1', held('hello'));
    expect(store.get('org-a', 'c1', 'm1')?.text).toBe('hello');
    expect(store.get('org-b', 'c1', 'm1')).toBeUndefined();
    expect(store.get('org-a', 'c2', 'm1')).toBeUndefined();
  });

  it('forgets a conversation when it is dropped (closed)', () => {
    const store = new EphemeralTranscripts();
    store.hold('o', 'c1', 'm1', held('a'));
    store.hold('o', 'c2', 'm1', held('b'));
    store.drop('o', 'c1');
    expect(store.get('o', 'c1', 'm1')).toBeUndefined();
    expect(store.get('o', 'c2', 'm1')?.text).toBe('b');
  });

  it('keeps at most maxMessages per conversation, oldest dropped first', () => {
    const store = new EphemeralTranscripts({ maxMessages: 2 });
    for (const id of ['m1', 'm2', 'm3']) store.hold('o', 'c', id, held(id));
    expect(store.get('o', 'c', 'm1')).toBeUndefined();
    expect(store.get('o', 'c', 'm3')?.text).toBe('m3');
  });

  it('drops the least recently active conversations beyond maxChars', () => {
    const store = new EphemeralTranscripts({ maxChars: 10 });
    store.hold('o', 'old', 'm', held('12345'));
    store.hold('o', 'new', 'm', held('12345'));
    store.hold('o', 'old', 'm2', held('1')); // "old" is active again: "new" is now the oldest
    store.hold('o', 'third', 'm', held('1234'));
    expect(store.get('o', 'new', 'm')).toBeUndefined();
    expect(store.get('o', 'old', 'm2')?.text).toBe('1');
    expect(store.get('o', 'third', 'm')?.text).toBe('1234');
  });

  it('expires a conversation after idleMs without a new message', () => {
    let now = 0;
    const store = new EphemeralTranscripts({ idleMs: 1000, now: () => now });
    store.hold('o', 'idle', 'm', held('x'));
    now = 600;
    store.hold('o', 'busy', 'm', held('y'));
    now = 1200;
    expect(store.get('o', 'idle', 'm')).toBeUndefined();
    expect(store.get('o', 'busy', 'm')?.text).toBe('y');
    expect(store.conversations).toBe(1);
  });
});
