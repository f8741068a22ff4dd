import { isIPv6 } from 'node:net';
import type { EntitySpan } from './entity.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Not part of a longer dotted number (version strings like 1.2.3.4.5). */
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, 'g');
const IPV6_CANDIDATE =
  /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)/g;

/** "firmware 10.4.1.2", "version 4.2.0.1", "build 1.0.3.7": four-part version numbers, not addresses. */
const VERSION_BEFORE =
  /\b(?:version|ver\.?|v|firmware|fw|build|release|update|upgrade|patch|driver|bios|app|ios|android|windows|macos)\s*[:#]?\s*$/i;

export function detectIps(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(IPV4)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    spans.push({ type: 'IP', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    // A clock time ("14:30:00") is not an address; node's parser decides.
    if (isIPv6(m[0])) spans.push({ type: 'IP', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}
