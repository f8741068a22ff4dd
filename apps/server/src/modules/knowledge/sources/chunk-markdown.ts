import { stripInlineMarkdown } from '../text/markdown-to-plain.js';
import { groupPieces, splitProse, splitSentences, splitWords } from '../text/split-sentences.js';

/**
 * Heading-aware chunking. Pure functions: text in, chunks out.
 *
 * A Markdown document is cut into sections at its headings; each chunk carries the path of
 * headings above it ("Returns > Refund timing") so retrieval and citations keep their context.
 * Sections are packed into chunks of up to CHUNK_TARGET_MAX characters on block boundaries
 * (paragraphs, lists, tables, code). Lists, tables and code stay whole up to CHUNK_HARD_MAX; a
 * paragraph longer than the target is cut on sentence boundaries. When a section is cut, the next
 * chunk repeats the last sentence of the previous one, so a passage is never read without the
 * sentence that introduced it.
 *
 * Invariants: every chunk is non-empty, no chunk exceeds CHUNK_HARD_MAX characters, and all text
 * of the document (outside headings, thematic breaks and front matter) is in some chunk, in order.
 */

export type Chunk = { headingPath: string; content: string };

export const CHUNK_TARGET_MAX = 900;
export const CHUNK_HARD_MAX = 1500;
/** A trailing piece this short is folded into the chunk before it (when that stays under the hard max). */
const MIN_TAIL = 200;
/** The overlap sentence is skipped when longer than this: overlap is context, not duplication. */
const OVERLAP_MAX = 240;
const HEADING_MAX = 200;
export const HEADING_SEPARATOR = ' > ';

type BlockKind = 'prose' | 'list' | 'table' | 'code';
/** `continued`: a later piece of a paragraph that was cut, so it joins its predecessor with a space. */
type Block = { kind: BlockKind; text: string; continued?: boolean };

export type Section = {
  /** The heading that opens the section, if any (the preamble before the first heading has none). */
  heading: { level: number; text: string } | null;
  path: string[];
  lines: string[];
};

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT_H1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_H2 = /^ {0,3}-+[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

const normalizeNewlines = (text: string) => text.replace(/\r\n?/g, '\n');
const isBlank = (line: string) => line.trim() === '';
const cleanHeading = (text: string) =>
  stripInlineMarkdown(text.replace(/[ \t]+#+[ \t]*$/, '').replace(/^#+$/, '')).slice(0, HEADING_MAX);

/** Drops a leading YAML front matter block (--- key: value … ---), which is metadata, not prose. */
function stripFrontMatter(lines: string[]): string[] {
  if (lines[0]?.trim() !== '---' || !/^[A-Za-z_][\w-]*[ \t]*:/.test(lines[1] ?? '')) return lines;
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
  return end > 0 && end <= 100 ? lines.slice(end + 1) : lines;
}

/**
 * Splits a Markdown document into sections at ATX (`## x`) and setext (`x` / `===`) headings,
 * ignoring `#` lines inside fenced code. Each section knows the path of headings above it.
 */
export function parseSections(markdown: string): Section[] {
  const lines = stripFrontMatter(normalizeNewlines(markdown).split('\n'));
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section = { heading: null, path: [], lines: [] };
  let fence: string | null = null;

  const open = (level: number, rawText: string) => {
    const text = cleanHeading(rawText);
    sections.push(current);
    while (stack.length > 0 && stack.at(-1)!.level >= level) stack.pop();
    if (text) stack.push({ level, text });
    current = { heading: text ? { level, text } : null, path: stack.map((h) => h.text), lines: [] };
  };

  for (const line of lines) {
    if (fence !== null) {
      current.lines.push(line);
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(line))
        fence = null;
      continue;
    }
    const fenceMatch = FENCE_OPEN.exec(line);
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      current.lines.push(line);
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      open(atx[1]!.length, atx[2] ?? '');
      continue;
    }
    // Setext: a one-line paragraph underlined with === (H1) or --- (H2).
    const prev = current.lines.at(-1);
    const beforePrev = current.lines.at(-2);
    if (
      (SETEXT_H1.test(line) || SETEXT_H2.test(line)) &&
      prev !== undefined &&
      !isBlank(prev) &&
      (beforePrev === undefined || isBlank(beforePrev)) &&
      !LIST_ITEM.test(prev) &&
      !/^\s*(>|\|)/.test(prev)
    ) {
      current.lines.pop();
      open(SETEXT_H1.test(line) ? 1 : 2, prev.trim());
      continue;
    }
    current.lines.push(line);
  }
  sections.push(current);
  return sections.filter((s) => s.heading !== null || s.lines.some((l) => !isBlank(l)));
}

/** The text of the document's first level-1 heading, for a default title. */
export function findFirstHeading(markdown: string): string | null {
  return parseSections(markdown).find((s) => s.heading?.level === 1)?.heading?.text ?? null;
}

function classify(lines: string[]): BlockKind {
  if (lines.some((line, i) => i > 0 && TABLE_SEPARATOR.test(line) && lines[i - 1]!.includes('|')))
    return 'table';
  if (lines.some((line) => LIST_ITEM.test(line))) return 'list';
  return 'prose';
}

/** Blank-line separated blocks; a fenced code block is one block even with blank lines inside. */
function splitBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  const flush = (kind?: BlockKind) => {
    const text = current.join('\n').replace(/^\n+|\s+$/g, '');
    if (text.trim()) blocks.push({ kind: kind ?? classify(current), text });
    current = [];
  };
  for (const line of lines) {
    if (fence !== null) {
      current.push(line);
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(line)) {
        fence = null;
        flush('code');
      }
      continue;
    }
    const fenceMatch = FENCE_OPEN.exec(line);
    if (fenceMatch) {
      flush();
      fence = fenceMatch[1]!;
      current.push(line);
      continue;
    }
    if (isBlank(line) || THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }
    current.push(line);
  }
  flush(fence !== null ? 'code' : undefined);

  // A loose list (items separated by blank lines, or items with indented paragraphs) is one list.
  const merged: Block[] = [];
  for (const block of blocks) {
    const prev = merged.at(-1);
    if (
      prev?.kind === 'list' &&
      block.kind !== 'code' &&
      (LIST_ITEM.test(block.text) || /^[ \t]{2,}\S/.test(block.text))
    ) {
      prev.text = `${prev.text}\n\n${block.text}`;
    } else merged.push(block);
  }
  return merged;
}

function splitListItems(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split('\n')) {
    if (LIST_ITEM.test(line) || items.length === 0) items.push(line);
    else items[items.length - 1] = `${items.at(-1)}\n${line}`;
  }
  return items.map((item) => item.replace(/\n+$/, '')).filter((item) => item.trim());
}

/** Cuts a block that cannot be a chunk on its own into pieces that can, on its natural joints. */
function splitOversizeBlock(block: Block): Block[] {
  const prose = (text: string): Block[] =>
    splitProse(text, CHUNK_TARGET_MAX).map((piece, i) => ({ kind: 'prose', text: piece, continued: i > 0 }));

  if (block.kind === 'prose') return block.text.length <= CHUNK_TARGET_MAX ? [block] : prose(block.text);
  if (block.text.length <= CHUNK_HARD_MAX) return [block];

  if (block.kind === 'list') {
    const items = splitListItems(block.text).flatMap((item) =>
      item.length <= CHUNK_TARGET_MAX ? [item] : splitProse(item, CHUNK_TARGET_MAX),
    );
    return groupPieces(items, '\n', CHUNK_TARGET_MAX).map((text) => ({ kind: 'list', text }));
  }
  if (block.kind === 'table') {
    const lines = block.text.split('\n');
    const separatorAt = lines.findIndex((line, i) => i > 0 && TABLE_SEPARATOR.test(line));
    const header = separatorAt > 0 ? lines.slice(0, separatorAt + 1).join('\n') : '';
    const room =
      header.length < CHUNK_TARGET_MAX / 2 ? CHUNK_TARGET_MAX - header.length - 1 : CHUNK_TARGET_MAX;
    const withHeader = room < CHUNK_TARGET_MAX;
    const rows = lines
      .slice(separatorAt > 0 ? separatorAt + 1 : 0)
      .flatMap((row) => (row.length <= room ? [row] : splitWords(row, room)));
    return groupPieces(rows, '\n', room).map((text) => ({
      kind: 'table',
      text: withHeader ? `${header}\n${text}` : text,
    }));
  }
  // Code: cut between lines, and re-fence each piece so it still reads as code.
  const lines = block.text.split('\n');
  const fenceLine = FENCE_OPEN.test(lines[0] ?? '') ? lines[0]!.trim() : '```';
  const fenceChars = FENCE_OPEN.exec(fenceLine)?.[1] ?? '```';
  const body = lines.slice(FENCE_OPEN.test(lines[0] ?? '') ? 1 : 0);
  if (body.length > 0 && /^ {0,3}[`~]{3,}[ \t]*$/.test(body.at(-1)!)) body.pop();
  const room = CHUNK_TARGET_MAX - fenceLine.length - fenceChars.length - 2;
  const pieces = body.flatMap((line) => (line.length <= room ? [line] : splitWords(line, room)));
  return groupPieces(pieces, '\n', room).map((text) => ({
    kind: 'code',
    text: `${fenceLine}\n${text}\n${fenceChars}`,
  }));
}

const joinBlocks = (blocks: Block[]) =>
  blocks.reduce(
    (text, block, i) => (i === 0 ? block.text : `${text}${block.continued ? ' ' : '\n\n'}${block.text}`),
    '',
  );

/** Packs a section's blocks into chunk texts (see the file comment for the rules). */
function packBlocks(blocks: Block[]): string[] {
  const units = blocks.flatMap(splitOversizeBlock);
  const groups: Block[][] = [];
  let current: Block[] = [];
  let length = 0;
  for (const unit of units) {
    const added = current.length > 0 ? 2 + unit.text.length : unit.text.length;
    if (current.length > 0 && length + added > CHUNK_TARGET_MAX) {
      groups.push(current);
      current = [unit];
      length = unit.text.length;
    } else {
      current.push(unit);
      length += added;
    }
  }
  if (current.length > 0) groups.push(current);

  if (groups.length > 1) {
    const last = groups.at(-1)!;
    const prev = groups.at(-2)!;
    const lastText = joinBlocks(last);
    if (lastText.length < MIN_TAIL && joinBlocks(prev).length + 2 + lastText.length <= CHUNK_HARD_MAX) {
      prev.push(...last);
      groups.pop();
    }
  }

  return groups.map((group, i) => {
    const text = joinBlocks(group);
    const prevLast = i > 0 ? groups[i - 1]!.at(-1) : undefined;
    if (prevLast?.kind !== 'prose') return text;
    const overlap = splitSentences(prevLast.text).at(-1);
    if (!overlap || overlap.length > OVERLAP_MAX || text.startsWith(overlap)) return text;
    const joined = `${overlap}${group[0]!.continued ? ' ' : '\n\n'}${text}`;
    return joined.length <= CHUNK_HARD_MAX ? joined : text;
  });
}

/** Chunks a Markdown document by its headings. */
export function chunkMarkdown(markdown: string): Chunk[] {
  return parseSections(markdown).flatMap((section) =>
    packBlocks(splitBlocks(section.lines)).map((content) => ({
      headingPath: section.path.join(HEADING_SEPARATOR),
      content,
    })),
  );
}

/** Chunks plain text by paragraphs (blank-line separated); there are no headings to follow. */
export function chunkPlainText(text: string): Chunk[] {
  const blocks: Block[] = normalizeNewlines(text)
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\s+$/g, ''))
    .filter((paragraph) => paragraph.trim())
    .map((paragraph) => ({ kind: 'prose', text: paragraph }));
  return packBlocks(blocks).map((content) => ({ headingPath: '', content }));
}
