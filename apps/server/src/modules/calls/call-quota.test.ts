import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { multipart } from '../knowledge/testing/file-upload-kit.js';
import { createProvider } from '../model-providers/service.js';
import { type FakeSpeechProvider, startFakeSpeechProvider } from '../models/testing/fake-speech-provider.js';
import { PROCESS_CALL } from './jobs/process-call-job.js';
import { CALL_PAUSED } from './pipeline/process-call.js';

/**
 * Call analysis obeys the org's monthly limits (usage/model-quota.ts): past 100% of the cost
 * limit an uploaded call is not sent to the transcription provider (a local server speaking
 * OpenAI's protocol); it stays `queued` with the "Paused: …" error the console shows, and a job
 * waits to look again. Raising the limit resumes it at once, and it is processed as before.
 */
const fixture = (name: string) =>
  readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'fixtures', name));

describe.each(testDatabaseKinds)('call analysis and the monthly usage limit on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let speech: FakeSpeechProvider;
  let wav: Buffer;
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const upload = async () => {
    const body = multipart([{ name: 'file', filename: 'hello.wav', data: wav }]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calls',
      headers: { authorization: `Bearer ${org.apiKey}`, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    return res.json().id as string;
  };
  /** Polls (never timed) until the call reaches a state `done` accepts. */
  const until = async (id: string, done: (call: { status: string; error: string | null }) => boolean) => {
    for (let i = 0; i < 1200; i++) {
      const call = (await api('GET', `/v1/calls/${id}`)).json();
      if (done(call)) return call;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`call ${id} never got there`);
  };
  const settled = (id: string) => until(id, (c) => c.status === 'ready' || c.status === 'failed');

  beforeAll(async () => {
    wav = await fixture('hello.wav');
    speech = await startFakeSpeechProvider();
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await t.createOrg('Calls quota org');
    const providerId = await withTenant(
      t.database,
      [org.orgId],
      async (tx) =>
        (
          await createProvider(
            tx,
            t.keyring,
            org.orgId,
            { type: 'system', id: null },
            {
              kind: 'openai-compatible',
              name: 'Local Whisper',
              baseUrl: speech.baseUrl,
              models: [{ id: 'whisper-1', type: 'transcription' }],
              maxRetries: 0,
            },
          )
        ).id,
    );
    const put = await api('PUT', '/v1/calls/settings', {
      transcription: { providerId, model: 'whisper-1' },
      scoring: null,
      defaultRubricId: null,
      maxBytes: 10 * 1024 * 1024,
      maxDurationSeconds: 600,
    });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await speech?.close();
  });

  it('under the limit a call is transcribed; past it the call is paused, unsent, and resumes when the limit is raised', async () => {
    // Under the limit: as before, and the month now has a cost (the transcription's seconds).
    const first = await settled(await upload());
    expect(first.status, first.error).toBe('ready');
    expect(speech.requests).toHaveLength(1);
    const used = (await api('GET', '/v1/usage/limits')).json().month.used.costUsd as number;
    expect(used).toBeGreaterThan(0);
    const limited = await api('PUT', '/v1/usage/limits', { monthlyCostUsd: used / 2 });
    expect(limited.statusCode, limited.body).toBe(200);

    // Past the limit: paused (queued, with words for it), and the provider heard nothing.
    const id = await upload();
    const paused = await until(id, (c) => c.error === CALL_PAUSED);
    expect(paused).toMatchObject({ status: 'queued', progress: 0, segments: [] });
    expect(paused.error).toMatch(/^Paused: the organization's monthly usage limit is reached/);
    const listed = (await api('GET', '/v1/calls')).json();
    expect(listed.calls.find((c: { id: string }) => c.id === id)).toMatchObject({
      status: 'queued',
      error: CALL_PAUSED,
    });
    expect(speech.requests).toHaveLength(1);
    // A job waits to look again later (the pause used none of the job's retries).
    let jobs = await t.jobs.findJobs(PROCESS_CALL, { orgId: org.orgId, callId: id });
    for (let i = 0; i < 600 && !jobs.some((j) => j.state === 'created'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      jobs = await t.jobs.findJobs(PROCESS_CALL, { orgId: org.orgId, callId: id });
    }
    expect(jobs.filter((j) => j.state === 'created')).toHaveLength(1);
    expect(jobs.filter((j) => j.state === 'failed' || j.state === 'retry')).toEqual([]);

    // Raising the limit resumes it at once: transcribed as any other call.
    const raised = await api('PUT', '/v1/usage/limits', { monthlyCostUsd: used * 100 });
    expect(raised.statusCode, raised.body).toBe(200);
    const resumed = await settled(id);
    expect(resumed.status, resumed.error).toBe('ready');
    expect(resumed.error).toBeNull();
    expect(resumed.segments.length).toBeGreaterThan(0);
    expect(speech.requests).toHaveLength(2);
    // The delayed re-check was replaced, not left to run again.
    const after = await t.jobs.findJobs(PROCESS_CALL, { orgId: org.orgId, callId: id });
    expect(after.filter((j) => j.state === 'created' || j.state === 'retry')).toEqual([]);
  });
});
