import { and, eq, inArray } from 'drizzle-orm';
import { hotCacheOfTx, noteCacheChange } from '../../platform/cache/hot-cache.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { agentSources, knowledgeSources } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { getAgentRow } from './service.js';

/**
 * Which knowledge sources an agent answers from. No rows = all of the org's sources (the
 * default, and what an empty list sets). Deleting a source removes it from every agent's list
 * (foreign key cascade); an agent whose every listed source was deleted is back to all sources.
 */

/** The agent's sources, or null when it uses all of them. Does not check that the agent exists. */
export async function agentSourceIds(tx: Tx, orgId: string, agentId: string): Promise<string[] | null> {
  const load = async () => {
    const rows = await tx
      .select({ sourceId: agentSources.sourceId })
      .from(agentSources)
      .where(and(eq(agentSources.orgId, orgId), eq(agentSources.agentId, agentId)));
    return rows.length === 0 ? null : rows.map((r) => r.sourceId).sort();
  };
  // Read for every answer: cached per org (platform/cache/hot-cache.ts); a write to agent_sources
  // (a new list, a deleted source's cascade) drops it in every process.
  const cache = hotCacheOfTx(tx);
  if (!cache) return load();
  const key = `sources:${orgId}:${agentId}`;
  const cached = cache.peek<{ ids: string[] | null }>('agents', key);
  if (cached) return cached.ids;
  const generation = cache.generation('agents');
  const ids = await load();
  cache.put('agents', key, orgId, { ids }, generation);
  return ids;
}

export type AgentSourcesView = { agentId: string; sourceIds: string[]; allSources: boolean };

export async function getAgentSources(tx: Tx, orgId: string, agentId: string): Promise<AgentSourcesView> {
  await getAgentRow(tx, orgId, agentId);
  const ids = await agentSourceIds(tx, orgId, agentId);
  return { agentId, sourceIds: ids ?? [], allSources: ids === null };
}

/**
 * Replaces the agent's source list. Every id must be one of the org's sources; otherwise 404 and
 * nothing changes (the check runs before any write, in the caller's transaction).
 */
export async function setAgentSources(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  agentId: string,
  sourceIds: readonly string[],
): Promise<AgentSourcesView> {
  await getAgentRow(tx, orgId, agentId);
  const wanted = [...new Set(sourceIds.map((id) => id.toLowerCase()))].sort();
  if (wanted.length > 0) {
    const found = await tx
      .select({ id: knowledgeSources.id })
      .from(knowledgeSources)
      .where(and(eq(knowledgeSources.orgId, orgId), inArray(knowledgeSources.id, wanted)));
    if (found.length !== wanted.length) {
      const known = new Set(found.map((r) => r.id));
      const missing = wanted.filter((id) => !known.has(id));
      throw new AppError('not_found', `Knowledge source not found: ${missing.slice(0, 5).join(', ')}`);
    }
  }
  noteCacheChange(tx, 'agents', orgId);
  await tx.delete(agentSources).where(and(eq(agentSources.orgId, orgId), eq(agentSources.agentId, agentId)));
  if (wanted.length > 0) {
    await tx.insert(agentSources).values(wanted.map((sourceId) => ({ orgId, agentId, sourceId })));
  }
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.sources_updated',
    targetType: 'agent',
    targetId: agentId,
    metadata: { sources: wanted.length },
  });
  return { agentId, sourceIds: wanted, allSources: wanted.length === 0 };
}
