import { describe, expect, it } from 'vitest';
import { createRedactor, createStreamRestorer } from './redactor.js';

describe('typed placeholders', () => {
  it('numbers each kind separately and reuses placeholders for the same value across messages', () => {
    const r = createRedactor();
    const first = r.redact('Hi, my name is Anna Schmidt, mail anna@example.de, born on 12 March 1985.');
    const second = r.redact(
      'Anna Schmidt again: anna@example.de, ship to Hauptstraße 12, 10115 Berlin. Thanks, Marco',
    );
    expect(first).toBe('Hi, my name is [PERSON_1], mail [EMAIL_1], born on [DOB_1].');
    expect(second).toBe('[PERSON_1] again: [EMAIL_1], ship to [ADDRESS_1]. Thanks, [PERSON_2]');
    expect(r.count).toBe(7);
    expect(r.restore('Dear [PERSON_1], we ship to [ADDRESS_1] ([PERSON_3] unknown).')).toBe(
      'Dear Anna Schmidt, we ship to Hauptstraße 12, 10115 Berlin ([PERSON_3] unknown).',
    );
  });

  it('restores the longest placeholder split across stream deltas', () => {
    const r = createRedactor();
    r.redact('Ship to 1283 Cedar Hill Road, Springfield, IL 62014 for 10.0.0.1');
    const restorer = createStreamRestorer(r);
    const out =
      ['To [ADDR', 'ESS_', '1] from [I', 'P_1]', ' [x'].map((d) => restorer.push(d)).join('') +
      restorer.flush();
    expect(out).toBe('To 1283 Cedar Hill Road, Springfield, IL 62014 from 10.0.0.1 [x');
  });
});
