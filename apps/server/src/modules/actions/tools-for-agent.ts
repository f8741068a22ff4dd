import type { JSONSchema7 } from '@ai-sdk/provider';
import { jsonSchema, type ToolSet, tool } from 'ai';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../deps.js';
import { agentActions } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { requestApproval } from './approvals.js';
import { modelInputSchema } from './parameter-schema.js';
import { runAction } from './run-action.js';
import type { ActionRow } from './service.js';

/**
 * The agent's enabled actions as AI SDK tools, for one answer in one conversation. Each tool
 * runs its action through the executor and the call log (run-action.ts), or — when the action
 * needs approval — only logs a pending call (approvals.ts) and tells the model so.
 *
 * What a tool returns is what the model reads (the gateway redacts it before the model sees
 * it): the status, the HTTP status and the service's answer (already bounded by the action's
 * maxResponseBytes), or why it failed in a few words. Never a header value.
 */
export type ToolsDeps = Pick<AppDeps, 'database' | 'keyring' | 'net' | 'log'>;

/** Tool names the answer engine uses itself: an action may not take them. */
export const RESERVED_TOOL_NAMES = ['handoff'] as const;

export async function toolsForAgent(
  deps: ToolsDeps,
  input: { orgId: string; agentId: string | null; conversationId: string | null },
): Promise<ToolSet | undefined> {
  const { agentId } = input;
  if (!agentId) return undefined;
  const rows = await withTenant(deps.database, [input.orgId], (tx) =>
    tx
      .select()
      .from(agentActions)
      .where(
        and(
          eq(agentActions.orgId, input.orgId),
          eq(agentActions.agentId, agentId),
          eq(agentActions.enabled, true),
        ),
      ),
  );
  if (rows.length === 0) return undefined;
  return Object.fromEntries(rows.map((row) => [row.name, actionTool(deps, row, input.conversationId)]));
}

function actionTool(deps: ToolsDeps, action: ActionRow, conversationId: string | null) {
  return tool({
    description:
      action.description +
      (action.requiresApproval
        ? ' (Needs a team member’s approval: calling it only asks for it; tell the visitor it will be confirmed.)'
        : ''),
    inputSchema: jsonSchema<Record<string, unknown>>(modelInputSchema(action.parameters) as JSONSchema7),
    execute: async (args, { abortSignal }) => {
      if (action.requiresApproval) {
        const { call, error } = await requestApproval(deps, { action, args, conversationId });
        if (error) return { status: 'error', error };
        deps.log.info(
          { actionId: action.id, callId: call.id, conversationId },
          'action call awaits approval',
        );
        return {
          status: 'pending_approval',
          message:
            'A team member has to approve this request first. Tell the visitor it will be confirmed shortly.',
        };
      }
      const result = await runAction(deps, {
        action,
        args,
        conversationId,
        source: 'model',
        ...(abortSignal ? { signal: abortSignal } : {}),
      });
      if (result.outcome === 'ok') {
        return { status: 'ok', httpStatus: result.httpStatus, response: result.response };
      }
      return {
        status: 'error',
        outcome: result.outcome,
        httpStatus: result.httpStatus,
        ...(result.outcome === 'http_error' ? { response: result.response } : {}),
        error: result.error,
      };
    },
  });
}
