import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Statements a read method may not send (raw SQL is checked by its first word). */
const WRITE_NODES: ReadonlySet<string> = new Set([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
  'CreateTableNode',
  'CreateIndexNode',
  'CreateViewNode',
  'DropTableNode',
  'DropIndexNode',
  'DropViewNode',
  'AlterTableNode',
]);
const RAW_WRITE = /^\s*(begin|commit|rollback|savepoint|release|insert|update|delete|replace|upsert|merge|create|drop|alter|vacuum|reindex|analyze|attach|detach)\b/i;

/** Thrown when a read method tries to write: a programming error (the method lacks `write: true`). */
export class ReadOnlyViolation extends Error {
  override name = 'ReadOnlyViolation';
}

function rawText(node: RootOperationNode): string {
  const fragments = (node as { sqlFragments?: readonly string[] }).sqlFragments;
  return fragments ? fragments.join('?') : '';
}

/**
 * Makes a handle refuse writes: the dispatcher hands read methods (those without `write: true`)
 * `app.db.withPlugin(new ReadOnlyPlugin())`, so a write that slipped into a read method fails on
 * its first statement instead of committing outside any declared transaction. Reads pass untouched.
 */
export class ReadOnlyPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (WRITE_NODES.has(node.kind) || (node.kind === 'RawNode' && RAW_WRITE.test(rawText(node)))) {
      throw new ReadOnlyViolation(`a read method tried to write (${node.kind}); declare the method with write: true`);
    }
    return node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
