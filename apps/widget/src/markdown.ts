/**
 * A deliberately small Markdown subset for answers: paragraphs, headings (shown as bold lines),
 * bullet and numbered lists, **bold**, `code` and [links](https://…). Answers quote knowledge
 * articles, which are Markdown. Parsing yields plain data and rendering builds DOM nodes with
 * text only — server text is never parsed as HTML, and only http(s) links become anchors.
 * Given a citation numbering, `[n]` markers outside code spans become `cite` inlines (see
 * @confidant/contract/citation-markers); without one (a greeting) they stay text.
 */
import { MARKER_RUN, splitMarkers } from '@confidant/contract/citation-markers';

/** Resolves a marker number to its display number; `render` draws a run of them. */
export type CiteRenderer = {
  numberOf(marker: number): number | undefined;
  render(numbers: number[]): Node;
};

export type Inline =
  | { kind: 'text' | 'strong' | 'code'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'cite'; numbers: number[] };

export type Block =
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'heading'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

export function parseMarkdown(source: string, numberOf?: CiteRenderer['numberOf']): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[][] | undefined;
  let list: Extract<Block, { kind: 'list' }> | undefined;
  const closeAll = () => {
    paragraph = undefined;
    list = undefined;
  };
  for (const line of source.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') {
      closeAll();
      continue;
    }
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (heading) {
      closeAll();
      blocks.push({ kind: 'heading', inlines: parseInline(heading[1] ?? '', numberOf) });
    } else if (bullet || numbered) {
      const ordered = !!numbered;
      paragraph = undefined;
      if (!list || list.ordered !== ordered) {
        list = { kind: 'list', ordered, items: [] };
        blocks.push(list);
      }
      list.items.push(parseInline((bullet ?? numbered)?.[1] ?? '', numberOf));
    } else if (list && /^\s{2,}\S/.test(line)) {
      // An indented continuation line belongs to the previous list item.
      const last = list.items.at(-1);
      last?.push({ kind: 'text', text: ' ' }, ...parseInline(line.trim(), numberOf));
    } else {
      list = undefined;
      if (!paragraph) {
        paragraph = [];
        blocks.push({ kind: 'paragraph', lines: paragraph });
      }
      paragraph.push(parseInline(line.trim(), numberOf));
    }
  }
  return blocks;
}

const INLINE = /\*\*([^*]+)\*\*|__([^_]+)__|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string, numberOf?: CiteRenderer['numberOf']): Inline[] {
  const out: Inline[] = [];
  const plain = (part: string) => {
    if (!numberOf) return out.push({ kind: 'text', text: part });
    for (const piece of splitMarkers(part, numberOf))
      out.push(typeof piece === 'string' ? { kind: 'text', text: piece } : { kind: 'cite', numbers: piece });
  };
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) plain(text.slice(last, m.index));
    // A marker inside bold text is dropped (its source is still listed under the answer).
    const strong = m[1] ?? m[2];
    if (strong !== undefined)
      out.push({ kind: 'strong', text: numberOf ? strong.replace(MARKER_RUN, '') : strong });
    else if (m[3] !== undefined) out.push({ kind: 'code', text: m[3] });
    else {
      const href = m[5] ?? '';
      out.push(
        /^https?:\/\//i.test(href)
          ? { kind: 'link', text: m[4] ?? href, href }
          : { kind: 'text', text: m[4] ?? '' },
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) plain(text.slice(last));
  return out;
}

export function renderMarkdown(source: string, cite?: CiteRenderer): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const appendInlines = (parent: HTMLElement, inlines: Inline[]) => appendAll(parent, inlines, cite);
  for (const block of parseMarkdown(source, cite?.numberOf)) {
    if (block.kind === 'heading') {
      const p = document.createElement('p');
      const strong = document.createElement('strong');
      appendInlines(strong, block.inlines);
      p.append(strong);
      fragment.append(p);
    } else if (block.kind === 'paragraph') {
      const p = document.createElement('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.append(document.createElement('br'));
        appendInlines(p, line);
      });
      fragment.append(p);
    } else {
      const list = document.createElement(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) {
        const li = document.createElement('li');
        appendInlines(li, item);
        list.append(li);
      }
      fragment.append(list);
    }
  }
  return fragment;
}

function appendAll(parent: HTMLElement, inlines: Inline[], cite: CiteRenderer | undefined): void {
  for (const inline of inlines) {
    if (inline.kind === 'text') parent.append(inline.text);
    else if (inline.kind === 'cite') {
      if (cite) parent.append(cite.render(inline.numbers));
    } else if (inline.kind === 'link') {
      const a = document.createElement('a');
      a.href = inline.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = inline.text;
      parent.append(a);
    } else {
      const el = document.createElement(inline.kind === 'strong' ? 'strong' : 'code');
      el.textContent = inline.text;
      parent.append(el);
    }
  }
}
