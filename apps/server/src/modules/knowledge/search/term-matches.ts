import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import type { QueryTerm } from './query-terms.js';
import type { HitTerm, SearchHit } from './search-hit.js';

/**
 * Where each of the query's terms matched each hit: in the chunk's title, its headings (and its
 * own, last heading), its body, or elsewhere in its source (another section of the same article);
 * and how many lexemes the hit's own heading has (stop words not counted; in the language that
 * drops most of them, which is the heading's own), so that the share of
 * a heading a question covers can be told ("How to wash a down jacket" is all covered by "wash my
 * down jacket", "How to wash a rain jacket" not). Read from the chunks' own
 * search vectors, so it is exactly what the ranking saw: the same lexemes, stop words, synonyms
 * and typo repairs, in every language the org's knowledge is in.
 */
export async function hitTermMatches(
  tx: Tx,
  orgId: string,
  terms: readonly QueryTerm[],
  hits: readonly SearchHit[],
): Promise<{ terms: HitTerm[]; headingLexemes: number }[]> {
  const blank = (term: QueryTerm): HitTerm => ({
    query: term.query,
    idf: term.idf,
    df: term.df,
    chunks: 0,
    lexemes: term.lexemes,
    repairCost: term.repairCost,
    languages: term.languages,
    inTitle: false,
    inHeading: false,
    inBody: false,
    inSource: false,
    inOwnHeading: false,
  });
  const out = hits.map(() => ({ terms: terms.map(blank), headingLexemes: 0 }));
  if (hits.length === 0 || terms.length === 0) return out;
  const languages = terms[0]!.languages;
  const rows = await queryRows<{
    chunk_id: string;
    term: number;
    in_title: boolean;
    in_heading: boolean;
    in_body: boolean;
    in_source: boolean;
    in_own_heading: boolean;
    heading_lexemes: number;
    chunks: number;
  }>(
    tx,
    sql`with terms as (
          select (e.t->>'query')::tsquery as q, (e.ord - 1)::int as term
          from jsonb_array_elements(${JSON.stringify(terms.map((t) => ({ query: t.query })))}::jsonb)
            with ordinality as e(t, ord)
        ),
        languages as (
          select l.language::regconfig as config
          from jsonb_array_elements_text(${JSON.stringify(languages)}::jsonb) as l(language)
        ),
        hits as (
          select c.id, c.source_id, c.version, c.search_vector,
                 -- The passage's own heading: the last of its heading path, else its title.
                 coalesce(nullif(regexp_replace(c.heading_path, '^.* > ', ''), ''), c.title) as own_heading
          from knowledge_chunks c
          where c.org_id = ${orgId}
            and c.id in (select jsonb_array_elements_text(${JSON.stringify(hits.map((h) => h.chunkId))}::jsonb)::uuid)
        )
        select h.id as chunk_id, t.term,
               ts_filter(h.search_vector, '{a}') @@ t.q as in_title,
               ts_filter(h.search_vector, '{b}') @@ t.q as in_heading,
               ts_filter(h.search_vector, '{c,d}') @@ t.q as in_body,
               exists (select 1 from knowledge_chunks s
                        where s.org_id = ${orgId} and s.source_id = h.source_id and s.version = h.version
                          and s.search_vector @@ t.q) as in_source,
               exists (select 1 from languages l where to_tsvector(l.config, h.own_heading) @@ t.q) as in_own_heading,
               (select coalesce(min(length(to_tsvector(l.config, h.own_heading))), 0)::int from languages l)
                 as heading_lexemes,
               (select coalesce(sum(lx.chunks), 0)::int from knowledge_lexicon lx
                 where lx.org_id = ${orgId} and lx.lexeme = '') as chunks
        from hits h cross join terms t`,
  );
  const index = new Map(hits.map((h, i) => [h.chunkId, i]));
  for (const r of rows) {
    const hit = out[index.get(r.chunk_id) ?? -1];
    const term = hit?.terms[Number(r.term)];
    if (!hit || !term) continue;
    hit.headingLexemes = Number(r.heading_lexemes);
    term.inOwnHeading = r.in_own_heading;
    term.inTitle = r.in_title;
    term.inHeading = r.in_heading;
    term.inBody = r.in_body;
    term.inSource = r.in_source;
    term.chunks = Number(r.chunks);
  }
  return out;
}

/**
 * Which of the terms each text contains (indices into `terms`), matched with the database's own
 * stemmers in every language of the org's knowledge, as search matched them: for choosing which
 * sentences of a passage answer a question.
 */
export async function matchTermsInTexts(
  tx: Tx,
  terms: readonly Pick<HitTerm, 'query' | 'languages'>[],
  texts: readonly string[],
): Promise<number[][]> {
  const out = texts.map((): number[] => []);
  const languages = terms[0]?.languages ?? [];
  if (terms.length === 0 || texts.length === 0 || languages.length === 0) return out;
  const rows = await queryRows<{ i: number; term: number }>(
    tx,
    sql`with terms as (
          select (e.t->>'query')::tsquery as q, (e.ord - 1)::int as term
          from jsonb_array_elements(${JSON.stringify(terms.map((t) => ({ query: t.query })))}::jsonb)
            with ordinality as e(t, ord)
        ),
        vectors as (
          select (e.ord - 1)::int as i, to_tsvector(l.language::regconfig, e.value) as v
          from jsonb_array_elements_text(${JSON.stringify(texts)}::jsonb) with ordinality as e(value, ord)
          cross join jsonb_array_elements_text(${JSON.stringify(languages)}::jsonb) as l(language)
        )
        select distinct v.i, t.term from vectors v join terms t on v.v @@ t.q order by v.i, t.term`,
  );
  for (const r of rows) out[Number(r.i)]?.push(Number(r.term));
  return out;
}
