import type { CallMetrics, CallScore } from '@confidant/contract';

/**
 * Coaching points that follow from the numbers alone (no model): used to complete a model's
 * coaching that came back too short. Thresholds are common sales-coaching rules of thumb: the
 * rep talking more than 65% of the time or for over 2.5 minutes at a stretch, asking fewer than
 * 3 questions, interrupting, speaking faster than 180 words a minute, or more than 1 filler in
 * 50 words.
 */
export function metricTips(
  metrics: CallMetrics,
  repSpeaker: string,
  score: CallScore | null,
): { wentWell: string[]; tryNext: string[] } {
  const wentWell: string[] = [];
  const tryNext: string[] = [];
  const rep = metrics.speakers.find((s) => s.speaker === repSpeaker);
  if (rep) {
    const share = Math.round(rep.talkShare * 100);
    if (rep.talkShare > 0.65) tryNext.push(`Let the customer talk more: you spoke ${share}% of the time.`);
    else wentWell.push(`Balanced conversation: you spoke ${share}% of the time and let the customer talk.`);
    if (rep.longestMonologueSeconds > 150) {
      tryNext.push(
        `Break up long explanations: your longest monologue ran ${Math.round(rep.longestMonologueSeconds)} seconds; check in with a question.`,
      );
    }
    if (rep.questions >= 3) wentWell.push(`You asked ${rep.questions} questions to understand the customer.`);
    else tryNext.push(`Ask more discovery questions: you asked ${rep.questions}.`);
    if (rep.interruptions > 0) {
      tryNext.push(
        `Let the customer finish: you started while they were still speaking ${rep.interruptions} time${rep.interruptions === 1 ? '' : 's'}.`,
      );
    } else wentWell.push('You let the customer finish before speaking.');
    if (rep.wordsPerMinute > 180)
      tryNext.push(`Slow down a little: you spoke ${Math.round(rep.wordsPerMinute)} words per minute.`);
    const words = (rep.wordsPerMinute * rep.talkSeconds) / 60;
    if (words > 0 && rep.fillerWords / words > 1 / 50) {
      const top = Object.entries(rep.fillerCounts).sort((a, b) => b[1] - a[1])[0];
      tryNext.push(`Cut filler words: ${rep.fillerWords} in this call${top ? `, mostly "${top[0]}"` : ''}.`);
    }
  }
  if (score && score.criteria.length > 0) {
    const sorted = [...score.criteria].sort((a, b) => normalised(b) - normalised(a));
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    if (normalised(best) >= 0.7) wentWell.push(`Strong on ${best.name} (${best.score} of ${best.max}).`);
    if (worst !== best && normalised(worst) < 0.6)
      tryNext.push(`Focus on ${worst.name} (${worst.score} of ${worst.max}).`);
  }
  return { wentWell, tryNext };
}

const normalised = (c: { score: number; min: number; max: number }) =>
  c.max > c.min ? (c.score - c.min) / (c.max - c.min) : 1;
