/**
 * Launcher styles. `:host { all: initial }` cuts inheritance from the page, so the host site's
 * CSS cannot restyle the widget and ours cannot leak out (Shadow DOM scopes the selectors).
 * The accent colour can be themed by the page through `--confidant-accent` (custom properties
 * are the one thing that deliberately crosses the shadow boundary).
 */
export const launcherCss = `
:host {
  all: initial;
  --accent: var(--confidant-accent, #0f766e);
  --accent-contrast: var(--confidant-accent-contrast, #ffffff);
  --accent-ink: var(--confidant-accent-ink, var(--accent));
  --focus: var(--confidant-focus, #1d4ed8);
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 15px;
  line-height: 1.45;
  color: #1f2933;
}
.launcher {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483000;
  width: 56px;
  height: 56px;
  border: 0;
  border-radius: 50%;
  padding: 0;
  display: grid;
  place-items: center;
  cursor: pointer;
  background: var(--accent);
  color: var(--accent-contrast);
  box-shadow: 0 6px 20px rgba(15, 23, 42, 0.28);
  transition: transform 120ms ease, box-shadow 120ms ease;
}
:host([data-position='left']) .launcher { right: auto; left: 20px; }
.launcher.labelled { width: auto; min-width: 56px; max-width: calc(100vw - 40px); padding: 0 20px 0 16px; border-radius: 28px; display: flex; gap: 8px; font: inherit; font-weight: 600; }
.launcher-text { display: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.labelled[aria-expanded='false'] .launcher-text { display: inline; }
.launcher.labelled[aria-expanded='true'] { width: 56px; padding: 0; justify-content: center; }
.launcher:hover { transform: translateY(-1px); box-shadow: 0 10px 26px rgba(15, 23, 42, 0.32); }
.launcher:focus-visible { outline: 3px solid var(--focus); outline-offset: 3px; }
.launcher svg { width: 26px; height: 26px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.launcher[aria-busy='true'] { cursor: progress; opacity: 0.8; }
.launcher .when-open { display: none; }
.launcher[aria-expanded='true'] .when-open { display: block; }
.launcher[aria-expanded='true'] .when-closed { display: none; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
@media (prefers-reduced-motion: reduce) { .launcher { transition: none; } }
`;
