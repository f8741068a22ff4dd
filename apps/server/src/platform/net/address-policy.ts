import { isIP } from 'node:net';

/**
 * Which IP addresses the server may connect to for a URL a tenant gave (website sources, an
 * org's model provider). Anything that is not a public unicast address is refused (unless the
 * operator allows private networks), so a tenant URL cannot be used to reach the server's own
 * network: loopback, RFC 1918, link-local, unique-local, CGNAT, multicast, unspecified and the
 * reserved or non-routable ranges. Cloud metadata endpoints are refused always, even when
 * private networks are allowed (`isAllowedAddressClass`): they hand out the instance's
 * credentials. IPv6 addresses that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged
 * by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback.
 *
 * Input is an address as DNS or a parsed URL gives it: decimal, octal and hex IPv4 tricks
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`) are normalised to dotted quads by the URL parser before
 * they get here; this module only accepts canonical dotted quads and any valid IPv6 text form.
 */

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'metadata'
  | 'documentation'
  | 'reserved'
  | 'invalid';

type Range = { bytes: number[]; prefix: number; cls: Exclude<AddressClass, 'public'> };

const v4 = (cidr: string, cls: Range['cls']): Range => {
  const [addr, prefix] = cidr.split('/');
  return { bytes: addr!.split('.').map(Number), prefix: Number(prefix), cls };
};

/** First match wins, so specific entries (metadata hosts) come before the blocks that hold them. */
const ipv4Ranges: Range[] = [
  v4('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, OpenStack instance metadata
  v4('168.63.129.16/32', 'metadata'), // Azure wire server: a public address, reachable only inside Azure
  v4('100.100.100.200/32', 'metadata'), // Alibaba Cloud metadata
  v4('192.0.0.192/32', 'metadata'), // Oracle Cloud metadata
  v4('169.254.170.2/32', 'metadata'), // AWS ECS task credentials
  v4('169.254.170.23/32', 'metadata'), // AWS EKS pod identity credentials
  v4('0.0.0.0/8', 'unspecified'), // "this network"; 0.0.0.0 reaches the local host on Linux
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'cgnat'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'), // deprecated 6to4 relay anycast
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'), // benchmarking; also used by local proxies for fake DNS answers
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

const v6 = (cidr: string, cls: Range['cls']): Range => {
  const [addr, prefix] = cidr.split('/');
  return { bytes: [...parseIpv6(addr!)!], prefix: Number(prefix), cls };
};

/**
 * IPv6 blocks inside or around global unicast (2000::/3) that are not public. Everything outside
 * 2000::/3 is refused unless it embeds an IPv4 address (handled before this table).
 */
const ipv6Ranges: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::/96', 'reserved'), // deprecated IPv4-compatible addresses
  v6('fd00:ec2::254/128', 'metadata'), // AWS instance metadata over IPv6
  v6('fd00:ec2::23/128', 'metadata'), // AWS EKS pod identity credentials over IPv6
  v6('64:ff9b:1::/48', 'private'), // local-use NAT64
  v6('100::/64', 'reserved'), // discard-only
  v6('2001:db8::/32', 'documentation'),
  v6('2001::/23', 'reserved'), // IETF protocol assignments, Teredo (an obfuscated IPv4 inside)
  v6('3fff::/20', 'documentation'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'reserved'), // deprecated site-local
  v6('ff00::/8', 'multicast'),
];

function inRange(bytes: ArrayLike<number>, range: Range): boolean {
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Parses a canonical dotted quad (no leading zeros, no short forms); null otherwise. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** Parses any valid IPv6 text form (compressed, expanded, trailing dotted quad, zone id); null otherwise. */
export function parseIpv6(text: string): Uint8Array | null {
  const unzoned = text.replace(/%.*$/, '');
  if (isIP(unzoned) !== 6) return null;
  let head = unzoned;
  const tailWords: number[] = [];
  const lastColon = head.lastIndexOf(':');
  const dotted = head.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const quad = parseIpv4(dotted);
    if (!quad) return null;
    tailWords.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    head = head.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::"; "1::1.2.3.4" leaves "1::"; "1:2:3:4:5:6:1.2.3.4" leaves "...6:".
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const words = (part: string) => (part ? part.split(':').map((w) => Number.parseInt(w, 16)) : []);
  let all: number[];
  if (head.includes('::')) {
    // isIP accepted the text, so "::" occurs once.
    const [left = '', right = ''] = head.split('::');
    const leftWords = words(left);
    const rightWords = [...words(right), ...tailWords];
    all = [
      ...leftWords,
      ...new Array<number>(8 - leftWords.length - rightWords.length).fill(0),
      ...rightWords,
    ];
  } else {
    all = [...words(head), ...tailWords];
  }
  if (all.length !== 8) return null;
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function classifyIpv4(bytes: ArrayLike<number>): AddressClass {
  for (const range of ipv4Ranges) if (inRange(bytes, range)) return range.cls;
  return 'public';
}

const mappedPrefix = v6('::ffff:0:0/96', 'reserved');
const nat64Prefix = v6('64:ff9b::/96', 'reserved');
const sixToFourPrefix = v6('2002::/16', 'reserved');
const globalUnicast = v6('2000::/3', 'reserved');

function classifyIpv6(bytes: Uint8Array): AddressClass {
  // Forms that carry an IPv4 address are as reachable as that address.
  if (inRange(bytes, mappedPrefix) || inRange(bytes, nat64Prefix)) return classifyIpv4(bytes.slice(12, 16));
  if (inRange(bytes, sixToFourPrefix)) return classifyIpv4(bytes.slice(2, 6));
  for (const range of ipv6Ranges) if (inRange(bytes, range)) return range.cls;
  return inRange(bytes, globalUnicast) ? 'public' : 'reserved';
}

/**
 * Classifies an IP address given as text (IPv4 dotted quad, IPv6 with or without brackets or a
 * zone id). Anything that does not parse is 'invalid', which is never public.
 */
export function classifyAddress(address: string): AddressClass {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const quad = parseIpv4(text);
  if (quad) return classifyIpv4(quad);
  const bytes = parseIpv6(text);
  return bytes ? classifyIpv6(bytes) : 'invalid';
}

export const isPublicAddress = (address: string): boolean => classifyAddress(address) === 'public';

/**
 * Host names of cloud metadata services. They resolve to a metadata address where they work, but
 * a name is refused before any resolver is asked, so split-horizon DNS cannot hand out another.
 */
const metadataHostNames = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Whether a host name (any case, with or without the root dot) names a cloud metadata service. */
export const isMetadataHostName = (host: string): boolean =>
  metadataHostNames.has(host.toLowerCase().replace(/\.$/, ''));

/**
 * The policy in one place: public addresses are always allowed; with private networks allowed
 * every class but metadata is (an intranet site or a shared Ollama may live on loopback,
 * RFC 1918, link-local, ULA or CGNAT addresses); metadata and unparseable input never are.
 */
export function isAllowedAddressClass(cls: AddressClass, allowPrivateNetworks: boolean): boolean {
  if (cls === 'public') return true;
  if (cls === 'metadata' || cls === 'invalid') return false;
  return allowPrivateNetworks;
}

/** How a refused address class is named to the person who entered the URL. */
export const addressClassLabel: Record<Exclude<AddressClass, 'public'>, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  'unique-local': 'a private (unique-local) IPv6 address',
  cgnat: 'a shared (carrier-grade NAT) address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  metadata: 'a cloud metadata address',
  documentation: 'a documentation-only address',
  reserved: 'a reserved address',
  invalid: 'an invalid address',
};
