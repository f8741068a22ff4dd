import type { Transfer } from '@confidant/contract';

/**
 * Two-letter geography prefixes of AWS-style region names (eu-central-1, us-east-1, ap-south-1):
 * two different ones are different geographies. Other schemes (GCP's europe-west1, Azure's
 * westeurope) cannot be compared by name, so they are never called "outside".
 */
const GEOGRAPHIES = new Set(['af', 'ap', 'ca', 'cn', 'eu', 'il', 'me', 'mx', 'sa', 'us']);

/**
 * Whether a recipient's region is the installation's hosting region, as far as the
 * configuration says. Honest by construction: `unknown` whenever either side is not configured
 * or the names cannot be compared, never a guess. Same when equal (case-insensitively) or when
 * one is a prefix of the other at a `-` boundary (`eu` covers `eu-central-1`); outside only when
 * both start with different known geography prefixes (`eu` vs `us-east-1`).
 */
export function compareRegions(
  hostingRegion: string | null,
  recipientRegion: string | null,
): Transfer['assessment'] {
  if (!hostingRegion || !recipientRegion) return 'unknown';
  const a = hostingRegion.trim().toLowerCase();
  const b = recipientRegion.trim().toLowerCase();
  if (a === b || b.startsWith(`${a}-`) || a.startsWith(`${b}-`)) return 'same_region';
  const geoA = a.split('-')[0]!;
  const geoB = b.split('-')[0]!;
  if (GEOGRAPHIES.has(geoA) && GEOGRAPHIES.has(geoB) && geoA !== geoB) return 'outside_region';
  return 'unknown';
}
