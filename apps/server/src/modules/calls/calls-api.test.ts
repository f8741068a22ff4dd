import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, callRecordings, calls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { multipart, type Part } from '../knowledge/testing/file-upload-kit.js';

/**
 * The call upload and read API over real HTTP (inject) on a real database: every accepted format
 * is sniffed from its bytes and stored encrypted (the file on disk holds no audio magic bytes),
 * served back decrypted with Range support; bad input is refused with nothing stored; rubrics and
 * settings; roles; another org sees nothing.
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'fixtures');
const fixture = (name: string) => readFile(path.join(fixtures, name));

/** Magic bytes of the accepted containers: none may appear at the start of a stored file. */
const MAGIC = [
  Buffer.from('RIFF'),
  Buffer.from('ID3'),
  Buffer.from([0xff, 0xf3]),
  Buffer.from([0xff, 0xfb]),
  Buffer.from('OggS'),
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(testDatabaseKinds)('call upload API on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  let viewerKey: string;
  let agentKey: string;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const upload = (key: string, fileName: string, data: Uint8Array, fields: Part[] = []) => {
    const body = multipart([...fields, { name: 'file', filename: fileName, data }]);
    return t.app.inject({
      method: 'POST',
      url: '/v1/calls',
      headers: { ...auth(key), ...body.headers },
      payload: body.payload,
    });
  };
  const api = (
    key: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, headers: auth(key), ...(payload ? { payload } : {}) });
  const blobDir = (orgId: string) => path.join(t.config.dataDir, 'blobs', orgId);
  const callCount = async (orgId: string) =>
    withTenant(t.database, [orgId], async (tx) => {
      const [c] = await tx.select({ n: count() }).from(calls).where(eq(calls.orgId, orgId));
      return c!.n;
    });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await t.createOrg('Org A');
    b = await t.createOrg('Org B');
    const viewer = await api(a.apiKey, 'POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    viewerKey = viewer.json().key;
    const agent = await api(a.apiKey, 'POST', '/v1/api-keys', { name: 'agent', role: 'agent' });
    agentKey = agent.json().key;
  });
  afterAll(() => t?.close());

  const formats = [
    { file: 'hello.mp3', mediaType: 'audio/mpeg' },
    { file: 'hello.wav', mediaType: 'audio/wav' },
    { file: 'hello.m4a', mediaType: 'audio/mp4' },
    { file: 'hello.ogg', mediaType: 'audio/ogg' },
    { file: 'hello.webm', mediaType: 'audio/webm' },
  ];

  it.each(formats)(
    'accepts $file sniffed as $mediaType, stores it encrypted and serves it back',
    async (f) => {
      const bytes = await fixture(f.file);
      // A misleading name: the type comes from the bytes.
      const res = await upload(agentKey, 'recording.bin', bytes, [{ name: 'repName', data: 'Dana' }]);
      expect(res.statusCode, res.body).toBe(202);
      const call = res.json();
      expect(call).toMatchObject({
        status: 'queued',
        mediaType: f.mediaType,
        byteSize: bytes.length,
        repName: 'Dana',
        title: 'recording',
      });
      expect(call.durationSeconds).toBeGreaterThan(0.9);
      expect(call.durationSeconds).toBeLessThan(1.6);

      // The stored file is ciphertext: not the upload, no container magic, at the recorded key.
      const recording = await withTenant(t.database, [a.orgId], async (tx) => {
        const [r] = await tx
          .select()
          .from(callRecordings)
          .where(and(eq(callRecordings.orgId, a.orgId), eq(callRecordings.callId, call.id)));
        return r!;
      });
      expect(recording.wrappedKey.startsWith('ev1.')).toBe(true);
      const stored = await readFile(
        path.join(blobDir(a.orgId), recording.blobKey.slice(0, 2), recording.blobKey),
      );
      expect(stored.length).toBe(bytes.length + 28);
      for (const magic of MAGIC) expect(stored.subarray(0, magic.length).equals(magic)).toBe(false);
      expect(stored.includes(bytes.subarray(0, 64))).toBe(false);

      const audio = await api(agentKey, 'GET', `/v1/calls/${call.id}/audio`);
      expect(audio.statusCode).toBe(200);
      expect(audio.headers['content-type']).toBe(f.mediaType);
      expect(audio.headers['accept-ranges']).toBe('bytes');
      expect(Buffer.compare(audio.rawPayload, bytes)).toBe(0);

      const ranged = await t.app.inject({
        method: 'GET',
        url: `/v1/calls/${call.id}/audio`,
        headers: { ...auth(agentKey), range: 'bytes=100-199' },
      });
      expect(ranged.statusCode).toBe(206);
      expect(ranged.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
      expect(Buffer.compare(ranged.rawPayload, bytes.subarray(100, 200))).toBe(0);
      const suffix = await t.app.inject({
        method: 'GET',
        url: `/v1/calls/${call.id}/audio`,
        headers: { ...auth(agentKey), range: 'bytes=-10' },
      });
      expect(Buffer.compare(suffix.rawPayload, bytes.subarray(bytes.length - 10))).toBe(0);
      const past = await t.app.inject({
        method: 'GET',
        url: `/v1/calls/${call.id}/audio`,
        headers: { ...auth(agentKey), range: `bytes=${bytes.length}-` },
      });
      expect(past.statusCode).toBe(416);
    },
  );

  it('refuses what is not a supported recording, too large or too long, with nothing stored', async () => {
    const before = await callCount(a.orgId);
    const filesBefore = (await filesUnder(blobDir(a.orgId))).length;

    // Text named .mp3 and declared audio: the bytes decide.
    const text = await upload(
      agentKey,
      'call.mp3',
      Buffer.from('just some text, not audio at all\n'.repeat(20)),
    );
    expect(text.statusCode, text.body).toBe(415);
    expect(text.headers['content-type']).toContain('application/problem+json');
    expect(text.json().detail).toMatch(/mp3, wav, m4a/);
    // A PNG is a real file of another type.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    expect((await upload(agentKey, 'call.wav', png)).statusCode).toBe(415);
    expect((await upload(agentKey, 'empty.wav', new Uint8Array())).statusCode).toBe(400);

    const wav = await fixture('hello.wav');
    // A WAV cut short keeps its header but not its samples: its duration cannot be trusted… it
    // is still read from the header; damaged beyond that is a 400.
    const broken = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(8)]);
    const brokenRes = await upload(agentKey, 'broken.wav', broken);
    expect([400, 415]).toContain(brokenRes.statusCode);

    const settings = (await api(a.apiKey, 'GET', '/v1/calls/settings')).json();
    const limited = await api(a.apiKey, 'PUT', '/v1/calls/settings', { ...settings, maxBytes: 4096 });
    expect(limited.statusCode, limited.body).toBe(200);
    const big = await upload(agentKey, 'big.wav', wav);
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/limit is 4096 bytes/);

    await api(a.apiKey, 'PUT', '/v1/calls/settings', { ...settings, maxDurationSeconds: 1 });
    const long = await upload(agentKey, 'long.wav', wav);
    expect(long.statusCode).toBe(413);
    expect(long.json().detail).toMatch(/limit is 1 seconds/);
    await api(a.apiKey, 'PUT', '/v1/calls/settings', settings);

    const unknownRubric = await upload(agentKey, 'x.wav', wav, [
      { name: 'rubricId', data: '00000000-0000-4000-8000-000000000000' },
    ]);
    expect(unknownRubric.statusCode).toBe(400);
    expect(unknownRubric.json().issues[0].path).toBe('body.rubricId');
    const badField = await upload(agentKey, 'x.wav', wav, [{ name: 'secret', data: 'x' }]);
    expect(badField.statusCode).toBe(400);
    const badEmail = await upload(agentKey, 'x.wav', wav, [{ name: 'customerEmail', data: 'not-an-email' }]);
    expect(badEmail.statusCode).toBe(400);

    const viewer = await upload(viewerKey, 'x.wav', wav);
    expect(viewer.statusCode).toBe(403);

    expect(await callCount(a.orgId)).toBe(before);
    expect((await filesUnder(blobDir(a.orgId))).length).toBe(filesBefore);
  });

  it('rubrics: create, read, change, delete; admins only write; unknown ids are 404', async () => {
    const created = await api(a.apiKey, 'POST', '/v1/rubrics', {
      name: 'Discovery',
      criteria: [
        { name: 'Asks about needs', description: 'Open questions about the customer’s situation', weight: 2 },
        { id: 'next-step', name: 'Agrees a next step', description: 'A concrete follow-up is agreed' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const rubric = created.json();
    expect(rubric.scale).toEqual({ min: 1, max: 5 });
    expect(rubric.criteria[1]).toMatchObject({ id: 'next-step', weight: 1 });
    expect(rubric.criteria[0].id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await api(agentKey, 'GET', `/v1/rubrics/${rubric.id}`)).json().name).toBe('Discovery');
    expect(
      (await api(agentKey, 'POST', '/v1/rubrics', { name: 'x', criteria: [{ name: 'a', description: 'b' }] }))
        .statusCode,
    ).toBe(403);
    expect(
      (await api(a.apiKey, 'POST', '/v1/rubrics', { name: 'x', criteria: [], scale: { min: 1, max: 5 } }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await api(a.apiKey, 'POST', '/v1/rubrics', {
          name: 'x',
          criteria: [{ name: 'a', description: 'b' }],
          scale: { min: 5, max: 5 },
        })
      ).statusCode,
    ).toBe(400);

    const patched = await api(a.apiKey, 'PATCH', `/v1/rubrics/${rubric.id}`, { name: 'Discovery v2' });
    expect(patched.json()).toMatchObject({ name: 'Discovery v2', criteria: rubric.criteria });

    // An upload naming the rubric is accepted; settings can make it the default.
    const wav = await fixture('hello.wav');
    const withRubric = await upload(agentKey, 'x.wav', wav, [{ name: 'rubricId', data: rubric.id }]);
    expect(withRubric.statusCode).toBe(202);
    expect(withRubric.json().rubricId).toBe(rubric.id);
    const settings = (await api(a.apiKey, 'GET', '/v1/calls/settings')).json();
    expect(settings).toMatchObject({ transcription: null, scoring: null, defaultRubricId: null });
    const put = await api(a.apiKey, 'PUT', '/v1/calls/settings', { ...settings, defaultRubricId: rubric.id });
    expect(put.json().defaultRubricId).toBe(rubric.id);
    expect((await api(agentKey, 'PUT', '/v1/calls/settings', settings)).statusCode).toBe(403);
    const notOurs = await api(a.apiKey, 'PUT', '/v1/calls/settings', {
      ...settings,
      transcription: { providerId: '00000000-0000-4000-8000-000000000000', model: 'whisper-1' },
    });
    expect(notOurs.statusCode).toBe(400);

    // Org B sees none of it.
    expect((await api(b.apiKey, 'GET', `/v1/rubrics/${rubric.id}`)).statusCode).toBe(404);
    expect((await api(b.apiKey, 'GET', '/v1/rubrics')).json().rubrics).toEqual([]);
    expect((await api(b.apiKey, 'PATCH', `/v1/rubrics/${rubric.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await api(b.apiKey, 'DELETE', `/v1/rubrics/${rubric.id}`)).statusCode).toBe(404);
    expect(
      (await api(b.apiKey, 'PUT', '/v1/calls/settings', { ...settings, defaultRubricId: rubric.id }))
        .statusCode,
    ).toBe(400);

    expect((await api(a.apiKey, 'DELETE', `/v1/rubrics/${rubric.id}`)).statusCode).toBe(204);
    expect((await api(a.apiKey, 'GET', '/v1/calls/settings')).json().defaultRubricId).toBeNull();
    expect((await api(a.apiKey, 'GET', `/v1/rubrics/${rubric.id}`)).statusCode).toBe(404);
  });

  it('lists with filters; another org sees no call; delete removes rows and the audio file', async () => {
    const wav = await fixture('hello.wav');
    const first = (await upload(agentKey, 'first.wav', wav, [{ name: 'repName', data: 'Sam' }])).json();
    const second = (
      await upload(agentKey, 'second.wav', wav, [
        { name: 'title', data: 'Renewal with Acme' },
        { name: 'customerEmail', data: 'buyer@example.com' },
      ])
    ).json();

    const all = (await api(agentKey, 'GET', '/v1/calls?limit=2')).json();
    expect(all.calls.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    expect(all.nextCursor).not.toBeNull();
    const next = (await api(agentKey, 'GET', `/v1/calls?limit=2&cursor=${all.nextCursor}`)).json();
    expect(next.calls.map((c: { id: string }) => c.id)).not.toContain(first.id);
    expect(
      (await api(agentKey, 'GET', '/v1/calls?repName=Sam')).json().calls.map((c: { id: string }) => c.id),
    ).toEqual([first.id]);
    expect(
      (await api(agentKey, 'GET', '/v1/calls?q=acme')).json().calls.map((c: { id: string }) => c.id),
    ).toEqual([second.id]);
    expect((await api(agentKey, 'GET', '/v1/calls?cursor=nope')).statusCode).toBe(400);
    expect((await api(viewerKey, 'GET', '/v1/calls')).statusCode).toBe(403);

    const detail = (await api(agentKey, 'GET', `/v1/calls/${second.id}`)).json();
    expect(detail).toMatchObject({
      id: second.id,
      title: 'Renewal with Acme',
      segments: [],
      scores: [],
      diarized: false,
    });
    expect(JSON.stringify(detail)).not.toContain('buyer@example.com');

    const patched = await api(agentKey, 'PATCH', `/v1/calls/${second.id}`, {
      repName: 'Kim',
      title: 'Renewal',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ repName: 'Kim', title: 'Renewal' });

    // Org B: none of the call routes reach org A's call.
    expect((await api(b.apiKey, 'GET', '/v1/calls')).json().calls).toEqual([]);
    for (const [method, url, body] of [
      ['GET', `/v1/calls/${first.id}`],
      ['GET', `/v1/calls/${first.id}/audio`],
      ['PATCH', `/v1/calls/${first.id}`, { title: 'x' }],
      ['POST', `/v1/calls/${first.id}/reprocess`, {}],
      ['DELETE', `/v1/calls/${first.id}`],
    ] as const) {
      const res = await api(b.apiKey, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }

    expect((await api(agentKey, 'DELETE', `/v1/calls/${first.id}`)).statusCode).toBe(403);
    const filesBefore = (await filesUnder(blobDir(a.orgId))).length;
    expect((await api(a.apiKey, 'DELETE', `/v1/calls/${first.id}`)).statusCode).toBe(204);
    expect((await filesUnder(blobDir(a.orgId))).length).toBe(filesBefore - 1);
    expect((await api(a.apiKey, 'GET', `/v1/calls/${first.id}`)).statusCode).toBe(404);
    const recordings = await withTenant(t.database, [a.orgId], (tx) =>
      tx.select().from(callRecordings).where(eq(callRecordings.callId, first.id)),
    );
    expect(recordings).toEqual([]);

    // Audit: ids and counts only.
    const entries = await withTenant(t.database, [a.orgId], (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.orgId, a.orgId)),
    );
    const callEntries = entries.filter((e) => e.action.startsWith('calls.'));
    expect(callEntries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['calls.uploaded', 'calls.updated', 'calls.deleted', 'calls.rubric_created']),
    );
    expect(JSON.stringify(callEntries)).not.toMatch(/Renewal|Kim|buyer@example\.com|Sam/);
  });
});
