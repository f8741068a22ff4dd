import { tool } from 'ai';
import { z } from 'zod';
import type { HandoffReason } from '../../platform/db/schema/index.js';

/**
 * Handoff in model mode is a tool call, never text parsed from the answer: the model calls
 * `handoff({ reason, summary? })` and the answer ends there (the gateway's `endingTools`); the
 * engine then tells the visitor honestly whether someone is available (engine.ts).
 * Offered only when the agent hands off; otherwise a call to it is refused like any tool not
 * offered (the AI SDK's NoSuchToolError), and nothing is handed off.
 */
export const HANDOFF_TOOL = 'handoff';

/** Why the model hands off: finer than the stored reason, for the tool's schema and the caller. */
export const MODEL_HANDOFF_REASONS = [
  'visitor_asked',
  'not_in_knowledge',
  'account_specific',
  'complaint',
  'sensitive',
  'other',
] as const;
export type ModelHandoffReason = (typeof MODEL_HANDOFF_REASONS)[number];

export type ModelHandoff = { reason: ModelHandoffReason; summary?: string };

/**
 * The stored reason (conversations.handoff_reason, the contract's HandoffReason, shown in the
 * inbox and notifications) for the model's: the visitor asking is 'requested'; the knowledge not
 * having it, or no better fit, is 'low_confidence' ("could not answer confidently"); the cases
 * the rules send to a person (account, complaint, sensitive) are 'rule' ("a handoff rule
 * matched"). The stored values stay the existing three, so nothing downstream changes.
 */
export function storedHandoffReason(reason: ModelHandoffReason): HandoffReason {
  switch (reason) {
    case 'visitor_asked':
      return 'requested';
    case 'account_specific':
    case 'complaint':
    case 'sensitive':
      return 'rule';
    case 'not_in_knowledge':
    case 'other':
      return 'low_confidence';
  }
}

/** The summary is for the operator; kept short (it reaches no log, only the caller). */
const SUMMARY_MAX = 500;

/** The tool; `onCall` receives the (validated) request. Its result tells the model to stop. */
export function handoffTool(onCall: (handoff: ModelHandoff) => void) {
  return tool({
    description:
      'Hand the conversation to a person from the team. Call it when the visitor asks for a person, when the passages do not contain the answer, or when the request needs a person (their own account or order, a complaint, something sensitive). Do not tell the visitor a person will reply: the system does.',
    inputSchema: z.object({
      reason: z.enum(MODEL_HANDOFF_REASONS).describe('Why a person is needed'),
      summary: z.string().max(SUMMARY_MAX).optional().describe('One sentence for the person taking over'),
    }),
    execute: async ({ reason, summary }) => {
      onCall({ reason, ...(summary ? { summary } : {}) });
      return { handedOff: true };
    },
  });
}
