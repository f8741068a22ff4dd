import type { Citation } from '@confidant/contract';
import { type CitationNumbering, hostOf, safeUrl } from '@confidant/contract/citation-markers';
import { h } from './dom.js';
import type { CiteRenderer } from './markdown.js';

/**
 * An answer's citations in the panel: `[n]` markers become small superscript numbers, and the
 * "Sources" list under the answer carries the same numbers (numbering: citation-markers.ts).
 * A source with an http(s) address is a link (new tab, no opener, no referrer) named
 * "Source 1: <title>"; one without (an uploaded file) is a plain chip with the title as its
 * tooltip and the same name for screen readers. Titles and addresses only ever go in as text.
 */
export function citeRenderer(numbering: CitationNumbering): CiteRenderer {
  return {
    numberOf: numbering.numberOf,
    render: (numbers) =>
      h('sup', { class: 'cites' }, ...numbers.map((n) => mark(n, numbering.sources[n - 1] as Citation))),
  };
}

function mark(n: number, source: Citation): HTMLElement {
  const label = `Source ${n}: ${source.title}`;
  const url = safeUrl(source.url);
  return url
    ? h('a', { ...newTab(url), class: 'cite', 'aria-label': label, title: source.title }, String(n))
    : h(
        'span',
        { class: 'cite', title: source.title },
        h('span', { 'aria-hidden': 'true' }, String(n)),
        h('span', { class: 'sr-only' }, label),
      );
}

/** "Sources" under an answer: numbered like the markers, title and host, one entry per source. */
export function sourcesList(sources: Citation[]): HTMLElement {
  const items = sources.map((c) => {
    const url = safeUrl(c.url);
    return h(
      'li',
      {},
      url ? h('a', newTab(url), c.title) : c.title,
      url && h('span', { class: 'host' }, ` · ${hostOf(url)}`),
    );
  });
  return h('div', { class: 'sources' }, h('p', { class: 'sources-title' }, 'Sources'), h('ol', {}, ...items));
}

const newTab = (href: string) => ({ href, target: '_blank', rel: 'noopener noreferrer' });
