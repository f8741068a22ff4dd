/**
 * tsquery text built from lexemes the database produced (never from user text), cast with
 * `::tsquery` so nothing is parsed or stemmed again. Each lexeme is quoted as a tsquery literal
 * (quotes and backslashes doubled), so punctuation and operators in a question cannot change
 * the query. Pure.
 */
export const quoteLexeme = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** One word position: any of its lexemes. */
const positionQuery = (lexemes: readonly string[]) =>
  lexemes.length === 1 ? quoteLexeme(lexemes[0]!) : `(${lexemes.map(quoteLexeme).join(' | ')})`;

/**
 * A phrase: positions that must follow each other (`<->`), each matching any of its lexemes.
 * A one-position phrase is just that position.
 */
export const phraseQuery = (positions: readonly (readonly string[])[]) =>
  positions.length === 1 ? positionQuery(positions[0]!) : `(${positions.map(positionQuery).join(' <-> ')})`;

/** Any of several phrases. */
export const anyQuery = (phrases: readonly (readonly (readonly string[])[])[]) =>
  phrases.map(phraseQuery).join(' | ');
