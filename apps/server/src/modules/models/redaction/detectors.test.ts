import { describe, expect, it } from 'vitest';
import { detectAddresses } from './detect-address.js';
import { detectCards } from './detect-card.js';
import { detectDatesOfBirth } from './detect-dob.js';
import { detectEmails } from './detect-email.js';
import { detectEntities } from './detect-entities.js';
import { detectIbans } from './detect-iban.js';
import { detectIps } from './detect-ip.js';
import { detectPersons } from './detect-person.js';
import { detectPhones } from './detect-phone.js';
import { detectSsns, ssnValid } from './detect-ssn.js';
import type { EntitySpan } from './entity.js';

const values = (text: string, spans: EntitySpan[]) => spans.map((s) => text.slice(s.start, s.end));
const found = (detect: (t: string) => EntitySpan[], text: string) => values(text, detect(text));

describe('email', () => {
  it('finds addresses with plus tags, subdomains and upper case', () => {
    expect(found(detectEmails, 'mail a.b+x@mail.example.co.uk or JANE@EXAMPLE.COM.')).toEqual([
      'a.b+x@mail.example.co.uk',
      'JANE@EXAMPLE.COM',
    ]);
  });
  it('ignores handles and versions', () => {
    expect(found(detectEmails, 'ping @anna about v1.2@beta or user@localhost')).toEqual([]);
  });
});

describe('phone', () => {
  it('finds national and international formats with extensions', () => {
    const text =
      'US 463-612-6138x036, (415) 555-0134 ext. 22, UK +44 20 7946 0958, 07700 900123, DE +49 (0)89 1234567, FR 06 12 34 56 78, NL 06-12345678, IN +91 98765 43210.';
    expect(found(detectPhones, text)).toEqual([
      '463-612-6138x036',
      '(415) 555-0134 ext. 22',
      '+44 20 7946 0958',
      '07700 900123',
      '+49 (0)89 1234567',
      '06 12 34 56 78',
      '06-12345678',
      '+91 98765 43210',
    ]);
  });
  it('keeps order and tracking numbers, dates, prices and times', () => {
    const text =
      'Order 1002345678, tracking number 940010000000000000, EAN 4006381333931, on 2024-05-17 or 17.05.2024 at 14:30, $1,499.00, version 2.3.1, 1100 lumens';
    expect(found(detectPhones, text)).toEqual([]);
  });
});

describe('payment card', () => {
  it('finds Luhn-valid numbers in common groupings', () => {
    expect(found(detectCards, 'card 4111 1111 1111 1111, amex 3782-822463-10005, 5555555555554444')).toEqual([
      '4111 1111 1111 1111',
      '3782-822463-10005',
      '5555555555554444',
    ]);
  });
  it('ignores Luhn failures and identifiers', () => {
    expect(
      found(detectCards, 'card 4111 1111 1111 1112; tracking JJD4111111111111111; order 4111111111111111'),
    ).toEqual([]);
  });
});

describe('IBAN', () => {
  it('finds IBANs in any case, grouped or compact, followed by words', () => {
    const text = 'to DE89 3704 0044 0532 0130 00 please, or gb82west12345698765432, or nl91ABNA0417164300.';
    expect(found(detectIbans, text)).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'gb82west12345698765432',
      'nl91ABNA0417164300',
    ]);
  });
  it('rejects bad checksums, unknown countries and wrong lengths', () => {
    expect(
      found(detectIbans, 'GB82 WEST 1234 5698 7654 33, ZR802 compatible, DE89 3704 0044 0532 0130'),
    ).toEqual([]);
  });
});

describe('US SSN', () => {
  it('applies the SSA validity rules', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    for (const [a, g, s] of [
      ['000', '12', '3456'],
      ['666', '12', '3456'],
      ['912', '12', '3456'],
      ['123', '00', '3456'],
      ['123', '45', '0000'],
    ])
      expect(ssnValid(a ?? '', g ?? '', s ?? '')).toBe(false);
  });
  it('finds grouped numbers, and bare nine digits only after "SSN"', () => {
    expect(
      found(detectSsns, 'SSN 123-45-6789, 234 56 7890, SSN: 345678901, order 456789012, 666-12-3456'),
    ).toEqual(['123-45-6789', '234 56 7890', '345678901']);
  });
});

describe('IP addresses', () => {
  it('finds IPv4 and IPv6 (compressed, upper case)', () => {
    expect(
      found(detectIps, 'from 192.168.1.20, 2001:db8::8a2e:370:7334 and FE80::1FF:FE23:4567:890A.'),
    ).toEqual(['192.168.1.20', '2001:db8::8a2e:370:7334', 'FE80::1FF:FE23:4567:890A']);
  });
  it('takes an IPv4-mapped IPv6 address whole', () => {
    // The detector also reports the embedded IPv4 address; overlap resolution keeps the whole one.
    expect(found(detectEntities, 'logs show ::ffff:192.0.2.128 and fe80::1.')).toEqual([
      '::ffff:192.0.2.128',
      'fe80::1',
    ]);
  });
  it('ignores versions, out-of-range octets and clock times', () => {
    expect(found(detectIps, 'v1.2.3.4.5, 300.1.1.1, at 14:30:00, ratio 3:2')).toEqual([]);
  });
});

describe('street address', () => {
  it('finds addresses in US, UK, DE, FR, NL and IN formats with postal codes', () => {
    const cases = [
      '1283 Cedar Hill Road, Unit 25, Springfield, IL 62014',
      'Flat 4A, 221B Baker Street, London NW1 6XE',
      'Hauptstraße 12a, 10115 Berlin',
      '12 bis rue de la Paix, 75002 Paris',
      'Keizersgracht 123, 1015 CJ Amsterdam',
      'Flat 4B, 12 MG Road, Bengaluru 560001',
    ];
    for (const address of cases)
      expect(found(detectAddresses, `Ship to ${address}. Thanks`)).toEqual([address]);
  });
  it('leaves a sentence’s full stop out of an address, keeps an abbreviation’s dot', () => {
    expect(found(detectAddresses, 'I live at 42 Baker Street. Thanks')).toEqual(['42 Baker Street']);
    expect(found(detectAddresses, 'Send it to 7 Elm St. please')).toEqual(['7 Elm St.']);
  });
  it('ignores numbers next to ordinary words', () => {
    expect(
      found(detectAddresses, 'I ordered 3 Street Lamps and 12 Road Bikes? No: 2 boxes, 10115 items.'),
    ).toEqual([]);
  });
});

describe('date of birth', () => {
  it('finds dates only in birth context', () => {
    const text =
      'I was born on 12 March 1985. DOB: 03/12/1985. Delivered on 2024-05-17. Geboren am 01.02.1990.';
    expect(found(detectDatesOfBirth, text)).toEqual(['12 March 1985', '03/12/1985', '01.02.1990']);
  });
});

describe('person names', () => {
  it('finds names from context, even names no lexicon knows', () => {
    const text =
      "Hi Marco,\nmy name is Zyxela Quorn and I'm writing about my order. This is Bastiaan de Vries from Acme. Mr. van den Berg said so.\nThanks, Anna";
    expect(found(detectPersons, text)).toEqual(
      expect.arrayContaining(['Marco', 'Zyxela Quorn', 'Bastiaan de Vries', 'Mr. van den Berg', 'Anna']),
    );
  });
  it('finds bare lexicon names with surnames, but not ambiguous words alone', () => {
    expect(found(detectPersons, 'Sabine Müller told me to wait. In May I will mark it.')).toEqual([
      'Sabine Müller',
    ]);
  });
  it('does not turn greetings, sign-offs or labels into people', () => {
    const text =
      "Hi team,\nI'm Not sure. Hello, Order 1234 is late. Thanks\nMobile: 0123\nBest regards, The Support Team";
    expect(found(detectPersons, text)).toEqual([]);
  });
});

describe('person names in running text', () => {
  it('finds a lexicon name after another capitalised word, and skips product and place words', () => {
    expect(found(detectPersons, 'Yesterday Anna Schmidt called.')).toEqual(['Anna Schmidt']);
    expect(
      found(
        detectPersons,
        'The Victoria line was closed. Is the Julia SDK supported?\nThanks!\nSent from my iPhone',
      ),
    ).toEqual([]);
  });
});

describe('overlap resolution', () => {
  it('keeps the longest span, and the more specific kind on ties', () => {
    const text = 'SSN 123-45-6789 and IP 10.0.0.12 and bob@example.com';
    expect(detectEntities(text).map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['SSN', '123-45-6789'],
      ['IP', '10.0.0.12'],
      ['EMAIL', 'bob@example.com'],
    ]);
  });
});
