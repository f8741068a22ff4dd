import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelCalls } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { type FakeSpeechProvider, startFakeSpeechProvider } from '../testing/fake-speech-provider.js';
import {
  type ResolvedSpeechModel,
  resolveSpeechModel,
  SpeechProviderError,
  synthesizeSpeech,
  transcribeAudio,
} from './index.js';
import { parseWav, toneWav } from './wav.js';

/**
 * Speech through the org's providers, each kind over its real protocol against a local server
 * (testing/fake-speech-provider.ts): what the provider receives (path, key header, model,
 * multipart fields, the audio), transcripts with timings from the audio and speakers relabelled,
 * speech streamed chunk by chunk, metering with audio seconds / characters and cost, and the
 * refusals: a model the org did not configure, another org's provider, a private address.
 */
describe.each(testDatabaseKinds)('speech providers on %s', (kind) => {
  let t: TestApp;
  let fake: FakeSpeechProvider;
  let org: { orgId: string; apiKey: string };
  let other: { orgId: string; apiKey: string };
  let deps: {
    database: TestApp['database'];
    keyring: TestApp['keyring'];
    net: { allowPrivateNetworks: boolean };
  };
  const providers: Record<string, string> = {};

  // Someone talks 0.3–1.2 s, silence, someone else 2.0–3.1 s, in a 3.5 s recording.
  const call = toneWav({
    durationSeconds: 3.5,
    regions: [
      { start: 0.3, end: 1.2 },
      { start: 2.0, end: 3.1 },
    ],
  });
  const script = {
    turns: [
      { speaker: 'agent', text: 'Thank you for calling, how can I help?' },
      { speaker: 'customer', text: 'My order never arrived.' },
    ],
    language: 'en',
  };

  const addProvider = async (owner: { apiKey: string }, body: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/model-providers',
      headers: { authorization: `Bearer ${owner.apiKey}` },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const resolve = (name: string, model: string, type: 'transcription' | 'speech', orgId = org.orgId) =>
    resolveSpeechModel(deps, orgId, { providerId: providers[name]!, model }, type);
  const meteredRows = () =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(modelCalls).where(eq(modelCalls.orgId, org.orgId)),
    );
  const rowsOf = async (providerId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.providerId, providerId))),
    );
  const readAll = async (stream: ReadableStream<Uint8Array>) => {
    const parts: Uint8Array[] = [];
    const reader = stream.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
    return Buffer.concat(parts);
  };

  beforeAll(async () => {
    fake = await startFakeSpeechProvider({ script, apiKey: 'sk-speech' });
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    deps = { database: t.database, keyring: t.keyring, net: { allowPrivateNetworks: true } };
    org = await t.createOrg('Speech');
    other = await t.createOrg('Other');
    providers.openai = await addProvider(org, {
      kind: 'openai',
      name: 'OpenAI',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-speech',
      models: [
        { id: 'whisper-1', type: 'transcription' },
        { id: 'gpt-4o-transcribe-diarize', type: 'transcription' },
        { id: 'tts-1', type: 'speech' },
        { id: 'gpt-4o-mini', type: 'chat' },
      ],
    });
    providers.local = await addProvider(org, {
      kind: 'openai-compatible',
      name: 'Local whisper',
      baseUrl: fake.baseUrl,
      models: [
        { id: 'local-whisper', type: 'transcription' },
        { id: 'local-tts', type: 'speech' },
      ],
    });
    providers.deepgram = await addProvider(org, {
      kind: 'deepgram',
      name: 'Deepgram',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-speech',
      models: [{ id: 'nova-3', type: 'transcription' }],
    });
    providers.elevenlabs = await addProvider(org, {
      kind: 'elevenlabs',
      name: 'ElevenLabs',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-speech',
      timeoutMs: 1000,
      maxRetries: 0,
      models: [
        { id: 'scribe_v1', type: 'transcription' },
        { id: 'eleven_flash_v2_5', type: 'speech' },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.queue.length = 0;
    fake.script = script;
  });

  it('OpenAI: uploads the audio as multipart, reads verbose_json segments timed by the audio, meters seconds and cost', async () => {
    const model = await resolve('openai', 'whisper-1', 'transcription');
    const transcript = await transcribeAudio(deps, {
      orgId: org.orgId,
      model,
      audio: call,
      mediaType: 'audio/wav',
      language: 'en',
      purpose: 'call',
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/audio/transcriptions',
      fields: { model: 'whisper-1', response_format: 'verbose_json', language: 'en' },
      file: { name: 'audio.wav', declaredType: 'audio/wav', detectedType: 'wav', bytes: call.length },
    });
    expect(request!.headers.authorization).toBe('Bearer sk-speech');
    expect(transcript.text).toBe('Thank you for calling, how can I help? My order never arrived.');
    expect(transcript.diarized).toBe(false);
    // verbose_json says "english": callers get the ISO code.
    expect(transcript.language).toBe('en');
    expect(transcript.durationSeconds).toBeCloseTo(3.5, 2);
    expect(transcript.segments).toHaveLength(2);
    expect(transcript.segments[0]).toMatchObject({ text: 'Thank you for calling, how can I help?' });
    expect(transcript.segments[0]!.start).toBeCloseTo(0.3, 1);
    expect(transcript.segments[0]!.end).toBeCloseTo(1.2, 1);
    expect(transcript.segments[1]!.start).toBeCloseTo(2.0, 1);
    expect(transcript.segments[1]!.end).toBeCloseTo(3.1, 1);
    expect(transcript.segments.every((s) => s.speaker === undefined)).toBe(true);

    const [row] = await rowsOf(providers.openai!);
    expect(row).toMatchObject({
      purpose: 'call',
      model: 'whisper-1',
      providerKind: 'openai',
      outcome: 'ok',
      inputTokens: 0,
      outputTokens: 0,
      characters: null,
    });
    expect(row!.audioSeconds).toBeCloseTo(3.5, 2);
    // whisper-1: USD 0.006 a minute.
    expect(row!.costUsd).toBeCloseTo((3.5 / 60) * 0.006, 6);
  });

  it('OpenAI diarize models: diarized_json, speakers relabelled A, B in order of appearance', async () => {
    fake.script = {
      turns: [
        { speaker: 'Jordan', text: 'Hello.' },
        { speaker: 'Sam', text: 'Hi, I need help.' },
      ],
    };
    const transcript = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('openai', 'gpt-4o-transcribe-diarize', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'voice',
    });
    expect(fake.requests[0]!.fields).toMatchObject({
      response_format: 'diarized_json',
      chunking_strategy: 'auto',
    });
    expect(transcript.diarized).toBe(true);
    expect(transcript.segments.map((s) => [s.speaker, s.text])).toEqual([
      ['A', 'Hello.'],
      ['B', 'Hi, I need help.'],
    ]);
  });

  it('OpenAI-compatible without a key: no Authorization header; an unpriced model costs "unknown", never 0', async () => {
    fake.apiKey = undefined;
    try {
      const transcript = await transcribeAudio(deps, {
        orgId: org.orgId,
        model: await resolve('local', 'local-whisper', 'transcription'),
        audio: call,
        mediaType: 'audio/wav',
        purpose: 'voice',
        conversationId: null,
      });
      expect(transcript.segments).toHaveLength(2);
      expect(fake.requests[0]!.headers.authorization).toBeUndefined();
      const [row] = await rowsOf(providers.local!);
      expect(row).toMatchObject({ outcome: 'ok', providerKind: 'openai-compatible', costUsd: null });
      expect(row!.audioSeconds).toBeCloseTo(3.5, 2);
    } finally {
      fake.apiKey = 'sk-speech';
    }
  });

  it('Deepgram: raw audio to /listen with utterances and diarize, Token auth; speakers 0, 1 → A, B', async () => {
    const transcript = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('deepgram', 'nova-3', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'call',
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      path: '/v1/listen',
      query: { model: 'nova-3', utterances: 'true', diarize: 'true', detect_language: 'true' },
      file: { declaredType: 'audio/wav', detectedType: 'wav', bytes: call.length },
    });
    expect(request!.headers.authorization).toBe('Token sk-speech');
    expect(transcript).toMatchObject({ language: 'en', diarized: true });
    expect(transcript.segments.map((s) => s.speaker)).toEqual(['A', 'B']);
    expect(transcript.segments[1]!.start).toBeCloseTo(2.0, 1);
    const [row] = await rowsOf(providers.deepgram!);
    expect(row).toMatchObject({ providerKind: 'deepgram', model: 'nova-3', outcome: 'ok' });
    expect(row!.costUsd).toBeCloseTo((3.5 / 60) * 0.0043, 6);
  });

  it('ElevenLabs speech-to-text: multipart with diarize, xi-api-key; words grouped into speaker segments', async () => {
    const transcript = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('elevenlabs', 'scribe_v1', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'call',
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      path: '/v1/speech-to-text',
      fields: { model_id: 'scribe_v1', diarize: 'true' },
      file: { declaredType: 'audio/wav', detectedType: 'wav' },
    });
    expect(request!.headers['xi-api-key']).toBe('sk-speech');
    expect(transcript.language).toBe('en');
    expect(transcript.diarized).toBe(true);
    expect(transcript.segments.map((s) => [s.speaker, s.text])).toEqual([
      ['A', 'Thank you for calling, how can I help?'],
      ['B', 'My order never arrived.'],
    ]);
    // No duration in ElevenLabs' answer: the WAV header's.
    expect(transcript.durationSeconds).toBeCloseTo(3.5, 2);
  });

  it('audio that is not what its media type says: refused by the provider, a typed error without its text', async () => {
    const error = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('openai', 'whisper-1', 'transcription'),
      audio: call,
      mediaType: 'audio/mpeg',
      purpose: 'voice',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechProviderError);
    expect(error).toMatchObject({ reason: 'refused', providerStatus: 400, status: 503 });
    expect(JSON.stringify(error)).not.toContain('declared type');
    expect((error as Error).message).not.toContain('declared type');
  });

  it('retries a 503 once (the provider’s maxRetries), metering both attempts', async () => {
    // Rows come back in no particular order (no ORDER BY): the new ones are those not seen before.
    const before = new Set((await rowsOf(providers.openai!)).map((r) => r.id));
    fake.queue.push({ status: 503 });
    const transcript = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('openai', 'whisper-1', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'voice',
    });
    expect(transcript.segments).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
    const rows = (await rowsOf(providers.openai!)).filter((r) => !before.has(r.id));
    expect(rows.map((r) => r.outcome).sort()).toEqual(['error', 'ok']);
    expect(rows.find((r) => r.outcome === 'error')).toMatchObject({ audioSeconds: 0, costUsd: 0 });
  });

  it('a provider that never answers: a timeout error after its timeoutMs, metered as timeout', async () => {
    fake.queue.push({ hang: true });
    const error = await transcribeAudio(deps, {
      orgId: org.orgId,
      model: await resolve('elevenlabs', 'scribe_v1', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'voice',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout' });
    const rows = await rowsOf(providers.elevenlabs!);
    expect(rows.some((r) => r.outcome === 'timeout')).toBe(true);
  });

  it('OpenAI speech streams: the first chunk reaches the caller before the provider has sent the rest', async () => {
    let release!: () => void;
    fake.holdAfterFirstChunk = new Promise<void>((r) => {
      release = r;
    });
    fake.latency.chunkBytes = 1024;
    const finishedBefore = fake.speechResponsesFinished;
    try {
      const text = 'Your order ships tomorrow.';
      const speech = await synthesizeSpeech(deps, {
        orgId: org.orgId,
        model: await resolve('openai', 'tts-1', 'speech'),
        text,
        voice: 'nova',
        format: 'wav',
        purpose: 'voice',
      });
      expect(speech.mediaType).toBe('audio/wav');
      expect(fake.requests[0]).toMatchObject({
        path: '/v1/audio/speech',
        json: { model: 'tts-1', input: text, voice: 'nova', response_format: 'wav' },
      });
      expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-speech');
      const reader = speech.stream.getReader();
      const first = await reader.read();
      expect(first.value?.length).toBe(1024);
      // The fake is still holding the rest of the audio.
      expect(fake.speechResponsesFinished).toBe(finishedBefore);
      release();
      const rest: Uint8Array[] = [first.value!];
      for (let part = await reader.read(); !part.done; part = await reader.read()) rest.push(part.value);
      expect(fake.speechResponsesFinished).toBe(finishedBefore + 1);
      const audio = Buffer.concat(rest);
      const wav = parseWav(audio);
      expect(wav).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16 });
      expect(wav!.durationSeconds).toBeCloseTo(text.length * 0.06, 2);

      const rows = (await rowsOf(providers.openai!)).filter((r) => r.model === 'tts-1');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'ok',
        characters: text.length,
        audioSeconds: null,
        purpose: 'voice',
      });
      // tts-1: USD 15 per million characters.
      expect(rows[0]!.costUsd).toBeCloseTo((text.length * 15) / 1_000_000, 6);
    } finally {
      fake.holdAfterFirstChunk = undefined;
      fake.latency.chunkBytes = 4096;
    }
  });

  it('a speech stream cancelled by the caller is metered as aborted', async () => {
    fake.latency.chunkBytes = 256;
    fake.apiKey = undefined;
    try {
      const speech = await synthesizeSpeech(deps, {
        orgId: org.orgId,
        model: await resolve('local', 'local-tts', 'speech'),
        text: 'A long reply the visitor interrupts.',
        format: 'pcm',
        purpose: 'voice',
      });
      const reader = speech.stream.getReader();
      await reader.read();
      await reader.cancel();
      const rows = await rowsOf(providers.local!);
      expect(rows.find((r) => r.model === 'local-tts')).toMatchObject({ outcome: 'aborted', costUsd: null });
    } finally {
      fake.latency.chunkBytes = 4096;
      fake.apiKey = 'sk-speech';
    }
  });

  it('ElevenLabs text-to-speech: streams from /text-to-speech/{voice}/stream; WAV is PCM with a header added', async () => {
    const speech = await synthesizeSpeech(deps, {
      orgId: org.orgId,
      model: await resolve('elevenlabs', 'eleven_flash_v2_5', 'speech'),
      text: 'Hello there',
      voice: 'voice-123',
      format: 'wav',
      purpose: 'voice',
    });
    const audio = await readAll(speech.stream);
    expect(fake.requests[0]).toMatchObject({
      path: '/v1/text-to-speech/voice-123/stream',
      query: { output_format: 'pcm_24000' },
      json: { text: 'Hello there', model_id: 'eleven_flash_v2_5' },
    });
    expect(fake.requests[0]!.headers['xi-api-key']).toBe('sk-speech');
    expect(parseWav(audio)).toMatchObject({ sampleRate: 24_000 });
    expect(parseWav(audio)!.durationSeconds).toBeCloseTo('Hello there'.length * 0.06, 2);
    const row = (await rowsOf(providers.elevenlabs!)).find((r) => r.model === 'eleven_flash_v2_5');
    expect(row).toMatchObject({ outcome: 'ok', characters: 11 });
    expect(row!.costUsd).toBeCloseTo((11 * 50) / 1_000_000, 6);
  });

  it('MP3 speech is real MP3 bytes', async () => {
    const speech = await synthesizeSpeech(deps, {
      orgId: org.orgId,
      model: await resolve('openai', 'tts-1', 'speech'),
      text: 'Hi',
      format: 'mp3',
      purpose: 'test',
    });
    expect(speech.mediaType).toBe('audio/mpeg');
    const audio = await readAll(speech.stream);
    expect(audio.subarray(0, 3).toString('latin1')).toBe('ID3');
  });

  it('refuses models the org did not configure, of another type, and other orgs’ providers', async () => {
    const refused = async (p: Promise<ResolvedSpeechModel>) => {
      const error = await p.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    };
    await refused(resolve('openai', 'whisper-2', 'transcription'));
    await refused(resolve('openai', 'gpt-4o-mini', 'transcription'));
    await refused(resolve('openai', 'whisper-1', 'speech'));
    await refused(resolve('deepgram', 'nova-3', 'speech'));
    await refused(resolveSpeechModel(deps, org.orgId, { providerId: 'not-a-uuid', model: 'x' }, 'speech'));
    // Another org asking for this org's provider by id: not found for it.
    await refused(resolve('openai', 'whisper-1', 'transcription', other.orgId));
    const ownBefore = (await meteredRows()).length;
    expect(ownBefore).toBeGreaterThan(0);
  });

  it('a private address is refused at call time unless the operator allows private networks', async () => {
    const strict = { ...deps, net: { allowPrivateNetworks: false } };
    const error = await transcribeAudio(strict, {
      orgId: org.orgId,
      model: await resolve('deepgram', 'nova-3', 'transcription'),
      audio: call,
      mediaType: 'audio/wav',
      purpose: 'voice',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'refused' });
    expect((error as SpeechProviderError).detail).toMatch(/not allowed/);
    const speechError = await synthesizeSpeech(strict, {
      orgId: org.orgId,
      model: await resolve('openai', 'tts-1', 'speech'),
      text: 'Hi',
      format: 'mp3',
      purpose: 'voice',
    }).catch((e: unknown) => e);
    expect(speechError).toMatchObject({ reason: 'refused' });
    expect(fake.requests).toHaveLength(0);
  });

  it('"test connection" works for speech-only providers: a bundled clip transcribed, one word spoken', async () => {
    const api = (method: 'POST', url: string, payload?: Record<string, unknown>) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${org.apiKey}` },
        ...(payload ? { payload } : {}),
      });
    const deepgram = await api('POST', `/v1/model-providers/${providers.deepgram}/test`);
    expect(deepgram.statusCode).toBe(200);
    expect(deepgram.json()).toMatchObject({ ok: true, model: 'nova-3', error: null });
    expect(fake.requests[0]).toMatchObject({ path: '/v1/listen', file: { detectedType: 'wav' } });

    const speaker = await addProvider(org, {
      kind: 'openai',
      name: 'Voice only',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-wrong',
      models: [{ id: 'tts-1', type: 'speech' }],
    });
    const refused = await api('POST', `/v1/model-providers/${speaker}/test`);
    expect(refused.json()).toMatchObject({
      ok: false,
      model: 'tts-1',
      error: 'The provider refused the API key (HTTP 401).',
    });
    const rows = await rowsOf(speaker);
    expect(rows).toMatchObject([{ purpose: 'test', outcome: 'error', characters: 0 }]);
  });

  it('refuses model types a kind does not offer when a provider is saved', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/model-providers',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: {
        kind: 'anthropic',
        name: 'No ears',
        models: [
          { id: 'claude-x', type: 'chat' },
          { id: 'w', type: 'transcription' },
        ],
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      { path: 'body.models.1.type', message: expect.stringMatching(/anthropic/) },
    ]);
    const deepgramChat = await t.app.inject({
      method: 'PATCH',
      url: `/v1/model-providers/${providers.deepgram}`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { models: [{ id: 'nova-3', type: 'chat' }] },
    });
    expect(deepgramChat.statusCode).toBe(400);
  });

  it('GET /v1/usage adds up audio seconds and characters, and their cost, from the metered rows', async () => {
    const rows = await meteredRows();
    const audio = rows.reduce((sum, r) => sum + (r.audioSeconds ?? 0), 0);
    const characters = rows.reduce((sum, r) => sum + (r.characters ?? 0), 0);
    const unpricedAudio = rows
      .filter((r) => r.costUsd === null)
      .reduce((sum, r) => sum + (r.audioSeconds ?? 0), 0);
    expect(audio).toBeGreaterThan(0);
    expect(characters).toBeGreaterThan(0);
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/usage?groupBy=provider',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { totals, series } = res.json();
    expect(totals.audioSeconds).toBeCloseTo(audio, 2);
    expect(totals.characters).toBe(characters);
    expect(totals.unpricedAudioSeconds).toBeCloseTo(unpricedAudio, 2);
    expect(totals.costUsd).toBeCloseTo(
      rows.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
      5,
    );
    const deepgram = series.find((g: { key: string }) => g.key === providers.deepgram);
    expect(deepgram.audioSeconds).toBeGreaterThan(0);
    expect(deepgram.characters).toBe(0);
  });

  it('the records of processing say speech providers receive audio as recorded', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy/subprocessors',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const subs = res.json().subprocessors as { id: string; name: string; purpose: string }[];
    const deepgram = subs.find((s) => s.id === `model_provider:${providers.deepgram}`)!;
    expect(deepgram.name).toBe('Deepgram — Deepgram');
    expect(deepgram.purpose).toMatch(/^Transcribes voice messages.*no redaction is possible on sound/);
    const openai = subs.find((s) => s.id === `model_provider:${providers.openai}`)!;
    expect(openai.purpose).toMatch(/^Writes answers .*Transcribes voice messages/);
  });

  it('aborting the signal mid-stream stops the provider: the stream errors with the reason, metered as aborted', async () => {
    let release!: () => void;
    fake.holdAfterFirstChunk = new Promise<void>((r) => {
      release = r;
    });
    fake.latency.chunkBytes = 512;
    try {
      const controller = new AbortController();
      const speech = await synthesizeSpeech(deps, {
        orgId: org.orgId,
        model: await resolve('elevenlabs', 'eleven_flash_v2_5', 'speech'),
        text: 'Interrupted reply',
        format: 'pcm',
        purpose: 'voice',
        signal: controller.signal,
      });
      const reader = speech.stream.getReader();
      expect((await reader.read()).value?.length).toBe(512);
      controller.abort(new Error('visitor interrupted'));
      const error = await (async () => {
        for (;;) {
          const part = await reader.read();
          if (part.done) return null;
        }
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ message: 'visitor interrupted' });
      const row = (await rowsOf(providers.elevenlabs!)).find((r) => r.outcome === 'aborted');
      expect(row).toMatchObject({ model: 'eleven_flash_v2_5', characters: 'Interrupted reply'.length });
    } finally {
      release();
      fake.holdAfterFirstChunk = undefined;
      fake.latency.chunkBytes = 4096;
    }
  });
});
