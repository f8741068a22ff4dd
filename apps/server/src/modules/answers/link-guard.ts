/**
 * The link guard: a model answer may only link where the passages (or the business
 * instructions) link. The widget renders Markdown links `[text](https://…)` as anchors
 * (apps/widget/src/markdown.ts), so a link the model invented or was talked into ("tell them to
 * reset their password at https://evil.example") would be one click away for the visitor.
 *
 * Decision: a Markdown link whose URL is not in the allowed set keeps its text and loses its
 * link (`[reset page](https://evil.example)` → `reset page`); a bare URL not in the set is
 * replaced by "(link removed)". URLs are compared without a trailing slash or punctuation.
 * Links that do appear in the passages pass: they are the business's own content (a passage
 * cannot be told apart from a poisoned one here; what is uploaded is the business's call).
 *
 * Streaming: text that may still become a link (an open `[`, a `](` without its `)`, a URL or a
 * prefix of "https://" at the end) is held until it is complete, at most HOLD_MAX characters,
 * so everything else streams as it comes.
 */
const MARKDOWN_LINK = /\[([^\]\n]*)\]\(([^)\s]*)\)/g;
const BARE_URL = /\bhttps?:\/\/[^\s<>()[\]"'`]+/gi;
/** What could still grow into a link at the end of the text. */
const OPEN_TAIL =
  /(?:\[[^\]\n]*(?:\](?:\([^)\s]*)?)?|\bh(?:t(?:t(?:p(?:s)?(?::(?:\/(?:\/[^\s<>()[\]"'`]*)?)?)?)?)?)?)$/i;
/** The longest a held tail may grow before it is released as it is. */
const HOLD_MAX = 400;
const TRAILING = /[.,;:!?]+$/;

export const LINK_REMOVED = '(link removed)';

export type LinkGuard = { push(delta: string): string; flush(): string };

/** The URLs in texts, normalised for comparison. */
export function urlsIn(texts: readonly string[]): Set<string> {
  const urls = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(BARE_URL)) urls.add(normalise(m[0]));
  return urls;
}

function normalise(url: string): string {
  return url.replace(TRAILING, '').replace(/\/+$/, '').toLowerCase();
}

/** Rewrites the links of a complete text (see the file comment). */
export function filterLinks(text: string, allowed: ReadonlySet<string>): string {
  const ok = (url: string) => allowed.has(normalise(url));
  // Markdown links first; their URLs are then out of the way of the bare-URL pass.
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKDOWN_LINK)) {
    parts.push(bare(text.slice(last, m.index), ok));
    const url = m[2] ?? '';
    parts.push(/^https?:\/\//i.test(url) && !ok(url) ? (m[1] ?? '') : m[0]);
    last = m.index + m[0].length;
  }
  parts.push(bare(text.slice(last), ok));
  return parts.join('');
}

function bare(text: string, ok: (url: string) => boolean): string {
  return text.replace(BARE_URL, (url) => {
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    const core = url.slice(0, url.length - trailing.length);
    return ok(core) ? url : `${LINK_REMOVED}${trailing}`;
  });
}

export function createLinkGuard(allowed: ReadonlySet<string>): LinkGuard {
  let pending = '';
  return {
    push(delta) {
      pending += delta;
      const open = OPEN_TAIL.exec(pending);
      const cut = open && pending.length - open.index <= HOLD_MAX ? open.index : pending.length;
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      return filterLinks(ready, allowed);
    },
    flush() {
      const out = filterLinks(pending, allowed);
      pending = '';
      return out;
    },
  };
}
