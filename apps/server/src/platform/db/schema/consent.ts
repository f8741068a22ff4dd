import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { id, orgId, tstz, updatedAt } from './columns.js';
import { conversations } from './conversations.js';

/**
 * An agent's flow: the ordered steps the widget runs before the chat (message, quick-reply
 * buttons, form, handoff, AI). `steps` is validated at the edge (modules/flows/flow-schema.ts);
 * `version` grows on every save and is the version of the consent notices the forms show.
 */
export const agentFlows = pgTable(
  'agent_flows',
  {
    orgId: orgId(),
    agentId: uuid('agent_id').notNull(),
    steps: jsonb('steps').$type<unknown[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.agentId] }),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
  ],
);

export const consentMethods = ['checkbox', 'identify', 'gpc'] as const;
export type ConsentMethod = (typeof consentMethods)[number];
export const consentOutcomes = ['granted', 'declined', 'refused'] as const;
export type ConsentOutcome = (typeof consentOutcomes)[number];

/**
 * One answer of a visitor to one purpose of a form: granted (ticked), declined (not ticked: what
 * was typed was discarded) or refused (the browser sent Global Privacy Control for an optional
 * purpose: never asked). Holds the SHA-256 of the exact notice text shown and the flow version
 * it came from, never the text. `withdrawn_at` is set when the visitor withdraws from the widget.
 */
export const consentRecords = pgTable(
  'consent_records',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    stepId: text('step_id').notNull(),
    purpose: text('purpose').notNull(),
    noticeHash: text('notice_hash').notNull(),
    noticeVersion: integer('notice_version').notNull(),
    method: text('method', { enum: consentMethods }).notNull(),
    outcome: text('outcome', { enum: consentOutcomes }).notNull(),
    recordedAt: tstz('recorded_at').notNull().defaultNow(),
    withdrawnAt: tstz('withdrawn_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    index('consent_records_conversation_idx').on(t.orgId, t.conversationId, t.recordedAt),
    check('consent_records_method_check', sql`${t.method} in ('checkbox','identify','gpc')`),
    check('consent_records_outcome_check', sql`${t.outcome} in ('granted','declined','refused')`),
  ],
);

export const capturedFieldKinds = ['name', 'email', 'phone', 'text', 'select', 'custom'] as const;
export type CapturedFieldKind = (typeof capturedFieldKinds)[number];

/**
 * What a visitor typed into a form field, kept only under a granted consent record for the
 * field's purpose. The value is envelope-encrypted, bound to this row; emails and phone numbers
 * also get a keyed hash so a data-subject request finds them. Withdrawal deletes the rows.
 */
export const capturedValues = pgTable(
  'captured_values',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    consentId: uuid('consent_id').notNull(),
    fieldKey: text('field_key').notNull(),
    fieldKind: text('field_kind', { enum: capturedFieldKinds }).notNull(),
    label: text('label').notNull(),
    purpose: text('purpose').notNull(),
    valueCiphertext: text('value_ciphertext').notNull(),
    valueHash: text('value_hash'),
    capturedAt: tstz('captured_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.consentId],
      foreignColumns: [consentRecords.orgId, consentRecords.id],
    }).onDelete('cascade'),
    index('captured_values_conversation_idx').on(t.orgId, t.conversationId),
    index('captured_values_hash_idx').on(t.orgId, t.valueHash),
    check(
      'captured_values_kind_check',
      sql`${t.fieldKind} in ('name','email','phone','text','select','custom')`,
    ),
  ],
);
