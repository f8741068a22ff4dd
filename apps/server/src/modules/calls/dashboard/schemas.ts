import { z } from 'zod';
import { safeString } from '../../../platform/http/schemas.js';

/** The longest period one dashboard covers. */
export const MAX_PERIOD_DAYS = 366;
/** Without `from`: the 12 weeks up to `to`. */
export const DEFAULT_PERIOD_DAYS = 84;

const day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

export const dashboardQuery = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    rubricId: z.uuid({ message: 'must be a UUID' }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_PERIOD_DAYS, {
    message: `the period must be at most ${MAX_PERIOD_DAYS} days`,
    path: ['to'],
  });

export const repCoachingParams = z.strictObject({ repName: safeString().trim().min(1).max(200) });
export const repCoachingQuery = z.strictObject({
  rubricId: z.uuid({ message: 'must be a UUID' }).optional(),
});

const weeks = z.array(z.object({ week: z.string(), average: z.number(), calls: z.number().int() }));

export const callDashboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    calls: z.number().int(),
    averageScore: z.number().nullable(),
    perCriterion: z.array(
      z.object({ criterionId: z.string(), name: z.string(), average: z.number().nullable(), weeks }),
    ),
    perRep: z.array(
      z.object({
        repName: z.string(),
        calls: z.number().int(),
        averageScore: z.number().nullable(),
        talkShare: z.number().nullable(),
        weeks,
      }),
    ),
  })
  .meta({ id: 'CallDashboard' });

export const repCoachingSchema = z
  .object({
    repName: z.string(),
    calls: z.number().int(),
    averageScore: z.number().nullable(),
    criteria: z.array(
      z.object({
        criterionId: z.string(),
        name: z.string(),
        average: z.number().nullable(),
        teamAverage: z.number().nullable(),
      }),
    ),
    strengths: z.array(z.string()),
    focusAreas: z.array(z.string()),
    recent: z.array(
      z.object({
        callId: z.string(),
        title: z.string(),
        score: z.number().nullable(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'RepCoaching' });
