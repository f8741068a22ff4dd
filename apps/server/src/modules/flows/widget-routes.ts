import type { FlowStep } from '@confidant/contract';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { errorResponses, problemSchema, safeString } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { operatorsAvailable } from '../conversations/honest-text.js';
import { visitorActor } from '../conversations/service.js';
import { transition } from '../conversations/state.js';
import { authorizeVisitor } from '../conversations/visitor-auth.js';
import { deleteBlobFiles } from '../conversations/voice/recordings.js';
import { activeConsents, submitForm, withdrawConsents } from '../privacy/consent/service.js';
import { readFlow } from './service.js';

/**
 * The widget side of flows (visitor token, like every conversation route):
 * - POST …/flow/{stepId}: a form's answers and the purposes ticked. Values of a purpose not ticked
 *   are discarded (the record says "declined"); Sec-GPC: 1 or `gpc: true` refuses optional ones.
 * - POST …/handoff: a flow's "talk to a person" step, through the ownership state machine.
 * - GET …/consent and POST …/consent/withdraw: "Forget my details" in the widget.
 */
const params = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
const stepParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  stepId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a step id'),
});
const submission = z.strictObject({
  values: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), safeString().max(1000))
    .refine((v) => Object.keys(v).length <= 20, 'at most 20 values'),
  consents: z.array(safeString().max(200)).max(20),
  gpc: z.boolean().optional(),
});
const widgetErrors = { ...errorResponses, 409: problemSchema };

export async function flowWidgetRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/widget/conversations/:id/flow/:stepId',
    {
      schema: {
        tags: ['widget'],
        summary: 'Submit a flow form: values are kept only for the purposes the visitor consented to',
        description:
          'Authorization: Bearer <visitor token>. { values: { key: text }, consents: [purpose], gpc? } → 200 { granted, declined, refused } (purposes). A purpose not ticked: its values are discarded, a "declined" record is kept. Sec-GPC: 1 (or gpc: true): optional purposes are "refused" and their values discarded. 409 when the agent keeps no transcripts.',
        security: [],
        params: stepParams,
        body: submission,
        response: {
          200: z.object({
            granted: z.array(z.string()),
            declined: z.array(z.string()),
            refused: z.array(z.string()),
          }),
          ...widgetErrors,
        },
      },
    },
    async (request) => {
      const { claims, context } = await authorizeVisitor(deps, request, request.params.id);
      if (context.conversation.ephemeral)
        throw new AppError('conflict', 'This chat is not stored, so nothing typed into a form can be kept');
      const gpc = request.headers['sec-gpc'] === '1' || request.body.gpc === true;
      return withTenant(deps.database, [claims.org], async (tx) => {
        const flow = await readFlow(tx, claims.org, claims.agent);
        const step = flow.steps.find(
          (s): s is Extract<FlowStep, { type: 'form' }> =>
            s.id === request.params.stepId && s.type === 'form',
        );
        if (!step) throw notFound('Form');
        return submitForm(tx, deps.keyring, {
          orgId: claims.org,
          agentId: claims.agent,
          conversationId: claims.conversation,
          flowVersion: flow.version,
          step,
          submission: request.body,
          gpc,
        });
      });
    },
  );

  app.post(
    '/v1/widget/conversations/:id/handoff',
    {
      schema: {
        tags: ['widget'],
        summary: 'Ask for a person (a flow handoff step)',
        description:
          'Authorization: Bearer <visitor token>. Moves the conversation from the assistant to the waiting queue (no change when a person is already involved) → 200 { operatorsAvailable }. 409 when the agent never hands off.',
        security: [],
        params,
        response: { 200: z.object({ operatorsAvailable: z.boolean() }), ...widgetErrors },
      },
    },
    async (request) => {
      const { claims, context } = await authorizeVisitor(deps, request, request.params.id);
      if (!context.agent.handoffEnabled)
        throw new AppError('conflict', 'This assistant does not hand over to a person');
      await withTenant(deps.database, [claims.org], (tx) =>
        transition(
          tx,
          deps.keyring,
          claims.org,
          claims.conversation,
          { type: 'handoff', reason: 'requested' },
          visitorActor(claims.conversation),
        ),
      );
      return { operatorsAvailable: await operatorsAvailable(deps.database, context.agent) };
    },
  );

  app.get(
    '/v1/widget/conversations/:id/consent',
    {
      schema: {
        tags: ['widget'],
        summary: 'The purposes the visitor consented to in this conversation (not withdrawn)',
        security: [],
        params,
        response: { 200: z.object({ purposes: z.array(z.string()) }), ...widgetErrors },
      },
    },
    async (request) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const rows = await withTenant(deps.database, [claims.org], (tx) =>
        activeConsents(tx, claims.org, claims.conversation),
      );
      return { purposes: [...new Set(rows.map((r) => r.purpose))] };
    },
  );

  app.post(
    '/v1/widget/conversations/:id/consent/withdraw',
    {
      schema: {
        tags: ['widget'],
        summary:
          'Withdraw consent: the records are marked withdrawn, the captured values and any kept voice recordings deleted',
        security: [],
        params,
        response: {
          200: z.object({
            withdrawn: z.number().int(),
            deletedValues: z.number().int(),
            deletedRecordings: z.number().int(),
          }),
          ...widgetErrors,
        },
      },
    },
    async (request) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const { recordingBlobKeys, ...result } = await withTenant(deps.database, [claims.org], (tx) =>
        withdrawConsents(tx, deps.keyring, claims.org, claims.conversation),
      );
      // The kept voice recordings' files, now that their rows are gone.
      await deleteBlobFiles(deps.blobStore, claims.org, recordingBlobKeys);
      return { ...result, deletedRecordings: recordingBlobKeys.length };
    },
  );
}
