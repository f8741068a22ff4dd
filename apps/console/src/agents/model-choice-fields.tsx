import type { AgentModelChoice, ModelProviderEntry } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { request } from '../api/client';
import { queryKeys } from '../api/queries';

/**
 * The agent's model and one fallback, chosen among the org's providers' chat models
 * (GET /v1/model-providers, admins only: others see nothing here). After the fallback, the
 * extractive answerer always answers, so a provider outage never shows the visitor an error.
 */
const encode = (c: AgentModelChoice | null | undefined) => (c ? `${c.providerId} ${c.model}` : '');
const decode = (value: string): AgentModelChoice | null => {
  if (!value) return null;
  const [providerId, ...rest] = value.split(' ');
  return { providerId: providerId!, model: rest.join(' ') };
};

export function ModelChoiceFields({
  orgId,
  model,
  fallbacks,
  onChange,
}: {
  orgId: string;
  model: AgentModelChoice | null;
  fallbacks: AgentModelChoice[];
  onChange: (model: AgentModelChoice | null, fallbacks: AgentModelChoice[]) => void;
}) {
  const modelId = useId();
  const fallbackId = useId();
  const providers = useQuery({
    // Admins only: for others the section is simply absent, no retries needed.
    retry: false,
    queryKey: queryKeys.modelProviders(orgId),
    queryFn: ({ signal }) =>
      request<{ providers: ModelProviderEntry[] }>('/v1/model-providers', { orgId, signal }),
  });
  if (!providers.data) return null;
  const options = providers.data.providers.flatMap((p) =>
    p.models
      .filter((m) => m.type === 'chat')
      .map((m) => ({ value: encode({ providerId: p.id, model: m.id }), label: `${p.name} — ${m.id}` })),
  );
  if (options.length === 0) return null;
  return (
    <>
      <div className="field">
        <label className="field-label" htmlFor={modelId}>
          Model
        </label>
        <select
          id={modelId}
          className="select"
          value={encode(model)}
          onChange={(e) => onChange(decode(e.target.value), fallbacks)}
        >
          <option value="">Organization default</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={fallbackId}>
          Fallback model
        </label>
        <select
          id={fallbackId}
          className="select"
          value={encode(fallbacks[0])}
          onChange={(e) => {
            const next = decode(e.target.value);
            onChange(model, next ? [next] : []);
          }}
          aria-describedby={`${fallbackId}-hint`}
        >
          <option value="">None</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <p className="field-hint" id={`${fallbackId}-hint`}>
          Answers when the model fails; after it, the extractive answerer always does.
        </p>
      </div>
    </>
  );
}
