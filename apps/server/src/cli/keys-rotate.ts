import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Keyring, makeKeyring, parseKeyring } from '../platform/crypto/keyring.js';
import { masterKeyPath, writeKeyringFile } from '../platform/crypto/master-key.js';
import { CliError, exitCodes, loadCliConfig, withCliDatabase } from './context.js';

/**
 * `confidant keys rotate`: re-wraps every encrypted value under a newer master key version.
 *
 * - Embedded key file (no CONFIDANT_MASTER_KEY): a new random version is appended to
 *   <data dir>/master.key (0600) BEFORE any value is re-wrapped, so an interruption never leaves
 *   a value sealed under a key that was not saved. Older versions stay in the file: other secrets
 *   derived from them (console sign-in, two-factor secrets) and the audit entries sealed under
 *   them (verified with the version each entry records) still need them.
 * - CONFIDANT_MASTER_KEY: the operator adds the new version to the variable first; this
 *   re-wraps everything to its highest version and is a no-op when nothing is left to do.
 */
export function registerKeysRotate(program: Command) {
  const keys = program.command('keys').description('Manage the master encryption keys');
  keys
    .command('rotate')
    .description(
      'Re-wrap every encrypted secret under a new (embedded) or the current (env) master key version',
    )
    .action(async () => {
      const config = loadCliConfig();
      const fromEnv = config.masterKey !== undefined;
      const file = masterKeyPath(config.dataDir);
      // Keys are checked before the database is opened: a bad key must not open (or create) anything.
      const envKeyring = fromEnv ? parseKeyring(config.masterKey!) : undefined;
      if (!fromEnv) {
        if (!existsSync(file)) {
          throw new CliError(
            `No master key at ${file} and CONFIDANT_MASTER_KEY is not set: nothing is encrypted yet, so there is nothing to rotate.`,
          );
        }
        parseKeyring(readFileSync(file, 'utf8'));
      }
      await withCliDatabase(config, async (database) => {
        let keyring: Keyring;
        if (envKeyring) {
          keyring = envKeyring;
        } else {
          // Read again under the data-dir lock: the file is only changed by a lock holder.
          const old = parseKeyring(readFileSync(file, 'utf8'));
          keyring = makeKeyring(new Map([...old.keys, [old.current + 1, randomBytes(32)]]));
          writeKeyringFile(config.dataDir, keyring);
          console.log(`Added master key version ${keyring.current} to ${file}.`);
        }
        const { rewrapAllSecrets } = await import('./rewrap-secrets.js');
        const result = await rewrapAllSecrets(database, keyring);
        console.log(
          `Re-wrapped ${result.rewrapped} of ${result.values} encrypted value(s) in ${result.orgs} organization(s) ` +
            `under key version ${keyring.current} (${result.values - result.rewrapped - result.failures.length} already current).`,
        );
        // Lookup hashes of data subjects are keyed by the current version too: recompute them.
        const { rehashSubjectLookups } = await import('../modules/privacy/subjects/rehash-subjects.js');
        const rehashed = await rehashSubjectLookups(database, keyring);
        console.log(`Re-hashed ${rehashed} data-subject lookup row(s) under key version ${keyring.current}.`);
        for (const f of result.failures) {
          console.error(
            `  could not re-wrap ${f.table}.${f.column} of org ${f.orgId} row ${f.rowId}: ${f.reason}`,
          );
        }
        if (result.failures.length > 0) {
          process.exitCode = exitCodes.failed;
          console.error(
            `${result.failures.length} value(s) could not be re-wrapped; keep every key version until they are fixed.`,
          );
        } else if (fromEnv && keyring.keys.size > 1) {
          const older = [...keyring.keys.keys()].filter((v) => v !== keyring.current).sort((a, b) => a - b);
          console.log(
            `Every encrypted value now uses version ${keyring.current}. You may remove version(s) ${older.join(', ')} ` +
              'from CONFIDANT_MASTER_KEY afterwards (doing so signs console users out and requires two-factor re-enrolment for secrets sealed under them). ' +
              'Audit entries keep the version they were sealed with: `audit verify` needs every version they use, so keep older versions to verify them.',
          );
        }
      });
    });
}
