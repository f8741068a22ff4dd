import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/**
 * Call analysis (modules/calls/): uploaded sales and support calls, transcribed, redacted,
 * scored against rubrics and measured locally.
 *
 * Invariants:
 * - the audio lives only in the blob store, envelope-encrypted per blob
 *   (platform/blobs/encrypted-blob-store.ts); `call_recordings` is its index and holds the
 *   wrapped data key. Deleting a recording row without deleting its blob is a bug: every path
 *   that deletes rows (API delete, erasure, retention purge) deletes the blob file too;
 * - every table with an encrypted column has an `id` (envelopes are bound to org/table/column/id,
 *   and `confidant keys rotate` rewraps by id);
 * - transcript text, score rationales/evidence and coaching are envelope-encrypted, each bound to
 *   org/table/column/row; the plain columns hold timings, speaker labels, numbers and ids only;
 * - the customer's email/phone are kept as keyed hashes (modules/privacy/subjects/subject-hash.ts)
 *   so a data-subject request finds their calls, plus their encrypted values for the export.
 */

export const callStatuses = ['queued', 'transcribing', 'analyzing', 'ready', 'failed'] as const;
export type CallStatusValue = (typeof callStatuses)[number];

/** A rubric criterion as stored (the contract's RubricCriterion). */
export type StoredRubricCriterion = { id: string; name: string; description: string; weight: number };

/** An org's rubrics: criteria with descriptions and weights, scored on one scale. */
export const rubrics = pgTable(
  'rubrics',
  {
    orgId: orgId(),
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    scaleMin: integer('scale_min').notNull().default(1),
    scaleMax: integer('scale_max').notNull().default(5),
    criteria: jsonb('criteria').$type<StoredRubricCriterion[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('rubrics_scale_check', sql`${t.scaleMin} < ${t.scaleMax}`),
  ],
);

/** Per-org call settings (one row; none: defaults, no models → calls cannot be processed). */
export const callSettings = pgTable(
  'call_settings',
  {
    orgId: orgId().primaryKey(),
    transcriptionProviderId: uuid('transcription_provider_id'),
    transcriptionModel: text('transcription_model'),
    scoringProviderId: uuid('scoring_provider_id'),
    scoringModel: text('scoring_model'),
    defaultRubricId: uuid('default_rubric_id'),
    maxBytes: bigint('max_bytes', { mode: 'number' }),
    maxDurationSeconds: integer('max_duration_seconds'),
    updatedAt: updatedAt(),
  },
  (t) => [foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade')],
);

/**
 * One uploaded call. `rubric_id` has no foreign key: deleting a rubric keeps the calls scored
 * with it (their scores carry the rubric's name). `progress` is 0..1 while processing.
 */
export const calls = pgTable(
  'calls',
  {
    orgId: orgId(),
    id: id(),
    title: text('title').notNull(),
    repName: text('rep_name'),
    status: text('status', { enum: callStatuses }).notNull().default('queued'),
    progress: doublePrecision('progress').notNull().default(0),
    error: text('error'),
    mediaType: text('media_type').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    durationSeconds: doublePrecision('duration_seconds'),
    language: text('language'),
    rubricId: uuid('rubric_id'),
    repSpeaker: text('rep_speaker').notNull().default('A'),
    diarized: boolean('diarized').notNull().default(false),
    /** Weighted total of the latest score, 0..100 (denormalised for lists and filters). */
    score: doublePrecision('score'),
    customerEmailHash: text('customer_email_hash'),
    customerEmailCiphertext: text('customer_email_ciphertext'),
    customerPhoneHash: text('customer_phone_hash'),
    customerPhoneCiphertext: text('customer_phone_ciphertext'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    processedAt: tstz('processed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('calls_org_created_idx').on(t.orgId, t.createdAt),
    index('calls_rep_idx').on(t.orgId, t.repName),
    index('calls_customer_email_idx').on(t.orgId, t.customerEmailHash),
    index('calls_customer_phone_idx').on(t.orgId, t.customerPhoneHash),
    check('calls_status_check', sql`${t.status} in ('queued','transcribing','analyzing','ready','failed')`),
  ],
);

/**
 * Where a call's audio is: the blob-store key of the encrypted bytes and the data key wrapped
 * under the master key (an `ev1` envelope bound to this row, so key rotation rewraps it).
 * Expires by the `recordings` retention rule, before (by default) the transcript.
 */
export const callRecordings = pgTable(
  'call_recordings',
  {
    orgId: orgId(),
    id: id(),
    callId: uuid('call_id').notNull(),
    blobKey: text('blob_key').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    keyVersion: integer('key_version').notNull(),
    mediaType: text('media_type').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('call_recordings_call_idx').on(t.orgId, t.callId),
    foreignKey({ columns: [t.orgId, t.callId], foreignColumns: [calls.orgId, calls.id] }).onDelete('cascade'),
  ],
);

/** Transcript lines with timings and speaker labels; the text is envelope-encrypted. */
export const callSegments = pgTable(
  'call_segments',
  {
    orgId: orgId(),
    id: id(),
    callId: uuid('call_id').notNull(),
    index: integer('index').notNull(),
    startSeconds: doublePrecision('start_seconds').notNull(),
    endSeconds: doublePrecision('end_seconds').notNull(),
    speaker: text('speaker').notNull(),
    textCiphertext: text('text_ciphertext').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('call_segments_call_idx').on(t.orgId, t.callId, t.index),
    foreignKey({ columns: [t.orgId, t.callId], foreignColumns: [calls.orgId, calls.id] }).onDelete('cascade'),
  ],
);

/** Per criterion numbers as stored in plain (for dashboards): no text from the call. */
export type StoredCriterionScore = {
  criterionId: string;
  name: string;
  score: number;
  min: number;
  max: number;
  weight: number;
};

/**
 * A call scored against a rubric. Numbers per criterion in plain; rationales and evidence
 * (quotes from the call) encrypted as one JSON document.
 */
export const callScores = pgTable(
  'call_scores',
  {
    orgId: orgId(),
    id: id(),
    callId: uuid('call_id').notNull(),
    rubricId: uuid('rubric_id').notNull(),
    rubricName: text('rubric_name').notNull(),
    total: doublePrecision('total').notNull(),
    criteria: jsonb('criteria').$type<StoredCriterionScore[]>().notNull(),
    detailsCiphertext: text('details_ciphertext').notNull(),
    providerId: uuid('provider_id'),
    model: text('model').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.callId], foreignColumns: [calls.orgId, calls.id] }).onDelete('cascade'),
    index('call_scores_call_idx').on(t.orgId, t.callId),
  ],
);

/** Local metrics of a call (contract CallMetrics): counts and timings only, no words. */
export const callMetrics = pgTable(
  'call_metrics',
  {
    orgId: orgId(),
    callId: uuid('call_id').notNull(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.callId] }),
    foreignKey({ columns: [t.orgId, t.callId], foreignColumns: [calls.orgId, calls.id] }).onDelete('cascade'),
  ],
);

/** Coaching for one call (what went well, what to try next), encrypted: it may quote the call. */
export const callCoaching = pgTable(
  'call_coaching',
  {
    orgId: orgId(),
    id: id(),
    callId: uuid('call_id').notNull(),
    coachingCiphertext: text('coaching_ciphertext').notNull(),
    providerId: uuid('provider_id'),
    model: text('model').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('call_coaching_call_idx').on(t.orgId, t.callId),
    foreignKey({ columns: [t.orgId, t.callId], foreignColumns: [calls.orgId, calls.id] }).onDelete('cascade'),
  ],
);
