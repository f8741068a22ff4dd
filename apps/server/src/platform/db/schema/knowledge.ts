import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { createdAt, id, orgId, tstz, tsvector, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

export const sourceTypes = ['text', 'file', 'url', 'qa'] as const;

/**
 * Text-search configurations a source can be indexed with (PostgreSQL's built-in snowball
 * languages, plus `simple` for languages without one). The list is spelled out in the
 * search_vector expression below, so each value is folded to a constant regconfig there.
 */
export const searchLanguages = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;
export type SearchLanguage = (typeof searchLanguages)[number];

const languageCase = (column: string) =>
  `(case ${column} ${searchLanguages.map((l) => `when '${l}' then '${l}'::regconfig`).join(' ')} else 'simple'::regconfig end)`;
export const sourceStatuses = ['queued', 'processing', 'ready', 'failed'] as const;
export type SourceStatus = (typeof sourceStatuses)[number];

/**
 * Originals of uploaded files, content-addressed per organization (deduplicated by SHA-256).
 * The bytes live in the blob store (local directory or S3) under `<org>/<hash>`; a row may be
 * deleted (with its bytes) only when no source references it (the foreign key enforces it).
 */
export const blobs = pgTable(
  'blobs',
  {
    orgId: orgId(),
    hash: text('hash').notNull(),
    byteSize: integer('byte_size').notNull(),
    mimeType: text('mime_type').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.hash] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);

/** A piece of knowledge an organization gave us: pasted text, a Q&A pair, an uploaded file, a website. */
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
    /** SHA-256 of the original file in the blob store (blobs table), for file sources. */
    blobHash: text('blob_hash'),
    /** Text-search configuration detected for (or set on) the source. */
    language: text('language', { enum: searchLanguages }).notNull().default('english'),
    /** Type-specific settings: CSV column mapping, crawl limits, etc. (validated at the edge). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** The chunk version search reads; re-indexing writes version + 1, then swaps atomically. */
    version: integer('version').notNull().default(0),
    status: text('status', { enum: sourceStatuses }).notNull().default('queued'),
    pagesDone: integer('pages_done').notNull().default(0),
    pagesTotal: integer('pages_total').notNull().default(0),
    chunksDone: integer('chunks_done').notNull().default(0),
    chunksTotal: integer('chunks_total').notNull().default(0),
    error: text('error'),
    lastIndexedAt: tstz('last_indexed_at'),
    /** When a scheduled refresh (re-crawl) is next due; null when none is scheduled. */
    nextRefreshAt: tstz('next_refresh_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.blobHash], foreignColumns: [blobs.orgId, blobs.hash] }),
    index('knowledge_sources_refresh_idx').on(t.nextRefreshAt),
    check('knowledge_sources_status_check', sql`${t.status} in ('queued','processing','ready','failed')`),
    check('knowledge_sources_type_check', sql`${t.type} in ('text','file','url','qa')`),
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
    /** The source version this chunk belongs to; only the source's current version is searched. */
    version: integer('version').notNull().default(0),
    language: text('language', { enum: searchLanguages }).notNull().default('english'),
    /** Where the passage can be read (a crawled page), for citations. */
    url: text('url'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql.raw(
        `setweight(to_tsvector(${languageCase('language')}, coalesce(title, '')), 'A') || setweight(to_tsvector(${languageCase('language')}, coalesce(heading_path, '')), 'B') || setweight(to_tsvector(${languageCase('language')}, coalesce(content, '')), 'D')`,
      ),
    ),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.sourceId],
      foreignColumns: [knowledgeSources.orgId, knowledgeSources.id],
    }).onDelete('cascade'),
    index('knowledge_chunks_source_idx').on(t.orgId, t.sourceId, t.version),
    index('knowledge_chunks_search_idx').using('gin', t.searchVector),
    index('knowledge_chunks_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
  ],
);

/** Pages of a crawled website source: what was fetched, validators for conditional re-fetch. */
export const knowledgePages = pgTable(
  'knowledge_pages',
  {
    orgId: orgId(),
    id: id(),
    sourceId: uuid('source_id').notNull(),
    url: text('url').notNull(),
    status: text('status', { enum: ['indexed', 'not_modified', 'skipped', 'failed'] }).notNull(),
    title: text('title'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    contentHash: text('content_hash'),
    error: text('error'),
    fetchedAt: tstz('fetched_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.sourceId],
      foreignColumns: [knowledgeSources.orgId, knowledgeSources.id],
    }).onDelete('cascade'),
    uniqueIndex('knowledge_pages_url_idx').on(t.orgId, t.sourceId, t.url),
  ],
);

/**
 * Chunk embeddings. Stored as real[] so the table exists on every PostgreSQL; vector search casts
 * to pgvector's `vector` where the extension is present (PGlite ships it) and is skipped elsewhere.
 */
export const knowledgeEmbeddings = pgTable(
  'knowledge_embeddings',
  {
    orgId: orgId(),
    chunkId: uuid('chunk_id').notNull(),
    model: text('model').notNull(),
    dimensions: integer('dimensions').notNull(),
    embedding: real('embedding').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.chunkId, t.model] }),
    foreignKey({
      columns: [t.orgId, t.chunkId],
      foreignColumns: [knowledgeChunks.orgId, knowledgeChunks.id],
    }).onDelete('cascade'),
  ],
);

/** Per-organization synonym groups: every term of a group also finds the others. */
export const knowledgeSynonyms = pgTable(
  'knowledge_synonyms',
  {
    orgId: orgId(),
    id: id(),
    terms: text('terms').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);

/** Which sources an agent answers from; an agent with no rows uses all of its org's sources. */
export const agentSources = pgTable(
  'agent_sources',
  {
    orgId: orgId(),
    agentId: uuid('agent_id').notNull(),
    sourceId: uuid('source_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.agentId, t.sourceId] }),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      columns: [t.orgId, t.sourceId],
      foreignColumns: [knowledgeSources.orgId, knowledgeSources.id],
    }).onDelete('cascade'),
  ],
);

export type KnowledgeSourceRow = typeof knowledgeSources.$inferSelect;
export type KnowledgeSourceType = (typeof sourceTypes)[number];
