import type { ComposedNotification } from '../notifications/compose.js';
import { hostOf } from '../privacy/records/host-of.js';

/** The words of the notice sent when an endpoint is disabled: its host, never a path or secret. */
export function webhookDisabledNotice(input: {
  url: string;
  reason: 'gone' | 'failing';
}): ComposedNotification {
  const host = hostOf(input.url) ?? 'an endpoint';
  return {
    kind: 'webhook_disabled',
    subject: `Webhook to ${host} was disabled`,
    body: [
      input.reason === 'gone'
        ? `The webhook endpoint at ${host} answered 410 Gone, so Confidant stopped sending to it.`
        : `Deliveries to the webhook endpoint at ${host} have failed continuously for five days, so Confidant stopped sending to it.`,
      '',
      'Admins can check the delivery log and enable the endpoint again in the console under Settings → Webhooks.',
    ].join('\n'),
  };
}
