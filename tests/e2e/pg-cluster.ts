/**
 * A throwaway PostgreSQL cluster for end-to-end specs, made the way scripts/with-postgres.mjs makes one:
 * initdb into a temporary folder (UTF8, C locale), started on a Unix socket in that folder only (no TCP);
 * as root, the cluster belongs to the `postgres` user (initdb refuses root).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** The maintenance database's URL (`postgres`). */
  url: string;
  /** A new database with the C collation (as tests/helpers/pg.ts CREATE_OPTIONS); returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** The PostgreSQL binaries' folder, or null when PostgreSQL is not installed. */
export function pgBinDir(): string | null {
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (r.status === 0 && existsSync(join(r.stdout.trim(), 'initdb'))) return r.stdout.trim();
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0] as string, 'bin') : null;
}

export function startPgCluster(bin: string): PgCluster {
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[], opts: SpawnSyncOptions = {}) => {
    const exe = join(bin, tool);
    return asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], { encoding: 'utf8', ...opts }) : spawnSync(exe, args, { encoding: 'utf8', ...opts });
  };
  const dir = mkdtempSync(join(tmpdir(), 'wd-e2e-pg-'));
  chmodSync(dir, 0o700);
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  let started = false;
  const stop = () => {
    if (started) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], { stdio: 'ignore' });
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
    if (init.status !== 0) throw new Error(`initdb failed:\n${String(init.stdout)}\n${String(init.stderr)}`);
    const opts = `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const start = run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
    if (start.status !== 0) throw new Error(`pg_ctl start failed:\n${String(start.stdout)}\n${String(start.stderr)}`);
    started = true;
  } catch (e) {
    stop();
    throw e;
  }
  const urlFor = (db: string) => `postgres://postgres@localhost/${db}?host=${encodeURIComponent(dir)}`;
  return {
    url: urlFor('postgres'),
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: urlFor('postgres') });
      await c.connect();
      try {
        await c.query(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
      } finally {
        await c.end();
      }
      return urlFor(name);
    },
    stop,
  };
}
