import { setTimeout as sleep } from 'node:timers/promises';
import { embedMany, hasToolCall, type StopCondition, stepCountIs, streamText, type ToolSet } from 'ai';
import type { Database, Tx } from '../../platform/db/client.js';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { costOf, speechCostOf } from '../usage/prices.js';
import {
  embeddingDimensionOptions,
  embeddingModelFor,
  languageModelFor,
  type ProviderConnection,
  type ProviderKind,
} from './provider-registry.js';
import { createRedactor, createStreamRestorer, type Redactor } from './redaction/index.js';
import { AttemptTimeoutError, retryDelayMs } from './retry-policy.js';
import { redactToolSet } from './tool-redaction.js';

/**
 * The one gateway every model call goes through (DESIGN §4.4):
 * redact PII → call the provider (an explicit AI SDK provider instance from provider-registry.ts,
 * never a model string; retried per the provider's maxRetries before the first token) → restore
 * the placeholders in the streamed output → meter every attempt into model_calls.
 * Two kinds of call: streamed chat answers (streamModelText, optionally with tools the model may
 * call over several steps) and embeddings (embedTexts).
 *
 * Invariants: nothing the provider receives contains a value the redactor recognises (email,
 * phone, card, IBAN, SSN, IP, address, date of birth, person name: models/redaction);
 * model_calls holds ids and counts only, one row per attempt; the gateway logs nothing (prompt
 * and completion may hold personal data). This module depends on models/redaction, never on
 * answers/. Tools see real values, the model never does: a tool's input has this call's
 * placeholders restored before its execute runs (a business API needs the real order id or
 * email), and its output is redacted by the same redactor before the model reads it
 * (tool-redaction.ts).
 */
/**
 * A connection (kind, base URL, region, key) and the model to call. `fetch` is how the provider
 * is reached: the guarded fetch (platform/net/guarded-fetch.ts) for a URL a tenant gave; absent
 * (the global fetch) only for the operator's own configuration. `providerId` is the org's
 * provider row (absent: the server's own provider), recorded with every call.
 */
export type ModelProvider = ProviderConnection & {
  providerId?: string;
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** How long one attempt may wait for the first token (absent: no deadline of its own). */
  timeoutMs?: number;
  /** Retries after a retryable failure before the first token (retry-policy.ts); absent: none. */
  maxRetries?: number;
};
export type ModelMessage = { role: 'user' | 'assistant'; content: string };
/** 'voice': the widget's spoken messages and replies; 'call': transcribing an uploaded call. */
export type ModelCallPurpose = 'answer' | 'embedding' | 'test' | 'voice' | 'call';

/** What one metered attempt cost, for callers that keep a running total (usage/quota-watch.ts). */
export type MeteredUsage = { inputTokens: number; outputTokens: number; costUsd: number | null };

export type ModelCall = {
  orgId: string;
  conversationId: string | null;
  purpose: ModelCallPurpose;
  provider: ModelProvider;
  system: string;
  messages: ModelMessage[];
  signal: AbortSignal;
  /** Called after each attempt is metered. */
  onMetered?: (usage: MeteredUsage) => void;
  /**
   * Tools the model may call (AI SDK tool calling). Only these: a call to any other name is
   * refused by the SDK (NoSuchToolError, sent back to the model as an error result) and nothing
   * runs. Each execute is wrapped for redaction (see above).
   */
  tools?: ToolSet;
  /**
   * The most provider requests (steps) one attempt may make: a step that calls tools is followed
   * by one that reads their results. Default 4 with tools; 2 without, so a model that calls a
   * tool it was never given hears the refusal and can still answer (a step that calls no tool
   * is always the last).
   */
  maxSteps?: number;
  /** Tools whose call ends the answer after that step (e.g. `handoff`: nothing to read back). */
  endingTools?: readonly string[];
};

/** How a metered attempt ended; 'timeout': nothing arrived before the attempt's deadline. */
export type ModelCallOutcome = 'ok' | 'error' | 'timeout' | 'aborted';

type Prepared = {
  redactor: Redactor;
  system: string;
  messages: ModelMessage[];
};

/**
 * Why an attempt failed, and whether it had committed: text had arrived (the visitor may have
 * read it) or a tool had run (it may have acted: an order cancelled, an email sent). A committed
 * attempt is never retried: a retry would say or do it twice.
 */
type AttemptFailure = { error: unknown; committed: boolean };

/**
 * Streams the model's answer as restored text deltas. The texts are redacted once; each attempt
 * (the first and up to `provider.maxRetries` retries, only for retryable failures before the
 * first token or tool run: retry-policy.ts) is metered as its own model_calls row, with the
 * tokens of all its steps summed. Throws
 * AppError('unavailable') when the provider fails for good (before or during the stream) and the
 * signal's reason when aborted.
 */
export async function* streamModelText(database: Database, call: ModelCall): AsyncGenerator<string, void> {
  const redactor = createRedactor();
  const system = redactor.redact(call.system);
  const messages = call.messages.map((m) => ({ role: m.role, content: redactor.redact(m.content) }));
  const prepared: Prepared = { redactor, system, messages };
  let toolsRan = false;
  const tools = call.tools
    ? redactToolSet(call.tools, redactor, () => {
        toolsRan = true;
      })
    : undefined;
  const maxRetries = call.provider.maxRetries ?? 0;
  for (let attempt = 0; ; attempt++) {
    const failure = yield* streamAttempt(database, call, prepared, tools, () => toolsRan);
    if (!failure) return;
    const wait = failure.committed || attempt >= maxRetries ? null : retryDelayMs(failure.error, attempt);
    if (wait === null) {
      if (failure.error instanceof AppError) throw failure.error;
      throw new AppError('unavailable', 'The model provider did not answer; please try again');
    }
    try {
      await sleep(wait, undefined, { signal: call.signal });
    } catch {
      throw abortReason(call.signal);
    }
  }
}

/**
 * One attempt: streams restored text, meters itself; returns null when it answered in full.
 * The first-token deadline applies to each step's provider request (re-armed when a step starts,
 * cleared at that step's first output), never to a tool's own run.
 */
async function* streamAttempt(
  database: Database,
  call: ModelCall,
  prepared: Prepared,
  tools: ToolSet | undefined,
  toolsRan: () => boolean,
): AsyncGenerator<string, AttemptFailure | null> {
  const started = performance.now();
  const restorer = createStreamRestorer(prepared.redactor);
  const { provider } = call;
  const deadline = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer =
      provider.timeoutMs === undefined
        ? undefined
        : setTimeout(() => deadline.abort(new AttemptTimeoutError(provider.timeoutMs!)), provider.timeoutMs);
  };
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  arm();
  let steps = 0;
  let outcome: ModelCallOutcome = 'error';
  let receivedText = false;
  const usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: undefined as number | undefined };
  const stopWhen: StopCondition<ToolSet>[] = [
    stepCountIs(call.maxSteps ?? (tools ? DEFAULT_TOOL_STEPS : 2)),
    ...(call.endingTools ?? []).map((name) => hasToolCall(name)),
  ];
  try {
    const result = streamText({
      model: languageModelFor(provider, provider.model),
      ...(provider.temperature !== undefined ? { temperature: provider.temperature } : {}),
      ...(provider.maxOutputTokens !== undefined ? { maxOutputTokens: provider.maxOutputTokens } : {}),
      system: prepared.system,
      messages: prepared.messages,
      ...(tools ? { tools } : {}),
      stopWhen,
      abortSignal: AbortSignal.any([call.signal, deadline.signal]),
      // Retries are ours (streamModelText): each attempt metered, none after the first token.
      maxRetries: 0,
      // Errors arrive as stream parts below; the default handler would log provider messages.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        receivedText = true;
        disarm();
        const text = restorer.push(part.text);
        if (text) yield text;
      } else if (part.type === 'start-step') {
        if (steps++ > 0) arm();
      } else if (
        part.type === 'tool-input-start' ||
        part.type === 'tool-call' ||
        part.type === 'reasoning-start'
      ) {
        disarm();
      } else if (part.type === 'finish-step') {
        // Summed per step (not the final total): a step that failed later still counts its tokens.
        usage.inputTokens += part.usage.inputTokens ?? 0;
        usage.outputTokens += part.usage.outputTokens ?? 0;
        const cached = part.usage.inputTokenDetails?.cacheReadTokens;
        if (cached !== undefined) usage.cachedInputTokens = (usage.cachedInputTokens ?? 0) + cached;
      } else if (part.type === 'error') {
        throw part.error;
      } else if (part.type === 'abort') {
        throw abortReason(call.signal.aborted ? call.signal : deadline.signal);
      }
    }
    if (call.signal.aborted) throw abortReason(call.signal);
    const tail = restorer.flush();
    if (tail) yield tail;
    outcome = 'ok';
    return null;
  } catch (error) {
    if (call.signal.aborted) {
      outcome = 'aborted';
      throw abortReason(call.signal);
    }
    const committed = receivedText || toolsRan();
    if (deadline.signal.aborted) {
      outcome = 'timeout';
      return { error: deadline.signal.reason, committed };
    }
    return { error, committed };
  } finally {
    disarm();
    // The consumer may also stop early (client gone) without an abort signal: that is an abort.
    if (outcome === 'error' && call.signal.aborted) outcome = 'aborted';
    const costUsd = await meterModelCall(
      database,
      { ...call, model: provider.model, provider },
      {
        outcome,
        // Tool outputs redacted in this attempt count too (the redactor's running total).
        redactions: prepared.redactor.count,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        ...(usage.cachedInputTokens !== undefined ? { cachedInputTokens: usage.cachedInputTokens } : {}),
        durationMs: Math.round(performance.now() - started),
      },
    );
    call.onMetered?.({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd });
  }
}

/** Steps per attempt with tools: call, read, and room for one more call and its answer. */
const DEFAULT_TOOL_STEPS = 4;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Metering: ids and counts only, with the provider (the org's row and its kind) and the cost
 * from the price table. Returns the cost recorded. A metering failure must not turn a delivered
 * answer into an error.
 */
export async function meterModelCall(
  database: Database,
  call: {
    orgId: string;
    conversationId: string | null;
    purpose: ModelCallPurpose;
    model: string;
    provider: { kind: ProviderKind; providerId?: string };
  },
  m: {
    outcome: ModelCallOutcome;
    redactions: number;
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens?: number;
    durationMs: number;
    /** Transcription: seconds of audio (priced per minute). */
    audioSeconds?: number;
    /** Speech: characters synthesised (priced per million). */
    characters?: number;
  },
  /** Meter inside this open transaction of the same org (callers holding one must pass it). */
  tx?: Tx,
): Promise<number | null> {
  const speech = m.audioSeconds !== undefined || m.characters !== undefined;
  const costUsd = speech ? speechCostOf(call.model, m) : costOf(call.model, m);
  const insert = (t: Tx) =>
    t.insert(modelCalls).values({
      orgId: call.orgId,
      conversationId: call.conversationId,
      purpose: call.purpose,
      model: call.model,
      providerId: call.provider.providerId ?? null,
      providerKind: call.provider.kind,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      redactions: m.redactions,
      outcome: m.outcome,
      durationMs: m.durationMs,
      cachedInputTokens: m.cachedInputTokens ?? null,
      costUsd,
      audioSeconds: m.audioSeconds ?? null,
      characters: m.characters ?? null,
    });
  try {
    // In the caller's transaction, a savepoint keeps a failed insert from aborting its work.
    if (tx) await tx.transaction(async (savepoint) => insert(savepoint as Tx));
    else await withTenant(database, [call.orgId], insert);
  } catch {
    // Swallowed on purpose (see above); the database being gone at shutdown is the usual cause.
  }
  return costUsd;
}

export type EmbeddingProvider = ProviderConnection & {
  /** The org's provider row (absent: the server's CONFIDANT_EMBEDDING_*). */
  providerId?: string;
  model: string;
  dimensions?: number;
};

export type EmbeddingCall = {
  orgId: string;
  provider: EmbeddingProvider;
  texts: string[];
  signal?: AbortSignal;
  /** One attempt gives up (a timeout) after this long; a visitor's search must not hang on it. */
  timeoutMs: number;
  /** Retries (retry-policy.ts): worth it in a background job, not while a visitor waits. */
  maxRetries: number;
  /** The caller's open transaction of this org, when it holds one (metering then writes there). */
  tx?: Tx;
};

/**
 * Embeds texts in one provider call (the caller batches): redact PII in every text → embed
 * through the AI SDK → check the vectors → meter (purpose 'embedding', token count when the
 * provider reports it). Placeholders are not restored: vectors carry no text. A failed attempt is
 * retried up to `maxRetries` times when retry-policy.ts says so (network error, 408/409/429/5xx,
 * the attempt's own timeout), each attempt metered as its own row, as for answers.
 *
 * Throws AppError('unavailable') when the provider fails for good or answers with unusable
 * vectors, and the signal's reason when aborted.
 */
export async function embedTexts(database: Database, call: EmbeddingCall): Promise<number[][]> {
  const redactor = createRedactor();
  const values = call.texts.map((text) => redactor.redact(text));
  for (let attempt = 0; ; attempt++) {
    const result = await embedAttempt(database, call, values, redactor.count);
    if (!('error' in result)) return result.embeddings;
    const wait = attempt < call.maxRetries ? retryDelayMs(result.error, attempt) : null;
    if (wait === null) {
      if (result.error instanceof AppError) throw result.error;
      throw new AppError('unavailable', 'The embedding provider did not answer; please try again');
    }
    try {
      await sleep(wait, undefined, call.signal ? { signal: call.signal } : {});
    } catch {
      throw abortReason(call.signal!);
    }
  }
}

/** One metered embedding call: the vectors, or why it failed (aborts throw). */
async function embedAttempt(
  database: Database,
  call: EmbeddingCall,
  values: string[],
  redactions: number,
): Promise<{ embeddings: number[][] } | { error: unknown }> {
  const started = performance.now();
  let outcome: ModelCallOutcome = 'error';
  let inputTokens = 0;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new AttemptTimeoutError(call.timeoutMs)), call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline.signal]) : deadline.signal;
  try {
    const dimensionOptions = embeddingDimensionOptions(call.provider.kind, call.provider.dimensions);
    const result = await embedMany({
      model: embeddingModelFor(call.provider, call.provider.model),
      values,
      // Retries are ours (embedTexts): each attempt metered.
      maxRetries: 0,
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
    return { embeddings };
  } catch (error) {
    if (call.signal?.aborted) {
      outcome = 'aborted';
      throw abortReason(call.signal);
    }
    if (deadline.signal.aborted) {
      outcome = 'timeout';
      return { error: deadline.signal.reason };
    }
    return { error };
  } finally {
    clearTimeout(timer);
    await meterModelCall(
      database,
      {
        orgId: call.orgId,
        conversationId: null,
        purpose: 'embedding',
        model: call.provider.model,
        provider: call.provider,
      },
      {
        outcome,
        redactions,
        inputTokens,
        outputTokens: 0,
        durationMs: Math.round(performance.now() - started),
      },
      call.tx,
    );
  }
}
