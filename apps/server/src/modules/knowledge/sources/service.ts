import { createHash } from 'node:crypto';
import { and, count, desc, eq, getTableColumns } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import {
  type KnowledgeSourceRow,
  knowledgeChunks,
  knowledgeSources,
} from '../../../platform/db/schema/index.js';
import { notFound } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';
import { mimeTypes, type TextFormat } from './extract.js';

/** A knowledge source as the API shows it: never its content. */
export type SourceView = {
  id: string;
  type: KnowledgeSourceRow['type'];
  title: string;
  status: KnowledgeSourceRow['status'];
  progress: { chunksDone: number; chunksTotal: number; pagesDone: number; pagesTotal: number };
  error: string | null;
  /** When the current version was indexed; null before the first successful run. */
  lastIndexedAt: string | null;
  /** When a scheduled refresh is next due; null when none is scheduled. */
  nextRefreshAt: string | null;
  createdAt: string;
  updatedAt: string;
  fileName?: string;
  /** A website source's start URL. */
  url?: string;
  byteSize: number;
};

type SourceSummary = Omit<KnowledgeSourceRow, 'content'>;

export const sourceView = (s: SourceSummary): SourceView => ({
  id: s.id,
  type: s.type,
  title: s.title,
  status: s.status,
  progress: {
    chunksDone: s.chunksDone,
    chunksTotal: s.chunksTotal,
    pagesDone: s.pagesDone,
    pagesTotal: s.pagesTotal,
  },
  error: s.error,
  lastIndexedAt: s.lastIndexedAt?.toISOString() ?? null,
  nextRefreshAt: s.nextRefreshAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  ...(s.fileName !== null ? { fileName: s.fileName } : {}),
  ...(s.type === 'url' && s.url !== null ? { url: s.url } : {}),
  byteSize: s.byteSize,
});

/** Every column but `content`, so listings never load whole documents. */
const { content: _content, ...summaryColumns } = getTableColumns(knowledgeSources);

export type NewSource = {
  type: 'text' | 'file' | 'qa';
  title: string;
  /** Already decoded and validated text (see extract.ts), with \n line endings. */
  content: string;
  format: TextFormat;
  fileName?: string;
  /** Size of what the client sent (the file, or the content as UTF-8). */
  byteSize: number;
};

/**
 * Records a new source as `queued`, with its audit entry, in the caller's transaction. Its
 * ingestion job is enqueued after this commits (jobs/ingest-source.ts); should the process die in
 * between, the periodic sweep finds the queued source without a job and enqueues one.
 */
export async function createSource(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: NewSource,
): Promise<SourceView> {
  const [row] = await tx
    .insert(knowledgeSources)
    .values({
      orgId,
      type: input.type,
      title: input.title,
      fileName: input.fileName ?? null,
      mimeType: mimeTypes[input.format],
      content: input.content,
      contentHash: createHash('sha256').update(input.content).digest('hex'),
      byteSize: input.byteSize,
      status: 'queued',
    })
    .returning(summaryColumns);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge_source.created',
    targetType: 'knowledge_source',
    targetId: row!.id,
    metadata: { type: input.type, byteSize: input.byteSize },
  });
  return sourceView(row!);
}

/** Newest first. */
export async function listSources(tx: Tx, orgId: string): Promise<SourceView[]> {
  const rows = await tx
    .select(summaryColumns)
    .from(knowledgeSources)
    .where(eq(knowledgeSources.orgId, orgId))
    .orderBy(desc(knowledgeSources.createdAt), desc(knowledgeSources.id));
  return rows.map(sourceView);
}

export async function getSource(tx: Tx, orgId: string, id: string): Promise<SourceView> {
  const [row] = await tx
    .select(summaryColumns)
    .from(knowledgeSources)
    .where(and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, id)));
  if (!row) throw notFound('Knowledge source');
  return sourceView(row);
}

/**
 * Removes a source and (by cascade) its chunks, their embeddings and its crawled pages, so it can
 * no longer be found or cited. Returns the blob the source referenced: once this commits, the
 * caller releases it (blobs/service.ts releaseBlob deletes it when no other source uses it).
 */
export async function deleteSource(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
): Promise<{ blobHash: string | null }> {
  const [chunks] = await tx
    .select({ n: count() })
    .from(knowledgeChunks)
    .where(and(eq(knowledgeChunks.orgId, orgId), eq(knowledgeChunks.sourceId, id)));
  const [row] = await tx
    .delete(knowledgeSources)
    .where(and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, id)))
    .returning({ id: knowledgeSources.id, type: knowledgeSources.type, blobHash: knowledgeSources.blobHash });
  if (!row) throw notFound('Knowledge source');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge_source.deleted',
    targetType: 'knowledge_source',
    targetId: id,
    metadata: { type: row.type, chunks: chunks?.n ?? 0 },
  });
  return { blobHash: row.blobHash };
}
