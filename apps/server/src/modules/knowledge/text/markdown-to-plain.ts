/**
 * Markdown → plain text, for headings in a heading path and for search snippets. Not a renderer:
 * it removes the markup a reader would not see (emphasis, link targets, list markers, table
 * pipes, HTML tags) and keeps every word.
 */

/** Inline markup only: one line of text as a reader would see it. */
export function stripInlineMarkdown(text: string): string {
  return (
    text
      // Images and links keep their visible text: ![alt](src) → alt, [text](href) → text.
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      // Autolinks <https://…> keep the address; other tags go.
      .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/g, '$1')
      .replace(/<\/?[A-Za-z][^>]*>/g, '')
      .replace(/`+([^`]*)`+/g, '$1')
      // Emphasis markers around words; a lone * or _ inside a word (snake_case, 2*3) stays.
      .replace(/(\*{1,3}|_{1,3})(?=\S)([^*_]*?\S)\1(?![\p{L}\p{N}])/gu, '$2')
      .replace(/~~(?=\S)(.*?\S)~~/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
      .replace(/[ \t]+/g, ' ')
      .trim()
  );
}

const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * A whole Markdown fragment as plain text: block markers removed, table rows as "a · b · c",
 * one line per block line. Fence lines and table separator rows disappear.
 */
export function markdownToPlain(markdown: string): string {
  const lines: string[] = [];
  for (const raw of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw) || TABLE_SEPARATOR.test(raw)) continue;
    let line = raw
      .replace(/^\s{0,3}#{1,6}(\s+|$)/, '')
      .replace(/\s+#+\s*$/, '')
      .replace(/^\s*(>\s?)+/, '')
      .replace(/^\s*([-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?/, '');
    if (/^\s*\|/.test(line) || /\|\s*$/.test(line)) {
      line = line
        .replace(/^\s*\|/, '')
        .replace(/\|\s*$/, '')
        .split('|')
        .map((cell) => cell.trim())
        .filter(Boolean)
        .join(' · ');
    }
    lines.push(stripInlineMarkdown(line));
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
