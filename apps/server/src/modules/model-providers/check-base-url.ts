import { AppError } from '../../platform/errors.js';
import {
  FetchError,
  FetchRefusedError,
  type OutboundPolicy,
  resolveAllowedAddresses,
} from '../../platform/net/outbound-policy.js';

/** How long saving a provider waits for DNS before answering. */
const RESOLVE_TIMEOUT_MS = 10_000;

/**
 * Refuses a tenant's provider URL that resolves now to an address the outbound policy refuses
 * (loopback, private, link-local, metadata…; see platform/net/), or that does not resolve, with
 * a 400 naming the rule. The same policy is applied again at every call (the gateway's guarded
 * fetch), because DNS may answer differently later; this check only tells the admin early.
 */
export async function checkProviderBaseUrl(baseUrl: string, policy: OutboundPolicy): Promise<void> {
  const url = new URL(baseUrl);
  const refused = (detail: string) =>
    new AppError('validation_failed', detail, [{ path: 'body.baseUrl', message: detail }]);
  try {
    await resolveAllowedAddresses(url, policy, AbortSignal.timeout(RESOLVE_TIMEOUT_MS));
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError') {
      throw refused(`baseUrl cannot be used: ${url.hostname} did not resolve in time`);
    }
    if (error instanceof FetchRefusedError) {
      throw refused(`baseUrl ${error.rule}, which tenant URLs may not reach`);
    }
    if (error instanceof FetchError) throw refused(`baseUrl cannot be used: ${error.message}`);
    throw error;
  }
}
