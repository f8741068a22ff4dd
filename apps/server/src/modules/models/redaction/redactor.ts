import { detectEntities } from './detect-entities.js';
import { ENTITY_TYPES, type EntityType } from './entity.js';

/**
 * PII redaction for everything sent to a model provider, and restoration of the placeholders in
 * what comes back.
 *
 * Invariants:
 * - One redactor per model call (a conversation's messages go through the same one): the same
 *   value always gets the same placeholder (`[PERSON_1]` each time "Anna Schmidt" appears), so
 *   the model can refer to it consistently; different values get different numbers.
 * - Restoration maps only placeholders this redactor issued; anything else is left untouched.
 */
export type Redactor = {
  redact(text: string): string;
  /** Replaces this redactor's placeholders in a complete text with the original values. */
  restore(text: string): string;
  /** How many values were replaced so far (occurrences, not distinct values). */
  readonly count: number;
};

const PLACEHOLDER = new RegExp(`\\[(?:${ENTITY_TYPES.join('|')})_\\d+\\]`, 'g');

export function createRedactor(): Redactor {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<EntityType, number>();
  let count = 0;

  const placeholderFor = (type: EntityType, value: string) => {
    const key = `${type}:${value}`;
    let placeholder = byValue.get(key);
    if (!placeholder) {
      const n = (counters.get(type) ?? 0) + 1;
      counters.set(type, n);
      placeholder = `[${type}_${n}]`;
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
    }
    count += 1;
    return placeholder;
  };

  return {
    redact(text) {
      let out = '';
      let at = 0;
      for (const span of detectEntities(text)) {
        out += text.slice(at, span.start) + placeholderFor(span.type, text.slice(span.start, span.end));
        at = span.end;
      }
      return out + text.slice(at);
    },
    restore(text) {
      return text.replace(PLACEHOLDER, (m) => byPlaceholder.get(m) ?? m);
    },
    get count() {
      return count;
    },
  };
}

/** The longest a placeholder can be ("[ADDRESS_" + up to 6 digits + "]"). */
const MAX_PLACEHOLDER = 16;
const PARTIAL_PLACEHOLDER = /\[(?:[A-Z]{0,7}(?:_\d{0,6})?)?$/;

/**
 * Restores placeholders in a stream of text deltas. A placeholder may arrive split across deltas
 * ("[EMA" + "IL_1]"), so a tail that could still grow into one is held back until the next delta
 * (or `flush`) decides it.
 */
export function createStreamRestorer(redactor: Redactor) {
  let pending = '';
  return {
    push(delta: string): string {
      pending += delta;
      const open = pending.lastIndexOf('[');
      let emitUpTo = pending.length;
      if (
        open !== -1 &&
        pending.length - open < MAX_PLACEHOLDER &&
        PARTIAL_PLACEHOLDER.test(pending.slice(open))
      ) {
        emitUpTo = open;
      }
      const out = redactor.restore(pending.slice(0, emitUpTo));
      pending = pending.slice(emitUpTo);
      return out;
    },
    flush(): string {
      const out = redactor.restore(pending);
      pending = '';
      return out;
    },
  };
}
