import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, tsvector, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

export const sourceTypes = ['text', 'file', 'url'] as const;
export const sourceStatuses = ['queued', 'processing', 'ready', 'failed'] as const;
export type SourceStatus = (typeof sourceStatuses)[number];

/** A piece of knowledge an organization gave us: pasted text, an uploaded file, a URL. */
export const knowledgeSources = pgTable(
  'knowledge_sources',
  {
    orgId: orgId(),
    id: id(),
    type: text('type', { enum: sourceTypes }).notNull(),
    title: text('title').notNull(),
    url: text('url'),
    fileName: text('file_name'),
    mimeType: text('mime_type'),
    content: text('content'),
    contentHash: text('content_hash'),
    byteSize: integer('byte_size').notNull().default(0),
    status: text('status', { enum: sourceStatuses }).notNull().default('queued'),
    chunksDone: integer('chunks_done').notNull().default(0),
    chunksTotal: integer('chunks_total').notNull().default(0),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('knowledge_sources_status_check', sql`${t.status} in ('queued','processing','ready','failed')`),
  ],
);

/**
 * A retrievable passage. `search_vector` is maintained by the database from title (weight A),
 * heading path (B) and body (D), so ranking favours passages whose titles and headings match.
 */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    orgId: orgId(),
    id: id(),
    sourceId: uuid('source_id').notNull(),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
    headingPath: text('heading_path').notNull().default(''),
    content: text('content').notNull(),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(heading_path, '')), 'B') || setweight(to_tsvector('english', coalesce(content, '')), 'D')`,
    ),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.sourceId],
      foreignColumns: [knowledgeSources.orgId, knowledgeSources.id],
    }).onDelete('cascade'),
    index('knowledge_chunks_source_idx').on(t.orgId, t.sourceId),
    index('knowledge_chunks_search_idx').using('gin', t.searchVector),
  ],
);

export type KnowledgeSourceRow = typeof knowledgeSources.$inferSelect;
export type KnowledgeSourceType = (typeof sourceTypes)[number];
