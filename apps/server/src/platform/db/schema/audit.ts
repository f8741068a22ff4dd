import { bigint, foreignKey, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { orgId, tstz } from './columns.js';
import { organizations } from './organizations.js';

/**
 * Append-only, tamper-evident audit log: one hash chain per organization.
 * hash = sha256(prev_hash || canonical_json(entry)). UPDATE, DELETE and TRUNCATE are blocked by
 * triggers (see drizzle/0001_*). Entries hold ids and pseudonymous references, never content.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    orgId: orgId(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: tstz('at').notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    metadata: jsonb('metadata')
      .$type<Record<string, string | number | boolean | null>>()
      .notNull()
      .default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.seq] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }),
  ],
);

/** The latest entry of each chain, so that cutting entries off the end is detected too. */
export const auditHeads = pgTable(
  'audit_heads',
  {
    orgId: uuid('org_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId] })],
);
