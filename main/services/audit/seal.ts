/**
 * The audit chain's key (稽核金鑰) travels with the database handle, not in a
 * process global: it is a Kysely plugin that changes nothing in the queries but
 * is carried into every transaction and connection made from the handle, so
 * `appendAudit(trx, ...)` finds it wherever it is called, and two apps opened in
 * one process (tests) each keep their own key.
 *
 * It does two things with the key (which is kept outside the database, in the
 * key ring):
 * - each audit row gets `mac` = HMAC-SHA256(key, its SHA-256 hash); whoever can
 *   write the database but lacks the key cannot re-seal a rewritten chain;
 * - after a write commits, the newest row's id and hash are signed into
 *   `audit-checkpoint.json` beside the database, so deleting the tail (or every
 *   row, or swapping in an older copy of the file) is noticed as well.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { findPlugin } from '../../../db/connection';
import type { Database } from '../../../db/schema';
import { writePrivateFileAtomic } from '../../lib/keystore';
import { createLogger } from '../../lib/logger';

const log = createLogger('audit');

export const AUDIT_CHECKPOINT_FILE_NAME = 'audit-checkpoint.json';
/** The checkpoint of a chain with no sealed row yet (the same value as the chain's genesis link). */
const GENESIS = '0'.repeat(64);
const CHECKPOINT_DELAY_MS = 200;

/** The signed head of the chain at some moment: every later state must still contain this row. */
export interface AuditCheckpoint {
  version: 1;
  id: number;
  hash: string;
  /** When it was written (for people reading an exported checkpoint; not signed, not trusted). */
  writtenAt: string;
  mac: string;
}

export type CheckpointRead = { state: 'missing' } | { state: 'unreadable' } | { state: 'ok'; checkpoint: AuditCheckpoint };

export class AuditSeal implements KyselyPlugin {
  readonly #key: Buffer;
  #db: Kysely<Database> | null = null;
  #pending: Promise<void> = Promise.resolve();
  #scheduled = false;
  #closed = false;

  /** `dataDir` is where the checkpoint file lives; null keeps no checkpoint (a handle on a copy, e.g. a backup being checked). */
  constructor(
    key: Buffer,
    readonly dataDir: string | null,
  ) {
    if (key.length !== 32) throw new Error('the audit key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  get checkpointFile(): string | null {
    return this.dataDir === null ? null : join(this.dataDir, AUDIT_CHECKPOINT_FILE_NAME);
  }

  mac(hash: string): string {
    return createHmac('sha256', this.#key).update(`welfare-desk audit row\n${hash}`).digest('hex');
  }

  checkpointMac(id: number, hash: string): string {
    return createHmac('sha256', this.#key).update(`welfare-desk audit checkpoint\n${id}\n${hash}`).digest('hex');
  }

  macMatches(expected: string, actual: string | null): boolean {
    if (actual === null || actual.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
  }

  /** The handle whose committed head the checkpoints record. */
  attach(db: Kysely<Database>): void {
    this.#db = db;
  }

  /**
   * Called by appendAudit inside a transaction. The checkpoint is written later, from the
   * handle itself: SQLite hands the connection over only after the commit (or rollback),
   * so it can only ever record a committed row.
   */
  scheduleCheckpoint(): void {
    if (!this.#db || this.#closed || this.#scheduled || this.dataDir === null) return;
    this.#scheduled = true;
    this.#pending = this.#pending.then(
      () =>
        new Promise<void>((resolve) => {
          // Coalesced: one checkpoint (a small fsynced file) per burst of writes, not one per row.
          setTimeout(() => {
            this.#scheduled = false;
            this.writeCheckpoint().then(resolve, (err: unknown) => {
              log.error('audit checkpoint not written', err);
              resolve();
            });
          }, CHECKPOINT_DELAY_MS);
          // Not unref'd: a CLI awaiting close() must not exit before the checkpoint is written.
        }),
    );
  }

  /** Waits for scheduled checkpoints and writes one for the current head. */
  async flush(): Promise<void> {
    await this.#pending;
    await this.writeCheckpoint();
  }

  async close(): Promise<void> {
    await this.flush().catch((err: unknown) => log.error('audit checkpoint not written', err));
    this.#closed = true;
  }

  readCheckpoint(): CheckpointRead {
    const file = this.checkpointFile;
    if (file === null || !existsSync(file)) return { state: 'missing' };
    try {
      const cp = JSON.parse(readFileSync(file, 'utf8')) as AuditCheckpoint;
      if (cp.version !== 1 || !Number.isInteger(cp.id) || typeof cp.hash !== 'string' || typeof cp.mac !== 'string') return { state: 'unreadable' };
      return { state: 'ok', checkpoint: cp };
    } catch {
      return { state: 'unreadable' };
    }
  }

  checkpointIsGenuine(cp: AuditCheckpoint): boolean {
    return this.macMatches(this.checkpointMac(cp.id, cp.hash), cp.mac);
  }

  /**
   * Called when a data folder is opened: a folder without a checkpoint whose chain has no
   * sealed row yet (a new install, or one from before the key) starts one. Once sealed rows
   * exist, a missing checkpoint is never quietly recreated: that is what deleting it to hide
   * a truncated tail would look like, and verification reports it.
   */
  async initCheckpoint(): Promise<void> {
    const db = this.#db;
    const file = this.checkpointFile;
    if (!db || file === null || this.readCheckpoint().state !== 'missing') return;
    const sealed = await db.selectFrom('audit_log').select('id').where('mac', 'is not', null).limit(1).executeTakeFirst();
    if (sealed) return;
    this.write(0, GENESIS);
  }

  /**
   * Signs the current head even if the checkpoint says more: only after an administrator
   * has restored a verified older copy of the database on purpose (and that is audited).
   */
  async adoptCurrentHead(): Promise<void> {
    await this.writeCheckpoint(true);
  }

  private write(id: number, hash: string): void {
    const file = this.checkpointFile;
    if (file === null) return;
    const cp: AuditCheckpoint = { version: 1, id, hash, writtenAt: new Date().toISOString(), mac: this.checkpointMac(id, hash) };
    writePrivateFileAtomic(file, JSON.stringify(cp));
  }

  private async writeCheckpoint(force = false): Promise<void> {
    const db = this.#db;
    if (!db || this.#closed || this.checkpointFile === null) return;
    const head = await db.selectFrom('audit_log').select(['id', 'hash', 'mac']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    // Only a row this key sealed is signed: a forged head must not be blessed by the checkpoint.
    if (!head || !this.macMatches(this.mac(head.hash), head.mac)) return;
    const current = this.readCheckpoint();
    if (!force) {
      // A missing, unreadable or forged checkpoint is evidence: leave it for verification to report.
      if (current.state !== 'ok' || !this.checkpointIsGenuine(current.checkpoint)) return;
      // Another process on the same folder may have written a newer one meanwhile.
      if (current.checkpoint.id >= head.id) return;
    }
    this.write(head.id, head.hash);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The seal a handle (or a transaction made from it) carries, if it was opened with the audit key. */
export function auditSealOf(db: Kysely<Database>): AuditSeal | undefined {
  return findPlugin(db as Kysely<unknown>, AuditSeal);
}
