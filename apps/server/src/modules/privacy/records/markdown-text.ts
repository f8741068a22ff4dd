/**
 * Text from the configuration (org, agent and provider names) as inert Markdown: one line, with
 * every character Markdown or HTML would interpret escaped, so a name cannot add a link, an
 * image, markup or a table cell to a document the business downloads or pastes. The result is
 * always placed mid-line, so line-start syntax (#, -, +, 1.) needs no escape; `(` only matters
 * after `]`, which is escaped.
 */
export function mdText(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]<>|~&]/g, (c) => `\\${c}`);
}

/** A Markdown table; cells are escaped with mdText. */
export function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdText).join(' | ')} |`;
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
