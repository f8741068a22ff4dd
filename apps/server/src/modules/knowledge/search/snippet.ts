import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { markdownToPlain } from '../text/markdown-to-plain.js';
import { splitSentences } from '../text/split-sentences.js';
import type { QueryTerm } from './query-terms.js';

/** Snippets are a preview, not the passage: at most this many characters, ellipses included. */
export const SNIPPET_MAX = 240;

/** A chunk's text as plain sentences (list items and table rows count as sentences). */
export function plainSentences(content: string): string[] {
  return markdownToPlain(content)
    .split(/\n+/)
    .flatMap((line) => splitSentences(line));
}

/** Where a stemmed word probably occurs in text: stems are mostly prefixes of the words they came from. */
function findTermOffset(text: string, lexemes: string[]): number {
  const lower = text.toLowerCase();
  let best = -1;
  for (const lexeme of lexemes) {
    const at = new RegExp(`(?<![\\p{L}\\p{N}])${lexeme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').exec(
      lower,
    )?.index;
    if (at !== undefined && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** Cuts `text` to at most `max` characters at word boundaries, keeping `focus` in view. */
function windowAround(
  text: string,
  focus: number,
  max: number,
): { text: string; cutStart: boolean; cutEnd: boolean } {
  if (text.length <= max) return { text, cutStart: false, cutEnd: false };
  const budget = max - 2; // room for an ellipsis on each side
  let start = Math.max(0, Math.min(focus - Math.floor(budget / 4), text.length - budget));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < start + 30 ? space + 1 : start;
  }
  let end = Math.min(text.length, start + budget);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > start + budget / 2 ? space : end;
  }
  return { text: text.slice(start, end).trim(), cutStart: start > 0, cutEnd: end < text.length };
}

/**
 * A snippet from a chunk's sentences: the best sentence, widened with its neighbours (next
 * first, then previous) while it fits, or cut around its first matching word when it alone is too
 * long. "…" marks text left out on either side. Pure.
 */
export function buildSnippet(
  sentences: string[],
  best: number,
  lexemes: string[],
  max = SNIPPET_MAX,
): string {
  if (sentences.length === 0) return '';
  const focus = sentences[best] ?? sentences[0]!;
  let first = Math.min(Math.max(best, 0), sentences.length - 1);
  let last = first;
  let text = focus;
  if (text.length > max - 2) {
    const cut = windowAround(text, Math.max(0, findTermOffset(text, lexemes)), max - 2);
    const before = cut.cutStart || first > 0 ? '…' : '';
    const after = cut.cutEnd || last < sentences.length - 1 ? '…' : '';
    return `${before}${cut.text}${after}`;
  }
  const room = () => max - (first > 0 ? 1 : 0) - (last < sentences.length - 1 ? 1 : 0);
  for (;;) {
    const next = sentences[last + 1];
    if (next !== undefined && text.length + 1 + next.length <= room()) {
      text = `${text} ${next}`;
      last++;
      continue;
    }
    const prev = sentences[first - 1];
    if (prev !== undefined && prev.length + 1 + text.length <= room()) {
      text = `${prev} ${text}`;
      first--;
      continue;
    }
    break;
  }
  return `${first > 0 ? '…' : ''}${text}${last < sentences.length - 1 ? '…' : ''}`;
}

/**
 * Picks each hit's best-matching sentence (most query IDF matched, earliest on ties) and builds
 * its snippet. Sentences are matched by the database's own stemmers (every language of the org's
 * knowledge, as the search did), so "refunded" in a sentence matches "refunds" in the question.
 */
export async function selectSnippets(
  tx: Tx,
  terms: QueryTerm[],
  hits: { content: string }[],
): Promise<string[]> {
  const perHit = hits.map((hit) => plainSentences(hit.content));
  const flat = perHit.flat();
  const scores = new Array<number>(flat.length).fill(0);
  const languages = terms[0]?.languages ?? [];
  if (terms.length > 0 && flat.length > 0 && languages.length > 0) {
    const rows = await queryRows<{ i: number; score: number }>(
      tx,
      sql`with terms as (
            select (e.t->>'idf')::float8 as idf, (e.t->>'query')::tsquery as q, e.ord
            from jsonb_array_elements(${JSON.stringify(terms.map((t) => ({ query: t.query, idf: t.idf })))}::jsonb)
              with ordinality as e(t, ord)
          ),
          vectors as (
            select (e.ord - 1)::int as i, to_tsvector(l.language::regconfig, e.value) as v
            from jsonb_array_elements_text(${JSON.stringify(flat)}::jsonb) with ordinality as e(value, ord)
            cross join jsonb_array_elements_text(${JSON.stringify(languages)}::jsonb) as l(language)
          ),
          matched as (select distinct v.i, t.ord, t.idf from vectors v join terms t on v.v @@ t.q)
          select i, sum(idf)::float8 as score from matched group by i`,
    );
    for (const row of rows) scores[Number(row.i)] = Number(row.score);
  }
  const lexemes = terms.flatMap((t) => t.lexemes);
  let offset = 0;
  return perHit.map((sentences) => {
    let best = 0;
    for (let i = 1; i < sentences.length; i++) if (scores[offset + i]! > scores[offset + best]!) best = i;
    offset += sentences.length;
    return buildSnippet(sentences, best, lexemes);
  });
}
