import type { Rubric } from '@confidant/contract';
import { z } from 'zod';

/**
 * What the model must answer for a rubric: per criterion (by id) a score, a rationale and
 * evidence as `{ segmentIndex, quote }`. The scale is stated in each description rather than
 * enforced as min/max here: an out-of-scale score is clamped afterwards (score-call.ts) instead of
 * failing the whole answer.
 */
export function scoreSchema(rubric: Rubric) {
  const ids = rubric.criteria.map((c) => c.id) as [string, ...string[]];
  const { min, max } = rubric.scale;
  return z.object({
    criteria: z
      .array(
        z.object({
          criterionId: z.enum(ids).describe('The id of the rubric criterion scored'),
          score: z.number().describe(`The score, from ${min} (worst) to ${max} (best)`),
          rationale: z.string().describe('Why this score, in one to three sentences'),
          evidence: z
            .array(
              z.object({
                segmentIndex: z.number().int().describe('The [index] of the transcript line quoted'),
                quote: z.string().describe('Words copied exactly from that line'),
              }),
            )
            .describe('One to three short quotes from the transcript supporting the score'),
        }),
      )
      .describe('One entry per rubric criterion'),
  });
}

export type ModelScores = z.infer<ReturnType<typeof scoreSchema>>;
