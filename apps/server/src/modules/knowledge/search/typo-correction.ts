import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import type { SearchLanguage } from '../../../platform/db/schema/index.js';
import { isDictionaryWord } from '../text/dictionary.js';
import { analyseForms, type Lexeme, type TermAlternative } from './lexicon.js';
import { editDistance } from './query-words.js';

/**
 * Repairs for question words the organization's knowledge does not contain, found in its own
 * vocabulary (knowledge_lexicon) — never by reading chunks, so the cost does not grow with the
 * knowledge base:
 *
 * - written with a hyphen: "ebike" → "e-bike", "wifi" → "wi-fi" (cost 0.5);
 * - written as two known words: "giftcard" → "gift card", as a phrase (cost 1);
 * - a misspelling: the known lexemes of the same language and initial closest by trigram
 *   similarity (pg_trgm), kept when within maxEdits of the word's stem or of the word itself (optimal string
 *   alignment, so "recieve" is one edit from "receive"); cost = the number of edits. Only for
 *   words that are not real words of the language (text/dictionary.ts, where we have a
 *   dictionary for it): "started" stays "started" even if the knowledge base only knows "state".
 *
 * The cheapest repair wins; on a tie, the one more chunks contain (the likelier intent). Words
 * shorter than MIN_LENGTH letters or containing digits are never repaired: too many short words
 * are one edit apart, and numbers are meant exactly.
 */
export type UnknownWord = { word: string; lexemes: Lexeme[] };

const MIN_LENGTH = 4;
/** Trigram similarity that shortlists candidates; edit distance decides (see maxEdits). */
const SHORTLIST_SIMILARITY = 0.25;
const SHORTLIST_SIZE = 20;
const MIN_PART = 3;

/** Edits allowed for a stem of this length: one for short words, two from seven letters. */
export const maxEdits = (length: number) => (length < MIN_LENGTH ? 0 : length < 7 ? 1 : 2);

/** A repair and what it cost: 0.5 for a hyphen, 1 for a space, else the number of edits. */
export type Repair = { alternative: TermAlternative; cost: number };

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const better = (a: Repair | null, b: Repair) =>
  !a || b.cost < a.cost || (b.cost === a.cost && b.alternative.df > a.alternative.df) ? b : a;

export async function correctWords(
  tx: Tx,
  orgId: string,
  languages: readonly SearchLanguage[],
  unknown: readonly UnknownWord[],
): Promise<(Repair | null)[]> {
  const eligible = unknown.map((u) => /^\p{L}+$/u.test(u.word) && u.word.length >= MIN_LENGTH);
  const forms: { key: string; text: string }[] = [];
  unknown.forEach((u, n) => {
    if (!eligible[n]) return;
    for (let k = 1; k < u.word.length; k++) {
      // Never between the halves of a surrogate pair (a letter beyond the BMP, e.g. "𑢠"): a lone
      // surrogate is not text, and PostgreSQL refuses it in the JSON the forms are sent as.
      if (isLowSurrogate(u.word.charCodeAt(k))) continue;
      forms.push({ key: `h${n}.${k}`, text: `${u.word.slice(0, k)}-${u.word.slice(k)}` });
      if (k >= MIN_PART && u.word.length - k >= MIN_PART) {
        forms.push({ key: `a${n}.${k}`, text: u.word.slice(0, k) });
        forms.push({ key: `b${n}.${k}`, text: u.word.slice(k) });
      }
    }
  });
  // Each language's stem of the word, and the word itself: a stemmer can carry a typo further
  // from the intended stem ("mony" → moni, two edits from money) than the word is.
  // Only misspellings are rewritten to another word: a real word of the language that the
  // knowledge base lacks ("started") is what the visitor meant, not its nearest known word
  // ("state"). A real word may still find another form of itself where the knowledge base is not
  // stemmed ('simple': "refund" → "refunds"): a known lexeme it begins, or that begins it.
  const real = await Promise.all(
    unknown.map((u, n) => (eligible[n] ? isDictionaryWord(u.word, languages) : Promise.resolve(false))),
  );
  const stems = unknown.flatMap((u, n) =>
    eligible[n]
      ? u.lexemes.flatMap((x) =>
          [...new Set([x.lexeme, u.word])]
            .filter((stem) => maxEdits(stem.length) > 0)
            .map((stem) => ({ key: String(n), language: x.language, stem })),
        )
      : [],
  );
  if (forms.length === 0 && stems.length === 0) return unknown.map(() => null);

  const analysis = await analyseForms(tx, orgId, languages, forms);
  const candidates = await shortlist(tx, orgId, stems);

  return unknown.map((u, n) => {
    if (!eligible[n]) return null;
    let best: Repair | null = null;
    for (let k = 1; k < u.word.length; k++) {
      for (const x of analysis.get(`h${n}.${k}`) ?? []) {
        if (x.lexeme.includes('-') && x.df > 0) {
          best = better(best, { alternative: { phrase: [[x.lexeme]], df: x.df }, cost: 0.5 });
        }
      }
      const a = analysis.get(`a${n}.${k}`);
      const b = analysis.get(`b${n}.${k}`);
      // Both halves must be known words in every language (a stop word half is no split).
      const whole = (parts: Lexeme[] | undefined) =>
        !!parts && languages.every((l) => parts.some((x) => x.language === l)) && parts.some((x) => x.df > 0);
      if (whole(a) && whole(b)) {
        const pa = a!.filter((x) => x.df > 0);
        const pb = b!.filter((x) => x.df > 0);
        const df = Math.min(
          pa.reduce((s, x) => s + x.df, 0),
          pb.reduce((s, x) => s + x.df, 0),
        );
        best = better(best, {
          alternative: {
            phrase: [[...new Set(pa.map((x) => x.lexeme))], [...new Set(pb.map((x) => x.lexeme))]],
            df,
          },
          cost: 1,
        });
      }
    }
    for (const c of candidates.get(String(n)) ?? []) {
      const stem = u.lexemes.find((x) => x.language === c.language)?.lexeme;
      if (!stem) continue;
      if (real[n] && !sameWordForm(u.word, c.lexeme)) continue;
      const within = (from: string) => {
        const d = editDistance(from, c.lexeme);
        return d <= maxEdits(from.length) ? d : Infinity;
      };
      const edits = Math.min(within(stem), within(u.word));
      if (edits === Infinity) continue;
      best = better(best, { alternative: { phrase: [[c.lexeme]], df: c.df }, cost: edits });
    }
    return best;
  });
}

/** One word is the other plus an ending ("refund", "refunds"): a form of the same word. */
const sameWordForm = (word: string, lexeme: string) =>
  Math.min(word.length, lexeme.length) >= MIN_LENGTH && (word.startsWith(lexeme) || lexeme.startsWith(word));

type Candidate = { language: SearchLanguage; lexeme: string; df: number };

/**
 * The lexicon range holding the words that start like `stem`: its first letter, as a primary-key
 * range scan. Row-level security lets only leakproof operators use an index before the tenant
 * check, and text comparison is one (pg_trgm's `%` is not), so the range keeps the cost to the
 * words of one initial, not the whole vocabulary. Typos rarely hit the first letter; words that
 * start with something other than a-z are compared with the whole language's vocabulary.
 */
function initialRange(stem: string): SQL {
  const first = stem[0] ?? '';
  if (first >= 'a' && first < 'z') {
    return sql`and lx.lexeme >= ${first} and lx.lexeme < ${String.fromCharCode(first.charCodeAt(0) + 1)}`;
  }
  return first === 'z' ? sql`and lx.lexeme >= 'z'` : sql``;
}

/** Per unknown word, the org's lexemes of the same language that are most similar by trigrams. */
async function shortlist(
  tx: Tx,
  orgId: string,
  stems: { key: string; language: SearchLanguage; stem: string }[],
): Promise<Map<string, Candidate[]>> {
  const out = new Map<string, Candidate[]>();
  if (stems.length === 0) return out;
  const perStem = stems.map(
    (q) => sql`(select ${q.key} as key, lx.language, lx.lexeme, lx.chunks as df
                from knowledge_lexicon lx
                where lx.org_id = ${orgId} and lx.language = ${q.language} ${initialRange(q.stem)}
                  and length(lx.lexeme) between ${q.stem.length - 2} and ${q.stem.length + 2}
                  and lx.lexeme <> '' and similarity(lx.lexeme, ${q.stem}) >= ${SHORTLIST_SIMILARITY}
                order by similarity(lx.lexeme, ${q.stem}) desc, lx.chunks desc
                limit ${SHORTLIST_SIZE})`,
  );
  const rows = await queryRows<{ key: string; language: SearchLanguage; lexeme: string; df: number }>(
    tx,
    sql.join(perStem, sql` union all `),
  );
  for (const r of rows) {
    const list = out.get(r.key) ?? [];
    list.push({ language: r.language, lexeme: r.lexeme, df: Number(r.df) });
    out.set(r.key, list);
  }
  return out;
}
