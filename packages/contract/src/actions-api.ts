/** Agents' HTTP actions (tools the model may call) and their call log: /v1/agents/{id}/actions… */

export type ActionMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One parameter, in the JSON Schema subset actions support; `sensitive` values never reach the log. */
export type ActionParameter = {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  enum?: (string | number)[];
  sensitive?: boolean;
};
export type ActionParameters = {
  type: 'object';
  properties: Record<string, ActionParameter>;
  required?: string[];
};

/** GET /v1/agents/{id}/actions entries. Header values are write-only: only their names come back. */
export type AgentAction = {
  id: string;
  agentId: string;
  /** The tool name the model sees: [a-z][a-z0-9_]{0,63}, unique per agent. */
  name: string;
  description: string;
  method: ActionMethod;
  /** e.g. https://shop.example/api/orders/{orderId} */
  urlTemplate: string;
  parameters: ActionParameters;
  headers: { name: string; hasValue: boolean }[];
  requiresApproval: boolean;
  enabled: boolean;
  /** 100–30000, default 5000. */
  timeoutMs: number;
  /** 1024–1048576, default 65536: a bigger response is refused (outcome too_large). */
  maxResponseBytes: number;
  createdAt: string;
  updatedAt: string;
};

/**
 * POST (name, method, urlTemplate required) and PATCH (any subset). `headers` replaces the list;
 * a header given without `value` keeps its stored value.
 */
export type AgentActionChanges = {
  name: string;
  description?: string;
  method: ActionMethod;
  urlTemplate: string;
  parameters?: ActionParameters;
  headers?: { name: string; value?: string }[];
  requiresApproval?: boolean;
  enabled?: boolean;
  timeoutMs?: number;
  maxResponseBytes?: number;
};

export type ActionCallOutcome =
  | 'ok'
  | 'http_error'
  | 'timeout'
  | 'too_large'
  | 'refused'
  | 'failed'
  | 'rejected'
  | 'pending_approval';

/** One call in the log: sensitive parameters read "[redacted]"; no headers, no response body. */
export type ActionCall = {
  id: string;
  actionId: string;
  agentId: string;
  actionName: string;
  conversationId: string | null;
  source: 'model' | 'test';
  outcome: ActionCallOutcome;
  httpStatus: number | null;
  durationMs: number | null;
  responseBytes: number | null;
  parameters: Record<string, unknown>;
  decidedById: string | null;
  decidedAt: string | null;
  createdAt: string;
};

/**
 * POST /v1/agents/{id}/actions/{actionId}/test: the call's outcome with the response, for the
 * admin who asked (the response is not stored). `error` says in words what went wrong.
 */
export type ActionTestResult = {
  callId: string;
  outcome: ActionCallOutcome;
  httpStatus: number | null;
  durationMs: number;
  contentType: string | null;
  /** Parsed JSON, or text; null when there was no response. */
  response: unknown;
  error: string | null;
};
