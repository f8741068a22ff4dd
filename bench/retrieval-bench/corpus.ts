/**
 * A synthetic help centre, deterministic for a seed, with the term statistics of a real one:
 * sources are Markdown "categories" of articles (`# Category`, `## Article`, `### Section`,
 * paragraphs and numbered steps). Words follow Zipf's law over a support vocabulary of real
 * words followed by a long tail of invented product, feature and setting names, so a few words
 * are in many chunks ("account", "order") and most are rare. Each article has a topic (a few
 * words and a product it keeps mentioning), as real articles do. Sentences are built from varied
 * skeletons, so no phrase repeats across the corpus more than a real help centre's would.
 *
 * Queries are phrased the way visitors type: short, lower-case, a question or just keywords,
 * about common things more often than rare ones, and one in five has a typo.
 */
export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const words = (text: string) => text.trim().split(/\s+/);

/**
 * Draws items with probability ∝ 1 / (rank + offset)^exponent (rank from 1): Zipf-Mandelbrot.
 * The offset stands for the more frequent words left out (stop words and the like), so the
 * first content word is common, not ubiquitous.
 */
function zipfSampler<T>(items: readonly T[], exponent: number, offset: number): (rng: Rng) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= items.length; r++) {
    total += 1 / (r + offset) ** exponent;
    cumulative.push(total);
  }
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

// Roughly most to least common in a support knowledge base.
const nouns = words(`
  account order app password payment subscription card email delivery refund device plan invoice
  address phone settings profile return battery update login charge item price team data product
  screen code message link problem error support fee receipt parcel package warranty store time
  user bill charger cable firmware notification backup schedule sensor bulb hub router remote
  member membership trial discount voucher coupon gift tax currency language region country
  report export import dashboard integration key webhook token session browser computer laptop
  tablet watch speaker camera lamp light switch plug socket adapter mount strap case cover filter
  cartridge manual guide tutorial video photo file folder document attachment storage space
  calendar event reminder alarm timer location map route trip booking reservation ticket seat
  room table menu meal allergy ingredient size colour color fit exchange label box courier driver
  pickup locker collection window slot quote estimate contract agreement policy privacy cookie
  consent permission role admin owner workspace project task comment mention channel chat call
  voicemail contact friend family child pet vehicle bike scooter helmet lock dock station zone
  network wifi bluetooth signal range antenna pairing firmware version release feature option
  preference theme font keyboard mouse printer scanner ink paper toner display resolution volume
  sound microphone headset earbud charging cycle capacity warranty repair replacement part spare
  inspection claim damage scratch crack leak noise smell heat temperature humidity water dust
`);
const verbs = words(`
  change reset update cancel return track pair connect install remove delete export download share
  transfer renew upgrade downgrade pause restore verify activate register replace charge clean
  configure sync rename invite book reschedule refund order pay apply redeem enable disable turn
  open close log sign create edit add move copy print scan unlock lock attach detach mount adjust
  check confirm contact report request approve reject archive recover merge split schedule test
  calibrate reboot restart upload recycle dispose collect deliver ship send receive backup find
`);
const adjectives = words(`
  new old default main primary secondary monthly yearly annual free paid premium basic standard
  personal business shared private public automatic manual wireless wired portable smart quick
  slow late early missing wrong damaged broken faulty expired invalid locked blocked pending
  active inactive available unavailable local international express standard extra spare
`);
const screens = ['page', 'tab', 'screen', 'menu', 'panel', 'settings', 'section'];
const platforms = ['iPhone', 'Android', 'Windows', 'macOS', 'Linux', 'the web app', 'tablets', 'smart TVs'];
const units = ['business days', 'hours', 'minutes', 'weeks', 'days', 'months', 'working days', 'nights'];

const syllables = words(
  'ka lo mi ren tas vo qui zen dor fel gra hul ix jun pra sto tri ul wex yor bel cas dim eno fa gor hem',
);
/** The long tail: invented product, model, feature and setting names (rare terms). */
function inventNames(rng: Rng, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    let word = '';
    for (let i = int(rng, 2, 3); i > 0; i--) word += pick(rng, syllables);
    names.add(word);
  }
  return [...names];
}

export type Vocabulary = {
  /** Nouns in text: real ones, then invented jargon (part and setting names). */
  noun: (rng: Rng) => string;
  verb: (rng: Rng) => string;
  adjective: (rng: Rng) => string;
  /** Product and feature names. */
  name: (rng: Rng) => string;
  /** What visitors ask about: real nouns, common ones most. */
  askedNoun: (rng: Rng) => string;
};

export function createVocabulary(rng: Rng): Vocabulary {
  const invented = inventNames(rng, 7000);
  return {
    noun: zipfSampler([...nouns, ...invented.slice(0, 3000)], 1, 30),
    verb: zipfSampler(verbs, 1, 30),
    adjective: zipfSampler(adjectives, 1, 30),
    name: zipfSampler(invented.slice(3000), 0.8, 5),
    askedNoun: zipfSampler(nouns, 1, 3),
  };
}

type Topic = { nouns: string[]; product: string; feature: string };

function sentence(rng: Rng, v: Vocabulary, topic: Topic): string {
  // Articles keep coming back to their subject.
  const n = () => (rng() < 0.45 ? pick(rng, topic.nouns) : v.noun(rng));
  const product = () => (rng() < 0.6 ? topic.product : capitalize(v.name(rng)));
  const feature = () => (rng() < 0.5 ? topic.feature : capitalize(v.name(rng)));
  const a = () => v.adjective(rng);
  const vb = () => v.verb(rng);
  const vbs = () => `${v.verb(rng)}s`;
  const place = () => `the ${capitalize(v.noun(rng))} ${pick(rng, screens)}`;
  const unit = () => pick(rng, units);
  // Skeletons hold function words and slots only: fixed content words would be in every chunk.
  const skeletons = [
    () => `To ${vb()} your ${n()}, ${vb()} ${place()} and ${vb()} ${feature()}.`,
    () => `If your ${product()} ${n()} is ${a()}, ${vb()} the ${n()} and ${vb()} it again.`,
    () => `${product()} ${vbs()} ${feature()} on ${pick(rng, platforms)}.`,
    () => `We ${vb()} every ${a()} ${n()} in ${int(rng, 1, 14)} ${unit()}.`,
    () => `You can ${vb()} the ${n()} from ${place()} at any ${n()}.`,
    () => `${feature()} is ${a()} with the ${a()} ${n()}.`,
    () => `Before you ${vb()} a ${n()}, ${vb()} that the ${product()} has a ${a()} ${n()}.`,
    () => `A ${a()} ${n()} ${vbs()} in ${place()} after a ${a()} ${n()}.`,
    () => `${capitalize(vb())} ${feature()} so your ${n()} and ${n()} ${vb()} with it.`,
    () => `${product()} ${vbs()} ${n()} ${int(rng, 1, 9)}.${int(rng, 0, 20)} for ${feature()}.`,
    () => `Why can I not ${vb()} my ${n()}? Then the ${n()} is ${a()}.`,
    () => `Each ${n()} has a ${n()}, so ${vb()} them now.`,
    () => `We do not ${vb()} a ${n()} that is ${a()}; ${vb()} the ${n()} to ${vb()} it.`,
    () => `${capitalize(vb())} ${feature()}, then ${vb()} the ${a()} ${n()} and ${vb()} for the ${n()}.`,
    () => `Most ${n()}s are ${a()}, but a ${n()} may ${vb()} if it is ${a()}.`,
    () => `The ${n()} ${n()} for ${product()} is ${int(rng, 2, 500)} for each ${n()}.`,
    () => `Only an ${a()} ${n()} may ${vb()} ${feature()} for the ${n()}.`,
    () => `Have the ${product()} ${a()} while you ${vb()} the ${n()}.`,
    () => `When the ${n()} is ${a()}, ${vb()} it and ${vb()} the ${n()} again.`,
    () => `${capitalize(a())} ${n()}s are ${vb()}ed by the ${a()} ${n()}.`,
  ];
  return pick(rng, skeletons)();
}

function paragraph(rng: Rng, v: Vocabulary, topic: Topic): string {
  const out: string[] = [];
  for (let i = int(rng, 2, 5); i > 0; i--) out.push(sentence(rng, v, topic));
  if (rng() < 0.15) {
    const steps = [];
    for (let i = 1; i <= int(rng, 3, 5); i++) steps.push(`${i}. ${sentence(rng, v, topic)}`);
    return `${out.join(' ')}\n\n${steps.join('\n')}`;
  }
  return out.join(' ');
}

export type SourceText = { title: string; markdown: string };

/** One category document: `# Category`, then articles of a few sections each. */
export function generateSource(rng: Rng, v: Vocabulary, index: number): SourceText {
  const category = `${capitalize(v.noun(rng))} and ${v.noun(rng)} (${index + 1})`;
  const parts = [`# ${category}`];
  for (let a = int(rng, 18, 30); a > 0; a--) {
    const topic: Topic = {
      nouns: [v.noun(rng), v.noun(rng), v.noun(rng)],
      product: capitalize(v.name(rng)),
      feature: capitalize(v.name(rng)),
    };
    parts.push(`## ${capitalize(v.verb(rng))} your ${topic.nouns[0]} with ${topic.feature}`);
    parts.push(paragraph(rng, v, topic));
    for (let s = int(rng, 1, 3); s > 0; s--) {
      parts.push(`### ${capitalize(pick(rng, topic.nouns))} ${v.adjective(rng)}`);
      for (let p = int(rng, 1, 3); p > 0; p--) parts.push(paragraph(rng, v, topic));
    }
  }
  return { title: category, markdown: parts.join('\n\n') };
}

/** A typo the way people make them: two letters swapped, one dropped or one doubled. */
function misspell(rng: Rng, word: string): string {
  if (word.length < 5) return word;
  const i = int(rng, 1, word.length - 2);
  const kind = rng();
  if (kind < 0.4) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind < 0.7) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i] + word.slice(i);
}

export function generateQuery(rng: Rng, v: Vocabulary): string {
  const n = () => v.askedNoun(rng);
  const templates = [
    () => `how do i ${v.verb(rng)} my ${n()}`,
    () => `${v.name(rng)} ${n()} ${v.adjective(rng)}`,
    () => `can i ${v.verb(rng)} my ${n()} on ${pick(rng, platforms).toLowerCase()}?`,
    () => `${n()} ${pick(rng, ['help', 'not working', 'problem', 'question'])}`,
    () => `why is my ${n()} ${v.adjective(rng)}`,
    () => `is ${v.name(rng)} included with the ${v.adjective(rng)} ${n()}`,
    () => `${v.verb(rng)} ${n()} ${n()}`,
    () => `where do i ${v.verb(rng)} the ${n()} for ${v.name(rng)}??`,
    () => `my ${n()} is ${v.adjective(rng)} what do i do`,
    () => `${n()} ${n()}`,
  ];
  const query = pick(rng, templates)();
  if (rng() >= 0.2) return query;
  const parts = query.split(' ');
  const at = Math.floor(rng() * parts.length);
  parts[at] = misspell(rng, parts[at]!);
  return parts.join(' ');
}
