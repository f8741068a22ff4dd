/**
 * Text tools for quoting: splitting a Markdown passage into readable sentences (list items kept
 * whole and numbered) and joining the chosen ones back. Which words of a question count, and in
 * which passages and sentences they occur, is search's business (knowledge/search: its query
 * terms, IDF and per-term matches); nothing here stems or weighs words.
 */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased words of a text (letters and digits; apostrophes dropped: "don't" → "dont"). */
export function words(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]/g, ''));
}

export type Sentence = {
  text: string;
  /** The sentence was a markdown list item: render it on its own line. */
  listItem: boolean;
  /** The list item's marker as written ("-", "2."), kept so numbered steps stay numbered. */
  marker?: string;
  /** Position in the passage, so chosen sentences can be put back in reading order. */
  index: number;
};

/** Strips inline markdown (emphasis, code ticks, links, images) to readable plain text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const HEADING = /^\s{0,3}#{1,6}\s+/;
/** A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a capital or digit. */
const SENTENCE_END = /(?<=[.!?]["”’)\]]?)\s+(?=["“(\p{Lu}\d])/u;

/**
 * Splits a passage into sentences. Headings are dropped (the passage title carries them), list
 * items are kept as units of their own, paragraphs are split at sentence ends.
 */
export function splitSentences(markdown: string): Sentence[] {
  const out: Sentence[] = [];
  const push = (text: string, listItem: boolean, marker?: string) => {
    const clean = plainText(text);
    if (/[\p{L}\p{N}]/u.test(clean)) {
      out.push({ text: clean, listItem, index: out.length, ...(marker ? { marker } : {}) });
    }
  };
  let paragraph: string[] = [];
  // The list item being read: its lines until another item, a heading, an unindented line after
  // a blank one, or the end. An item hard-wrapped onto further (indented or lazy) lines is one
  // item: its sentence is never cut at the wrap.
  let item: { lines: string[]; marker: string; afterBlank: boolean } | null = null;
  const flushItem = () => {
    if (item) push(item.lines.join(' '), true, item.marker);
    item = null;
  };
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    for (const s of paragraph.join(' ').split(SENTENCE_END)) push(s, false);
    paragraph = [];
  };
  const flush = () => {
    flushItem();
    flushParagraph();
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.trim() === '') {
      flushParagraph();
      if (item) item.afterBlank = true;
      continue;
    }
    if (HEADING.test(line) || /^\s*(?:---+|\|)/.test(line)) {
      flush();
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      const marker = LIST_ITEM.exec(line)![0].trim();
      item = {
        lines: [line.replace(LIST_ITEM, '').trim()],
        marker: /^\d/.test(marker) ? marker : '-',
        afterBlank: false,
      };
      continue;
    }
    if (item && (!item.afterBlank || /^\s{2,}/.test(line))) {
      item.lines.push(line.trim());
      item.afterBlank = false;
      continue;
    }
    flushItem();
    paragraph.push(line.trim());
  }
  flush();
  return out;
}

/** Joins sentences for display: prose flows on one line, list items each start a new line. */
export function joinSentences(sentences: readonly Sentence[]): string {
  let text = '';
  let afterListItem = false;
  for (const s of sentences) {
    const line = s.listItem ? `${s.marker ?? '-'} ${s.text}` : s.text;
    if (text === '') text = line;
    else text += s.listItem || afterListItem || text.endsWith(':') ? `\n${line}` : ` ${line}`;
    afterListItem = s.listItem;
  }
  return text;
}
