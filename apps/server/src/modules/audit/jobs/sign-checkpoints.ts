import { and, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../../platform/config.js';
import { loadSigningKey } from '../../../platform/crypto/signing-key.js';
import type { Database } from '../../../platform/db/client.js';
import { auditCheckpoints, auditHeads, organizations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { signCheckpoint } from '../checkpoints.js';

/**
 * `audit.checkpoints`: hourly, signs the head of every org's audit chain that moved since its last
 * checkpoint (checkpoints.ts), so a business always has a signed checkpoint at most an hour old
 * to download. An unchanged chain gets no new checkpoint.
 */
export const SIGN_CHECKPOINTS = 'audit.checkpoints';
export const SIGN_CHECKPOINTS_CRON = '41 * * * *';
const ORG_SLICE = 200;

export async function signChangedCheckpoints(
  deps: { config: Config; database: Database },
  now = new Date(),
): Promise<number> {
  const key = loadSigningKey(deps.config);
  // The registry has no RLS; every slice of orgs is read and signed under its own tenant scope.
  const orgs = await deps.database.db.select({ id: organizations.id }).from(organizations);
  let signed = 0;
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const orgIds = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    signed += await withTenant(deps.database, orgIds, async (tx) => {
      const moved = await tx
        .select({ orgId: auditHeads.orgId })
        .from(auditHeads)
        .where(
          and(
            inArray(auditHeads.orgId, orgIds),
            sql`${auditHeads.seq} > coalesce((select max(${auditCheckpoints.seq}) from ${auditCheckpoints} where ${auditCheckpoints.orgId} = ${auditHeads.orgId}), 0)`,
          ),
        );
      let count = 0;
      for (const { orgId } of moved) if ((await signCheckpoint(tx, key, orgId, now))?.created) count++;
      return count;
    });
  }
  return signed;
}
