import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import type { Principal } from '../auth/principal.js';
import { deadlineOf } from './deadline.js';
import { incidentRegistered } from './incident-notices.js';
import type { PlatformIncident } from './incident-schemas.js';
import { insertIncident } from './incident-store.js';
import { notifyOrgPeople } from './notify-admins.js';

/**
 * A breach at the platform (the processor, Art. 33(2)) that affects several client orgs: the same
 * incident is entered in each org's register, sharing one platformIncidentId, and each org's
 * owners are told, all in one transaction (every org gets it, or none). From then on each org
 * (the controller) owns its copy: its own status, notification and report.
 *
 * Only platform admins may do this; the target orgs are any orgs but the platform itself.
 */
export async function registerPlatformIncident(
  deps: { database: Database; keyring: Keyring },
  principal: Principal,
  actor: Actor,
  input: PlatformIncident,
  now = new Date(),
): Promise<{ platformIncidentId: string; incidents: { orgId: string; id: string }[] }> {
  if (principal.orgKind !== 'platform')
    throw new AppError(
      'forbidden',
      'Only the platform operator can register an incident for several organizations',
    );
  const { orgIds, ...fields } = input;
  // The registry of orgs has no RLS: this reads which of the ids exist, nothing else.
  const found = await deps.database.db
    .select({ id: organizations.id, kind: organizations.kind })
    .from(organizations)
    .where(inArray(organizations.id, orgIds));
  const known = new Set(found.filter((o) => o.kind !== 'platform').map((o) => o.id));
  const issues = orgIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `body.orgIds.${i}`, message: 'no such organization' }],
  );
  if (issues.length > 0) throw new AppError('validation_failed', 'orgIds: unknown organizations', issues);

  const platformIncidentId = randomUUID();
  return withTenant(deps.database, [principal.orgId, ...orgIds], async (tx) => {
    const created: { orgId: string; id: string }[] = [];
    for (const orgId of orgIds) {
      const row = await insertIncident(
        tx,
        deps.keyring,
        orgId,
        { type: 'platform', id: principal.orgId },
        { ...fields, status: 'open', platformIncidentId },
        now,
      );
      await notifyOrgPeople(
        tx,
        orgId,
        ['owner'],
        incidentRegistered({ title: row.title, deadline: deadlineOf(row.awareAt) }),
      );
      created.push({ orgId, id: row.id });
    }
    await recordAudit(tx, deps.keyring, principal.orgId, actor, {
      action: 'incident.platform_registered',
      targetType: 'platform_incident',
      targetId: platformIncidentId,
      metadata: { orgs: orgIds.length },
    });
    return { platformIncidentId, incidents: created };
  });
}
