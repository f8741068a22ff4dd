import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/client.js';
import { queryRows } from '../../../../platform/db/query-rows.js';
import type { SearchLanguage } from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import { dictionaryLanguage } from '../../text/dictionary.js';
import { parseSearchLanguage, tooShortToDetect } from '../../text/language.js';
import { detectDocumentLanguage, documentSample } from './chunk-document.js';
import type { LoadedDocument } from './load-document.js';

/**
 * The language most of an organization's knowledge is indexed in ('simple' aside), from the
 * lexicon's per-language chunk counts; null for an empty knowledge base. A text too short for
 * language detection is indexed in it, so one knowledge base stays in one configuration: a
 * one-line English answer indexed as 'simple' would neither be stemmed nor drop stop words, and
 * every question would be analysed twice, its terms becoming "English stem or simple form".
 */
export async function knowledgeLanguage(database: Database, orgId: string): Promise<SearchLanguage | null> {
  const [row] = await withTenant(database, [orgId], (tx) =>
    queryRows<{ language: string }>(
      tx,
      sql`select language from knowledge_lexicon
          where org_id = ${orgId} and lexeme = '' and language <> 'simple'
          order by chunks desc, language limit 1`,
    ),
  );
  return parseSearchLanguage(row?.language);
}

/**
 * A document's search language: what trigram detection names; when it is unsure, the language
 * whose dictionary holds nearly all its words (text/dictionary.ts: "Refunds take five days." is
 * English, and so is a plain English page that detection mistakes for Scots); failing that, for
 * a text too short to tell, the knowledge base's language (`kbLanguage`, see knowledgeLanguage).
 * A long text in a language we cannot stem stays 'simple'.
 */
export async function documentLanguage(
  document: LoadedDocument,
  kbLanguage: SearchLanguage | null,
): Promise<SearchLanguage> {
  const detected = detectDocumentLanguage(document);
  if (detected !== 'simple') return detected;
  const sample = documentSample(document);
  const byWords = await dictionaryLanguage(sample);
  if (byWords) return byWords;
  return tooShortToDetect(sample) ? (kbLanguage ?? 'simple') : 'simple';
}
