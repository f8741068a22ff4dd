import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import secureJson from 'secure-json-parse';
import { Webhook } from 'standardwebhooks';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { inboundHookMessages, inboundHooks } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import type { EphemeralTranscripts } from '../conversations/ephemeral-transcripts.js';
import { transition } from '../conversations/state.js';
import { postOperatorMessage } from '../inbox/operator-messages.js';
import { inboundAction } from './schemas.js';
import { generateWebhookSecret, openSecret, sealSecret } from './secrets.js';

/**
 * Inbound hooks: an org creates one (its secret is shown once) and gives an integration the URL
 * `POST /v1/hooks/{publicId}`. The public id names both the org and the hook (`ih_` + the two
 * UUIDs in hex), so the request is scoped to its org before anything is read.
 *
 * Verification, in order, each refusal a 4xx problem with nothing changed: the hook exists and is
 * enabled (404); the Standard Webhooks headers are present (401); the timestamp is within five
 * minutes of now (401, "stale"); the signature verifies (401); the body is a known action (400);
 * the `webhook-id` was not seen before on this hook (409, "replayed"). The seen id is written in
 * the same transaction as the action, so an action that fails (unknown conversation: 404) leaves
 * no trace and the sender may retry with the same id.
 */
export const TOLERANCE_SECONDS = 5 * 60;
/** Seen ids are kept well past the tolerance (a replay after it is refused as stale anyway). */
const SEEN_TTL_MS = 24 * 3_600_000;

type HookRow = typeof inboundHooks.$inferSelect;

const hex = (uuid: string) => uuid.replaceAll('-', '');
const uuidOf = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export const publicIdOf = (orgId: string, hookId: string) => `ih_${hex(orgId)}${hex(hookId)}`;

export function parsePublicId(publicId: string): { orgId: string; hookId: string } | null {
  const m = /^ih_([0-9a-f]{32})([0-9a-f]{32})$/.exec(publicId);
  return m ? { orgId: uuidOf(m[1]!), hookId: uuidOf(m[2]!) } : null;
}

export const inboundHookViewOf = (r: HookRow, publicUrl: string | undefined) => {
  const path = `/v1/hooks/${publicIdOf(r.orgId, r.id)}`;
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    path,
    url: publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : null,
    lastReceivedAt: r.lastReceivedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
};

const byId = (orgId: string, id: string) => and(eq(inboundHooks.orgId, orgId), eq(inboundHooks.id, id));

export async function listInboundHooks(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(inboundHooks)
    .where(eq(inboundHooks.orgId, orgId))
    .orderBy(desc(inboundHooks.createdAt), desc(inboundHooks.id));
}

export async function loadInboundHook(tx: Tx, orgId: string, id: string): Promise<HookRow> {
  const [row] = await tx.select().from(inboundHooks).where(byId(orgId, id));
  if (!row) throw notFound('Inbound hook');
  return row;
}

export async function createInboundHook(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: { name: string; enabled?: boolean | undefined },
) {
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const [row] = await tx
    .insert(inboundHooks)
    .values({
      orgId,
      id,
      name: input.name,
      enabled: input.enabled ?? true,
      secretCiphertext: sealSecret(keyring, secret, {
        orgId,
        table: 'inbound_hooks',
        column: 'secret_ciphertext',
        rowId: id,
      }),
    })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'inbound_hook.created',
    targetType: 'inbound_hook',
    targetId: id,
  });
  return { row: row!, secret };
}

export async function updateInboundHook(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; enabled?: boolean | undefined },
) {
  await loadInboundHook(tx, orgId, id);
  const [row] = await tx
    .update(inboundHooks)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      updatedAt: sql`now()`,
    })
    .where(byId(orgId, id))
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'inbound_hook.updated',
    targetType: 'inbound_hook',
    targetId: id,
    metadata: { fields: Object.keys(input).sort().join(',') },
  });
  return row!;
}

export async function deleteInboundHook(tx: Tx, keyring: Keyring, orgId: string, actor: Actor, id: string) {
  await loadInboundHook(tx, orgId, id);
  await tx.delete(inboundHooks).where(byId(orgId, id));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'inbound_hook.deleted',
    targetType: 'inbound_hook',
    targetId: id,
  });
}

export type InboundHeaders = { id?: string; timestamp?: string; signature?: string };

/** Checks headers, timestamp and signature; returns the parsed action. Throws a 4xx AppError. */
export function verifyInbound(
  keyring: Keyring,
  hook: HookRow,
  raw: string,
  headers: InboundHeaders,
  now: Date = new Date(),
) {
  if (!headers.id || !headers.timestamp || !headers.signature)
    throw new AppError('unauthorized', 'Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^[\x21-\x7e]{1,200}$/.test(headers.id))
    throw new AppError('unauthorized', 'The webhook-id header is not a valid message id');
  const seconds = /^\d{1,12}$/.test(headers.timestamp) ? Number(headers.timestamp) : Number.NaN;
  if (!Number.isFinite(seconds) || Math.abs(now.getTime() / 1000 - seconds) > TOLERANCE_SECONDS)
    throw new AppError('unauthorized', 'The webhook-timestamp is stale or invalid (tolerance: five minutes)');
  const secret = openSecret(keyring, hook.secretCiphertext, {
    orgId: hook.orgId,
    table: 'inbound_hooks',
    column: 'secret_ciphertext',
    rowId: hook.id,
  });
  try {
    new Webhook(secret).verify(raw, {
      'webhook-id': headers.id,
      'webhook-timestamp': headers.timestamp,
      'webhook-signature': headers.signature,
    });
  } catch {
    throw new AppError('unauthorized', 'The webhook signature does not verify');
  }
  let body: unknown;
  try {
    body = secureJson.parse(raw, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
  const parsed = inboundAction.safeParse(body);
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      'The body is not a known action (conversation.message or conversation.close)',
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
    );
  return parsed.data;
}

/** Runs a verified action, recording its `webhook-id` in the same transaction (replays: 409). */
export async function runInboundAction(
  tx: Tx,
  deps: { keyring: Keyring; transcripts: EphemeralTranscripts },
  hook: HookRow,
  messageId: string,
  action: ReturnType<typeof verifyInbound>,
  now: Date = new Date(),
): Promise<{ messageId?: string; changed: boolean }> {
  const seen = await tx
    .insert(inboundHookMessages)
    .values({
      orgId: hook.orgId,
      hookId: hook.id,
      messageId,
      expiresAt: new Date(now.getTime() + SEEN_TTL_MS),
    })
    .onConflictDoNothing()
    .returning({ messageId: inboundHookMessages.messageId });
  if (seen.length === 0)
    throw new AppError('conflict', 'This webhook-id was already received (replay refused)');
  const actor: Actor = { type: 'system', id: `inbound_hook:${hook.id}` };
  await tx.update(inboundHooks).set({ lastReceivedAt: now }).where(byId(hook.orgId, hook.id));
  if (action.type === 'conversation.message') {
    const view = await postOperatorMessage(
      tx,
      deps.keyring,
      deps.transcripts,
      hook.orgId,
      action.conversationId,
      { actor, userId: null },
      { text: action.text, internal: false, ...(action.authorName ? { authorName: action.authorName } : {}) },
    );
    return { messageId: view.id, changed: true };
  }
  const { changed } = await transition(
    tx,
    deps.keyring,
    hook.orgId,
    action.conversationId,
    { type: 'close' },
    actor,
  );
  return { changed };
}
