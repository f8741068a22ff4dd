import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import MiniSearch from 'minisearch';
import pg from 'pg';
import { chunkMarkdown, processSource, search } from '../../apps/server/src/modules/knowledge/index.js';
import { createOrganization } from '../../apps/server/src/modules/orgs/service.js';
import { loadConfig } from '../../apps/server/src/platform/config.js';
import { parseKeyring } from '../../apps/server/src/platform/crypto/keyring.js';
import { refreshPlannerStatistics } from '../../apps/server/src/platform/db/planner-statistics.js';
import { queryRows } from '../../apps/server/src/platform/db/query-rows.js';
import { knowledgeSources } from '../../apps/server/src/platform/db/schema/index.js';
import { withTenant } from '../../apps/server/src/platform/db/tenancy.js';
import type { TestDatabase } from '../../apps/server/src/platform/db/test-database.js';
import { createRng, createVocabulary, generateQuery, generateSource, type SourceText } from './corpus.js';
import { type LatencySummary, latencySummary } from './stats.js';

/**
 * `npm run bench:retrieval`: ingestion throughput and lexical query latency at help-centre scale.
 *
 * 1. Generates a synthetic help centre (corpus.ts, fixed seed) of at least --chunks chunks
 *    (default 50,000), as Markdown category documents of ~90 chunks each.
 * 2. On each database (in-memory PGlite; PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL
 *    is set — a throwaway database and role, dropped afterwards): adds the documents as text
 *    sources and runs the real ingestion (processSource: chunking, batched chunk inserts with
 *    progress, the version swap) one source after another, as the job worker does; reports
 *    chunks per second.
 * 3. Runs --queries visitor-style questions (default 1,000, after 50 unmeasured warm-up ones)
 *    through the real lexical search (search(), k = 10) in a tenant transaction each — what
 *    one search request costs the database — and reports latency percentiles, in two settings
 *    per database:
 *    - PGlite as ingested (it has no autovacuum, so no planner statistics unless someone runs
 *      ANALYZE; a 200-query sample), then after refreshPlannerStatistics (db/planner-statistics.ts);
 *    - PostgreSQL after ANALYZE (what autovacuum does shortly after a bulk load), as the app's own
 *      unprivileged role leaves it, then with README's one superuser statement
 *      (ts_match_vq LEAKPROOF, so full-text matching can use its index under row-level security).
 * 4. MiniSearch (default BM25+ options; fields title, heading path + text) in the same run over
 *    the same chunks: index time and query latency on the same questions.
 *
 * Prints JSON to stdout, progress to stderr. Not a test: nothing is asserted. `--explain` also
 * prints, to stderr, the plans (EXPLAIN ANALYZE) of the slowest query's statements.
 * Timings are wall-clock on a shared machine: compare figures from the same run.
 */
const SEED = 20_261_122;
const K = 10;
const WARMUP = 50;
const AS_INGESTED_SAMPLE = 200;

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

type Corpus = { sources: SourceText[]; chunks: number; queries: string[] };

function buildCorpus(minChunks: number, queryCount: number): Corpus {
  const rng = createRng(SEED);
  const vocabulary = createVocabulary(rng);
  const sources: SourceText[] = [];
  let chunks = 0;
  while (chunks < minChunks) {
    const source = generateSource(rng, vocabulary, sources.length);
    sources.push(source);
    chunks += chunkMarkdown(source.markdown).length;
  }
  const queries = Array.from({ length: queryCount + WARMUP }, () => generateQuery(rng, vocabulary));
  return { sources, chunks, queries };
}

type ChunkRow = { id: string; title: string; heading_path: string; content: string };

type QueryResult = LatencySummary & { k: number; meanHits: number; slowestQuery: string };

type DatabaseResult = {
  database: string;
  ingestion: { sources: number; chunks: number; seconds: number; chunksPerSecond: number };
  query: Record<string, QueryResult>;
};

const progress = (line: string) => process.stderr.write(`[bench:retrieval] ${line}\n`);

/** The queries through search(), one tenant transaction each; warm-up ones not measured. */
async function measureQueries(
  database: TestDatabase,
  orgId: string,
  queries: readonly string[],
  explain: boolean,
): Promise<QueryResult> {
  const timings: number[] = [];
  let hits = 0;
  let slowest = { ms: -1, query: '' };
  for (const [i, query] of queries.entries()) {
    const t0 = performance.now();
    const found = await withTenant(database, [orgId], (tx) => search(tx, orgId, query, { k: K }));
    const ms = performance.now() - t0;
    if (i < WARMUP) continue;
    timings.push(ms);
    hits += found.length;
    if (ms > slowest.ms) slowest = { ms, query };
  }
  if (explain) await explainQuery(database, orgId, slowest.query);
  return {
    ...latencySummary(timings),
    k: K,
    meanHits: round(hits / timings.length),
    slowestQuery: slowest.query,
  };
}

async function benchDatabase(
  database: TestDatabase,
  corpus: Corpus,
  explain: boolean,
  /** Runs SQL as a superuser on this database (PostgreSQL only: the README's one-time statement). */
  superuser?: (statement: string) => Promise<void>,
): Promise<{ result: DatabaseResult; chunks: ChunkRow[] }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CONFIDANT_DATA_DIR: '/nonexistent-confidant-bench-dir',
    CONFIDANT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    CONFIDANT_DEMO: 'false',
  });
  const { org } = await createOrganization(
    database,
    parseKeyring(config.masterKey!),
    { name: 'Bench help centre', kind: 'direct', parentId: null },
    { type: 'system', id: null },
  );
  const orgId = org.id;
  const ids = await withTenant(database, [orgId], async (tx) => {
    const rows = await tx
      .insert(knowledgeSources)
      .values(
        corpus.sources.map((s) => ({
          orgId,
          type: 'text' as const,
          title: s.title,
          mimeType: 'text/markdown',
          content: s.markdown,
          byteSize: Buffer.byteLength(s.markdown),
        })),
      )
      .returning({ id: knowledgeSources.id });
    return rows.map((r) => r.id);
  });

  progress(`${database.kind}: ingesting ${ids.length} sources`);
  const started = performance.now();
  for (const [i, id] of ids.entries()) {
    await processSource({ config, database }, orgId, id);
    if ((i + 1) % 100 === 0) progress(`${database.kind}: ${i + 1}/${ids.length} sources`);
  }
  const seconds = (performance.now() - started) / 1000;

  const [state] = await withTenant(database, [orgId], (tx) =>
    queryRows<{ ready: number; chunks: number }>(
      tx,
      sql`select (select count(*) from knowledge_sources where status = 'ready')::int as ready,
                 (select count(*) from knowledge_chunks)::int as chunks`,
    ),
  );
  if (state?.ready !== ids.length)
    throw new Error(`only ${state?.ready} of ${ids.length} sources became ready`);
  const chunkCount = state.chunks;

  const query: Record<string, QueryResult> = {};
  const measure = async (setting: string, queries = corpus.queries) => {
    progress(`${database.kind}: ${queries.length} queries (${setting})`);
    query[setting] = await measureQueries(database, orgId, queries, explain);
  };
  if (database.kind === 'pglite') {
    // Without statistics a query takes ~0.5 s: a sample says so without minutes of waiting.
    await measure('asIngested', corpus.queries.slice(0, WARMUP + AS_INGESTED_SAMPLE));
    const analyzed = await refreshPlannerStatistics(database);
    progress(`pglite: analyzed ${analyzed.join(', ')}`);
    await measure('afterRefreshPlannerStatistics');
  } else {
    await database.db.execute(sql`analyze knowledge_chunks, knowledge_sources, knowledge_lexicon`);
    await measure('appRoleOnly');
    if (superuser) {
      await superuser('ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF');
      await measure('withReadmeSuperuserStatement');
    }
  }

  const chunks = await withTenant(database, [orgId], (tx) =>
    queryRows<ChunkRow>(tx, sql`select id, title, heading_path, content from knowledge_chunks order by id`),
  );
  return {
    result: {
      database: database.kind,
      ingestion: {
        sources: ids.length,
        chunks: chunkCount,
        seconds: round(seconds),
        chunksPerSecond: Math.round(chunkCount / seconds),
      },
      query,
    },
    chunks,
  };
}

/** EXPLAIN ANALYZE of every statement search() runs for the query (stderr). */
async function explainQuery(database: TestDatabase, orgId: string, query: string): Promise<void> {
  const plans: string[] = [];
  await withTenant(database, [orgId], async (tx) => {
    const original = tx.execute.bind(tx);
    // Each statement search runs is run again under EXPLAIN ANALYZE (read-only statements).
    (tx as { execute: typeof tx.execute }).execute = (async (statement: Parameters<typeof tx.execute>[0]) => {
      const explained = await original(sql`explain (analyze, buffers) ${statement}`);
      plans.push(
        (explained as unknown as { rows: Record<string, string>[] }).rows
          .map((r) => Object.values(r)[0])
          .join('\n'),
      );
      return original(statement);
    }) as typeof tx.execute;
    await search(tx, orgId, query, { k: K });
  });
  process.stderr.write(`\n=== ${database.kind}: slowest query "${query}"\n${plans.join('\n---\n')}\n`);
}

function benchMiniSearch(chunks: ChunkRow[], queries: string[]) {
  const index = new MiniSearch<{ id: string; title: string; content: string }>({
    fields: ['title', 'content'],
  });
  const started = performance.now();
  index.addAll(
    chunks.map((c) => ({
      id: c.id,
      title: c.title,
      content: c.heading_path ? `${c.heading_path}\n${c.content}` : c.content,
    })),
  );
  const seconds = (performance.now() - started) / 1000;
  const timings: number[] = [];
  let hits = 0;
  for (const [i, query] of queries.entries()) {
    const t0 = performance.now();
    const found = index.search(query).slice(0, K);
    const ms = performance.now() - t0;
    if (i < WARMUP) continue;
    timings.push(ms);
    hits += found.length;
  }
  return {
    index: {
      chunks: chunks.length,
      seconds: round(seconds),
      chunksPerSecond: Math.round(chunks.length / seconds),
    },
    query: { ...latencySummary(timings), k: K, meanHits: round(hits / timings.length) },
    options: 'MiniSearch 7 defaults (BM25+), in process memory',
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

async function main() {
  const minChunks = argument('chunks', 50_000);
  const queryCount = argument('queries', 1000);
  const explain = process.argv.includes('--explain');
  // createTestDatabase reads TEST_DATABASE_URL when its module loads; BENCH_DATABASE_URL wins.
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  if (postgresUrl) process.env.TEST_DATABASE_URL = postgresUrl;
  const { createTestDatabase } = await import('../../apps/server/src/platform/db/test-database.js');

  const corpus = buildCorpus(minChunks, queryCount);
  const results: Record<string, unknown> = {};

  const pglite = await createTestDatabase('pglite');
  let chunks: ChunkRow[];
  try {
    const run = await benchDatabase(pglite, corpus, explain);
    results.pglite = run.result;
    chunks = run.chunks;
  } finally {
    await pglite.drop();
  }

  if (postgresUrl) {
    const postgres = await createTestDatabase('postgres');
    try {
      // The bench's own throwaway database, reached with the server's admin credentials.
      const adminUrl = new URL(postgresUrl);
      adminUrl.pathname = new URL((postgres as TestDatabase & { url: string }).url).pathname;
      const superuser = async (statement: string) => {
        const client = new pg.Client({ connectionString: adminUrl.toString() });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      };
      const run = await benchDatabase(postgres, corpus, explain, superuser);
      const [version] = await queryRows<{ v: string }>(
        postgres.db,
        sql`select current_setting('server_version') as v`,
      );
      results.postgres = { ...run.result, serverVersion: version?.v };
    } finally {
      await postgres.drop();
    }
  } else {
    results.postgres = {
      skipped: 'set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server to measure it',
    };
  }

  progress(`minisearch: indexing ${chunks.length} chunks, ${corpus.queries.length} queries`);
  results.minisearch = benchMiniSearch(chunks, corpus.queries);
  const postgresQuery = (results.postgres as Partial<DatabaseResult>).query;
  const output = {
    corpus: {
      seed: SEED,
      sources: corpus.sources.length,
      chunks: corpus.chunks,
      averageChunkChars: Math.round(chunks.reduce((n, c) => n + c.content.length, 0) / chunks.length),
      queries: queryCount,
      warmupQueries: WARMUP,
      exampleQueries: corpus.queries.slice(WARMUP, WARMUP + 5),
    },
    ...results,
    target: {
      postgresP95Ms: 20,
      metWithReadmeSuperuserStatement: postgresQuery?.withReadmeSuperuserStatement
        ? postgresQuery.withReadmeSuperuserStatement.p95Ms <= 20
        : null,
      metAppRoleOnly: postgresQuery?.appRoleOnly ? postgresQuery.appRoleOnly.p95Ms <= 20 : null,
    },
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

await main();
