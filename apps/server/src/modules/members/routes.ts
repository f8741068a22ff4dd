import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { roles } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, type Principal, requireRole } from '../auth/principal.js';
import { consoleBaseUrl } from '../notifications/compose.js';
import { queueInvitationEmail } from './invitation-email.js';
import { createInvitation, listInvitations, revokeInvitation } from './invitations-service.js';
import { type Caller, changeMemberRole, listMembers, removeMember } from './service.js';

const roleSchema = z.enum(roles);
const userParams = z.strictObject({ userId: z.uuid({ message: 'must be a UUID' }) });

export const memberSchema = z
  .object({ userId: z.uuid(), email: z.string(), name: z.string(), role: roleSchema, createdAt: z.string() })
  .meta({ id: 'Member' });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Invitation' });

const conflictResponses = { ...errorResponses, 409: problemSchema };
const callerOf = (p: Principal): Caller => ({ actor: actorOf(p), role: p.role });

/** Organization membership and invitations (admin routes: API key or console session). */
export async function memberRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.get(
    '/v1/members',
    {
      schema: {
        tags: ['members'],
        summary: 'List the members of the organization',
        response: { 200: z.object({ members: z.array(memberSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { members: await tenant(p.orgId, (tx) => listMembers(tx, p.orgId)) };
    },
  );

  app.patch(
    '/v1/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: "Change a member's role",
        description:
          'Only an owner can grant or revoke the owner role; the last owner cannot be demoted (409).',
        params: userParams,
        body: z.strictObject({ role: roleSchema }),
        response: { 200: memberSchema, ...conflictResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) =>
        changeMemberRole(tx, deps.keyring, p.orgId, callerOf(p), request.params.userId, request.body.role),
      );
    },
  );

  app.delete(
    '/v1/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: 'Remove a member from the organization',
        description:
          'The account itself stays. Only an owner can remove an owner; the last owner cannot be removed (409).',
        params: userParams,
        response: { 204: z.null(), ...conflictResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) =>
        removeMember(tx, deps.keyring, p.orgId, callerOf(p), request.params.userId),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/invitations',
    {
      schema: {
        tags: ['members'],
        summary: 'Invite a person by email',
        description:
          'Emails the invitee the one-time accept link (through SMTP, or into the dev outbox when no SMTP server is configured) and returns the token once as well (valid 7 days), so the link can also be passed on by hand. Only its SHA-256 is stored; the email text is kept sealed, and only until it is sent (SMTP) or the link is used or expires (dev outbox).',
        body: z.strictObject({ email: z.email().max(254), role: roleSchema }),
        response: {
          201: invitationSchema.extend({
            token: z.string(),
            emailDelivery: z
              .enum(['smtp', 'outbox'])
              .describe('`smtp`: emailed to the invitee; `outbox`: no SMTP server, kept in the dev outbox'),
          }),
          ...conflictResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const created = await tenant(p.orgId, async (tx) => {
        const invitation = await createInvitation(tx, deps.keyring, p.orgId, callerOf(p), request.body);
        await queueInvitationEmail(tx, deps.keyring, p.orgId, {
          email: invitation.email,
          role: invitation.role,
          token: invitation.token,
          expiresAt: new Date(invitation.expiresAt),
          inviter: actorOf(p),
          baseUrl: consoleBaseUrl(deps.config),
        });
        return invitation;
      });
      const emailDelivery = deps.config.email.smtpUrl ? ('smtp' as const) : ('outbox' as const);
      return reply.status(201).send({ ...created, emailDelivery });
    },
  );

  app.get(
    '/v1/invitations',
    {
      schema: {
        tags: ['members'],
        summary: 'List invitations',
        response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { invitations: await tenant(p.orgId, (tx) => listInvitations(tx, p.orgId)) };
    },
  );

  app.delete(
    '/v1/invitations/:id',
    {
      schema: {
        tags: ['members'],
        summary: 'Revoke an invitation',
        params: idParams,
        response: { 200: invitationSchema, ...conflictResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) =>
        revokeInvitation(tx, deps.keyring, p.orgId, callerOf(p), request.params.id),
      );
    },
  );
}
