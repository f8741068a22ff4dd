import type { Citation } from './citation.js';

/**
 * How `[n]` citation markers in an answer's text are shown: as small numbered references to the
 * answer's sources. Shared by the widget and the console (a pure module on its own path, like
 * contrast.ts, so the main entry stays types-only).
 *
 * Numbering invariants:
 * - sources are the citations deduplicated by source, in the order given (the server orders
 *   them by first citation in the text); a marker shows the 1-based position of its source in
 *   that list, so the numbers in the text match the "Sources" list below it;
 * - a marker resolves through the citations' `markers` when the server recorded them; without
 *   them (answers stored before), the distinct marker numbers in order of first appearance map
 *   one to one onto the sources only when there are exactly as many of each (the server lists
 *   the sources in that order); otherwise nothing can be resolved safely;
 * - a marker that resolves to no source is removed, never shown as raw `[n]`.
 */

/** A run of markers with the spaces before it: `[1]`, `[1][2]`, ` [1, 2]`, `[1] [3]`. */
export const MARKER_RUN = /(?:[ \t]*\[\d{1,3}(?:[ \t]*,[ \t]*\d{1,3})*\])+/g;

export type CitationNumbering = {
  /** The sources to list, numbered from 1 in this order. */
  sources: Citation[];
  /** The display number (1-based position in `sources`) of marker `[n]`, if it cites one. */
  numberOf(marker: number): number | undefined;
};

export function numberCitations(text: string, citations: readonly Citation[]): CitationNumbering {
  const sources: Citation[] = [];
  const position = new Map<string, number>();
  for (const c of citations) {
    const at = position.get(c.sourceId);
    if (at === undefined) {
      position.set(c.sourceId, sources.length);
      sources.push(c);
    } else if (c.markers) {
      const first = sources[at] as Citation;
      sources[at] = { ...first, markers: [...(first.markers ?? []), ...c.markers] };
    }
  }
  const numbers = new Map<number, number>();
  if (sources.some((c) => c.markers)) {
    sources.forEach((c, i) => {
      for (const m of c.markers ?? []) if (!numbers.has(m)) numbers.set(m, i + 1);
    });
  } else {
    const seen = [...new Set(markersIn(text))];
    if (seen.length === sources.length) {
      seen.forEach((m, i) => {
        numbers.set(m, i + 1);
      });
    }
  }
  return { sources, numberOf: (marker) => numbers.get(marker) };
}

/** The marker numbers in `text` in order, outside code spans (those stay literal). */
function markersIn(text: string): number[] {
  const prose = text.replace(/`[^`]+`/g, '');
  return [...prose.matchAll(MARKER_RUN)].flatMap((m) => (m[0].match(/\d+/g) ?? []).map(Number));
}

/**
 * Splits plain text (no code spans) into text and marker runs, each run as the display numbers
 * it cites: deduplicated, in the order written, unresolved ones dropped; a run citing nothing
 * disappears with the spaces before it.
 */
export function splitMarkers(
  text: string,
  numberOf: (marker: number) => number | undefined,
): (string | number[])[] {
  const out: (string | number[])[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER_RUN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const cited = (m[0].match(/\d+/g) ?? []).map((n) => numberOf(Number(n)));
    const numbers = [...new Set(cited.filter((n): n is number => n !== undefined))];
    if (numbers.length > 0) out.push(numbers);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * A streaming answer without its trailing partial marker (`[`, `[1`, `[1, 2`): the rest of it
 * has not arrived, so it must not flash as raw text.
 */
export function withoutPartialMarker(text: string): string {
  return text.replace(/[ \t]*\[[\d, \t]*$/, '');
}

/** The host a source link points to, for the sources list ("help.example.com"). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Only http(s) addresses become links: never `javascript:`, `data:` and the like. */
export function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
