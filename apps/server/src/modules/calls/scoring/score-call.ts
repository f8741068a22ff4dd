import type {
  CallCriterionScore,
  CallModelChoice,
  CallScore,
  CallSegment,
  Rubric,
} from '@confidant/contract';
import { AppError } from '../../../platform/errors.js';
import type { ModelProvider } from '../../models/gateway.js';
import type { ModelDeps } from '../../models/resolve-provider.js';
import { generateStructured } from '../../models/structured-output.js';
import { scoreSchema } from './score-schema.js';
import { speakerRoles, TRANSCRIPT_IS_DATA, transcriptLines } from './transcript-prompt.js';
import { verifyEvidence } from './verify-evidence.js';

export type ScoreCallInput = {
  deps: ModelDeps;
  orgId: string;
  model: CallModelChoice | ModelProvider;
  rubric: Rubric;
  segments: readonly CallSegment[];
  repSpeaker: string;
  signal: AbortSignal;
  /** When the score is made (tests pass a fixed one). */
  now?: Date;
};

/**
 * Scores a call against a rubric with the org's chosen model (structured output through the
 * gateway: redacted, metered as 'call_scoring'), then checks the answer:
 * - each criterion's score is clamped into the rubric's scale (a non-number is refused: that
 *   criterion is left out); a criterion the model skipped or repeated is scored once or not at all;
 * - evidence is verified against the stored transcript (verify-evidence.ts);
 * - the total is the weighted mean of the scored criteria, each normalised to 0..1 on the scale,
 *   × 100, rounded to 0.1.
 * Throws AppError('unavailable') when the model scored no criterion at all.
 */
export async function scoreCall(input: ScoreCallInput): Promise<CallScore> {
  const { rubric } = input;
  const { min, max } = rubric.scale;
  const criteriaText = rubric.criteria
    .map((c) => `- id "${c.id}": ${c.name} (weight ${c.weight}) — ${c.description}`)
    .join('\n');
  const { object, provider } = await generateStructured({
    deps: input.deps,
    orgId: input.orgId,
    model: input.model,
    schema: scoreSchema(rubric),
    schemaName: 'call_scores',
    purpose: 'call_scoring',
    signal: input.signal,
    system: [
      'You evaluate recorded sales and support calls against a rubric, fairly and strictly.',
      `Score every criterion from ${min} (worst) to ${max} (best), explain why briefly, and cite evidence: the [index] of a transcript line and words copied exactly from it.`,
      'Only cite what was actually said. If there is no evidence for a criterion, give a low score and an empty evidence list.',
      speakerRoles(input.segments, input.repSpeaker),
      TRANSCRIPT_IS_DATA,
    ].join('\n'),
    prompt: `Rubric: ${rubric.name}${rubric.description ? ` — ${rubric.description}` : ''}\nCriteria:\n${criteriaText}\n\nTranscript:\n${transcriptLines(input.segments)}`,
  });
  const answered = new Map<string, (typeof object.criteria)[number]>();
  for (const c of object.criteria) if (!answered.has(c.criterionId)) answered.set(c.criterionId, c);
  const criteria: CallCriterionScore[] = rubric.criteria.flatMap((criterion) => {
    const a = answered.get(criterion.id);
    if (!a || !Number.isFinite(a.score)) return [];
    return [
      {
        criterionId: criterion.id,
        name: criterion.name,
        score: Math.min(max, Math.max(min, a.score)),
        min,
        max,
        weight: criterion.weight,
        rationale: a.rationale.trim(),
        evidence: verifyEvidence(a.evidence, input.segments),
      },
    ];
  });
  if (criteria.length === 0) throw new AppError('unavailable', 'The model did not score the call');
  return {
    rubricId: rubric.id,
    rubricName: rubric.name,
    total: weightedTotal(criteria),
    criteria,
    providerId: provider.providerId ?? null,
    model: provider.model,
    scoredAt: (input.now ?? new Date()).toISOString(),
  };
}

/** Weighted mean of the normalised scores, 0..100 (one decimal). A flat scale counts as full marks. */
export function weightedTotal(
  criteria: readonly Pick<CallCriterionScore, 'score' | 'min' | 'max' | 'weight'>[],
) {
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const share = c.max > c.min ? (c.score - c.min) / (c.max - c.min) : 1;
    sum += c.weight * share;
    weights += c.weight;
  }
  return weights > 0 ? Math.round((sum / weights) * 1000) / 10 : 0;
}
