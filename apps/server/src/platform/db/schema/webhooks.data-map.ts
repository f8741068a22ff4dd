import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const config = col('org.config', 'org_lifetime', 'keep');
const ident = col('system.identifier', 'org_lifetime', 'keep');
const ops = col('system.operations', 'org_lifetime', 'keep');
const secret = col('org.credential.secret', 'org_lifetime', 'crypto_shred', { encrypted: true });

/**
 * Webhooks both ways (modules/webhooks/). Deliveries hold ids and types only (a conversation id
 * is a random identifier; message text is read at send time when an endpoint asks for it and is
 * never copied here); the log never holds a response body or a secret. Delivery rows older than
 * 30 days are pruned by the webhook sweep.
 */
export const webhooksDataMap: DataMap = {
  webhook_endpoints: {
    purpose: 'Where the org’s outgoing webhooks are sent, which events, and the encrypted signing secrets',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: ident,
      url: config,
      description: config,
      events: config,
      include_content: config,
      enabled: config,
      disabled_reason: ops,
      secret_ciphertext: secret,
      previous_secret_ciphertext: secret,
      previous_secret_expires_at: ops,
      event_cursor: ops,
      failing_since: ops,
      created_at: ops,
      updated_at: ops,
    },
  },
  webhook_deliveries: {
    purpose: 'The delivery log of outgoing webhooks: event type, ids, status code, duration, attempts',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: ident,
      endpoint_id: ident,
      event_type: ops,
      payload: ident,
      status: ops,
      attempts: ops,
      next_attempt_at: ops,
      last_attempt_at: ops,
      last_status_code: ops,
      last_duration_ms: ops,
      last_error: ops,
      created_at: ops,
    },
  },
  inbound_hooks: {
    purpose: 'Inbound hooks the org created for integrations, with their encrypted verification secrets',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: ident,
      name: config,
      enabled: config,
      secret_ciphertext: secret,
      last_received_at: ops,
      created_at: ops,
      updated_at: ops,
    },
  },
  inbound_hook_messages: {
    purpose: 'Message ids an inbound hook accepted, kept for a day to refuse replays',
    subject: 'none',
    columns: {
      org_id: orgRef,
      hook_id: ident,
      message_id: ident,
      expires_at: ops,
      created_at: ops,
    },
  },
};
