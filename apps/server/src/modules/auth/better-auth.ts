import { hkdfSync } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { twoFactor } from 'better-auth/plugins/two-factor';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { accounts, sessions, twoFactors, users, verifications } from '../../platform/db/schema/index.js';
import { authAuditPlugin, recordUserAudit } from './auth-audit.js';
import {
  createPasswordResetSender,
  RESET_TOKEN_TTL_SECONDS,
  removeResetFilesOf,
} from './password-reset-email.js';
import { signUpPolicyPlugin } from './sign-up-policy.js';

/** What building the auth instance needs (a subset of AppDeps, so the CLI and seeds can call it). */
export type AuthDeps = { config: Config; database: Database; keyring: Keyring };

/** Where Better Auth's own warnings and errors go (the app's pino logger). */
export type AuthLogger = Record<'debug' | 'info' | 'warn' | 'error', (obj: object, message: string) => void>;

/** Where the console talks to Better Auth. Everything below it is Better Auth's own API. */
export const AUTH_BASE_PATH = '/api/auth';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** The purpose label of the keyring-derived auth secret. */
const SECRET_PURPOSE = 'better-auth';

/**
 * The versioned secrets Better Auth signs cookies with and encrypts TOTP secrets and backup codes
 * with (XChaCha20-Poly1305, stored as `$ba$<version>$…`).
 *
 * - `CONFIDANT_AUTH_SECRET` set: that one secret.
 * - Otherwise one secret per master-key version, each `HKDF(master key vN, 'confidant:better-auth')`
 *   — the current one is exactly `keyring.derive('better-auth')`. The current version encrypts;
 *   older versions still decrypt, so adding a master key version (`confidant keys rotate`) does
 *   not lock anyone out of their two-factor secret. Removing an old master key version makes
 *   TOTP secrets still sealed under it unreadable (those users re-enrol), and signs everyone out.
 */
export function authSecrets(config: Config, keyring: Keyring): { version: number; value: string }[] {
  if (config.authSecret) return [{ version: 0, value: config.authSecret }];
  const derive = (key: Buffer) =>
    Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `confidant:${SECRET_PURPOSE}`, 32)).toString(
      'base64url',
    );
  const versions = [...keyring.keys.keys()].sort((a, b) => b - a);
  return versions.map((version) => ({
    version,
    value:
      version === keyring.current
        ? keyring.derive(SECRET_PURPOSE).toString('base64url')
        : derive(keyring.keys.get(version)!),
  }));
}

/**
 * Origins allowed to send cookie-authenticated requests (Better Auth's CSRF check and ours in
 * session-principal.ts). With PUBLIC_URL set, only that origin; without it (embedded, local
 * use) the server's own address under the names a local browser uses.
 */
export function trustedOrigins(config: Config): string[] {
  if (config.publicUrl) return [new URL(config.publicUrl).origin];
  const port = config.port === 80 ? '' : `:${config.port}`;
  const hosts = new Set([
    'localhost',
    '127.0.0.1',
    config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host,
  ]);
  return [...hosts].map((h) => `http://${h.includes(':') ? `[${h}]` : h}${port}`);
}

/**
 * Builds the Better Auth instance for console users. Pure construction: nothing touches the
 * database until the first call. Any number of instances built from the same config, database
 * and keyring are interchangeable (same secrets, same tables).
 *
 * - Email + password. Hashing is Better Auth's default, scrypt (N=16384, r=16, p=1, 64-byte
 *   key, random 16-byte salt; node:crypto), a memory-hard function (~32 MiB per hash). Sign-up
 *   only where the server allows it (sign-up-policy.ts: first run, CONFIDANT_ALLOW_SIGNUP, or a
 *   valid invitation for that email).
 * - Password reset by email (password-reset-email.ts): links live an hour, their tokens are
 *   stored only hashed (verification.storeIdentifier), and a reset ends every session of the
 *   account. Requested and completed resets are audited (ids only).
 * - Sessions in the `sessions` table behind an HttpOnly, SameSite=Lax cookie (Secure under
 *   https), for the console only; the widget never uses them.
 * - TOTP two-factor with backup codes (twoFactor plugin); the secret and backup codes are stored
 *   encrypted with the auth secret (see authSecrets).
 * - Telemetry off. Origin checks on (also in tests, where Better Auth would skip them).
 */
export function createAuth(deps: AuthDeps, options: { logger?: AuthLogger } = {}) {
  const origins = trustedOrigins(deps.config);
  return betterAuth({
    appName: 'Confidant',
    baseURL: origins[0],
    basePath: AUTH_BASE_PATH,
    secrets: authSecrets(deps.config, deps.keyring),
    trustedOrigins: origins,
    telemetry: { enabled: false },
    database: drizzleAdapter(deps.database.db, {
      provider: 'pg',
      // Better Auth model name → our table; the tables' Drizzle keys are Better Auth field names.
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        twoFactor: twoFactors,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
      sendResetPassword: createPasswordResetSender({
        ...deps,
        ...(options.logger ? { log: options.logger } : {}),
      }),
      resetPasswordTokenExpiresIn: RESET_TOKEN_TTL_SECONDS,
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }) => {
        await recordUserAudit(deps.database, deps.keyring, user.id, 'user.password_reset');
        await removeResetFilesOf(deps.config, user.id);
      },
    },
    // Reset tokens are one-time credentials: only their hash is kept in `verifications`.
    verification: { storeIdentifier: { default: 'plain', overrides: { 'reset-password:': 'hashed' } } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    plugins: [
      twoFactor({ issuer: 'Confidant' }),
      authAuditPlugin(deps.database, deps.keyring),
      signUpPolicyPlugin({ ...deps, ...(options.logger ? { log: options.logger } : {}) }),
    ],
    // Off everywhere: sign-in-limits.ts limits these endpoints with the app's shared counters
    // (in every environment, in Redis when configured) and answers with the app's 429 problem.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: 'confidant',
      disableOriginCheck: false,
      database: { generateId: 'uuid' },
    },
    logger: {
      // 'info', not 'warn': with 'warn'/'error'/'debug' Better Auth also prints every client error
      // (wrong password, bad origin …) to the console through its global logger, bypassing `log`.
      // Our pino logger applies the configured level. Only Better Auth's message is passed on,
      // never its extra arguments (they can hold request data).
      level: 'info',
      log: (level, message) => options.logger?.[level]({ source: 'better-auth' }, message),
    },
  });
}

export type ConfidantAuth = ReturnType<typeof createAuth>;
