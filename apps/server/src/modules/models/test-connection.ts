import { APICallError, streamText } from 'ai';
import { AppError, notFound } from '../../platform/errors.js';
import { FetchRefusedError } from '../../platform/net/outbound-policy.js';
import { loadOrgProviders } from '../model-providers/service.js';
import { type ModelCallOutcome, meterModelCall } from './gateway.js';
import { languageModelFor, ProviderConfigurationError } from './provider-registry.js';
import { type ModelDeps, tenantFetch } from './resolve-provider.js';
import { SpeechProviderError, synthesizeSpeech, toneWav, transcribeAudio } from './speech/index.js';
import type { ResolvedSpeechModel } from './speech/types.js';

/**
 * "Test connection": one tiny call to a provider's first chat model (else its first
 * transcription or speech model, testSpeechModel below), through the same registry
 * and guarded fetch as answers, reported as ok / latency / what went wrong in words an admin can
 * act on. The prompt is fixed text (nothing personal to redact); the reply is not returned. The
 * call is metered like any other (purpose 'test', the provider recorded), so it shows in usage;
 * one attempt within the provider's timeoutMs, no retries: the admin wants to see the failure.
 */
export type ConnectionReport = { ok: boolean; model: string; latencyMs: number; error: string | null };

export async function testProviderConnection(
  deps: ModelDeps,
  orgId: string,
  providerId: string,
): Promise<ConnectionReport> {
  const provider = (await loadOrgProviders(deps.database, deps.keyring, orgId, [providerId])).get(providerId);
  if (!provider) throw notFound('Model provider');
  const model = provider.models.find((m) => m.type === 'chat')?.id;
  if (!model) {
    const speech =
      provider.models.find((m) => m.type === 'transcription') ??
      provider.models.find((m) => m.type === 'speech');
    if (speech) {
      return testSpeechModel(deps, orgId, {
        providerId,
        kind: provider.kind,
        type: speech.type as ResolvedSpeechModel['type'],
        model: speech.id,
        timeoutMs: provider.timeoutMs,
        maxRetries: 0,
        ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}),
        ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
      });
    }
    throw new AppError(
      'validation_failed',
      'models: add a chat model (or a transcription or speech model) to test the connection',
    );
  }
  const started = performance.now();
  let outcome: ModelCallOutcome = 'error';
  let usage = { inputTokens: 0, outputTokens: 0 };
  try {
    // Streamed, as answers are: the test covers the protocol answers actually use.
    const result = streamText({
      model: languageModelFor({ ...provider, fetch: tenantFetch(deps) }, model),
      prompt: 'Reply with the single word OK.',
      maxOutputTokens: 16,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(provider.timeoutMs),
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
      if (part.type === 'abort') throw new DOMException('timed out', 'TimeoutError');
      if (part.type === 'finish')
        usage = {
          inputTokens: part.totalUsage.inputTokens ?? 0,
          outputTokens: part.totalUsage.outputTokens ?? 0,
        };
    }
    outcome = 'ok';
    return { ok: true, model, latencyMs: Math.round(performance.now() - started), error: null };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') outcome = 'timeout';
    return {
      ok: false,
      model,
      latencyMs: Math.round(performance.now() - started),
      error: describe(error, provider.timeoutMs),
    };
  } finally {
    await meterModelCall(
      deps.database,
      { orgId, conversationId: null, purpose: 'test', model, provider },
      { outcome, redactions: 0, ...usage, durationMs: Math.round(performance.now() - started) },
    );
  }
}

/**
 * A provider without chat models: its first transcription model transcribes a bundled clip (half
 * a second of tone, generated), else its first speech model speaks one word, read to the end.
 * Metered by the speech module (purpose 'test'); the transcript and the audio are dropped.
 */
async function testSpeechModel(
  deps: ModelDeps,
  orgId: string,
  model: ResolvedSpeechModel,
): Promise<ConnectionReport> {
  const started = performance.now();
  const report = (error: string | null): ConnectionReport => ({
    ok: error === null,
    model: model.model,
    latencyMs: Math.round(performance.now() - started),
    error,
  });
  try {
    if (model.type === 'transcription') {
      await transcribeAudio(deps, {
        orgId,
        model,
        audio: TEST_CLIP,
        mediaType: 'audio/wav',
        purpose: 'test',
      });
    } else {
      const speech = await synthesizeSpeech(deps, {
        orgId,
        model,
        text: 'OK',
        format: 'mp3',
        purpose: 'test',
      });
      const reader = speech.stream.getReader();
      while (!(await reader.read()).done) {}
    }
    return report(null);
  } catch (error) {
    if (error instanceof SpeechProviderError) return report(error.detail);
    return report('The provider could not be reached.');
  }
}

/** Half a second of tone in a 16 kHz WAV: something any transcription model accepts. */
const TEST_CLIP = toneWav({ durationSeconds: 0.5, regions: [{ start: 0.1, end: 0.4 }] });

function describe(error: unknown, timeoutMs: number): string {
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
    return `The provider did not answer within ${timeoutMs / 1000} s.`;
  }
  return 'The provider could not be reached.';
}
