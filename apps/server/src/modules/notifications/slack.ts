import { createGuardedFetch } from '../../platform/net/guarded-fetch.js';
import { FetchRefusedError, type OutboundPolicy } from '../../platform/net/outbound-policy.js';
import { DeliveryError } from './delivery-error.js';

/**
 * Posts a message to a Slack incoming webhook, a URL a tenant gave: through the outbound
 * address guard (platform/net/), so the address is checked again at call time. A refused
 * address is a permanent failure (retrying would not change the policy); other failures retry.
 */
const LIMITS = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };
/** Slack's answers for a webhook that is invalid, revoked or whose channel is gone. */
const PERMANENT_STATUSES = new Set([400, 403, 404, 410]);

export async function postToSlack(webhookUrl: string, text: string, policy: OutboundPolicy): Promise<void> {
  const guardedFetch = createGuardedFetch(policy, LIMITS);
  let response: Response;
  try {
    response = await guardedFetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      // A webhook that redirects is misconfigured; following it could post the message elsewhere.
      redirect: 'manual',
    });
  } catch (error) {
    if (error instanceof FetchRefusedError) throw new DeliveryError('slack_address_refused', true);
    throw new DeliveryError('slack_network');
  }
  await response.body?.cancel();
  if (!response.ok)
    throw new DeliveryError(`slack_http_${response.status}`, PERMANENT_STATUSES.has(response.status));
}
