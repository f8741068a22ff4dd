import { bigint, foreignKey, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { orgId, tstz } from './columns.js';
import { organizations } from './organizations.js';

/**
 * Append-only, tamper-evident audit log: one keyed chain per organization.
 * hash = HMAC-SHA256(org chain key of master key version key_version, prev_hash || canonical_json(entry))
 * (modules/audit/chain-mac.ts). UPDATE, DELETE and TRUNCATE are blocked by triggers (see
 * drizzle/0001_* and 0005_*). Entries hold ids and pseudonymous references, never content.
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
    /**
     * The master key version the entry's MAC was made with. Null only on a legacy entry (plain
     * SHA-256, before keyed chains), which the one-time re-seal upgrades (reseal-legacy-chains.ts).
     */
    keyVersion: integer('key_version'),
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

/**
 * Signed checkpoints: the head of an org's chain (seq and hash) signed with the Ed25519 key held
 * outside the database (platform/crypto/signing-key.ts). A copy a business keeps proves later that
 * the log still extends what was signed (modules/audit/checkpoints.ts). The public key is stored
 * with each checkpoint, so checkpoints signed before a key change still verify.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    orgId: orgId(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    headHash: text('head_hash').notNull(),
    signedAt: tstz('signed_at').notNull(),
    keyId: text('key_id').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.seq] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);
