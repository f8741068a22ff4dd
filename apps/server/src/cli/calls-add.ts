import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../platform/config.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Database } from '../platform/db/client.js';
import { AppError } from '../platform/errors.js';
import { CliError, exitCodes, isUuid, loadCliConfig } from './context.js';
import { withCliKeyedDatabase } from './keyed-database.js';

/**
 * `confidant calls add FILE… [--rep NAME] [--title T] [--rubric ID] [--org ID]`: uploads call
 * recordings through the same code as the API (sniffed, size and duration limits, audio stored
 * encrypted) and processes each one now in this process (transcription, metrics, scoring), with
 * a progress bar. `--org` may be left out when the installation has exactly one organization.
 * Exits 1 when any recording was refused or failed, after saying why for each.
 *
 * Embedded mode: the data-dir lock means the server must be stopped meanwhile.
 */
const ACTOR = { type: 'system' as const, id: 'cli' };

type Outcome = { label: string; ok: boolean; detail: string };
type Options = { org?: string; rep?: string; title?: string; rubric?: string };

export function registerCallsAdd(program: Command) {
  const calls = program.command('calls').description('Call analysis');
  calls
    .command('add')
    .description('Upload call recordings (mp3, wav, m4a, ogg, webm) and analyse them now')
    .argument('<files...>', 'recordings to upload')
    .option('--org <id>', 'the organization that owns the calls (default: the only one)')
    .option('--rep <name>', 'the rep whose calls these are')
    .option('--title <title>', 'title of the call (a single file)')
    .option('--rubric <id>', 'the rubric to score against (default: the org’s default rubric)')
    .action(async (files: string[], options: Options) => {
      if (options.org !== undefined && !isUuid(options.org))
        throw new CliError('--org must be an organization id (a UUID)', exitCodes.usage);
      if (options.rubric !== undefined && !isUuid(options.rubric))
        throw new CliError('--rubric must be a rubric id (a UUID)', exitCodes.usage);
      if (options.title !== undefined && files.length > 1)
        throw new CliError('--title applies to a single file', exitCodes.usage);
      for (const file of files) {
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) throw new CliError(`${file}: no such file`, exitCodes.usage);
      }
      const config = loadCliConfig();
      const outcomes = await withCliKeyedDatabase(config, async (database, keyring) => {
        const orgId = await resolveOrg(database, options.org);
        return addAndProcess(config, database, keyring, orgId, files, options);
      });
      for (const o of outcomes) console.log(`${o.ok ? 'ready ' : 'FAILED'}  ${o.label}: ${o.detail}`);
      const failed = outcomes.filter((o) => !o.ok).length;
      console.log(
        `${outcomes.length - failed} of ${outcomes.length} call(s) ready${failed ? `, ${failed} failed` : ''}.`,
      );
      if (failed > 0) process.exitCode = exitCodes.failed;
    });
}

async function resolveOrg(database: Database, org: string | undefined): Promise<string> {
  const { organizations } = await import('../platform/db/schema/index.js');
  const { eq, ne } = await import('drizzle-orm');
  if (org) {
    const [found] = await database.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, org));
    if (!found) throw new CliError(`No organization with id ${org}`, exitCodes.usage);
    return found.id;
  }
  const rows = await database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(ne(organizations.kind, 'platform'));
  if (rows.length !== 1) {
    throw new CliError(
      `--org is required: the installation has ${rows.length} organizations`,
      exitCodes.usage,
    );
  }
  return rows[0]!.id;
}

async function addAndProcess(
  config: Config,
  database: Database,
  keyring: Keyring,
  orgId: string,
  files: string[],
  options: Options,
): Promise<Outcome[]> {
  const { createBlobStore } = await import('../platform/blobs/blob-store.js');
  const { systemResolveHost } = await import('../platform/net/outbound-policy.js');
  const callsModule = await import('../modules/calls/index.js');
  const blobStore = createBlobStore(config);
  const deps = {
    config,
    database,
    keyring,
    blobStore,
    net: { allowPrivateNetworks: config.network.allowPrivateNetworks, resolveHost: systemResolveHost },
  };
  const outcomes: Outcome[] = [];
  const added: { label: string; id: string; title: string }[] = [];
  // First every recording is stored (each refusal said at once), then they are processed.
  for (const file of files) {
    try {
      const bytes = await readFile(file);
      const call = await callsModule.createCall(deps, orgId, ACTOR, {
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        fileName: path.basename(file),
        title: options.title,
        repName: options.rep,
        rubricId: options.rubric,
      });
      added.push({ label: file, id: call.id, title: call.title });
    } catch (error) {
      outcomes.push({ label: file, ok: false, detail: describeFailure(error) });
    }
  }
  for (const call of added) outcomes.push(await processWithProgress(callsModule, deps, orgId, call));
  return outcomes;
}

async function processWithProgress(
  callsModule: typeof import('../modules/calls/index.js'),
  deps: Parameters<typeof import('../modules/calls/index.js').processCall>[0],
  orgId: string,
  call: { label: string; id: string; title: string },
): Promise<Outcome> {
  const { withTenant } = await import('../platform/db/tenancy.js');
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: `${call.title.slice(0, 40)} |{bar}| {percentage}% {status}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(100, 0, { status: 'queued' });
  const poll = setInterval(() => {
    void withTenant(deps.database, [orgId], (tx) => callsModule.getCall(tx, deps.keyring, orgId, call.id))
      .then((c) => bar.update(Math.round(c.progress * 100), { status: c.status }))
      .catch(() => {});
  }, 250);
  try {
    await callsModule.processCall(deps, orgId, call.id, new AbortController().signal);
  } catch (error) {
    if (error instanceof callsModule.CallPaused) {
      // Past the monthly usage limit: kept as paused (not failed), so raising the limits resumes it.
      await callsModule.pauseCall(deps, orgId, call.id);
    } else {
      const message =
        error instanceof callsModule.CallFailure
          ? error.message
          : `${callsModule.GENERIC_CALL_FAILURE} (${describeFailure(error)})`;
      await callsModule.failCall(deps, orgId, call.id, message);
    }
  } finally {
    clearInterval(poll);
  }
  const final = await withTenant(deps.database, [orgId], (tx) =>
    callsModule.getCall(tx, deps.keyring, orgId, call.id),
  );
  bar.update(Math.round(final.progress * 100), { status: final.status });
  bar.stop();
  if (final.status === 'ready') {
    const score = final.score === null ? 'not scored' : `score ${final.score}`;
    return {
      label: call.label,
      ok: true,
      detail: `${final.segments.length} transcript lines, ${score} (call ${final.id})`,
    };
  }
  return { label: call.label, ok: false, detail: final.error ?? 'processing did not finish' };
}

/** Refusals meant for people as they are; anything else by kind only (errors can quote content). */
function describeFailure(error: unknown): string {
  if (error instanceof AppError) {
    return error.issues?.length
      ? `${error.message}: ${error.issues.map((i) => `${i.path.replace(/^body\./, '')} ${i.message}`).join('; ')}`
      : error.message;
  }
  if (error instanceof CliError) return error.message;
  const e = error as { name?: string; code?: unknown };
  return `unexpected ${e?.name ?? 'error'}${typeof e?.code === 'string' ? ` (${e.code})` : ''}`;
}
