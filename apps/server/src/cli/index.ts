import { Command, CommanderError } from 'commander';
import { KeyringError } from '../platform/crypto/keyring.js';
import { registerAuditVerify } from './audit-verify.js';
import { registerCallsAdd } from './calls-add.js';
import { CliError, exitCodes } from './context.js';
import { registerKbAdd } from './kb-add.js';
import { registerKeysRotate } from './keys-rotate.js';
import { registerMigrate } from './migrate.js';
import { registerOrgCreate } from './org-create.js';
import { registerStart } from './start.js';

/**
 * The `confidant` command. Exit codes: 0 ok; 1 check failed or operation failed; 2 bad
 * configuration or usage; 3 the embedded database is in use by another Confidant process.
 */
export function buildProgram(): Command {
  const program = new Command('confidant')
    .description('Confidant: privacy-first conversational AI for customer support')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerStart(program);
  registerMigrate(program);
  registerOrgCreate(program);
  registerAuditVerify(program);
  registerKeysRotate(program);
  registerKbAdd(program);
  registerCallsAdd(program);
  // Subcommands inherit exitOverride only when set before they are created; set it on all.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) c.exitOverride();
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help/version text).
      process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
      return;
    }
    if (error instanceof CliError) {
      console.error(error.message);
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof KeyringError) {
      console.error(`Invalid configuration: ${error.message}`);
      process.exitCode = exitCodes.usage;
      return;
    }
    console.error(`confidant: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = exitCodes.failed;
  }
}

await runCli(process.argv);
