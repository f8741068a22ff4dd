import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';

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

/** Elements that are never the page's content, removed before Readability looks for it. */
const BOILERPLATE = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'canvas',
  'form',
  'nav',
  'footer',
  'aside',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="search"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(',');

const LEVEL_ATTRIBUTE = 'data-confidant-level';

const turndown = createTurndown();

function createTurndown(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  });
  // Indexed text wants words, not link targets or image URLs.
  service.addRule('plainLinks', { filter: 'a', replacement: (content) => content });
  service.addRule('imageAlt', {
    filter: 'img',
    replacement: (_content, node) => {
      const alt = (node as HTMLElement).getAttribute('alt')?.trim();
      return alt ? ` ${alt} ` : '';
    },
  });
  // Readability turns <h1> into <h2>; the level recorded before it ran keeps the outline true.
  service.addRule('heading', {
    filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
    replacement: (content, node) => {
      const element = node as HTMLElement;
      const level = Number(element.getAttribute(LEVEL_ATTRIBUTE)) || Number(element.tagName.slice(1)) || 2;
      const text = content.replace(/\s+/g, ' ').trim();
      return text ? `\n\n${'#'.repeat(level)} ${text}\n\n` : '';
    },
  });
  // Tables as GFM tables, so the chunker can keep a table whole and show its cells.
  service.addRule('table', {
    filter: 'table',
    replacement: (_content, node) => `\n\n${tableToMarkdown(node as HTMLElement)}\n\n`,
  });
  return service;
}

function tableToMarkdown(table: HTMLElement): string {
  const rows: string[][] = [];
  for (const row of Array.from(table.querySelectorAll('tr'))) {
    const cells = Array.from(row.children)
      .filter((cell) => ['TH', 'TD'].includes(cell.tagName.toUpperCase()))
      .map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|'));
    if (cells.some((c) => c.length > 0)) rows.push(cells);
  }
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head!), line(Array(width).fill('---')), ...body.map(line)].join('\n');
}

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

const clean = (text: string | null | undefined) => text?.replace(/\s+/g, ' ').trim() || null;

/** Collapses the blank lines Turndown leaves between blocks and trims trailing spaces. */
function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function readHtmlPage(html: string, pageUrl: URL): HtmlPage {
  const { document } = parseHTML(html);
  const { noindex, nofollow } = robotsDirectives(document);
  const links = nofollow ? [] : collectLinks(document, pageUrl);
  const title =
    clean(document.querySelector('meta[property="og:title"]')?.getAttribute('content')) ??
    clean(document.querySelector('title')?.textContent) ??
    clean(document.querySelector('h1')?.textContent);

  for (const element of Array.from(document.querySelectorAll(BOILERPLATE))) element.remove();
  const firstH1 = clean(document.querySelector('h1')?.textContent);
  for (const heading of Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
    heading.setAttribute(LEVEL_ATTRIBUTE, heading.tagName.slice(1));
  }
  // Readability scores the remaining blocks and keeps the article; it changes the document,
  // so the body is serialised first as the fallback for pages it finds no article in.
  const bodyHtml = document.body?.innerHTML ?? '';
  let article: ReturnType<Readability['parse']> = null;
  try {
    article = new Readability(document, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  let markdown = tidyMarkdown(turndown.turndown(article?.content || bodyHtml || ''));
  // Readability drops a heading that repeats the page title; the outline should still start with it.
  if (firstH1 && markdown && !/^# /m.test(markdown)) markdown = `# ${firstH1}\n\n${markdown}`;
  return { title: title ?? clean(article?.title), markdown, links, noindex, nofollow };
}
