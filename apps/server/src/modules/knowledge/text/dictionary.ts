import type { SearchLanguage } from '../../../platform/db/schema/index.js';

/**
 * Whether a word is a real word of a language, from a Hunspell spelling dictionary (nspell with
 * dictionary-en: the standard en_US word list with its affix rules, so "started", "taste",
 * "smell" and "last" are words and "canda", "recieve" are not). Typo repair uses it so that only
 * misspellings are rewritten: a correct word the knowledge base happens to lack ("started") must
 * not become a different word it has ("state").
 *
 * The dictionary is loaded on first use (about half a second and 13 MB, once per process) and
 * only for languages we ship one for; for the others the answer is `null` (unknown), and typo
 * repair falls back to the knowledge base's own vocabulary.
 */
type Checker = (word: string) => boolean;

const loaders: Partial<Record<SearchLanguage, () => Promise<Checker>>> = {
  english: async () => {
    const [{ default: nspell }, { default: dictionary }] = await Promise.all([
      import('nspell'),
      import('dictionary-en'),
    ]);
    // dictionary-en's files are read as Uint8Arrays (Buffers at run time); nspell's types want Buffers.
    const speller = nspell({ aff: Buffer.from(dictionary.aff), dic: Buffer.from(dictionary.dic) });
    // A proper noun typed in lower case ("spain", "london") is a word, not a misspelling of one.
    return (word) => speller.correct(word) || speller.correct(word.charAt(0).toUpperCase() + word.slice(1));
  },
};

const loaded = new Map<SearchLanguage, Promise<Checker>>();

function checker(language: SearchLanguage): Promise<Checker> | null {
  const load = loaders[language];
  if (!load) return null;
  let promise = loaded.get(language);
  if (!promise) {
    // Search must not fail for want of a dictionary: without one, no word counts as known and
    // typo repair behaves as it did before dictionaries (the tests of typo repair would show it).
    promise = load().catch((): Checker => () => false);
    loaded.set(language, promise);
  }
  return promise;
}

/** Whether the dictionary of one of `languages` contains `word` (lower-cased). */
export async function isDictionaryWord(word: string, languages: readonly SearchLanguage[]): Promise<boolean> {
  for (const language of languages) {
    const check = checker(language);
    if (check && (await check)(word)) return true;
  }
  return false;
}

/** At least this many words, and this share of them in a dictionary, to name a short text's language. */
const MIN_WORDS = 3;
const MIN_SHARE = 0.8;
const MAX_WORDS = 200;

/**
 * The language of a text from its words alone, for texts trigram detection cannot tell (a
 * one-line answer, or plain English it takes for Scots): the language whose dictionary holds at
 * least MIN_SHARE of its words, or null. Only languages we ship a dictionary for can be named.
 */
export async function dictionaryLanguage(text: string): Promise<SearchLanguage | null> {
  const words = (text.toLowerCase().match(/\p{L}+(?:'\p{L}+)?/gu) ?? []).slice(0, MAX_WORDS);
  if (words.length < MIN_WORDS) return null;
  for (const language of Object.keys(loaders) as SearchLanguage[]) {
    const check = await checker(language)!;
    if (words.filter((w) => check(w)).length >= MIN_SHARE * words.length) return language;
  }
  return null;
}
