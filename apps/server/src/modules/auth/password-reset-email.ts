import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { errorForLog } from '../../platform/logger.js';
import { consoleBaseUrl } from '../notifications/compose.js';
import { DeliveryError } from '../notifications/delivery-error.js';
import { createMailer, type Mailer } from '../notifications/mailer.js';
import { recordUserAudit } from './auth-audit.js';
import type { AuthLogger } from './better-auth.js';

/** How long a reset link works (Better Auth's `resetPasswordTokenExpiresIn`, seconds). */
export const RESET_TOKEN_TTL_SECONDS = 60 * 60;

/** The console page a reset link opens (apps/console router.tsx). */
export const resetPasswordLink = (baseUrl: string, token: string) =>
  `${baseUrl}/console/reset-password?token=${encodeURIComponent(token)}`;

/** Where reset emails go when no SMTP server is configured: readable by the operator only. */
export const devOutboxDir = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'dev-outbox');

type ResetUser = { id: string; email: string; name: string };

export type PasswordResetDeps = { config: Config; database: Database; keyring: Keyring; log?: AuthLogger };

/**
 * Delivers Better Auth's password reset emails (`emailAndPassword.sendResetPassword`).
 *
 * A reset link takes over an account, so it is never stored where another person could read it:
 * - SMTP configured: sent at once, straight from memory — no notifications row, no queue
 *   payload. A failed send is logged (user id and error code only); the person asks again.
 * - No SMTP: NOT the dev outbox of the notifications table (org admins read that, and could
 *   take over a colleague's account). The email is written to a file under
 *   `<data dir>/dev-outbox/` (directory 0700, file 0600: the instance operator's), the log says
 *   where at info level, and the file is removed when the link expires or is used.
 *
 * The work runs in the background, so the answer to "send me a link" takes the same time
 * whether or not the account exists (Better Auth answers both the same way).
 * The request is audited as `user.password_reset_requested` (ids only).
 */
export function createPasswordResetSender(deps: PasswordResetDeps) {
  let mailer: Mailer | undefined;
  const deliver = async (user: ResetUser, token: string) => {
    const link = resetPasswordLink(consoleBaseUrl(deps.config), token);
    const text = [
      `Someone (hopefully you) asked to reset the password of the Confidant account ${user.email}.`,
      '',
      'Choose a new password:',
      link,
      '',
      `The link works once, for ${RESET_TOKEN_TTL_SECONDS / 60} minutes. Setting a new password signs this account out everywhere.`,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n');
    const subject = 'Reset your Confidant password';
    mailer ??= createMailer(deps.config.email);
    if (mailer.kind === 'smtp') {
      await mailer.send({ to: user.email, subject, text });
      return;
    }
    const file = await writeDevOutboxFile(
      deps.config,
      user.id,
      `To: ${user.email}\nSubject: ${subject}\n\n${text}\n`,
    );
    deps.log?.info(
      { userId: user.id, file },
      `password reset email for user ${user.id} is in the dev outbox file ${file} (no SMTP server is configured)`,
    );
  };

  return (data: { user: ResetUser; token: string }): Promise<void> => {
    void (async () => {
      try {
        await recordUserAudit(deps.database, deps.keyring, data.user.id, 'user.password_reset_requested');
        await deliver(data.user, data.token);
      } catch (error) {
        deps.log?.warn(
          {
            userId: data.user.id,
            ...(error instanceof DeliveryError ? { code: error.code } : { error: errorForLog(error) }),
          },
          'password reset email could not be delivered',
        );
      }
    })();
    return Promise.resolve();
  };
}

const FILE_PREFIX = 'password-reset-';

/** Writes one reset email (0600, in a 0700 directory), after removing the expired ones. */
async function writeDevOutboxFile(config: Pick<Config, 'dataDir'>, userId: string, content: string) {
  const dir = devOutboxDir(config);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeExpiredResetFiles(config);
  const file = path.join(dir, `${FILE_PREFIX}${userId}-${Date.now()}.txt`);
  await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  // The link is dead after its expiry: so is the file (a restart leaves it to the next sweep).
  setTimeout(() => void unlink(file).catch(() => {}), RESET_TOKEN_TTL_SECONDS * 1000).unref();
  return file;
}

/** Removes the reset files older than a link lives. */
export async function removeExpiredResetFiles(config: Pick<Config, 'dataDir'>): Promise<void> {
  const dir = devOutboxDir(config);
  const names = await readdir(dir).catch(() => [] as string[]);
  const oldest = Date.now() - RESET_TOKEN_TTL_SECONDS * 1000;
  for (const name of names) {
    if (!name.startsWith(FILE_PREFIX)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < oldest) await unlink(file).catch(() => {});
  }
}

/** Removes a user's reset files once their password was reset (their links are spent). */
export async function removeResetFilesOf(config: Pick<Config, 'dataDir'>, userId: string): Promise<void> {
  const dir = devOutboxDir(config);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(`${FILE_PREFIX}${userId}-`)) await unlink(path.join(dir, name)).catch(() => {});
  }
}
