import { sql } from 'drizzle-orm';
import { bindHotCache } from '../cache/hot-cache.js';
import type { Database, Tx } from './client.js';

/**
 * The one way tenant data is read or written.
 *
 * `withTenant(database, scope, fn)` opens a transaction, publishes the allowed org ids (or one
 * credential being looked up) as transaction-local settings, and on PGlite — which connects as a
 * superuser — switches to the unprivileged `confidant_app` role for the rest of the transaction.
 * Row-level security policies (ENABLE + FORCE, see drizzle/0001_*) read those settings, so a
 * query that forgets its `org_id` filter still cannot see or write another tenant's rows.
 *
 * Scopes:
 * - `string[]`: the org ids the caller may act for (usually one).
 * - `{ apiKeyHash }` / `{ publishableKey }` / `{ invitationTokenHash }`: no org yet; the policies
 *   reveal exactly the one row that matches the presented credential and nothing else.
 *
 * In embedded mode RLS guards against forgotten filters, not against injected SQL (a superuser
 * connection could RESET ROLE); on PostgreSQL the app role itself is neither superuser nor
 * BYPASSRLS (checked at boot).
 */
export type TenantScope =
  | readonly string[]
  | { apiKeyHash: string }
  | { publishableKey: string }
  | { invitationTokenHash: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function withTenant<T>(
  database: Database,
  scope: TenantScope,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const settings = scopeSettings(scope);
  return database.db.transaction(async (tx) => {
    // One round trip: on PGlite the role switch is the same statement (set_config('role', …,
    // true) is SET LOCAL ROLE), evaluated after the settings. On PostgreSQL, JIT compilation is
    // off for tenant transactions (short OLTP statements: PostgreSQL's default row estimates for
    // set-returning functions make search's cheap analysis queries look worth compiling, which
    // costs a hundred milliseconds; PGlite has no JIT).
    await tx.execute(
      sql`select set_config('app.org_ids', ${settings.orgIds}, true),
                 set_config('app.api_key_hash', ${settings.apiKeyHash}, true),
                 set_config('app.publishable_key', ${settings.publishableKey}, true),
                 set_config('app.invitation_token_hash', ${settings.invitationTokenHash}, true)${
                   database.kind === 'pglite'
                     ? sql`, set_config('role', 'confidant_app', true)`
                     : sql`, set_config('jit', 'off', true)`
                 }`,
    );
    bindHotCache(tx as Tx, database);
    return fn(tx as Tx);
  });
}

function scopeSettings(scope: TenantScope) {
  const out = { orgIds: '', apiKeyHash: '', publishableKey: '', invitationTokenHash: '' };
  if (Array.isArray(scope)) {
    for (const id of scope) {
      // Ids come from authenticated context, never raw input; a malformed one is a bug, not a 4xx.
      if (!UUID.test(id)) throw new Error('withTenant: org ids must be UUIDs');
    }
    out.orgIds = scope.join(',');
  } else if ('apiKeyHash' in scope) out.apiKeyHash = scope.apiKeyHash;
  else if ('publishableKey' in scope) out.publishableKey = scope.publishableKey;
  else if ('invitationTokenHash' in scope) out.invitationTokenHash = scope.invitationTokenHash;
  return out;
}
