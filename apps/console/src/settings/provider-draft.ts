import type {
  ModelProviderEntry,
  ModelProviderEntryChanges,
  ModelProviderKind,
  ProviderModel,
} from '@confidant/contract';
import type { FieldErrors } from '../agents/agent-form-model';
import { AWS_REGION, KIND_INFO, MODEL_TYPES_BY_KIND } from './provider-kinds';
import { type SecretChange, secretPayload } from './secret-field';

/** A model row as the form holds it; `key` keeps React's rows stable while ids are typed. */
export type ModelRow = ProviderModel & { key: number };

/** A provider as the add/edit form holds it. */
export type ProviderDraft = {
  kind: ModelProviderKind;
  name: string;
  baseUrl: string;
  region: string;
  models: ModelRow[];
  /** Time to first token in seconds, as typed (the API takes milliseconds). */
  timeoutSeconds: string;
  /** Retries before the first token, as typed. */
  maxRetries: string;
  apiKey: SecretChange;
};

/** The server's bounds and defaults for a provider's timing (modules/model-providers/routes.ts). */
export const TIMING = {
  defaultTimeoutMs: 30_000,
  minTimeoutMs: 1000,
  maxTimeoutMs: 120_000,
  defaultMaxRetries: 1,
  maxRetries: 3,
} as const;

type Timing = { timeoutMs: number; maxRetries: number };
const DEFAULT_TIMING: Timing = { timeoutMs: TIMING.defaultTimeoutMs, maxRetries: TIMING.defaultMaxRetries };

let nextRowKey = 1;
export const modelRow = (model: ProviderModel = { id: '', type: 'chat' }): ModelRow => ({
  ...model,
  key: nextRowKey++,
});

/** A new provider: Anthropic, with one chat model row to fill in. */
export const emptyDraft = (): ProviderDraft => ({
  kind: 'anthropic',
  name: '',
  baseUrl: '',
  region: '',
  models: [modelRow()],
  timeoutSeconds: String(TIMING.defaultTimeoutMs / 1000),
  maxRetries: String(TIMING.defaultMaxRetries),
  apiKey: { mode: 'keep' },
});

export const toDraft = (p: ModelProviderEntry): ProviderDraft => ({
  kind: p.kind,
  name: p.name,
  baseUrl: p.baseUrl ?? '',
  region: p.region ?? '',
  models: p.models.map((m) => modelRow(m)),
  timeoutSeconds: String(p.timeoutMs / 1000),
  maxRetries: String(p.maxRetries),
  apiKey: { mode: 'keep' },
});

/** The same rules as the server, said in words, keyed like the server's issues (models.0.id). */
export function validateProvider(draft: ProviderDraft): FieldErrors {
  const errors: FieldErrors = {};
  const info = KIND_INFO[draft.kind];
  if (!draft.name.trim()) errors.name = 'Give the provider a name, like “Claude” or “Our Ollama”';
  const url = draft.baseUrl.trim();
  if (url && !/^https?:\/\/[^\s/@]+(\/\S*)?$/.test(url))
    errors.baseUrl = 'Enter an http:// or https:// URL (put any key in API key, not in the URL)';
  else if (!url && info.needsBaseUrl) errors.baseUrl = `${info.label} needs the endpoint’s URL`;
  const region = draft.region.trim();
  if (info.usesRegion) {
    if (region && !AWS_REGION.test(region)) errors.region = 'Enter an AWS region such as eu-central-1';
    else if (!region && !url) errors.region = 'Enter the AWS region, such as eu-central-1';
  }
  const types: readonly string[] = MODEL_TYPES_BY_KIND[draft.kind];
  draft.models.forEach((m, i) => {
    if (!m.id.trim()) errors[`models.${i}.id`] = 'Enter the model id or remove the row';
    else if (!types.includes(m.type))
      errors[`models.${i}`] = `${info.label} has no ${m.type} models: choose another type or remove the row`;
  });
  const timeoutMs = timeoutMsOf(draft);
  if (timeoutMs === null || timeoutMs < TIMING.minTimeoutMs || timeoutMs > TIMING.maxTimeoutMs)
    errors.timeoutMs = `Enter a number of seconds from ${TIMING.minTimeoutMs / 1000} to ${TIMING.maxTimeoutMs / 1000}`;
  const retries = retriesOf(draft);
  if (retries === null || retries < 0 || retries > TIMING.maxRetries)
    errors.maxRetries = `Enter a whole number from 0 to ${TIMING.maxRetries}`;
  return errors;
}

/** The typed seconds in whole milliseconds, or null when it is not a number. */
function timeoutMsOf(draft: ProviderDraft): number | null {
  const text = draft.timeoutSeconds.trim();
  const seconds = Number(text);
  return text && Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

/** The typed retries, or null when it is not a whole number. */
function retriesOf(draft: ProviderDraft): number | null {
  const text = draft.maxRetries.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * The POST/PATCH body: every editable field (PATCH keeps nothing implicitly but the key and the
 * timing), blank optional fields as null, the region only for Bedrock, the key as the secret field
 * says, and the timeout and retries only when they differ from what is stored (`stored`, the
 * provider being edited) or, for a new provider, from the server's defaults. Call it on a draft
 * that passed validateProvider.
 */
export function providerBody(
  draft: ProviderDraft,
  stored: Timing = DEFAULT_TIMING,
): ModelProviderEntryChanges {
  const { value } = secretPayload(draft.apiKey);
  const region = draft.region.trim();
  const timeoutMs = timeoutMsOf(draft);
  const maxRetries = retriesOf(draft);
  return {
    kind: draft.kind,
    name: draft.name.trim(),
    baseUrl: draft.baseUrl.trim() || null,
    region: KIND_INFO[draft.kind].usesRegion && region ? region : null,
    models: draft.models.map(({ id, type }) => ({ id: id.trim(), type })),
    ...(timeoutMs !== null && timeoutMs !== stored.timeoutMs ? { timeoutMs } : {}),
    ...(maxRetries !== null && maxRetries !== stored.maxRetries ? { maxRetries } : {}),
    ...(value !== undefined ? { apiKey: value } : {}),
  };
}

/** "Timeout 10 s · 0 retries" when either differs from the defaults, else null (nothing to say). */
export function describeTiming({ timeoutMs, maxRetries }: Timing): string | null {
  if (timeoutMs === DEFAULT_TIMING.timeoutMs && maxRetries === DEFAULT_TIMING.maxRetries) return null;
  return `Timeout ${timeoutMs / 1000} s · ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}`;
}

/** "2 chat models · 1 embedding model · 1 transcription model", or "No models yet". */
export function describeModels(models: readonly ProviderModel[]): string {
  const parts = (['chat', 'embedding', 'transcription', 'speech'] as const).flatMap((type) => {
    const n = models.filter((m) => m.type === type).length;
    return n ? [`${n} ${type} model${n === 1 ? '' : 's'}`] : [];
  });
  return parts.length ? parts.join(' · ') : 'No models yet';
}
