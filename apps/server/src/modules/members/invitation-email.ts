import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { organizations, type Role, users } from '../../platform/db/schema/index.js';
import type { Actor } from '../audit/service.js';
import { insertNotifications } from '../notifications/queue.js';
import { sealBody } from '../notifications/sealed-body.js';

/** Where an invitee accepts: the console's /accept-invitation page (apps/console router.tsx). */
export const invitationLink = (baseUrl: string, token: string) =>
  `${baseUrl}/console/accept-invitation?token=${encodeURIComponent(token)}`;

const roleWords: Record<Role, string> = {
  owner: 'an owner',
  admin: 'an admin',
  agent: 'an agent',
  viewer: 'a viewer',
};

/** One line, bounded: names are typed by people and end up in a subject header. */
const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim().slice(0, 120);

/** Who invited, in words: the person's name, or "An administrator" for an API key. */
async function inviterName(tx: Tx, actor: Actor): Promise<string> {
  if (actor.type !== 'user' || !actor.id) return 'An administrator';
  const [row] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
  return row?.name ? oneLine(row.name) : 'An administrator';
}

/**
 * Queues the invitation email in the inviter's transaction (so it exists iff the invitation
 * does): organization, inviter, role, expiry and the one-time accept link. The text is sealed
 * (notifications/sealed-body.ts), never stored in plaintext; the delivery job sends it through
 * SMTP or leaves it in the dev outbox.
 */
export async function queueInvitationEmail(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  input: { email: string; role: Role; token: string; expiresAt: Date; inviter: Actor; baseUrl: string },
): Promise<void> {
  const [org] = await tx
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const orgName = oneLine(org?.name ?? 'an organization');
  const who = await inviterName(tx, input.inviter);
  const expires = `${input.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const text = [
    `${who} invited you to join ${orgName} on Confidant as ${roleWords[input.role]}.`,
    '',
    'Accept the invitation:',
    invitationLink(input.baseUrl, input.token),
    '',
    `The link works once and expires on ${expires}. No Confidant account yet? You can create one from the link, with this email address.`,
    '',
    'If you did not expect this invitation, ignore this email: nothing happens unless the link is opened.',
  ].join('\n');
  const id = randomUUID();
  await insertNotifications(tx, orgId, [
    {
      id,
      kind: 'invitation',
      channel: 'email',
      recipient: input.email,
      recipientUserId: null,
      conversationId: null,
      subject: `${who} invited you to ${orgName} on Confidant`,
      body: '',
      sealedBody: sealBody(keyring, orgId, id, text),
      sealedUntil: input.expiresAt,
    },
  ]);
}
