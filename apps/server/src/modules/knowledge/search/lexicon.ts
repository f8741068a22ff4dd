import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import type { SearchLanguage } from '../../../platform/db/schema/index.js';
import { withLexiconCache } from './lexicon-cache.js';

/** One lexeme of an analysed form, in one language, with the number of chunks containing it. */
export type Lexeme = { language: SearchLanguage; lexeme: string; df: number };

/** One way a query term can match: a phrase (positions in order, each any of its lexemes). */
export type TermAlternative = { phrase: string[][]; df: number };

/**
 * Stems each form with each language and looks its lexemes up in the org's lexicon. A form with
 * no entry for a language is a stop word (or punctuation) there.
 */
export async function analyseForms(
  tx: Tx,
  orgId: string,
  languages: readonly SearchLanguage[],
  forms: readonly { key: string; text: string }[],
): Promise<Map<string, Lexeme[]>> {
  if (forms.length === 0 || languages.length === 0) return new Map();
  return withLexiconCache(tx, orgId, languages, forms, (missing) =>
    lookUpForms(tx, orgId, languages, missing),
  );
}

async function lookUpForms(
  tx: Tx,
  orgId: string,
  languages: readonly SearchLanguage[],
  forms: readonly { key: string; text: string }[],
): Promise<Map<string, Lexeme[]>> {
  const out = new Map<string, Lexeme[]>();
  const rows = await queryRows<{ key: string; language: SearchLanguage; lexeme: string; df: number }>(
    tx,
    // A scalar subquery per lexeme: one primary-key probe each, whatever the lexicon's size (a
    // join would be planned from the functions' default row estimates and read the whole lexicon).
    sql`select f.key, l.language, x.lexeme,
               coalesce((select lx.chunks from knowledge_lexicon lx
                         where lx.org_id = ${orgId} and lx.language = l.language and lx.lexeme = x.lexeme), 0)::int as df
        from jsonb_to_recordset(${JSON.stringify(forms)}::jsonb) as f(key text, text text)
        cross join jsonb_array_elements_text(${JSON.stringify(languages)}::jsonb) as l(language)
        cross join lateral unnest(tsvector_to_array(to_tsvector(l.language::regconfig, f.text))) as x(lexeme)`,
  );
  for (const r of rows) {
    const list = out.get(r.key) ?? [];
    list.push({ language: r.language, lexeme: r.lexeme, df: Number(r.df) });
    out.set(r.key, list);
  }
  return out;
}
