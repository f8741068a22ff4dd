import type { AgentAction } from '@confidant/contract';
import { and, asc, eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import {
  type ActionMethod,
  type ActionParametersSchema,
  agentActions,
} from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { getAgentRow } from '../agents/service.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { templateProblem } from './url-template.js';

/**
 * An agent's HTTP actions: definitions only (running one is execute-action.ts).
 *
 * Invariant: a header value exists in exactly one place, `agent_actions.headers_ciphertext`
 * (all of an action's headers as one JSON object), envelope-encrypted and bound to
 * (org, table, column, row). It is never returned by the API, never logged, never audited: the
 * API shows header names only.
 */
export type ActionRow = typeof agentActions.$inferSelect;
export type ActionView = AgentAction;

/** A header as an admin sends it: `value` omitted keeps the stored value of that name (PATCH). */
export type HeaderInput = { name: string; value?: string };

export type ActionInput = {
  name: string;
  description: string;
  method: ActionMethod;
  urlTemplate: string;
  parameters: ActionParametersSchema;
  headers: HeaderInput[];
  requiresApproval: boolean;
  enabled: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
};

export const headersLocation = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'agent_actions',
  column: 'headers_ciphertext',
  rowId,
});

export function actionView(row: ActionRow): ActionView {
  return {
    id: row.id,
    agentId: row.agentId,
    name: row.name,
    description: row.description,
    method: row.method,
    urlTemplate: row.urlTemplate,
    parameters: row.parameters,
    headers: row.headerNames.map((name) => ({ name, hasValue: true })),
    requiresApproval: row.requiresApproval,
    enabled: row.enabled,
    timeoutMs: row.timeoutMs,
    maxResponseBytes: row.maxResponseBytes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The stored header values of an action, decrypted (empty when it has none). */
export function decryptHeaders(keyring: Keyring, row: ActionRow): Record<string, string> {
  if (row.headersCiphertext === null) return {};
  return JSON.parse(decryptSecret(keyring, row.headersCiphertext, headersLocation(row.orgId, row.id)));
}

/**
 * The headers to store: each named header with its new value, or (no value given) the value
 * stored under that name. A name given without a value that has none stored is a 400.
 */
function sealHeaders(
  keyring: Keyring,
  orgId: string,
  rowId: string,
  input: HeaderInput[],
  stored: Record<string, string>,
): { headerNames: string[]; headersCiphertext: string | null } {
  const values: Record<string, string> = {};
  for (const [index, header] of input.entries()) {
    const key = Object.keys(stored).find((k) => k.toLowerCase() === header.name.toLowerCase());
    const value = header.value ?? (key === undefined ? undefined : stored[key]);
    if (value === undefined) {
      const message = `${header.name} has no stored value: give one`;
      throw new AppError('validation_failed', `headers: ${message}`, [
        { path: `body.headers.${index}.value`, message },
      ]);
    }
    values[header.name] = value;
  }
  const names = Object.keys(values);
  return {
    headerNames: names,
    headersCiphertext:
      names.length === 0
        ? null
        : encryptSecret(keyring, JSON.stringify(values), headersLocation(orgId, rowId)),
  };
}

function checkTemplate(urlTemplate: string, parameters: ActionParametersSchema) {
  const problem = templateProblem(urlTemplate, Object.keys(parameters.properties));
  if (problem) {
    throw new AppError('validation_failed', `urlTemplate ${problem}`, [
      { path: 'body.urlTemplate', message: problem },
    ]);
  }
}

function nameTaken(name: string) {
  const message = `an action named ${name} already exists for this agent`;
  return new AppError('conflict', message, [{ path: 'body.name', message }]);
}

async function findByName(tx: Tx, orgId: string, agentId: string, name: string) {
  const [row] = await tx
    .select({ id: agentActions.id })
    .from(agentActions)
    .where(
      and(eq(agentActions.orgId, orgId), eq(agentActions.agentId, agentId), eq(agentActions.name, name)),
    );
  return row;
}

export async function getActionRow(tx: Tx, orgId: string, agentId: string, id: string): Promise<ActionRow> {
  const [row] = await tx
    .select()
    .from(agentActions)
    .where(and(eq(agentActions.orgId, orgId), eq(agentActions.agentId, agentId), eq(agentActions.id, id)));
  if (!row) throw notFound('Action');
  return row;
}

export async function listActionRows(tx: Tx, orgId: string, agentId: string): Promise<ActionRow[]> {
  return tx
    .select()
    .from(agentActions)
    .where(and(eq(agentActions.orgId, orgId), eq(agentActions.agentId, agentId)))
    .orderBy(asc(agentActions.name));
}

export async function listActions(tx: Tx, orgId: string, agentId: string): Promise<ActionView[]> {
  await getAgentRow(tx, orgId, agentId);
  return (await listActionRows(tx, orgId, agentId)).map(actionView);
}

async function audit(tx: Tx, keyring: Keyring, orgId: string, actor: Actor, action: string, row: ActionRow) {
  await recordAudit(tx, keyring, orgId, actor, {
    action,
    targetType: 'agent_action',
    targetId: row.id,
    metadata: { agentId: row.agentId },
  });
}

export async function createAction(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  agentId: string,
  input: ActionInput,
): Promise<ActionView> {
  await getAgentRow(tx, orgId, agentId);
  checkTemplate(input.urlTemplate, input.parameters);
  if (await findByName(tx, orgId, agentId, input.name)) throw nameTaken(input.name);
  const id = crypto.randomUUID();
  const [row] = await tx
    .insert(agentActions)
    .values({
      orgId,
      id,
      agentId,
      name: input.name,
      description: input.description,
      method: input.method,
      urlTemplate: input.urlTemplate,
      parameters: input.parameters,
      ...sealHeaders(keyring, orgId, id, input.headers, {}),
      requiresApproval: input.requiresApproval,
      enabled: input.enabled,
      timeoutMs: input.timeoutMs,
      maxResponseBytes: input.maxResponseBytes,
    })
    .returning();
  if (!row) throw new Error('agent action insert returned nothing');
  await audit(tx, keyring, orgId, actor, 'agent_action.created', row);
  return actionView(row);
}

export async function updateAction(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  agentId: string,
  id: string,
  input: Partial<ActionInput>,
): Promise<ActionView> {
  const existing = await getActionRow(tx, orgId, agentId, id);
  const parameters = input.parameters ?? existing.parameters;
  checkTemplate(input.urlTemplate ?? existing.urlTemplate, parameters);
  if (input.name !== undefined && input.name !== existing.name) {
    if (await findByName(tx, orgId, agentId, input.name)) throw nameTaken(input.name);
  }
  const { headers, ...fields } = input;
  const [row] = await tx
    .update(agentActions)
    .set({
      ...fields,
      ...(headers !== undefined
        ? sealHeaders(keyring, orgId, id, headers, decryptHeaders(keyring, existing))
        : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(agentActions.orgId, orgId), eq(agentActions.id, id)))
    .returning();
  if (!row) throw notFound('Action');
  await audit(tx, keyring, orgId, actor, 'agent_action.updated', row);
  return actionView(row);
}

/** Removes an action, its encrypted headers and its call log. */
export async function deleteAction(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  agentId: string,
  id: string,
): Promise<void> {
  const [row] = await tx
    .delete(agentActions)
    .where(and(eq(agentActions.orgId, orgId), eq(agentActions.agentId, agentId), eq(agentActions.id, id)))
    .returning();
  if (!row) throw notFound('Action');
  await audit(tx, keyring, orgId, actor, 'agent_action.deleted', row);
}
