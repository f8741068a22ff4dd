import type { Command } from 'commander';
import { CliError, exitCodes, isUuid, loadCliConfig, withCliDatabase } from './context.js';

/**
 * `confidant audit verify [--org <id>] [--checkpoints FILE] [--json]`: recomputes the keyed chains with the master
 * keyring (every version the entries were sealed with). Exit 0 when every chain is intact; exit 1
 * naming the first bad entry of each chain that does not verify — rewritten, or, when a key
 * version is missing from the keyring, unverifiable (said as such, not as tampering).
 */
export function registerAuditVerify(program: Command) {
  const audit = program.command('audit').description('Inspect the tamper-evident audit log');
  audit
    .command('verify')
    .description("Recompute every organization's audit hash chain (or one) and name the first bad entry")
    .option('--org <id>', 'verify only this organization')
    .option(
      '--checkpoints <file>',
      'also check the log against signed checkpoints saved from GET /v1/audit/checkpoints',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { org?: string; json?: boolean; checkpoints?: string }) => {
      if (options.org !== undefined && !isUuid(options.org)) {
        throw new CliError('--org must be an organization id (a UUID)', exitCodes.usage);
      }
      if (options.checkpoints !== undefined) return verifyCheckpointsCommand(options.checkpoints, options);
      const config = loadCliConfig();
      const keyring = await requireKeyring(config);
      const { UnknownOrgError, verifyAuditChains } = await import('../modules/audit/verify.js');
      const result = await withCliDatabase(config, async (database) => {
        try {
          return await verifyAuditChains(database, keyring, { orgId: options.org });
        } catch (error) {
          if (error instanceof UnknownOrgError) throw new CliError(error.message, exitCodes.usage);
          throw error;
        }
      });
      const ok = result.problems.length === 0;
      if (options.json) {
        console.log(JSON.stringify({ ok, ...result }));
      } else if (ok) {
        console.log(`Audit log intact: ${result.orgs} organization(s), ${result.entries} entries verified.`);
      } else {
        const broken = result.problems.filter((p) => p.kind === 'broken').length;
        const unverifiable = result.problems.length - broken;
        if (broken > 0) {
          console.error(
            `Audit log BROKEN in ${broken} of ${result.orgs} organization(s) (${result.entries} entries read):`,
          );
        }
        if (unverifiable > 0) {
          console.error(
            `Audit log NOT VERIFIABLE in ${unverifiable} of ${result.orgs} organization(s): a master key version is missing from the keyring (not evidence of tampering):`,
          );
        }
        for (const p of result.problems) console.error(`  org ${p.orgId} entry #${p.seq}: ${p.reason}`);
      }
      if (!ok) process.exitCode = exitCodes.failed;
    });
}

/** The --checkpoints form: every chain named in the file, and every checkpoint in it. */
async function verifyCheckpointsCommand(file: string, options: { org?: string; json?: boolean }) {
  const { readFile } = await import('node:fs/promises');
  const { CheckpointFileError, parseCheckpointFile, verifyAgainstCheckpoints } = await import(
    '../modules/audit/verify-checkpoints.js'
  );
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`Cannot read the checkpoints file ${file}`, exitCodes.usage);
  }
  let checkpoints: ReturnType<typeof parseCheckpointFile>;
  try {
    checkpoints = parseCheckpointFile(text).filter((c) => !options.org || c.orgId === options.org);
  } catch (error) {
    if (error instanceof CheckpointFileError)
      throw new CliError(`${file}: ${error.message}`, exitCodes.usage);
    throw error;
  }
  if (checkpoints.length === 0) throw new CliError(`${file} holds no checkpoints to check`, exitCodes.usage);
  const config = loadCliConfig();
  const keyring = await requireKeyring(config);
  const result = await withCliDatabase(config, (database) =>
    verifyAgainstCheckpoints(database, keyring, checkpoints),
  );
  const ok = result.problems.length === 0 && result.chainProblems.length === 0;
  if (options.json) {
    console.log(JSON.stringify({ ok, ...result }));
  } else if (ok) {
    console.log(
      `Audit log extends every checkpoint: ${result.checkpoints} checkpoint(s) of ${result.orgs} organization(s), ${result.entries} entries verified.`,
    );
  } else {
    if (result.problems.length > 0)
      console.error(
        `Audit log does NOT extend ${result.problems.length} of ${result.checkpoints} signed checkpoint(s):`,
      );
    for (const p of result.problems) console.error(`  org ${p.orgId} checkpoint #${p.seq}: ${p.reason}`);
    for (const p of result.chainProblems) console.error(`  org ${p.orgId} entry #${p.seq}: ${p.reason}`);
  }
  if (!ok) process.exitCode = exitCodes.failed;
}

/** The master keyring the entries were sealed with; without it nothing can be verified. */
async function requireKeyring(config: ReturnType<typeof loadCliConfig>) {
  const { readKeyring } = await import('../platform/crypto/master-key.js');
  const keyring = readKeyring(config);
  if (!keyring) {
    throw new CliError(
      'No master key (CONFIDANT_MASTER_KEY or master.key in the data dir): audit entries are sealed with keys derived from it, so the log cannot be verified without it',
      exitCodes.usage,
    );
  }
  return keyring;
}
