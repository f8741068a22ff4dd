import type { EmbeddingModelSettings, ModelProviderEntry } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Binary } from 'lucide-react';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { SettingsCard } from './settings-card';
import { embeddingModelQuery, modelProvidersQuery, settingsKeys } from './settings-queries';

/** The select's value for "the server's model" (or off, when the server has none). */
const SERVER = '';
/** The select's value for a saved choice whose provider or model was removed since. */
const GONE = 'gone';
const optionValue = (providerId: string, model: string) => JSON.stringify([providerId, model]);

/**
 * Search embeddings (GET/PUT /v1/knowledge/embedding-model): which embedding model knowledge
 * search uses — one of the org's own providers' embedding models, or the server's default — and
 * how far re-embedding with the active model has come (polled while it runs).
 */
export function SearchEmbeddingsSection({ orgId }: { orgId: string }) {
  const settings = useQuery({
    ...embeddingModelQuery(orgId),
    refetchInterval: (query) => {
      const data = query.state.data;
      return data?.active && data.progress.embedded < data.progress.total ? 2000 : false;
    },
  });
  const providers = useQuery(modelProvidersQuery(orgId));
  // A provider edited or removed above may change which model is active: read it again.
  const providersUpdatedAt = providers.dataUpdatedAt;
  const firstProvidersRead = useRef(0);
  const { refetch } = settings;
  useEffect(() => {
    if (!providersUpdatedAt) return;
    firstProvidersRead.current ||= providersUpdatedAt;
    if (providersUpdatedAt !== firstProvidersRead.current) void refetch();
  }, [providersUpdatedAt, refetch]);
  return (
    <SettingsCard
      icon={<Binary aria-hidden="true" />}
      title="Search embeddings"
      lead="The model that turns your knowledge into vectors, so search finds passages by meaning and not only by their words. With one of your own providers, your knowledge (personal data redacted) is sent to that provider only."
    >
      {settings.isPending || providers.isPending ? (
        <Skeleton height="6rem" />
      ) : settings.isError || providers.isError ? (
        <p className="form-error" role="alert">
          {describeError(settings.error ?? providers.error)}
        </p>
      ) : (
        <EmbeddingModelForm
          key={JSON.stringify(settings.data.choice)}
          orgId={orgId}
          saved={settings.data}
          providers={providers.data.providers}
        />
      )}
    </SettingsCard>
  );
}

function EmbeddingModelForm({
  orgId,
  saved,
  providers,
}: {
  orgId: string;
  saved: EmbeddingModelSettings;
  providers: ModelProviderEntry[];
}) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const selectId = useId();
  const hintId = useId();
  const options = providers.flatMap((p) =>
    p.models
      .filter((m) => m.type === 'embedding')
      .map((m) => ({ value: optionValue(p.id, m.id), label: `${m.id} — ${p.name}` })),
  );
  const savedValue = saved.choice
    ? saved.choice.providerId &&
      options.some((o) => o.value === optionValue(saved.choice!.providerId!, saved.choice!.model))
      ? optionValue(saved.choice.providerId, saved.choice.model)
      : GONE
    : SERVER;
  const [value, setValue] = useState(savedValue);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = value !== savedValue && value !== GONE;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const [providerId, model] = value === SERVER ? [] : (JSON.parse(value) as [string, string]);
      const stored = await request<EmbeddingModelSettings>('/v1/knowledge/embedding-model', {
        method: 'PUT',
        orgId,
        body: { choice: providerId && model ? { providerId, model } : null },
      });
      queryClient.setQueryData(settingsKeys.embeddingModel(orgId), stored);
      toasts.show({ tone: 'info', title: 'Search embeddings saved' });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const providerName = (id: string | null) =>
    id === null ? 'server default' : (providers.find((p) => p.id === id)?.name ?? 'removed provider');
  const { embedded, total } = saved.progress;
  return (
    <form className="settings-form" onSubmit={save} noValidate aria-label="Search embeddings">
      <div className="field">
        <label className="field-label" htmlFor={selectId}>
          Embedding model
        </label>
        <select
          id={selectId}
          className="select"
          aria-describedby={hintId}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        >
          <option value={SERVER}>
            {saved.serverModel ? `Server default (${saved.serverModel})` : 'Off: word search only'}
          </option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {savedValue === GONE && saved.choice && (
            <option value={GONE} disabled>
              {saved.choice.model} (removed)
            </option>
          )}
        </select>
        <span id={hintId} className="field-hint">
          {options.length === 0
            ? 'Add an embedding model to one of your model providers above to use your own.'
            : 'Changing the model embeds your knowledge again in the background; search keeps working meanwhile.'}
        </span>
      </div>
      <div role="status" className="embedding-status">
        {saved.active ? (
          <>
            <p>
              Active: <strong>{saved.active.model}</strong> ({providerName(saved.active.providerId)}).{' '}
              {total === 0
                ? 'No knowledge to embed yet.'
                : `${embedded} of ${total} chunks embedded with this model.`}
            </p>
            {total > 0 && (
              <progress
                className="embedding-progress"
                max={total}
                value={embedded}
                aria-label="Chunks embedded with the active model"
              />
            )}
          </>
        ) : (
          <p>Search uses words only: {saved.reason ?? 'no embedding model'}.</p>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="settings-actions">
        <Button type="submit" variant="primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save embedding model'}
        </Button>
      </div>
    </form>
  );
}
