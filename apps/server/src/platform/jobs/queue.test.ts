import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { createJobQueue, type JobQueue } from './queue.js';

/** Every boot declares every queue: unchanged options write nothing, changed ones are applied. */
describe('job queue declarations', () => {
  let database: TestDatabase;
  let jobs: JobQueue;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    jobs = createJobQueue(database);
    await jobs.start();
  }, 300_000);
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  const retryLimit = async () => {
    const result = await database.pglite!.query<{ retry_limit: number }>(
      `select retry_limit from pgboss.queue where name = 'declared'`,
    );
    return result.rows[0]?.retry_limit;
  };

  it('creates a queue, leaves it as is when declared again, and applies a changed option', async () => {
    await jobs.createQueue('declared', { retryLimit: 2, retryDelay: 5 });
    expect(await retryLimit()).toBe(2);
    await jobs.createQueue('declared', { retryLimit: 2, retryDelay: 5 });
    expect(await retryLimit()).toBe(2);
    await jobs.createQueue('declared', { retryLimit: 7, retryDelay: 5 });
    expect(await retryLimit()).toBe(7);
  });
});
