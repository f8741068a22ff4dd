import { type SQL, sql } from 'drizzle-orm';

/**
 * SQL that turns one lexeme (an SQL text expression) into a one-lexeme tsquery without
 * re-parsing it: the lexeme is quoted as a tsquery literal (quotes and backslashes doubled) and
 * cast. User text never reaches to_tsquery, so punctuation, quotes and operators in a question
 * cannot break or alter a query, and already-stemmed lexemes are not stemmed twice.
 */
export const lexemeQuery = (lexeme: SQL) =>
  sql`('''' || replace(replace(${lexeme}, '\\', '\\\\'), '''', '''''') || '''')::tsquery`;
