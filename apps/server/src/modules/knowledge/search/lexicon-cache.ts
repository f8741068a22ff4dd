import { hotCacheOfTx } from '../../../platform/cache/hot-cache.js';
import type { Tx } from '../../../platform/db/client.js';
import type { SearchLanguage } from '../../../platform/db/schema/index.js';
import type { Lexeme } from './lexicon.js';

/**
 * What the org's vocabulary says about each word form (its lexemes per language, with their
 * chunk counts), remembered per org between questions: visitors reuse the same words, and this
 * lookup ran once per question and once more per typo repair. Kept in the database's hot cache
 * (platform/cache/hot-cache.ts, topic `knowledge`): any change to the org's lexicon, sources or
 * synonyms drops it in every process. Without a started cache, every form is looked up.
 *
 * `lookup` is the uncached analysis of the forms not known yet; its result is split per form
 * (an empty list is remembered too: a stop word, or a word the org does not have).
 */
export async function withLexiconCache(
  tx: Tx,
  orgId: string,
  languages: readonly SearchLanguage[],
  forms: readonly { key: string; text: string }[],
  lookup: (forms: readonly { key: string; text: string }[]) => Promise<Map<string, Lexeme[]>>,
): Promise<Map<string, Lexeme[]>> {
  const cache = hotCacheOfTx(tx);
  if (!cache) return lookup(forms);
  const prefix = `lex:${orgId}:${languages.join(',')}:`;
  const out = new Map<string, Lexeme[]>();
  const missing: { key: string; text: string }[] = [];
  for (const form of forms) {
    const known = cache.peek<Lexeme[]>('knowledge', `${prefix}${form.text}`);
    if (known) out.set(form.key, known);
    else missing.push(form);
  }
  if (missing.length === 0) return out;
  const generation = cache.generation('knowledge');
  const found = await lookup(missing);
  for (const form of missing) {
    const lexemes = found.get(form.key) ?? [];
    if (lexemes.length > 0) out.set(form.key, lexemes);
    cache.put('knowledge', `${prefix}${form.text}`, orgId, lexemes, generation);
  }
  return out;
}
