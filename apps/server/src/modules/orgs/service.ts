import { randomUUID } from 'node:crypto';
import { eq, or } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { type OrgKind, organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { issueApiKey } from '../api-keys/service.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { hardDeleteAfter } from './deletion/deletion-window.js';

export type OrgView = {
  id: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  createdAt: string;
  /** Set while the org is scheduled for deletion; it is erased at `hardDeleteAfter` unless restored. */
  deletionScheduledAt: string | null;
  hardDeleteAfter: string | null;
};

const view = (o: typeof organizations.$inferSelect): OrgView => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  parentId: o.parentId,
  createdAt: o.createdAt.toISOString(),
  deletionScheduledAt: o.deletedAt?.toISOString() ?? null,
  hardDeleteAfter: o.deletedAt ? hardDeleteAfter(o.deletedAt).toISOString() : null,
});

/**
 * Creates an organization and its first API key, an owner key (returned once): whoever
 * provisions the org holds its highest role until they create members and narrower keys.
 * Who may create what: the platform creates direct orgs and resellers; a reseller creates its
 * clients. The new org's own audit chain records its creation; the parent's records the act.
 */
export async function createOrganization(
  database: Database,
  keyring: Keyring,
  input: { name: string; kind: OrgKind; parentId: string | null },
  actor: Actor,
): Promise<{ org: OrgView; apiKey: string }> {
  // The org id is chosen here so one tenant transaction can cover the new org (and its parent):
  // organization row, first key and both audit entries commit together or not at all.
  const orgId = randomUUID();
  const scope = input.parentId ? [orgId, input.parentId] : [orgId];
  return withTenant(database, scope, async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ id: orgId, name: input.name, kind: input.kind, parentId: input.parentId })
      .returning();
    if (!org) throw new Error('organization insert returned nothing');
    await recordAudit(tx, keyring, org.id, actor, {
      action: 'org.created',
      targetType: 'organization',
      targetId: org.id,
      metadata: { kind: org.kind },
    });
    const issued = await issueApiKey(tx, keyring, org.id, actor, {
      name: 'Initial owner key',
      role: 'owner',
    });
    if (input.parentId) {
      await recordAudit(tx, keyring, input.parentId, actor, {
        action: 'org.client_created',
        targetType: 'organization',
        targetId: org.id,
      });
    }
    return { org: view(org), apiKey: issued.key };
  });
}

export async function getOrganization(database: Database, id: string): Promise<OrgView> {
  const [org] = await database.db.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw notFound('Organization');
  return view(org);
}

/**
 * Orgs visible to a caller: its own, plus its clients when it is a reseller or the platform
 * (those scheduled for deletion included, with their dates, so they can be restored).
 */
export async function listVisibleOrganizations(
  database: Database,
  orgId: string,
  orgKind: OrgKind,
): Promise<OrgView[]> {
  const rows =
    orgKind === 'platform'
      ? await database.db.select().from(organizations)
      : await database.db
          .select()
          .from(organizations)
          .where(or(eq(organizations.id, orgId), eq(organizations.parentId, orgId)));
  return rows.map(view);
}

export function kindForChild(
  parentKind: OrgKind,
  requested: 'direct' | 'reseller' | 'client' | undefined,
): OrgKind {
  if (parentKind === 'platform') return requested === 'reseller' ? 'reseller' : 'direct';
  if (parentKind === 'reseller') return 'client';
  throw new AppError('forbidden', 'Only platform and reseller keys can create organizations');
}
