import { and, asc, eq } from 'drizzle-orm';
import { noteCacheChange } from '../../../platform/cache/hot-cache.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { knowledgeSynonyms } from '../../../platform/db/schema/index.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';

/**
 * Admin synonym groups, per organization: every term of a group also finds the others
 * ("refund", "money back", "reimbursement"). Terms are stored as typed (trimmed, inner spaces
 * collapsed); search compares them by lexeme at query time (query-terms.ts), so a group applies
 * to knowledge added before and after it, in every language of the org, without re-indexing.
 */
export const MIN_TERMS = 2;
export const MAX_TERMS = 20;
export const MAX_TERM_LENGTH = 100;

export type SynonymGroupView = { id: string; terms: string[]; createdAt: string };

const view = (row: typeof knowledgeSynonyms.$inferSelect): SynonymGroupView => ({
  id: row.id,
  terms: row.terms,
  createdAt: row.createdAt.toISOString(),
});

/** Trimmed, spaces collapsed, duplicates (ignoring case) dropped; the group must keep 2 terms. */
export function normalizeTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const term of terms) {
    const clean = term.normalize('NFKC').trim().replace(/\s+/g, ' ');
    const key = clean.toLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  if (out.length < MIN_TERMS) {
    throw new AppError('bad_request', 'A synonym group needs at least two different terms');
  }
  return out;
}

export async function createSynonymGroup(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  terms: readonly string[],
): Promise<SynonymGroupView> {
  const [row] = await tx
    .insert(knowledgeSynonyms)
    .values({ orgId, terms: normalizeTerms(terms) })
    .returning();
  // The org's cached search vocabulary (query-terms.ts) holds its synonyms: dropped here at once.
  noteCacheChange(tx, 'knowledge', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge.synonyms.created',
    targetType: 'knowledge_synonyms',
    targetId: row!.id,
    metadata: { terms: row!.terms.length },
  });
  return view(row!);
}

export async function listSynonymGroups(tx: Tx, orgId: string): Promise<SynonymGroupView[]> {
  const rows = await tx
    .select()
    .from(knowledgeSynonyms)
    .where(eq(knowledgeSynonyms.orgId, orgId))
    .orderBy(asc(knowledgeSynonyms.createdAt), asc(knowledgeSynonyms.id));
  return rows.map(view);
}

export async function deleteSynonymGroup(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
): Promise<void> {
  const [row] = await tx
    .delete(knowledgeSynonyms)
    .where(and(eq(knowledgeSynonyms.orgId, orgId), eq(knowledgeSynonyms.id, id)))
    .returning({ id: knowledgeSynonyms.id });
  if (!row) throw notFound('Synonym group');
  noteCacheChange(tx, 'knowledge', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge.synonyms.deleted',
    targetType: 'knowledge_synonyms',
    targetId: id,
  });
}
