import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/**
 * The retention categories an organization can set a period for (the expiring categories of the
 * data map, data-map-types.ts, plus the job queue's finished jobs). The purge reads the data map
 * for which tables hold each category (modules/privacy/retention/purge-plan.ts).
 */
export const expiringCategories = [
  'transcripts',
  'contacts',
  'notification_outbox',
  'model_calls',
  'job_payloads',
] as const;
export type ExpiringCategory = (typeof expiringCategories)[number];

const categoryCheck = (column: unknown) =>
  sql`${column} in (${sql.raw(expiringCategories.map((c) => `'${c}'`).join(','))})`;

/**
 * An organization's own retention rule for one category. No row: the category's default.
 * `days` null means "keep" and is only accepted for categories that allow it (categories.ts).
 */
export const retentionRules = pgTable(
  'retention_rules',
  {
    orgId: orgId(),
    category: text('category', { enum: expiringCategories }).notNull(),
    days: integer('days'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.category] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('retention_rules_category_check', categoryCheck(t.category)),
    check('retention_rules_days_check', sql`${t.days} is null or ${t.days} between 1 and 3650`),
  ],
);

/**
 * A maximum period set for an organization by its reseller or by the platform (one row per
 * setter). The org's effective period is min(its rule, every cap); a rule above a cap is refused.
 */
export const retentionCaps = pgTable(
  'retention_caps',
  {
    orgId: orgId(),
    category: text('category', { enum: expiringCategories }).notNull(),
    setByOrgId: uuid('set_by_org_id').notNull(),
    maxDays: integer('max_days').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.category, t.setByOrgId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('retention_caps_category_check', categoryCheck(t.category)),
    check('retention_caps_max_days_check', sql`${t.maxDays} between 1 and 3650`),
  ],
);

/**
 * Anonymized daily aggregates, written by the retention purge in the transaction that deletes
 * the rows they summarise (so a conversation is counted either live or here, never both). Numbers
 * only: no visitor, conversation or message ids. Rows are additive (one per agent and day per
 * purge batch); readers sum them. Kept for the life of the organization.
 */
export const dailyAggregates = pgTable(
  'daily_aggregates',
  {
    orgId: orgId(),
    id: id(),
    /** UTC calendar day the counted events happened on (each measure on its own day). */
    day: date('day', { mode: 'string' }).notNull(),
    /** The agent, when the rows came from its conversations (null: org-wide, e.g. embeddings). */
    agentId: uuid('agent_id'),
    conversations: integer('conversations').notNull().default(0),
    messages: integer('messages').notNull().default(0),
    handoffs: integer('handoffs').notNull().default(0),
    resolvedWithoutPerson: integer('resolved_without_person').notNull().default(0),
    /** One value per answered handoff that day: seconds to the first operator reply (for medians). */
    firstResponseSeconds: doublePrecision('first_response_seconds')
      .array()
      .notNull()
      .default(sql`'{}'::double precision[]`),
    /** Customer satisfaction, once it is collected (null until then). */
    csatSum: integer('csat_sum'),
    csatCount: integer('csat_count'),
    /** How many ratings gave each score, 1 to 5 (with csat_sum/csat_count; never comments). */
    csat1: integer('csat_1').notNull().default(0),
    csat2: integer('csat_2').notNull().default(0),
    csat3: integer('csat_3').notNull().default(0),
    csat4: integer('csat_4').notNull().default(0),
    csat5: integer('csat_5').notNull().default(0),
    tokensIn: bigint('tokens_in', { mode: 'number' }).notNull().default(0),
    tokensOut: bigint('tokens_out', { mode: 'number' }).notNull().default(0),
    /** Assistant answers by how they were produced (messages.answer_mode). */
    answersModel: integer('answers_model').notNull().default(0),
    answersExtractive: integer('answers_extractive').notNull().default(0),
    answersHandoff: integer('answers_handoff').notNull().default(0),
    /** The model of rolled-up model calls (null on conversation rows). */
    model: text('model'),
    /** The org's provider and its kind of rolled-up model calls (null: server's own, unknown, or conversation rows). */
    providerId: uuid('provider_id'),
    providerKind: text('provider_kind'),
    /** USD of rolled-up model calls (null: none priced). */
    costUsd: doublePrecision('cost_usd'),
    /** Seconds of audio transcribed and characters spoken by rolled-up speech calls. */
    audioSeconds: doublePrecision('audio_seconds').notNull().default(0),
    characters: bigint('characters', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('daily_aggregates_day_idx').on(t.orgId, t.day),
  ],
);
