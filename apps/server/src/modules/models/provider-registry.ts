import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createPerplexity } from '@ai-sdk/perplexity';
import { createXai } from '@ai-sdk/xai';
import { MODEL_PROVIDER_KINDS, type ModelProviderKind } from '@confidant/contract/model-provider-kinds';
import type { EmbeddingModel, LanguageModel } from 'ai';
import type { FetchFunction } from '../../platform/net/guarded-fetch.js';

/**
 * The provider registry: a provider `kind` → an explicit AI SDK provider instance.
 *
 * Invariants:
 * - Always an explicit instance, never a plain model string: a string such as 'openai/gpt-x' given
 *   as streamText's model would route through Vercel's hosted gateway (the `ai` package's global default provider),
 *   sending conversations to a third party the org never chose. provider-registry.test.ts
 *   scans the source for string models.
 * - Always an explicit base URL (the kind's public default when none is configured), so the
 *   request goes where the configuration says and tests can point every kind at a local server.
 * - Always an explicit API key (an empty one when none is set): the SDKs otherwise read
 *   OPENAI_API_KEY, AWS_* … from the environment, and a tenant's provider must never be called
 *   with the operator's own credentials. Bedrock's SigV4 fallback is refused for the same reason.
 * - `fetch` is passed through: the guarded fetch (platform/net) for a URL a tenant gave.
 */
export const PROVIDER_KINDS = MODEL_PROVIDER_KINDS;
export type ProviderKind = ModelProviderKind;

/** Where a kind is reached when no base URL is configured (their public APIs). */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderKind, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
  xai: 'https://api.x.ai/v1',
  perplexity: 'https://api.perplexity.ai',
  mistral: 'https://api.mistral.ai/v1',
  deepgram: 'https://api.deepgram.com/v1',
  elevenlabs: 'https://api.elevenlabs.io/v1',
};

export type ProviderConnection = {
  kind: ProviderKind;
  /** Required for openai-compatible and azure (https://{resource}.openai.azure.com/openai); optional otherwise. */
  baseUrl?: string;
  /** Amazon Bedrock only (e.g. eu-central-1); the endpoint is derived from it unless baseUrl is set. */
  region?: string;
  apiKey?: string;
  fetch?: FetchFunction;
};

export class ProviderConfigurationError extends Error {}

/** The chat model `modelId` of a connection, as an AI SDK LanguageModel object (never a string). */
export function languageModelFor(
  connection: ProviderConnection,
  modelId: string,
): Exclude<LanguageModel, string> {
  const c = settings(connection);
  switch (connection.kind) {
    case 'openai':
      // The Responses API: OpenAI's current protocol (chat completions are the compatible kind).
      return createOpenAI(c).responses(modelId);
    case 'anthropic':
      return createAnthropic(c).messages(modelId);
    case 'google':
      return createGoogleGenerativeAI(c).languageModel(modelId);
    case 'xai':
      return createXai(c).chat(modelId);
    case 'perplexity':
      return createPerplexity(c).languageModel(modelId);
    case 'mistral':
      return createMistral(c).chat(modelId);
    case 'azure':
      // The deployment name is the model id; the v1 API takes it in the body.
      return createAzure(c).chat(modelId);
    case 'amazon-bedrock':
      return bedrock(connection).languageModel(modelId);
    case 'openai-compatible':
      return openAiCompatible(c).chatModel(modelId);
    case 'deepgram':
    case 'elevenlabs':
      // Speech-only kinds (modules/models/speech/).
      throw new ProviderConfigurationError(`Provider kind ${connection.kind} has no chat models`);
  }
}

/** The embedding model `modelId` of a connection; kinds without embeddings are refused. */
export function embeddingModelFor(connection: ProviderConnection, modelId: string): EmbeddingModel {
  const c = settings(connection);
  switch (connection.kind) {
    case 'openai':
      return createOpenAI(c).embeddingModel(modelId);
    case 'google':
      return createGoogleGenerativeAI(c).embeddingModel(modelId);
    case 'mistral':
      return createMistral(c).embeddingModel(modelId);
    case 'azure':
      return createAzure(c).embeddingModel(modelId);
    case 'amazon-bedrock':
      return bedrock(connection).embeddingModel(modelId);
    case 'openai-compatible':
      return openAiCompatible(c).embeddingModel(modelId);
    case 'anthropic':
    case 'xai':
    case 'perplexity':
    case 'deepgram':
    case 'elevenlabs':
      throw new ProviderConfigurationError(`Provider kind ${connection.kind} has no embedding models`);
  }
}

/**
 * Provider options that ask for vectors of `dimensions` (the pgvector column's size), under
 * the key each kind's SDK reads them from.
 */
export function embeddingDimensionOptions(
  kind: ProviderKind,
  dimensions: number | undefined,
): Record<string, Record<string, number>> | undefined {
  if (!dimensions) return undefined;
  switch (kind) {
    case 'openai':
    case 'azure':
      return { openai: { dimensions } };
    case 'google':
      return { google: { outputDimensionality: dimensions } };
    case 'amazon-bedrock':
      return { bedrock: { dimensions } };
    case 'openai-compatible':
      return { [COMPATIBLE_NAME]: { dimensions } };
    default:
      return undefined;
  }
}

/** The openai-compatible provider's name, which is also its providerOptions key. */
const COMPATIBLE_NAME = 'confidant';

function settings(connection: ProviderConnection): {
  baseURL: string;
  apiKey: string;
  fetch?: FetchFunction;
} {
  const baseURL = connection.baseUrl ?? DEFAULT_BASE_URLS[connection.kind];
  if (!baseURL && connection.kind !== 'amazon-bedrock') {
    throw new ProviderConfigurationError(`Provider kind ${connection.kind} needs a base URL`);
  }
  return {
    baseURL: baseURL ?? '',
    apiKey: connection.apiKey ?? '',
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  };
}

function openAiCompatible(c: ReturnType<typeof settings>) {
  return createOpenAICompatible({
    name: COMPATIBLE_NAME,
    baseURL: c.baseURL,
    // No Authorization header at all for keyless local servers (Ollama, vLLM, llama.cpp).
    ...(c.apiKey ? { apiKey: c.apiKey } : {}),
    ...(c.fetch ? { fetch: c.fetch } : {}),
    includeUsage: true,
  });
}

function bedrock(connection: ProviderConnection) {
  if (!connection.region && !connection.baseUrl) {
    throw new ProviderConfigurationError('Amazon Bedrock needs a region');
  }
  return createAmazonBedrock({
    ...(connection.region ? { region: connection.region } : { region: 'us-east-1' }),
    ...(connection.baseUrl ? { baseURL: connection.baseUrl } : {}),
    apiKey: connection.apiKey ?? '',
    // Without an API key the SDK would sign with the server's AWS credentials: refused.
    credentialProvider: () =>
      Promise.reject(new ProviderConfigurationError('Amazon Bedrock needs an API key')),
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  });
}
