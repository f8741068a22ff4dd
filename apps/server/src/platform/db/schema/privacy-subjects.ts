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
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { createdAt, id, orgId, tstz } from './columns.js';
import { conversations } from './conversations.js';
import { organizations } from './organizations.js';

/**
 * A per-agent secret the host site signs its user ids with (Confidant.identify): HMAC-SHA256 of
 * the user id under this secret proves the page, not the visitor, named the user. Stored
 * envelope-encrypted; shown once when generated; a new one replaces the old (rotation).
 */
export const agentIdentitySecrets = pgTable(
  'agent_identity_secrets',
  {
    orgId: orgId(),
    // Encrypted values are bound to (org, table, column, id): rewrap-secrets needs an id column.
    id: id(),
    agentId: uuid('agent_id').notNull(),
    secretCiphertext: text('secret_ciphertext').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('agent_identity_secrets_agent_idx').on(t.orgId, t.agentId),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * Who a visitor is, as the host page told us (verified identify). Invariants: identifiers are
 * findable by exact value only through keyed hashes (privacy/subjects/subject-hash.ts); the clear
 * values an operator or an export needs are envelope-encrypted, bound to this row. One identity
 * per conversation (identifying again replaces it).
 */
export const visitorIdentities = pgTable(
  'visitor_identities',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    userIdHash: text('user_id_hash').notNull(),
    emailHash: text('email_hash'),
    userIdCiphertext: text('user_id_ciphertext').notNull(),
    emailCiphertext: text('email_ciphertext'),
    nameCiphertext: text('name_ciphertext'),
    verifiedAt: tstz('verified_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    uniqueIndex('visitor_identities_conversation_idx').on(t.orgId, t.conversationId),
    index('visitor_identities_user_idx').on(t.orgId, t.userIdHash),
    index('visitor_identities_email_idx').on(t.orgId, t.emailHash),
  ],
);

export const privacyRequestTypes = ['export', 'erasure'] as const;
export type PrivacyRequestType = (typeof privacyRequestTypes)[number];
export const privacyRequestStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type PrivacyRequestStatus = (typeof privacyRequestStatuses)[number];
export const subjectKinds = ['email', 'phone', 'userId', 'conversationId'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/**
 * A data-subject request (export or erasure). Invariants: the identifier itself is never stored —
 * only its keyed hash (to find the subject's data again while the job runs) and a masked hint for
 * people; an export's zip is encrypted in the blob store under a random key sealed in
 * `export_key_ciphertext`, and both go at `export_expires_at` (crypto-shred, then the bytes).
 */
export const privacyRequests = pgTable(
  'privacy_requests',
  {
    orgId: orgId(),
    id: id(),
    type: text('type', { enum: privacyRequestTypes }).notNull(),
    subjectKind: text('subject_kind', { enum: subjectKinds }).notNull(),
    subjectHash: text('subject_hash').notNull(),
    subjectMasked: text('subject_masked').notNull(),
    /** The identifier, encrypted, only while the job needs it (to search text); nulled when done. */
    subjectCiphertext: text('subject_ciphertext'),
    /**
     * The subject's conversations, found once: a retried erasure finishes with the same set even
     * after the rows that led to them (contacts, identities, messages) are gone. Nulled when done.
     */
    conversationIds: jsonb('conversation_ids').$type<string[]>(),
    note: text('note'),
    status: text('status', { enum: privacyRequestStatuses }).notNull().default('queued'),
    progress: integer('progress').notNull().default(0),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    errorCode: text('error_code'),
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id'),
    createdAt: createdAt(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    completedAt: tstz('completed_at'),
    exportBlobHash: text('export_blob_hash'),
    exportKeyCiphertext: text('export_key_ciphertext'),
    exportExpiresAt: tstz('export_expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('privacy_requests_created_idx').on(t.orgId, t.createdAt),
    index('privacy_requests_subject_idx').on(t.orgId, t.subjectHash),
    check('privacy_requests_type_check', sql`${t.type} in ('export','erasure')`),
    check('privacy_requests_status_check', sql`${t.status} in ('queued','running','completed','failed')`),
    check(
      'privacy_requests_subject_kind_check',
      sql`${t.subjectKind} in ('email','phone','userId','conversationId')`,
    ),
    check('privacy_requests_progress_check', sql`${t.progress} between 0 and 100`),
  ],
);
