import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, createStreamRestorer, ibanValid, luhnValid } from './redact.js';

describe('PII redaction', () => {
  it('replaces emails, phone numbers, card numbers and IBANs with stable placeholders', () => {
    const r = createRedactor();
    const out = r.redact(
      'Mail jane.doe+shop@example.co.uk or JANE@EXAMPLE.COM, call +44 20 7946 0958 or (555) 010-2030. ' +
        'Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00. Again: jane.doe+shop@example.co.uk',
    );
    expect(out).toBe(
      'Mail [EMAIL_1] or [EMAIL_2], call [PHONE_1] or [PHONE_2]. ' +
        'Card [CARD_1], IBAN [IBAN_1]. Again: [EMAIL_1]',
    );
    expect(r.count).toBe(7);
    expect(r.restore('Write to [EMAIL_1] about [CARD_1]; [EMAIL_9] is unknown')).toBe(
      'Write to jane.doe+shop@example.co.uk about 4111 1111 1111 1111; [EMAIL_9] is unknown',
    );
  });

  it('keeps numbers that are not personal data', () => {
    const r = createRedactor();
    const text =
      'Order 4111 1111 1111 1112 costs $1,499.00; ships in 3 to 5 days; 25,000 hours; on 2024-05-17; 1100 lumens; GB00 XXXX';
    expect(r.redact(text)).toBe(text);
    expect(r.count).toBe(0);
  });

  it('checks card numbers with Luhn and IBANs with mod 97', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });

  it('restores placeholders split across streamed deltas', () => {
    const r = createRedactor();
    r.redact('me@example.com and +1 555 010 2030');
    const restorer = createStreamRestorer(r);
    const deltas = ['Sent to [', 'EMA', 'IL_1', '] and [PHO', 'NE_1]', ' — see [1] and [', 'note]', ' ['];
    const out = deltas.map((d) => restorer.push(d)).join('') + restorer.flush();
    expect(out).toBe('Sent to me@example.com and +1 555 010 2030 — see [1] and [note] [');
  });

  it('restores any split of a text exactly as restoring it whole', () => {
    const r = createRedactor();
    r.redact('a@b.io c@d.io +1 555 010 2030');
    const text = 'Hi [EMAIL_1], cc [EMAIL_2] [PHONE_1] [EMAIL_3] [1] [EMAIL_';
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const pieces = [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
        const restorer = createStreamRestorer(r);
        const out = pieces.map((p) => restorer.push(p)).join('') + restorer.flush();
        expect(out).toBe(r.restore(text));
      }),
    );
  });
});
