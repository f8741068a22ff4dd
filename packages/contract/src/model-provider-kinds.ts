/**
 * The model provider kinds Confidant can call (one explicit AI SDK provider or protocol client
 * each, see the server's modules/models/provider-registry.ts and modules/models/speech/). Shared
 * by the server's configuration, its API and the console's provider form. Runtime values, so
 * exported on their own path.
 */
export const MODEL_PROVIDER_KINDS = [
  'openai',
  'anthropic',
  'google',
  'xai',
  'perplexity',
  'mistral',
  'azure',
  'amazon-bedrock',
  'openai-compatible',
  'deepgram',
  'elevenlabs',
] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];

/**
 * What a model of a provider is used for: chat (answers), embedding (knowledge), transcription
 * (speech to text: voice messages, calls) or speech (text to speech).
 */
export const PROVIDER_MODEL_TYPES = ['chat', 'embedding', 'transcription', 'speech'] as const;
export type ProviderModelType = (typeof PROVIDER_MODEL_TYPES)[number];

/** Which model types each kind offers (the console offers only these; the server refuses others). */
export const MODEL_TYPES_BY_KIND: Record<ModelProviderKind, readonly ProviderModelType[]> = {
  openai: ['chat', 'embedding', 'transcription', 'speech'],
  anthropic: ['chat'],
  google: ['chat', 'embedding'],
  xai: ['chat'],
  perplexity: ['chat'],
  mistral: ['chat', 'embedding'],
  azure: ['chat', 'embedding'],
  'amazon-bedrock': ['chat', 'embedding'],
  'openai-compatible': ['chat', 'embedding', 'transcription', 'speech'],
  deepgram: ['transcription'],
  elevenlabs: ['transcription', 'speech'],
};
