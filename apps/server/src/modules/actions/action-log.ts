import type { ActionCall } from '@confidant/contract';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import {
  type ActionCallOutcome,
  type ActionCallSource,
  actionCalls,
} from '../../platform/db/schema/index.js';
import type { ActionRow } from './service.js';

/**
 * The call log (action_calls): what was called, when, by whom (model or admin test), how long it
 * took and how it ended. Invariant: a row holds parameters with sensitive fields already
 * replaced (parameter-schema.ts redactArguments), the HTTP status and the response size only —
 * never header values and never the response body.
 */
export type CallRow = typeof actionCalls.$inferSelect;

export function callView(row: CallRow): ActionCall {
  return {
    id: row.id,
    actionId: row.actionId,
    agentId: row.agentId,
    actionName: row.actionName,
    conversationId: row.conversationId,
    source: row.source,
    outcome: row.outcome,
    httpStatus: row.httpStatus,
    durationMs: row.durationMs,
    responseBytes: row.responseBytes,
    parameters: row.parameters,
    decidedById: row.decidedById,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export type CallRecord = {
  action: ActionRow;
  conversationId: string | null;
  source: ActionCallSource;
  outcome: ActionCallOutcome;
  httpStatus?: number | null;
  durationMs?: number | null;
  responseBytes?: number | null;
  /** Already redacted. */
  parameters: Record<string, unknown>;
  /** Pending approval only: the full arguments, sealed by the caller. */
  pendingParametersCiphertext?: string | null;
  id?: string;
};

export async function recordCall(tx: Tx, record: CallRecord): Promise<CallRow> {
  const [row] = await tx
    .insert(actionCalls)
    .values({
      orgId: record.action.orgId,
      ...(record.id ? { id: record.id } : {}),
      actionId: record.action.id,
      agentId: record.action.agentId,
      actionName: record.action.name,
      conversationId: record.conversationId,
      source: record.source,
      outcome: record.outcome,
      httpStatus: record.httpStatus ?? null,
      durationMs: record.durationMs ?? null,
      responseBytes: record.responseBytes ?? null,
      parameters: record.parameters,
      pendingParametersCiphertext: record.pendingParametersCiphertext ?? null,
    })
    .returning();
  if (!row) throw new Error('action call insert returned nothing');
  return row;
}

/** An action's calls, newest first. */
export async function listCalls(
  tx: Tx,
  orgId: string,
  actionId: string,
  limit: number,
): Promise<ActionCall[]> {
  const rows = await tx
    .select()
    .from(actionCalls)
    .where(and(eq(actionCalls.orgId, orgId), eq(actionCalls.actionId, actionId)))
    .orderBy(desc(actionCalls.createdAt), desc(actionCalls.id))
    .limit(limit);
  return rows.map(callView);
}
