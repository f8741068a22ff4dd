/**
 * Redaction evaluation: runs the redactor's detectors and the old redactor (the peer) over the
 * committed labelled set and prints per-type precision / recall / F1 and over-redaction.
 *
 *   npm run eval:redaction            → generated test split (first names disjoint from dev)
 *   npm run eval:redaction -- dev     → generated dev split
 *   npm run eval:redaction -- challenge | unseen | dev-hand | untuned | blind | blind2 → hand-written sets (labelled/*.txt)
 *
 * Scoring, per entity type T:
 * - recall: share of gold T values whose every letter and digit is covered by predicted T spans
 *   (a partly redacted value leaks, so it does not count);
 * - leakFreeRecall: the same with spans of any type (a SSN hidden as [PHONE_1] is not leaked);
 * - precision: share of predicted T spans that overlap a gold T value (null when none predicted);
 * - overRedactionPer100: predicted spans in the negative messages, per 100 messages.
 * Every set here except `untuned` has been used for tuning (see README.md); held-out figures come
 * from a set the person tuning never reads.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIRST_NAMES } from '../../apps/server/src/modules/models/redaction/first-names.js';
import { detectEntities } from '../../apps/server/src/modules/models/redaction/index.js';
import type { Gold, GoldType, Message } from './generate.js';
import { legacySpans } from './legacy-spans.js';
import { TEST_FIRST } from './names.js';

function note(into: Record<string, string[]>, key: string, line: string) {
  if (!into[key]) into[key] = [];
  into[key].push(line);
}

const TYPES: GoldType[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN', 'IP', 'ADDRESS', 'DOB', 'PERSON'];
const TARGETS: Partial<Record<GoldType, number>> = {
  EMAIL: 0.99,
  CARD: 0.99,
  IBAN: 0.99,
  SSN: 0.99,
  IP: 0.99,
  PHONE: 0.97,
  PERSON: 0.9,
  ADDRESS: 0.9,
};

const round = (x: number) => Math.round(x * 1000) / 1000;

function covered(text: string, gold: Gold, spans: Gold[]): boolean {
  for (let i = gold.start; i < gold.end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i] ?? '')) continue;
    if (!spans.some((s) => s.start <= i && i < s.end)) return false;
  }
  return true;
}

function evaluate(messages: Message[], detect: (text: string) => Gold[]) {
  const positive = messages.filter((m) => m.id.startsWith('p'));
  const negative = messages.filter((m) => m.id.startsWith('n'));
  const perType: Record<string, unknown> = {};
  const misses: Record<string, string[]> = {};
  const falsePositives: Record<string, string[]> = {};
  const predictions = new Map(messages.map((m) => [m.id, detect(m.text)]));
  let allGold = 0;
  let allHit = 0;
  let allPred = 0;
  let allPredOk = 0;
  for (const type of TYPES) {
    let gold = 0;
    let hit = 0;
    let leakFree = 0;
    let pred = 0;
    let predOk = 0;
    for (const m of positive) {
      const spans = predictions.get(m.id) ?? [];
      const typed = spans.filter((s) => s.type === type);
      for (const g of m.entities.filter((e) => e.type === type)) {
        gold++;
        if (covered(m.text, g, typed)) hit++;
        else note(misses, type, `${m.text.slice(g.start, g.end)}  ⟪${m.text}⟫`);
        if (covered(m.text, g, spans)) leakFree++;
      }
      for (const s of typed) {
        pred++;
        if (m.entities.some((g) => g.type === type && s.start < g.end && g.start < s.end)) predOk++;
        else note(falsePositives, type, `${m.text.slice(s.start, s.end)}  ⟪${m.text}⟫`);
      }
    }
    allGold += gold;
    allHit += hit;
    allPred += pred;
    allPredOk += predOk;
    const precision = pred ? predOk / pred : 1;
    const recall = gold ? hit / gold : 1;
    perType[type] = {
      gold,
      predicted: pred,
      // With no predictions precision is undefined, not perfect.
      precision: pred ? round(precision) : null,
      recall: round(recall),
      f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
      leakFreeRecall: round(gold ? leakFree / gold : 1),
      ...(TARGETS[type] ? { recallTarget: TARGETS[type], meetsTarget: recall >= (TARGETS[type] ?? 0) } : {}),
    };
  }
  const negativeHits: string[] = [];
  for (const m of negative) {
    for (const s of predictions.get(m.id) ?? [])
      negativeHits.push(`${s.type} ${m.text.slice(s.start, s.end)}  ⟪${m.text}⟫`);
  }
  const overRedactionPer100 = round((negativeHits.length / Math.max(1, negative.length)) * 100);
  const precision = allPred ? allPredOk / allPred : 1;
  const recall = allGold ? allHit / allGold : 1;
  return {
    summary: {
      precision: round(precision),
      recall: round(recall),
      f1: round((2 * precision * recall) / (precision + recall || 1)),
      overRedactionPer100,
      overRedactionTarget: 1,
    },
    perType,
    misses,
    falsePositives,
    negativeHits,
  };
}

/** Parses the hand-written challenge set (labelled/challenge.txt) into labelled messages. */
function readChallenge(text: string): Message[] {
  const out: Message[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const negative = raw.startsWith('- ');
    let rest = (negative ? raw.slice(2) : raw).replaceAll('\\n', '\n');
    let plain = '';
    const entities: Gold[] = [];
    for (let m = /⟦([A-Z]+)\|([^⟧]*)⟧/.exec(rest); m; m = /⟦([A-Z]+)\|([^⟧]*)⟧/.exec(rest)) {
      plain += rest.slice(0, m.index);
      const value = m[2] ?? '';
      entities.push({ type: m[1] as GoldType, start: plain.length, end: plain.length + value.length });
      plain += value;
      rest = rest.slice(m.index + m[0].length);
    }
    plain += rest;
    out.push({ id: `${negative ? 'n' : 'p'}c${i}`, locale: 'US', text: plain, entities });
  }
  return out;
}

/** Times detection over the split (after a warm-up pass), so a slow pattern shows up in the output. */
function throughput(list: Message[]) {
  for (const m of list) detectEntities(m.text);
  const times: number[] = [];
  const rounds = Math.max(1, Math.ceil(2000 / list.length));
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const m of list) {
      const t0 = performance.now();
      detectEntities(m.text);
      times.push(performance.now() - t0);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  // The 99th percentile rather than the maximum: a single garbage-collection pause is not the redactor.
  const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0;
  return {
    messagesPerSecond: Math.round((rounds * list.length) / seconds),
    p99Ms: Math.round(p99 * 100) / 100,
  };
}

const splitArg = process.argv[2] ?? 'test';
const HAND_WRITTEN = ['challenge', 'unseen', 'dev-hand', 'untuned', 'blind', 'blind2'];
const split = ['dev', 'test', ...HAND_WRITTEN].includes(splitArg) ? splitArg : 'test';
const verbose = process.argv.includes('--verbose');
const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'labelled');
const messages: Message[] = HAND_WRITTEN.includes(split)
  ? readChallenge(readFileSync(join(dataDir, `${split}.txt`), 'utf8'))
  : readFileSync(join(dataDir, `${split}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));

const current = evaluate(messages, (t) => detectEntities(t));
const speed = throughput(messages);
const legacy = evaluate(messages, legacySpans);
const testNames = Object.values(TEST_FIRST).flat();
const known = testNames.filter((n) => FIRST_NAMES.has(n.toLowerCase())).length;

const strip = (r: ReturnType<typeof evaluate>) => (verbose ? r : { summary: r.summary, perType: r.perType });
console.log(
  JSON.stringify(
    {
      split,
      messages: {
        positive: messages.filter((m) => m.id.startsWith('p')).length,
        negative: messages.filter((m) => m.id.startsWith('n')).length,
      },
      entities: messages.reduce((n, m) => n + m.entities.length, 0),
      personFirstNamesInLexicon: `${known}/${testNames.length}`,
      // Informational only (varies with the machine and its load): detection speed of the redactor.
      messagesPerSecond: speed.messagesPerSecond,
      p99MessageMs: speed.p99Ms,
      redactor: strip(current),
      previousRedactor: strip(legacy),
    },
    null,
    2,
  ),
);
