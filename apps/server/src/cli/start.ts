import type { Command } from 'commander';
import { loadCliConfig } from './context.js';

/** `confidant start`: exactly what `npm start` does (main.ts). */
export function registerStart(program: Command) {
  program
    .command('start')
    .description('Start the server (same as npm start)')
    // Read by main.ts from the arguments (platform/server-role.ts); declared so commander accepts it.
    .option('--role <role>', 'all (default), api or worker; api and worker need PostgreSQL')
    .action(async () => {
      const config = loadCliConfig();
      const { runMain } = await import('../main.js');
      runMain(config);
    });
}
