import {
  doublePrecision,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/**
 * An organization's own model provider (any OpenAI-compatible endpoint). The API key is stored
 * only as envelope-encrypted ciphertext (crypto/envelope.ts), bound to org/table/column/row.
 */
export const modelProviders = pgTable(
  'model_providers',
  {
    orgId: orgId(),
    id: id(),
    baseUrl: text('base_url').notNull(),
    model: text('model').notNull(),
    apiKeyCiphertext: text('api_key_ciphertext'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('model_providers_org_idx').on(t.orgId),
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
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);
