import type { ActionCall, ActionTestResult, AgentAction } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Play } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Badge, type BadgeTone } from '../ui/badge';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';

export const outcomeTone: Record<ActionCall['outcome'], BadgeTone> = {
  ok: 'success',
  http_error: 'danger',
  timeout: 'danger',
  too_large: 'danger',
  refused: 'danger',
  failed: 'danger',
  rejected: 'warning',
  pending_approval: 'info',
};
export const outcomeLabel: Record<ActionCall['outcome'], string> = {
  ok: 'OK',
  http_error: 'HTTP error',
  timeout: 'Timed out',
  too_large: 'Too large',
  refused: 'Address refused',
  failed: 'Failed',
  rejected: 'Rejected',
  pending_approval: 'Awaiting approval',
};

export const callsKey = (orgId: string, actionId: string) => [orgId, 'actions', actionId, 'calls'] as const;

/** A typed input's value as the parameter's type wants it (blank: not sent). */
function parse(type: string, raw: string): unknown {
  if (raw === '') return undefined;
  if (type === 'boolean') return raw === 'true';
  if (type === 'number' || type === 'integer') return Number(raw);
  return raw;
}

/**
 * Runs an action now (POST …/test) with parameters the admin types, and shows the outcome, the
 * duration and the response — to this admin only; the server logs the call but never stores the
 * response. Below, the action's call log (sensitive parameters read "[redacted]").
 */
export function ActionTestDialog({
  orgId,
  action,
  onClose,
}: {
  orgId: string;
  action: AgentAction;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const properties = Object.entries(action.parameters.properties);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ActionTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const calls = useQuery({
    queryKey: callsKey(orgId, action.id),
    queryFn: ({ signal }) =>
      request<{ calls: ActionCall[] }>(`/v1/agents/${action.agentId}/actions/${action.id}/calls?limit=20`, {
        orgId,
        signal,
      }),
  });

  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    const parameters = Object.fromEntries(
      properties
        .map(([name, p]) => [name, parse(p.type, values[name] ?? '')] as const)
        .filter(([, v]) => v !== undefined),
    );
    try {
      setResult(
        await request<ActionTestResult>(`/v1/agents/${action.agentId}/actions/${action.id}/test`, {
          method: 'POST',
          orgId,
          body: { parameters },
        }),
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: callsKey(orgId, action.id) });
    }
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      wide
      title={`Test “${action.name}”`}
      description="Runs the request now, as the model would. The response is shown to you only and not stored."
    >
      <form className="form-stack" onSubmit={run} aria-label="Test action">
        {properties.length === 0 && <p className="muted">This action takes no parameters.</p>}
        {properties.map(([name, p]) => (
          <TextField
            key={name}
            label={`${name}${action.parameters.required?.includes(name) ? '' : ' (optional)'}`}
            hint={[p.type, p.description, p.sensitive ? 'sensitive: not logged' : '']
              .filter(Boolean)
              .join(' · ')}
            type={p.sensitive ? 'password' : 'text'}
            autoComplete="off"
            value={values[name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
          />
        ))}
        <div>
          <Button type="submit" variant="primary" disabled={busy}>
            <Play aria-hidden="true" />
            Run test
          </Button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {result && (
          <section className="action-result" aria-label="Test result" role="status">
            <div className="action-result-head">
              <Badge tone={outcomeTone[result.outcome]}>{outcomeLabel[result.outcome]}</Badge>
              {result.httpStatus !== null && <span>HTTP {result.httpStatus}</span>}
              <span>{result.durationMs} ms</span>
            </div>
            {result.error && <p className="muted">{result.error}</p>}
            {result.response !== null && (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
              <section className="action-response" tabIndex={0} aria-label="Response">
                <pre className="snippet">
                  <code>
                    {typeof result.response === 'string'
                      ? result.response
                      : JSON.stringify(result.response, null, 2)}
                  </code>
                </pre>
              </section>
            )}
          </section>
        )}
      </form>
      <h3 className="section-subtitle">Call log</h3>
      {calls.data && calls.data.calls.length === 0 && <p className="muted">No calls yet.</p>}
      {calls.data && calls.data.calls.length > 0 && (
        // Scrolls when long: focusable, so keyboard users can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="action-log" tabIndex={0} aria-label="Call log">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Outcome</th>
                <th scope="col">Parameters</th>
              </tr>
            </thead>
            <tbody>
              {calls.data.calls.map((call) => (
                <tr key={call.id}>
                  <td>
                    {new Date(call.createdAt).toLocaleString()}
                    <div className="muted">{call.source === 'test' ? 'Test' : 'Model'}</div>
                  </td>
                  <td>
                    <Badge tone={outcomeTone[call.outcome]}>{outcomeLabel[call.outcome]}</Badge>
                    <div className="muted">
                      {[
                        call.httpStatus === null ? '' : `HTTP ${call.httpStatus}`,
                        call.durationMs === null ? '' : `${call.durationMs} ms`,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </div>
                  </td>
                  <td className="action-params-cell">
                    <code className="action-params">{JSON.stringify(call.parameters)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Dialog>
  );
}
