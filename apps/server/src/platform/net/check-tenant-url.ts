import { AppError } from '../errors.js';
import {
  FetchError,
  FetchRefusedError,
  type OutboundPolicy,
  resolveAllowedAddresses,
} from './outbound-policy.js';

/** How long saving a tenant URL waits for DNS before answering. */
const RESOLVE_TIMEOUT_MS = 10_000;

/**
 * Save-time check of a URL a tenant gives (a model provider's base URL, a Slack webhook…):
 * refuses one that resolves now to an address the outbound policy refuses (loopback, private,
 * link-local, metadata…), or that does not resolve, with a 400 naming the rule and the body
 * field. The policy applies again at every call (the guarded fetch), because DNS may answer
 * differently later; this check only tells the admin early, before anything is stored.
 */
export async function checkTenantUrl(rawUrl: string, field: string, policy: OutboundPolicy): Promise<void> {
  const url = new URL(rawUrl);
  const refused = (detail: string) =>
    new AppError('validation_failed', detail, [{ path: `body.${field}`, message: detail }]);
  try {
    await resolveAllowedAddresses(url, policy, AbortSignal.timeout(RESOLVE_TIMEOUT_MS));
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError')
      throw refused(`${field} cannot be used: ${url.hostname} did not resolve in time`);
    if (error instanceof FetchRefusedError)
      throw refused(`${field} ${error.rule}, which tenant URLs may not reach`);
    if (error instanceof FetchError) throw refused(`${field} cannot be used: ${error.message}`);
    throw error;
  }
}
