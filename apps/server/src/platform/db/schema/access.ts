import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz } from './columns.js';
import { organizations } from './organizations.js';

export const roles = ['owner', 'admin', 'agent', 'viewer'] as const;
export type Role = (typeof roles)[number];

/**
 * Organization API keys (`ck_…`). Only the SHA-256 of the whole key and a short display prefix
 * are stored; the key itself is shown once at creation and cannot be recovered.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    orgId: orgId(),
    id: id(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id'),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('api_keys_key_hash_idx').on(t.keyHash),
    check('api_keys_role_check', sql`${t.role} in ('owner','admin','agent','viewer')`),
  ],
);

/**
 * Which console user may act in which organization, and as what. A tenant table (RLS by org);
 * a user reads their own rows across orgs only through the member-lookup policy
 * (modules/members/membership-lookup.ts). Deleting the user deletes their memberships.
 */
export const memberships = pgTable(
  'memberships',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('memberships_user_idx').on(t.userId),
    check('memberships_role_check', sql`${t.role} in ('owner','admin','agent','viewer')`),
  ],
);

/** Pending invitations; the token is shown once and only its SHA-256 is kept. */
export const invitations = pgTable(
  'invitations',
  {
    orgId: orgId(),
    id: id(),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedByType: text('invited_by_type').notNull(),
    invitedById: text('invited_by_id'),
    createdAt: createdAt(),
    expiresAt: tstz('expires_at').notNull(),
    acceptedAt: tstz('accepted_at'),
    acceptedByUserId: text('accepted_by_user_id'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('invitations_token_hash_idx').on(t.tokenHash),
    check('invitations_role_check', sql`${t.role} in ('owner','admin','agent','viewer')`),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
