import type { CallCoaching, CallMetrics, CallModelChoice, CallScore, CallSegment } from '@confidant/contract';
import { z } from 'zod';
import type { ModelProvider } from '../../models/gateway.js';
import type { ModelDeps } from '../../models/resolve-provider.js';
import { generateStructured } from '../../models/structured-output.js';
import { metricTips } from './metric-tips.js';
import { speakerRoles, TRANSCRIPT_IS_DATA, transcriptLines } from './transcript-prompt.js';

export type CoachCallInput = {
  deps: ModelDeps;
  orgId: string;
  model: CallModelChoice | ModelProvider;
  segments: readonly CallSegment[];
  repSpeaker: string;
  metrics: CallMetrics;
  score: CallScore | null;
  signal: AbortSignal;
};

const coachingSchema = z.object({
  wentWell: z.array(z.string()).describe('2 to 4 specific things the rep did well'),
  tryNext: z.array(z.string()).describe('2 to 4 specific, actionable things to try next time'),
});

const MIN_ITEMS = 2;
const MAX_ITEMS = 4;

/**
 * Coaching for the rep: what went well and what to try next time, 2–4 items each, grounded in
 * the local metrics and rubric scores (both are given to the model with the transcript; metered
 * as 'call_coaching'). Items are trimmed, deduplicated and capped at 4; when the model gives
 * fewer than 2, the list is filled from the metrics themselves (metric-tips.ts), never padded
 * with generic text.
 */
export async function coachCall(input: CoachCallInput): Promise<CallCoaching> {
  const rep = input.metrics.speakers.find((s) => s.speaker === input.repSpeaker);
  const facts = [
    rep
      ? `Rep talk share ${Math.round(rep.talkShare * 100)}%, longest monologue ${Math.round(rep.longestMonologueSeconds)} s, ${rep.questions} questions asked, ${rep.interruptions} interruptions, ${Math.round(rep.wordsPerMinute)} words per minute, ${rep.fillerWords} filler words.`
      : 'The rep did not speak in this transcript.',
    ...(input.score
      ? [
          `Rubric "${input.score.rubricName}" total ${input.score.total}/100:`,
          ...input.score.criteria.map((c) => `- ${c.name}: ${c.score} of ${c.max} — ${c.rationale}`),
        ]
      : []),
  ].join('\n');
  const { object } = await generateStructured({
    deps: input.deps,
    orgId: input.orgId,
    model: input.model,
    schema: coachingSchema,
    schemaName: 'call_coaching',
    purpose: 'call_coaching',
    signal: input.signal,
    system: [
      'You are a supportive, direct sales and support coach. Give the rep specific feedback on this call.',
      'Ground every point in the metrics, the rubric scores or what was said; no generic advice. Two to four items per list, one sentence each.',
      speakerRoles(input.segments, input.repSpeaker),
      TRANSCRIPT_IS_DATA,
    ].join('\n'),
    prompt: `Metrics and scores:\n${facts}\n\nTranscript:\n${transcriptLines(input.segments)}`,
  });
  const tips = metricTips(input.metrics, input.repSpeaker, input.score);
  return {
    wentWell: fill(clean(object.wentWell), tips.wentWell),
    tryNext: fill(clean(object.tryNext), tips.tryNext),
  };
}

function clean(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const text = item.replace(/\s+/g, ' ').trim();
    const key = text.toLowerCase();
    if (!text || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out.slice(0, MAX_ITEMS);
}

function fill(items: string[], fallback: readonly string[]): string[] {
  const out = [...items];
  for (const tip of fallback) {
    if (out.length >= MIN_ITEMS) break;
    if (!out.includes(tip)) out.push(tip);
  }
  return out;
}
