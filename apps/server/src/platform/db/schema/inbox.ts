import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { conversations } from './conversations.js';
import { organizations } from './organizations.js';

/** Saved replies operators insert by shortcut (e.g. "/refund"). */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    orgId: orgId(),
    id: id(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('canned_responses_shortcut_idx').on(t.orgId, t.shortcut),
    check('canned_responses_shortcut_check', sql`${t.shortcut} ~ '^[a-z0-9][a-z0-9_-]{0,31}$'`),
  ],
);

/** Where each operator has read a conversation up to: the inbox's unread counts. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    orgId: orgId(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: tstz('read_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.conversationId, t.userId] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Operator presence: refreshed while an operator has the live events stream open (or acts), so
 * any process can answer "is someone available?" honestly. Online = seen in the last few minutes.
 */
export const operatorPresence = pgTable(
  'operator_presence',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);

export const contactPurposes = ['reply_by_email'] as const;
export type ContactPurpose = (typeof contactPurposes)[number];

/**
 * An email address a visitor left, with explicit consent, so the team can reply when nobody was
 * available in the chat. Invariant: a row exists only with consent (consented_at, and the hash of
 * the exact consent text shown); one row per conversation and purpose (a new address replaces it).
 */
export const visitorContacts = pgTable(
  'visitor_contacts',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    email: text('email').notNull(),
    /** Keyed hash of the address (privacy/subjects/subject-hash.ts): how a data-subject request finds it. */
    emailHash: text('email_hash'),
    purpose: text('purpose', { enum: contactPurposes }).notNull(),
    consentTextHash: text('consent_text_hash').notNull(),
    consentedAt: tstz('consented_at').notNull().defaultNow(),
    withdrawnAt: tstz('withdrawn_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    uniqueIndex('visitor_contacts_conversation_purpose_idx').on(t.orgId, t.conversationId, t.purpose),
    index('visitor_contacts_email_idx').on(t.orgId, t.email),
    index('visitor_contacts_email_hash_idx').on(t.orgId, t.emailHash),
    check('visitor_contacts_purpose_check', sql`${t.purpose} in ('reply_by_email')`),
  ],
);
