import type { Agent, ModelProviderEntry } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Cpu, Plus } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { agentsQuery, queryKeys } from '../api/queries';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { ProviderDialog } from './provider-dialog';
import { ProviderRow } from './provider-row';
import { SettingsCard } from './settings-card';
import { modelProvidersQuery } from './settings-queries';

/** Agents that answer with a provider, as their model or one of their fallbacks. */
const agentsUsing = (agents: readonly Agent[], providerId: string) =>
  agents
    .filter((a) => a.model?.providerId === providerId || a.fallbacks.some((f) => f.providerId === providerId))
    .map((a) => a.name);

/**
 * The org's model providers (GET/POST /v1/model-providers, PATCH/DELETE/test …/{id}): a list with
 * Add, Edit, Remove (after saying which agents fall back) and Test connection for each. The first
 * (oldest) is the org's default, used by agents that choose no model of their own.
 */
export function ModelProvidersSection({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const providers = useQuery(modelProvidersQuery(orgId));
  const agents = useQuery(agentsQuery(orgId));
  // Each opening mounts the dialog anew (its key), so it starts from the provider edited.
  const [dialog, setDialog] = useState<{ open: boolean; editing: ModelProviderEntry | null; key: number }>({
    open: false,
    editing: null,
    key: 0,
  });
  const [removing, setRemoving] = useState<ModelProviderEntry | null>(null);
  const list = providers.data?.providers ?? [];
  const usedBy = (id: string) => agentsUsing(agents.data ?? [], id);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.modelProviders(orgId) });
  const openDialog = (editing: ModelProviderEntry | null) =>
    setDialog((d) => ({ open: true, editing, key: d.key + 1 }));

  const removal = (p: ModelProviderEntry) => {
    const users = usedBy(p.id);
    const next = list.find((other) => other.id !== p.id);
    return [
      'Its settings and stored key are deleted.',
      users.length === 1
        ? `${users[0]} answers with it: it falls back to its next model, and answers from your knowledge alone (extractive answers) if none is left.`
        : users.length > 1
          ? `${users.join(', ')} answer with it: they fall back to their next model, and answer from your knowledge alone (extractive answers) if none is left.`
          : 'No agent chose it as its model or fallback.',
      list[0]?.id === p.id
        ? next
          ? `It is the default: agents without a model of their own will use ${next.name}.`
          : 'It is the default: agents without a model of their own will use the server’s model, if its operator set one, or answer extractively.'
        : '',
    ]
      .filter(Boolean)
      .join(' ');
  };

  return (
    <SettingsCard
      icon={<Cpu aria-hidden="true" />}
      title="Model providers"
      lead="The language models that write answers for agents in Model answer mode: hosted ones (Anthropic, OpenAI, Gemini, Mistral, Bedrock…) or your own server (Ollama, vLLM). The first is the organization’s default; each agent can choose its own model and a fallback."
    >
      {providers.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="6rem" />
          <Skeleton height="6rem" />
        </div>
      ) : providers.isError ? (
        <p className="form-error" role="alert">
          {describeError(providers.error)}
        </p>
      ) : (
        <>
          {list.length === 0 ? (
            <p className="muted">
              None yet: answers in Model mode use the server’s default model, if its operator configured one,
              and otherwise answer from your knowledge alone.
            </p>
          ) : (
            <ul className="provider-list" aria-label="Model providers">
              {list.map((p, i) => (
                <ProviderRow
                  // A saved change remounts the row: an earlier test result no longer holds.
                  key={`${p.id} ${p.updatedAt}`}
                  orgId={orgId}
                  provider={p}
                  isDefault={i === 0}
                  usedBy={usedBy(p.id)}
                  onEdit={() => openDialog(p)}
                  onRemove={() => setRemoving(p)}
                />
              ))}
            </ul>
          )}
          <div className="settings-actions">
            <Button variant="primary" onClick={() => openDialog(null)}>
              <Plus aria-hidden="true" />
              Add provider
            </Button>
          </div>
        </>
      )}
      <ProviderDialog
        key={dialog.key}
        orgId={orgId}
        editing={dialog.editing}
        open={dialog.open}
        onOpenChange={(open) => setDialog((d) => ({ ...d, open }))}
        onSaved={async (saved, added) => {
          toasts.show({ tone: 'info', title: added ? `Added “${saved.name}”` : `Saved “${saved.name}”` });
          await refresh();
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove “${removing?.name ?? ''}”?`}
        description={removing ? removal(removing) : ''}
        confirmLabel="Remove provider"
        onConfirm={async () => {
          if (!removing) return;
          try {
            await request(`/v1/model-providers/${removing.id}`, { method: 'DELETE', orgId });
            toasts.show({ tone: 'info', title: `Removed “${removing.name}”` });
            await refresh();
          } catch (failure) {
            toasts.showError('Could not remove the provider', failure);
          }
        }}
      />
    </SettingsCard>
  );
}
