import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { phraseQuery } from './lexeme-query.js';
import type { QueryTerm } from './query-terms.js';
import type { SearchHit, SearchScope } from './search-hit.js';

/** ts_rank of one lexeme is at most its weight / 1.645 (Σ1/i²); this makes one body hit 0.5, a title hit 1. */
const RANK_SCALE = Math.PI ** 2 / 6;
/** How much the whole source's coverage of the query counts next to the chunk's own. */
const SOURCE_SHARE = 0.25;
/**
 * The share of the score given to how well the title (or the heading) and the question fit each
 * other: the part of the question's information found in the title times the part of the
 * title's words the question covers. Length-normalised, so an exact short title beats a long one
 * that happens to contain a rare word of the question, and a rare word deep in a body does not
 * outweigh an exact title match.
 */
const TITLE_SHARE = 0.2;
/** The share given to the question's cues (question words, query-words.ts) found in the title or heading: weak evidence. */
const CUE_SHARE = 0.1;
/**
 * Candidate generation reads the postings of the query's rarest terms only, as long as together
 * they hold at most this many chunks (by the lexicon's counts); commoner terms then only add to
 * the scores of those candidates. A chunk matching none of the rare terms could have won only on
 * common words, which weigh little (MaxScore-style pruning, approximate by design).
 */
export const CANDIDATE_BUDGET = 2000;
/**
 * Title fit and cues are computed for this many chunks, the best by term coverage (which
 * already weighs title and heading matches): a chunk further down would need nearly all of
 * TITLE_SHARE + CUE_SHARE to make the first k, and shaping every candidate of a large knowledge
 * base doubled the query's cost.
 */
const rerankDepth = (k: number) => Math.max(100, 4 * k);
/** A hard cap on scored chunks, for queries made only of words found nearly everywhere. */
const MAX_CANDIDATES = 1500;

/** The rarest terms OR'ed, together within CANDIDATE_BUDGET postings (at least one term). */
export function rarestTermsQuery(terms: readonly QueryTerm[]): string {
  const chosen: QueryTerm[] = [];
  let postings = 0;
  for (const term of [...terms].sort((x, y) => x.df - y.df)) {
    if (chosen.length > 0 && postings + term.df > CANDIDATE_BUDGET) break;
    chosen.push(term);
    postings += term.df;
  }
  return chosen.map((t) => `(${t.query})`).join(' | ');
}

const allTermsQuery = (terms: readonly QueryTerm[]) => terms.map((t) => `(${t.query})`).join(' & ');

/**
 * Ranks the org's searchable chunks — the current version of each ready source, within the
 * scope — against query terms. Visitors type questions, not keyword lists, so a chunk needs to
 * match only some of the terms (requiring all of them fails on most real questions). Each
 * matched term adds its IDF times how well it matches (0.5 once in the body, a little more when
 * repeated, 0.8 in a heading, 1 in the title), and the sum is divided by the query's total IDF.
 * Rare words therefore decide the ranking, and words no chunk contains lower the score without
 * excluding anything. A quarter of the score is the same measure over the chunk's whole source
 * (each term's best match in any of its chunks): a passage from the article that covers more of
 * the question wins a tie against an equally matching passage elsewhere. A term with several
 * forms (one per language of the org, or ways of writing it) counts its best-matching form.
 *
 * Next to that coverage: how well the title or heading fits the question (TITLE_SHARE), and the
 * question's cues (question words, query-words.ts) found in the title or heading (CUE_SHARE).
 */
export async function rankChunks(
  tx: Tx,
  orgId: string,
  terms: QueryTerm[],
  k: number,
  scope: SearchScope = {},
  cues: readonly (readonly string[])[] = [],
): Promise<SearchHit[]> {
  if (terms.length === 0 || (scope.sourceIds && scope.sourceIds.length === 0)) return [];
  // Only common words (each in more chunks than the budget): the passages having all of them are
  // the ones worth scoring; if too few do, the rarest word's passages are added.
  if (terms.length > 1 && terms.every((t) => t.df > CANDIDATE_BUDGET)) {
    const all = await scoreCandidates(tx, orgId, terms, cues, k, scope, allTermsQuery(terms));
    if (all.length >= k) return all;
    const more = await scoreCandidates(tx, orgId, terms, cues, k, scope, rarestTermsQuery(terms));
    const merged = new Map([...more, ...all].map((hit) => [hit.chunkId, hit]));
    return [...merged.values()].sort(byRank).slice(0, k).map(withoutTieBreak);
  }
  return (await scoreCandidates(tx, orgId, terms, cues, k, scope, rarestTermsQuery(terms))).map(
    withoutTieBreak,
  );
}

/**
 * A hit with what orders exact ties: never random ids (results would move between identical
 * loads), but the order knowledge was added in — the older source first, then its chunks in order.
 */
type RankedHit = SearchHit & { sourceScore: number; sourceAddedAt: string; ordinal: number };

const byRank = (x: RankedHit, y: RankedHit) =>
  y.score - x.score ||
  y.sourceScore - x.sourceScore ||
  (x.sourceAddedAt < y.sourceAddedAt ? -1 : x.sourceAddedAt > y.sourceAddedAt ? 1 : 0) ||
  (x.sourceId < y.sourceId ? -1 : x.sourceId > y.sourceId ? 1 : 0) ||
  x.ordinal - y.ordinal;

const withoutTieBreak = ({ sourceScore: _s, sourceAddedAt: _a, ordinal: _o, ...hit }: RankedHit): SearchHit =>
  hit;

/** Scores the searchable chunks matching `candidates` (a tsquery) against every term. */
async function scoreCandidates(
  tx: Tx,
  orgId: string,
  terms: QueryTerm[],
  cues: readonly (readonly string[])[],
  k: number,
  scope: SearchScope,
  candidates: string,
): Promise<RankedHit[]> {
  const inScope = scope.sourceIds
    ? sql`and c.source_id in (select jsonb_array_elements_text(${JSON.stringify(scope.sourceIds)}::jsonb)::uuid)`
    : sql``;
  const totalIdf = terms.reduce((sum, t) => sum + t.idf, 0) || 1;
  const cueShare = cues.length > 0 ? CUE_SHARE : 0;
  const lexicalShare = 1 - TITLE_SHARE - cueShare;
  const termsJson = JSON.stringify(
    terms.map((t) => ({ query: t.query, idf: t.idf, forms: t.forms?.length ? t.forms : [t.query] })),
  );
  // Cues are matched against the title and heading as written (the 'simple' configuration keeps
  // the words every language's configuration drops as stop words).
  const cueHits =
    cues.length > 0
      ? sql`(select count(*) from jsonb_array_elements_text(${JSON.stringify(cues.map((c) => phraseQuery(c.map((w) => [w]))))}::jsonb) as q(text)
             where to_tsvector('simple', l.title || ' ' || l.heading_path) @@ q.text::tsquery)::float8 / ${cues.length}::float8`
      : sql`0::float8`;
  const rows = await queryRows<{
    chunk_id: string;
    source_id: string;
    title: string;
    heading_path: string;
    content: string;
    url: string | null;
    score: number;
    source_w: number;
    source_added_at: string;
    ordinal: number;
  }>(
    tx,
    sql`with terms as (
          select (e.t->>'idf')::float8 as idf, (e.t->>'query')::tsquery as q,
                 array(select f::tsquery from jsonb_array_elements_text(e.t->'forms') as f) as forms, e.ord
          from jsonb_array_elements(${termsJson}::jsonb) with ordinality as e(t, ord)
        ),
        matches as materialized (
          select c.id, c.source_id, c.version, c.search_vector, c.ordinal, c.title, c.heading_path
          from knowledge_chunks c
          where c.org_id = ${orgId} and c.search_vector @@ ${candidates}::tsquery ${inScope}
          limit ${MAX_CANDIDATES}
        ),
        -- Joined after the index lookup, not during it: with the sources in the same scan, a
        -- planner without statistics (PGlite never analyzes on its own) walks every source's
        -- chunks instead of reading the full-text index.
        candidates as (
          select m.id, m.source_id, m.search_vector, m.ordinal, m.title, m.heading_path, s.created_at as source_created_at
          from matches m
          join knowledge_sources s
            on s.org_id = ${orgId} and s.id = m.source_id and (s.status = 'ready' or s.last_indexed_at is not null) and s.version = m.version
        ),
        -- A term counts its best form; most terms have one, and skip the subquery.
        hits as (
          select c.id, c.source_id, t.ord, t.idf,
                 case when cardinality(t.forms) = 1
                      then least(1, ${RANK_SCALE}::float8 * ts_rank('{0.5, 0.6, 0.8, 1.0}'::float4[], c.search_vector, t.q, 0))
                      else (select max(least(1, ${RANK_SCALE}::float8 * ts_rank('{0.5, 0.6, 0.8, 1.0}'::float4[], c.search_vector, f, 0)))
                            from unnest(t.forms) as f)
                 end as m
          from candidates c join terms t on c.search_vector @@ t.q
        ),
        -- Sums rounded: floating-point addition in whatever order the aggregate meets the terms
        -- differs in the last bits, which would break exact ties at random.
        chunk_scores as (
          select id, source_id, round(sum(idf * m)::numeric, 9)::float8 as w from hits group by id, source_id
        ),
        source_scores as (
          select source_id, round(sum(idf * m)::numeric, 9)::float8 as w
          from (select source_id, ord, max(idf) as idf, max(m) as m from hits group by source_id, ord) per_term
          group by source_id
        ),
        -- The term coverage alone decides which chunks are worth a closer look (title fit and
        -- cues can add at most TITLE_SHARE + CUE_SHARE): only these are shaped and reranked.
        lexical as (
          select cs.id, cs.source_id, ss.w as source_w, c.source_created_at, c.ordinal, c.search_vector,
                 c.title, c.heading_path,
                 (${1 - SOURCE_SHARE}::float8 * cs.w + ${SOURCE_SHARE}::float8 * ss.w) / ${totalIdf}::float8 as lex
          from chunk_scores cs
          join source_scores ss on ss.source_id = cs.source_id
          join candidates c on c.id = cs.id
          order by lex desc, source_w desc, c.source_created_at, cs.source_id, c.ordinal
          limit ${rerankDepth(k)}
        ),
        -- Each of them: its title and heading words (stop words aside), and the cues they hold.
        shaped as (
          select l.*, ts_filter(l.search_vector, '{a}') as title_vector, ts_filter(l.search_vector, '{b}') as heading_vector,
                 ${cueHits} as cues
          from lexical l
        ),
        fit as (
          select s.id,
                 coalesce(sum(t.idf) filter (where s.title_vector @@ t.q), 0) as title_w,
                 count(*) filter (where s.title_vector @@ t.q) as title_terms,
                 coalesce(sum(t.idf) filter (where s.heading_vector @@ t.q), 0) as heading_w,
                 count(*) filter (where s.heading_vector @@ t.q) as heading_terms
          from shaped s join terms t on s.search_vector @@ t.q
          group by s.id
        ),
        best as (
          select s.id, s.source_id, s.source_w, s.source_created_at, s.ordinal,
                 round((
                   ${lexicalShare}::float8 * s.lex
                   + ${TITLE_SHARE}::float8 * greatest(
                       f.title_w / ${totalIdf}::float8 * least(1, f.title_terms::float8 / greatest(1, length(s.title_vector))),
                       f.heading_w / ${totalIdf}::float8 * least(1, f.heading_terms::float8 / greatest(1, length(s.heading_vector))))
                   + ${cueShare}::float8 * s.cues
                 )::numeric, 9)::float8 as score
          from shaped s join fit f on f.id = s.id
          order by score desc, s.source_w desc, s.source_created_at, s.source_id, s.ordinal
          limit ${k}
        )
        select c.id as chunk_id, c.source_id, c.title, c.heading_path, c.content, coalesce(c.url, s.url) as url,
               b.score::float8 as score, b.source_w::float8 as source_w,
               to_char(b.source_created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as source_added_at, b.ordinal
        from best b
        cross join lateral (select * from knowledge_chunks c where c.org_id = ${orgId} and c.id = b.id) c
        cross join lateral (select s.url from knowledge_sources s where s.org_id = ${orgId} and s.id = c.source_id) s
        order by b.score desc, b.source_w desc, b.source_created_at, b.source_id, b.ordinal`,
  );
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    sourceId: r.source_id,
    title: r.title,
    headingPath: r.heading_path,
    content: r.content,
    url: r.url,
    score: Math.min(1, Number(r.score ?? 0)),
    sourceScore: Number(r.source_w ?? 0),
    sourceAddedAt: r.source_added_at,
    ordinal: Number(r.ordinal),
  }));
}
