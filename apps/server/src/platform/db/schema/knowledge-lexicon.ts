import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId } from './columns.js';
import { searchLanguages } from './knowledge.js';
import { organizations } from './organizations.js';

/**
 * Each organization's search vocabulary: every lexeme of its chunks' search vectors, per
 * text-search language, with the number of chunks that contain it (document frequency). Search
 * reads it for term weights (IDF) without counting chunks, and for typo tolerance (the closest
 * known lexemes by trigram similarity) without scanning them.
 *
 * Maintained by the database, not by application code: statement triggers on knowledge_chunks
 * (migration 0004) add the lexemes of inserted chunks and subtract those of deleted ones, so
 * every way of writing chunks keeps it true. Invariants: `chunks` > 0 (rows reaching 0 are
 * removed); the row whose lexeme is '' (no real lexeme is empty) counts the chunks of that
 * language. Counts cover all chunks, whatever their version or source status: during a
 * re-index both versions count, which only nudges weights.
 */
export const knowledgeLexicon = pgTable(
  'knowledge_lexicon',
  {
    orgId: orgId(),
    language: text('language', { enum: searchLanguages }).notNull(),
    lexeme: text('lexeme').notNull(),
    chunks: integer('chunks').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.language, t.lexeme] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('knowledge_lexicon_trgm_idx').using('gin', sql`${t.lexeme} gin_trgm_ops`),
    index('knowledge_lexicon_totals_idx').on(t.orgId).where(sql`${t.lexeme} = ''`),
  ],
);
