import type { ActionCall } from '@confidant/contract';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AppDeps } from '../../deps.js';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Tx } from '../../platform/db/client.js';
import {
  actionCalls,
  agentActions,
  conversations,
  messages,
  organizations,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { appendEvent } from '../../platform/events/outbox.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { emitMessage } from '../conversations/conversation-events.js';
import { type CallRow, callView, recordCall } from './action-log.js';
import { checkArguments, redactArguments } from './parameter-schema.js';
import { runAction } from './run-action.js';
import type { ActionRow } from './service.js';

/**
 * Actions that need an operator's approval (`requiresApproval`).
 *
 * When the model calls one, nothing is sent: a pending call is logged (its full arguments kept
 * envelope-encrypted, since a sensitive one is needed to run it later), an `action_call` event
 * tells operators' consoles, and the tool answers `{ status: 'pending_approval' }` so the model
 * tells the visitor that a team member will confirm.
 *
 * An operator approves → the call runs through the same executor, its row gets the outcome and
 * the encrypted arguments are dropped, and a short factual line is posted to the visitor
 * ("Your request … was approved and done."). Rejected → logged as `rejected`, the visitor told.
 * A call is decided once: the decision claims the row (decided_at set where it was null), so
 * two operators approving at once run it once; the other gets 409.
 *
 * A claim is a lease (APPROVAL_LEASE_MS, well past the longest action timeout): an approval
 * whose process died between the claim and the outcome would otherwise stay pending and claimed
 * forever. Past the lease it is marked `failed` — never run again, since the request may have
 * been sent before the crash — and the visitor is told a team member will follow up: by the
 * next decision on it (409 saying so) or by the worker's sweep (`failStaleApprovals`).
 *
 * An action disabled (or changed to something else) since the model called it is not run on
 * approval: 409, and the call is marked `rejected` with the visitor told. A deleted action takes
 * its calls with it (foreign key), so approving one answers 404.
 */
export const ACTION_CALL_EVENT = 'action_call';

const argsLocation = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'action_calls',
  column: 'pending_parameters_ciphertext',
  rowId,
});

/** "cancel_order" → "cancel order": how the visitor-facing line names the action. */
export const actionLabel = (name: string) => name.replaceAll('_', ' ');

async function emitCall(tx: Tx, row: CallRow) {
  await appendEvent(tx, row.orgId, {
    type: ACTION_CALL_EVENT,
    conversationId: row.conversationId,
    payload: callView(row),
  });
}

/**
 * The model called an action that needs approval: logs a pending call (or, with arguments
 * that do not fit, a failed one) and returns it.
 */
export async function requestApproval(
  deps: Pick<AppDeps, 'database' | 'keyring'>,
  input: { action: ActionRow; args: unknown; conversationId: string | null },
): Promise<{ call: ActionCall; error: string | null }> {
  const { action } = input;
  const checked = checkArguments(action.parameters, input.args);
  return withTenant(deps.database, [action.orgId], async (tx) => {
    const id = crypto.randomUUID();
    const row = await recordCall(tx, {
      id,
      action,
      conversationId: input.conversationId,
      source: 'model',
      outcome: checked.ok ? 'pending_approval' : 'failed',
      parameters: redactArguments(action.parameters, input.args),
      pendingParametersCiphertext: checked.ok
        ? encryptSecret(deps.keyring, JSON.stringify(checked.values), argsLocation(action.orgId, id))
        : null,
    });
    if (checked.ok) await emitCall(tx, row);
    return {
      call: callView(row),
      error: checked.ok
        ? null
        : `The arguments do not fit the action's parameters: ${checked.errors.join('; ')}`,
    };
  });
}

/** Calls waiting for a decision, oldest first: the org's, or one conversation's. */
export async function listPending(tx: Tx, orgId: string, conversationId?: string): Promise<ActionCall[]> {
  const rows = await tx
    .select()
    .from(actionCalls)
    .where(
      and(
        eq(actionCalls.orgId, orgId),
        eq(actionCalls.outcome, 'pending_approval'),
        isNull(actionCalls.decidedAt),
        conversationId ? eq(actionCalls.conversationId, conversationId) : undefined,
      ),
    )
    .orderBy(asc(actionCalls.createdAt), asc(actionCalls.id))
    .limit(200);
  return rows.map(callView);
}

/** How long a claimed approval may take before it counts as interrupted (actions time out at 30 s). */
export const APPROVAL_LEASE_MS = 2 * 60_000;

const staleBefore = (now: Date) => new Date(now.getTime() - APPROVAL_LEASE_MS);

/**
 * Claims a pending call for a decision: 404 when there is none, 409 when already decided or
 * being decided; a claim past its lease is returned as `stale` (the caller fails it).
 */
async function claim(
  tx: Tx,
  orgId: string,
  callId: string,
  userId: string | null,
  now: Date,
): Promise<CallRow | { stale: CallRow }> {
  const [row] = await tx
    .update(actionCalls)
    .set({ decidedAt: now, decidedById: userId })
    .where(
      and(
        eq(actionCalls.orgId, orgId),
        eq(actionCalls.id, callId),
        eq(actionCalls.outcome, 'pending_approval'),
        isNull(actionCalls.decidedAt),
      ),
    )
    .returning();
  if (row) return row;
  const [existing] = await tx
    .select()
    .from(actionCalls)
    .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.id, callId)))
    .for('update');
  if (!existing) throw notFound('Action call');
  if (
    existing.outcome === 'pending_approval' &&
    existing.decidedAt &&
    existing.decidedAt.getTime() < staleBefore(now).getTime()
  )
    return { stale: existing };
  throw new AppError('conflict', 'This call was already decided');
}

const interruptedConflict = () =>
  new AppError(
    'conflict',
    'The earlier approval of this call was interrupted and it was marked failed: it may or may not have run, so check with the service before doing it again',
  );

/**
 * An approval whose lease ran out: marked failed (its encrypted arguments dropped), the visitor
 * told, audited, operators' consoles told. Never run again.
 */
async function failInterrupted(
  deps: Pick<AppDeps, 'keyring'> & Partial<Pick<AppDeps, 'transcripts'>>,
  tx: Tx,
  stale: CallRow,
): Promise<CallRow> {
  const [row] = await tx
    .update(actionCalls)
    .set({ outcome: 'failed', pendingParametersCiphertext: null })
    .where(and(eq(actionCalls.orgId, stale.orgId), eq(actionCalls.id, stale.id)))
    .returning();
  await tellVisitor(
    deps,
    tx,
    row!,
    `Your request “${actionLabel(row!.actionName)}” could not be completed. A team member will follow up.`,
  );
  await recordAudit(
    tx,
    deps.keyring,
    row!.orgId,
    { type: 'system', id: null },
    {
      action: 'action_call.interrupted',
      targetType: 'action_call',
      targetId: row!.id,
      metadata: { actionId: row!.actionId, outcome: row!.outcome },
    },
  );
  await emitCall(tx, row!);
  return row!;
}

/**
 * The worker's sweep (every five minutes): fails every approval claimed longer than the lease
 * ago, in every org, each in its own transaction (re-checked under a row lock, so a decision
 * finishing meanwhile wins). Returns how many it failed.
 */
export async function failStaleApprovals(
  deps: Pick<AppDeps, 'database' | 'keyring'> & Partial<Pick<AppDeps, 'transcripts'>>,
  now: Date = new Date(),
): Promise<number> {
  const orgs = await deps.database.db.select({ id: organizations.id }).from(organizations);
  let failed = 0;
  for (let start = 0; start < orgs.length; start += 200) {
    const orgIds = orgs.slice(start, start + 200).map((o) => o.id);
    const stale = await withTenant(deps.database, orgIds, (tx) =>
      tx
        .select({ orgId: actionCalls.orgId, id: actionCalls.id })
        .from(actionCalls)
        .where(
          and(
            inArray(actionCalls.orgId, orgIds),
            eq(actionCalls.outcome, 'pending_approval'),
            lt(actionCalls.decidedAt, staleBefore(now)),
          ),
        ),
    );
    for (const { orgId, id } of stale)
      failed += await withTenant(deps.database, [orgId], async (tx) => {
        const [row] = await tx
          .select()
          .from(actionCalls)
          .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.id, id)))
          .for('update');
        if (row?.outcome !== 'pending_approval' || !row.decidedAt) return 0;
        if (row.decidedAt.getTime() >= staleBefore(now).getTime()) return 0;
        await failInterrupted(deps, tx, row);
        return 1;
      });
  }
  return failed;
}

/**
 * Posts the outcome to the visitor as an assistant line: a fixed sentence with the action's
 * name, never data from the response (nothing is invented or passed on unchecked).
 */
async function tellVisitor(deps: Partial<Pick<AppDeps, 'transcripts'>>, tx: Tx, row: CallRow, text: string) {
  if (!row.conversationId) return;
  const [conversation] = await tx
    .select({ ephemeral: conversations.ephemeral })
    .from(conversations)
    .where(and(eq(conversations.orgId, row.orgId), eq(conversations.id, row.conversationId)));
  if (!conversation) return;
  const [message] = await tx
    .insert(messages)
    .values({
      orgId: row.orgId,
      conversationId: row.conversationId,
      role: 'assistant',
      content: conversation.ephemeral ? '' : text,
    })
    .returning();
  await tx
    .update(conversations)
    .set({ lastMessageAt: sql`now()` })
    .where(and(eq(conversations.orgId, row.orgId), eq(conversations.id, row.conversationId)));
  if (conversation.ephemeral) {
    deps.transcripts?.hold(row.orgId, row.conversationId, message!.id, { text, citations: [] });
  }
  await emitMessage(tx, row.orgId, {
    id: message!.id,
    conversationId: row.conversationId,
    role: 'assistant',
    text,
    internal: false,
    authorId: null,
    authorName: null,
    systemEvent: null,
    citations: [],
    createdAt: message!.createdAt.toISOString(),
    ...(conversation.ephemeral ? { ephemeral: true as const } : {}),
  });
}

async function auditDecision(
  deps: Pick<AppDeps, 'keyring'>,
  tx: Tx,
  actor: Actor,
  row: CallRow,
  action: 'action_call.approved' | 'action_call.rejected' | 'action_call.cancelled',
) {
  await recordAudit(tx, deps.keyring, row.orgId, actor, {
    action,
    targetType: 'action_call',
    targetId: row.id,
    metadata: { actionId: row.actionId, outcome: row.outcome },
  });
}

export async function approveCall(
  deps: AppDeps,
  orgId: string,
  actor: Actor,
  userId: string | null,
  callId: string,
  now: Date = new Date(),
): Promise<ActionCall> {
  const decided = await withTenant(deps.database, [orgId], async (tx) => {
    const claimedOrStale = await claim(tx, orgId, callId, userId, now);
    if ('stale' in claimedOrStale) {
      await failInterrupted(deps, tx, claimedOrStale.stale);
      return { refused: interruptedConflict() } as const;
    }
    const claimed = claimedOrStale;
    const [action] = await tx
      .select()
      .from(agentActions)
      .where(and(eq(agentActions.orgId, orgId), eq(agentActions.id, claimed.actionId)));
    // Disabled since the model called it (or renamed into another tool): not run. Recorded and
    // told in this transaction; the 409 is thrown once it has committed.
    if (!action?.enabled || action.name !== claimed.actionName) {
      const [row] = await tx
        .update(actionCalls)
        .set({ outcome: 'rejected', pendingParametersCiphertext: null })
        .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.id, claimed.id)))
        .returning();
      await tellVisitor(
        deps,
        tx,
        row!,
        `Your request “${actionLabel(row!.actionName)}” could not be done: it is no longer available. A team member will follow up.`,
      );
      await auditDecision(deps, tx, actor, row!, 'action_call.cancelled');
      await emitCall(tx, row!);
      return {
        refused: new AppError(
          'conflict',
          'This action was disabled or changed after the call was made, so it was not run; the call was marked rejected and the visitor told',
        ),
      } as const;
    }
    return { claimed, action } as const;
  });
  if ('refused' in decided) throw decided.refused;
  const { claimed, action } = decided;
  const args = claimed.pendingParametersCiphertext
    ? JSON.parse(
        decryptSecret(deps.keyring, claimed.pendingParametersCiphertext, argsLocation(orgId, claimed.id)),
      )
    : {};
  let finished: CallRow | undefined;
  await runAction(deps, {
    action,
    args,
    conversationId: claimed.conversationId,
    source: 'model',
    finish: async (tx, result) => {
      [finished] = await tx
        .update(actionCalls)
        .set({
          outcome: result.outcome,
          httpStatus: result.httpStatus,
          durationMs: result.durationMs,
          responseBytes: result.responseBytes,
          pendingParametersCiphertext: null,
        })
        .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.id, claimed.id)))
        .returning();
      const label = actionLabel(action.name);
      await tellVisitor(
        deps,
        tx,
        finished!,
        result.outcome === 'ok'
          ? `Your request “${label}” was approved and done.`
          : `Your request “${label}” was approved, but it could not be completed. A team member will follow up.`,
      );
      await auditDecision(deps, tx, actor, finished!, 'action_call.approved');
      await emitCall(tx, finished!);
      return claimed.id;
    },
  });
  return callView(finished!);
}

export async function rejectCall(
  deps: AppDeps,
  orgId: string,
  actor: Actor,
  userId: string | null,
  callId: string,
  now: Date = new Date(),
): Promise<ActionCall> {
  const decided = await withTenant(deps.database, [orgId], async (tx) => {
    const claimedOrStale = await claim(tx, orgId, callId, userId, now);
    if ('stale' in claimedOrStale) {
      await failInterrupted(deps, tx, claimedOrStale.stale);
      return { refused: interruptedConflict() } as const;
    }
    const claimed = claimedOrStale;
    const [row] = await tx
      .update(actionCalls)
      .set({ outcome: 'rejected', pendingParametersCiphertext: null })
      .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.id, claimed.id)))
      .returning();
    await tellVisitor(
      deps,
      tx,
      row!,
      `Your request “${actionLabel(row!.actionName)}” was declined by our team.`,
    );
    await auditDecision(deps, tx, actor, row!, 'action_call.rejected');
    await emitCall(tx, row!);
    return { view: callView(row!) } as const;
  });
  if ('refused' in decided) throw decided.refused;
  return decided.view;
}
