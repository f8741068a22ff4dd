import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The price table shipped with the product: USD per million tokens (chat, embeddings), per
 * minute of audio (transcription) or per million characters (speech), per model, as published
 * by the providers on `PRICES_AS_OF`. Prices change; operators override or extend the table with a
 * JSON file named by CONFIDANT_PRICES_FILE (same shape as `priceFileSchema`), read once per
 * process. The cost of a call is computed when it is metered and stored with it, so a later price
 * change never rewrites past costs. A model not in the table has no cost (null, "unknown"), never 0.
 */
export const PRICES_AS_OF = '2026-11-01';

export type ModelPrice = {
  /** Who sells the model (groups usage by provider). */
  provider: string;
  /** USD per million input / output tokens (absent for speech-only models: token cost unknown). */
  input?: number;
  output?: number;
  /** Price of input tokens served from the provider's prompt cache (defaults to `input`). */
  cachedInput?: number;
  /** Transcription: USD per minute of audio. */
  audioMinute?: number;
  /** Speech: USD per million characters synthesised. */
  characters?: number;
};

const builtIn: Record<string, ModelPrice> = {
  // OpenAI
  'gpt-5': { provider: 'openai', input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { provider: 'openai', input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { provider: 'openai', input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-4.1': { provider: 'openai', input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { provider: 'openai', input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { provider: 'openai', input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4o': { provider: 'openai', input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { provider: 'openai', input: 0.15, output: 0.6, cachedInput: 0.075 },
  o3: { provider: 'openai', input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { provider: 'openai', input: 1.1, output: 4.4, cachedInput: 0.275 },
  'text-embedding-3-small': { provider: 'openai', input: 0.02, output: 0 },
  'text-embedding-3-large': { provider: 'openai', input: 0.13, output: 0 },
  // Anthropic
  'claude-opus-4-1': { provider: 'anthropic', input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4': { provider: 'anthropic', input: 15, output: 75, cachedInput: 1.5 },
  'claude-sonnet-4-5': { provider: 'anthropic', input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4': { provider: 'anthropic', input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { provider: 'anthropic', input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-haiku': { provider: 'anthropic', input: 0.8, output: 4, cachedInput: 0.08 },
  // Google
  'gemini-2.5-pro': { provider: 'google', input: 1.25, output: 10, cachedInput: 0.31 },
  'gemini-2.5-flash': { provider: 'google', input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.5-flash-lite': { provider: 'google', input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.0-flash': { provider: 'google', input: 0.1, output: 0.4, cachedInput: 0.025 },
  'text-embedding-004': { provider: 'google', input: 0, output: 0 },
  // xAI
  'grok-4': { provider: 'xai', input: 3, output: 15, cachedInput: 0.75 },
  'grok-4-fast': { provider: 'xai', input: 0.2, output: 0.5, cachedInput: 0.05 },
  'grok-3': { provider: 'xai', input: 3, output: 15, cachedInput: 0.75 },
  'grok-3-mini': { provider: 'xai', input: 0.3, output: 0.5, cachedInput: 0.075 },
  // Mistral
  'mistral-large': { provider: 'mistral', input: 2, output: 6 },
  'mistral-medium': { provider: 'mistral', input: 0.4, output: 2 },
  'mistral-small': { provider: 'mistral', input: 0.1, output: 0.3 },
  'ministral-8b': { provider: 'mistral', input: 0.1, output: 0.1 },
  'mistral-embed': { provider: 'mistral', input: 0.1, output: 0 },
  // Perplexity (token prices only; per-request search fees are not metered)
  sonar: { provider: 'perplexity', input: 1, output: 1 },
  'sonar-pro': { provider: 'perplexity', input: 3, output: 15 },
  'sonar-reasoning': { provider: 'perplexity', input: 1, output: 5 },
  'sonar-reasoning-pro': { provider: 'perplexity', input: 2, output: 8 },
  // Transcription (per minute of audio) and speech (per million characters)
  'whisper-1': { provider: 'openai', audioMinute: 0.006 },
  'gpt-4o-transcribe': { provider: 'openai', audioMinute: 0.006 },
  'gpt-4o-mini-transcribe': { provider: 'openai', audioMinute: 0.003 },
  'tts-1': { provider: 'openai', characters: 15 },
  'tts-1-hd': { provider: 'openai', characters: 30 },
  'nova-3': { provider: 'deepgram', audioMinute: 0.0043 },
  'nova-2': { provider: 'deepgram', audioMinute: 0.0043 },
  scribe_v1: { provider: 'elevenlabs', audioMinute: 0.0067 },
  eleven_flash_v2_5: { provider: 'elevenlabs', characters: 50 },
  eleven_turbo_v2_5: { provider: 'elevenlabs', characters: 50 },
  eleven_multilingual_v2: { provider: 'elevenlabs', characters: 100 },
};

const priceSchema = z.strictObject({
  provider: z.string().min(1).max(100),
  input: z.number().min(0).optional(),
  output: z.number().min(0).optional(),
  cachedInput: z.number().min(0).optional(),
  audioMinute: z.number().min(0).optional(),
  characters: z.number().min(0).optional(),
});
export const priceFileSchema = z.strictObject({
  pricesAsOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  models: z.record(z.string().min(1), priceSchema),
});

export type PriceTable = { pricesAsOf: string; models: Record<string, ModelPrice> };

let loaded: { path: string | undefined; table: PriceTable } | null = null;

/** The effective table: built-in merged with the operator's file (a bad file fails loudly). */
export function priceTable(path = process.env.CONFIDANT_PRICES_FILE || undefined): PriceTable {
  if (loaded && loaded.path === path) return loaded.table;
  let table: PriceTable = { pricesAsOf: PRICES_AS_OF, models: builtIn };
  if (path) {
    const file = priceFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    table = {
      pricesAsOf: file.pricesAsOf ?? PRICES_AS_OF,
      models: { ...builtIn, ...(file.models as Record<string, ModelPrice>) },
    };
  }
  loaded = { path, table };
  return table;
}

/**
 * The table entry for a model id: exact, else the longest entry the id starts with (dated
 * snapshots like "gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929"), after dropping a
 * "provider/" prefix. Null when unknown.
 */
export function priceOf(model: string, table = priceTable()): ModelPrice | null {
  const id = model.toLowerCase().replace(/^[a-z0-9-]+\//, '');
  if (table.models[id]) return table.models[id];
  let best: string | null = null;
  for (const key of Object.keys(table.models)) {
    if (id.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key;
  }
  return best ? (table.models[best] ?? null) : null;
}

/** USD of one call; null when the model is not priced. Cached tokens are part of inputTokens. */
export function costOf(
  model: string,
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number | null },
  table = priceTable(),
): number | null {
  const price = priceOf(model, table);
  if (!price || price.input === undefined || price.output === undefined) return null;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const usd =
    ((usage.inputTokens - cached) * price.input +
      cached * (price.cachedInput ?? price.input) +
      usage.outputTokens * price.output) /
    1_000_000;
  // Micro-dollar precision: enough for sums, free of float noise in the API.
  return Math.round(usd * 1e6) / 1e6;
}

/**
 * USD of one transcription (`audioSeconds`) or speech (`characters`) call; null when the model
 * has no price of that unit (a chat price never stands in for it).
 */
export function speechCostOf(
  model: string,
  usage: { audioSeconds?: number; characters?: number },
  table = priceTable(),
): number | null {
  const price = priceOf(model, table);
  let usd: number;
  if (usage.audioSeconds !== undefined) {
    if (price?.audioMinute === undefined) return null;
    usd = (usage.audioSeconds / 60) * price.audioMinute;
  } else if (usage.characters !== undefined) {
    if (price?.characters === undefined) return null;
    usd = (usage.characters * price.characters) / 1_000_000;
  } else return null;
  return Math.round(usd * 1e6) / 1e6;
}

/** The provider a model is sold by, from the table ("unknown" when not priced). */
export function providerOf(model: string, table = priceTable()): string {
  return priceOf(model, table)?.provider ?? 'unknown';
}
