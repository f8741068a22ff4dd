import { randomUUID } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { memberships, organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { recordAudit } from '../audit/service.js';

/**
 * A console user who signed up creates their own organization and becomes its owner (first run,
 * or an instance with CONFIDANT_ALLOW_SIGNUP=true). Unlike `createOrganization` no API key is
 * issued: the owner works from the console and creates keys there. Organization, membership
 * and both audit entries commit together.
 */
export async function createOwnedOrganization(
  database: Database,
  keyring: Keyring,
  userId: string,
  name: string,
): Promise<string> {
  const orgId = randomUUID();
  const actor = { type: 'user' as const, id: userId };
  await withTenant(database, [orgId], async (tx) => {
    await tx.insert(organizations).values({ id: orgId, name, kind: 'direct', parentId: null });
    await recordAudit(tx, keyring, orgId, actor, {
      action: 'org.created',
      targetType: 'organization',
      targetId: orgId,
      metadata: { kind: 'direct' },
    });
    await tx.insert(memberships).values({ orgId, userId, role: 'owner' });
    await recordAudit(tx, keyring, orgId, actor, {
      action: 'member.added',
      targetType: 'user',
      targetId: userId,
      metadata: { role: 'owner' },
    });
  });
  return orgId;
}
