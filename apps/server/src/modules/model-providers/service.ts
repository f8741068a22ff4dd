import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { modelProviders } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * An organization's own model provider (any OpenAI-compatible endpoint).
 *
 * Invariant: the API key exists in exactly one place, `model_providers.api_key_ciphertext`,
 * envelope-encrypted and bound to (org, table, column, row). It is never returned by the API,
 * never logged and never written to the audit log (only whether one is set).
 */
export type ModelProviderView = { baseUrl: string; model: string; hasApiKey: boolean; updatedAt: string };

/** What the answer engine needs to call the provider; `apiKey` is the decrypted key, if any. */
export type OrgModelProvider = { baseUrl: string; model: string; apiKey?: string };

export type ModelProviderInput = {
  baseUrl: string;
  model: string;
  /** A new key; `undefined` keeps the stored one, `null` clears it. */
  apiKey?: string | null;
};

type ModelProviderRow = typeof modelProviders.$inferSelect;

export const apiKeyLocation = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'model_providers',
  column: 'api_key_ciphertext',
  rowId,
});

const view = (row: ModelProviderRow): ModelProviderView => ({
  baseUrl: row.baseUrl,
  model: row.model,
  hasApiKey: row.apiKeyCiphertext !== null,
  updatedAt: row.updatedAt.toISOString(),
});

async function findRow(tx: Tx, orgId: string): Promise<ModelProviderRow | undefined> {
  const [row] = await tx.select().from(modelProviders).where(eq(modelProviders.orgId, orgId));
  return row;
}

export async function getModelProvider(tx: Tx, orgId: string): Promise<ModelProviderView> {
  const row = await findRow(tx, orgId);
  if (!row) throw notFound('Model provider');
  return view(row);
}

/**
 * Creates or replaces the org's provider settings. Saves of one org are serialised by an
 * advisory lock so two concurrent first saves cannot race on the one-row-per-org index (the row
 * id must be known before encrypting, because the ciphertext is bound to it).
 */
export async function saveModelProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: ModelProviderInput,
): Promise<ModelProviderView> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 7301))`);
  const existing = await findRow(tx, orgId);
  const rowId = existing?.id ?? randomUUID();
  const apiKeyCiphertext =
    input.apiKey === undefined
      ? (existing?.apiKeyCiphertext ?? null)
      : input.apiKey === null
        ? null
        : encryptSecret(keyring, input.apiKey, apiKeyLocation(orgId, rowId));
  const fields = { baseUrl: input.baseUrl, model: input.model, apiKeyCiphertext, updatedAt: new Date() };
  const [row] = existing
    ? await tx.update(modelProviders).set(fields).where(eq(modelProviders.orgId, orgId)).returning()
    : await tx
        .insert(modelProviders)
        .values({ ...fields, orgId, id: rowId })
        .returning();
  if (!row) throw new Error('model provider write returned nothing');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'model_provider.updated',
    targetType: 'model_provider',
    targetId: row.id,
    metadata: { hasApiKey: row.apiKeyCiphertext !== null },
  });
  return view(row);
}

/** Removes the settings and with them the only copy of the encrypted key. 404 when unset. */
export async function deleteModelProvider(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
): Promise<void> {
  const [row] = await tx.delete(modelProviders).where(eq(modelProviders.orgId, orgId)).returning();
  if (!row) throw notFound('Model provider');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'model_provider.deleted',
    targetType: 'model_provider',
    targetId: row.id,
    metadata: { hasApiKey: row.apiKeyCiphertext !== null },
  });
}

/**
 * The org's provider with its key decrypted, or null when the org has none configured.
 * Called by the answer engine right before a model call; the plaintext key must stay in memory
 * for that call only. Throws when the stored key cannot be decrypted (wrong master key or a key
 * version missing from the keyring): an operator problem, never silently ignored.
 */
export async function loadOrgModelProvider(
  database: Database,
  keyring: Keyring,
  orgId: string,
): Promise<OrgModelProvider | null> {
  const row = await withTenant(database, [orgId], (tx) => findRow(tx, orgId));
  if (!row) return null;
  if (row.apiKeyCiphertext === null) return { baseUrl: row.baseUrl, model: row.model };
  let apiKey: string;
  try {
    apiKey = decryptSecret(keyring, row.apiKeyCiphertext, apiKeyLocation(orgId, row.id));
  } catch (error) {
    throw new Error(
      `The model provider API key of organization ${orgId} cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { baseUrl: row.baseUrl, model: row.model, apiKey };
}
