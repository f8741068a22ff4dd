import type { Transfer } from '@confidant/contract';

/**
 * Whether a recipient's region is the installation's hosting region, as far as the
 * configuration says. Honest by construction: when either side is not configured the answer
 * is `unknown`, never a guess. Regions match when equal (case-insensitively) or when one is a
 * prefix of the other at a `-` boundary (`eu` covers `eu-central-1`).
 */
export function compareRegions(
  hostingRegion: string | null,
  recipientRegion: string | null,
): Transfer['assessment'] {
  if (!hostingRegion || !recipientRegion) return 'unknown';
  const a = hostingRegion.trim().toLowerCase();
  const b = recipientRegion.trim().toLowerCase();
  if (a === b || b.startsWith(`${a}-`) || a.startsWith(`${b}-`)) return 'same_region';
  return 'outside_region';
}
