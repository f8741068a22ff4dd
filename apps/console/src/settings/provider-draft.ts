import type {
  ModelProviderEntry,
  ModelProviderEntryChanges,
  ModelProviderKind,
  ProviderModel,
} from '@confidant/contract';
import type { FieldErrors } from '../agents/agent-form-model';
import { AWS_REGION, KIND_INFO } from './provider-kinds';
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
  apiKey: SecretChange;
};

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
  apiKey: { mode: 'keep' },
});

export const toDraft = (p: ModelProviderEntry): ProviderDraft => ({
  kind: p.kind,
  name: p.name,
  baseUrl: p.baseUrl ?? '',
  region: p.region ?? '',
  models: p.models.map((m) => modelRow(m)),
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
  draft.models.forEach((m, i) => {
    if (!m.id.trim()) errors[`models.${i}.id`] = 'Enter the model id or remove the row';
  });
  return errors;
}

/**
 * The POST/PATCH body: every editable field (PATCH keeps nothing implicitly but the key), blank
 * optional fields as null, the region only for Bedrock, the key as the secret field says.
 */
export function providerBody(draft: ProviderDraft): ModelProviderEntryChanges {
  const { value } = secretPayload(draft.apiKey);
  const region = draft.region.trim();
  return {
    kind: draft.kind,
    name: draft.name.trim(),
    baseUrl: draft.baseUrl.trim() || null,
    region: KIND_INFO[draft.kind].usesRegion && region ? region : null,
    models: draft.models.map(({ id, type }) => ({ id: id.trim(), type })),
    ...(value !== undefined ? { apiKey: value } : {}),
  };
}

/** "2 chat models · 1 embedding model", or "No models yet". */
export function describeModels(models: readonly ProviderModel[]): string {
  const chat = models.filter((m) => m.type === 'chat').length;
  const embedding = models.length - chat;
  const parts = [
    chat ? `${chat} chat model${chat === 1 ? '' : 's'}` : '',
    embedding ? `${embedding} embedding model${embedding === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'No models yet';
}
