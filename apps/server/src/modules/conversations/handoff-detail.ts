import type { HandoffDetail } from '@confidant/contract';
import { MODEL_HANDOFF_REASONS, type ModelHandoff } from '../answers/handoff-tool.js';
import type { ConversationRow } from './state.js';

/**
 * The model's own handoff request (its `handoff({ reason, summary? })` tool call), kept on the
 * conversation while it is handed over (conversations.handoff_detail, handoff_summary) so the
 * operator taking over reads why and what it is about. Written by state.ts with the handoff,
 * cleared with handoff_reason (handback, reopen).
 *
 * The summary is the model's text about the visitor's issue with the gateway's placeholders
 * restored (the model saw "[EMAIL_1]", the operator reads the address, as in the transcript):
 * transcript content for retention, export and erasure (the data map), never in an event
 * payload or the audit log, and never stored for an ephemeral conversation.
 */
export function handoffColumns(detail: ModelHandoff | undefined, ephemeral: boolean) {
  return {
    handoffDetail: detail?.reason ?? null,
    handoffSummary: detail?.summary && !ephemeral ? detail.summary : null,
  };
}

export function handoffDetailOf(row: ConversationRow): HandoffDetail | null {
  const reason = MODEL_HANDOFF_REASONS.find((r) => r === row.handoffDetail);
  if (!reason) return null;
  return { reason, summary: row.handoffSummary };
}
