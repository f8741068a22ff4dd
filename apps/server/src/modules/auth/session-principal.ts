import { createHash } from 'node:crypto';
import { isAPIError } from 'better-auth/api';
import type { FastifyRequest } from 'fastify';
import { hotCacheOf } from '../../platform/cache/hot-cache.js';
import type { Database } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { resolveApiKey } from '../api-keys/service.js';
import { findMembership, listUserMemberships } from '../members/membership-lookup.js';
import { findResellerAccess } from '../members/reseller-access.js';
import { accountDeletedError } from '../orgs/deletion/deletion-window.js';
import { readAccountDeletion } from './account-deletion.js';
import { toFetchHeaders } from './auth-handler-route.js';
import type { PrincipalResolver } from './authenticate.js';
import type { ConfidantAuth } from './better-auth.js';
import type { Principal } from './principal.js';

/** The header a console request uses to say which of the user's organizations it acts in. */
export const ORG_HEADER = 'x-confidant-org';

export type SessionUser = { id: string; email: string; name: string; twoFactorEnabled: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A session Better Auth verified, with what the request needs of its user. */
type VerifiedSession = {
  user: SessionUser;
  expiresAt: number;
  /** When the user's account deletion was scheduled; undefined: not read (no database given). */
  accountDeletedAt?: Date | null;
};

/** The account deletion date of the session's user: from the cached session, else read now. */
async function accountDeletion(database: Database, session: VerifiedSession): Promise<Date | null> {
  return session.accountDeletedAt !== undefined
    ? session.accountDeletedAt
    : readAccountDeletion(database, session.user.id);
}
const resolved = new WeakMap<FastifyRequest, Promise<VerifiedSession | null>>();

/**
 * The console user behind the request's session cookie, or null (no cookie, unknown, expired
 * or revoked session). Read once per request. Requests without any cookie never reach the
 * database. With `database`, a verified session is cached (see readSession).
 */
export async function readSessionUser(
  auth: ConfidantAuth,
  request: FastifyRequest,
  database?: Database,
): Promise<SessionUser | null> {
  return (await readSession(auth, request, database))?.user ?? null;
}

function readSession(
  auth: ConfidantAuth,
  request: FastifyRequest,
  database?: Database,
): Promise<VerifiedSession | null> {
  let pending = resolved.get(request);
  if (!pending) {
    pending = cachedSession(auth, request, database);
    resolved.set(request, pending);
  }
  return pending;
}

/**
 * Every console request starts here, so a verified session is kept in the hot cache
 * (platform/cache/hot-cache.ts, topic `sessions`, grouped by user), keyed by the SHA-256 of the
 * request's whole Cookie header (the same header always verifies the same way), until its
 * session expires. Revocation stays immediate in every process: any write to the user's sessions
 * (sign-out, revoking sessions, a password reset) or to the user row (account deletion, 2FA)
 * fires the statement trigger whose notice drops the user's entries; this process also drops
 * them at once after every state-changing auth call (noteSessionChange). An unknown, expired or
 * revoked session is never cached.
 */
async function cachedSession(
  auth: ConfidantAuth,
  request: FastifyRequest,
  database?: Database,
): Promise<VerifiedSession | null> {
  const cookie = request.headers.cookie;
  if (!cookie) return null;
  const cache = database ? hotCacheOf(database) : null;
  const load = async () => {
    const found = await lookUpSession(auth, request);
    if (!found) return null;
    const value: VerifiedSession = database
      ? { ...found, accountDeletedAt: await readAccountDeletion(database, found.user.id) }
      : found;
    return { orgId: found.user.id, value };
  };
  if (!cache) return (await load())?.value ?? null;
  const key = `cookie:${createHash('sha256').update(cookie).digest('hex')}`;
  const found = await cache.get<VerifiedSession>('sessions', key, load);
  if (found && found.expiresAt <= Date.now()) {
    cache.invalidate('sessions', found.user.id);
    return (await load())?.value ?? null;
  }
  return found;
}

/** Drops this process's verified sessions of a user (or all), at once: other processes follow the trigger. */
export function noteSessionChange(database: Database, userId?: string) {
  const cache = hotCacheOf(database);
  if (userId) cache?.invalidate('sessions', userId);
  else cache?.invalidateTopic('sessions');
}

async function lookUpSession(
  auth: ConfidantAuth,
  request: FastifyRequest,
): Promise<{ user: SessionUser; expiresAt: number } | null> {
  try {
    const found = await auth.api.getSession({ headers: toFetchHeaders(request.headers) });
    if (!found) return null;
    const { user, session } = found;
    return {
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        twoFactorEnabled: user.twoFactorEnabled === true,
      },
      expiresAt: new Date(session.expiresAt).getTime(),
    };
  } catch (error) {
    // A malformed or tampered cookie is "no session", not a server fault.
    if (isAPIError(error)) return null;
    throw error;
  }
}

/**
 * Cookie sessions are ambient credentials, so a state-changing request must come from one of
 * the console's own origins (CSRF). Browsers send Origin on every cross-origin request and on
 * same-origin non-GET fetches; a request without Origin or Referer is refused like Better Auth
 * refuses it. API-key requests are not subject to this (the key is not ambient).
 */
export function assertConsoleOrigin(request: FastifyRequest, origins: readonly string[]): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin || !origins.includes(origin)) {
    throw new AppError(
      'forbidden',
      'Cross-site request refused: session requests must come from the console origin',
    );
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Resolves an admin request carried by a console session (tried only when no Authorization
 * header is sent). The organization comes from `X-Confidant-Org: <orgId>`, or — when the header
 * is absent and the user belongs to exactly one organization — that one. The membership is read
 * through the org's tenant scope; a reseller's member reaches its client orgs (reseller-access.ts).
 * No membership (and equally: no such org) → 403 "not a member",
 * so the answer never reveals whether an organization exists.
 */
export function createSessionResolver(
  auth: ConfidantAuth,
  database: Database,
  origins: readonly string[],
): PrincipalResolver {
  return async (request): Promise<Principal | null> => {
    const session = await readSession(auth, request, database);
    if (!session) return null;
    const { user } = session;
    assertConsoleOrigin(request, origins);
    // A person whose account is scheduled for deletion acts in no organization until restored.
    const accountDeletedAt = await accountDeletion(database, session);
    if (accountDeletedAt) throw accountDeletedError(accountDeletedAt);
    const header = request.headers[ORG_HEADER];
    let orgId: string;
    if (header !== undefined) {
      if (typeof header !== 'string' || !UUID.test(header)) {
        throw new AppError('bad_request', `The ${ORG_HEADER} header must be an organization id (UUID)`);
      }
      orgId = header.toLowerCase();
    } else {
      const all = await listUserMemberships(database, user.id);
      if (all.length === 0) throw new AppError('forbidden', 'You are not a member of any organization');
      if (all.length > 1) {
        throw new AppError(
          'bad_request',
          `You belong to several organizations: send ${ORG_HEADER}: <orgId> to choose one`,
        );
      }
      orgId = all[0]!.orgId;
    }
    // A direct membership first; else the access a reseller's member has to its client orgs.
    const membership =
      (await cachedMembership(database, orgId, user.id)) ??
      (await findResellerAccess(database, orgId, user.id));
    if (!membership) throw new AppError('forbidden', 'You are not a member of this organization');
    return {
      type: 'user',
      userId: user.id,
      orgId,
      orgKind: membership.orgKind,
      role: membership.role,
      orgDeletedAt: membership.orgDeletedAt,
    };
  };
}

/**
 * A direct membership, cached per org (topic `org`): any change to the org's memberships or to
 * the org row (a deletion scheduled) drops it in every process. No membership is never cached,
 * nor is a reseller's access (it depends on another org's memberships).
 */
async function cachedMembership(database: Database, orgId: string, userId: string) {
  const load = async () => {
    const found = await findMembership(database, orgId, userId);
    return found ? { orgId, value: found } : null;
  };
  const cache = hotCacheOf(database);
  return cache ? cache.get('org', `member:${orgId}:${userId}`, load) : ((await load())?.value ?? null);
}

/**
 * preValidation hook for routes that act as a console USER rather than in an organization
 * (`GET /v1/me`, accepting an invitation). Runs after the body is parsed and before it is
 * validated, so missing or bogus credentials are a 401 whatever the body. A valid org API key
 * passes this hook (so a bad body still gets its 400) and the handler then answers 403 via
 * requireSessionUser: an API key is not a person.
 */
export function createSessionOnlyHook(
  auth: ConfidantAuth,
  database: Database,
  origins: readonly string[],
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const key = match ? await resolveApiKey(database, match[1]!) : null;
      if (!key) throw new AppError('unauthorized', 'Invalid or revoked API key');
      return;
    }
    const session = await readSession(auth, request, database);
    if (!session)
      throw new AppError('unauthorized', 'Sign in to the console first: this route needs a session');
    assertConsoleOrigin(request, origins);
    if (request.routeOptions.config?.allowedWhileAccountDeleted) return;
    const accountDeletedAt = await accountDeletion(database, session);
    if (accountDeletedAt) throw accountDeletedError(accountDeletedAt);
  };
}

/** The session user of a route guarded by createSessionOnlyHook; 403 when an API key was used. */
export async function requireSessionUser(auth: ConfidantAuth, request: FastifyRequest): Promise<SessionUser> {
  const user = request.headers.authorization === undefined ? await readSessionUser(auth, request) : null;
  if (!user) throw new AppError('forbidden', 'This route needs a signed-in console user, not an API key');
  return user;
}
