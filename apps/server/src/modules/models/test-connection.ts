import { APICallError, streamText } from 'ai';
import { AppError, notFound } from '../../platform/errors.js';
import { FetchRefusedError } from '../../platform/net/outbound-policy.js';
import { loadOrgProviders } from '../model-providers/service.js';
import { languageModelFor, ProviderConfigurationError } from './provider-registry.js';
import { type ModelDeps, tenantFetch } from './resolve-provider.js';

/**
 * "Test connection": one tiny call to a provider's first chat model, through the same registry
 * and guarded fetch as answers, reported as ok / latency / what went wrong in words an admin can
 * act on. The prompt is fixed text (nothing personal to redact); the reply is not returned.
 */
export type ConnectionReport = { ok: boolean; model: string; latencyMs: number; error: string | null };

const TEST_TIMEOUT_MS = 15_000;

export async function testProviderConnection(
  deps: ModelDeps,
  orgId: string,
  providerId: string,
): Promise<ConnectionReport> {
  const provider = (await loadOrgProviders(deps.database, deps.keyring, orgId, [providerId])).get(providerId);
  if (!provider) throw notFound('Model provider');
  const model = provider.models.find((m) => m.type === 'chat')?.id;
  if (!model) throw new AppError('validation_failed', 'models: add a chat model to test the connection');
  const started = performance.now();
  try {
    // Streamed, as answers are: the test covers the protocol answers actually use.
    const result = streamText({
      model: languageModelFor({ ...provider, fetch: tenantFetch(deps) }, model),
      prompt: 'Reply with the single word OK.',
      maxOutputTokens: 16,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
      if (part.type === 'abort') throw new DOMException('timed out', 'TimeoutError');
    }
    return { ok: true, model, latencyMs: Math.round(performance.now() - started), error: null };
  } catch (error) {
    return { ok: false, model, latencyMs: Math.round(performance.now() - started), error: describe(error) };
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause ? error.cause : undefined;
  if (error instanceof FetchRefusedError || cause instanceof FetchRefusedError) {
    return `The address is not allowed: ${((cause ?? error) as FetchRefusedError).message}`;
  }
  if (error instanceof ProviderConfigurationError) return error.message;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403) return `The provider refused the API key (HTTP ${status}).`;
    if (status === 404) return `The provider does not know this model or URL (HTTP ${status}).`;
    if (status === 429) return 'The provider is rate-limiting this key (HTTP 429); try again later.';
    if (status !== undefined) return `The provider answered with an error (HTTP ${status}).`;
    return 'The provider could not be reached.';
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `The provider did not answer within ${TEST_TIMEOUT_MS / 1000} s.`;
  }
  return 'The provider could not be reached.';
}
