/**
 * Deterministic generator for the redaction evaluation set (seeded PRNG: the same seed always
 * writes the same files, which are committed). Support-chat style messages in the formats of
 * six locales, every personal value labelled with its character offsets, plus a negative set of
 * messages full of order/tracking numbers, prices, dates, times and product codes that must
 * survive redaction. The first round of templates was written together with the detectors; a
 * second round ("Added in the second round…", NAMED_NEGATIVE_TPL, the second-round address forms)
 * was written in phrasings and formats the detectors were not built around, to keep the split from
 * being trivially aligned with them.
 *
 *   npx tsx bench/redaction-eval/generate.ts   → labelled/dev.jsonl, labelled/test.jsonl
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CITIES, DEV_FIRST, LOCALES, type Locale, STREET_NAMES, SURNAMES, TEST_FIRST } from './names.js';

export type GoldType = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'SSN' | 'IP' | 'ADDRESS' | 'DOB' | 'PERSON';
export type Gold = { type: GoldType; start: number; end: number };
export type Message = { id: string; locale: Locale; text: string; entities: Gold[] };
export type Split = { positive: Message[]; negative: Message[] };

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(
    readonly rand: () => number,
    readonly firstNames: Record<Locale, string[]>,
  ) {}
  int(lo: number, hi: number) {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }
  chance(p: number) {
    return this.rand() < p;
  }
  digits(n: number) {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

/** Builds a message while recording where each labelled value lands. */
class Builder {
  text = '';
  entities: Gold[] = [];
  t(s: string) {
    this.text += s;
    return this;
  }
  e(type: GoldType, value: string) {
    this.entities.push({ type, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }
}

// ---------- value generators ----------

function firstName(g: Gen, l: Locale) {
  return g.pick(g.firstNames[l]);
}
function fullName(g: Gen, l: Locale) {
  return `${firstName(g, l)} ${g.pick(SURNAMES[l])}`;
}
function ascii(s: string) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
function email(g: Gen, l: Locale) {
  const f = ascii(firstName(g, l));
  const s = ascii(g.pick(SURNAMES[l]));
  const domains = {
    US: ['gmail.com', 'yahoo.com', 'acme-corp.com'],
    UK: ['btinternet.com', 'example.co.uk', 'outlook.com'],
    DE: ['web.de', 'gmx.de', 't-online.de'],
    FR: ['orange.fr', 'free.fr', 'laposte.net'],
    NL: ['ziggo.nl', 'kpnmail.nl', 'xs4all.nl'],
    IN: ['rediffmail.com', 'gmail.com', 'infosys.co.in'],
  }[l];
  const local = g.pick([
    `${f}.${s}`,
    `${f}${s}${g.int(1, 99)}`,
    `${f[0]}.${s}`,
    `${f}_${s}`,
    `${f}+orders`,
    `${s}.${f}`,
  ]);
  const v = `${local}@${g.pick(domains)}`;
  return g.chance(0.1) ? v.toUpperCase() : v;
}
function phone(g: Gen, l: Locale) {
  const d = (n: number) => g.digits(n);
  const nz = () => String(g.int(2, 9));
  const ext = () => g.pick([`x${d(3)}`, ` ext. ${d(2)}`, ` ext ${d(3)}`, ` x${d(4)}`]);
  const forms: Record<Locale, Array<() => string>> = {
    US: [
      () => `(${nz()}${d(2)}) ${nz()}${d(2)}-${d(4)}`,
      () => `${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`,
      () => `${nz()}${d(2)}.${nz()}${d(2)}.${d(4)}`,
      () => `+1 ${nz()}${d(2)} ${nz()}${d(2)} ${d(4)}`,
      () => `+1-${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`,
      () => `${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}${ext()}`,
      () => `(${nz()}${d(2)}) ${nz()}${d(2)}-${d(4)}${ext()}`,
      () => `1-800-${nz()}${d(2)}-${d(4)}`,
    ],
    UK: [
      () => `+44 20 ${nz()}${d(3)} ${d(4)}`,
      () => `020 ${nz()}${d(3)} ${d(4)}`,
      () => `07${d(3)} ${d(6)}`,
      () => `+44 7${d(3)} ${d(6)}`,
      () => `0161 ${nz()}${d(2)} ${d(4)}`,
      () => `+44 (0)113 ${nz()}${d(2)} ${d(4)}`,
      () => `020 ${nz()}${d(3)} ${d(4)}${ext()}`,
    ],
    DE: [
      () => `+49 30 ${nz()}${d(7)}`,
      () => `030 ${nz()}${d(6)}`,
      () => `+49 (0)89 ${nz()}${d(6)}`,
      () => `0151 ${d(8)}`,
      () => `+49 151 ${d(8)}`,
      () => `040-${nz()}${d(6)}`,
      () => `+49 221 ${nz()}${d(5)}-${d(2)}`,
    ],
    FR: [
      () => `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
      () => `01 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
      () => `06 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
      () => `+33 6 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
      () => `06.${d(2)}.${d(2)}.${d(2)}.${d(2)}`,
      () => `+33 (0)4 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    ],
    NL: [
      () => `+31 20 ${nz()}${d(2)} ${d(4)}`,
      () => `020-${nz()}${d(6)}`,
      () => `06-${nz()}${d(7)}`,
      () => `+31 6 ${nz()}${d(7)}`,
      () => `010 ${nz()}${d(2)} ${d(2)} ${d(2)}`,
      () => `+31 (0)30 ${nz()}${d(6)}`,
    ],
    IN: [
      () => `+91 9${d(4)} ${d(5)}`,
      () => `+91-9${d(9)}`,
      () => `09${d(4)} ${d(5)}`,
      () => `9${d(4)} ${d(5)}`,
      () => `+91 80 ${nz()}${d(3)} ${d(4)}`,
      () => `022-${nz()}${d(7)}`,
    ],
  };
  return g.pick(forms[l])();
}
function luhnComplete(g: Gen, prefix: string, length: number) {
  let body = prefix + g.digits(length - prefix.length - 1);
  for (let c = 0; c <= 9; c++) {
    const candidate = body + c;
    let sum = 0;
    let dbl = false;
    for (let i = candidate.length - 1; i >= 0; i--) {
      let x = candidate.charCodeAt(i) - 48;
      if (dbl) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
      dbl = !dbl;
    }
    if (sum % 10 === 0) return candidate;
  }
  body = '';
  return body;
}
function card(g: Gen) {
  const kind = g.pick(['visa', 'visa', 'mc', 'amex', 'disc']);
  const num =
    kind === 'visa'
      ? luhnComplete(g, '4', 16)
      : kind === 'mc'
        ? luhnComplete(g, `5${g.int(1, 5)}`, 16)
        : kind === 'amex'
          ? luhnComplete(g, g.pick(['34', '37']), 15)
          : luhnComplete(g, '6011', 16);
  const sep = g.pick([' ', '-', '', ' ']);
  if (num.length === 15) return [num.slice(0, 4), num.slice(4, 10), num.slice(10)].join(sep);
  return num.match(/.{4}/g)?.join(sep) ?? num;
}
function mod97(s: string) {
  let r = 0;
  for (const ch of s) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const x of v) r = (r * 10 + Number(x)) % 97;
  }
  return r;
}
function iban(g: Gen) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const L = (n: number) => Array.from({ length: n }, () => g.pick([...letters])).join('');
  const [cc, bban] = g.pick<[string, () => string]>([
    ['DE', () => g.digits(18)],
    ['GB', () => L(4) + g.digits(14)],
    ['FR', () => g.digits(10) + g.digits(11) + g.digits(2)],
    ['NL', () => L(4) + g.digits(10)],
    ['ES', () => g.digits(20)],
    ['IT', () => L(1) + g.digits(10) + g.digits(12)],
    ['BE', () => g.digits(12)],
  ]);
  const b = bban();
  const check = String(98 - mod97(`${b}${cc}00`)).padStart(2, '0');
  let v = `${cc}${check}${b}`;
  if (g.chance(0.6)) v = v.match(/.{1,4}/g)?.join(' ') ?? v;
  const c = g.rand();
  if (c < 0.2) v = v.toLowerCase();
  else if (c < 0.3) v = v.slice(0, 2).toLowerCase() + v.slice(2);
  return v;
}
function ssn(g: Gen) {
  let area = g.int(1, 899);
  if (area === 666) area = 667;
  const a = String(area).padStart(3, '0');
  const b = String(g.int(1, 99)).padStart(2, '0');
  const c = String(g.int(1, 9999)).padStart(4, '0');
  return g.chance(0.8) ? `${a}-${b}-${c}` : `${a} ${b} ${c}`;
}
function ip(g: Gen) {
  if (g.chance(0.5)) return [g.int(1, 223), g.int(0, 255), g.int(0, 255), g.int(1, 254)].join('.');
  const h = () => g.int(0, 0xffff).toString(16);
  return g.pick([
    () => Array.from({ length: 8 }, h).join(':'),
    () => `2001:db8:${h()}:${h()}::${h()}`,
    () => `fe80::${h()}:${h()}:${h()}:${h()}`,
    () => `2a02:${h()}:${h()}::${h()}`,
    () => Array.from({ length: 8 }, h).join(':').toUpperCase(),
  ])();
}
function address(g: Gen, l: Locale) {
  const [city, state] = g.pick(CITIES[l]);
  const street = g.pick(STREET_NAMES[l]);
  const n = g.int(1, 2400);
  // Second-round forms the detectors were not written around: PO boxes, directions, other unit
  // spellings, German "Am …" streets, Dutch floor suffixes, French "bis" with "cedex", Indian
  // building names.
  if (g.chance(0.25)) {
    switch (l) {
      case 'US':
        return g.pick([
          `PO Box ${g.int(10, 9999)}, ${city}, ${state} ${g.digits(5)}`,
          `${n} ${street} Ave NW, ${city}, ${state} ${g.digits(5)}`,
          `${n} ${street} St #${g.int(1, 900)}, ${city}, ${state} ${g.digits(5)}`,
        ]);
      case 'UK':
        return g.pick([
          `${g.int(1, 200)} ${street} Crescent, ${city} ${g.pick(['LS', 'M', 'BS'])}${g.int(1, 20)} ${g.int(1, 9)}${g.pick(['AB', 'QT'])}`,
          `Flat ${g.int(1, 30)}, ${street} House, ${g.int(1, 99)} ${street} Road, ${city}`,
        ]);
      case 'DE':
        return g.pick([
          `Am ${street}berg ${g.int(1, 90)}, ${g.digits(5)} ${city}`,
          `${street}ring ${g.int(1, 90)}b, ${g.digits(5)} ${city}`,
        ]);
      case 'FR':
        return `${g.int(1, 90)} ${g.pick(['bis ', ''])}${g.pick(['allée', 'impasse', 'chemin'])} ${street}, ${g.digits(5)} ${city}`;
      case 'NL':
        return `${street}kade ${g.int(1, 300)}-${g.pick(['II', 'III', 'hs'])}, ${g.int(1000, 9999)} ${g.pick(['AB', 'KL'])} ${city}`;
      case 'IN':
        return `${g.pick(['A', 'B', 'C'])}-${g.int(101, 904)}, ${street} Heights, ${g.int(1, 60)} ${street} Nagar, ${city} ${g.int(400001, 600099)}`;
    }
  }
  switch (l) {
    case 'US': {
      const base = `${n} ${street} ${g.pick(['Street', 'St.', 'Avenue', 'Ave', 'Road', 'Drive', 'Blvd', 'Lane', 'Court'])}`;
      const unit = g.chance(0.3)
        ? `, ${g.pick(['Apt', 'Suite', 'Unit'])} ${g.int(1, 40)}${g.pick(['', 'B'])}`
        : '';
      return `${base}${unit}, ${city}, ${state} ${g.digits(5)}${g.chance(0.2) ? `-${g.digits(4)}` : ''}`;
    }
    case 'UK': {
      const pc = `${g.pick(['NW', 'SW', 'E', 'M', 'LS', 'BS', 'G', 'CF'])}${g.int(1, 20)} ${g.int(1, 9)}${g.pick(['AB', 'XE', 'QT', 'HN', 'PZ'])}`;
      const unit = g.chance(0.3) ? `Flat ${g.int(1, 12)}${g.pick(['', 'A'])}, ` : '';
      return `${unit}${g.int(1, 300)}${g.pick(['', 'B'])} ${street} ${g.pick(['Street', 'Road', 'Lane', 'Close', 'Gardens', 'Terrace'])}, ${city} ${pc}`;
    }
    case 'DE': {
      const s = g.pick([
        `${street}straße`,
        `${street}str.`,
        `${street}weg`,
        `${street}allee`,
        `${street}platz`,
      ]);
      return `${s} ${g.int(1, 180)}${g.pick(['', '', 'a'])}, ${g.digits(5)} ${city}`;
    }
    case 'FR':
      return `${g.int(1, 150)}${g.pick(['', ' bis'])} ${g.pick(['rue', 'avenue', 'boulevard', 'place'])} ${street}, ${g.digits(5)} ${city}`;
    case 'NL': {
      const s = g.pick([
        `${street}gracht`,
        `${street}straat`,
        `${street}weg`,
        `${street}laan`,
        `${street}plein`,
      ]);
      return `${s} ${g.int(1, 500)}${g.pick(['', '', 'A', '-2'])}, ${g.int(1000, 9999)} ${g.pick(['AB', 'CJ', 'KL', 'XR'])} ${city}`;
    }
    case 'IN':
      return `${g.chance(0.4) ? `Flat ${g.int(1, 20)}${g.pick(['A', 'B', 'C'])}, ` : ''}${g.int(1, 120)} ${street} Road, ${city} ${g.int(400001, 600099)}`;
  }
}
function dob(g: Gen, l: Locale) {
  const y = g.int(1940, 2005);
  const m = g.int(1, 12);
  const d = g.int(1, 28);
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const p = (x: number) => String(x).padStart(2, '0');
  if (l === 'US')
    return g.pick([`${p(m)}/${p(d)}/${y}`, `${months[m - 1]} ${d}, ${y}`, `${y}-${p(m)}-${p(d)}`]);
  if (l === 'DE') return g.pick([`${p(d)}.${p(m)}.${y}`, `${d}. ${months[m - 1]} ${y}`.replace('. ', ' ')]);
  return g.pick([
    `${p(d)}/${p(m)}/${y}`,
    `${d} ${months[m - 1]} ${y}`,
    `${p(d)}-${p(m)}-${y}`,
    `${y}-${p(m)}-${p(d)}`,
  ]);
}

// ---------- non-personal filler (appears in positives and negatives) ----------

function orderNo(g: Gen) {
  return g.pick([
    `#${g.int(10000, 999999)}`,
    `A-${g.digits(6)}`,
    g.digits(g.int(7, 12)),
    `ORD-${g.int(2019, 2026)}-${g.digits(5)}`,
    `${g.digits(3)}-${g.digits(7)}-${g.digits(7)}`,
  ]);
}
function trackingNo(g: Gen) {
  return g.pick([
    `1Z${g.digits(3)}${'ABCDEFGHJKLMNPRSTUVWXYZ'[g.int(0, 22)]}${g.pick(['A', 'W', 'X'])}${g.digits(11)}`,
    `9400 ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(2)}`,
    `${g.digits(12)}`,
    `JJD${g.digits(18)}`,
    `3S${'ABCDEFGHJKLMNPQRSTUVWXYZ'[g.int(0, 23)]}${g.digits(10)}`,
    `LX${g.digits(9)}NL`,
    g.digits(16),
  ]);
}
function price(g: Gen) {
  const v = g.int(1, 2999);
  const c = g.int(0, 99);
  return g.pick([
    `$${v}.${String(c).padStart(2, '0')}`,
    `€${v},${String(c).padStart(2, '0')}`,
    `£${v}`,
    `₹${v * 80}`,
    `${v},${String(c).padStart(2, '0')} EUR`,
    `USD ${v.toLocaleString('en-US')}.00`,
  ]);
}
function plainDate(g: Gen) {
  const p = (x: number) => String(x).padStart(2, '0');
  return g.pick([
    `${g.int(2023, 2026)}-${p(g.int(1, 12))}-${p(g.int(1, 28))}`,
    `${p(g.int(1, 28))}.${p(g.int(1, 12))}.${g.int(2023, 2026)}`,
    `${p(g.int(1, 12))}/${p(g.int(1, 28))}/${g.int(2023, 2026)}`,
    `March ${g.int(1, 28)}`,
    `${g.int(1, 28)} Nov`,
  ]);
}
function time(g: Gen) {
  return g.pick([
    `${g.int(8, 20)}:${g.pick(['00', '15', '30', '45'])}`,
    `${g.int(1, 12)}:${g.pick(['00', '30'])} ${g.pick(['am', 'pm', 'PM'])}`,
    `${g.int(8, 18)}h${g.pick(['00', '30'])}`,
    `${g.int(8, 20)}:${g.pick(['00', '30'])}:00`,
  ]);
}
function productCode(g: Gen) {
  return g.pick([
    `SKU ${g.digits(4)}-${g.digits(3)}-${g.digits(2)}`,
    `XJ-${g.int(100, 9999)}`,
    `model ${g.pick(['TX', 'QL', 'ZR'])}${g.int(100, 999)}`,
    `part no. ${g.digits(8)}`,
    `EAN ${g.digits(13)}`,
    `v${g.int(1, 9)}.${g.int(0, 20)}.${g.int(0, 9)}`,
    `item ${g.digits(6)}`,
    `ASIN B0${g.digits(8)}`,
  ]);
}
function ticketNo(g: Gen) {
  return g.pick([
    `ticket ${g.int(100000, 9999999)}`,
    `case #${g.digits(8)}`,
    `invoice INV-${g.int(2020, 2026)}-${g.digits(5)}`,
    `reference ${g.digits(10)}`,
    `RMA ${g.digits(7)}`,
  ]);
}

// ---------- templates ----------

type Tpl = (b: Builder, g: Gen, l: Locale) => void;

const PERSON_TPL: Tpl[] = [
  (b, g, l) =>
    b
      .t('Hi, my name is ')
      .e('PERSON', fullName(g, l))
      .t(` and my order ${orderNo(g)} hasn't arrived yet.`),
  (b, g, l) =>
    b
      .t("Hello, I'm ")
      .e('PERSON', firstName(g, l))
      .t(` and I was charged ${price(g)} twice.`),
  (b, g, l) =>
    b
      .t('This is ')
      .e('PERSON', fullName(g, l))
      .t(' from Northwind Traders, we have a question about our invoice.'),
  (b, g, l) => b.t('My colleague ').e('PERSON', fullName(g, l)).t(' had the same problem last week.'),
  (b, g, l) => b.t('Please ask ').e('PERSON', fullName(g, l)).t(' to call me back.'),
  (b, g, l) => b.e('PERSON', fullName(g, l)).t(' told me the refund would take 5 days.'),
  (b, g, l) =>
    b.t('The parcel was signed for by ').e('PERSON', fullName(g, l)).t(', but nobody here knows them.'),
  (b, g, l) =>
    b
      .t('I am ')
      .e('PERSON', fullName(g, l))
      .t(` and I need help with ${ticketNo(g)}.`),
  (b, g, l) => b.t('Could you put the account in the name of ').e('PERSON', fullName(g, l)).t('?'),
  (b, g, l) => b.t('Mr. ').e('PERSON', g.pick(SURNAMES[l])).t(' said the warranty covers this.'),
  (b, g, l) =>
    b
      .t('I spoke with ')
      .e('PERSON', firstName(g, l))
      .t(` on the phone at ${time(g)} yesterday.`),
  (b, g, l) => b.t('The order is for my wife ').e('PERSON', fullName(g, l)).t('.'),
  // Added in the second round, in phrasings the detectors were not written around.
  (b, g, l) => b.t("I'm writing on behalf of ").e('PERSON', fullName(g, l)).t(', who is in hospital.'),
  (b, g, l) => b.t('Can you pass this on to ').e('PERSON', firstName(g, l)).t('?'),
  (b, g, l) => b.t('Is ').e('PERSON', firstName(g, l)).t(' still handling my case?'),
  (b, g, l) => b.e('PERSON', fullName(g, l)).t(' will pick the parcel up on Saturday.'),
  (b, g, l) => b.t('The gift card was a present from ').e('PERSON', firstName(g, l)).t('.'),
  (b, g, l) =>
    b
      .t('When will ')
      .e('PERSON', firstName(g, l))
      .t(` call me back about ${ticketNo(g)}?`),
  (b, g, l) => b.t('Say thanks to ').e('PERSON', firstName(g, l)).t(' for sorting this out!'),
  (b, g, l) => b.t('Our new bookkeeper is ').e('PERSON', fullName(g, l)).t(', please give her access.'),
  (b, g, l) =>
    b.t('the box was opened by ').e('PERSON', firstName(g, l).toLowerCase()).t(' at the front desk'),
  (b, g, l) => b.t('Yesterday ').e('PERSON', fullName(g, l)).t(' from your returns desk emailed me.'),
  (b, g, l) => b.t('Please add ').e('PERSON', fullName(g, l)).t(' as a second user on our plan.'),
];

/** Greetings open a message. */
const GREETING_TPL: Tpl[] = [
  (b, g, l) => b.t('Hi ').e('PERSON', firstName(g, l)).t(', thanks for the quick reply!'),
  (b, g, l) =>
    b
      .t('Dear ')
      .e('PERSON', firstName(g, l))
      .t(`, the replacement arrived on ${plainDate(g)}.`),
  (b, g, l) => b.t('Hello ').e('PERSON', fullName(g, l)).t(', any news on my return?'),
  (b, g, l) => b.e('PERSON', firstName(g, l)).t(' here — the app still crashes on login.'),
  (b, g, l) => b.t('Hey ').e('PERSON', firstName(g, l)).t(', quick question about my order.'),
  (b, g, l) => b.t('Morning ').e('PERSON', firstName(g, l)).t('! Still no sign of the courier.'),
  (b, g, l) => b.t('Hi again ').e('PERSON', firstName(g, l)).t(', sorry to bother you.'),
];

/** Sign-offs close a message, on their own line. */
const SIGN_OFF_TPL: Tpl[] = [
  (b, g, l) => b.t('Thanks, ').e('PERSON', firstName(g, l)),
  (b, g, l) => b.t('Kind regards,\n').e('PERSON', fullName(g, l)),
  (b, g, l) => b.t('Cheers, ').e('PERSON', firstName(g, l)),
  (b, g, l) => b.t('Best,\n').e('PERSON', firstName(g, l)),
  (b, g, l) => b.t('Many thanks,\n').e('PERSON', fullName(g, l)),
  (b, g, l) => b.t('— ').e('PERSON', firstName(g, l)),
  (b, g, l) => b.t('Thanks again,\n').e('PERSON', fullName(g, l)).t('\nOffice manager'),
  (b, g, l) => b.t('Warm regards, ').e('PERSON', fullName(g, l)),
  (b, g, l) => b.t('Speak soon\n').e('PERSON', firstName(g, l)),
];

const OTHER_TPL: Tpl[] = [
  (b, g, l) => b.t('You can reach me at ').e('EMAIL', email(g, l)).t('.'),
  (b, g, l) =>
    b
      .t('My email changed to ')
      .e('EMAIL', email(g, l))
      .t(`, please update order ${orderNo(g)}.`),
  (b, g, l) => b.t('Send the invoice to ').e('EMAIL', email(g, l)).t(' and cc ').e('EMAIL', email(g, l)),
  (b, g, l) =>
    b
      .t('Call me on ')
      .e('PHONE', phone(g, l))
      .t(` after ${time(g)}.`),
  (b, g, l) => b.t('My phone number is ').e('PHONE', phone(g, l)).t('.'),
  (b, g, l) =>
    b
      .t('Mobile: ')
      .e('PHONE', phone(g, l))
      .t(`, tracking ${trackingNo(g)}`),
  (b, g, l) => b.t('the courier should ring ').e('PHONE', phone(g, l)).t(' when outside'),
  (b, g) =>
    b
      .t('I paid with card ')
      .e('CARD', card(g))
      .t(` but was charged ${price(g)} twice.`),
  (b, g) => b.t('Can you refund to ').e('CARD', card(g)).t('?'),
  (b, g) =>
    b
      .t('my visa is ')
      .e('CARD', card(g))
      .t(` exp 0${g.int(1, 9)}/2${g.int(6, 9)}`),
  (b, g) => b.t('Please refund to IBAN ').e('IBAN', iban(g)).t('.'),
  (b, g) => b.t('bank account: ').e('IBAN', iban(g)).t(' please'),
  (b, g) =>
    b
      .t('Refund to ')
      .e('IBAN', iban(g))
      .t(` for invoice INV-${g.digits(5)}, thanks`),
  (b, g) => b.t('My SSN is ').e('SSN', ssn(g)).t(' if you need it for the tax form.'),
  (b, g) =>
    b
      .t('social security number ')
      .e('SSN', ssn(g))
      .t(`, order ${orderNo(g)}`),
  (b, g) => b.t('SSN: ').e('SSN', g.digits(0) + ssn(g).replace(/[- ]/g, '')),
  (b, g) =>
    b
      .t('The login fails from ')
      .e('IP', ip(g))
      .t(` since ${time(g)}.`),
  (b, g) => b.t('my IP is ').e('IP', ip(g)).t(', is it blocked?'),
  (b, g) => b.t('Blocked requests from ').e('IP', ip(g)).t(' and ').e('IP', ip(g)).t('.'),
  (b, g, l) => b.t('Please ship it to ').e('ADDRESS', address(g, l)).t('.'),
  (b, g, l) =>
    b
      .t('My new address is ')
      .e('ADDRESS', address(g, l))
      .t(`, the order ${orderNo(g)} still shows the old one.`),
  (b, g, l) => b.t('Deliver to ').e('ADDRESS', address(g, l)).t('.'),
  (b, g, l) => b.t('I have moved, the new place is ').e('ADDRESS', address(g, l)).t(' since last week.'),
  (b, g, l) =>
    b
      .t('text me at ')
      .e('PHONE', phone(g, l))
      .t(` if the driver can't find ${g.pick(['the gate', 'us', 'the entrance'])}`),
  (b, g, l) => b.t('Contact details: ').e('EMAIL', email(g, l)).t(' / ').e('PHONE', phone(g, l)),
  (b, g) => b.t('the card on file ends 1234 but please use ').e('CARD', card(g)).t(' from now on'),
  (b, g) => b.t('Our requests come from ').e('IP', ip(g)).t(' behind the office proxy.'),
  (b, g, l) => b.t('I was born on ').e('DOB', dob(g, l)).t(', the form rejects it.'),
  (b, g, l) => b.t('DOB: ').e('DOB', dob(g, l)).t('.'),
  (b, g, l) =>
    b
      .t('My date of birth is ')
      .e('DOB', dob(g, l))
      .t(` and my order is ${orderNo(g)}.`),
];

const NEGATIVE_TPL: Array<(g: Gen) => string> = [
  (g) => `Order ${orderNo(g)} was shipped on ${plainDate(g)} at ${time(g)}.`,
  (g) => `Tracking number ${trackingNo(g)} says delivered, but nothing arrived.`,
  (g) => `The ${productCode(g)} costs ${price(g)} on your site but ${price(g)} in the app.`,
  (g) => `Hi, I ordered ${g.int(2, 12)} units of ${productCode(g)} on ${plainDate(g)}.`,
  (g) => `Your delivery window is ${time(g)}–${time(g)} on ${plainDate(g)}.`,
  (g) => `Please check ${ticketNo(g)}; it was opened on ${plainDate(g)}.`,
  (g) =>
    `Hello, the ${productCode(g)} stopped working after firmware ${g.int(1, 9)}.${g.int(0, 9)}.${g.int(0, 9)}.`,
  (g) => `Thanks for the help! Order ${orderNo(g)} is fine now.`,
  (g) => `I returned it with RMA ${g.digits(7)} and tracking ${trackingNo(g)}.`,
  (g) => `The invoice total was ${price(g)} incl. ${g.int(5, 25)}% VAT, due ${plainDate(g)}.`,
  (g) => `Can I change order ${orderNo(g)} to ${g.int(2, 5)} pieces of ${productCode(g)}?`,
  (g) => `Best regards, the purchasing team (PO ${g.digits(8)}).`,
  (g) =>
    `Parcel ${trackingNo(g)} weighs ${g.int(1, 30)}.${g.int(0, 9)} kg and is ${g.int(10, 120)} x ${g.int(10, 80)} cm.`,
  (g) => `The store at Main Street opens at ${time(g)}; my pickup code is ${g.digits(6)}.`,
  (g) => `Hey, is the ${productCode(g)} compatible with the ${productCode(g)}?`,
  (g) => `Refund of ${price(g)} for order ${orderNo(g)} still pending since ${plainDate(g)}.`,
  (g) => `Good morning, the discount code SAVE${g.int(10, 50)} does not apply to ${productCode(g)}.`,
  (g) => `Confirmation number ${g.digits(10)}, booked for ${plainDate(g)} at ${time(g)}.`,
  (g) => `I need ${g.int(100, 5000)} lumens; the ${productCode(g)} has ${g.int(800, 3000)}.`,
  (g) => `Serial number ${g.pick(['SN', 'S/N '])}${g.digits(10)} — warranty until ${plainDate(g)}?`,
];

/** Second-round negatives: given names, cities and Title Case words used as products and places. */
const PRODUCT_NOUNS = ['sofa', 'lamp', 'dress', 'desk chair', 'duvet', 'backpack', 'kettle', 'edition'];
const NAMED_NEGATIVE_TPL: Array<(g: Gen, l: Locale) => string> = [
  (g, l) => `Is the ${firstName(g, l)} ${g.pick(PRODUCT_NOUNS)} still available in grey?`,
  (g, l) => `The ${g.pick(CITIES[l])[0]} store closes at ${time(g)} on Sundays.`,
  (g, l) => `I bought the ${firstName(g, l)} ${g.pick(PRODUCT_NOUNS)} on ${plainDate(g)} and the zip broke.`,
  (g, l) =>
    `Our ${g.pick(CITIES[l])[0]} and ${g.pick(CITIES[l])[0]} teams share one account, order ${orderNo(g)}.`,
  (g) => `Customer number ${g.digits(9)} — please quote it, not the order number.`,
  (g) => `Order placed ${plainDate(g)} ${time(g)}, paid ${plainDate(g)} ${time(g)}.`,
  (g, l) =>
    `Do you deliver to ${g.pick(CITIES[l])[0]} before ${g.pick(['Christmas', 'Easter', 'the weekend'])}?`,
  (g) => `The Business plan at ${price(g)} per seat is too much for us; is there a Starter tier?`,
];

function message(g: Gen, l: Locale, id: string): Message {
  const b = new Builder();
  if (g.chance(0.3)) {
    g.pick(GREETING_TPL)(b, g, l);
    b.t(g.pick([' ', '\n']));
  }
  const sentences = g.int(1, 3);
  for (let i = 0; i < sentences; i++) {
    if (i > 0) b.t(g.pick([' ', '\n', '\n\n']));
    const pool = g.chance(0.3) ? PERSON_TPL : OTHER_TPL;
    g.pick(pool)(b, g, l);
  }
  if (g.chance(0.35)) {
    b.t(g.pick(['\n', '\n\n']));
    g.pick(SIGN_OFF_TPL)(b, g, l);
  }
  return { id, locale: l, text: b.text, entities: b.entities };
}

export function generateSplit(
  seed: number,
  firstNames: Record<Locale, string[]>,
  positives: number,
  negatives: number,
): Split {
  const g = new Gen(prng(seed), firstNames);
  const positive = Array.from({ length: positives }, (_, i) =>
    message(g, LOCALES[i % LOCALES.length] as Locale, `p${i}`),
  );
  const negative = Array.from({ length: negatives }, (_, i) => {
    const l = LOCALES[i % LOCALES.length] as Locale;
    const n = g.int(1, 2);
    const text = Array.from({ length: n }, () =>
      g.chance(0.3) ? g.pick(NAMED_NEGATIVE_TPL)(g, l) : g.pick(NEGATIVE_TPL)(g),
    ).join(' ');
    return { id: `n${i}`, locale: l, text, entities: [] };
  });
  return { positive, negative };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'labelled');
  mkdirSync(dir, { recursive: true });
  const dev = generateSplit(20261129, DEV_FIRST, 300, 150);
  const test = generateSplit(77, TEST_FIRST, 700, 400);
  // One message per line so diffs stay readable when the generator changes.
  const jsonl = (s: Split) => [...s.positive, ...s.negative].map((m) => JSON.stringify(m)).join('\n');
  writeFileSync(join(dir, 'dev.jsonl'), `${jsonl(dev)}\n`);
  writeFileSync(join(dir, 'test.jsonl'), `${jsonl(test)}\n`);
  const count = (s: Split) => s.positive.reduce((n, m) => n + m.entities.length, 0);
  console.log(
    `dev: ${count(dev)} entities, test: ${count(test)} entities, ${test.negative.length} negative messages`,
  );
}
