import { embedMany, streamText } from 'ai';
import type { Database, Tx } from '../../platform/db/client.js';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { createRedactor, createStreamRestorer } from '../answers/redact.js';
import { costOf } from '../usage/prices.js';
import {
  embeddingDimensionOptions,
  embeddingModelFor,
  languageModelFor,
  type ProviderConnection,
} from './provider-registry.js';

/**
 * The one gateway every model call goes through (DESIGN §4.4):
 * redact PII → call the provider (an explicit AI SDK provider instance from provider-registry.ts,
 * never a model string) → restore the
 * placeholders in the streamed output → meter the call into model_calls.
 * Two kinds of call: streamed chat answers (streamModelText) and embeddings (embedTexts).
 *
 * Invariants: nothing the provider receives contains an email address, phone number, payment
 * card number or IBAN that the redactor recognises; model_calls holds ids and counts only; the
 * gateway logs nothing (prompt and completion may hold personal data).
 */
/**
 * A connection (kind, base URL, region, key) and the model to call. `fetch` is how the provider
 * is reached: the guarded fetch (platform/net/guarded-fetch.ts) for a URL a tenant gave; absent
 * (the global fetch) only for the operator's own configuration.
 */
export type ModelProvider = ProviderConnection & {
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
};
export type ModelMessage = { role: 'user' | 'assistant'; content: string };
export type ModelCallPurpose = 'answer' | 'embedding';

export type ModelCall = {
  orgId: string;
  conversationId: string | null;
  purpose: ModelCallPurpose;
  provider: ModelProvider;
  system: string;
  messages: ModelMessage[];
  signal: AbortSignal;
};

export type ModelCallOutcome = 'ok' | 'error' | 'aborted';

/**
 * Streams the model's answer as restored text deltas. Throws AppError('unavailable') when the
 * provider fails (before or during the stream) and the signal's reason when aborted; the call is
 * metered in every case.
 */
export async function* streamModelText(database: Database, call: ModelCall): AsyncGenerator<string, void> {
  const started = performance.now();
  const redactor = createRedactor();
  const restorer = createStreamRestorer(redactor);
  const system = redactor.redact(call.system);
  const messages = call.messages.map((m) => ({ role: m.role, content: redactor.redact(m.content) }));
  const redactions = redactor.count;
  let outcome: ModelCallOutcome = 'error';
  let usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number } = {
    inputTokens: 0,
    outputTokens: 0,
  };

  try {
    const result = streamText({
      model: languageModelFor(call.provider, call.provider.model),
      ...(call.provider.temperature !== undefined ? { temperature: call.provider.temperature } : {}),
      ...(call.provider.maxOutputTokens !== undefined
        ? { maxOutputTokens: call.provider.maxOutputTokens }
        : {}),
      system,
      messages,
      abortSignal: call.signal,
      // A failed answer is retried by the visitor (same clientMessageId); silent retries here
      // would only delay the error event.
      maxRetries: 0,
      // Errors arrive as stream parts below; the default handler would log provider messages.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        const text = restorer.push(part.text);
        if (text) yield text;
      } else if (part.type === 'finish') {
        usage = {
          inputTokens: part.totalUsage.inputTokens ?? 0,
          outputTokens: part.totalUsage.outputTokens ?? 0,
          ...(part.totalUsage.cachedInputTokens !== undefined
            ? { cachedInputTokens: part.totalUsage.cachedInputTokens }
            : {}),
        };
      } else if (part.type === 'error') {
        throw part.error;
      } else if (part.type === 'abort') {
        throw abortReason(call.signal);
      }
    }
    if (call.signal.aborted) throw abortReason(call.signal);
    const tail = restorer.flush();
    if (tail) yield tail;
    outcome = 'ok';
  } catch (error) {
    if (call.signal.aborted) {
      outcome = 'aborted';
      throw abortReason(call.signal);
    }
    if (error instanceof AppError) throw error;
    throw new AppError('unavailable', 'The model provider did not answer; please try again');
  } finally {
    // The consumer may also stop early (client gone) without an abort signal: that is an abort.
    if (outcome === 'error' && call.signal.aborted) outcome = 'aborted';
    await recordModelCall(
      database,
      { ...call, model: call.provider.model },
      {
        outcome,
        redactions,
        ...usage,
        durationMs: Math.round(performance.now() - started),
      },
    );
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Metering: ids and counts only. A metering failure must not turn a delivered answer into an error. */
async function recordModelCall(
  database: Database,
  call: { orgId: string; conversationId: string | null; purpose: ModelCallPurpose; model: string },
  m: {
    outcome: ModelCallOutcome;
    redactions: number;
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens?: number;
    durationMs: number;
  },
  /** Meter inside this open transaction of the same org (callers holding one must pass it). */
  tx?: Tx,
): Promise<void> {
  const insert = (t: Tx) =>
    t.insert(modelCalls).values({
      orgId: call.orgId,
      conversationId: call.conversationId,
      purpose: call.purpose,
      model: call.model,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      redactions: m.redactions,
      outcome: m.outcome,
      durationMs: m.durationMs,
      cachedInputTokens: m.cachedInputTokens ?? null,
      costUsd: costOf(call.model, m),
    });
  try {
    // In the caller's transaction, a savepoint keeps a failed insert from aborting its work.
    if (tx) await tx.transaction(async (savepoint) => insert(savepoint as Tx));
    else await withTenant(database, [call.orgId], insert);
  } catch {
    // Swallowed on purpose (see above); the database being gone at shutdown is the usual cause.
  }
}

export type EmbeddingProvider = ProviderConnection & { model: string; dimensions?: number };

export type EmbeddingCall = {
  orgId: string;
  provider: EmbeddingProvider;
  texts: string[];
  signal?: AbortSignal;
  /** Gives up (provider failure) after this long; a visitor's search must not hang on it. */
  timeoutMs: number;
  /** SDK retries with backoff: worth it in a background job, not while a visitor waits. */
  maxRetries: number;
  /** The caller's open transaction of this org, when it holds one (metering then writes there). */
  tx?: Tx;
};

/**
 * Embeds texts in one provider call (the caller batches): redact PII in every text → embed
 * through the AI SDK → check the vectors → meter (purpose 'embedding', token count when the
 * provider reports it). Placeholders are not restored: vectors carry no text.
 *
 * Throws AppError('unavailable') when the provider fails or answers with unusable vectors, and
 * the signal's reason when aborted; the call is metered in every case.
 */
export async function embedTexts(database: Database, call: EmbeddingCall): Promise<number[][]> {
  const started = performance.now();
  const redactor = createRedactor();
  const values = call.texts.map((text) => redactor.redact(text));
  let outcome: ModelCallOutcome = 'error';
  let inputTokens = 0;
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  try {
    const dimensionOptions = embeddingDimensionOptions(call.provider.kind, call.provider.dimensions);
    const result = await embedMany({
      model: embeddingModelFor(call.provider, call.provider.model),
      values,
      maxRetries: call.maxRetries,
      maxParallelCalls: 1,
      abortSignal: signal,
      ...(dimensionOptions ? { providerOptions: dimensionOptions } : {}),
    });
    inputTokens = result.usage?.tokens ?? 0;
    const embeddings = result.embeddings;
    const size = call.provider.dimensions ?? embeddings[0]?.length ?? 0;
    const usable =
      embeddings.length === values.length &&
      size > 0 &&
      embeddings.every((e) => e.length === size && e.every((x) => Number.isFinite(x)));
    if (!usable) throw new AppError('unavailable', 'The embedding provider answered with unusable vectors');
    outcome = 'ok';
    return embeddings;
  } catch (error) {
    if (call.signal?.aborted) {
      outcome = 'aborted';
      throw abortReason(call.signal);
    }
    if (error instanceof AppError) throw error;
    throw new AppError('unavailable', 'The embedding provider did not answer; please try again');
  } finally {
    await recordModelCall(
      database,
      { orgId: call.orgId, conversationId: null, purpose: 'embedding', model: call.provider.model },
      {
        outcome,
        redactions: redactor.count,
        inputTokens,
        outputTokens: 0,
        durationMs: Math.round(performance.now() - started),
      },
      call.tx,
    );
  }
}
