import type { CallEvidence, CallSegment } from '@confidant/contract';

/**
 * Evidence the model cited, checked against the stored transcript after it answered.
 *
 * A quote is looked for, normalised (case, punctuation and whitespace ignored), first in the
 * segment it cites; failing that, in every segment (the nearest to the cited index wins) and the
 * citation re-pointed there; failing that, it is dropped: a model's fabricated or paraphrased
 * quote never reaches the org. The quote kept is the transcript's own wording (the matched span of
 * the segment's text), and start/end always come from the stored segment, never from the model.
 * Duplicates (same segment, same words) are kept once.
 */
export type CitedEvidence = { segmentIndex: number; quote: string };

export function verifyEvidence(
  cited: readonly CitedEvidence[],
  segments: readonly CallSegment[],
): CallEvidence[] {
  const byIndex = new Map(segments.map((s) => [s.index, s]));
  const kept: CallEvidence[] = [];
  const seen = new Set<string>();
  for (const { segmentIndex, quote } of cited) {
    const wanted = normalise(quote).text;
    if (!wanted) continue;
    const found = locate(wanted, byIndex.get(segmentIndex), segmentIndex, segments);
    if (!found) continue;
    const key = `${found.segment.index}:${normalise(found.quote).text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({
      quote: found.quote,
      segmentIndex: found.segment.index,
      start: found.segment.start,
      end: found.segment.end,
    });
  }
  return kept;
}

function locate(
  wanted: string,
  cited: CallSegment | undefined,
  citedIndex: number,
  segments: readonly CallSegment[],
): { segment: CallSegment; quote: string } | null {
  if (cited) {
    const quote = findIn(wanted, cited.text);
    if (quote !== null) return { segment: cited, quote };
  }
  const nearestFirst = [...segments].sort(
    (a, b) => Math.abs(a.index - citedIndex) - Math.abs(b.index - citedIndex) || a.index - b.index,
  );
  for (const segment of nearestFirst) {
    const quote = findIn(wanted, segment.text);
    if (quote !== null) return { segment, quote };
  }
  return null;
}

/** The span of `text` whose normalised form contains `wanted` on word boundaries, or null. */
function findIn(wanted: string, text: string): string | null {
  const { text: norm, origin } = normalise(text);
  let at = norm.indexOf(wanted);
  while (at !== -1) {
    const end = at + wanted.length;
    const boundaryBefore = at === 0 || norm[at - 1] === ' ';
    const boundaryAfter = end === norm.length || norm[end] === ' ';
    if (boundaryBefore && boundaryAfter) return text.slice(origin[at]!, origin[end - 1]! + 1);
    at = norm.indexOf(wanted, at + 1);
  }
  return null;
}

/**
 * Lower case, letters/digits/placeholder brackets and underscores kept, every run of anything
 * else one space; `origin[i]` is where normalised character i came from in the original.
 */
export function normalise(text: string): { text: string; origin: number[] } {
  let out = '';
  const origin: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/[\p{L}\p{N}_[\]]/u.test(ch)) {
      if (pendingSpace && out) {
        out += ' ';
        origin.push(i);
      }
      pendingSpace = false;
      const lower = ch.toLowerCase();
      // toLowerCase keeps length for the scripts we meet; guard anyway so origin stays aligned.
      for (const c of lower) {
        out += c;
        origin.push(i);
      }
    } else if (ch === "'" || ch === '’') {
      // "don't" and "dont" match: apostrophes vanish without a space.
    } else {
      pendingSpace = true;
    }
  }
  return { text: out, origin };
}
