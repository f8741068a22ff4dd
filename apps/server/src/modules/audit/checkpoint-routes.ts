import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { loadSigningKey } from '../../platform/crypto/signing-key.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { requireRole } from '../auth/principal.js';
import { listCheckpoints, signCheckpoint } from './checkpoints.js';

const checkpointSchema = z
  .object({
    orgId: z.string(),
    seq: z.number().int(),
    headHash: z.string(),
    signedAt: z.string(),
    keyId: z.string(),
    publicKey: z.string(),
    signature: z.string(),
  })
  .meta({ id: 'AuditCheckpoint' });

const signingKeySchema = z.object({ keyId: z.string(), publicKey: z.string() });

/**
 * Signed checkpoints of the org's audit chain (checkpoints.ts), for admins: the list a business
 * downloads and keeps, and "sign now". The worker also signs every changed chain hourly
 * (jobs/sign-checkpoints.ts).
 */
export async function checkpointRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Signed checkpoints of the audit chain, newest first, with the current signing key (keep copies; verify with `confidant audit verify --checkpoints FILE`)',
        querystring: z.strictObject({
          before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            signingKey: signingKeySchema,
            checkpoints: z.array(checkpointSchema),
            nextBefore: z.number().int().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const key = signingKeyOrProblem(deps);
      const page = await withTenant(deps.database, [p.orgId], (tx) =>
        listCheckpoints(tx, p.orgId, request.query),
      );
      return { signingKey: { keyId: key.keyId, publicKey: key.publicKeyPem }, ...page };
    },
  );

  app.post(
    '/v1/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          "Sign the audit chain's current head now (answers the existing checkpoint if the head is already signed)",
        response: { 200: checkpointSchema, 201: checkpointSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const key = signingKeyOrProblem(deps);
      const signed = await withTenant(deps.database, [p.orgId], (tx) => signCheckpoint(tx, key, p.orgId));
      // Every org has at least its creation entry, so an empty chain is not expected here.
      if (!signed) throw new AppError('conflict', 'The audit log has no entries to sign yet');
      return reply.status(signed.created ? 201 : 200).send(signed.checkpoint);
    },
  );
}

/** A misconfigured key is the operator's problem: say so without echoing any key material. */
function signingKeyOrProblem(deps: AppDeps) {
  try {
    return loadSigningKey(deps.config);
  } catch (error) {
    deps.log.error({ reason: (error as Error).message }, 'audit signing key unusable');
    throw new AppError('unavailable', 'The audit signing key is not configured correctly');
  }
}
