import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { modelProviders } from './models.js';
import { organizations } from './organizations.js';

/**
 * An organization's knowledge settings, one row per org (no row: the defaults).
 *
 * The embedding model its knowledge base is searched with: one of its own providers' embedding
 * models (modules/knowledge/embeddings/embedding-choice.ts), or — both columns null — the
 * server's CONFIDANT_EMBEDDING_* model when the operator configured one. Deleting the provider
 * nulls only `embedding_provider_id` (the migration says SET NULL ("embedding_provider_id"));
 * the model name stays, so the choice reads as "chosen, but gone" and search stays lexical
 * instead of silently sending the org's knowledge to another provider.
 */
export const knowledgeSettings = pgTable(
  'knowledge_settings',
  {
    orgId: orgId(),
    id: id(),
    embeddingProviderId: uuid('embedding_provider_id'),
    embeddingModel: text('embedding_model'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.embeddingProviderId],
      foreignColumns: [modelProviders.orgId, modelProviders.id],
    }).onDelete('set null'),
    uniqueIndex('knowledge_settings_org_idx').on(t.orgId),
    check(
      'knowledge_settings_embedding_check',
      sql`${t.embeddingProviderId} is null or ${t.embeddingModel} is not null`,
    ),
  ],
);
