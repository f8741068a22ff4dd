import type { CallMetrics, CallSegment, CallSpeakerMetrics } from '@confidant/contract';
import { countFillers } from './fillers.js';
import { findInterruptions } from './interruptions.js';
import { longestMonologue, monologues } from './monologues.js';
import { countQuestions } from './questions.js';
import { talkSecondsBySpeaker, talkShares } from './talk-time.js';
import { round, transcriptDuration } from './timeline.js';
import { countWords, hasSentencePunctuation } from './words.js';

/**
 * Local call metrics (no model): per speaker talk time and share, longest monologue, questions,
 * interruptions, speaking rate and filler words; the call's totals. Each concept and its exact
 * definition lives in its own file here. Pure: same segments (in any order) → same metrics.
 *
 * Roles: the speaker the org named as the rep is 'rep', every other speaker 'customer'.
 * Speakers are listed in label order ('A', 'B', …). Seconds are rounded to 0.01, shares to
 * 0.0001, words per minute to 0.1.
 */
export function computeCallMetrics(segments: readonly CallSegment[], repSpeaker: string): CallMetrics {
  const punctuated = hasSentencePunctuation(segments.map((s) => s.text));
  const talk = talkSecondsBySpeaker(segments);
  const shares = talkShares(talk);
  const runs = monologues(segments);
  const interruptions = findInterruptions(segments, punctuated);
  const speakers: CallSpeakerMetrics[] = [...talk.keys()].sort().map((speaker) => {
    const own = segments.filter((s) => s.speaker === speaker);
    const fillerCounts: Record<string, number> = {};
    for (const s of own) {
      for (const [filler, n] of countFillers(s.text)) fillerCounts[filler] = (fillerCounts[filler] ?? 0) + n;
    }
    const talkSeconds = talk.get(speaker) ?? 0;
    const words = own.reduce((n, s) => n + countWords(s.text), 0);
    return {
      speaker,
      role: speaker === repSpeaker ? 'rep' : 'customer',
      talkSeconds: round(talkSeconds, 2),
      talkShare: round(shares.get(speaker) ?? 0, 4),
      longestMonologueSeconds: round(
        runs.filter((r) => r.speaker === speaker).reduce((max, r) => Math.max(max, r.seconds), 0),
        2,
      ),
      questions: own.reduce((n, s) => n + countQuestions(s.text, punctuated), 0),
      interruptions: interruptions.filter((s) => s.speaker === speaker).length,
      wordsPerMinute: talkSeconds > 0 ? round(words / (talkSeconds / 60), 1) : 0,
      fillerWords: Object.values(fillerCounts).reduce((a, b) => a + b, 0),
      fillerCounts: Object.fromEntries(Object.entries(fillerCounts).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  });
  const longest = longestMonologue(runs);
  const totalTalk = [...talk.values()].reduce((a, b) => a + b, 0);
  const totalWords = segments.reduce((n, s) => n + countWords(s.text), 0);
  return {
    durationSeconds: round(transcriptDuration(segments), 2),
    speakers,
    longestMonologue: longest
      ? {
          speaker: longest.speaker,
          start: round(longest.start, 2),
          end: round(longest.end, 2),
          seconds: round(longest.seconds, 2),
        }
      : null,
    questions: speakers.reduce((n, s) => n + s.questions, 0),
    interruptions: interruptions.length,
    wordsPerMinute: totalTalk > 0 ? round(totalWords / (totalTalk / 60), 1) : 0,
    fillerWords: speakers.reduce((n, s) => n + s.fillerWords, 0),
  };
}
