/**
 * Speech through the models module: transcription (speech to text) and speech (text to speech)
 * with the org's own providers (kinds openai, openai-compatible, deepgram, elevenlabs), called
 * through the guarded fetch and metered in model_calls (audio seconds / characters, cost from
 * usage/prices.ts).
 *
 *   const model = await resolveSpeechModel(deps, orgId, { providerId, model: 'whisper-1' }, 'transcription');
 *   const transcript = await transcribeAudio(deps, { orgId, model, audio, mediaType: 'audio/wav', purpose: 'call' });
 *   const { mediaType, stream } = await synthesizeSpeech(deps, { orgId, model: tts, text, format: 'mp3', purpose: 'voice' });
 *
 * `deps` is AppDeps or anything with database, keyring (resolving) and net (calling).
 */
export { DEFAULT_ELEVENLABS_VOICE } from './elevenlabs.js';
export { languageCode } from './languages.js';
export { DEFAULT_VOICE as DEFAULT_OPENAI_VOICE } from './openai-audio.js';
export {
  listSpeechModels,
  resolveSpeechModel,
  type SpeechModelChoice,
  type SpeechModelDeps,
  type SpeechModelOption,
} from './resolve-speech-model.js';
export { createSpeakerLabeler } from './speakers.js';
export { type SpeechFailureReason, SpeechProviderError } from './speech-errors.js';
export { MAX_SPEECH_CHARACTERS, type SynthesizeInput, synthesizeSpeech } from './synthesize-speech.js';
export {
  CALL_TRANSCRIPTION_TIMEOUT_MS,
  type SpeechDeps,
  type TranscribeInput,
  transcribeAudio,
} from './transcribe-audio.js';
export {
  type ResolvedSpeechModel,
  SPEECH_MEDIA_TYPES,
  type SpeechFormat,
  type SpeechModelType,
  type SpeechPurpose,
  type SynthesizedSpeech,
  type Transcript,
  type TranscriptSegment,
} from './types.js';
export { parseWav, toneWav, type WavInfo, wavDurationSeconds, wavHeader, wavSamples } from './wav.js';
