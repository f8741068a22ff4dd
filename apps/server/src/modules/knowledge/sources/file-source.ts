import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import { storeBlob } from '../../../platform/blobs/service.js';
import type { Config } from '../../../platform/config.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { knowledgeSources } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError, type ErrorCode } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';
import { titleFromFileName } from './extract.js';
import {
  checkUploadedDocument,
  ExtractionError,
  type ExtractionFailure,
  readDocumentTitle,
  type SniffedDocument,
} from './extractors/index.js';
import { getSource, type SourceView } from './service.js';
import { TITLE_MAX, titleSchema, type UploadedFile } from './upload.js';

/**
 * Adding an uploaded file as a knowledge source: the cheap checks (size, sniffed format, CSV
 * column choices) answer a 4xx at once; the original is stored in the blob store under the org
 * (once per content hash) and the source is recorded `queued`, referencing it. Reading the whole
 * document happens in the ingestion job, which fails the source with a reason if it cannot.
 */

export type FileSourceDeps = { config: Config; database: Database; keyring: Keyring; blobStore: BlobStore };

const uploadStatus: Record<ExtractionFailure, ErrorCode> = {
  empty: 'bad_request',
  too_large: 'payload_too_large',
  unsupported: 'unsupported_media_type',
  invalid: 'bad_request',
};

/** An ExtractionError raised at upload, as the HTTP problem it is. */
export function uploadProblem(error: unknown): unknown {
  return error instanceof ExtractionError ? new AppError(uploadStatus[error.reason], error.message) : error;
}

async function chooseTitle(input: UploadedFile, sniffed: SniffedDocument): Promise<string> {
  if (input.title !== undefined) {
    const parsed = titleSchema.safeParse(input.title);
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The request does not match the expected shape',
        parsed.error.issues.map((issue) => ({ path: 'body.title', message: issue.message })),
      );
    }
    return parsed.data;
  }
  const fromDocument = await readDocumentTitle(input.bytes, sniffed);
  const title = (fromDocument || titleFromFileName(input.fileName) || 'Untitled document').replaceAll(
    '\u0000',
    '',
  );
  return title.slice(0, TITLE_MAX);
}

/** Validates, stores and records an upload; returns the new `queued` source (enqueue it next). */
export async function createFileSource(
  deps: FileSourceDeps,
  orgId: string,
  actor: Actor,
  input: UploadedFile,
): Promise<SourceView> {
  let sniffed: SniffedDocument;
  try {
    sniffed = await checkUploadedDocument({
      bytes: input.bytes,
      fileName: input.fileName,
      options: input.options,
      maxBytes: deps.config.maxUploadBytes,
    });
  } catch (error) {
    throw uploadProblem(error);
  }
  const title = await chooseTitle(input, sniffed);
  return withTenant(deps.database, [orgId], async (tx) => {
    const blob = await storeBlob(tx, deps.blobStore, orgId, input.bytes, sniffed.mimeType);
    const [row] = await tx
      .insert(knowledgeSources)
      .values({
        orgId,
        type: 'file',
        title,
        fileName: input.fileName || null,
        mimeType: sniffed.mimeType,
        content: null,
        contentHash: blob.hash,
        blobHash: blob.hash,
        byteSize: blob.byteSize,
        options: input.options,
        status: 'queued',
      })
      .returning({ id: knowledgeSources.id });
    await recordAudit(tx, deps.keyring, orgId, actor, {
      action: 'knowledge_source.created',
      targetType: 'knowledge_source',
      targetId: row!.id,
      metadata: { type: 'file', byteSize: blob.byteSize, format: sniffed.format },
    });
    return getSource(tx, orgId, row!.id);
  });
}
