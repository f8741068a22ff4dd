import { randomUUID } from 'node:crypto';
import type { ModelProviderEntry } from '@confidant/contract';
import type { ModelProviderKind } from '@confidant/contract/model-provider-kinds';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { noteCacheChange } from '../../platform/cache/hot-cache.js';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { modelProviders, type ProviderModel } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * An organization's model providers: several per org, each a kind, an endpoint and the models
 * the org uses there. The oldest is the org's default (answers use its first chat model until
 * agents choose their own), and the older single-provider API (/v1/model-provider) is a view
 * onto it.
 *
 * Invariant: an API key exists in exactly one place, `model_providers.api_key_ciphertext`,
 * envelope-encrypted and bound to (org, table, column, row). It is never returned by the API,
 * never logged and never written to the audit log (only whether one is set).
 */
/** What the API returns for a provider: the contract's entry (never the key, only whether one is set). */
export type ProviderView = ModelProviderEntry;

export type ProviderInput = {
  kind: ModelProviderKind;
  name: string;
  baseUrl?: string | null;
  region?: string | null;
  models: ProviderModel[];
  /** Absent: the column defaults (30 s, 1 retry). */
  timeoutMs?: number;
  maxRetries?: number;
  /** A new key; `undefined` keeps the stored one, `null` clears it. */
  apiKey?: string | null;
};

/** The older single-provider view: the default provider as an OpenAI-compatible endpoint. */
export type ModelProviderView = { baseUrl: string; model: string; hasApiKey: boolean; updatedAt: string };

/** What the answer engine needs to call the provider; `apiKey` is the decrypted key, if any. */
export type OrgModelProvider = {
  /** The provider's row (model_calls.provider_id). */
  providerId: string;
  kind: ModelProviderKind;
  timeoutMs: number;
  maxRetries: number;
  baseUrl?: string;
  region?: string;
  model: string;
  apiKey?: string;
};

export type ModelProviderInput = {
  baseUrl: string;
  model: string;
  /** A new key; `undefined` keeps the stored one, `null` clears it. */
  apiKey?: string | null;
};

type ProviderRow = typeof modelProviders.$inferSelect;

export const apiKeyLocation = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'model_providers',
  column: 'api_key_ciphertext',
  rowId,
});

const providerView = (row: ProviderRow): ProviderView => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  baseUrl: row.baseUrl,
  region: row.region,
  models: row.models,
  timeoutMs: row.timeoutMs,
  maxRetries: row.maxRetries,
  hasApiKey: row.apiKeyCiphertext !== null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const firstChatModel = (row: ProviderRow) => row.models.find((m) => m.type === 'chat')?.id;

const legacyView = (row: ProviderRow): ModelProviderView => ({
  baseUrl: row.baseUrl ?? '',
  model: firstChatModel(row) ?? '',
  hasApiKey: row.apiKeyCiphertext !== null,
  updatedAt: row.updatedAt.toISOString(),
});

const byAge = [asc(modelProviders.createdAt), asc(modelProviders.id)];

/** The org's default provider: its oldest. */
async function findDefault(tx: Tx, orgId: string): Promise<ProviderRow | undefined> {
  const [row] = await tx
    .select()
    .from(modelProviders)
    .where(eq(modelProviders.orgId, orgId))
    .orderBy(...byAge)
    .limit(1);
  return row;
}

async function findById(tx: Tx, orgId: string, id: string): Promise<ProviderRow> {
  const [row] = await tx
    .select()
    .from(modelProviders)
    .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, id)));
  if (!row) throw notFound('Model provider');
  return row;
}

const sealKey = (
  keyring: Keyring,
  orgId: string,
  rowId: string,
  apiKey: string | null | undefined,
  stored: string | null,
) =>
  apiKey === undefined
    ? stored
    : apiKey === null
      ? null
      : encryptSecret(keyring, apiKey, apiKeyLocation(orgId, rowId));

async function audit(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  action: string,
  row: ProviderRow,
) {
  // Every write to the org's providers is audited here: the cached provider chains go too.
  noteCacheChange(tx, 'providers', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action,
    targetType: 'model_provider',
    targetId: row.id,
    metadata: { hasApiKey: row.apiKeyCiphertext !== null },
  });
}

export async function listProviders(tx: Tx, orgId: string): Promise<ProviderView[]> {
  const rows = await tx
    .select()
    .from(modelProviders)
    .where(eq(modelProviders.orgId, orgId))
    .orderBy(...byAge);
  return rows.map(providerView);
}

export async function getProvider(tx: Tx, orgId: string, id: string): Promise<ProviderView> {
  return providerView(await findById(tx, orgId, id));
}

export async function createProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: ProviderInput,
): Promise<ProviderView> {
  const id = randomUUID();
  const [row] = await tx
    .insert(modelProviders)
    .values({
      orgId,
      id,
      kind: input.kind,
      name: input.name,
      baseUrl: input.baseUrl ?? null,
      region: input.region ?? null,
      models: input.models,
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.maxRetries !== undefined ? { maxRetries: input.maxRetries } : {}),
      apiKeyCiphertext: sealKey(keyring, orgId, id, input.apiKey, null),
    })
    .returning();
  if (!row) throw new Error('model provider insert returned nothing');
  await audit(tx, keyring, orgId, actor, 'model_provider.created', row);
  return providerView(row);
}

export async function updateProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: Partial<ProviderInput>,
): Promise<ProviderView> {
  const existing = await findById(tx, orgId, id);
  const [row] = await tx
    .update(modelProviders)
    .set({
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
      ...(input.region !== undefined ? { region: input.region } : {}),
      ...(input.models !== undefined ? { models: input.models } : {}),
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.maxRetries !== undefined ? { maxRetries: input.maxRetries } : {}),
      apiKeyCiphertext: sealKey(keyring, orgId, id, input.apiKey, existing.apiKeyCiphertext),
      updatedAt: new Date(),
    })
    .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, id)))
    .returning();
  if (!row) throw notFound('Model provider');
  await audit(tx, keyring, orgId, actor, 'model_provider.updated', row);
  return providerView(row);
}

/** Removes a provider and with it the only copy of its encrypted key. */
export async function deleteProvider(tx: Tx, keyring: Keyring, orgId: string, actor: Actor, id: string) {
  const [row] = await tx
    .delete(modelProviders)
    .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, id)))
    .returning();
  if (!row) throw notFound('Model provider');
  await audit(tx, keyring, orgId, actor, 'model_provider.deleted', row);
}

/** GET /v1/model-provider: the default provider, 404 when the org has none. */
export async function getModelProvider(tx: Tx, orgId: string): Promise<ModelProviderView> {
  const row = await findDefault(tx, orgId);
  if (!row) throw notFound('Model provider');
  return legacyView(row);
}

/**
 * PUT /v1/model-provider: sets the default provider as an OpenAI-compatible endpoint with this
 * chat model (its embedding models kept), creating it when the org has none. Saves of one org
 * are serialised by an advisory lock so two concurrent first saves create one provider.
 */
export async function saveModelProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: ModelProviderInput,
): Promise<ModelProviderView> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 7301))`);
  const existing = await findDefault(tx, orgId);
  const fields = {
    kind: 'openai-compatible' as const,
    baseUrl: input.baseUrl,
    models: [
      { id: input.model, type: 'chat' as const },
      ...(existing?.models.filter((m) => m.type === 'embedding') ?? []),
    ],
    ...(input.apiKey !== undefined ? { apiKey: input.apiKey } : {}),
  };
  const view = existing
    ? await updateProvider(tx, keyring, orgId, actor, existing.id, fields)
    : await createProvider(tx, keyring, orgId, actor, { ...fields, name: 'Default' });
  return legacyView(await findById(tx, orgId, view.id));
}

/** DELETE /v1/model-provider: removes the default provider. 404 when the org has none. */
export async function deleteModelProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
): Promise<void> {
  const row = await findDefault(tx, orgId);
  if (!row) throw notFound('Model provider');
  await deleteProvider(tx, keyring, orgId, actor, row.id);
}

/**
 * The org's default provider with its first chat model and its key decrypted, or null when the
 * org has no provider with a chat model. Called right before a model call; the plaintext key
 * must stay in memory for that call only. Throws when the stored key cannot be decrypted (wrong
 * master key or a key version missing from the keyring): an operator problem, never silently ignored.
 */
export async function loadOrgModelProvider(
  database: Database,
  keyring: Keyring,
  orgId: string,
): Promise<OrgModelProvider | null> {
  const row = await withTenant(database, [orgId], (tx) => findDefault(tx, orgId));
  const model = row && firstChatModel(row);
  if (!row || !model) return null;
  const connection: OrgModelProvider = {
    providerId: row.id,
    kind: row.kind,
    timeoutMs: row.timeoutMs,
    maxRetries: row.maxRetries,
    model,
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
    ...(row.region ? { region: row.region } : {}),
  };
  if (row.apiKeyCiphertext === null) return connection;
  try {
    return {
      ...connection,
      apiKey: decryptSecret(keyring, row.apiKeyCiphertext, apiKeyLocation(orgId, row.id)),
    };
  } catch (error) {
    throw new Error(
      `The model provider API key of organization ${orgId} cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A provider's connection with its key decrypted, without a model (the caller picks one). */
export type OrgProviderConnection = Omit<OrgModelProvider, 'model'> & { models: ProviderModel[] };

/**
 * The org's providers among `ids`, keys decrypted, by id; ids of other orgs or deleted providers
 * are simply absent. Same key-handling rules as loadOrgModelProvider.
 */
export async function loadOrgProviders(
  database: Database,
  keyring: Keyring,
  orgId: string,
  ids: readonly string[],
): Promise<Map<string, OrgProviderConnection>> {
  if (ids.length === 0) return new Map();
  const rows = await withTenant(database, [orgId], (tx) =>
    tx
      .select()
      .from(modelProviders)
      .where(and(eq(modelProviders.orgId, orgId), inArray(modelProviders.id, [...ids]))),
  );
  return new Map(
    rows.map((row) => {
      const connection: OrgProviderConnection = {
        providerId: row.id,
        kind: row.kind,
        timeoutMs: row.timeoutMs,
        maxRetries: row.maxRetries,
        models: row.models,
        ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
        ...(row.region ? { region: row.region } : {}),
      };
      if (row.apiKeyCiphertext !== null) {
        try {
          connection.apiKey = decryptSecret(keyring, row.apiKeyCiphertext, apiKeyLocation(orgId, row.id));
        } catch (error) {
          throw new Error(
            `The model provider API key of organization ${orgId} cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      return [row.id, connection];
    }),
  );
}
