import type { InboundHook, RotatedWebhookSecret, WebhookEndpoint } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { Plus, Webhook } from 'lucide-react';
import { useState } from 'react';
import { formatAge } from '../inbox/views';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CopyButton } from '../ui/copy-button';
import { Dialog } from '../ui/dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { DeliveriesDialog } from './deliveries-dialog';
import { InboundHookDialog } from './inbound-hook-dialog';
import { SecretShownOnce } from './secret-shown-once';
import { WebhookDialog } from './webhook-dialog';
import './webhooks.css';
import {
  deleteInboundHook,
  deleteWebhook,
  hookUrl,
  inboundHooksKey,
  inboundHooksQuery,
  rotateWebhookSecret,
  sendTestEvent,
  updateInboundHook,
  updateWebhook,
  webhooksKey,
  webhooksQuery,
} from './webhooks-api';

const disabledWords = { manual: 'Disabled', gone: 'Disabled: 410 Gone', failing: 'Disabled: failing 5 days' };

/**
 * Webhooks both ways (admins and owners): outgoing endpoints (add with events, secret shown once,
 * enable/disable, rotate, send a test, the delivery log with retry) and inbound hooks (create,
 * the URL to paste and the secret shown once, enable/disable, delete).
 */
export function WebhooksPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const webhooks = useQuery(webhooksQuery(orgId));
  const hooks = useQuery(inboundHooksQuery(orgId));
  const [adding, setAdding] = useState(false);
  const [addingHook, setAddingHook] = useState(false);
  const [log, setLog] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [rotated, setRotated] = useState<RotatedWebhookSecret | null>(null);
  const [removing, setRemoving] = useState<WebhookEndpoint | null>(null);
  const [removingHook, setRemovingHook] = useState<InboundHook | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksKey(orgId) });
  const refreshHooks = () => queryClient.invalidateQueries({ queryKey: inboundHooksKey(orgId) });
  const act = async (what: string, run: () => Promise<unknown>, done?: string) => {
    try {
      await run();
      if (done) toasts.show({ tone: 'info', title: done });
      await refresh();
      await refreshHooks();
    } catch (error) {
      toasts.showError(`Could not ${what}`, error);
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Webhooks</h1>
          <p className="page-lead">
            Signed event notifications to your systems, and inbound hooks your tools use to reply in
            conversations.
          </p>
        </div>
        <Button variant="primary" onClick={() => setAdding(true)}>
          <Plus aria-hidden="true" />
          Add webhook
        </Button>
      </header>
      <section aria-labelledby="outgoing-title" className="form-stack">
        <h2 id="outgoing-title">Outgoing webhooks</h2>
        {webhooks.isPending ? (
          <Skeleton height="2.5rem" />
        ) : webhooks.data && webhooks.data.length > 0 ? (
          <div className="table-scroll">
            <table className="table" aria-label="Outgoing webhooks">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {webhooks.data.map((w) => (
                  <tr key={w.id} data-muted={w.enabled ? undefined : true}>
                    <td>
                      <span className="mono webhook-url">{w.url}</span>
                      {w.description && <div>{w.description}</div>}
                    </td>
                    <td className="mono">{w.events.join(', ')}</td>
                    <td>
                      {w.enabled ? (
                        <Badge tone="success">Enabled</Badge>
                      ) : (
                        <Badge tone="warning">{disabledWords[w.disabledReason ?? 'manual']}</Badge>
                      )}
                    </td>
                    <td className="table-actions">
                      <div className="webhook-actions">
                        <Button size="sm" aria-label={`Deliveries of ${w.url}`} onClick={() => setLog(w)}>
                          Deliveries
                        </Button>
                        {w.enabled && (
                          <Button
                            size="sm"
                            aria-label={`Send test event to ${w.url}`}
                            onClick={() =>
                              act('send a test', () => sendTestEvent(orgId, w.id), 'Test event sent')
                            }
                          >
                            Send test
                          </Button>
                        )}
                        <Button
                          size="sm"
                          aria-label={`Rotate secret of ${w.url}`}
                          onClick={() => setRotating(w)}
                        >
                          Rotate secret
                        </Button>
                        <Button
                          size="sm"
                          aria-label={`${w.enabled ? 'Disable' : 'Enable'} ${w.url}`}
                          onClick={() =>
                            act('change it', () => updateWebhook(orgId, w.id, { enabled: !w.enabled }))
                          }
                        >
                          {w.enabled ? 'Disable' : 'Enable'}
                        </Button>
                        <Button
                          size="sm"
                          variant="danger"
                          aria-label={`Delete ${w.url}`}
                          onClick={() => setRemoving(w)}
                        >
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState icon={<Webhook />} title="No webhooks yet">
            <p>Add an endpoint to be told when a conversation waits for a person, closes, and more.</p>
          </EmptyState>
        )}
      </section>
      <section aria-labelledby="inbound-title" className="form-stack">
        <h2 id="inbound-title">Inbound hooks</h2>
        <div>
          <Button onClick={() => setAddingHook(true)}>
            <Plus aria-hidden="true" />
            Create inbound hook
          </Button>
        </div>
        {hooks.data && hooks.data.length > 0 ? (
          <div className="table-scroll">
            <table className="table" aria-label="Inbound hooks">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">URL</th>
                  <th scope="col">Last received</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {hooks.data.map((h) => (
                  <tr key={h.id} data-muted={h.enabled ? undefined : true}>
                    <td>{h.name}</td>
                    <td className="mono webhook-url">{hookUrl(h)}</td>
                    <td>{h.lastReceivedAt ? formatAge(h.lastReceivedAt) : 'Never'}</td>
                    <td>{h.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
                    <td className="table-actions">
                      <div className="webhook-actions">
                        <CopyButton text={hookUrl(h)} label="Copy URL" />
                        <Button
                          size="sm"
                          aria-label={`${h.enabled ? 'Disable' : 'Enable'} ${h.name}`}
                          onClick={() =>
                            act('change it', () => updateInboundHook(orgId, h.id, { enabled: !h.enabled }))
                          }
                        >
                          {h.enabled ? 'Disable' : 'Enable'}
                        </Button>
                        <Button
                          size="sm"
                          variant="danger"
                          aria-label={`Delete ${h.name}`}
                          onClick={() => setRemovingHook(h)}
                        >
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No inbound hooks. A hook lets a help desk post replies into a conversation or close it.</p>
        )}
      </section>
      <WebhookDialog orgId={orgId} open={adding} onOpenChange={setAdding} onCreated={refresh} />
      <InboundHookDialog
        orgId={orgId}
        open={addingHook}
        onOpenChange={setAddingHook}
        onCreated={refreshHooks}
      />
      <DeliveriesDialog orgId={orgId} endpoint={log} onOpenChange={(open) => !open && setLog(null)} />
      <ConfirmDialog
        open={rotating !== null}
        onOpenChange={(open) => !open && setRotating(null)}
        title="Rotate the signing secret?"
        description="For 24 hours deliveries carry signatures with both the old and the new secret, so you can switch your receiver without a gap."
        confirmLabel="Rotate secret"
        onConfirm={async () => {
          if (!rotating) return;
          await act('rotate the secret', async () =>
            setRotated(await rotateWebhookSecret(orgId, rotating.id)),
          );
        }}
      />
      <Dialog
        open={rotated !== null}
        onOpenChange={(open) => !open && setRotated(null)}
        title="New signing secret"
      >
        {rotated && <SecretShownOnce secret={rotated.secret} onDone={() => setRotated(null)} />}
      </Dialog>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Delete this webhook?"
        description="Nothing more is sent to it, and its delivery log is removed."
        confirmLabel="Delete webhook"
        onConfirm={async () => {
          if (removing) await act('delete it', () => deleteWebhook(orgId, removing.id), 'Webhook deleted');
        }}
      />
      <ConfirmDialog
        open={removingHook !== null}
        onOpenChange={(open) => !open && setRemovingHook(null)}
        title={`Delete “${removingHook?.name ?? ''}”?`}
        description="Requests to its URL are refused from now on."
        confirmLabel="Delete hook"
        onConfirm={async () => {
          if (removingHook)
            await act('delete it', () => deleteInboundHook(orgId, removingHook.id), 'Inbound hook deleted');
        }}
      />
    </div>
  );
}
