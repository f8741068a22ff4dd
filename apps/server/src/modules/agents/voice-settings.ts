import { z } from 'zod';
import type { AgentVoiceSettings } from '../../platform/db/schema/index.js';
import { nonBlank } from '../../platform/http/schemas.js';
import { resolveSpeechModel, type SpeechModelDeps } from '../models/speech/index.js';

/**
 * An agent's voice settings (DESIGN: voice in the widget). Invariants, checked on every write:
 * - `enabled` needs both a transcription and a speech model;
 * - `recordAudio` needs `enabled` (and, checked in the agents service, `storeTranscripts`);
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
        'Offer visitors to keep a recording of their voice messages: the audio of a turn is kept (encrypted, `recordings` retention period) only if the visitor ticked the consent checkbox; otherwise it lives in memory for its turn only. Needs voice enabled and an agent that stores transcripts.',
      ),
  })
  .refine((v) => !v.enabled || (v.transcription !== null && v.speech !== null), {
    message: 'enabled voice needs both a transcription and a speech model',
    path: ['enabled'],
  })
  .refine((v) => !v.recordAudio || v.enabled, {
    message: 'keeping recordings needs voice enabled',
    path: ['recordAudio'],
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
    recordAudio: z
      .boolean()
      .describe(
        'Whether visitors are offered to keep recordings of their voice messages (kept only with consent)',
      ),
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
