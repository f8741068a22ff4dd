/**
 * The model provider kinds Confidant can call (one explicit AI SDK provider each, see the
 * server's modules/models/provider-registry.ts). Shared by the server's configuration, its API
 * and the console's provider form. Runtime values, so exported on their own path.
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
] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];
