import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { type ResolvedDeps, resolveDeps } from './deps.js';
import { describeReseal, resealLegacyAuditChains } from './modules/audit/reseal-legacy-chains.js';
import { devOutboxDir } from './modules/auth/password-reset-email.js';
import { signUpMode } from './modules/auth/sign-up-policy.js';
import { demoStartupLines, seedDemoOnce } from './modules/demo/seed.js';
import { ensurePlatform } from './modules/orgs/bootstrap.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { loadKeyring } from './platform/crypto/master-key.js';
import type { Database } from './platform/db/client.js';
import { openDatabase } from './platform/db/open.js';
import { refreshPlannerStatistics } from './platform/db/planner-statistics.js';
import { acquireDataDirLock } from './platform/server-lock.js';
import { serverRole } from './platform/server-role.js';

/**
 * Boot only: config → database → migrations → keyring → audit re-seal (once) → platform bootstrap →
 * job worker → HTTP.
 * Exits non-zero with a readable message on any boot problem.
 */
export async function main(config: Config = loadConfig(), argv: readonly string[] = process.argv.slice(2)) {
  // Before anything opens: a bad role is a configuration error (PGlite runs only `all`).
  const role = serverRole(argv, process.env, config.database.kind);
  // Embedded mode: <data dir>/server.pid marks the database as taken while we run (CLI commands
  // refuse to open it meanwhile); it is removed when the process exits.
  if (config.database.kind === 'pglite') acquireDataDirLock(config.dataDir);
  const database = await openDatabase(config);
  const keyring = loadKeyring(config, (m) => console.warn(`warning: ${m}`));
  // Before anything writes to the audit log: the one-time re-seal of legacy chains only runs
  // while no keyed entry exists (modules/audit/reseal-legacy-chains.ts).
  const resealed = describeReseal(await resealLegacyAuditChains(database, keyring));
  for (const line of resealed.info) console.log(line);
  for (const line of resealed.warnings) console.warn(`warning: ${line}`);
  await ensurePlatform(database, keyring, config);
  // PGlite has no autovacuum: tables that grew while statistics were not kept (or in an older
  // version that only covered knowledge) get them before the first request, not a minute later.
  await refreshPlannerStatistics(database);
  // First start only (remembered in system_state); a no-op when CONFIDANT_DEMO=false.
  const demo = await seedDemoOnce({ config, database, keyring });
  // The job worker runs in this process (role all, the default; it resumes work a killed process
  // left), or alone (role worker), or elsewhere (role api: this process only enqueues).
  const resolved = await resolveDeps({ config, database, keyring }, { handle: role !== 'api' });
  if (role === 'worker') return runWorkerOnly(resolved, database);
  const app = await buildApp(resolved.deps);
  const url = await app.listen({ host: config.host, port: config.port });
  const origin = (config.publicUrl ?? url).replace(/\/$/, '');
  console.log(
    `Confidant is running at ${origin}${role === 'api' ? ' (role api: jobs run in a worker process)' : ''}`,
  );
  console.log(`Console: ${origin}/console/`);
  for (const line of demoStartupLines(demo, config.publicUrl ?? url)) console.log(line);
  if ((await signUpMode(config, database)) === 'first_run')
    console.log(
      `No account exists yet: open ${origin}/console/sign-up to create the first one (it owns a new organization)`,
    );
  // Where email goes (never the SMTP URL itself: it may hold credentials).
  if (!config.email.smtpUrl)
    console.log(
      `Email: no CONFIDANT_SMTP_URL set, so nothing is sent; notifications and invitations are kept in the dev outbox (GET /v1/notifications/outbox, admins), password reset emails in ${devOutboxDir(config)} (operator only)`,
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing open requests and streams');
    // app.close() stops accepting connections and waits for in-flight requests (open SSE
    // answers included) to finish; a second signal forces exit.
    await app.close();
    // Running jobs stop at their next short transaction and are retried after the next start.
    await resolved.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** --role worker: jobs only, no HTTP; stops (finishing at the next short transaction) on a signal. */
function runWorkerOnly(resolved: ResolvedDeps, database: Database) {
  console.log('Confidant worker is running (role worker: jobs only, no HTTP)');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await resolved.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Boots and exits non-zero with a readable message on failure (`npm start`, `confidant start`). */
export function runMain(config?: Config) {
  main(config).catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else
      console.error(`Confidant failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

/** True when this file was run directly (npm start), false when the CLI imports it. */
function isEntryPoint(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) runMain();
