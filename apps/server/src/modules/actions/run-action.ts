import type { Database, Tx } from '../../platform/db/client.js';
import type { ActionCallSource } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { recordCall } from './action-log.js';
import { type ExecuteDeps, type ExecutionResult, executeAction } from './execute-action.js';
import { checkArguments, redactArguments } from './parameter-schema.js';
import type { ActionRow } from './service.js';

/**
 * One call of an action, logged: the arguments are checked against the action's schema, the
 * request runs (execute-action.ts) outside any transaction, then one row is written to the call
 * log. Arguments that do not fit the schema are not sent anywhere; the result says why
 * (outcome `failed`, logged too). Log lines carry ids and the outcome only.
 */
export type RunDeps = ExecuteDeps & {
  database: Database;
  log?: { info: (fields: Record<string, unknown>, message: string) => void };
};

export type RunResult = ExecutionResult & { callId: string };

export async function runAction(
  deps: RunDeps,
  input: {
    action: ActionRow;
    args: unknown;
    conversationId: string | null;
    source: ActionCallSource;
    signal?: AbortSignal;
    /** An existing pending call being approved: its row is updated instead of a new one. */
    finish?: (tx: Tx, result: ExecutionResult) => Promise<string>;
  },
): Promise<RunResult> {
  const { action } = input;
  const checked = checkArguments(action.parameters, input.args);
  const result: ExecutionResult = checked.ok
    ? await executeAction(deps, action, checked.values, input.signal)
    : {
        outcome: 'failed',
        httpStatus: null,
        durationMs: 0,
        responseBytes: null,
        contentType: null,
        response: null,
        error: `The arguments do not fit the action's parameters: ${checked.errors.join('; ')}`,
      };
  const callId = await withTenant(deps.database, [action.orgId], async (tx) => {
    if (input.finish) return input.finish(tx, result);
    const row = await recordCall(tx, {
      action,
      conversationId: input.conversationId,
      source: input.source,
      outcome: result.outcome,
      httpStatus: result.httpStatus,
      durationMs: result.durationMs,
      responseBytes: result.responseBytes,
      parameters: redactArguments(action.parameters, input.args),
    });
    return row.id;
  });
  deps.log?.info(
    {
      actionId: action.id,
      callId,
      conversationId: input.conversationId,
      outcome: result.outcome,
      httpStatus: result.httpStatus,
      durationMs: result.durationMs,
    },
    'action called',
  );
  return { ...result, callId };
}
