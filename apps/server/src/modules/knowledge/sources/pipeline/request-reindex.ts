import { and, eq, getTableColumns } from 'drizzle-orm';
import type { Keyring } from '../../../../platform/crypto/keyring.js';
import type { Tx } from '../../../../platform/db/client.js';
import { knowledgeSources } from '../../../../platform/db/schema/index.js';
import { AppError, notFound } from '../../../../platform/errors.js';
import { type Actor, recordAudit } from '../../../audit/service.js';
import { type SourceView, sourceView } from '../service.js';

const { content: _content, ...summaryColumns } = getTableColumns(knowledgeSources);

/**
 * Queues a source for re-indexing (the caller enqueues its job once this commits). Its current
 * version stays in place until the new one is swapped in. Refused with 409 while the source is
 * already queued or being indexed: that run will pick up the same content.
 */
export async function requestReindex(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
): Promise<SourceView> {
  const where = and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, id));
  const [current] = await tx
    .select({ status: knowledgeSources.status, type: knowledgeSources.type })
    .from(knowledgeSources)
    .where(where)
    .for('update');
  if (!current) throw notFound('Knowledge source');
  if (current.status === 'queued' || current.status === 'processing') {
    throw new AppError(
      'conflict',
      `The source is already ${current.status === 'queued' ? 'queued' : 'being indexed'}; wait until it is ready or failed`,
    );
  }
  const [row] = await tx
    .update(knowledgeSources)
    .set({ status: 'queued', error: null, updatedAt: new Date() })
    .where(where)
    .returning(summaryColumns);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge_source.reindex_requested',
    targetType: 'knowledge_source',
    targetId: id,
    metadata: { type: current.type },
  });
  return sourceView(row!);
}
