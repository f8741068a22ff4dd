import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { oneLine } from './faq-markdown.js';
import { htmlToMarkdown } from './html-to-markdown.js';

/**
 * An HTML page (an exported help-centre article) as Markdown without its boilerplate. Readability
 * finds the article; when it keeps too little of the page's text (short FAQ pages, accordions),
 * the page is used with its navigation, header, footer and sidebars removed instead. The title is
 * the page's first H1, else Readability's title (from <title>), and opens the Markdown as an H1.
 */

const BOILERPLATE =
  'script, style, noscript, template, iframe, svg, nav, header, footer, aside, form, [role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"], .cookie-banner, #cookie-banner';
const textLength = (html: string) =>
  parseHTML(`<html><body>${html}</body></html>`).document.body.textContent?.replace(/\s+/g, ' ').trim()
    .length ?? 0;

/**
 * linkedom parses what it is given literally (it does not invent <html>/<body> the way browsers
 * do), so a fragment or a page without <body> is rebuilt into a complete document first.
 */
function completeDocument(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  const head = /<head[\s>][\s\S]*?<\/head>/i.exec(html)?.[0] ?? '';
  const body = html
    .replace(/<head[\s>][\s\S]*?<\/head>/i, '')
    .replace(/<!doctype[^>]*>|<\/?html[^>]*>|<\?xml[^>]*>/gi, '');
  return `<!DOCTYPE html><html>${head}<body>${body}</body></html>`;
}

export function extractHtml(source: string): { title: string | null; markdown: string } {
  const html = completeDocument(source);
  const { document } = parseHTML(html);
  const h1 = oneLine(document.querySelector('h1')?.textContent ?? '');
  const pageTitle = oneLine(document.querySelector('title')?.textContent ?? '');

  const cleaned = parseHTML(html).document;
  for (const node of [...cleaned.querySelectorAll(BOILERPLATE)]) node.remove();
  const main =
    cleaned.querySelector('main, [role="main"], article') ?? cleaned.body ?? cleaned.documentElement;
  const fallbackHtml = main?.innerHTML ?? '';

  let articleHtml: string | null = null;
  let articleTitle = '';
  try {
    const article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
    if (article?.content) {
      articleHtml = article.content;
      articleTitle = oneLine(article.title ?? '');
    }
  } catch {
    // Readability gives up on odd markup; the cleaned page is the answer then.
  }
  const useArticle = articleHtml !== null && textLength(articleHtml) >= 0.5 * textLength(fallbackHtml);
  let markdown = htmlToMarkdown(useArticle ? articleHtml! : fallbackHtml);

  const title = h1 || articleTitle || pageTitle || null;
  // Readability demotes the H1 (it shows the title separately); put the title back on top.
  if (title && !/^#\s/.test(markdown)) {
    const withoutRepeat = markdown.startsWith(`## ${title}\n`) ? markdown.slice(title.length + 4) : markdown;
    markdown = `# ${title}\n\n${withoutRepeat.trim()}`;
  }
  return { title, markdown: markdown.trim() };
}
