import type { Command } from 'commander';
import { Option } from 'commander';
import { CliError, exitCodes, loadCliConfig } from './context.js';
import { withCliKeyedDatabase } from './keyed-database.js';

/**
 * `confidant org create --name N [--kind direct|reseller] [--json]`: the CLI twin of
 * `POST /v1/orgs` with a platform key. Prints the org id and its first API key (an owner key) — the one
 * time that key is ever shown (only its hash is stored).
 */
export function registerOrgCreate(program: Command) {
  const org = program.command('org').description('Manage organizations');
  org
    .command('create')
    .description('Create an organization and print its first API key, an owner key (shown once)')
    .requiredOption('--name <name>', 'organization name (1-200 characters)')
    .addOption(
      new Option('--kind <kind>', 'organization kind').choices(['direct', 'reseller']).default('direct'),
    )
    .option('--json', 'print only {"orgId","apiKey"} as JSON')
    .action(async (options: { name: string; kind: 'direct' | 'reseller'; json?: boolean }) => {
      const name = options.name.trim();
      if (name.length === 0 || name.length > 200) {
        throw new CliError('--name must be 1 to 200 characters (not blank)', exitCodes.usage);
      }
      const config = loadCliConfig();
      const { createOrganization } = await import('../modules/orgs/service.js');
      const { org, apiKey } = await withCliKeyedDatabase(config, (database, keyring) =>
        createOrganization(
          database,
          keyring,
          { name, kind: options.kind, parentId: null },
          { type: 'system', id: 'cli' },
        ),
      );
      if (options.json) {
        console.log(JSON.stringify({ orgId: org.id, apiKey }));
        return;
      }
      console.log(`Created organization "${org.name}" (${org.kind}).`);
      console.log(`  org id:  ${org.id}`);
      console.log(`  API key: ${apiKey}`);
      console.log('Store the API key now: it is shown only once (Confidant keeps only its hash).');
    });
}
