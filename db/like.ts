/**
 * LIKE with text a person typed: `%` and `_` are LIKE's wildcards, so a search box given `%` would
 * match every row (issue 9 §6). Every LIKE on user text goes through here: the text is escaped and
 * the statement says `ESCAPE '\'`, which SQLite and PostgreSQL read the same way.
 */
import { OperationNodeTransformer, sql, type Expression, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RawBuilder, type RawNode, type RootOperationNode, type SqlBool, type UnknownRow } from 'kysely';

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

/**
 * SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not, its ILIKE does (and with the C
 * ctype the server databases are created with, only of ASCII letters, as SQLite). This plugin, carried by
 * every PostgreSQL handle (db/postgres.ts), turns the LIKE of the two helpers above into ILIKE there, so a
 * search finds the same rows on both engines.
 */
class IlikeTransformer extends OperationNodeTransformer {
  protected override transformRaw(node: RawNode): RawNode {
    const n = super.transformRaw(node);
    const f = n.sqlFragments;
    if (!f.some((x, i) => x === LIKE && f[i + 1] === ESCAPE)) return n;
    return { ...n, sqlFragments: f.map((x, i) => (x === LIKE && f[i + 1] === ESCAPE ? ' ilike ' : x)) };
  }
}
const LIKE = ' like ';
const ESCAPE = " escape '\\'";

export class PostgresIlike implements KyselyPlugin {
  readonly #t = new IlikeTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#t.transformNode(args.node, args.queryId);
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
