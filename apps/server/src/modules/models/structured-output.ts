import { setTimeout as sleep } from 'node:timers/promises';
import type { CallModelChoice } from '@confidant/contract';
import { NoObjectGeneratedError, Output, streamText } from 'ai';
import type { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import {
  abortReason,
  type MeteredUsage,
  type ModelCallOutcome,
  type ModelCallPurpose,
  type ModelProvider,
  meterModelCall,
} from './gateway.js';
import { languageModelFor } from './provider-registry.js';
import { createRedactor, type Redactor } from './redaction/index.js';
import { type ModelDeps, resolveChosenModel } from './resolve-provider.js';
import { AttemptTimeoutError, retryDelayMs } from './retry-policy.js';

/**
 * Structured output through the gateway's rules (gateway.ts): one object matching a zod schema
 * (AI SDK `Output.object`: the provider's JSON-schema mode, e.g. OpenAI `response_format:
 * json_schema`), for background analysis such as call scoring.
 *
 * Same invariants as chat answers: the system text and prompt are redacted by one redactor
 * (typed placeholders, models/redaction) before the provider sees them, and every string in the
 * returned object has this call's placeholders restored; each attempt is metered into
 * model_calls (tokens, cost, redaction count, outcome) under `purpose`; the provider's first-token
 * deadline (`timeoutMs`) and retries (`maxRetries`, retry-policy.ts) apply as for answers. An
 * answer that does not match the schema counts as a failed attempt and is retried within the same
 * `maxRetries` (no one has seen it). Nothing is logged.
 *
 * Throws AppError('unavailable') when the model is gone or fails for good, the signal's reason
 * when aborted.
 */
export type StructuredCall<T> = {
  deps: ModelDeps;
  orgId: string;
  /** The org's provider and model (resolved like chat answers), or an already resolved provider. */
  model: CallModelChoice | ModelProvider;
  schema: z.ZodType<T>;
  /** A name for the object (some providers show it to the model). */
  schemaName?: string;
  system: string;
  prompt: string;
  purpose: ModelCallPurpose;
  signal: AbortSignal;
};

export type StructuredResult<T> = {
  object: T;
  /** The model that answered (for the stored score's providerId/model). */
  provider: ModelProvider;
  /** Summed over all attempts. */
  usage: MeteredUsage;
};

export async function generateStructured<T>(call: StructuredCall<T>): Promise<StructuredResult<T>> {
  const provider =
    'providerId' in call.model && !('kind' in call.model)
      ? await resolveChosenModel(call.deps, call.orgId, call.model)
      : (call.model as ModelProvider);
  if (!provider) throw new AppError('unavailable', 'The chosen model provider no longer exists');
  const redactor = createRedactor();
  const system = redactor.redact(call.system);
  const prompt = redactor.redact(call.prompt);
  const total: MeteredUsage = { inputTokens: 0, outputTokens: 0, costUsd: null };
  const maxRetries = provider.maxRetries ?? 0;
  for (let attempt = 0; ; attempt++) {
    const result = await structuredAttempt(call, provider, redactor, system, prompt, total);
    if ('object' in result) {
      return { object: restoreStrings(result.object, redactor) as T, provider, usage: total };
    }
    const wait =
      attempt >= maxRetries
        ? null
        : NoObjectGeneratedError.isInstance(result.error)
          ? 0
          : retryDelayMs(result.error, attempt);
    if (wait === null) {
      if (result.error instanceof AppError) throw result.error;
      throw new AppError('unavailable', 'The model provider did not give a usable answer; please try again');
    }
    try {
      await sleep(wait, undefined, { signal: call.signal });
    } catch {
      throw abortReason(call.signal);
    }
  }
}

/** One metered attempt: the parsed object, or why it failed (aborts throw). */
async function structuredAttempt<T>(
  call: StructuredCall<T>,
  provider: ModelProvider,
  redactor: Redactor,
  system: string,
  prompt: string,
  total: MeteredUsage,
): Promise<{ object: T } | { error: unknown }> {
  const started = performance.now();
  const deadline = new AbortController();
  let timer =
    provider.timeoutMs === undefined
      ? undefined
      : setTimeout(() => deadline.abort(new AttemptTimeoutError(provider.timeoutMs!)), provider.timeoutMs);
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  let outcome: ModelCallOutcome = 'error';
  const usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: undefined as number | undefined };
  try {
    const result = streamText({
      model: languageModelFor(provider, provider.model),
      ...(provider.temperature !== undefined ? { temperature: provider.temperature } : {}),
      ...(provider.maxOutputTokens !== undefined ? { maxOutputTokens: provider.maxOutputTokens } : {}),
      system,
      prompt,
      output: Output.object({ schema: call.schema, ...(call.schemaName ? { name: call.schemaName } : {}) }),
      abortSignal: AbortSignal.any([call.signal, deadline.signal]),
      maxRetries: 0,
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      // The first output of any kind ends the first-token wait (some providers answer through a tool).
      if (part.type === 'text-delta' || part.type === 'reasoning-start' || part.type === 'tool-input-start')
        disarm();
      else if (part.type === 'finish-step') {
        usage.inputTokens += part.usage.inputTokens ?? 0;
        usage.outputTokens += part.usage.outputTokens ?? 0;
        const cached = part.usage.inputTokenDetails?.cacheReadTokens;
        if (cached !== undefined) usage.cachedInputTokens = (usage.cachedInputTokens ?? 0) + cached;
      } else if (part.type === 'error') throw part.error;
      else if (part.type === 'abort') throw abortReason(call.signal.aborted ? call.signal : deadline.signal);
    }
    if (call.signal.aborted) throw abortReason(call.signal);
    const object = (await result.output) as T;
    outcome = 'ok';
    return { object };
  } catch (error) {
    if (call.signal.aborted) {
      outcome = 'aborted';
      throw abortReason(call.signal);
    }
    if (deadline.signal.aborted) {
      outcome = 'timeout';
      return { error: deadline.signal.reason };
    }
    return { error };
  } finally {
    disarm();
    const costUsd = await meterModelCall(
      call.deps.database,
      { orgId: call.orgId, conversationId: null, purpose: call.purpose, model: provider.model, provider },
      {
        outcome,
        redactions: redactor.count,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        ...(usage.cachedInputTokens !== undefined ? { cachedInputTokens: usage.cachedInputTokens } : {}),
        durationMs: Math.round(performance.now() - started),
      },
    );
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    if (costUsd !== null) total.costUsd = (total.costUsd ?? 0) + costUsd;
  }
}

/** The object with this call's placeholders restored in every string, at any depth. */
export function restoreStrings(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.restore(value);
  if (Array.isArray(value)) return value.map((v) => restoreStrings(v, redactor));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreStrings(v, redactor)]));
  }
  return value;
}
