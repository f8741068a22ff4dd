import { hotCacheOf } from '../../platform/cache/hot-cache.js';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import type { AgentModelChoice } from '../../platform/db/schema/index.js';
import { createGuardedFetch } from '../../platform/net/guarded-fetch.js';
import type { OutboundPolicy } from '../../platform/net/outbound-policy.js';
import { loadOrgModelProvider, loadOrgProviders } from '../model-providers/service.js';
import type { EmbeddingProvider, ModelProvider } from './gateway.js';

/**
 * Which provider a model call goes to: the one place answers (chat) and knowledge (embeddings)
 * ask, so neither depends on the other for it.
 */
export type ModelDeps = { config: Config; database: Database; keyring: Keyring; net: OutboundPolicy };

/** How long one model answer may take, first byte to last; a visitor does not wait longer. */
const MODEL_ANSWER_TIMEOUT_MS = 120_000;
/** Far more than any answer streams; bounds what a misbehaving endpoint can make us read. */
const MODEL_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The chat provider of an org: its own, else the server's (CONFIDANT_MODEL_*), else none. Each
 * comes with its first-token deadline and retries: the org's provider row's timeoutMs and
 * maxRetries, the server's CONFIDANT_MODEL_FIRST_TOKEN_TIMEOUT_MS and CONFIDANT_MODEL_MAX_RETRIES.
 * Invariant: an org's provider URL was given by a tenant, so it is called through the guarded
 * fetch (the address policy at call time, on every redirect); the operator's URLs from the
 * environment are trusted (e.g. Ollama on localhost) and use the normal fetch.
 */
export async function resolveModelProvider(deps: ModelDeps, orgId: string): Promise<ModelProvider | null> {
  const own = await loadOrgModelProvider(deps.database, deps.keyring, orgId);
  if (own) return { ...own, fetch: tenantFetch(deps) };
  const env = deps.config.model;
  if (!env) return null;
  return {
    kind: env.kind,
    baseUrl: env.baseUrl,
    model: env.name,
    timeoutMs: deps.config.modelFirstTokenTimeoutMs,
    maxRetries: deps.config.modelMaxRetries,
    ...(env.apiKey ? { apiKey: env.apiKey } : {}),
    ...(env.region ? { region: env.region } : {}),
  };
}

/** The guarded fetch every tenant-configured provider is called through. */
export const tenantFetch = (deps: ModelDeps) =>
  createGuardedFetch(deps.net, {
    timeoutMs: MODEL_ANSWER_TIMEOUT_MS,
    maxResponseBytes: MODEL_ANSWER_MAX_BYTES,
  });

/**
 * The models an agent answers with, in the order to try them: its model, then its fallbacks
 * (only the org's own providers; a provider deleted since is left out). An agent without a
 * model answers with the org's default provider (else the server's). Empty: no model at all.
 */
export async function resolveModelChain(
  deps: ModelDeps,
  orgId: string,
  agent: { model?: AgentModelChoice | null; fallbacks?: readonly AgentModelChoice[] },
): Promise<ModelProvider[]> {
  const cache = hotCacheOf(deps.database);
  if (!cache) return loadModelChain(deps, orgId, agent);
  // Cached per org and choice (platform/cache/hot-cache.ts): any write to the org's providers
  // drops it in every process; an agent's new choice is a new key.
  const key = `chain:${orgId}:${JSON.stringify([agent.model ?? null, agent.fallbacks ?? []])}`;
  const chain = await cache.get('providers', key, async () => ({
    orgId,
    value: await loadModelChain(deps, orgId, agent),
  }));
  return chain ?? [];
}

async function loadModelChain(
  deps: ModelDeps,
  orgId: string,
  agent: { model?: AgentModelChoice | null; fallbacks?: readonly AgentModelChoice[] },
): Promise<ModelProvider[]> {
  const fallbacks = [...(agent.fallbacks ?? [])];
  if (agent.model) return chain(deps, orgId, [agent.model, ...fallbacks]);
  const first = await resolveModelProvider(deps, orgId);
  const rest = await chain(deps, orgId, fallbacks);
  return first ? [first, ...rest] : rest;
}

async function chain(deps: ModelDeps, orgId: string, choices: AgentModelChoice[]): Promise<ModelProvider[]> {
  const connections = await loadOrgProviders(
    deps.database,
    deps.keyring,
    orgId,
    choices.map((c) => c.providerId),
  );
  const fetch = tenantFetch(deps);
  return choices.flatMap((c) => {
    const found = connections.get(c.providerId);
    if (!found) return [];
    const { models: _offered, ...connection } = found;
    return [
      {
        ...connection,
        model: c.model,
        fetch,
        ...(c.temperature !== undefined ? { temperature: c.temperature } : {}),
        ...(c.maxOutputTokens !== undefined ? { maxOutputTokens: c.maxOutputTokens } : {}),
      },
    ];
  });
}

/**
 * One model the org chose on one of its providers (e.g. call scoring's model in call settings),
 * with that provider's timeout and retries and the guarded fetch; null when the provider is gone.
 */
export async function resolveChosenModel(
  deps: ModelDeps,
  orgId: string,
  choice: AgentModelChoice,
): Promise<ModelProvider | null> {
  return (await chain(deps, orgId, [choice]))[0] ?? null;
}

/** The server's embedding provider (CONFIDANT_EMBEDDING_*), or undefined when none is configured. */
export function embeddingProvider(config: Pick<Config, 'embedding'>): EmbeddingProvider | undefined {
  const e = config.embedding;
  if (!e) return undefined;
  return {
    kind: 'openai-compatible',
    baseUrl: e.baseUrl,
    model: e.model,
    ...(e.apiKey ? { apiKey: e.apiKey } : {}),
    ...(e.dimensions ? { dimensions: e.dimensions } : {}),
  };
}
