/**
 * FAQ entries and records as Markdown: one `## Heading` section per entry, so the chunker keeps
 * each entry together and carries its question (or title) as the heading path.
 */

export type FaqEntry = { heading: string; body: string };

/** A heading is one line: whitespace (including newlines) collapses. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Body text is plain text, not Markdown: lines that Markdown would read as headings or
 * thematic breaks are escaped so an answer cannot open a section of its own.
 */
export function escapeBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      /^ {0,3}(#|=+\s*$|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)/.test(line) ? `\\${line.trimStart()}` : line,
    )
    .join('\n')
    .trim();
}

export function faqToMarkdown(entries: FaqEntry[]): string {
  return entries.map((e) => `## ${e.heading}\n\n${e.body}`).join('\n\n');
}
