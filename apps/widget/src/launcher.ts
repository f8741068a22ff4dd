import { adoptStyles, CHAT_ICON, CLOSE_ICON, h, icon } from './dom.js';
import { launcherCss } from './launcher-styles.js';
import { themeCss } from './theme.js';
import type { Identity, LauncherAppearance, PanelHandle, PanelModule } from './types.js';

/**
 * widget.js — the one script a site embeds:
 *   <script src="https://confidant.example/widget.js" data-agent-key="pk_…" async></script>
 *
 * Optional look, so the launcher needs no request to draw itself (the console's snippet writes them
 * from the agent's saved appearance; the open panel applies the saved look from its config anyway):
 *   data-accent="#0f766e" data-position="bottom-left" data-label="Chat with us"
 * (plus data-preview in the console's preview, where these unsaved values win over the config).
 *
 * It only draws a launcher button. The chat panel is a second bundle loaded on first open, so a
 * page that never opens the chat pays for a few kilobytes and makes no API request at all.
 * Privacy invariant (DESIGN.md §4.8): nothing here writes cookies or web storage, ever; the panel
 * writes web storage only after the visitor's first message and only as the agent's
 * `persistence` setting allows (session-store.ts), and never a cookie.
 */

/** Content hash of widget-panel.js, injected at build time so the panel URL can be cached forever. */
declare const __PANEL_VERSION__: string;

const HOST_ID = 'confidant-widget';

// document.currentScript is only set while this script first runs, so read it now.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-agent-key][src*="widget.js"]');

function boot(currentScript: HTMLScriptElement): void {
  const agentKey = currentScript.dataset.agentKey;
  if (!agentKey) {
    console.error('Confidant widget: the script tag needs a data-agent-key="pk_…" attribute');
    return;
  }
  // Embedding twice (e.g. a tag manager plus a hard-coded tag) must not draw two launchers.
  if (document.getElementById(HOST_ID)) return;

  const scriptUrl = new URL(currentScript.src, document.baseURI);
  const apiBase = new URL('.', scriptUrl).href;
  const panelUrl = new URL(`widget-panel.js?v=${__PANEL_VERSION__}`, scriptUrl).href;

  const host = h('div', { id: HOST_ID });
  // Open mode: assistive tech and test tooling can reach inside; isolation comes from the
  // shadow boundary and `all: initial`, not from hiding the tree.
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, launcherCss);
  const setTheme = adoptStyles(shadow, '');

  const label = h('span', { class: 'sr-only' }, 'Open chat');
  // Visible text beside the icon; while it shows, it is the button's name (label in name).
  const text = h('span', { class: 'launcher-text' });
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-haspopup': 'dialog' },
    label,
  );
  const closedIcon = icon(CHAT_ICON);
  closedIcon.classList.add('when-closed');
  const openIcon = icon(CLOSE_ICON);
  openIcon.classList.add('when-open');
  launcher.append(closedIcon, openIcon, text);
  shadow.append(launcher);

  let open = false;
  const name = () => {
    label.textContent = open ? 'Close chat' : text.textContent ? '' : 'Open chat';
  };
  const setAppearance = (look: LauncherAppearance) => {
    setTheme(themeCss(look));
    host.setAttribute('data-position', look.position === 'bottom-left' ? 'left' : 'right');
    text.textContent = (look.launcherLabel ?? '').slice(0, 40);
    launcher.classList.toggle('labelled', text.textContent !== '');
    name();
  };
  const data = currentScript.dataset;
  const fromScript = { accentColor: data.accent, position: data.position, launcherLabel: data.label };
  setAppearance(fromScript);
  document.body.append(host);

  let panel: PanelHandle | undefined;
  let loading = false;
  let identity: Identity | undefined;

  // The host page's API: window.Confidant.identify(user, { hmac }). Kept in memory only; the
  // panel sends it once the visitor has started a conversation (never before).
  const w = window as unknown as { Confidant?: Record<string, unknown> };
  w.Confidant = {
    ...w.Confidant,
    identify(user: Omit<Identity, 'hmac'>, options: { hmac: string }) {
      identity = { userId: user.userId, email: user.email, name: user.name, hmac: options?.hmac } as Identity;
      panel?.identify(identity);
    },
  };

  const onOpenChange = (isOpen: boolean) => {
    open = isOpen;
    launcher.setAttribute('aria-expanded', String(isOpen));
    name();
  };

  launcher.addEventListener('click', async () => {
    if (panel) {
      if (panel.isOpen()) panel.close();
      else panel.open();
      return;
    }
    if (loading) return;
    loading = true;
    launcher.setAttribute('aria-busy', 'true');
    try {
      const mod = (await import(panelUrl)) as PanelModule;
      panel = mod.mountPanel({
        shadow,
        apiBase,
        agentKey,
        launcher,
        onOpenChange,
        identity,
        // The console's preview shows unsaved changes: there the script's look wins over the saved one.
        setAppearance: (look) => setAppearance('preview' in data ? fromScript : look),
      });
      panel.open();
    } catch (error) {
      // Leave the launcher usable: the next click tries again.
      console.error('Confidant widget: the chat panel could not be loaded', error);
    } finally {
      loading = false;
      launcher.removeAttribute('aria-busy');
    }
  });
}

if (!script) {
  console.error('Confidant widget: could not find its own <script> tag');
} else if (document.body) {
  boot(script);
} else {
  document.addEventListener('DOMContentLoaded', () => boot(script), { once: true });
}
