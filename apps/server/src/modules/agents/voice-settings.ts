import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../platform/db/client.js';
import { type AgentVoiceSettings, modelProviders } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { nonBlank } from '../../platform/http/schemas.js';

/**
 * An agent's voice settings (DESIGN: voice in the widget). Invariants, checked on every write:
 * - `enabled` needs both a transcription and a speech model;
 * - each model is listed, with the right type (`transcription` / `speech`), by one of the org's
 *   own providers: audio and transcripts go only to a provider the org approved.
 */
export const voiceSettingsSchema = z
  .strictObject({
    enabled: z.boolean(),
    transcription: z
      .strictObject({ providerId: z.uuid({ message: 'must be a UUID' }), model: nonBlank(200) })
      .nullable()
      .describe("Speech-to-text: one of the org's providers and a model of type `transcription` there"),
    speech: z
      .strictObject({
        providerId: z.uuid({ message: 'must be a UUID' }),
        model: nonBlank(200),
        voice: nonBlank(100).optional().describe("The provider's voice name (e.g. alloy)"),
      })
      .nullable()
      .describe("Text-to-speech: one of the org's providers and a model of type `speech` there"),
    recordAudio: z
      .boolean()
      .describe(
        "Offer the visitor to keep the audio of their voice messages (only with their consent; stored encrypted, retention category `recordings`). Never for agents that store no transcripts",
      ),
  })
  .refine((v) => !v.enabled || (v.transcription !== null && v.speech !== null), {
    message: 'enabled voice needs both a transcription and a speech model',
    path: ['enabled'],
  })
  .meta({ id: 'AgentVoiceSettings' });

/** Refuses (400) a voice model that is not one of the org's providers' models of the right type. */
export async function checkVoiceSettings(tx: Tx, orgId: string, voice: AgentVoiceSettings): Promise<void> {
  const wanted = [
    ...(voice.transcription ? [{ ...voice.transcription, type: 'transcription', field: 'transcription' }] : []),
    ...(voice.speech ? [{ ...voice.speech, type: 'speech', field: 'speech' }] : []),
  ];
  if (wanted.length === 0) return;
  const rows = await tx
    .select({ id: modelProviders.id, models: modelProviders.models })
    .from(modelProviders)
    .where(
      and(
        eq(modelProviders.orgId, orgId),
        inArray(
          modelProviders.id,
          wanted.map((w) => w.providerId),
        ),
      ),
    );
  for (const w of wanted) {
    const provider = rows.find((r) => r.id === w.providerId);
    if (!provider)
      throw new AppError(
        'validation_failed',
        `voice.${w.field}.providerId: ${w.providerId} is not one of this organization's model providers`,
      );
    const listed = (provider.models as { id: string; type: string }[]).some(
      (m) => m.id === w.model && m.type === w.type,
    );
    if (!listed)
      throw new AppError(
        'validation_failed',
        `voice.${w.field}.model: ${w.model} is not a ${w.type} model of that provider`,
      );
  }
}
