import { AppError } from '../../platform/errors.js';
import {
  FetchError,
  FetchRefusedError,
  type OutboundPolicy,
  resolveAllowedAddresses,
} from '../../platform/net/outbound-policy.js';

/** How long saving a webhook waits for DNS before answering. */
const RESOLVE_TIMEOUT_MS = 10_000;

/**
 * Refuses a Slack webhook URL that resolves now to an address the outbound policy refuses
 * (loopback, private, link-local, metadata…; platform/net/), or that does not resolve: a 400
 * naming the rule, before anything is stored. The policy applies again at every post (slack.ts),
 * because DNS may answer differently later; this check only tells the admin early.
 */
export async function checkSlackWebhookUrl(webhookUrl: string, policy: OutboundPolicy): Promise<void> {
  const url = new URL(webhookUrl);
  const refused = (detail: string) =>
    new AppError('validation_failed', detail, [{ path: 'body.slackWebhookUrl', message: detail }]);
  try {
    await resolveAllowedAddresses(url, policy, AbortSignal.timeout(RESOLVE_TIMEOUT_MS));
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError')
      throw refused(`slackWebhookUrl cannot be used: ${url.hostname} did not resolve in time`);
    if (error instanceof FetchRefusedError)
      throw refused(`slackWebhookUrl ${error.rule}, which tenant URLs may not reach`);
    if (error instanceof FetchError) throw refused(`slackWebhookUrl cannot be used: ${error.message}`);
    throw error;
  }
}
