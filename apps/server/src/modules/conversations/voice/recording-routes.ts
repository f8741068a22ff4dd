import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { recordAudit } from '../../audit/service.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { lockConversation } from '../state.js';
import { listRecordings, readRecording } from './recordings.js';

const recordingSchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid().nullable().describe('The visitor message the voice turn became'),
    mediaType: z.string(),
    byteSize: z.number().int(),
    durationSeconds: z.number().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'VoiceRecording' });

const params = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

/**
 * Kept voice messages of a conversation, for the inbox (admins and agents; viewers do not hear
 * visitors' voices). Listing is metadata only; playing decrypts the file and is audited (ids only),
 * as reading "Captured data" is.
 */
export async function voiceRecordingRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/conversations/:id/recordings',
    {
      schema: {
        tags: ['inbox'],
        summary: 'The voice messages kept in a conversation (metadata; kept only with the visitor’s consent)',
        params,
        response: { 200: z.object({ recordings: z.array(recordingSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return withTenant(deps.database, [p.orgId], async (tx) => {
        await lockConversation(tx, p.orgId, request.params.id);
        return { recordings: await listRecordings(tx, p.orgId, request.params.id) };
      });
    },
  );

  app.get(
    '/v1/conversations/:id/recordings/:recordingId',
    {
      schema: {
        tags: ['inbox'],
        summary: 'One kept voice message’s audio (decrypted; reading it is audited)',
        params: params.extend({ recordingId: z.uuid({ message: 'must be a UUID' }) }),
        response: { 200: z.any(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const { id, recordingId } = request.params;
      // 404 when the recording is not this conversation's (or this org's), or is gone.
      const { bytes, mediaType } = await readRecording(deps, p.orgId, id, recordingId);
      await withTenant(deps.database, [p.orgId], (tx) =>
        recordAudit(tx, deps.keyring, p.orgId, actorOf(p), {
          action: 'voice_recording.played',
          targetType: 'conversation',
          targetId: id,
          metadata: { recordingId },
        }),
      );
      return reply.header('content-type', mediaType).header('cache-control', 'private, no-store').send(bytes);
    },
  );
}
