import type {
  CreatedInboundHook,
  CreatedWebhookEndpoint,
  InboundHook,
  RotatedWebhookSecret,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../api/client';

export const webhooksKey = (orgId: string) => [orgId, 'webhooks'] as const;
export const inboundHooksKey = (orgId: string) => [orgId, 'inbound-hooks'] as const;
export const deliveriesKey = (orgId: string, id: string) => [orgId, 'webhooks', id, 'deliveries'] as const;

export const webhooksQuery = (orgId: string) =>
  queryOptions({
    queryKey: webhooksKey(orgId),
    queryFn: ({ signal }) => request<{ webhooks: WebhookEndpoint[] }>('/v1/webhooks', { orgId, signal }),
    select: (data) => data.webhooks,
  });

export const inboundHooksQuery = (orgId: string) =>
  queryOptions({
    queryKey: inboundHooksKey(orgId),
    queryFn: ({ signal }) => request<{ hooks: InboundHook[] }>('/v1/inbound-hooks', { orgId, signal }),
    select: (data) => data.hooks,
  });

export const deliveriesQuery = (orgId: string, id: string) =>
  queryOptions({
    queryKey: deliveriesKey(orgId, id),
    queryFn: ({ signal }) =>
      request<{ deliveries: WebhookDelivery[] }>(`/v1/webhooks/${id}/deliveries`, { orgId, signal }),
    select: (data) => data.deliveries,
    // Attempts run in the background: the log refreshes while it is open.
    refetchInterval: 2000,
  });

export type NewWebhook = {
  url: string;
  description: string;
  events: WebhookEventType[];
  includeContent: boolean;
};

export const createWebhook = (orgId: string, body: NewWebhook) =>
  request<CreatedWebhookEndpoint>('/v1/webhooks', { method: 'POST', orgId, body });
export const updateWebhook = (orgId: string, id: string, body: Partial<NewWebhook> & { enabled?: boolean }) =>
  request<WebhookEndpoint>(`/v1/webhooks/${id}`, { method: 'PATCH', orgId, body });
export const deleteWebhook = (orgId: string, id: string) =>
  request<void>(`/v1/webhooks/${id}`, { method: 'DELETE', orgId });
export const rotateWebhookSecret = (orgId: string, id: string) =>
  request<RotatedWebhookSecret>(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST', orgId });
export const sendTestEvent = (orgId: string, id: string) =>
  request<WebhookDelivery>(`/v1/webhooks/${id}/test`, { method: 'POST', orgId });
export const retryDelivery = (orgId: string, id: string, deliveryId: string) =>
  request<WebhookDelivery>(`/v1/webhooks/${id}/deliveries/${deliveryId}/retry`, { method: 'POST', orgId });

export const createInboundHook = (orgId: string, name: string) =>
  request<CreatedInboundHook>('/v1/inbound-hooks', { method: 'POST', orgId, body: { name } });
export const updateInboundHook = (orgId: string, id: string, body: { enabled: boolean }) =>
  request<InboundHook>(`/v1/inbound-hooks/${id}`, { method: 'PATCH', orgId, body });
export const deleteInboundHook = (orgId: string, id: string) =>
  request<void>(`/v1/inbound-hooks/${id}`, { method: 'DELETE', orgId });

/** The address integrations post to: PUBLIC_URL's when set, else this console's origin. */
export const hookUrl = (hook: InboundHook) => hook.url ?? `${window.location.origin}${hook.path}`;

export const eventLabels: Record<WebhookEventType, string> = {
  'conversation.waiting': 'A conversation is waiting for a person',
  'conversation.closed': 'A conversation was closed',
  'message.created': 'A message was written (visitor, assistant or operator)',
  'privacy.request.completed': 'A privacy request (export or erasure) completed',
  'incident.created': 'An incident was registered',
};
