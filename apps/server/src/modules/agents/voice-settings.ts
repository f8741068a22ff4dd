import { z } from 'zod';
import type { AgentVoiceSettings } from '../../platform/db/schema/index.js';
import { nonBlank } from '../../platform/http/schemas.js';
import { resolveSpeechModel, type SpeechModelDeps } from '../models/speech/index.js';

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
      .literal(false, { message: 'keeping recordings is not available yet: audio is never kept' })
      .describe(
        'Reserved: keeping the audio of voice messages (with the visitor’s consent) is not built yet, so only false is accepted; audio lives in memory for its turn only',
      ),
  })
  .refine((v) => !v.enabled || (v.transcription !== null && v.speech !== null), {
    message: 'enabled voice needs both a transcription and a speech model',
    path: ['enabled'],
  })
  .meta({ id: 'AgentVoiceSettings' });

/** As stored and shown (GET): recordAudio is a boolean there. */
export const voiceSettingsViewSchema = z
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
    recordAudio: z.boolean().describe('Whether recordings are kept (always false for now)'),
  })
  .refine((v) => !v.enabled || (v.transcription !== null && v.speech !== null), {
    message: 'enabled voice needs both a transcription and a speech model',
    path: ['enabled'],
  })
  .meta({ id: 'AgentVoiceSettingsView' });

/**
 * Refuses (400) a voice model that is not one of the org's providers' models of the right type
 * (resolveSpeechModel does the checking: the same rule as every speech call).
 */
export async function checkVoiceSettings(
  deps: SpeechModelDeps,
  orgId: string,
  voice: AgentVoiceSettings,
): Promise<void> {
  if (voice.transcription)
    await resolveSpeechModel(deps, orgId, voice.transcription, 'transcription', 'voice.transcription.model');
  if (voice.speech)
    await resolveSpeechModel(
      deps,
      orgId,
      { providerId: voice.speech.providerId, model: voice.speech.model },
      'speech',
      'voice.speech.model',
    );
}
