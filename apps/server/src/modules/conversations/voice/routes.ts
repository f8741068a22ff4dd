import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import type { AgentRow } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { errorResponses, problemSchema } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import type { createWidgetRateLimits } from '../rate-limits.js';
import { authorizeVisitor, authorizeVisitorMessage } from '../visitor-auth.js';
import { keepTurnAudio, recordVoiceConsent } from './recordings.js';
import { speechOverQuota, synthesizeSentence, transcribeTurn, VOICE_PAUSED } from './speech-port.js';
import { claimPrefetchedSpeech } from './speech-prefetch.js';
import { VoiceTurns } from './voice-turns.js';

/**
 * The widget's voice turns (docs/ARCHITECTURE.md, "Voice in the widget"). A browser cannot
 * stream a fetch request body over HTTP/1.1, so the recording goes up as small chunked POSTs to
 * a per-turn endpoint while the visitor speaks:
 *
 *   POST …/voice-turns                      → 201 { turnId, maxBytes, maxSeconds }
 *   POST …/voice-turns/{turnId}/chunks      (Opus/WebM bytes, ≤ CHUNK_MAX_BYTES) → 204
 *   POST …/voice-turns/{turnId}/end         → 200 { text } (the transcript; the audio is dropped)
 *   POST …/messages { text, clientMessageId, voiceTurnId } → the normal answer stream, plus
 *                                              `speech` events ({ index }) per finished sentence
 *   GET  …/voice-turns/{turnId}/speech/{index} → that sentence read aloud (streamed audio)
 *   POST …/voice-recording-consent { granted } → the visitor's answer to "Keep a recording of my
 *                                              voice messages" (only when the agent records)
 *
 * Every call carries the visitor token of that conversation and an allowed Origin, as messages
 * do. The audio lives only in the turn's memory (voice-turns.ts), unless the agent records and
 * the conversation holds a granted voice-recording consent: then `…/end` keeps it, encrypted
 * (recordings.ts decides, on the server).
 *
 * Past 100% of the org's monthly limits (usage/model-quota.ts) starting or ending a turn and
 * asking for speech answer 429 quota_exceeded: nothing reaches the provider and nothing is kept
 * (an ended turn's audio is dropped). The answer to a transcribed turn still streams as text,
 * with no `speech` events (conversations/routes.ts).
 */
const CHUNK_MAX_BYTES = 128 * 1024;

const turnsByDeps = new WeakMap<AppDeps, VoiceTurns>();
const everyTurnStore = new Set<WeakRef<VoiceTurns>>();
/** The process's voice turns for this app (one per AppDeps, so parallel test apps never share). */
export function voiceTurnsOf(deps: AppDeps): VoiceTurns {
  let turns = turnsByDeps.get(deps);
  if (!turns) {
    turns = new VoiceTurns();
    turnsByDeps.set(deps, turns);
    everyTurnStore.add(new WeakRef(turns));
  }
  return turns;
}

/** Voice turns and bytes of audio held in this process's memory now (tests, the residue scan). */
export function voiceHeldInMemory(): { turns: number; audioBytes: number } {
  let turns = 0;
  let audioBytes = 0;
  for (const ref of everyTurnStore) {
    const store = ref.deref();
    if (!store) {
      everyTurnStore.delete(ref);
      continue;
    }
    const stats = store.stats();
    turns += stats.turns;
    audioBytes += stats.audioBytes;
  }
  return { turns, audioBytes };
}

/** Aborted when the client goes away before the response was sent (not when it completes). */
function abortWhenClientGone(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new DOMException('The client went away', 'AbortError'));
  });
  return controller;
}

const voiceOff = () => new AppError('conflict', 'Voice messages are not enabled for this agent');

/** The agent's voice models, or 409 when voice is off. */
export function voiceOf(agent: AgentRow) {
  const { enabled, transcription, speech } = agent.voice;
  if (!enabled || !transcription || !speech) throw voiceOff();
  return { transcription, speech };
}

const mimeTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'] as const;
const params = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
const turnParams = params.extend({ turnId: z.uuid({ message: 'must be a UUID' }) });
const responses = {
  ...errorResponses,
  409: problemSchema,
  413: problemSchema,
  429: problemSchema,
  503: problemSchema,
};
const voicePaused = () => new AppError('quota_exceeded', VOICE_PAUSED);

export async function widgetVoiceRoutes(
  app: ZodApp,
  deps: AppDeps,
  limits: ReturnType<typeof createWidgetRateLimits>,
) {
  const turns = voiceTurnsOf(deps);
  // Raw audio bytes, only in this plugin scope (the rest of the widget API stays JSON-only).
  await app.register(async (scope: ZodApp) => {
    for (const type of ['application/octet-stream', 'audio/webm', 'audio/ogg'])
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: CHUNK_MAX_BYTES }, (_r, body, done) =>
        done(null, body),
      );
    scope.post(
      '/v1/widget/conversations/:id/voice-turns/:turnId/chunks',
      {
        schema: {
          tags: ['widget'],
          summary: 'Append a chunk of the recording to a voice message',
          description: `Body: raw audio bytes (application/octet-stream, audio/webm or audio/ogg), at most ${CHUNK_MAX_BYTES / 1024} KB per chunk; the turn's total is bounded too (413, and the turn is dropped).`,
          security: [],
          params: turnParams,
          response: { 204: z.null(), ...responses },
        },
      },
      async (request, reply) => {
        const { claims, agent } = await authorizeVisitorMessage(deps, request, request.params.id);
        voiceOf(agent);
        const turn = turns.get(claims.org, claims.conversation, request.params.turnId);
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError('bad_request', 'Send the audio bytes as the request body');
        turns.append(turn, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
        return reply.status(204).send(null);
      },
    );
  });

  app.post(
    '/v1/widget/conversations/:id/voice-turns',
    {
      schema: {
        tags: ['widget'],
        summary: 'Start a voice message (the visitor pressed the microphone)',
        description:
          "429 quota_exceeded when the organization's monthly usage limit is reached (the visitor can still type).",
        security: [],
        params,
        body: z.strictObject({ mimeType: z.enum(mimeTypes).default('audio/webm;codecs=opus') }),
        response: {
          201: z.object({ turnId: z.uuid(), maxBytes: z.number().int(), maxSeconds: z.number() }),
          ...responses,
        },
      },
    },
    async (request, reply) => {
      await limits.messagesPerIp.consume(request, reply);
      const { claims, agent } = await authorizeVisitorMessage(deps, request, request.params.id, () =>
        limits.messagesPerConversation.consume(request, reply),
      );
      voiceOf(agent);
      // Checked before the visitor speaks, so nobody talks into a turn that cannot be transcribed.
      if (await speechOverQuota(deps, claims.org)) throw voicePaused();
      const turn = turns.start(claims.org, claims.conversation, request.body.mimeType);
      return reply
        .status(201)
        .send({ turnId: turn.id, maxBytes: turns.limits.maxBytes, maxSeconds: turns.limits.maxSeconds });
    },
  );

  app.post(
    '/v1/widget/conversations/:id/voice-turns/:turnId/end',
    {
      schema: {
        tags: ['widget'],
        summary: 'End a voice message: transcribe it (the audio is dropped) and return the transcript',
        description:
          "Then send the transcript as a message with `voiceTurnId` to get the answer, spoken sentence by sentence. 422 when nothing was understood; 429 quota_exceeded when the organization's monthly usage limit is reached (the audio is dropped, nothing is transcribed); 503 when the transcription provider failed.",
        security: [],
        params: turnParams,
        response: { 200: z.object({ text: z.string() }), ...responses, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const { claims, agent } = await authorizeVisitorMessage(deps, request, request.params.id);
      const models = voiceOf(agent);
      const turn = turns.get(claims.org, claims.conversation, request.params.turnId);
      if (await speechOverQuota(deps, claims.org)) {
        turns.drop(turn.id);
        throw voicePaused();
      }
      const seconds = (Date.now() - turn.startedAt) / 1000;
      const audio = turns.takeAudio(turn);
      const controller = abortWhenClientGone(reply);
      let text: string;
      try {
        text = (
          await transcribeTurn(deps, {
            orgId: claims.org,
            conversationId: claims.conversation,
            choice: models.transcription,
            audio,
            mimeType: turn.mimeType,
            signal: controller.signal,
          })
        ).trim();
      } catch (error) {
        audio.fill(0);
        turns.drop(turn.id);
        if (error instanceof AppError && error.code === 'quota_exceeded') throw error;
        // Ids and error kinds only: a provider error may quote what it heard.
        request.log.warn(
          { conversationId: claims.conversation, errorName: (error as Error)?.name },
          'voice transcription failed',
        );
        // The visitor learns that it failed, not the provider's wording (which may quote it).
        throw new AppError('unavailable', 'The voice message could not be transcribed; please try again');
      }
      if (!text) {
        audio.fill(0);
        turns.drop(turn.id);
        throw new AppError('unprocessable', "We couldn't make out any words; please try again");
      }
      try {
        // Kept only under the rule in recordings.ts (agent records + granted consent); else nothing.
        turn.recordingId = await keepTurnAudio(deps, agent, {
          conversationId: claims.conversation,
          audio,
          mediaType: turn.mimeType,
          durationSeconds: Math.round(Math.min(seconds, turns.limits.maxSeconds) * 10) / 10,
        });
      } finally {
        audio.fill(0);
      }
      turn.transcript = text.slice(0, 4000);
      turn.state = 'transcribed';
      return { text: turn.transcript };
    },
  );

  app.post(
    '/v1/widget/conversations/:id/voice-recording-consent',
    {
      schema: {
        tags: ['widget'],
        summary: 'The visitor’s answer to “Keep a recording of my voice messages”',
        description:
          'Only when the agent keeps recordings (`voice.recording` in the widget config; 409 otherwise). Recorded as a consent record (purpose `voice_recording`, the SHA-256 of the server’s own notice text). `granted: false` declines, and withdraws an earlier grant: the recordings already kept are deleted.',
        security: [],
        params,
        body: z.strictObject({ granted: z.boolean() }),
        response: {
          200: z.object({ granted: z.boolean(), deletedRecordings: z.number().int() }),
          ...responses,
        },
      },
    },
    async (request) => {
      const { claims, context } = await authorizeVisitor(deps, request, request.params.id);
      voiceOf(context.agent);
      return recordVoiceConsent(deps, context.agent, claims.conversation, request.body.granted);
    },
  );

  app.get(
    '/v1/widget/conversations/:id/voice-turns/:turnId/speech/:index',
    {
      schema: {
        tags: ['widget'],
        summary: "One sentence of the answer read aloud (streamed audio in the speech provider's format)",
        description:
          "429 quota_exceeded when the organization's monthly usage limit is reached: nothing is asked of the provider (the answer's text is unaffected).",
        security: [],
        params: turnParams.extend({ index: z.coerce.number().int().min(0).max(1000) }),
        response: { 200: z.any(), ...responses },
      },
    },
    async (request, reply) => {
      const { claims, agent } = await authorizeVisitorMessage(deps, request, request.params.id);
      const models = voiceOf(agent);
      const turn = turns.get(claims.org, claims.conversation, request.params.turnId);
      if (await speechOverQuota(deps, claims.org)) throw voicePaused();
      const sentence = turn.sentences[request.params.index];
      if (sentence === undefined) throw new AppError('not_found', 'No such sentence in this answer');
      const controller = abortWhenClientGone(reply);
      // The first sentence's speech was usually started when it was written (speech-prefetch.ts).
      const spoken = await (claimPrefetchedSpeech(turn, request.params.index, sentence, controller.signal) ??
        synthesizeSentence(deps, {
          orgId: claims.org,
          conversationId: claims.conversation,
          choice: models.speech,
          text: sentence,
          signal: controller.signal,
        }));
      reply.header('content-type', spoken.mimeType).header('cache-control', 'no-store');
      // Interrupting playback closes the request: the provider's stream is cancelled with it.
      return reply.send(Readable.fromWeb(spoken.stream as import('node:stream/web').ReadableStream));
    },
  );
}
