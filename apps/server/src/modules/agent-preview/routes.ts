import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { LAUNCHER_LABEL_MAX, lookAttributes } from '../agents/appearance.js';
import { findAgentByPublishableKey } from '../conversations/service.js';

/**
 * GET /console/preview?agentKey=pk_… — a blank page embedding the real /widget.js for one agent,
 * for the console's live preview (an iframe on the agent's page). It is this server's own page,
 * so the widget API accepts it without the site being in the agent's allowed origins. The
 * widget opens by itself, so the greeting and starters show at once. Framable by the console
 * only (frame-ancestors 'self'); scripts from this origin plus the one inline opener (by hash).
 * A malformed key is a 400 problem, an unknown one a 404, before any HTML is sent.
 *
 * Appearance: the script tag carries the agent's saved look (data-accent, data-position,
 * data-label), or the console's unsaved draft of it from the query (accent, position, label,
 * checked like the agent API checks them), with data-preview so the draft stays after the panel
 * loads the saved config. With closed=1 the chat stays closed so the launcher shows.
 */
const styles = `
html, body { height: 100%; margin: 0; }
body { font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #5b6472;
  background: #f6f7f9 radial-gradient(circle at 1px 1px, #dfe3e8 1px, transparent 0) 0 0 / 18px 18px; }
p { margin: 0; padding: 16px 20px; max-width: 22rem; }
`;

/** Clicks the launcher once the widget has drawn it (widget.js loads async). */
const opener = `(() => {
  let tries = 0;
  const open = () => {
    const button = document.getElementById('confidant-widget')?.shadowRoot?.querySelector('button.launcher');
    if (button) button.click();
    else if (++tries < 100) setTimeout(open, 50);
  };
  open();
})();`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64');

export const previewCsp = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${sha256(opener)}'`,
  "connect-src 'self'",
  `style-src 'self' 'sha256-${sha256(styles)}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export const publishableKeyPattern = /^pk_[A-Za-z0-9_-]{16,64}$/;

export type PreviewLook = { accentColor: string; position: string; launcherLabel: string | null };

/** The draft look from the query where given and valid, else the saved one. */
export function previewLook(query: Record<string, unknown>, saved: PreviewLook): PreviewLook {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const accent = text('accent');
  const position = text('position');
  const label = text('label');
  return {
    accentColor: accent && /^#[0-9a-fA-F]{6}$/.test(accent) ? accent.toLowerCase() : saved.accentColor,
    position: position === 'bottom-left' || position === 'bottom-right' ? position : saved.position,
    launcherLabel:
      label === undefined ? saved.launcherLabel : label.trim().slice(0, LAUNCHER_LABEL_MAX) || null,
  };
}

export function renderPreviewPage(publishableKey: string, look?: PreviewLook, opened = true): string {
  // The key matched publishableKeyPattern, so it needs no escaping; the label is escaped.
  const attributes = look ? `${lookAttributes(look)} data-preview` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Widget preview</title>
<style>${styles}</style>
</head>
<body>
<main><p>This is how your site's visitors see the assistant.</p></main>
<script src="/widget.js" data-agent-key="${publishableKey}"${attributes} async></script>
${
  opened
    ? `<script>${opener}</script>
`
    : ''
}</body>
</html>
`;
}

export async function agentPreviewRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'database'>,
): Promise<void> {
  app.get('/console/preview', { schema: { hide: true } }, async (request, reply) => {
    const { agentKey } = request.query as { agentKey?: unknown };
    if (typeof agentKey !== 'string' || !publishableKeyPattern.test(agentKey))
      throw new AppError('bad_request', 'agentKey must be an agent publishable key (pk_…)');
    const agent = await findAgentByPublishableKey(deps.database, agentKey);
    if (!agent) throw notFound('Agent');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', previewCsp)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'SAMEORIGIN')
      .header('cross-origin-resource-policy', 'same-origin')
      .header('referrer-policy', 'same-origin')
      .send(
        renderPreviewPage(
          agentKey,
          previewLook(request.query as Record<string, unknown>, agent),
          // closed=1: the console is editing the launcher's look, so show the launcher, not the chat.
          (request.query as { closed?: unknown }).closed !== '1',
        ),
      );
  });
}
