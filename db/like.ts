/**
 * LIKE with text a person typed: `%` and `_` are LIKE's wildcards, so a search box given `%` would
 * match every row (issue 9 §6). Every LIKE on user text goes through here: the text is escaped and
 * the statement says `ESCAPE '\'`, which SQLite and PostgreSQL read the same way.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** `a%b_c\` → `a\%b\_c\\`: every character then matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Column = string | Expression<unknown>;
const ref = (c: Column) => (typeof c === 'string' ? sql.ref(c) : c);

/** `column LIKE '%text%' ESCAPE '\'`: the column contains the text. */
export function likeContains(column: Column, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${ref(column)} like ${`%${escapeLike(text)}%`} escape '\\'`;
}

/** `column LIKE 'text%' ESCAPE '\'`: the column starts with the text. */
export function likeStartsWith(column: Column, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${ref(column)} like ${`${escapeLike(text)}%`} escape '\\'`;
}
