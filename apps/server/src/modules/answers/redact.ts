/**
 * PII redaction for everything sent to a model provider, and restoration of the placeholders in
 * what comes back.
 *
 * Invariants:
 * - Within one model call, the same value always gets the same placeholder (`[EMAIL_1]` twice
 *   for one address), so the model can refer to it consistently; different values get different
 *   numbers.
 * - Restoration maps only placeholders this call issued; anything else is left untouched.
 * - Payment card numbers are redacted only when they pass the Luhn check and IBANs only when
 *   they pass the ISO 13616 mod-97 check, so order numbers and prices survive.
 */
export type PiiKind = 'EMAIL' | 'IBAN' | 'CARD' | 'PHONE';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** International or national numbers: optional +CC, optional (area), 7–15 digits in groups. */
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,5}){1,4}(?![\w])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export type Redactor = {
  redact(text: string): string;
  /** Replaces this redactor's placeholders in a complete text with the original values. */
  restore(text: string): string;
  /** How many values were replaced so far (occurrences, not distinct values). */
  readonly count: number;
};

export function createRedactor(): Redactor {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters: Record<PiiKind, number> = { EMAIL: 0, IBAN: 0, CARD: 0, PHONE: 0 };
  let count = 0;

  const placeholderFor = (kind: PiiKind, value: string) => {
    const key = `${kind}:${value}`;
    let placeholder = byValue.get(key);
    if (!placeholder) {
      counters[kind] += 1;
      placeholder = `[${kind}_${counters[kind]}]`;
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
    }
    count += 1;
    return placeholder;
  };

  return {
    redact(text) {
      return text
        .replace(EMAIL, (m) => placeholderFor('EMAIL', m))
        .replace(IBAN, (m) => (ibanValid(m) ? placeholderFor('IBAN', m) : m))
        .replace(CARD, (m) => {
          const digits = m.replace(/\D/g, '');
          return digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
            ? placeholderFor('CARD', m)
            : m;
        })
        .replace(PHONE, (m) => {
          const digits = m.replace(/\D/g, '').length;
          if (digits < 7 || digits > 15 || ISO_DATE.test(m)) return m;
          return placeholderFor('PHONE', m);
        });
    },
    restore(text) {
      return text.replace(/\[(?:EMAIL|IBAN|CARD|PHONE)_\d+\]/g, (m) => byPlaceholder.get(m) ?? m);
    },
    get count() {
      return count;
    },
  };
}

/** The longest a placeholder can be ("[EMAIL_" + up to 6 digits + "]"). */
const MAX_PLACEHOLDER = 14;
const PARTIAL_PLACEHOLDER = /\[(?:[A-Z]{0,5}(?:_\d{0,6})?)?$/;

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
