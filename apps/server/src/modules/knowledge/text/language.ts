import { francAll } from 'franc';
import { type SearchLanguage, searchLanguages } from '../../../platform/db/schema/index.js';

/**
 * Language detection for indexing: which PostgreSQL text-search configuration (stemmer and stop
 * words) suits a text. franc (trigram profiles of 187 languages) names the language; we map its
 * ISO 639-3 code to one of `searchLanguages`. When unsure, the answer is 'simple' (lower-casing,
 * no stemming), which never harms matching, whereas a wrong stemmer would.
 */
const ISO_TO_SEARCH: Record<string, SearchLanguage> = {
  arb: 'arabic',
  hye: 'armenian',
  eus: 'basque',
  cat: 'catalan',
  dan: 'danish',
  nld: 'dutch',
  eng: 'english',
  fin: 'finnish',
  fra: 'french',
  deu: 'german',
  ell: 'greek',
  hin: 'hindi',
  hun: 'hungarian',
  ind: 'indonesian',
  gle: 'irish',
  ita: 'italian',
  lit: 'lithuanian',
  npi: 'nepali',
  nob: 'norwegian',
  nno: 'norwegian',
  por: 'portuguese',
  ron: 'romanian',
  rus: 'russian',
  srp: 'serbian',
  spa: 'spanish',
  swe: 'swedish',
  tam: 'tamil',
  tur: 'turkish',
  ydd: 'yiddish',
};

/** Texts with fewer letters than this are too short to tell (a title, a one-line answer). */
export const MIN_LETTERS = 40;
/** The detector reads at most this much: a help article's language shows in its first pages. */
const SAMPLE_CHARS = 4000;
/**
 * franc scores its candidates relative to the best (1). Close relatives score nearly alike
 * (English and Scots, Norwegian Bokmål and Danish), so a supported language within this share
 * of the best is taken over an unsupported best guess; anything further off means "unsure".
 */
const NEAR_TIE = 0.98;

/** Markdown and URLs carry no language; they are removed before detection. */
function sampleText(text: string): string {
  return text
    .slice(0, SAMPLE_CHARS * 2)
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[#*_`>|[\]()~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, SAMPLE_CHARS);
}

/** Whether a text has too few letters for detectLanguage to tell (it then answers 'simple'). */
export const tooShortToDetect = (text: string) =>
  (sampleText(text).match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS;

export function detectLanguage(text: string): SearchLanguage {
  const sample = sampleText(text);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return 'simple';
  const ranked = francAll(sample, { minLength: MIN_LETTERS });
  const best = ranked[0];
  if (!best || best[0] === 'und') return 'simple';
  for (const [code, score] of ranked) {
    if (score < NEAR_TIE * best[1]) break;
    const language = ISO_TO_SEARCH[code];
    if (language) return language;
  }
  return 'simple';
}

/** A value from outside (a job payload, an API field) as a search language, or null. */
export function parseSearchLanguage(value: unknown): SearchLanguage | null {
  return typeof value === 'string' && (searchLanguages as readonly string[]).includes(value)
    ? (value as SearchLanguage)
    : null;
}
