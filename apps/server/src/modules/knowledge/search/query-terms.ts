import { sql } from 'drizzle-orm';
import { hotCacheOfTx } from '../../../platform/cache/hot-cache.js';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { type SearchLanguage, searchLanguages } from '../../../platform/db/schema/index.js';
import { anyQuery, phraseQuery } from './lexeme-query.js';
import { analyseForms, type Lexeme, type TermAlternative } from './lexicon.js';
import { QUESTION_WORDS, queryWords } from './query-words.js';
import { correctWords, type UnknownWord } from './typo-correction.js';
import { derivedLexemes, irregularBase } from './word-forms.js';

/**
 * From a visitor's question to weighted query terms, using the organization's own vocabulary
 * (knowledge_lexicon: every lexeme of its chunks, per language, with chunk counts).
 *
 * 1. Words (query-words.ts): lower-cased, contractions restored, filler dropped.
 * 2. Each word is stemmed with every text-search language present in the org's chunks (an
 *    English and French help centre is searched with both stemmers). A word that is a stop word
 *    in any of them is dropped ("how", "do", "the", "les").
 * 3. Admin synonyms: a group term found in the question (as consecutive words, compared by
 *    lexeme) becomes one term matching any term of the group, as phrases.
 * 4. Split words joined: two neighbouring words whose concatenation the org knows ("log in" →
 *    "login") become one term, when one of them is unknown or a stop word (not both stop words:
 *    "de la" is not "délai").
 * 5. Each remaining word is one term, matching its other forms too where the org has them
 *    (word-forms.ts: "expiry" meets "expire", "zip" meets "zipper", "broke" meets "break").
 *    Words the org does not know in any form are repaired (typo-correction.ts): written apart or with a
 *    hyphen ("giftcard" → "gift card", "ebike" → "e-bike"), else the closest known lexeme by
 *    trigram similarity within an edit distance ("subscrption" → "subscription"). Repaired terms
 *    weigh a little less (10% per edit), in case the guess is wrong. A word nothing resembles stays a term that
 *    matches nothing: it still lowers every score (the question asks something we don't know).
 *
 * Each term's weight is its BM25 IDF over the org's chunks (from the lexicon's counts, no chunk
 * is read), damped for small knowledge bases (dampedIdf). The same terms drive ranking (search.ts) and snippets (snippet.ts).
 */
export type QueryTerm = {
  /** tsquery text: the term's alternatives (lexemes, phrases) OR'ed; built from lexemes only. */
  query: string;
  /**
   * The same alternatives one by one (each lexeme of a one-word alternative, each phrase), for
   * scoring a term by its best form: ts_rank averages over an OR'ed query's operands, so a term
   * with two forms (an English stem and a French one) would count half when one matches.
   */
  forms?: string[];
  /** Every lexeme of the alternatives, for finding the term in a snippet. */
  lexemes: string[];
  /** BM25 IDF of the term over the org's chunks, less REPAIR_PENALTY per edit for repaired words. */
  idf: number;
  /** About how many chunks contain the term (from the lexicon; an upper bound for phrases). */
  df: number;
  /** The text-search languages of the org's chunks (the same for every term of a query). */
  languages: SearchLanguage[];
  /** What repairing the visitor's word cost (typo-correction.ts: edits, 0.5 hyphen, 1 space); 0 = as typed. */
  repairCost: number;
};

/**
 * IDF is computed as if the knowledge base had this many more chunks, none containing the term.
 * In a small knowledge base, BM25's IDF swings from nothing to everything: a word found in every
 * entry (the product's own name, in a one-topic help centre) weighs about zero, so a question
 * made of such words finds everything tied, and one entry in three outweighs the rest. The prior
 * damps both ends; in a knowledge base of hundreds of chunks it changes next to nothing.
 */
export const IDF_PRIOR_CHUNKS = 10;

/** BM25's IDF over n chunks plus IDF_PRIOR_CHUNKS that lack the term. Pure. */
export const dampedIdf = (n: number, df: number) =>
  Math.log(1 + (n + IDF_PRIOR_CHUNKS - df + 0.5) / (df + 0.5));

/** A repaired word might be the wrong guess: each unit of repair cost (an edit) takes this off its weight. */
export const REPAIR_PENALTY = 0.1;
/** At most this many synonym groups are considered per query (a guard, far above real use). */
const MAX_SYNONYM_GROUPS = 500;

type Term = { alternatives: TermAlternative[]; weight: number; repairCost?: number };

type Vocabulary = { languages: SearchLanguage[]; chunks: number; synonyms: string[][] };

/**
 * The org's languages, chunk count and synonyms: read for every question, so remembered per org
 * in the hot cache (platform/cache/hot-cache.ts, topic `knowledge`): any change to the org's
 * lexicon (every ingestion writes its totals), sources or synonyms drops it in every process.
 */
async function loadVocabulary(tx: Tx, orgId: string): Promise<Vocabulary> {
  const cache = hotCacheOfTx(tx);
  if (!cache) return readVocabulary(tx, orgId);
  const load = async () => ({ orgId, value: await readVocabulary(tx, orgId) });
  return (await cache.get('knowledge', `vocabulary:${orgId}`, load))!;
}

async function readVocabulary(tx: Tx, orgId: string): Promise<Vocabulary> {
  const [row] = await queryRows<{ totals: { language: string; chunks: number }[]; synonyms: string[][] }>(
    tx,
    // JIT compilation off for the rest of the transaction: the analysis queries below are cheap,
    // but PostgreSQL's default row estimates for set-returning functions make them look costly
    // enough to compile (a hundred milliseconds, for queries that run in one).
    sql`select set_config('jit', 'off', true) as jit,
          (select coalesce(json_agg(json_build_object('language', language, 'chunks', chunks)), '[]'::json)
             from knowledge_lexicon where org_id = ${orgId} and lexeme = '') as totals,
          (select coalesce(json_agg(terms), '[]'::json)
             from (select terms from knowledge_synonyms where org_id = ${orgId}
                   order by created_at, id limit ${MAX_SYNONYM_GROUPS}) s) as synonyms`,
  );
  const totals = row?.totals ?? [];
  const languages = totals
    .map((t) => t.language)
    .filter((l): l is SearchLanguage => (searchLanguages as readonly string[]).includes(l));
  return {
    languages,
    chunks: totals.reduce((sum, t) => sum + Number(t.chunks), 0),
    synonyms: row?.synonyms ?? [],
  };
}

/** A form is a stop word when some language drops it entirely. */
const isStop = (lexemes: Lexeme[] | undefined, languages: readonly SearchLanguage[]) =>
  languages.some((l) => !lexemes?.some((x) => x.language === l));

/**
 * The languages a question is written in, judged by its stop words: those of the languages in
 * which the most of its words are stop words ("wie", "ich" are German stop words, "how", "is"
 * English ones). Every language when none of its words is a stop word anywhere, or for the
 * languages that have no stop words ('simple'). Pure.
 */
export function questionLanguages(
  words: readonly (Lexeme[] | undefined)[],
  languages: readonly SearchLanguage[],
): SearchLanguage[] {
  const withStopWords = languages.filter((l) => l !== 'simple');
  const counts = withStopWords.map(
    (l) => words.filter((lexemes) => lexemes !== undefined && !lexemes.some((x) => x.language === l)).length,
  );
  const most = Math.max(0, ...counts);
  if (most === 0) return [...languages];
  return [...withStopWords.filter((_, i) => counts[i] === most), ...languages.filter((l) => l === 'simple')];
}

/**
 * The lexemes that stand for one word. The parser splits a hyphenated word into the whole and
 * its parts ("e-bike" → e-bik, e, bike); the whole is what the word means, so it alone is kept.
 */
function wordLexemes(lexemes: Lexeme[]): Lexeme[] {
  const out: Lexeme[] = [];
  for (const language of new Set(lexemes.map((x) => x.language))) {
    const own = lexemes.filter((x) => x.language === language);
    const compound = own.filter((x) => x.lexeme.includes('-'));
    out.push(...(compound.length > 0 ? compound : own));
  }
  return out;
}

const sumDf = (lexemes: readonly Lexeme[]) => lexemes.reduce((sum, x) => sum + x.df, 0);
const distinct = (lexemes: readonly Lexeme[]) => [...new Set(lexemes.map((x) => x.lexeme))];

/** A single-word alternative. */
const wordAlternative = (lexemes: Lexeme[]): TermAlternative => ({
  phrase: [distinct(lexemes)],
  df: sumDf(lexemes),
});

/** A phrase alternative; its chunk count is at most that of its rarest word. */
function phraseAlternative(words: Lexeme[][]): TermAlternative {
  return {
    phrase: words.map((w) => distinct(w)),
    df: Math.min(...words.map((w) => sumDf(w))),
  };
}

/**
 * Tokens made of letters then digits: one word ("covid-19", "covid19") or a word followed by a
 * number ("covid 19"). Pure.
 */
export function letterDigitTokens(
  words: readonly string[],
): { at: number; span: 1 | 2; letters: string; digits: string }[] {
  const out: { at: number; span: 1 | 2; letters: string; digits: string }[] = [];
  words.forEach((word, i) => {
    const one = /^(\p{L}+)-?(\p{N}+)$/u.exec(word);
    if (one) out.push({ at: i, span: 1, letters: one[1]!, digits: one[2]! });
    const next = words[i + 1];
    if (/^\p{L}+$/u.test(word) && next !== undefined && /^\p{N}+$/u.test(next)) {
      out.push({ at: i, span: 2, letters: word, digits: next });
    }
  });
  return out;
}

/** The question's terms, weighted by informativeness in this org's knowledge (see file comment). */
export async function loadQueryTerms(tx: Tx, orgId: string, query: string): Promise<QueryTerm[]> {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const vocabulary = await loadVocabulary(tx, orgId);
  const { languages } = vocabulary;
  if (languages.length === 0) return [];

  // Only groups that may concern the question are analysed: one of their words starts like one
  // of its words (stemming keeps the first letters), so hundreds of groups cost nothing per query.
  const head = (word: string) => word.slice(0, 4);
  const heads = new Set(words.map(head));
  const synonymTerms = vocabulary.synonyms
    .map((group) => group.map((term) => queryWords(term)))
    .filter((group) => group.some((term) => term.some((word) => heads.has(head(word)))));
  const forms: { key: string; text: string }[] = words.map((text, i) => ({ key: `w${i}`, text }));
  for (let i = 0; i + 1 < words.length; i++) {
    if (/^\p{L}+$/u.test(words[i]!) && /^\p{L}+$/u.test(words[i + 1]!)) {
      forms.push({ key: `j${i}`, text: `${words[i]}${words[i + 1]}` });
    }
  }
  words.forEach((word, i) => {
    const base = irregularBase(word);
    if (base) forms.push({ key: `v${i}`, text: base });
  });
  const coded = letterDigitTokens(words);
  for (const { at, letters, digits } of coded) {
    forms.push({ key: `dl${at}`, text: letters });
    forms.push({ key: `dn${at}`, text: digits });
    forms.push({ key: `dh${at}`, text: `-${digits}` });
    forms.push({ key: `dj${at}`, text: `${letters}${digits}` });
  }
  synonymTerms.forEach((group, g) => {
    group.forEach((term, t) => {
      term.forEach((text, w) => {
        forms.push({ key: `s${g}.${t}.${w}`, text });
      });
    });
  });
  const analysis = await analyseForms(tx, orgId, languages, forms);

  const lexemesOf = (key: string) => analysis.get(key) ?? [];
  const stop = words.map((_, i) => isStop(analysis.get(`w${i}`), languages));
  const known = (lexemes: Lexeme[]) => lexemes.some((x) => x.df > 0);
  const used = new Array<boolean>(words.length).fill(false);
  const terms: Term[] = [];

  // 3. Synonyms: match each group term against runs of the question's content words.
  const content = words.map((_, i) => i).filter((i) => !stop[i]);
  const sameWord = (a: Lexeme[], b: Lexeme[]) => a.some((x) => b.some((y) => y.lexeme === x.lexeme));
  const groupPhrases = synonymTerms.map((group, g) =>
    group.map((term, t) =>
      term
        .map((_, w) => lexemesOf(`s${g}.${t}.${w}`))
        .filter((lexemes) => !isStop(lexemes, languages))
        .map(wordLexemes),
    ),
  );
  for (const phrases of groupPhrases) {
    for (const phrase of [...phrases].sort((a, b) => b.length - a.length)) {
      if (phrase.length === 0 || phrase.length > content.length) continue;
      for (let start = 0; start + phrase.length <= content.length; start++) {
        const at = content.slice(start, start + phrase.length);
        if (at.some((i) => used[i])) continue;
        if (!phrase.every((w, k) => sameWord(w, wordLexemes(lexemesOf(`w${at[k]}`))))) continue;
        for (const i of at) used[i] = true;
        terms.push({
          alternatives: phrases.filter((p) => p.length > 0).map((p) => phraseAlternative(p)),
          weight: 1,
        });
      }
    }
  }

  // 3b. Letters and digits ("COVID-19", "covid19", "covid 19"): one term matching every way of
  // writing them. The parser reads "COVID-19" as a word and a negative number, "covid19" as one
  // word, "covid 19" as a word and a number, so each is an alternative (those the org has).
  for (const { at, span } of coded) {
    const positions = Array.from({ length: span }, (_, k) => at + k);
    if (positions.some((i) => used[i])) continue;
    const known = (key: string) => wordLexemes(lexemesOf(key)).filter((x) => x.df > 0);
    const [stem, number, negative, joined] = ['dl', 'dn', 'dh', 'dj'].map((p) => known(`${p}${at}`)) as [
      Lexeme[],
      Lexeme[],
      Lexeme[],
      Lexeme[],
    ];
    const alternatives: TermAlternative[] = [];
    if (joined.length > 0) alternatives.push(wordAlternative(joined));
    if (stem.length > 0 && negative.length > 0) alternatives.push(phraseAlternative([stem, negative]));
    // Two words typed apart are taken together only when the org writes them as one token.
    if (alternatives.length === 0 && span === 2) continue;
    if (stem.length > 0 && number.length > 0) alternatives.push(phraseAlternative([stem, number]));
    if (alternatives.length === 0) continue;
    for (const i of positions) used[i] = true;
    terms.push({ alternatives, weight: 1 });
  }

  // 4. Split words joined.
  for (let i = 0; i + 1 < words.length; i++) {
    if (used[i] || used[i + 1] || (stop[i] && stop[i + 1])) continue;
    const joined = wordLexemes(lexemesOf(`j${i}`)).filter((x) => x.df > 0);
    if (joined.length === 0) continue;
    const parts = [i, i + 1].map((k) => (stop[k] ? [] : wordLexemes(lexemesOf(`w${k}`))));
    if (parts.every((p) => known(p))) continue;
    used[i] = used[i + 1] = true;
    terms.push({
      alternatives: [wordAlternative(joined), ...parts.filter(known).map(wordAlternative)],
      weight: 1,
    });
  }

  // A misspelling is repaired into a word of the question's own language, when its stop words
  // tell it ("wie lange garantie" is German: "lange" must not become the English "large").
  const asked = questionLanguages(
    words.map((_, i) => analysis.get(`w${i}`)),
    languages,
  );

  // 5. Single words with their other forms (word-forms.ts: "expiry" meets "expire", "broke"
  // meets "break"), and repairs of words the org knows in no form.
  const unknown: UnknownWord[] = [];
  const single = words.map((_, i) => (used[i] || stop[i] ? [] : wordLexemes(lexemesOf(`w${i}`))));
  const derived = await derivedLexemes(tx, orgId, single);
  for (let i = 0; i < words.length; i++) {
    const lexemes = single[i]!;
    if (lexemes.length === 0) continue;
    const own = distinct(lexemes);
    const others = [...derived[i]!, ...wordLexemes(lexemesOf(`v${i}`)).filter((x) => x.df > 0)].filter(
      (x) => !own.includes(x.lexeme),
    );
    if (known(lexemes) || others.length > 0) {
      terms.push({
        alternatives: [wordAlternative(lexemes), ...(others.length > 0 ? [wordAlternative(others)] : [])],
        weight: 1,
      });
    } else if (i > 0 && QUESTION_WORDS.has(words[i - 1]!)) {
      // The word after an interrogative frames the question ("wie lange", "how come"): a real
      // word of some language the knowledge base lacks, not a misspelling of one it has.
      terms.push({ alternatives: [wordAlternative(lexemes)], weight: 1 });
    } else unknown.push({ word: words[i]!, lexemes: lexemes.filter((x) => asked.includes(x.language)) });
  }
  if (unknown.length > 0) {
    const repairs = await correctWords(tx, orgId, languages, unknown);
    unknown.forEach((u, n) => {
      const repair = repairs[n];
      terms.push(
        repair
          ? {
              alternatives: [repair.alternative],
              weight: 1 - REPAIR_PENALTY * repair.cost,
              repairCost: repair.cost,
            }
          : { alternatives: [wordAlternative(u.lexemes)], weight: 1 },
      );
    });
  }

  const n = vocabulary.chunks;
  return terms.map((term) => {
    const df = Math.min(
      n,
      term.alternatives.reduce((sum, a) => sum + a.df, 0),
    );
    const phrases = term.alternatives.map((a) => a.phrase);
    const forms = phrases.flatMap((phrase) =>
      phrase.length === 1 ? phrase[0]!.map((lexeme) => phraseQuery([[lexeme]])) : [phraseQuery(phrase)],
    );
    return {
      query: anyQuery(phrases),
      forms: [...new Set(forms)],
      lexemes: [...new Set(phrases.flat(2))],
      idf: term.weight * dampedIdf(n, df),
      df,
      languages,
      repairCost: term.repairCost ?? 0,
    };
  });
}
