import {
  MODEL_PROVIDER_KINDS,
  MODEL_TYPES_BY_KIND,
  type ModelProviderKind,
} from '@confidant/contract/model-provider-kinds';

export { MODEL_TYPES_BY_KIND };

/**
 * How the console presents each model provider kind: a friendly name, what its endpoint needs
 * (the server's rules, modules/model-providers/routes.ts), and examples for the form's fields.
 */
export type KindInfo = {
  label: string;
  /** No public endpoint: the base URL must be given (the server refuses the provider without). */
  needsBaseUrl: boolean;
  /** Amazon Bedrock: reached by AWS region unless a base URL is given. */
  usesRegion: boolean;
  /** The AI SDK provider has embedding models (Anthropic, xAI and Perplexity have none). */
  hasEmbeddings: boolean;
  baseUrlHint: string;
  baseUrlPlaceholder: string;
  modelPlaceholder: string;
  keyHint: string;
};

const hosted = (label: string, endpoint: string, model: string, hasEmbeddings = true): KindInfo => ({
  label,
  needsBaseUrl: false,
  usesRegion: false,
  hasEmbeddings,
  baseUrlHint: `Leave empty for the public endpoint (${endpoint}); set it for a proxy or gateway.`,
  baseUrlPlaceholder: endpoint,
  modelPlaceholder: model,
  keyHint: `Your ${label} API key.`,
});

export const KIND_INFO: Record<ModelProviderKind, KindInfo> = {
  openai: hosted('OpenAI', 'https://api.openai.com/v1', 'gpt-4o-mini'),
  anthropic: hosted('Anthropic', 'https://api.anthropic.com/v1', 'claude-sonnet-4-5', false),
  google: hosted('Google Gemini', 'https://generativelanguage.googleapis.com/v1beta', 'gemini-2.5-flash'),
  xai: hosted('xAI Grok', 'https://api.x.ai/v1', 'grok-3-mini', false),
  perplexity: hosted('Perplexity', 'https://api.perplexity.ai', 'sonar', false),
  mistral: hosted('Mistral', 'https://api.mistral.ai/v1', 'mistral-small-latest'),
  azure: {
    label: 'Azure OpenAI',
    needsBaseUrl: true,
    usesRegion: false,
    hasEmbeddings: true,
    baseUrlHint: 'Your resource’s endpoint, https://{resource}.openai.azure.com/openai.',
    baseUrlPlaceholder: 'https://my-resource.openai.azure.com/openai',
    modelPlaceholder: 'the deployment name',
    keyHint: 'A key of your Azure OpenAI resource.',
  },
  'amazon-bedrock': {
    label: 'Amazon Bedrock',
    needsBaseUrl: false,
    usesRegion: true,
    hasEmbeddings: true,
    baseUrlHint: 'Leave empty to use the region’s Bedrock endpoint.',
    baseUrlPlaceholder: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
    modelPlaceholder: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    keyHint: 'A Bedrock API key. The server’s own AWS credentials are never used.',
  },
  'openai-compatible': {
    label: 'OpenAI-compatible (Ollama, vLLM, llama.cpp)',
    needsBaseUrl: true,
    usesRegion: false,
    hasEmbeddings: true,
    baseUrlHint:
      'The API root of your server; Confidant calls /chat/completions under it (/audio/transcriptions and /audio/speech for speech models). Ollama: http://{host}:11434/v1.',
    baseUrlPlaceholder: 'http://ollama.internal:11434/v1',
    modelPlaceholder: 'llama3.1:8b',
    keyHint: 'Sent as a bearer token to this endpoint only. Leave empty if your server needs none.',
  },
  deepgram: hosted('Deepgram', 'https://api.deepgram.com/v1', 'nova-3', false),
  elevenlabs: hosted('ElevenLabs', 'https://api.elevenlabs.io/v1', 'eleven_flash_v2_5', false),
};

export const PROVIDER_KINDS: readonly ModelProviderKind[] = MODEL_PROVIDER_KINDS;

/** A kind from the API (a plain string in the contract) as one the console knows, if it does. */
export const kindInfo = (kind: string): KindInfo | undefined =>
  (KIND_INFO as Record<string, KindInfo | undefined>)[kind];

/** The same rule as the server: an AWS region such as eu-central-1. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
