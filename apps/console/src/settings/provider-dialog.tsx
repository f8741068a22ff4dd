import type { ModelProviderEntry, ModelProviderKind } from '@confidant/contract';
import { type FormEvent, useId, useState } from 'react';
import { type FieldErrors, serverFieldErrors } from '../agents/agent-form-model';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { ModelsEditor } from './models-editor';
import {
  emptyDraft,
  type ProviderDraft,
  providerBody,
  TIMING,
  toDraft,
  validateProvider,
} from './provider-draft';
import { KIND_INFO, MODEL_TYPES_BY_KIND, PROVIDER_KINDS } from './provider-kinds';
import { SecretField } from './secret-field';

/**
 * Adds a model provider (POST /v1/model-providers) or edits one (PATCH …/{id}): kind, name,
 * endpoint, Bedrock's region, the models used there and a write-only API key. The form checks
 * what it can first; the server's refusals (a private address, a missing endpoint) are shown on
 * their fields. The timeout and retries sit under a closed "Advanced" disclosure that opens by
 * itself when one of them is refused. Mount it anew for each opening (a `key`), so it starts from `editing`.
 */
export function ProviderDialog({
  orgId,
  editing,
  open,
  onOpenChange,
  onSaved,
}: {
  orgId: string;
  /** The provider to edit, or null to add one. */
  editing: ModelProviderEntry | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: (saved: ModelProviderEntry, added: boolean) => void;
}) {
  const kindId = useId();
  const [draft, setDraft] = useState<ProviderDraft>(() => (editing ? toDraft(editing) : emptyDraft()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const info = KIND_INFO[draft.kind];
  // Editing a field clears its error, so a corrected value never sits next to a stale complaint.
  const change = (next: Partial<ProviderDraft>) => {
    setDraft((d) => ({ ...d, ...next }));
    const touched = Object.keys(next).map((key) => (key === 'timeoutSeconds' ? 'timeoutMs' : key));
    setErrors((current) => {
      const kept = Object.entries(current).filter(
        ([field]) => !touched.some((key) => field === key || field.startsWith(`${key}.`)),
      );
      return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept);
    });
  };
  // A refused timeout or retries must be seen, so the disclosure holding them opens.
  const showErrors = (found: FieldErrors) => {
    setErrors(found);
    if (found.timeoutMs || found.maxRetries) setAdvancedOpen(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateProvider(draft);
    showErrors(found);
    setGeneral(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await request<ModelProviderEntry>(
        editing ? `/v1/model-providers/${editing.id}` : '/v1/model-providers',
        { method: editing ? 'PATCH' : 'POST', orgId, body: providerBody(draft, editing ?? undefined) },
      );
      onSaved(saved, !editing);
      onOpenChange(false);
    } catch (failure) {
      const server = serverFieldErrors(failure);
      showErrors(server.fields);
      setGeneral(server.general ?? (Object.keys(server.fields).length ? null : describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      wide
      title={editing ? `Edit “${editing.name}”` : 'Add a model provider'}
      description="Where agents in Model mode send their questions. Keys are stored encrypted and never shown again."
    >
      <form className="form-stack" onSubmit={save} noValidate aria-label="Model provider">
        <div className="field">
          <label className="field-label" htmlFor={kindId}>
            Provider
          </label>
          <select
            id={kindId}
            className="select"
            value={draft.kind}
            onChange={(e) => {
              const kind = e.target.value as ModelProviderKind;
              const types = MODEL_TYPES_BY_KIND[kind];
              // A row not filled in yet takes a type the new kind offers (Deepgram has no chat models).
              const models = draft.models.map((m) =>
                types.includes(m.type) || m.id.trim() ? m : { ...m, type: types[0] ?? m.type },
              );
              change({ kind, models });
            }}
          >
            {PROVIDER_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_INFO[kind].label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Name"
          hint="How agents’ model choices and this list show it."
          placeholder="Claude, Our Ollama…"
          maxLength={100}
          value={draft.name}
          onChange={(e) => change({ name: e.target.value })}
          error={errors.name}
        />
        <TextField
          label={info.needsBaseUrl ? 'Base URL' : 'Base URL (optional)'}
          type="url"
          inputMode="url"
          spellCheck={false}
          placeholder={info.baseUrlPlaceholder}
          hint={info.baseUrlHint}
          value={draft.baseUrl}
          onChange={(e) => change({ baseUrl: e.target.value })}
          error={errors.baseUrl}
        />
        {info.usesRegion && (
          <TextField
            label="AWS region"
            placeholder="eu-central-1"
            spellCheck={false}
            hint="Where your Bedrock models run; it also decides where conversations are processed."
            value={draft.region}
            onChange={(e) => change({ region: e.target.value })}
            error={errors.region}
          />
        )}
        <SecretField
          label="API key"
          noun="key"
          isSet={editing?.hasApiKey ?? false}
          change={draft.apiKey}
          onChange={(apiKey) => change({ apiKey })}
          hint={info.keyHint}
          error={errors.apiKey}
        />
        <ModelsEditor
          models={draft.models}
          onChange={(models) => change({ models })}
          errors={errors}
          placeholder={info.modelPlaceholder}
          hasEmbeddings={info.hasEmbeddings}
          types={MODEL_TYPES_BY_KIND[draft.kind]}
        />
        <details
          className="provider-advanced"
          open={advancedOpen}
          onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
        >
          <summary>Advanced</summary>
          <div className="provider-advanced-fields">
            <TextField
              label="Time to first token (seconds)"
              type="number"
              inputMode="decimal"
              min={TIMING.minTimeoutMs / 1000}
              max={TIMING.maxTimeoutMs / 1000}
              step="any"
              hint={`If the provider sends nothing within this time, it stops waiting: it tries again (see Retries) or the answer moves to the agent’s fallback. ${TIMING.minTimeoutMs / 1000}–${TIMING.maxTimeoutMs / 1000} seconds; usually ${TIMING.defaultTimeoutMs / 1000}.`}
              value={draft.timeoutSeconds}
              onChange={(e) => change({ timeoutSeconds: e.target.value })}
              error={errors.timeoutMs}
            />
            <TextField
              label="Retries"
              type="number"
              inputMode="numeric"
              min={0}
              max={TIMING.maxRetries}
              step={1}
              hint={`How many more times to ask when the provider fails or is too slow before it starts answering; then the answer moves to the fallback. 0–${TIMING.maxRetries}; usually ${TIMING.defaultMaxRetries}.`}
              value={draft.maxRetries}
              onChange={(e) => change({ maxRetries: e.target.value })}
              error={errors.maxRetries}
            />
          </div>
        </details>
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save provider' : 'Add provider'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
