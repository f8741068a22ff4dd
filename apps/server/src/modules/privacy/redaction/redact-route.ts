import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { errorResponses, safeString } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { requireRole } from '../../auth/principal.js';
import { createRedactor, detectEntities, ENTITY_TYPES } from '../../models/redaction/index.js';

/** The longest text the tester accepts: a long support message, not a document. */
export const MAX_REDACT_TEXT = 20_000;

const redactResult = z
  .object({
    redacted: z.string(),
    entities: z.array(
      z.object({ type: z.enum(ENTITY_TYPES), start: z.number().int(), end: z.number().int() }),
    ),
  })
  .meta({
    id: 'RedactionResult',
    description:
      'The text as a model provider would receive it, and where each personal value was found (offsets into the submitted text; values are not echoed)',
  });

/**
 * Admin tester for the redactor that guards every model call: paste a message, see what the
 * provider would get. Nothing is stored, audited or logged (the text is personal data by
 * design); the response carries only the redacted text and types with offsets.
 */
export async function redactionTestRoute(app: ZodApp, _deps: AppDeps) {
  app.post(
    '/v1/privacy/redact',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Check what the redactor removes from a text before it reaches a model provider',
        description: `Admin role. At most ${MAX_REDACT_TEXT} characters. Nothing is stored or logged.`,
        body: z.strictObject({
          text: safeString()
            .min(1, 'must not be empty')
            .max(MAX_REDACT_TEXT, `must be at most ${MAX_REDACT_TEXT} characters`),
        }),
        response: { 200: redactResult, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const { text } = request.body;
      const entities = detectEntities(text);
      return { redacted: createRedactor().redact(text), entities };
    },
  );
}
