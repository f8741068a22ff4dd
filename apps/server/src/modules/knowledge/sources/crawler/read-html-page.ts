import { parseHTML } from 'linkedom';
import { extractHtml } from '../extractors/html.js';

/**
 * One fetched HTML page → what the crawler needs: its links (from the whole page, navigation
 * included, since that is how a site is discovered), whether robots meta tags forbid indexing
 * or following, its title, and its main text as Markdown with headings kept and the boilerplate
 * (navigation, header/footer chrome, sidebars, scripts) removed.
 */
export type HtmlPage = {
  title: string | null;
  markdown: string;
  /** Absolute URLs of <a href> links, resolved against <base href> or the page URL, in page order. */
  links: string[];
  /** <meta name="robots|confidantbot" content="noindex">: the page must not be indexed. */
  noindex: boolean;
  /** …content="nofollow": its links must not be followed. */
  nofollow: boolean;
};

function robotsDirectives(document: Document): { noindex: boolean; nofollow: boolean } {
  let noindex = false;
  let nofollow = false;
  for (const meta of Array.from(document.querySelectorAll('meta[name][content]'))) {
    const name = meta.getAttribute('name')?.trim().toLowerCase();
    if (name !== 'robots' && name !== 'confidantbot') continue;
    const values = (meta.getAttribute('content') ?? '').toLowerCase().split(/[\s,]+/);
    if (values.includes('noindex') || values.includes('none')) noindex = true;
    if (values.includes('nofollow') || values.includes('none')) nofollow = true;
  }
  return { noindex, nofollow };
}

function collectLinks(document: Document, pageUrl: URL): string[] {
  let base = pageUrl;
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl);
    } catch {
      // An unusable <base> is ignored, as browsers do.
    }
  }
  const links: string[] = [];
  for (const a of Array.from(document.querySelectorAll('a[href], area[href]'))) {
    const rel = (a.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('nofollow')) continue;
    try {
      links.push(new URL(a.getAttribute('href')!.trim(), base).href);
    } catch {
      // Not a URL: skip it.
    }
  }
  return links;
}

/**
 * The page's title and main text come from the HTML extractor that uploaded HTML files use too
 * (Readability, with the cleaned page as the fallback, converted to Markdown with headings and
 * tables); this module adds what only a crawler needs: links and robots directives.
 */
export function readHtmlPage(html: string, pageUrl: URL): HtmlPage {
  const { document } = parseHTML(html);
  const { noindex, nofollow } = robotsDirectives(document);
  const links = nofollow ? [] : collectLinks(document, pageUrl);
  const { title, markdown } = extractHtml(html);
  return { title, markdown, links, noindex, nofollow };
}
