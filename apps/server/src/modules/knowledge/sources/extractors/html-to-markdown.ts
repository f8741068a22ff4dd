import TurndownService from 'turndown';

/**
 * HTML → Markdown for indexing (used for Word documents via mammoth and for HTML pages). Keeps
 * what structures knowledge — headings, lists, tables, emphasis, code — and drops what does not
 * read as text: scripts, styles, images, forms, embedded frames. Tables become pipe tables so
 * the chunker can keep them whole; links keep their text, and their target only when absolute.
 */

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const cell = (node: Element) => collapse(node.textContent ?? '').replace(/\|/g, '\\|');
const elementsOf = (nodes: { length: number; [i: number]: Node }) =>
  Array.from({ length: nodes.length }, (_, i) => nodes[i]!).filter((n): n is Element => n.nodeType === 1);

/** The nearest enclosing <table> (turndown's DOM, domino, has no Element.closest). */
function tableOf(node: Node): Node | null {
  let current = node.parentNode;
  while (current && current.nodeName.toLowerCase() !== 'table') current = current.parentNode;
  return current;
}

function tableToMarkdown(table: Element): string {
  const rows = elementsOf(table.getElementsByTagName('tr'))
    // Rows of a nested table belong to that table's own cell text.
    .filter((row) => tableOf(row) === table)
    .map((row) =>
      elementsOf(row.childNodes)
        .filter((c) => /^(td|th)$/i.test(c.nodeName))
        .map(cell),
    )
    .filter((cells) => cells.some((c) => c !== ''));
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head, ...body] = rows;
  return `\n\n${[line(head!), line(Array(width).fill('---')), ...body.map(line)].join('\n')}\n\n`;
}

function createTurndown(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  });
  service.remove(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'canvas']);
  service.remove((node) => node.nodeName.toLowerCase() === 'svg');
  service.remove([
    'img',
    'picture',
    'video',
    'audio',
    'source',
    'form',
    'input',
    'select',
    'button',
    'textarea',
  ]);
  service.addRule('table', {
    filter: 'table',
    replacement: (_content, node) => tableToMarkdown(node as unknown as Element),
  });
  service.addRule('link', {
    filter: 'a',
    replacement: (content, node) => {
      const href = (node as unknown as Element).getAttribute('href') ?? '';
      const text = content.trim();
      if (!text) return '';
      return /^https?:\/\//i.test(href) ? `[${text}](${href.replace(/[()\s]/g, encodeURIComponent)})` : text;
    },
  });
  return service;
}

let turndown: TurndownService | undefined;

/** Converts an HTML fragment or document to Markdown; blank-line runs are collapsed. */
export function htmlToMarkdown(html: string): string {
  turndown ??= createTurndown();
  return turndown
    .turndown(html)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
