import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeEmbeddings, startFakeEmbeddings } from '../knowledge/embeddings/testing/fake-embeddings.js';
import { embedTexts } from './gateway.js';

/**
 * Embedding calls follow the same retry policy as answers: a retryable failure is tried again up
 * to maxRetries times, a refused key is not, and every attempt is its own model_calls row with the
 * provider kind (the server's embedding provider has no row: provider_id null).
 */
describe('embedding attempts', () => {
  let fake: FakeEmbeddings;
  let t: TestApp;
  let orgId: string;
  const embed = (maxRetries: number) =>
    embedTexts(t.database, {
      orgId,
      provider: { kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-embed' },
      texts: ['Where is my parcel?'],
      timeoutMs: 5000,
      maxRetries,
    });
  const attempts = async () => {
    const rows = await withTenant(t.database, [orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, orgId), eq(modelCalls.purpose, 'embedding')))
        .orderBy(asc(modelCalls.createdAt)),
    );
    await withTenant(t.database, [orgId], (tx) => tx.delete(modelCalls).where(eq(modelCalls.orgId, orgId)));
    return rows;
  };

  beforeAll(async () => {
    fake = await startFakeEmbeddings();
    t = await createTestApp({ kind: 'pglite' });
    orgId = (await t.createOrg('Lumen')).orgId;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('meters each attempt of a retried 503, and does not retry a 401', async () => {
    fake.failWith = 503;
    await expect(embed(1)).rejects.toMatchObject({ code: 'unavailable' });
    expect(fake.requests).toHaveLength(2);
    expect(await attempts()).toMatchObject([
      { outcome: 'error', providerKind: 'openai-compatible', providerId: null },
      { outcome: 'error', providerKind: 'openai-compatible', providerId: null },
    ]);

    fake.failWith = 401;
    await expect(embed(2)).rejects.toMatchObject({ code: 'unavailable' });
    expect(fake.requests).toHaveLength(3);
    expect((await attempts()).map((r) => r.outcome)).toEqual(['error']);

    fake.failWith = null;
    const vectors = await embed(1);
    expect(vectors).toHaveLength(1);
    expect(await attempts()).toMatchObject([{ outcome: 'ok', model: 'fake-embed', inputTokens: 4 }]);
  });
});
