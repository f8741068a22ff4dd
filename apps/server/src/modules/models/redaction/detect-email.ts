import type { EntitySpan } from './entity.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function detectEmails(text: string): EntitySpan[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    type: 'EMAIL',
    start: m.index,
    end: m.index + m[0].length,
  }));
}
