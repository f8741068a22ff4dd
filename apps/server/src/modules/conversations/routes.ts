import type { WidgetConfig } from '@confidant/contract';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { persistenceModes } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { errorResponses, nonBlank, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { appearanceOf, appearanceSchema } from '../agents/appearance.js';
import { configFlow, widgetFlowSchema } from '../flows/widget-config.js';
import { assertOrgActive } from '../orgs/deletion/org-status.js';
import { allowOrigin, registerWidgetCors } from './cors.js';
import { honestText, widgetFacts } from './honest-text.js';
import { isOriginAllowed, requestOrigin } from './origin.js';
import { createWidgetRateLimits } from './rate-limits.js';
import { createConversation, findAgentByPublishableKey, readAgentAvatar } from './service.js';
import { streamAnswer } from './stream-answer.js';
import { createStreamRegistry } from './stream-registry.js';
import { authorizeVisitorMessage, originNotAllowed } from './visitor-auth.js';
import { visitorContextOf } from './visitor-context.js';
import { signVisitorToken } from './visitor-token.js';
import { voiceNotice } from './voice/notice.js';
import { linkRecordingToMessage } from './voice/recordings.js';
import { voiceOf, voiceTurnsOf, widgetVoiceRoutes } from './voice/routes.js';
import { speechOverQuota } from './voice/speech-port.js';
import { prefetchingFirstSentence } from './voice/speech-prefetch.js';

/**
 * The public widget API (DESIGN §5). No org credential: a publishable agent key opens an agent,
 * the Origin must be one the agent allows, and a short-lived visitor token (never a cookie)
 * authorises messages in one conversation.
 */
const agentKey = z
  .string()
  .regex(/^pk_[A-Za-z0-9_-]{16,64}$/, 'must be a publishable agent key (pk_…)')
  .describe('Publishable agent key (pk_…)');

const widgetErrors = { ...errorResponses, 409: problemSchema, 503: problemSchema };

const widgetConfigSchema = z
  .object({
    name: z.string(),
    greeting: z.string(),
    starters: z.array(z.string()),
    persistence: z.enum(persistenceModes),
    storageNotice: z.string().describe('The footnote: what is stored, where and by whom'),
    storesTranscripts: z
      .boolean()
      .describe('False for an ephemeral agent: no message text is stored (the notice says so)'),
    handoff: z.object({
      enabled: z.boolean(),
      operatorsAvailable: z
        .boolean()
        .describe('An operator is present now, within the agent’s business hours if it has any'),
      onlineLine: z.string(),
      offlineLine: z.string(),
      contactConsentText: z.string().describe('The consent label shown beside the email field'),
      emailReplies: z
        .boolean()
        .describe('Whether the offline flow offers the email form (false: the agent keeps no contact)'),
    }),
    appearance: appearanceSchema,
    flow: widgetFlowSchema.optional(),
    voice: z
      .object({
        recording: z.boolean().describe('Whether the visitor may consent to keeping their recordings'),
        notice: z.string().describe('What happens to the voice, said plainly (shown by the microphone)'),
        consentText: z
          .string()
          .optional()
          .describe('With `recording`: the label of the unticked consent checkbox (its SHA-256 is recorded)'),
      })
      .optional()
      .describe('Present when the agent takes voice messages'),
    gpc: z
      .boolean()
      .optional()
      .describe('True when the request carried Sec-GPC: 1 (optional form fields are not shown)'),
  })
  .meta({ id: 'WidgetConfig' });

/** How long shutdown waits for open answer streams before closing anyway. */
const SHUTDOWN_GRACE_MS = 30_000;

export async function widgetRoutes(app: ZodApp, deps: AppDeps) {
  const streams = createStreamRegistry();
  // preClose runs before the server stops accepting and closing connections; onClose covers
  // apps that never listened (inject). Both wait for open streams, bounded.
  app.addHook('preClose', async () => {
    await streams.drain(SHUTDOWN_GRACE_MS);
  });
  app.addHook('onClose', async () => {
    await streams.drain(SHUTDOWN_GRACE_MS);
  });
  registerWidgetCors(app);
  const limits = createWidgetRateLimits(app, deps);
  await widgetVoiceRoutes(app, deps, limits);
  const voiceTurns = voiceTurnsOf(deps);

  /** The agent behind a publishable key, if the request's origin may use it. */
  const openAgent = async (request: FastifyRequest, key: string) => {
    const agent = await findAgentByPublishableKey(deps.database, key);
    if (!agent) throw notFound('Agent');
    const from = requestOrigin(request, deps.config);
    if (!isOriginAllowed(agent.allowedOrigins, from)) throw originNotAllowed();
    allowOrigin(request, from);
    // After CORS is allowed, so the widget on the org's own site can read why it stopped.
    await assertOrgActive(deps.database, agent.orgId);
    return { agent, from };
  };

  app.get(
    '/v1/widget/config',
    {
      schema: {
        tags: ['widget'],
        summary: 'What the widget shows before a conversation exists',
        security: [],
        querystring: z.object({ agentKey }),
        response: {
          200: widgetConfigSchema,
          ...widgetErrors,
        },
      },
    },
    async (request, reply) => {
      await limits.configPerIp.consume(request, reply);
      const { agent } = await openAgent(request, request.query.agentKey);
      const facts = await widgetFacts(deps.database, agent);
      const text = honestText(facts.orgName, agent.persistence, agent.storeTranscripts, facts.transcriptDays);
      const config: WidgetConfig = {
        name: agent.name,
        greeting: agent.greeting,
        starters: agent.starters,
        persistence: agent.persistence,
        storageNotice: text.storageNotice,
        storesTranscripts: agent.storeTranscripts,
        handoff: {
          enabled: agent.handoffEnabled,
          operatorsAvailable: agent.handoffEnabled && facts.operatorsAvailable,
          onlineLine: text.onlineLine,
          offlineLine: text.offlineLine,
          contactConsentText: text.contactConsentText,
          emailReplies: agent.storeTranscripts,
        },
        appearance: appearanceOf(agent),
        ...(await configFlow(deps.database, agent, request.headers['sec-gpc'] === '1')),
        ...(agent.voice.enabled ? { voice: await voiceNotice(deps.database, agent) } : {}),
      };
      return config;
    },
  );

  app.get(
    '/v1/widget/avatars/:agentKey/:hash',
    {
      schema: {
        tags: ['widget'],
        summary: "An agent's avatar image (the widget's `appearance.avatarUrl`)",
        description:
          'Only the image the agent uses now is served. The URL carries its content hash, so it is cached for a year; an `<img>` loads it from any page (no Origin check, like /widget.js).',
        security: [],
        params: z.strictObject({ agentKey, hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256') }),
        response: { 200: z.any(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await limits.configPerIp.consume(request, reply);
      const { agentKey: key, hash } = request.params;
      const agent = await findAgentByPublishableKey(deps.database, key);
      if (!agent || agent.avatarHash !== hash) throw notFound('Avatar');
      await assertOrgActive(deps.database, agent.orgId);
      const image = await readAgentAvatar(deps.database, deps.blobStore, agent.orgId, hash);
      if (!image) throw notFound('Avatar');
      return reply
        .type(image.mimeType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${hash}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(Buffer.from(image.bytes));
    },
  );

  app.post(
    '/v1/widget/conversations',
    {
      schema: {
        tags: ['widget'],
        summary: 'Start a conversation; returns a short-lived visitor token (no cookie)',
        security: [],
        body: z.strictObject({
          agentKey,
          page: z
            .string()
            .max(4096)
            .optional()
            .describe('The page the chat starts on; only its origin and path are kept'),
        }),
        response: { 201: z.object({ conversationId: z.uuid(), token: z.string() }), ...widgetErrors },
      },
    },
    async (request, reply) => {
      await limits.conversationsPerKeyAndIp.consume(request, reply);
      const { agent, from } = await openAgent(request, request.body.agentKey);
      const conversationId = await createConversation(
        deps.database,
        agent,
        from.origin,
        visitorContextOf(request, request.body.page, from.origin),
      );
      const token = await signVisitorToken(deps.keyring, deps.config.visitorTokenTtlSeconds, {
        org: agent.orgId,
        agent: agent.id,
        conversation: conversationId,
      });
      return reply.status(201).send({ conversationId, token });
    },
  );

  app.post(
    '/v1/widget/conversations/:id/messages',
    {
      schema: {
        tags: ['widget'],
        summary: 'Send a visitor message; the answer streams back as server-sent events',
        description:
          'Authorization: Bearer <visitor token>. Responds with text/event-stream: `token` ({ text }) deltas, then `citations` ({ citations }), `handoff` ({ reason }) when a person is asked to join, and `done` ({ userMessageId, assistantMessageId }); with `voiceTurnId`, `speech` ({ index }) as each sentence of the answer is ready to be read aloud (none past the organization’s monthly usage limit: the answer is then text only); `error` (problem+json) if answering fails after the stream started. Repeating a clientMessageId stores nothing new and replays the stored answer.',
        security: [],
        params: z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) }),
        body: z.strictObject({
          text: nonBlank(4000),
          clientMessageId: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1–100 characters of A–Z, a–z, 0–9, _ and -'),
          voiceTurnId: z
            .uuid({ message: 'must be a UUID' })
            .optional()
            .describe(
              'A transcribed voice message (POST …/voice-turns/{turnId}/end): its transcript is the message, and the answer is also spoken (`speech` events)',
            ),
        }),
        response: widgetErrors,
      },
    },
    async (request, reply) => {
      await limits.messagesPerIp.consume(request, reply);
      const { claims, agent } = await authorizeVisitorMessage(deps, request, request.params.id, () =>
        limits.messagesPerConversation.consume(request, reply),
      );
      if (streams.closing)
        throw new AppError('unavailable', 'The server is restarting; please send again shortly');

      const { voiceTurnId } = request.body;
      let text = request.body.text;
      let speech: ReturnType<typeof voiceTurns.speaker> | undefined;
      let recordingId: string | null = null;
      if (voiceTurnId) {
        const models = voiceOf(agent);
        const turn = voiceTurns.get(claims.org, claims.conversation, voiceTurnId);
        if (turn.transcript === null)
          throw new AppError('conflict', 'End the voice message (…/end) before answering it');
        // The server's transcript is the message, whatever text the request carried.
        text = turn.transcript;
        // Past the org's monthly limit the answer is not spoken: it streams as text, with no
        // `speech` events, so the widget has nothing to wait for (and the turn has no sentences).
        if (await speechOverQuota(deps, claims.org)) turn.sentences = [];
        else
          speech = prefetchingFirstSentence(deps, turn, voiceTurns.speaker(turn), {
            orgId: claims.org,
            conversationId: claims.conversation,
            choice: models.speech,
          });
        recordingId = turn.recordingId;
      }
      const started = await streamAnswer(deps, request, reply, {
        orgId: claims.org,
        conversationId: claims.conversation,
        agent,
        clientMessageId: request.body.clientMessageId,
        text,
        ...(speech ? { speech } : {}),
      });
      streams.track(started.finished);
      // A kept recording of this voice turn points at the visitor message it became (inbox play).
      if (recordingId) {
        const keptId = recordingId;
        const link = started.finished
          .catch(() => {})
          .then(() =>
            linkRecordingToMessage(
              deps.database,
              claims.org,
              claims.conversation,
              keptId,
              request.body.clientMessageId,
            ),
          );
        streams.track(link.catch(() => {}));
      }
      return reply;
    },
  );
}
