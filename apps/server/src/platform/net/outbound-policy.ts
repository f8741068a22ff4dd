import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  type AddressClass,
  addressClassLabel,
  classifyAddress,
  isAllowedAddressClass,
  isMetadataHostName,
} from './address-policy.js';

/**
 * The rule every request the server makes for a tenant's URL follows: which URLs and which
 * resolved addresses it may connect to (see address-policy.ts for the address classes).
 * Checked when the URL is saved and again before every connection, redirects included, because
 * DNS may answer differently between the save and the call.
 */

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to all its addresses (the system resolver by default; tests pass their own). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolveHost: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export type OutboundPolicy = {
  /** The operator's CONFIDANT_ALLOW_PRIVATE_NETWORKS: private ranges allowed, metadata never. */
  allowPrivateNetworks: boolean;
  resolveHost?: ResolveHost;
};

/**
 * The URL or the address it leads to is not allowed. The message is for the person who gave the
 * URL; `rule` is the reason alone, worded to follow the URL's name (e.g. "baseUrl " + rule).
 * A TypeError, as fetch's own network failures are, so fetch-compatible callers handle it alike.
 */
export class FetchRefusedError extends TypeError {
  readonly rule: string;
  readonly addressClass: AddressClass | undefined;
  constructor(message: string, options: { rule?: string; addressClass?: AddressClass } = {}) {
    super(message);
    this.name = 'FetchRefusedError';
    this.rule = options.rule ?? message;
    this.addressClass = options.addressClass;
  }
}

/** The request did not work (DNS, connection, deadline, size, redirects). The message is for people. */
export class FetchError extends TypeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
  }
}

/** Checks the URL itself: scheme, credentials, host. Returns the host as DNS sees it (no brackets). */
export function checkUrlShape(url: URL): string {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError(`Only http and https addresses can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new FetchRefusedError('Addresses with a user name or password cannot be fetched');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new FetchRefusedError('The address has no host name');
  return host;
}

function refuse(
  host: string,
  literal: boolean,
  address: string,
  cls: AddressClass,
  allowPrivateNetworks: boolean,
): never {
  const label = addressClassLabel[cls as Exclude<AddressClass, 'public'>];
  const rule = `${literal ? 'points to' : 'resolves to'} ${label} (${address})`;
  const what = literal ? `${host} is ${label}` : `${host} ${rule}`;
  const policy = allowPrivateNetworks
    ? 'this server never connects to cloud metadata addresses for you'
    : 'this server does not connect to private, reserved or cloud metadata addresses for you';
  throw new FetchRefusedError(`${what}; ${policy}`, { rule, addressClass: cls });
}

/**
 * Resolves the URL's host and checks every address against the policy. Returns the addresses to
 * connect to (all of them checked). Used before each hop and when a tenant URL is saved.
 */
export async function resolveAllowedAddresses(
  url: URL,
  policy: OutboundPolicy,
  signal?: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = checkUrlShape(url);
  if (isMetadataHostName(host)) {
    throw new FetchRefusedError(`${host} is a cloud metadata service; this server does not connect to it`, {
      rule: `names a cloud metadata service (${host})`,
      addressClass: 'metadata',
    });
  }
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family === 4 || family === 6) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await raceAbort((policy.resolveHost ?? systemResolveHost)(host), signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new FetchError(`The host name ${host} could not be resolved`, { cause: error });
    }
    if (addresses.length === 0) throw new FetchError(`The host name ${host} could not be resolved`);
  }
  // Refuse when any answer is refused: a name that mixes public and private addresses is either
  // misconfigured or an attempt to get one of the private ones connected.
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (!isAllowedAddressClass(cls, policy.allowPrivateNetworks))
      refuse(host, family !== 0, address, cls, policy.allowPrivateNetworks);
  }
  return addresses;
}

/** The system resolver cannot be cancelled; a deadline or an abort stops waiting for it. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
