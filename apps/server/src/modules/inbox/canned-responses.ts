import { and, asc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { cannedResponses } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/** Saved replies, per org, inserted by operators with their shortcut ("/refund"). */
export type CannedResponse = {
  id: string;
  shortcut: string;
  text: string;
  createdAt: string;
  updatedAt: string;
};

const view = (r: typeof cannedResponses.$inferSelect): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  text: r.text,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const duplicate = (shortcut: string) =>
  new AppError('conflict', `A canned response with the shortcut "${shortcut}" already exists`);

export async function listCannedResponses(tx: Tx, orgId: string): Promise<CannedResponse[]> {
  const rows = await tx
    .select()
    .from(cannedResponses)
    .where(eq(cannedResponses.orgId, orgId))
    .orderBy(asc(cannedResponses.shortcut));
  return rows.map(view);
}

export async function createCannedResponse(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: { shortcut: string; text: string },
): Promise<CannedResponse> {
  const [row] = await tx
    .insert(cannedResponses)
    .values({ orgId, ...input, createdById: actor.type === 'user' ? actor.id : null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw duplicate(input.shortcut);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'canned_response.created',
    targetType: 'canned_response',
    targetId: row.id,
  });
  return view(row);
}

export async function updateCannedResponse(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: { shortcut?: string; text?: string },
): Promise<CannedResponse> {
  if (input.shortcut) {
    const [clash] = await tx
      .select({ id: cannedResponses.id })
      .from(cannedResponses)
      .where(and(eq(cannedResponses.orgId, orgId), eq(cannedResponses.shortcut, input.shortcut)));
    if (clash && clash.id !== id) throw duplicate(input.shortcut);
  }
  const [row] = await tx
    .update(cannedResponses)
    .set({ ...input, updatedAt: sql`now()` })
    .where(and(eq(cannedResponses.orgId, orgId), eq(cannedResponses.id, id)))
    .returning();
  if (!row) throw notFound('Canned response');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'canned_response.updated',
    targetType: 'canned_response',
    targetId: id,
  });
  return view(row);
}

export async function deleteCannedResponse(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
) {
  const [row] = await tx
    .delete(cannedResponses)
    .where(and(eq(cannedResponses.orgId, orgId), eq(cannedResponses.id, id)))
    .returning({ id: cannedResponses.id });
  if (!row) throw notFound('Canned response');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'canned_response.deleted',
    targetType: 'canned_response',
    targetId: id,
  });
}
