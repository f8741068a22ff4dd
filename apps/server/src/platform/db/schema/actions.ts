import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { conversations } from './conversations.js';
import { organizations } from './organizations.js';

export const actionMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ActionMethod = (typeof actionMethods)[number];

/** One parameter of an action, in the JSON Schema subset actions support (modules/actions/parameter-schema.ts). */
export type ActionParameterSchema = {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  enum?: (string | number)[];
  /** Never stored in the call log, never written to a log line (replaced by "[redacted]"). */
  sensitive?: boolean;
};
export type ActionParametersSchema = {
  type: 'object';
  properties: Record<string, ActionParameterSchema>;
  required?: string[];
};

/**
 * HTTP actions an admin defines for an agent, which the model may call as tools
 * (modules/actions/). Header values are stored only as one envelope-encrypted JSON object
 * (bound to org/table/column/row); their names are kept apart in clear so the console can list
 * them. A value is never returned by the API.
 */
export const agentActions = pgTable(
  'agent_actions',
  {
    orgId: orgId(),
    id: id(),
    agentId: uuid('agent_id').notNull(),
    /** The tool name the model sees: [a-z][a-z0-9_]{0,63}, unique per agent. */
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    method: text('method', { enum: actionMethods }).notNull(),
    /** e.g. https://shop.example/api/orders/{orderId}: placeholders are parameter names. */
    urlTemplate: text('url_template').notNull(),
    // json, not jsonb: jsonb reorders object keys, and the order of the properties is the order
    // the admin gave the parameters in (the model and the console see them so).
    parameters: json('parameters')
      .$type<ActionParametersSchema>()
      .notNull()
      .default({ type: 'object', properties: {} }),
    headerNames: jsonb('header_names').$type<string[]>().notNull().default([]),
    /** JSON object name → value, envelope-encrypted; null when there are no headers. */
    headersCiphertext: text('headers_ciphertext'),
    requiresApproval: boolean('requires_approval').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    timeoutMs: integer('timeout_ms').notNull().default(5000),
    maxResponseBytes: integer('max_response_bytes').notNull().default(65_536),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('agent_actions_name_idx').on(t.orgId, t.agentId, t.name),
    check('agent_actions_method_check', sql`${t.method} in ('GET','POST','PUT','PATCH','DELETE')`),
    check('agent_actions_name_check', sql`${t.name} ~ '^[a-z][a-z0-9_]{0,63}$'`),
  ],
);

export const actionCallOutcomes = [
  'ok',
  'http_error',
  'timeout',
  'too_large',
  'refused',
  'failed',
  'rejected',
  'pending_approval',
] as const;
export type ActionCallOutcome = (typeof actionCallOutcomes)[number];
/** Who started a call: the model in a conversation, or an admin testing the action. */
export const actionCallSources = ['model', 'test'] as const;
export type ActionCallSource = (typeof actionCallSources)[number];

/**
 * The log of action calls: one row per call (a call waiting for approval is one row that
 * changes outcome once decided). Holds parameters with sensitive fields replaced by
 * "[redacted]", the HTTP status and the response size — never header values, never the response
 * body. While a call waits for approval its full parameters (needed to run it) are kept
 * envelope-encrypted, and dropped once it is decided.
 */
export const actionCalls = pgTable(
  'action_calls',
  {
    orgId: orgId(),
    id: id(),
    actionId: uuid('action_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    /** The action's name at call time (the tool name the model used). */
    actionName: text('action_name').notNull(),
    conversationId: uuid('conversation_id'),
    source: text('source', { enum: actionCallSources }).notNull(),
    outcome: text('outcome', { enum: actionCallOutcomes }).notNull(),
    httpStatus: integer('http_status'),
    durationMs: integer('duration_ms'),
    responseBytes: integer('response_bytes'),
    /** Parameters with every sensitive field replaced by "[redacted]". */
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull().default({}),
    /** Pending approval only: the full parameters, envelope-encrypted; null once decided. */
    pendingParametersCiphertext: text('pending_parameters_ciphertext'),
    decidedById: uuid('decided_by_id').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.actionId],
      foreignColumns: [agentActions.orgId, agentActions.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    index('action_calls_action_idx').on(t.orgId, t.actionId, t.createdAt),
    index('action_calls_conversation_idx').on(t.orgId, t.conversationId, t.createdAt),
    index('action_calls_pending_idx').on(t.orgId, t.createdAt).where(sql`${t.outcome} = 'pending_approval'`),
    check(
      'action_calls_outcome_check',
      sql`${t.outcome} in ('ok','http_error','timeout','too_large','refused','failed','rejected','pending_approval')`,
    ),
    check('action_calls_source_check', sql`${t.source} in ('model','test')`),
  ],
);
