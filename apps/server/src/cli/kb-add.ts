import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { SourceView } from '../modules/knowledge/index.js';
import type { Config } from '../platform/config.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Database } from '../platform/db/client.js';
import { refreshPlannerStatistics } from '../platform/db/planner-statistics.js';
import { AppError } from '../platform/errors.js';
import { CliError, exitCodes, isUuid, loadCliConfig } from './context.js';
import { withCliKeyedDatabase } from './keyed-database.js';

/**
 * `confidant kb add <file|dir|url> --org <id> [--title T]`: adds knowledge from the command line
 * through the same code as the API (files: sniffed, stored in the blob store, extracted; a URL:
 * a website source), then indexes each new source in this process with a progress bar. Exits 1
 * when any source could not be added or indexed, after saying why for each.
 *
 * Embedded mode: the data-dir lock means the server must be stopped meanwhile. On PostgreSQL it
 * may run next to servers; should this command die mid-way, their sweep picks up the sources it
 * left queued.
 */

/** What a directory contributes: files of the formats we read (the content is still sniffed). */
const DIRECTORY_EXTENSIONS = new Set([
  '.pdf',
  '.docx',
  '.html',
  '.htm',
  '.md',
  '.markdown',
  '.txt',
  '.csv',
  '.json',
]);
const ACTOR = { type: 'system' as const, id: 'cli' };

type Outcome = { label: string; status: 'ready' | 'failed'; detail: string };
/** The knowledge module, loaded only when this command runs (the CLI starts fast for the others). */
type Knowledge = typeof import('../modules/knowledge/index.js');

export function registerKbAdd(program: Command) {
  const kb = program.command('kb').description('Manage knowledge');
  kb.command('add')
    .description('Add a file, every supported file of a directory, or a website, and index it now')
    .argument('<target>', 'a file, a directory or an http(s) URL')
    .requiredOption('--org <id>', 'the organization that owns the knowledge')
    .option('--title <title>', 'title of the source (a single file or a URL)')
    .action(async (target: string, options: { org: string; title?: string }) => {
      if (!isUuid(options.org))
        throw new CliError('--org must be an organization id (a UUID)', exitCodes.usage);
      const isUrl = /^https?:\/\//i.test(target);
      const files = isUrl ? [] : await listFiles(target, options.title);
      const config = loadCliConfig();
      const outcomes = await withCliKeyedDatabase(config, async (database, keyring) => {
        const { getOrganization } = await import('../modules/orgs/service.js');
        await getOrganization(database, options.org).catch(() => {
          throw new CliError(`No organization with id ${options.org}`, exitCodes.usage);
        });
        const result = await addAndIndex(
          config,
          database,
          keyring,
          options.org,
          isUrl ? { url: target } : { files },
          options.title,
        );
        // The server's sweep would do it within a minute; do it now so searches are fast at once.
        await refreshPlannerStatistics(database);
        return result;
      });
      printSummary(outcomes);
      if (outcomes.some((o) => o.status === 'failed')) process.exitCode = exitCodes.failed;
    });
}

async function listFiles(target: string, title: string | undefined): Promise<string[]> {
  const info = await stat(target).catch(() => {
    throw new CliError(`${target}: no such file or directory`, exitCodes.usage);
  });
  if (info.isFile()) return [target];
  if (!info.isDirectory()) throw new CliError(`${target} is neither a file nor a directory`, exitCodes.usage);
  if (title !== undefined) throw new CliError('--title applies to a single file or a URL', exitCodes.usage);
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => DIRECTORY_EXTENSIONS.has(path.extname(file).toLowerCase()))
    .sort();
  if (files.length === 0) throw new CliError(`${target} holds no supported file`, exitCodes.failed);
  return files;
}

async function addAndIndex(
  config: Config,
  database: Database,
  keyring: Keyring,
  orgId: string,
  what: { files: string[] } | { url: string },
  title: string | undefined,
): Promise<Outcome[]> {
  const { createBlobStore } = await import('../platform/blobs/blob-store.js');
  const blobStore = createBlobStore(config);
  const outcomes: Outcome[] = [];
  const added: { label: string; source: SourceView }[] = [];
  const knowledge: Knowledge = await import('../modules/knowledge/index.js');
  const describe = (error: unknown) => describeFailure(knowledge, error);

  // First every source is recorded (each refusal said at once), then they are indexed.
  if ('url' in what) {
    try {
      added.push({
        label: what.url,
        source: await addUrl(knowledge, config, database, keyring, orgId, what.url, title),
      });
    } catch (error) {
      outcomes.push({ label: what.url, status: 'failed', detail: describe(error) });
    }
  } else {
    const { createFileSource } = knowledge;
    for (const file of what.files) {
      try {
        const bytes = await readFile(file);
        const source = await createFileSource({ config, database, keyring, blobStore }, orgId, ACTOR, {
          bytes,
          fileName: path.basename(file),
          ...(title !== undefined ? { title } : {}),
          options: {},
        });
        added.push({ label: file, source });
      } catch (error) {
        outcomes.push({ label: file, status: 'failed', detail: describe(error) });
      }
    }
  }

  for (const { label, source } of added)
    outcomes.push(
      await indexWithProgress(knowledge, config, database, keyring, blobStore, orgId, label, source),
    );
  return outcomes;
}

async function addUrl(
  knowledge: Knowledge,
  config: Config,
  database: Database,
  keyring: Keyring,
  orgId: string,
  url: string,
  title?: string,
) {
  const { checkUrlSource, createUrlSource, urlSourceBody } = knowledge;
  const { withTenant } = await import('../platform/db/tenancy.js');
  const parsed = urlSourceBody.safeParse({ type: 'url', url, ...(title !== undefined ? { title } : {}) });
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      'The URL cannot be added',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  await checkUrlSource(parsed.data, config);
  return withTenant(database, [orgId], (tx) => createUrlSource(tx, keyring, orgId, ACTOR, parsed.data));
}

async function indexWithProgress(
  knowledge: Knowledge,
  config: Config,
  database: Database,
  keyring: Keyring,
  blobStore: { get(orgId: string, hash: string): Promise<Uint8Array> },
  orgId: string,
  label: string,
  source: SourceView,
): Promise<Outcome> {
  const { processSource, failSource, GENERIC_FAILURE, getSource } = knowledge;
  const { withTenant } = await import('../platform/db/tenancy.js');
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: `${source.title.slice(0, 40)} |{bar}| {value}/{total} chunks{pages}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(1, 0, { pages: '' });
  const { systemResolveHost } = await import('../platform/net/outbound-policy.js');
  const deps = {
    config,
    database,
    blobStore,
    // An org that chose its own embedding model is embedded through its provider, as by the worker.
    keyring,
    net: { allowPrivateNetworks: config.network.allowPrivateNetworks, resolveHost: systemResolveHost },
    onProgress: (p: { chunksDone: number; chunksTotal: number; pagesDone: number; pagesTotal: number }) => {
      bar.setTotal(Math.max(p.chunksTotal, 1));
      bar.update(p.chunksDone, { pages: p.pagesTotal > 0 ? ` · ${p.pagesDone}/${p.pagesTotal} pages` : '' });
    },
  };
  try {
    await processSource(deps, orgId, source.id);
  } catch (error) {
    await failSource(deps, orgId, source.id, `${GENERIC_FAILURE} (${describeFailure(knowledge, error)})`);
  } finally {
    bar.stop();
  }
  const final = await withTenant(database, [orgId], (tx) => getSource(tx, orgId, source.id));
  if (final.status === 'ready') {
    const pages = final.progress.pagesTotal > 0 ? `, ${final.progress.pagesDone} pages` : '';
    return {
      label,
      status: 'ready',
      detail: `${final.progress.chunksTotal} chunks${pages} (source ${final.id})`,
    };
  }
  return { label, status: 'failed', detail: final.error ?? 'indexing did not finish' };
}

/**
 * What to print for a failure: refusals meant for people (bad input, unreadable file, refused
 * site) as they are; anything else by kind only, since database errors can quote the content.
 */
function describeFailure({ ExtractionError, CrawlError }: Knowledge, error: unknown): string {
  if (error instanceof AppError) {
    return error.issues?.length
      ? `${error.message}: ${error.issues.map((i) => `${i.path.replace(/^body\./, '')} ${i.message}`).join('; ')}`
      : error.message;
  }
  if (error instanceof ExtractionError || error instanceof CrawlError || error instanceof CliError) {
    return error.message;
  }
  const e = error as { name?: string; code?: unknown };
  return `unexpected ${e?.name ?? 'error'}${typeof e?.code === 'string' ? ` (${e.code})` : ''}`;
}

function printSummary(outcomes: Outcome[]) {
  for (const o of outcomes)
    console.log(`${o.status === 'ready' ? 'ready ' : 'FAILED'}  ${o.label}: ${o.detail}`);
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  console.log(
    `${outcomes.length - failed} of ${outcomes.length} source(s) ready${failed ? `, ${failed} failed` : ''}.`,
  );
}
