/**
 * Tiny DOM helpers shared by the launcher and the panel. Text always goes in as text nodes and
 * the `style` attribute is never written, so the widget works under a strict page CSP
 * (no 'unsafe-inline') and never interprets server text as HTML.
 */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A decorative 24×24 stroke icon; the button around it carries the accessible name. */
export function icon(...paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/**
 * Adds styles to a shadow root and returns a function that replaces them (the per-agent theme is
 * swapped when the config arrives). Constructed stylesheets are not subject to the page's
 * `style-src`, so a strict CSP needs no exception for the widget; a <style> element is the
 * fallback for browsers without them.
 */
export function adoptStyles(root: ShadowRoot, css: string): (css: string) => void {
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return (next) => sheet.replaceSync(next);
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  return (next) => {
    style.textContent = next;
  };
}

export const CHAT_ICON =
  'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z';
export const CLOSE_ICON = 'M6 6l12 12M18 6 6 18';
