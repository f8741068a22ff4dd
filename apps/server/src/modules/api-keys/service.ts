import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { hotCacheOf, noteCacheChange } from '../../platform/cache/hot-cache.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { apiKeys, organizations, type Role } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { roleAtLeast } from '../auth/principal.js';
import { generateApiKey, safeEqualHex, sha256Hex } from './key-material.js';

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const view = (row: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Issues a key inside the caller's tenant transaction. The plaintext key is returned once. */
export async function issueApiKey(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: { name: string; role: Role },
): Promise<ApiKeyView & { key: string }> {
  const material = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({
      orgId,
      name: input.name,
      prefix: material.prefix,
      keyHash: material.hash,
      role: input.role,
      createdByType: actor.type,
      createdById: actor.id,
    })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: row!.id,
    metadata: { role: input.role },
  });
  return { ...view(row!), key: material.key };
}

/** Stores an operator-supplied key (the bootstrap platform key) by hash. */
export async function installApiKey(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  key: string,
  name: string,
  role: Role,
) {
  const hash = sha256Hex(key);
  const [row] = await tx
    .insert(apiKeys)
    .values({
      orgId,
      name,
      prefix: key.slice(0, 11),
      keyHash: hash,
      role,
      createdByType: actor.type,
      createdById: actor.id,
    })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await recordAudit(tx, keyring, orgId, actor, {
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: row.id,
      metadata: { role },
    });
  }
}

export async function listApiKeys(tx: Tx, orgId: string): Promise<ApiKeyView[]> {
  const rows = await tx
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(view);
}

/**
 * Revokes a key. Role ceiling: nobody may revoke a credential above their own role (an admin
 * cannot revoke an owner key: that would let an admin lock the owners' automation out). The row
 * is locked before the check so the decision and the update see the same role.
 */
export async function revokeApiKey(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  caller: { actor: Actor; role: Role },
  keyId: string,
): Promise<ApiKeyView> {
  const [current] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)))
    .for('update');
  if (!current) throw notFound('API key');
  if (!roleAtLeast(caller.role, current.role)) {
    throw new AppError('forbidden', `Only an ${current.role} or higher can revoke an ${current.role} key`);
  }
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)))
    .returning();
  if (!row) throw notFound('API key');
  noteCacheChange(tx, 'org', orgId);
  await recordAudit(tx, keyring, orgId, caller.actor, {
    action: 'api_key.revoked',
    targetType: 'api_key',
    targetId: keyId,
  });
  return view(row);
}

export type ResolvedApiKey = {
  keyId: string;
  orgId: string;
  orgKind: (typeof organizations.$inferSelect)['kind'];
  role: Role;
  /** Set while the org is scheduled for deletion: the key is then refused (authenticate.ts). */
  orgDeletedAt: Date | null;
};

/**
 * Resolves a presented key to its org and role, or null (unknown, revoked, or its org erased).
 * `last_used_at` is refreshed at most once a minute so authentication stays a read.
 */
export async function resolveApiKey(database: Database, presented: string): Promise<ResolvedApiKey | null> {
  if (!/^ck_[A-Za-z0-9_-]{20,200}$/.test(presented)) return null;
  const hash = sha256Hex(presented);
  const load = async () => {
    const [row] = await withTenant(database, { apiKeyHash: hash }, (tx) =>
      tx
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt))),
    );
    if (!row) return null;
    const [org] = await database.db.select().from(organizations).where(eq(organizations.id, row.orgId));
    return org ? { orgId: row.orgId, value: { row, org } } : null;
  };
  // Every admin request starts here: cached per org by the key's hash (platform/cache/): a
  // revocation, a new last-used time or a change to the org (deletion scheduled) drops it in every
  // process. An unknown or revoked key is never cached.
  const cache = hotCacheOf(database);
  const found = cache ? await cache.get('org', `api-key:${hash}`, load) : ((await load())?.value ?? null);
  if (!found || !safeEqualHex(found.row.keyHash, hash)) return null;
  const { row, org } = found;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await withTenant(database, [row.orgId], (tx) =>
      tx
        .update(apiKeys)
        .set({ lastUsedAt: new Date() })
        .where(and(eq(apiKeys.orgId, row.orgId), eq(apiKeys.id, row.id))),
    );
  }
  return { keyId: row.id, orgId: row.orgId, orgKind: org.kind, role: row.role, orgDeletedAt: org.deletedAt };
}
