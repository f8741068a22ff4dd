import { asc, eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type ChainProblem, verifyChain } from './verify-chain.js';

export type AuditVerification = {
  orgs: number;
  entries: number;
  /** The first bad entry of each org whose chain does not verify; empty when every chain is intact. */
  problems: ChainProblem[];
};

export class UnknownOrgError extends Error {}

/**
 * Recomputes the audit chain of every organization (or of one), each inside its own tenant
 * transaction, so the check reads exactly what the application would. The organization registry
 * is the list of chains: audit_log rows reference it, so no chain exists without an org row.
 * `keyring` must hold every master key version the entries were sealed with.
 */
export async function verifyAuditChains(
  database: Database,
  keyring: Keyring,
  options: { orgId?: string } = {},
): Promise<AuditVerification> {
  const rows = await database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(options.orgId ? eq(organizations.id, options.orgId) : undefined)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  if (options.orgId && rows.length === 0)
    throw new UnknownOrgError(`No organization with id ${options.orgId}`);
  const result: AuditVerification = { orgs: rows.length, entries: 0, problems: [] };
  for (const { id } of rows) {
    const { entries, problem } = await withTenant(database, [id], (tx) => verifyChain(tx, keyring, id));
    result.entries += entries;
    if (problem) result.problems.push(problem);
  }
  return result;
}
