import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type Checkpoint, checkpointSignatureProblem } from './checkpoints.js';
import { signChangedCheckpoints } from './jobs/sign-checkpoints.js';
import { rewriteHistoryWithKeys } from './testing/rewrite-history.js';
import { verifyChain } from './verify-chain.js';
import { parseCheckpointFile, verifyAgainstCheckpoints } from './verify-checkpoints.js';

/**
 * Signed checkpoints: an admin signs the chain's head and downloads the checkpoints; the log is
 * later proved to extend them — and an insider who rewrites history and recomputes every MAC
 * with the master key is caught by a checkpoint saved before.
 */
describe.each(testDatabaseKinds)('audit checkpoints on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let org: { orgId: string; apiKey: string };
  let agentKey: string;
  const as = (key: string, opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });
  const addAgent = (name: string) => as(org.apiKey, { method: 'POST', url: '/v1/agents', payload: { name } });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Checkpointed');
    for (const name of ['one', 'two']) await addAgent(name);
    agentKey = (
      await as(org.apiKey, { method: 'POST', url: '/v1/api-keys', payload: { name: 'ops', role: 'agent' } })
    ).json().key;
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('signs the head on demand once, lists it with the signing key, and the signature holds', async () => {
    const first = await as(org.apiKey, { method: 'POST', url: '/v1/audit/checkpoints' });
    expect(first.statusCode).toBe(201);
    const checkpoint = first.json() as Checkpoint;
    const [head] = await su.query<{ seq: string; hash: string }>(
      'select seq, hash from audit_heads where org_id = $1',
      [org.orgId],
    );
    expect(checkpoint).toMatchObject({ orgId: org.orgId, seq: Number(head!.seq), headHash: head!.hash });
    expect(checkpointSignatureProblem(checkpoint)).toBeNull();

    // The head has not moved: the same checkpoint, not a second one.
    const again = await as(org.apiKey, { method: 'POST', url: '/v1/audit/checkpoints' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(checkpoint);

    const list = await as(org.apiKey, { method: 'GET', url: '/v1/audit/checkpoints' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      signingKey: { keyId: checkpoint.keyId, publicKey: checkpoint.publicKey },
      checkpoints: [checkpoint],
      nextBefore: null,
    });
    // The private key is not in the database, only the public one.
    const stored = await su.query<{ public_key: string }>('select public_key from audit_checkpoints');
    expect(stored.every((r) => r.public_key.startsWith('-----BEGIN PUBLIC KEY-----'))).toBe(true);
  });

  it('refuses non-admins and bad queries, and never shows another org its checkpoints', async () => {
    expect((await as(agentKey, { method: 'GET', url: '/v1/audit/checkpoints' })).statusCode).toBe(403);
    expect((await as(agentKey, { method: 'POST', url: '/v1/audit/checkpoints' })).statusCode).toBe(403);
    const bad = await as(org.apiKey, { method: 'GET', url: '/v1/audit/checkpoints?limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const other = await t.createOrg('Other');
    const theirs = await as(other.apiKey, { method: 'GET', url: '/v1/audit/checkpoints' });
    expect(theirs.json().checkpoints).toEqual([]);
  });

  it('the hourly job signs only chains that moved', async () => {
    await addAgent('three');
    const signed = await signChangedCheckpoints(t);
    // This org moved; the platform org and "Other" had no checkpoint yet, so they get one too.
    expect(signed).toBeGreaterThanOrEqual(1);
    expect(await signChangedCheckpoints(t)).toBe(0);
    const list = (await as(org.apiKey, { method: 'GET', url: '/v1/audit/checkpoints' })).json();
    expect(list.checkpoints).toHaveLength(2);
    expect(list.checkpoints[0].seq).toBeGreaterThan(list.checkpoints[1].seq);
    // Paging back from the newest.
    const page = await as(org.apiKey, {
      method: 'GET',
      url: `/v1/audit/checkpoints?limit=1&before=${list.checkpoints[0].seq}`,
    });
    expect(page.json().checkpoints).toEqual([list.checkpoints[1]]);
  });

  it('a saved checkpoint file proves the log extends it; a history rewritten with every key does not', async () => {
    const saved = (await as(org.apiKey, { method: 'GET', url: '/v1/audit/checkpoints' })).body;
    const checkpoints = parseCheckpointFile(saved);
    const intact = await verifyAgainstCheckpoints(t.database, t.keyring, checkpoints);
    expect(intact).toMatchObject({ checkpoints: 2, orgs: 1, problems: [], chainProblems: [] });

    // A checkpoint file someone edited does not verify.
    const edited = checkpoints.map((c, i) => (i === 0 ? { ...c, headHash: '0'.repeat(64) } : c));
    const forged = await verifyAgainstCheckpoints(t.database, t.keyring, edited);
    expect(forged.problems).toEqual([
      expect.objectContaining({
        seq: edited[0]!.seq,
        reason: expect.stringMatching(/signature does not match/),
      }),
    ]);

    // The insider rewrites entry #2 and recomputes every MAC with the master key…
    await rewriteHistoryWithKeys(su, t.keyring, org.orgId, 2, 'someone-else');
    // …so the chain alone checks out…
    const chain = await withTenant(t.database, [org.orgId], (tx) => verifyChain(tx, t.keyring, org.orgId));
    expect(chain.problem).toBeNull();
    // …but not against the checkpoints the business kept.
    const rewritten = await verifyAgainstCheckpoints(t.database, t.keyring, checkpoints);
    expect(rewritten.chainProblems).toEqual([]);
    expect(rewritten.problems.map((p) => p.seq).sort()).toEqual(checkpoints.map((c) => c.seq).sort());
    expect(rewritten.problems[0]!.reason).toMatch(/rewritten/);
  });

  it('rejects a file that is not a checkpoints file', () => {
    expect(() => parseCheckpointFile('not json')).toThrow(/not JSON/);
    expect(() => parseCheckpointFile('{"entries":[]}')).toThrow(/GET \/v1\/audit\/checkpoints/);
  });
});
