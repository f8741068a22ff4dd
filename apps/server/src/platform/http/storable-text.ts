import type { ProblemIssue } from '../errors.js';

/**
 * Text PostgreSQL can store. `text` and `jsonb` refuse NUL (22021, 22P05) and `jsonb` refuses a
 * UTF-16 surrogate that is not half of a pair (22P02); JSON and query strings can carry both
 * (`"\u0000"`, `"\ud800"`, `%00`). Input holding either is refused at the edge, so it never
 * reaches a statement and a rejected request writes nothing.
 */

export const NUL_MESSAGE = 'must not contain NUL characters';
export const SURROGATE_MESSAGE = 'must not contain unpaired UTF-16 surrogates';

/** With the `u` flag a paired surrogate is one code point, so only unpaired halves match. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export const hasNoNul = (value: string) => !value.includes('\u0000');
export const hasNoUnpairedSurrogate = (value: string) => !UNPAIRED_SURROGATE.test(value);

/** Why `value` cannot be stored, or null when it can. */
export function unstorableReason(value: string): string | null {
  if (!hasNoNul(value)) return NUL_MESSAGE;
  if (!hasNoUnpairedSurrogate(value)) return SURROGATE_MESSAGE;
  return null;
}

/** At most this many issues are reported: enough to fix the request, bounded for a hostile one. */
const MAX_ISSUES = 10;

/**
 * Every string (values and field names) in a parsed JSON value that cannot be stored, with its
 * path from `root` (e.g. `body.starters.0`). Iterative: a deeply nested body that JSON.parse
 * accepted cannot overflow the stack here.
 */
export function unstorableStrings(value: unknown, root: string): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) issues.push({ path, message: reason });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: `${path}.${i}` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const reason = unstorableReason(key);
        // The key itself is not echoed: it is the unstorable text.
        if (reason) issues.push({ path, message: `field names ${reason}` });
        else pending.push({ value: child, path: `${path}.${key}` });
      }
    }
  }
  return issues.slice(0, MAX_ISSUES);
}
