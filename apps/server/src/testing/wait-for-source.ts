import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/** A knowledge source as GET /v1/knowledge/sources/:id returns it (loosely typed for tests). */
export type SourceJson = {
  id: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
  error: string | null;
  progress: { chunksDone: number; chunksTotal: number; pagesDone?: number; pagesTotal?: number };
  [key: string]: unknown;
};

/**
 * Ingestion is asynchronous (a job): tests that add a source through the API wait for it here,
 * through the API as a client would, until it is `ready` or `failed`. The limit only guards
 * against a hang; it is not a timing assertion.
 */
export async function waitForSource(
  app: Pick<FastifyInstance, 'inject'>,
  apiKey: string,
  sourceId: string,
  options: { timeoutMs?: number } = {},
): Promise<SourceJson> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/knowledge/sources/${sourceId}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (res.statusCode !== 200) throw new Error(`waitForSource: ${res.statusCode} ${res.body}`);
    const source = res.json() as SourceJson;
    if (source.status === 'ready' || source.status === 'failed') return source;
    if (Date.now() > deadline) throw new Error(`waitForSource: still ${source.status} (${res.body})`);
    await sleep(delay);
  }
}

/** Creates a source through the API and waits until it is indexed; returns the final source. */
export async function addSourceAndWait(
  app: Pick<FastifyInstance, 'inject'>,
  apiKey: string,
  payload: Record<string, unknown>,
): Promise<SourceJson> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/knowledge/sources',
    headers: { authorization: `Bearer ${apiKey}` },
    payload,
  });
  if (res.statusCode !== 201) throw new Error(`add source: ${res.statusCode} ${res.body}`);
  return waitForSource(app, apiKey, (res.json() as SourceJson).id);
}
