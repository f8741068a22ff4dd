import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { loadKeyring } from './crypto/master-key.js';
import { openDatabase } from './db/open.js';
import { ensurePlatform } from './modules/orgs/bootstrap.js';

/**
 * Boot only: config → keyring → database → migrations → platform bootstrap → HTTP.
 * Exits non-zero with a readable message on any boot problem.
 */
async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  const keyring = loadKeyring(config, (m) => console.warn(`warning: ${m}`));
  await ensurePlatform(database, config);
  const app = await buildApp({ config, database, keyring });
  const url = await app.listen({ host: config.host, port: config.port });
  console.log(`Confidant is running at ${config.publicUrl ?? url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing open requests and streams');
    // app.close() stops accepting connections and waits for in-flight requests (open SSE
    // answers included) to finish; a second signal forces exit.
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`Confidant failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
