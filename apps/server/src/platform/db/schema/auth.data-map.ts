import { col, type DataMap } from '../data-map-types.js';

/**
 * Better Auth's global identity tables (schema/auth.ts). Every row belongs to one console user;
 * erasing the user deletes the `users` row and the foreign keys cascade to the rest (and to
 * `memberships`).
 */
const userId = (retention: Parameters<typeof col>[1]) =>
  col('user.identifier', retention, 'delete_row', { subject: true });
const ops = (retention: Parameters<typeof col>[1]) => col('system.operations', retention, 'delete_row');

export const authDataMap: DataMap = {
  users: {
    purpose: 'Console user accounts (people who sign in to manage organizations)',
    subject: 'user',
    columns: {
      id: userId('account_lifetime'),
      name: col('user.contact.name', 'account_lifetime', 'delete_row', { subject: true }),
      email: col('user.contact.email', 'account_lifetime', 'delete_row', { subject: true }),
      email_verified: col('user.session', 'account_lifetime', 'delete_row'),
      image: col('user.contact.name', 'account_lifetime', 'delete_row', { subject: true }),
      two_factor_enabled: col('user.session', 'account_lifetime', 'delete_row'),
      deletion_scheduled_at: ops('account_lifetime'),
      created_at: ops('account_lifetime'),
      updated_at: ops('account_lifetime'),
    },
  },
  sessions: {
    purpose: 'Console sign-in sessions (cookie), until they expire or the user signs out',
    subject: 'user',
    columns: {
      id: col('system.identifier', 'until_expiry', 'delete_row'),
      user_id: userId('until_expiry'),
      token: col('user.session', 'until_expiry', 'delete_row'),
      expires_at: ops('until_expiry'),
      ip_address: col('user.device', 'until_expiry', 'delete_row', { subject: true }),
      user_agent: col('user.device', 'until_expiry', 'delete_row', { subject: true }),
      created_at: ops('until_expiry'),
      updated_at: ops('until_expiry'),
    },
  },
  accounts: {
    purpose: 'Sign-in credentials of console users (scrypt password hash; OAuth tokens if ever configured)',
    subject: 'user',
    columns: {
      id: col('system.identifier', 'account_lifetime', 'delete_row'),
      user_id: userId('account_lifetime'),
      account_id: userId('account_lifetime'),
      provider_id: col('system.operations', 'account_lifetime', 'delete_row'),
      access_token: col('user.credential.secret', 'account_lifetime', 'delete_row'),
      refresh_token: col('user.credential.secret', 'account_lifetime', 'delete_row'),
      id_token: col('user.credential.secret', 'account_lifetime', 'delete_row'),
      access_token_expires_at: ops('account_lifetime'),
      refresh_token_expires_at: ops('account_lifetime'),
      scope: col('system.operations', 'account_lifetime', 'delete_row'),
      password: col('user.credential.password', 'account_lifetime', 'delete_row'),
      created_at: ops('account_lifetime'),
      updated_at: ops('account_lifetime'),
    },
  },
  verifications: {
    purpose: 'Short-lived sign-in values: pending two-factor challenges, trusted devices, reset tokens',
    subject: 'user',
    columns: {
      id: col('system.identifier', 'until_expiry', 'delete_row'),
      identifier: col('user.credential.secret', 'until_expiry', 'delete_row'),
      // Holds the user id for two-factor challenges and trusted devices.
      value: userId('until_expiry'),
      expires_at: ops('until_expiry'),
      created_at: ops('until_expiry'),
      updated_at: ops('until_expiry'),
    },
  },
  two_factors: {
    purpose: 'TOTP two-factor secrets and backup codes (encrypted by Better Auth with the auth secret)',
    subject: 'user',
    columns: {
      id: col('system.identifier', 'account_lifetime', 'delete_row'),
      user_id: userId('account_lifetime'),
      // Encrypted by Better Auth itself (XChaCha20-Poly1305 under the versioned auth secret), not
      // by crypto/envelope.ts, so deliberately not flagged `encrypted` (envelope key rotation
      // must not try to re-wrap it).
      secret: col('user.credential.secret', 'account_lifetime', 'delete_row'),
      backup_codes: col('user.credential.secret', 'account_lifetime', 'delete_row'),
      verified: ops('account_lifetime'),
      failed_verification_count: ops('account_lifetime'),
      locked_until: ops('account_lifetime'),
    },
  },
};
