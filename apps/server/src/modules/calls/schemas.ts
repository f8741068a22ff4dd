import { z } from 'zod';
import { callStatuses } from '../../platform/db/schema/index.js';
import { nonBlank, safeString } from '../../platform/http/schemas.js';
import { SERVER_MAX_BYTES, SERVER_MAX_DURATION_SECONDS } from './settings.js';

/** Zod/OpenAPI shapes of the call-analysis API (packages/contract/src/calls-api.ts). */
export const TITLE_MAX = 300;
export const REP_NAME_MAX = 200;

export const repNameSchema = nonBlank(REP_NAME_MAX);
export const speakerSchema = safeString().regex(/^[A-Z]{1,2}$/, 'must be a speaker label such as "A" or "B"');
export const languageSchema = safeString().regex(
  /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/,
  'must be a language code such as "en"',
);

export const callSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    repName: z.string().nullable(),
    status: z.enum(callStatuses),
    progress: z.number(),
    error: z.string().nullable(),
    mediaType: z.string(),
    byteSize: z.number().int(),
    durationSeconds: z.number().nullable(),
    language: z.string().nullable(),
    score: z.number().nullable(),
    rubricId: z.uuid().nullable(),
    createdAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: 'CallSummary' });

const segmentSchema = z
  .object({
    index: z.number().int(),
    start: z.number(),
    end: z.number(),
    speaker: z.string(),
    text: z.string(),
  })
  .meta({ id: 'CallSegment' });

const speakerMetricsSchema = z.object({
  speaker: z.string(),
  role: z.enum(['rep', 'customer', 'unknown']),
  talkSeconds: z.number(),
  talkShare: z.number(),
  longestMonologueSeconds: z.number(),
  questions: z.number(),
  interruptions: z.number(),
  wordsPerMinute: z.number(),
  fillerWords: z.number(),
  fillerCounts: z.record(z.string(), z.number()),
});

const metricsSchema = z
  .object({
    durationSeconds: z.number(),
    speakers: z.array(speakerMetricsSchema),
    longestMonologue: z
      .object({ speaker: z.string(), start: z.number(), end: z.number(), seconds: z.number() })
      .nullable(),
    questions: z.number(),
    interruptions: z.number(),
    wordsPerMinute: z.number(),
    fillerWords: z.number(),
  })
  .meta({ id: 'CallMetrics' });

const evidenceSchema = z.object({
  quote: z.string(),
  segmentIndex: z.number().int(),
  start: z.number(),
  end: z.number(),
});

const scoreSchema = z
  .object({
    rubricId: z.uuid(),
    rubricName: z.string(),
    total: z.number(),
    criteria: z.array(
      z.object({
        criterionId: z.string(),
        name: z.string(),
        score: z.number(),
        min: z.number(),
        max: z.number(),
        weight: z.number(),
        rationale: z.string(),
        evidence: z.array(evidenceSchema),
      }),
    ),
    providerId: z.string().nullable(),
    model: z.string(),
    scoredAt: z.string(),
  })
  .meta({ id: 'CallScore' });

export const callDetailSchema = callSummarySchema
  .extend({
    diarized: z.boolean(),
    repSpeaker: z.string(),
    segments: z.array(segmentSchema),
    metrics: metricsSchema.nullable(),
    scores: z.array(scoreSchema),
    coaching: z.object({ wentWell: z.array(z.string()), tryNext: z.array(z.string()) }).nullable(),
  })
  .meta({ id: 'CallDetail' });

export const callPageSchema = z
  .object({ calls: z.array(callSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CallPage' });

export const listCallsQuery = z.strictObject({
  status: z.enum(callStatuses).optional(),
  repName: repNameSchema.optional(),
  rubricId: z.uuid({ message: 'must be a UUID' }).optional(),
  minScore: z.coerce.number().min(0).max(100).optional(),
  maxScore: z.coerce.number().min(0).max(100).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  q: nonBlank(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const callChangesBody = z.strictObject({
  title: nonBlank(TITLE_MAX).optional(),
  repName: repNameSchema.nullable().optional(),
  repSpeaker: speakerSchema.optional(),
});

export const reprocessBody = z
  .strictObject({ rubricId: z.uuid({ message: 'must be a UUID' }).optional() })
  .nullish();

/** The multipart text fields of an upload, validated after reading (multipart bypasses `body`). */
export const uploadFields = z.strictObject({
  title: nonBlank(TITLE_MAX).optional(),
  repName: repNameSchema.optional(),
  rubricId: z.uuid({ message: 'must be a UUID' }).optional(),
  language: languageSchema.optional(),
  customerEmail: z.email({ message: 'must be an email address' }).max(320).optional(),
  customerPhone: safeString()
    .regex(/^\+?[0-9 ().-]{5,30}$/, 'must be a phone number')
    .optional(),
});
export const UPLOAD_FIELD_NAMES = Object.keys(uploadFields.shape);

const criterionInput = z.strictObject({
  id: safeString()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  name: nonBlank(200),
  description: nonBlank(2000),
  weight: z.number().positive().max(100).optional(),
});

const scaleSchema = z.strictObject({
  min: z.number().int().min(0).max(100),
  max: z.number().int().min(1).max(100),
});

export const rubricInputSchema = z.strictObject({
  name: nonBlank(200),
  description: safeString().max(2000).optional(),
  scale: scaleSchema.optional(),
  criteria: z.array(criterionInput).min(1).max(30),
});

export const rubricPatchSchema = rubricInputSchema.partial();

export const rubricSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    scale: z.object({ min: z.number(), max: z.number() }),
    criteria: z.array(
      z.object({ id: z.string(), name: z.string(), description: z.string(), weight: z.number() }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Rubric' });

const modelChoice = z.strictObject({
  providerId: z.uuid({ message: 'must be a UUID' }),
  model: nonBlank(200),
});

const callSettingsShape = {
  transcription: modelChoice.nullable(),
  scoring: modelChoice.nullable(),
  defaultRubricId: z.uuid({ message: 'must be a UUID' }).nullable(),
  maxBytes: z.number().int().min(1024).max(SERVER_MAX_BYTES),
  maxDurationSeconds: z.number().int().min(1).max(SERVER_MAX_DURATION_SECONDS),
};
export const callSettingsBody = z.strictObject(callSettingsShape);
export const callSettingsSchema = z.object(callSettingsShape).meta({ id: 'CallSettings' });
