import type { ModelProviderKind } from '@confidant/contract/model-provider-kinds';

/** How the records and notices name each provider kind (the company or protocol behind it). */
export const PROVIDER_NAMES: Record<ModelProviderKind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google (Gemini)',
  xai: 'xAI',
  perplexity: 'Perplexity',
  mistral: 'Mistral AI',
  azure: 'Microsoft Azure OpenAI',
  'amazon-bedrock': 'Amazon Bedrock',
  'openai-compatible': 'OpenAI-compatible endpoint',
  deepgram: 'Deepgram',
  elevenlabs: 'ElevenLabs',
};
