import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  classifyAddress,
  isAllowedAddressClass,
  isMetadataHostName,
  isPublicAddress,
  parseIpv6,
} from './address-policy.js';

const quad = (b: number[]) => b.join('.');
const byte = fc.integer({ min: 0, max: 255 });
const v4Bytes = fc.tuple(byte, byte, byte, byte).map((t) => [...t]);

/** An IPv4 address inside a CIDR block, drawn at random. */
function inBlock(cidr: string) {
  const [base, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const baseInt = base!.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  return fc.integer({ min: 0, max: size - 1 }).map((offset) => {
    const n = baseInt + offset;
    return quad([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  });
}

/** Every IPv4 block the policy refuses, with its class (specific metadata hosts aside). */
const refusedV4: [string, AddressClass][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['198.18.0.0/15', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
];

const hex = (b: number[]) => [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!].map((w) => w.toString(16));

describe('address policy', () => {
  it('classifies the well-known addresses', () => {
    const cases: [string, AddressClass][] = [
      ['8.8.8.8', 'public'],
      ['1.1.1.1', 'public'],
      ['93.184.215.14', 'public'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', 'public'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'metadata'],
      ['169.254.1.1', 'link-local'],
      ['100.100.100.200', 'metadata'],
      ['168.63.129.16', 'metadata'],
      ['192.0.0.192', 'metadata'],
      ['100.64.0.1', 'cgnat'],
      ['100.127.255.255', 'cgnat'],
      ['100.128.0.1', 'public'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::FFFF:A9FE:A9FE', 'metadata'],
      ['::ffff:8.8.8.8', 'public'],
      ['::127.0.0.1', 'reserved'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['64:ff9b::808:808', 'public'],
      ['64:ff9b:1::1', 'private'],
      ['2002:c0a8:0101::1', 'private'],
      ['2002:0808:0808::1', 'public'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['fd00:ec2::254', 'metadata'],
      ['fd00:ec2::253', 'unique-local'],
      ['fc00::1', 'unique-local'],
      ['fec0::1', 'reserved'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['2001::1', 'reserved'],
      ['3fff::1', 'documentation'],
      ['100::1', 'reserved'],
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001:81b::200e', 'public'],
      ['4000::1', 'reserved'],
      ['example.com', 'invalid'],
      ['', 'invalid'],
      ['127.1', 'invalid'],
      ['0177.0.0.1', 'invalid'],
      ['2130706433', 'invalid'],
      ['256.0.0.1', 'invalid'],
      ['1:2:3:4:5:6:7:8:9', 'invalid'],
    ];
    for (const [address, expected] of cases)
      expect([address, classifyAddress(address)]).toEqual([address, expected]);
  });

  it('numeric tricks in URLs end up as dotted quads the policy refuses', () => {
    // The WHATWG URL parser normalises decimal, octal, hex and short IPv4 forms; the crawler
    // classifies url.hostname, so these all reach the policy as 127.0.0.1 or ::ffff:7f00:1.
    for (const href of [
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.0.0.1/',
      'http://0x7f000001/',
      'http://127.1/',
      'http://127.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:0001]/',
    ]) {
      const host = new URL(href).hostname;
      expect([href, classifyAddress(host)]).toEqual([href, 'loopback']);
    }
    expect(classifyAddress(new URL('http://0/').hostname)).toBe('unspecified');
    expect(classifyAddress(new URL('http://[::]/').hostname)).toBe('unspecified');
  });

  it('every address in a refused IPv4 block is refused with its class', () => {
    for (const [cidr, cls] of refusedV4) {
      fc.assert(
        fc.property(inBlock(cidr), (address) => {
          const got = classifyAddress(address);
          // Metadata hosts are named more precisely than the block that holds them.
          return got === cls || got === 'metadata';
        }),
        { numRuns: 200 },
      );
    }
  });

  it('IPv4-mapped, NAT64 and 6to4 forms are judged by the IPv4 address inside', () => {
    fc.assert(
      fc.property(v4Bytes, (b) => {
        const v4class = classifyAddress(quad(b));
        const [hi, lo] = hex(b);
        return (
          classifyAddress(`::ffff:${quad(b)}`) === v4class &&
          classifyAddress(`::ffff:${hi}:${lo}`) === v4class &&
          classifyAddress(`0:0:0:0:0:ffff:${hi}:${lo}`) === v4class &&
          classifyAddress(`64:ff9b::${quad(b)}`) === v4class &&
          classifyAddress(`2002:${hi}:${lo}::1`) === v4class
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('any text form of an IPv6 address classifies the same (expanded, compressed, upper case)', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), fc.boolean(), (words, upper) => {
        const expanded = words.map((w) => w.toString(16).padStart(4, '0')).join(':');
        const short = words.map((w) => w.toString(16)).join(':');
        const bytes = parseIpv6(expanded);
        const compressed = new URL(`http://[${expanded}]/`).hostname; // the URL parser's canonical form
        const forms = [expanded, short, compressed, upper ? expanded.toUpperCase() : expanded];
        const classes = new Set(forms.map(classifyAddress));
        return bytes !== null && classes.size === 1 && !classes.has('invalid');
      }),
      { numRuns: 2000 },
    );
  });

  it('a public IPv4 address outside every refused block is public', () => {
    const refusedBlocks = [
      ...refusedV4.map(([c]) => c),
      '169.254.0.0/16',
      '192.0.0.0/24',
      '192.88.99.0/24',
      '240.0.0.0/4',
    ];
    const contains = (cidr: string, b: number[]) => {
      const [base, p] = cidr.split('/');
      const baseBytes = base!.split('.').map(Number);
      let bits = Number(p);
      for (let i = 0; bits > 0; i++, bits -= 8) {
        const mask = bits >= 8 ? 255 : (255 << (8 - bits)) & 255;
        if ((b[i]! & mask) !== (baseBytes[i]! & mask)) return false;
      }
      return true;
    };
    fc.assert(
      fc.property(v4Bytes, (b) => {
        const metadata = ['168.63.129.16', '100.100.100.200'].includes(quad(b));
        const refused = metadata || refusedBlocks.some((cidr) => contains(cidr, b));
        return isPublicAddress(quad(b)) === !refused;
      }),
      { numRuns: 5000 },
    );
  });

  it('IPv6 outside global unicast (2000::/3) is never public unless it carries a public IPv4', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
        const text = words.map((w) => w.toString(16)).join(':');
        const first = words[0]!;
        const global = first >= 0x2000 && first <= 0x3fff;
        const carriesV4 =
          (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) ||
          (first === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0));
        return global || carriesV4 || !isPublicAddress(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('allows private classes only when the operator does, and metadata or invalid input never', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.1.1', 'fd12::1', '100.64.0.1', '::1']) {
      const cls = classifyAddress(address);
      expect([address, isAllowedAddressClass(cls, false)]).toEqual([address, false]);
      expect([address, isAllowedAddressClass(cls, true)]).toEqual([address, true]);
    }
    for (const address of [
      '169.254.169.254',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '100.100.100.200',
      '169.254.170.2',
      'not-an-address',
    ]) {
      expect([address, isAllowedAddressClass(classifyAddress(address), true)]).toEqual([address, false]);
    }
    expect(isAllowedAddressClass('public', false)).toBe(true);
  });

  it('knows the metadata services by name, in any case and with the root dot', () => {
    for (const host of ['metadata.google.internal', 'METADATA.google.internal.', 'metadata', 'instance-data'])
      expect([host, isMetadataHostName(host)]).toEqual([host, true]);
    for (const host of ['metadata.example.com', 'google.internal', 'example.com'])
      expect([host, isMetadataHostName(host)]).toEqual([host, false]);
  });
});
