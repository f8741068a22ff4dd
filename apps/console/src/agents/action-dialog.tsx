import type { AgentAction } from '@confidant/contract';
import { Plus, Trash2 } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import {
  type ActionDraft,
  actionBody,
  emptyDraft,
  emptyHeader,
  emptyParameter,
  METHODS,
  PARAMETER_TYPES,
  toDraft,
  validateDraft,
} from './action-draft';
import { serverFieldErrors } from './agent-form-model';

/**
 * Adds an action (POST /v1/agents/{id}/actions) or edits one (PATCH …/{actionId}): tool name,
 * description, method, URL template, parameters (type, required, sensitive), headers with
 * write-only values, approval and enabled switches. Mount it anew for each opening (a `key`).
 */
export function ActionDialog({
  orgId,
  agentId,
  editing,
  onClose,
  onSaved,
}: {
  orgId: string;
  agentId: string;
  editing: AgentAction | null;
  onClose: () => void;
  onSaved: (saved: AgentAction) => void;
}) {
  const methodId = useId();
  const [draft, setDraft] = useState<ActionDraft>(() => (editing ? toDraft(editing) : emptyDraft()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const change = (next: Partial<ActionDraft>) => setDraft((d) => ({ ...d, ...next }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(draft);
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await request<AgentAction>(
        editing ? `/v1/agents/${agentId}/actions/${editing.id}` : `/v1/agents/${agentId}/actions`,
        { method: editing ? 'PATCH' : 'POST', orgId, body: actionBody(draft) },
      );
      onSaved(saved);
      onClose();
    } catch (failure) {
      const server = serverFieldErrors(failure);
      setErrors(server.fields);
      setGeneral(server.general ?? (Object.keys(server.fields).length ? null : describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (prefix: string) =>
    Object.entries(errors).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      wide
      title={editing ? `Edit “${editing.name}”` : 'Add an action'}
      description="An HTTP request the agent’s model may make for a visitor. Header values are stored encrypted and never shown again."
    >
      <form className="form-stack" onSubmit={save} noValidate aria-label="Action">
        <TextField
          label="Tool name"
          hint="What the model calls it: lower-case letters, digits and _."
          placeholder="order_status"
          spellCheck={false}
          maxLength={64}
          value={draft.name}
          onChange={(e) => change({ name: e.target.value })}
          error={errors.name}
        />
        <TextField
          label="Description"
          hint="Tells the model when to use it."
          placeholder="Look up the status of an order by its number"
          maxLength={1000}
          value={draft.description}
          onChange={(e) => change({ description: e.target.value })}
          error={errors.description}
        />
        <div className="action-request-row">
          <div className="field">
            <label className="field-label" htmlFor={methodId}>
              Method
            </label>
            <select
              id={methodId}
              className="select"
              value={draft.method}
              onChange={(e) => change({ method: e.target.value as ActionDraft['method'] })}
            >
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <TextField
            label="URL"
            hint="Put parameters in braces: https://shop.example/api/orders/{orderId}. Others go in the query (GET, DELETE) or a JSON body."
            placeholder="https://shop.example/api/orders/{orderId}"
            type="url"
            spellCheck={false}
            value={draft.urlTemplate}
            onChange={(e) => change({ urlTemplate: e.target.value })}
            error={errors.urlTemplate}
          />
        </div>

        <fieldset className="action-rows">
          <legend className="field-label">Parameters</legend>
          {draft.parameters.length === 0 && <p className="muted">None: the action takes no input.</p>}
          {draft.parameters.map((p, i) => (
            <div className="action-row" key={p.key}>
              <TextField
                label="Name"
                spellCheck={false}
                value={p.name}
                onChange={(e) =>
                  change({ parameters: replace(draft.parameters, i, { name: e.target.value }) })
                }
                error={fieldError(`parameters.${i}`)}
              />
              <div className="field">
                <label className="field-label" htmlFor={`${methodId}-type-${p.key}`}>
                  Type
                </label>
                <select
                  id={`${methodId}-type-${p.key}`}
                  className="select"
                  value={p.type}
                  onChange={(e) =>
                    change({
                      parameters: replace(draft.parameters, i, {
                        type: e.target.value as (typeof PARAMETER_TYPES)[number],
                      }),
                    })
                  }
                >
                  {PARAMETER_TYPES.map((type) => (
                    <option key={type}>{type}</option>
                  ))}
                </select>
              </div>
              <TextField
                label="Description"
                value={p.description}
                onChange={(e) =>
                  change({ parameters: replace(draft.parameters, i, { description: e.target.value }) })
                }
              />
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={p.required}
                  onChange={(e) =>
                    change({ parameters: replace(draft.parameters, i, { required: e.target.checked }) })
                  }
                />
                <span className="check-label">Required</span>
              </label>
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={p.sensitive}
                  onChange={(e) =>
                    change({ parameters: replace(draft.parameters, i, { sensitive: e.target.checked }) })
                  }
                />
                <span className="check-label">Sensitive</span>
              </label>
              <Button
                size="sm"
                variant="ghost"
                iconOnly
                aria-label={`Remove parameter ${p.name || i + 1}`}
                onClick={() => change({ parameters: draft.parameters.filter((_, j) => j !== i) })}
              >
                <Trash2 />
              </Button>
            </div>
          ))}
          {fieldError('parameters') && !draft.parameters.length && (
            <span className="field-error">{fieldError('parameters')}</span>
          )}
          <div>
            <Button size="sm" onClick={() => change({ parameters: [...draft.parameters, emptyParameter()] })}>
              <Plus aria-hidden="true" />
              Add parameter
            </Button>
          </div>
          <p className="field-hint">
            Sensitive values are sent to your service but never kept in the call log.
          </p>
        </fieldset>

        <fieldset className="action-rows">
          <legend className="field-label">Headers</legend>
          {draft.headers.map((h, i) => (
            <div className="action-row" key={h.key}>
              <TextField
                label="Header"
                spellCheck={false}
                placeholder="Authorization"
                value={h.name}
                onChange={(e) => change({ headers: replace(draft.headers, i, { name: e.target.value }) })}
                error={fieldError(`headers.${i}.name`) ?? (i === 0 ? errors.headers : undefined)}
              />
              <TextField
                label="Value"
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder={h.stored ? 'Stored — leave empty to keep' : 'Bearer …'}
                value={h.value}
                onChange={(e) => change({ headers: replace(draft.headers, i, { value: e.target.value }) })}
                error={fieldError(`headers.${i}.value`)}
              />
              <Button
                size="sm"
                variant="ghost"
                iconOnly
                aria-label={`Remove header ${h.name || i + 1}`}
                onClick={() => change({ headers: draft.headers.filter((_, j) => j !== i) })}
              >
                <Trash2 />
              </Button>
            </div>
          ))}
          <div>
            <Button size="sm" onClick={() => change({ headers: [...draft.headers, emptyHeader()] })}>
              <Plus aria-hidden="true" />
              Add header
            </Button>
          </div>
          <p className="field-hint">Values are stored encrypted and never shown again.</p>
        </fieldset>

        <label className="check-row">
          <input
            type="checkbox"
            checked={draft.requiresApproval}
            onChange={(e) => change({ requiresApproval: e.target.checked })}
          />
          <span className="check-label">Needs an operator’s approval before it runs</span>
        </label>
        <label className="check-row">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
          />
          <span className="check-label">Enabled: the model may call it</span>
        </label>
        <TextField
          label="Timeout (ms)"
          inputMode="numeric"
          value={draft.timeoutMs}
          onChange={(e) => change({ timeoutMs: e.target.value })}
          error={errors.timeoutMs}
        />
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {editing ? 'Save action' : 'Add action'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function replace<T>(rows: T[], index: number, patch: Partial<T>): T[] {
  return rows.map((row, i) => (i === index ? { ...row, ...patch } : row));
}
