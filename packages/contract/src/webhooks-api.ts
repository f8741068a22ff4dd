/** Outgoing webhooks and inbound hooks (`/v1/webhooks`, `/v1/inbound-hooks`, `POST /v1/hooks/{id}`). */
export const webhookEventTypes = [
  'conversation.waiting',
  'conversation.closed',
  'message.created',
  'privacy.request.completed',
  'incident.created',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  includeContent: boolean;
  enabled: boolean;
  /** Why it stopped: by an admin, a 410 answer, or five days of failures. */
  disabledReason: 'manual' | 'gone' | 'failing' | null;
  previousSecretExpiresAt: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Returned once, at creation: the `whsec_…` signing secret. */
export type CreatedWebhookEndpoint = WebhookEndpoint & { secret: string };
export type RotatedWebhookSecret = { secret: string; previousSecretExpiresAt: string };

export type WebhookDelivery = {
  id: string;
  webhookId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  createdAt: string;
};

export type InboundHook = {
  id: string;
  name: string;
  enabled: boolean;
  path: string;
  url: string | null;
  lastReceivedAt: string | null;
  createdAt: string;
};
export type CreatedInboundHook = InboundHook & { secret: string };
