import type {
  ModelProvider,
  ModelProviderChanges,
  ModelProviderEntry,
  ModelProviderTestResult,
} from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Cpu } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, serverFieldErrors } from '../agents/agent-form-model';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import { type SecretChange, SecretField, secretPayload } from './secret-field';
import { SettingsCard } from './settings-card';
import { modelProviderQuery, settingsKeys } from './settings-queries';

/**
 * The org's own OpenAI-compatible model endpoint (GET/PUT/DELETE /v1/model-provider): base URL,
 * model and a write-only API key. The server checks the URL (public addresses only unless the
 * operator allows private networks) and its refusal is shown on the field.
 */
export function ModelProviderSection({ orgId }: { orgId: string }) {
  const provider = useQuery(modelProviderQuery(orgId));
  return (
    <SettingsCard
      icon={<Cpu aria-hidden="true" />}
      title="Model provider"
      lead="The language model that writes answers for agents in Model answer mode. Any OpenAI-compatible endpoint works: OpenAI, Azure, Mistral, a self-hosted Ollama or vLLM."
    >
      {provider.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="3.5rem" />
          <Skeleton height="3.5rem" />
        </div>
      ) : provider.isError ? (
        <p className="form-error" role="alert">
          {describeError(provider.error)}
        </p>
      ) : (
        <ModelProviderForm key={provider.data?.updatedAt ?? 'none'} orgId={orgId} saved={provider.data} />
      )}
    </SettingsCard>
  );
}

function ModelProviderForm({ orgId, saved }: { orgId: string; saved: ModelProvider | null }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [baseUrl, setBaseUrl] = useState(saved?.baseUrl ?? '');
  const [model, setModel] = useState(saved?.model ?? '');
  const [key, setKey] = useState<SecretChange>({ mode: 'keep' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<string | null>(null);

  // The default provider is the first of the org's providers; the test makes one tiny call to it.
  const testConnection = async () => {
    setTesting(true);
    setTested(null);
    try {
      const { providers } = await request<{ providers: ModelProviderEntry[] }>('/v1/model-providers', {
        orgId,
      });
      const first = providers[0];
      if (!first) return setTested('Save the provider first.');
      const result = await request<ModelProviderTestResult>(`/v1/model-providers/${first.id}/test`, {
        method: 'POST',
        orgId,
        body: {},
      });
      setTested(
        result.ok
          ? `Connected: ${result.model} answered in ${result.latencyMs} ms.`
          : `Connection failed: ${result.error ?? 'no answer'}`,
      );
    } catch (failure) {
      setTested(`Connection failed: ${describeError(failure)}`);
    } finally {
      setTesting(false);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!/^https?:\/\/\S+$/.test(baseUrl.trim()))
      found.baseUrl = 'Enter the endpoint, like https://api.openai.com/v1';
    if (!model.trim()) found.model = 'Enter the model name, like gpt-4o-mini';
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length > 0) return;
    const { value } = secretPayload(key);
    const body: ModelProviderChanges = {
      baseUrl: baseUrl.trim(),
      model: model.trim(),
      ...(value !== undefined ? { apiKey: value } : {}),
    };
    setBusy(true);
    try {
      const stored = await request<ModelProvider>('/v1/model-provider', { method: 'PUT', orgId, body });
      queryClient.setQueryData(settingsKeys.modelProvider(orgId), stored);
      toasts.show({ tone: 'info', title: 'Model provider saved' });
    } catch (failure) {
      const server = serverFieldErrors(failure);
      setErrors(server.fields);
      setGeneral(server.general ?? (Object.keys(server.fields).length ? null : describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-form" onSubmit={save} noValidate aria-label="Model provider">
      {!saved && (
        <p className="muted">
          None set: answers in Model mode use the server's default model, if its operator configured one.
        </p>
      )}
      <TextField
        label="Base URL"
        type="url"
        inputMode="url"
        placeholder="https://api.openai.com/v1"
        hint="The API root; Confidant calls /chat/completions under it."
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        error={errors.baseUrl}
      />
      <TextField
        label="Model"
        placeholder="gpt-4o-mini"
        value={model}
        onChange={(e) => setModel(e.target.value)}
        error={errors.model}
      />
      <SecretField
        label="API key"
        noun="key"
        isSet={saved?.hasApiKey ?? false}
        change={key}
        onChange={setKey}
        hint="Sent as a bearer token to this endpoint only. Leave empty if it needs none."
        error={errors.apiKey}
      />
      {general && (
        <p className="form-error" role="alert">
          {general}
        </p>
      )}
      <div className="settings-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save provider'}
        </Button>
        {saved && (
          <Button variant="secondary" onClick={testConnection} disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </Button>
        )}
        {saved && (
          <Button variant="ghost" className="settings-danger-action" onClick={() => setRemoving(true)}>
            Remove provider
          </Button>
        )}
      </div>
      <p className="muted" role="status">
        {tested}
      </p>
      <ConfirmDialog
        open={removing}
        onOpenChange={setRemoving}
        title="Remove the model provider?"
        description="Its settings and stored key are deleted. Agents in Model mode fall back to the server's default model, or to extractive answers if there is none."
        confirmLabel="Remove provider"
        onConfirm={async () => {
          try {
            await request('/v1/model-provider', { method: 'DELETE', orgId });
            queryClient.setQueryData(settingsKeys.modelProvider(orgId), null);
            toasts.show({ tone: 'info', title: 'Model provider removed' });
          } catch (failure) {
            toasts.showError('Could not remove the model provider', failure);
          }
        }}
      />
    </form>
  );
}
