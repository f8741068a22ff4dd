import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { notFound } from '../../../platform/errors.js';
import { errorResponses, idParams } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { recordAudit } from '../../audit/service.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { lockConversation } from '../../conversations/state.js';
import { capturedData } from './service.js';

const capturedSchema = z
  .object({
    consents: z.array(
      z.object({
        id: z.string(),
        stepId: z.string(),
        purpose: z.string(),
        noticeHash: z.string(),
        noticeVersion: z.number().int(),
        method: z.enum(['checkbox', 'identify', 'gpc']),
        outcome: z.enum(['granted', 'declined', 'refused']),
        recordedAt: z.string(),
        withdrawnAt: z.string().nullable(),
      }),
    ),
    values: z.array(
      z.object({
        id: z.string(),
        consentId: z.string(),
        key: z.string(),
        kind: z.enum(['name', 'email', 'phone', 'text', 'select', 'custom']),
        label: z.string(),
        purpose: z.string(),
        value: z.string(),
        capturedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'CapturedData' });

/** GET /v1/conversations/{id}/captured-data: form values and consent records (reading is audited). */
export async function capturedDataRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/conversations/:id/captured-data',
    {
      schema: {
        tags: ['inbox'],
        summary:
          'What the visitor gave in flow forms, with each consent (purpose, notice hash, method, withdrawal)',
        params: idParams,
        response: { 200: capturedSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return withTenant(deps.database, [p.orgId], async (tx) => {
        await lockConversation(tx, p.orgId, request.params.id).catch(() => {
          throw notFound('Conversation');
        });
        const data = await capturedData(tx, deps.keyring, p.orgId, request.params.id);
        if (data.values.length > 0)
          await recordAudit(tx, deps.keyring, p.orgId, actorOf(p), {
            action: 'captured_data.viewed',
            targetType: 'conversation',
            targetId: request.params.id,
            metadata: { values: data.values.length },
          });
        return data;
      });
    },
  );
}
