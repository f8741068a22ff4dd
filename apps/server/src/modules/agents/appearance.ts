import { readableTextOn } from '@confidant/contract/contrast';
import { z } from 'zod';
import { type AgentRow, DEFAULT_ACCENT_COLOR, widgetPositions } from '../../platform/db/schema/index.js';
import { nonBlank } from '../../platform/http/schemas.js';

/**
 * How an agent's widget looks: accent colour, corner, launcher label and avatar. The text colour
 * on the accent is computed (white or black, whichever is readable: contrast.ts), so no accent an
 * admin picks can make the launcher or the visitor's bubbles unreadable.
 */

export const LAUNCHER_LABEL_MAX = 40;
/** Avatars are shown at 28–32 px; 256 KB is generous for that and keeps every widget load light. */
export const AVATAR_MAX_BYTES = 256 * 1024;

export const accentColorSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #0f766e')
  .transform((value) => value.toLowerCase())
  .describe('Accent colour of the launcher, header, send button and visitor bubbles (#rrggbb)');

export const appearanceFields = {
  accentColor: accentColorSchema,
  position: z.enum(widgetPositions).describe('Which bottom corner the widget sits in'),
  launcherLabel: nonBlank(LAUNCHER_LABEL_MAX)
    .nullable()
    .describe('Short text beside the launcher icon, e.g. "Chat with us"; null: the icon alone'),
};

/** The images an avatar may be, recognised from their first bytes (never the file name or type). */
const AVATAR_SIGNATURES: { mimeType: string; matches: (b: Uint8Array) => boolean }[] = [
  {
    mimeType: 'image/png',
    matches: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => b[i] === byte),
  },
  { mimeType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mimeType: 'image/webp',
    // RIFF....WEBP
    matches: (b) =>
      String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
      String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
  },
];

/** The MIME type of an avatar image, or null when the bytes are not PNG, JPEG or WebP. */
export const sniffAvatar = (bytes: Uint8Array): string | null =>
  AVATAR_SIGNATURES.find((s) => s.matches(bytes))?.mimeType ?? null;

export const AVATAR_MIME_TYPES = AVATAR_SIGNATURES.map((s) => s.mimeType);

/**
 * Where the widget loads an agent's avatar: this server, the publishable key (public anyway) and
 * the content hash, so the URL changes when the image does and can be cached for a year.
 */
export const avatarPath = (publishableKey: string, hash: string) =>
  `/v1/widget/avatars/${publishableKey}/${hash}`;

export type Appearance = {
  accentColor: string;
  accentTextColor: string;
  position: (typeof widgetPositions)[number];
  launcherLabel: string | null;
  /** Path on this server (relative to its origin), or null without an avatar. */
  avatarUrl: string | null;
};

export const appearanceOf = (agent: AgentRow): Appearance => ({
  accentColor: agent.accentColor,
  accentTextColor: readableTextOn(agent.accentColor),
  position: agent.position,
  launcherLabel: agent.launcherLabel,
  avatarUrl: agent.avatarHash ? avatarPath(agent.publishableKey, agent.avatarHash) : null,
});

export const appearanceSchema = z
  .object({
    accentColor: z.string(),
    accentTextColor: z.string().describe('White or black, whichever meets WCAG AA contrast on the accent'),
    position: z.enum(widgetPositions),
    launcherLabel: z.string().nullable(),
    avatarUrl: z
      .string()
      .nullable()
      .describe('Path of the avatar image on this server (content-hashed, cached for a year), or null'),
  })
  .meta({ id: 'WidgetAppearance' });

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The launcher's look as attributes of the widget's script tag (` data-accent="…"` …), escaped for
 * HTML, for pages this server renders (the demo store, the console's preview). The launcher reads
 * them so it can draw without asking the server anything. Defaults are left out, as in the
 * console's snippet (the launcher's own defaults are the same).
 */
export function lookAttributes(look: {
  accentColor: string;
  position: string;
  launcherLabel: string | null;
}): string {
  return [
    look.accentColor !== DEFAULT_ACCENT_COLOR ? ` data-accent="${escapeAttribute(look.accentColor)}"` : '',
    look.position !== 'bottom-right' ? ` data-position="${escapeAttribute(look.position)}"` : '',
    look.launcherLabel ? ` data-label="${escapeAttribute(look.launcherLabel)}"` : '',
  ].join('');
}
