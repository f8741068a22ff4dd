import type { ModelProviderKind, ProviderModelType } from '@confidant/contract/model-provider-kinds';
import {
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/** A model a provider offers, as the org listed it: chat (answers), embedding, transcription or speech. */
export type ProviderModel = { id: string; type: ProviderModelType };

/**
 * An organization's model providers (any kind of modules/models/provider-registry.ts; several
 * per org). The API key is stored only as envelope-encrypted ciphertext (crypto/envelope.ts),
 * bound to org/table/column/row. The oldest provider is the org's default (the one the older
 * single-provider API /v1/model-provider shows and edits).
 */
export const modelProviders = pgTable(
  'model_providers',
  {
    orgId: orgId(),
    id: id(),
    kind: text('kind').$type<ModelProviderKind>().notNull().default('openai-compatible'),
    name: text('name').notNull().default('Default'),
    /** Absent: the kind's public endpoint (provider-registry.ts DEFAULT_BASE_URLS). */
    baseUrl: text('base_url'),
    /** Amazon Bedrock's AWS region. */
    region: text('region'),
    models: jsonb('models').$type<ProviderModel[]>().notNull().default([]),
    apiKeyCiphertext: text('api_key_ciphertext'),
    /**
     * How long one attempt may wait for the provider's first token (answers), or for the whole
     * reply (embeddings, connection test), before it counts as a timeout.
     */
    timeoutMs: integer('timeout_ms').notNull().default(30_000),
    /** Retries after a retryable failure before the first token (network, 408/409/429/5xx, timeout). */
    maxRetries: integer('max_retries').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('model_providers_org_created_idx').on(t.orgId, t.createdAt),
  ],
);

/** Metering of every model call: ids and counts only, never prompt or completion text. */
export const modelCalls = pgTable(
  'model_calls',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id'),
    purpose: text('purpose').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    redactions: integer('redactions').notNull().default(0),
    outcome: text('outcome').notNull(),
    durationMs: integer('duration_ms').notNull().default(0),
    /** The org's provider called (model_providers row); null for the server's own, or once deleted. */
    providerId: uuid('provider_id'),
    /** The provider's kind at call time (openai, anthropic…); kept when the provider is deleted. */
    providerKind: text('provider_kind').$type<ModelProviderKind>(),
    /**
     * The agent that answered, copied from the conversation when the retention purge removes it
     * (privacy/retention/roll-up.ts), so usage per agent stays the same afterwards. Null while
     * the conversation exists (read through it) and for org-wide calls (embeddings).
     */
    agentId: uuid('agent_id'),
    /** Input tokens the provider served from its prompt cache, when it reports them. */
    cachedInputTokens: integer('cached_input_tokens'),
    /** USD from the price table at call time (modules/usage/prices.ts); null: model not priced. */
    costUsd: doublePrecision('cost_usd'),
    /** Seconds of audio transcribed (transcription calls; null for others). */
    audioSeconds: doublePrecision('audio_seconds'),
    /** Characters of text synthesised to speech (speech calls; null for others). */
    characters: integer('characters'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    // Deleting a provider nulls provider_id only (the migration says SET NULL ("provider_id"):
    // org_id stays); the kind stays, so usage by provider still adds up.
    foreignKey({
      columns: [t.orgId, t.providerId],
      foreignColumns: [modelProviders.orgId, modelProviders.id],
    }).onDelete('set null'),
    index('model_calls_provider_idx').on(t.orgId, t.providerId),
  ],
);
