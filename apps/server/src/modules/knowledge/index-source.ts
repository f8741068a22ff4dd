import { and, eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import { knowledgeChunks, knowledgeSources } from '../../db/schema/index.js';
import { withTenant } from '../../db/tenancy.js';
import { type Chunk, chunkMarkdown, chunkPlainText } from './chunk-markdown.js';
import type { TextFormat } from './extract.js';

/**
 * Indexing a source: queued → processing → ready (or failed, with an error a person can act on).
 *
 * Written to be run by a durable job as well as inline: it is idempotent (a re-run first removes
 * the chunks of an earlier attempt), reports progress per batch, and a source deleted while it
 * runs simply ends the run. Chunks become searchable only when the source turns `ready`, because
 * search reads ready sources only.
 */

const BATCH_SIZE = 200;

/** A failure whose message is meant for the person who added the source. */
export class IndexingError extends Error {}

export const formatFromMimeType = (mimeType: string | null): TextFormat =>
  mimeType === 'text/markdown' ? 'markdown' : 'text';

/** Cuts a source's text into chunks according to its format. Pure. */
export function chunkSourceText(content: string, format: TextFormat): Chunk[] {
  return format === 'markdown' ? chunkMarkdown(content) : chunkPlainText(content);
}

export async function indexSource(
  database: Database,
  orgId: string,
  sourceId: string,
  log?: FastifyBaseLogger,
): Promise<void> {
  const where = and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, sourceId));
  const tenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(database, [orgId], fn);
  try {
    const [source] = await tenant((tx) =>
      tx
        .update(knowledgeSources)
        .set({ status: 'processing', chunksDone: 0, chunksTotal: 0, error: null, updatedAt: new Date() })
        .where(where)
        .returning({
          title: knowledgeSources.title,
          content: knowledgeSources.content,
          mimeType: knowledgeSources.mimeType,
        }),
    );
    if (!source) return; // deleted before we got to it
    const chunks = chunkSourceText(source.content ?? '', formatFromMimeType(source.mimeType));
    if (chunks.length === 0) {
      throw new IndexingError('The document has no text to index (it holds only headings or markup)');
    }

    await tenant(async (tx) => {
      await tx
        .delete(knowledgeChunks)
        .where(and(eq(knowledgeChunks.orgId, orgId), eq(knowledgeChunks.sourceId, sourceId)));
      await tx
        .update(knowledgeSources)
        .set({ chunksTotal: chunks.length, updatedAt: new Date() })
        .where(where);
    });
    for (let start = 0; start < chunks.length; start += BATCH_SIZE) {
      const batch = chunks.slice(start, start + BATCH_SIZE);
      await tenant(async (tx) => {
        await tx.insert(knowledgeChunks).values(
          batch.map((chunk, i) => ({
            orgId,
            sourceId,
            ordinal: start + i,
            title: source.title,
            headingPath: chunk.headingPath,
            content: chunk.content,
          })),
        );
        await tx
          .update(knowledgeSources)
          .set({ chunksDone: start + batch.length, updatedAt: new Date() })
          .where(where);
      });
    }
    await tenant((tx) =>
      tx.update(knowledgeSources).set({ status: 'ready', updatedAt: new Date() }).where(where),
    );
  } catch (error) {
    const message =
      error instanceof IndexingError
        ? error.message
        : 'Indexing failed unexpectedly; delete the source and add it again';
    if (!(error instanceof IndexingError)) {
      // Name and code only: database errors can quote the statement's parameters (the content).
      const e = error as { name?: string; code?: string; cause?: { code?: string } };
      log?.error(
        { sourceId, errorName: e?.name, errorCode: e?.code ?? e?.cause?.code },
        'knowledge indexing failed',
      );
    }
    await tenant((tx) =>
      tx
        .update(knowledgeSources)
        .set({ status: 'failed', error: message, updatedAt: new Date() })
        .where(where),
    );
  }
}
