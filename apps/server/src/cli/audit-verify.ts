import type { Command } from 'commander';
import { CliError, exitCodes, isUuid, loadCliConfig, withCliDatabase } from './context.js';

/**
 * `confidant audit verify [--org <id>] [--json]`: recomputes the hash chains. Exit 0 when every
 * chain is intact; exit 1 naming the first bad entry of each broken chain.
 */
export function registerAuditVerify(program: Command) {
  const audit = program.command('audit').description('Inspect the tamper-evident audit log');
  audit
    .command('verify')
    .description("Recompute every organization's audit hash chain (or one) and name the first bad entry")
    .option('--org <id>', 'verify only this organization')
    .option('--json', 'print the result as JSON')
    .action(async (options: { org?: string; json?: boolean }) => {
      if (options.org !== undefined && !isUuid(options.org)) {
        throw new CliError('--org must be an organization id (a UUID)', exitCodes.usage);
      }
      const config = loadCliConfig();
      const { UnknownOrgError, verifyAuditChains } = await import('../modules/audit/verify.js');
      const result = await withCliDatabase(config, async (database) => {
        try {
          return await verifyAuditChains(database, { orgId: options.org });
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
        console.error(
          `Audit log BROKEN in ${result.problems.length} of ${result.orgs} organization(s) (${result.entries} entries read):`,
        );
        for (const p of result.problems) console.error(`  org ${p.orgId} entry #${p.seq}: ${p.reason}`);
      }
      if (!ok) process.exitCode = exitCodes.failed;
    });
}
