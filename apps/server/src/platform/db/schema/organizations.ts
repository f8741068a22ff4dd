import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt } from './columns.js';

export const orgKinds = ['platform', 'reseller', 'client', 'direct'] as const;
export type OrgKind = (typeof orgKinds)[number];

/**
 * The tenant registry. Not itself a tenant-owned table (it has no org_id): services reach a row
 * only by an id the caller is already allowed to act for (see modules/orgs/service.ts).
 * Hierarchy: platform → reseller → client; a direct org has no parent.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    kind: text('kind', { enum: orgKinds }).notNull(),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    createdAt: createdAt(),
    deletedAt: tstz('deleted_at'),
  },
  (t) => [
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }),
    index('organizations_parent_idx').on(t.parentId),
    check('organizations_kind_check', sql`${t.kind} in ('platform','reseller','client','direct')`),
  ],
);

/** Process-wide facts that must survive restarts (e.g. "the demo was seeded"). No personal data. */
export const systemState = pgTable('system_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});
