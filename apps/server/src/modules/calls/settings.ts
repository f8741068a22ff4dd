import type { CallSettings } from '@confidant/contract';
import { and, eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { callSettings, modelProviders, rubrics } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * Per-org call settings. The server's hard caps bound what an org may set; without a row an org
 * has the defaults and no models (uploads are accepted, processing fails with "no transcription
 * model" until one is chosen).
 */
export const SERVER_MAX_BYTES = 100 * 1024 * 1024;
export const SERVER_MAX_DURATION_SECONDS = 4 * 3600;
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_DURATION_SECONDS = 2 * 3600;

export async function readCallSettings(tx: Tx, orgId: string): Promise<CallSettings> {
  const [row] = await tx.select().from(callSettings).where(eq(callSettings.orgId, orgId));
  return {
    transcription:
      row?.transcriptionProviderId && row.transcriptionModel
        ? { providerId: row.transcriptionProviderId, model: row.transcriptionModel }
        : null,
    scoring:
      row?.scoringProviderId && row.scoringModel
        ? { providerId: row.scoringProviderId, model: row.scoringModel }
        : null,
    defaultRubricId: row?.defaultRubricId ?? null,
    maxBytes: Math.min(row?.maxBytes ?? DEFAULT_MAX_BYTES, SERVER_MAX_BYTES),
    maxDurationSeconds: Math.min(
      row?.maxDurationSeconds ?? DEFAULT_MAX_DURATION_SECONDS,
      SERVER_MAX_DURATION_SECONDS,
    ),
  };
}

async function checkProvider(tx: Tx, orgId: string, providerId: string, field: string) {
  const [found] = await tx
    .select({ id: modelProviders.id })
    .from(modelProviders)
    .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, providerId)));
  if (!found) {
    throw new AppError('validation_failed', 'The request does not match the expected shape', [
      { path: `body.${field}.providerId`, message: 'is not a model provider of this organization' },
    ]);
  }
}

export async function saveCallSettings(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: CallSettings,
): Promise<CallSettings> {
  if (input.transcription) await checkProvider(tx, orgId, input.transcription.providerId, 'transcription');
  if (input.scoring) await checkProvider(tx, orgId, input.scoring.providerId, 'scoring');
  if (input.defaultRubricId) {
    const [rubric] = await tx
      .select({ id: rubrics.id })
      .from(rubrics)
      .where(and(eq(rubrics.orgId, orgId), eq(rubrics.id, input.defaultRubricId)));
    if (!rubric) {
      throw new AppError('validation_failed', 'The request does not match the expected shape', [
        { path: 'body.defaultRubricId', message: 'is not a rubric of this organization' },
      ]);
    }
  }
  const values = {
    transcriptionProviderId: input.transcription?.providerId ?? null,
    transcriptionModel: input.transcription?.model ?? null,
    scoringProviderId: input.scoring?.providerId ?? null,
    scoringModel: input.scoring?.model ?? null,
    defaultRubricId: input.defaultRubricId,
    maxBytes: input.maxBytes,
    maxDurationSeconds: input.maxDurationSeconds,
    updatedAt: new Date(),
  };
  await tx
    .insert(callSettings)
    .values({ orgId, ...values })
    .onConflictDoUpdate({ target: callSettings.orgId, set: values });
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'calls.settings_updated',
    targetType: 'call_settings',
    metadata: { transcription: Boolean(input.transcription), scoring: Boolean(input.scoring) },
  });
  return readCallSettings(tx, orgId);
}
