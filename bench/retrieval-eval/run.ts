import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import MiniSearch from 'minisearch';
import { search } from '../../apps/server/src/modules/knowledge/index.js';
import { queryRows } from '../../apps/server/src/platform/db/query-rows.js';
import { withTenant } from '../../apps/server/src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../apps/server/src/testing/test-app.js';
import { loadArticles, loadQuestions } from './dataset.js';
import { dedupeArticles, type Metrics, meanMetrics, scoreQuestion } from './metrics.js';

/**
 * `npm run eval:retrieval`: ranking quality on the Pedalway help centre (see dataset.ts).
 *
 * The articles go through the real path: POST /v1/knowledge/sources on a fresh in-memory PGlite,
 * then whatever ingestion does (chunking, language detection, indexing) until each source is
 * ready. Confidant is search() (lexical, its default; no embeddings). The peer is
 * MiniSearch with its default settings (BM25+, default tokenizer and search options) over the
 * very same chunks, with fields title (the article title) and content (the chunk's heading path
 * and text, which Confidant indexes too). Both rankings are scored at article level (metrics.ts).
 *
 * Prints JSON. `--misses` also prints, to stderr, each question Confidant does not answer with a
 * relevant article first, next to MiniSearch's answer.
 */
const CHUNKS_PER_QUESTION = 60;
const READY_TIMEOUT_MS = 120_000;

type ChunkRow = { id: string; source_id: string; title: string; heading_path: string; content: string };

async function waitUntilReady(t: TestApp, apiKey: string, ids: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const id of ids) {
    for (;;) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/knowledge/sources/${id}`,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const source = res.json() as { status: string; error: string | null };
      if (source.status === 'ready') break;
      if (source.status === 'failed') throw new Error(`source ${id} failed: ${source.error}`);
      if (Date.now() > deadline) throw new Error(`source ${id} not ready in time (${source.status})`);
      await sleep(50);
    }
  }
}

async function main() {
  const showMisses = process.argv.includes('--misses');
  const articles = loadArticles();
  const questions = loadQuestions(new Set(articles.map((a) => a.id)));
  const t = await createTestApp({ kind: 'pglite' });
  try {
    const { orgId, apiKey } = await t.createOrg('Pedalway');
    const articleOfSource = new Map<string, string>();
    for (const article of articles) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/knowledge/sources',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { type: 'text', title: article.title, content: article.markdown },
      });
      if (res.statusCode !== 201 && res.statusCode !== 202) {
        throw new Error(`adding ${article.id}: ${res.statusCode} ${res.body}`);
      }
      articleOfSource.set((res.json() as { id: string }).id, article.id);
    }
    await waitUntilReady(t, apiKey, [...articleOfSource.keys()]);

    // The chunks search can return: the current version of each ready source.
    const chunks = await withTenant(t.database, [orgId], (tx) =>
      queryRows<ChunkRow>(
        tx,
        sql`select c.id, c.source_id, c.title, c.heading_path, c.content
            from knowledge_chunks c
            join knowledge_sources s on s.org_id = c.org_id and s.id = c.source_id
            where s.status = 'ready' and c.version = s.version
            order by c.title, c.ordinal`,
      ),
    );
    const articleOfChunk = new Map(chunks.map((c) => [c.id, articleOfSource.get(c.source_id)!]));

    const peer = new MiniSearch<{ id: string; title: string; content: string }>({
      fields: ['title', 'content'],
    });
    peer.addAll(
      chunks.map((c) => ({
        id: c.id,
        title: c.title,
        content: c.heading_path ? `${c.heading_path}\n${c.content}` : c.content,
      })),
    );

    const ours: Metrics[] = [];
    const theirs: Metrics[] = [];
    for (const question of questions) {
      const hits = await withTenant(t.database, [orgId], (tx) =>
        search(tx, orgId, question.text, { k: CHUNKS_PER_QUESTION }),
      );
      const confidant = dedupeArticles(hits.map((h) => articleOfChunk.get(h.chunkId)!));
      const minisearch = dedupeArticles(peer.search(question.text).map((r) => articleOfChunk.get(r.id)!));
      ours.push(scoreQuestion(confidant, question.relevant));
      theirs.push(scoreQuestion(minisearch, question.relevant));
      if (showMisses && !question.relevant.includes(confidant[0] ?? '')) {
        process.stderr.write(
          `MISS "${question.text}" → want ${question.relevant.join('|')}\n` +
            `  confidant:  ${confidant.slice(0, 3).join(', ') || '(nothing)'}\n` +
            `  minisearch: ${minisearch.slice(0, 3).join(', ') || '(nothing)'}\n`,
        );
      }
    }

    const confidant = meanMetrics(ours);
    const minisearch = meanMetrics(theirs);
    const result = {
      set: {
        company: 'Pedalway (fictional bike-share and e-bike rental)',
        articles: articles.length,
        chunks: chunks.length,
        questions: questions.length,
        questionsWithTwoRelevantArticles: questions.filter((q) => q.relevant.length > 1).length,
      },
      confidant: { ...confidant, ranker: 'lexical (default, no embeddings)' },
      minisearch: { ...minisearch, ranker: 'MiniSearch 7 defaults (BM25+)' },
      ndcgAt10Difference: Math.round((confidant.ndcgAt10 - minisearch.ndcgAt10) * 10_000) / 10_000,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await t.close();
  }
}

await main();
