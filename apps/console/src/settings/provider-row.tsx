import type { ModelProviderEntry, ModelProviderTestResult } from '@confidant/contract';
import { Pencil, PlugZap, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { describeModels, describeTiming } from './provider-draft';
import { kindInfo } from './provider-kinds';

/** What a Test connection said, in words, and whether it worked. */
type Tested = { ok: boolean; text: string };

/**
 * One of the org's model providers: what it is, where it is reached, its models, whether a key
 * is stored, its timeout and retries when not the defaults, and which agents use it; Test connection (one tiny call, the result said in a live
 * region), Edit and Remove.
 */
export function ProviderRow({
  orgId,
  provider,
  isDefault,
  usedBy,
  onEdit,
  onRemove,
}: {
  orgId: string;
  provider: ModelProviderEntry;
  isDefault: boolean;
  /** Names of the agents that answer with it, as their model or a fallback. */
  usedBy: string[];
  onEdit: () => void;
  onRemove: () => void;
}) {
  const titleId = useId();
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<Tested | null>(null);
  // The server tests the first chat model, else the first transcription or speech model.
  const testable = provider.models.some((m) => m.type !== 'embedding');
  const timing = describeTiming(provider);

  const test = async () => {
    if (!testable)
      return setTested({
        ok: false,
        text: 'Add a chat, transcription or speech model (Edit) to test the connection.',
      });
    setTesting(true);
    setTested(null);
    try {
      const result = await request<ModelProviderTestResult>(`/v1/model-providers/${provider.id}/test`, {
        method: 'POST',
        orgId,
        body: {},
      });
      setTested(
        result.ok
          ? { ok: true, text: `Connected: ${result.model} answered in ${result.latencyMs} ms.` }
          : { ok: false, text: `Connection failed: ${result.error ?? 'no answer'}` },
      );
    } catch (failure) {
      setTested({ ok: false, text: `Connection failed: ${describeError(failure)}` });
    } finally {
      setTesting(false);
    }
  };

  return (
    <li className="provider" aria-labelledby={titleId}>
      <div className="provider-head">
        <div className="provider-title">
          <h3 id={titleId} className="provider-name">
            {provider.name}
          </h3>
          {isDefault && <Badge tone="accent">Default</Badge>}
        </div>
        <span className="provider-kind">{kindInfo(provider.kind)?.label ?? provider.kind}</span>
      </div>
      <dl className="provider-facts">
        <div>
          <dt>Endpoint</dt>
          <dd className={provider.baseUrl ? 'mono provider-url' : undefined}>
            {provider.baseUrl ?? (provider.region ? 'Region’s endpoint' : 'Public endpoint')}
          </dd>
        </div>
        {provider.region && (
          <div>
            <dt>Region</dt>
            <dd className="mono">{provider.region}</dd>
          </div>
        )}
        <div>
          <dt>Models</dt>
          <dd>
            {describeModels(provider.models)}
            {provider.models.length > 0 && (
              <span className="provider-models mono">{provider.models.map((m) => m.id).join(', ')}</span>
            )}
          </dd>
        </div>
        {timing && (
          <div>
            <dt>Timing</dt>
            <dd>{timing}</dd>
          </div>
        )}
        <div>
          <dt>API key</dt>
          <dd>{provider.hasApiKey ? <Badge tone="success">Stored</Badge> : <Badge>None</Badge>}</dd>
        </div>
        <div>
          <dt>Used by</dt>
          <dd>
            {usedBy.length > 0
              ? usedBy.join(', ')
              : isDefault
                ? 'Agents without a model of their own'
                : 'No agent yet'}
          </dd>
        </div>
      </dl>
      <div className="provider-actions">
        <Button
          size="sm"
          onClick={test}
          disabled={testing}
          aria-label={`Test connection to ${provider.name}`}
        >
          <PlugZap aria-hidden="true" />
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
        <Button size="sm" onClick={onEdit} aria-label={`Edit ${provider.name}`}>
          <Pencil aria-hidden="true" />
          Edit
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="settings-danger-action"
          onClick={onRemove}
          aria-label={`Remove ${provider.name}`}
        >
          <Trash2 aria-hidden="true" />
          Remove
        </Button>
      </div>
      <p className="provider-test" role="status" data-ok={tested ? String(tested.ok) : undefined}>
        {tested?.text}
      </p>
    </li>
  );
}
