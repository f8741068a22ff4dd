import { MODEL_TYPES_BY_KIND } from '@confidant/contract/model-provider-kinds';
import { eq } from 'drizzle-orm';
import { hotCacheOf } from '../../../platform/cache/hot-cache.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { modelProviders } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import { loadOrgProviders, type OrgProviderConnection } from '../../model-providers/service.js';
import type { ResolvedSpeechModel, SpeechModelType } from './types.js';

/** What resolving needs: the database and the keyring that opens the provider's key. */
export type SpeechModelDeps = { database: Database; keyring: Keyring };

/** Which model of which of the org's providers (as agents choose chat models: AgentModelChoice). */
export type SpeechModelChoice = { providerId: string; model: string };

/**
 * The org's transcription or speech model `choice`, key decrypted, ready for transcribeAudio /
 * synthesizeSpeech. Refused with AppError('validation_failed') (400) unless the provider is one
 * of this org's (another org's id is simply not found), lists `model` with this `type`, and its
 * kind offers that type (MODEL_TYPES_BY_KIND). `field` names the body field in the issue, so a
 * form can show the error there.
 */
export async function resolveSpeechModel(
  deps: SpeechModelDeps,
  orgId: string,
  choice: SpeechModelChoice,
  type: SpeechModelType,
  field = 'model',
): Promise<ResolvedSpeechModel> {
  const refuse = (message: string) =>
    new AppError('validation_failed', `${field}: ${message}`, [{ path: `body.${field}`, message }]);
  const provider = UUID.test(choice.providerId)
    ? await loadSpeechProvider(deps, orgId, choice.providerId)
    : undefined;
  if (!provider) throw refuse('no such model provider in this organization');
  if (!provider.models.some((m) => m.id === choice.model && m.type === type)) {
    throw refuse(`the provider has no ${type} model ${JSON.stringify(choice.model)}`);
  }
  if (!MODEL_TYPES_BY_KIND[provider.kind].includes(type)) {
    throw refuse(`providers of kind ${provider.kind} offer no ${type} models`);
  }
  return {
    providerId: provider.providerId,
    kind: provider.kind,
    type,
    model: choice.model,
    timeoutMs: provider.timeoutMs,
    maxRetries: provider.maxRetries,
    ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}),
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
  };
}

/**
 * The provider (key decrypted), from the hot cache when there is one (platform/cache/hot-cache.ts,
 * topic `providers`: any write to the org's providers drops it in every process, as for the
 * answer path's model chain). Every voice turn resolves two models: without the cache that is
 * two transactions and two key decryptions per turn. A missing provider is not cached.
 */
async function loadSpeechProvider(
  deps: SpeechModelDeps,
  orgId: string,
  providerId: string,
): Promise<OrgProviderConnection | undefined> {
  const load = async () =>
    (await loadOrgProviders(deps.database, deps.keyring, orgId, [providerId])).get(providerId);
  const cache = hotCacheOf(deps.database);
  if (!cache) return load();
  const found = await cache.get('providers', `speech:${orgId}:${providerId}`, async () => {
    const value = await load();
    return value ? { orgId, value } : null;
  });
  return found ?? undefined;
}

/** One model a picker can offer (no key). */
export type SpeechModelOption = { providerId: string; providerName: string; kind: string; model: string };

/** The org's models of `type` (providers oldest first), for settings that let an admin choose one. */
export async function listSpeechModels(
  database: Database,
  orgId: string,
  type: SpeechModelType,
): Promise<SpeechModelOption[]> {
  const rows = await withTenant(database, [orgId], (tx) =>
    tx
      .select({
        id: modelProviders.id,
        name: modelProviders.name,
        kind: modelProviders.kind,
        models: modelProviders.models,
      })
      .from(modelProviders)
      .where(eq(modelProviders.orgId, orgId))
      .orderBy(modelProviders.createdAt, modelProviders.id),
  );
  return rows.flatMap((row) =>
    MODEL_TYPES_BY_KIND[row.kind].includes(type)
      ? row.models
          .filter((m) => m.type === type)
          .map((m) => ({ providerId: row.id, providerName: row.name, kind: row.kind, model: m.id }))
      : [],
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
