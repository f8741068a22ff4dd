import type { CallSegment } from '@confidant/contract';

/**
 * Transcript timestamps are approximate (word alignment, VAD padding): starting within this
 * long before the other speaker's end is an ordinary turn change, not an interruption.
 */
export const OVERLAP_TOLERANCE_SECONDS = 0.2;
/** Starting this soon after the other speaker stopped mid-sentence still cuts them off. */
export const CUT_OFF_GAP_SECONDS = 0.3;

/**
 * Interruptions: a segment S interrupts when another speaker's segment P started before it and
 * - S starts while P is still running, more than OVERLAP_TOLERANCE_SECONDS before P ends
 *   (P.start < S.start < P.end − tolerance; talking over someone), or
 * - (punctuated transcripts only) P stops mid-sentence — its text ends without . ? ! or … —
 *   and S starts no later than CUT_OFF_GAP_SECONDS after P's end (P cut off; the transcriber
 *   ended P where S took over).
 * Each S counts at most once, for S's speaker, however many segments it overlaps. A segment that
 * starts at the same instant as another is a simultaneous start, not an interruption.
 */
export function findInterruptions(segments: readonly CallSegment[], punctuated: boolean): CallSegment[] {
  return segments.filter((s) =>
    segments.some((p) => {
      if (p.speaker === s.speaker || !(p.start < s.start)) return false;
      if (s.start < p.end - OVERLAP_TOLERANCE_SECONDS) return true;
      return (
        punctuated &&
        s.start >= p.end - OVERLAP_TOLERANCE_SECONDS &&
        s.start <= p.end + CUT_OFF_GAP_SECONDS &&
        !/[.?!…]["')\]]*\s*$/u.test(p.text)
      );
    }),
  );
}
