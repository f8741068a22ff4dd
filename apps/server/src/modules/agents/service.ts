import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import { storeBlob } from '../../platform/blobs/service.js';
import { hotCacheOf, noteCacheChange } from '../../platform/cache/hot-cache.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import {
  type AgentModelChoice,
  type AgentRow,
  type AgentVoiceSettings,
  type AnswerMode,
  agents,
  modelProviders,
  type PersistenceMode,
  type WidgetPosition,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { avatarPath } from './appearance.js';
import type { BusinessHours } from './business-hours.js';

export type AgentInput = {
  name: string;
  instructions?: string;
  greeting?: string;
  starters?: string[];
  allowedOrigins?: string[];
  answerMode?: AnswerMode;
  handoffEnabled?: boolean;
  persistence?: PersistenceMode;
  storeTranscripts?: boolean;
  businessHours?: BusinessHours | null;
  accentColor?: string;
  position?: WidgetPosition;
  launcherLabel?: string | null;
  model?: AgentModelChoice | null;
  fallbacks?: AgentModelChoice[];
  voice?: AgentVoiceSettings;
};

export type AgentView = ReturnType<typeof agentView>;

export const agentView = (a: AgentRow) => ({
  id: a.id,
  name: a.name,
  instructions: a.instructions,
  greeting: a.greeting,
  starters: a.starters,
  allowedOrigins: a.allowedOrigins,
  publishableKey: a.publishableKey,
  answerMode: a.answerMode,
  handoffEnabled: a.handoffEnabled,
  persistence: a.persistence,
  storeTranscripts: a.storeTranscripts,
  businessHours: (a.businessHours ?? null) as BusinessHours | null,
  accentColor: a.accentColor,
  position: a.position,
  launcherLabel: a.launcherLabel,
  model: a.model ?? null,
  fallbacks: a.fallbacks,
  voice: a.voice,
  avatarUrl: a.avatarHash ? avatarPath(a.publishableKey, a.avatarHash) : null,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

/** Publishable keys are public by design (they sit in a page's HTML); they only open the widget API. */
export const generatePublishableKey = () => `pk_${randomBytes(18).toString('base64url')}`;

/** Only which fields changed goes to the audit log, never their values (they may hold content). */
const changedFields = (input: Partial<AgentInput>) => Object.keys(input).sort().join(',');

/**
 * An agent answers only with providers its org configured (never a provider or region the org
 * did not approve): every providerId must be one of the org's model providers.
 */
async function checkModelChoices(tx: Tx, orgId: string, input: Partial<AgentInput>): Promise<void> {
  const ids = [...(input.model ? [input.model] : []), ...(input.fallbacks ?? [])].map((c) => c.providerId);
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: modelProviders.id })
    .from(modelProviders)
    .where(and(eq(modelProviders.orgId, orgId), inArray(modelProviders.id, ids)));
  const known = new Set(found.map((r) => r.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing) {
    throw new AppError(
      'validation_failed',
      `providerId: ${missing} is not one of this organization's model providers`,
    );
  }
}

/**
 * An ephemeral agent (`storeTranscripts: false`) keeps nothing of its conversations, so it never
 * keeps voice recordings either: `voice.recordAudio: true` is refused (400), not ignored.
 */
function checkRecordingRule(agent: { storeTranscripts: boolean; voice?: AgentVoiceSettings | undefined }) {
  if (agent.voice?.recordAudio && !agent.storeTranscripts)
    throw new AppError(
      'validation_failed',
      'An agent that does not store transcripts cannot keep voice recordings',
      [{ path: '/voice/recordAudio', message: 'needs storeTranscripts: true' }],
    );
}

export async function createAgent(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: AgentInput,
): Promise<AgentView> {
  await checkModelChoices(tx, orgId, input);
  checkRecordingRule({ storeTranscripts: input.storeTranscripts ?? true, voice: input.voice });
  const [row] = await tx
    .insert(agents)
    .values({ ...input, orgId, publishableKey: generatePublishableKey() })
    .returning();
  // The org's cached agent list (listAgentsCached): this process drops it at once, so the
  // creator's next list shows the agent before the trigger's notice arrives (PostgreSQL).
  noteCacheChange(tx, 'agents', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.created',
    targetType: 'agent',
    targetId: row!.id,
  });
  return agentView(row!);
}

export async function listAgents(tx: Tx, orgId: string): Promise<AgentView[]> {
  const rows = await tx.select().from(agents).where(eq(agents.orgId, orgId)).orderBy(asc(agents.createdAt));
  return rows.map(agentView);
}

/**
 * The org's agents as `GET /v1/agents` shows them, cached per org (platform/cache/hot-cache.ts,
 * topic `agents`): every write to the org's agents, in any process, drops it. The most frequent
 * admin read costs no database round trip while nothing changed. Shared between callers: read-only.
 */
export async function listAgentsCached(database: Database, orgId: string): Promise<AgentView[]> {
  const load = async () => ({
    orgId,
    value: await withTenant(database, [orgId], (tx) => listAgents(tx, orgId)),
  });
  const cache = hotCacheOf(database);
  return (cache ? await cache.get('agents', `list:${orgId}`, load) : (await load()).value) ?? [];
}

export async function getAgentRow(tx: Tx, orgId: string, id: string): Promise<AgentRow> {
  const [row] = await tx
    .select()
    .from(agents)
    .where(and(eq(agents.orgId, orgId), eq(agents.id, id)));
  if (!row) throw notFound('Agent');
  return row;
}

export async function updateAgent(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: Partial<AgentInput>,
): Promise<AgentView> {
  await checkModelChoices(tx, orgId, input);
  const [row] = await tx
    .update(agents)
    .set({ ...input, updatedAt: new Date() })
    .where(and(eq(agents.orgId, orgId), eq(agents.id, id)))
    .returning();
  if (!row) throw notFound('Agent');
  // Checked on the merged row: the transaction rolls back, nothing changed.
  checkRecordingRule(row);
  noteCacheChange(tx, 'agents', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.updated',
    targetType: 'agent',
    targetId: id,
    metadata: { fields: changedFields(input) },
  });
  return agentView(row);
}

/**
 * Deleting an agent deletes its conversations too (foreign keys cascade); the audit says so.
 * Returns the agent's avatar hash, for the caller to release once this transaction committed.
 */
export async function deleteAgent(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
): Promise<{ avatarHash: string | null }> {
  const [row] = await tx
    .delete(agents)
    .where(and(eq(agents.orgId, orgId), eq(agents.id, id)))
    .returning({ id: agents.id, avatarHash: agents.avatarHash });
  if (!row) throw notFound('Agent');
  noteCacheChange(tx, 'agents', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.deleted',
    targetType: 'agent',
    targetId: id,
  });
  return { avatarHash: row.avatarHash };
}

/**
 * Sets (bytes) or removes (null) an agent's avatar. The image goes to the org's blob store and
 * the agent references it by hash; the audit records only that it changed. Returns the hash the
 * agent used before, for the caller to release (releaseBlob) once this transaction committed.
 */
export async function setAgentAvatar(
  tx: Tx,
  blobStore: BlobStore,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  image: { bytes: Uint8Array; mimeType: string } | null,
): Promise<{ agent: AgentView; previousHash: string | null }> {
  const current = await getAgentRow(tx, orgId, id);
  const hash = image ? (await storeBlob(tx, blobStore, orgId, image.bytes, image.mimeType)).hash : null;
  const [row] = await tx
    .update(agents)
    .set({ avatarHash: hash, updatedAt: new Date() })
    .where(and(eq(agents.orgId, orgId), eq(agents.id, id)))
    .returning();
  noteCacheChange(tx, 'agents', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: image ? 'agent.avatar_set' : 'agent.avatar_removed',
    targetType: 'agent',
    targetId: id,
  });
  const previousHash = current.avatarHash && current.avatarHash !== hash ? current.avatarHash : null;
  return { agent: agentView(row!), previousHash };
}
