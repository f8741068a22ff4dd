import { readableTextOn } from '@confidant/contract/contrast';
import type { LauncherAppearance } from './types.js';

/**
 * The agent's accent as CSS custom properties for the whole shadow root. Invariants: only a
 * #rrggbb value ever reaches the stylesheet (anything else keeps the default), and the text on
 * the accent is white or black, whichever is readable (contrast.ts). `--accent-ink` is the accent
 * where it is used as text on white (chips, links, names): when the accent is too light for that
 * (its readable text is black), a dark ink replaces it. A page's own `--confidant-*` values
 * still win, as before.
 */
const HEX = /^#[0-9a-f]{6}$/i;

export function themeCss(appearance: LauncherAppearance): string {
  const accent = appearance.accentColor;
  if (!accent || !HEX.test(accent)) return '';
  const text = readableTextOn(accent);
  const ink = text === '#ffffff' ? accent : '#1f2933';
  return `:host{--accent:var(--confidant-accent,${accent});--accent-contrast:var(--confidant-accent-contrast,${text});--accent-ink:var(--confidant-accent-ink,${ink})}`;
}
