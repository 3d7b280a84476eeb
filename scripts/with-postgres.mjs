#!/usr/bin/env node
// `node scripts/with-postgres.mjs <command...>`: runs a command against a throwaway PostgreSQL
// cluster (issue 10). initdb into a temporary folder (UTF8, C locale, so text sorts as in SQLite),
// start it on a Unix socket in that folder only (no TCP), export WELFARE_DESK_TEST_PG, run the
// command, then stop the server and remove the folder, also when the command fails.
// Run as root, the cluster belongs to the `postgres` user (initdb refuses root).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command...>');
  process.exit(2);
}

function binDir() {
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (r.status === 0 && existsSync(join(r.stdout.trim(), 'initdb'))) return r.stdout.trim();
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  console.error('PostgreSQL not found (no pg_config, nothing in /usr/lib/postgresql/*/bin): install the postgresql package.');
  process.exit(2);
}

const bin = binDir();
const asRoot = process.getuid?.() === 0;
let owner = null;
if (asRoot) {
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  owner = { uid: id('-u'), gid: id('-g') };
  if (!Number.isInteger(owner.uid) || owner.uid <= 0) {
    console.error('running as root, but there is no postgres user to own the cluster');
    process.exit(2);
  }
}
/** Runs a PostgreSQL binary as the cluster's owner. */
function pgRun(tool, args, opts = {}) {
  const exe = join(bin, tool);
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], opts) : spawnSync(exe, args, opts);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'wd-pg-'));
chmodSync(dir, 0o700);
if (owner) chownSync(dir, owner.uid, owner.gid);
const data = join(dir, 'data');
let started = false;
let status = 1;

function cleanup() {
  if (started) {
    pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
    started = false;
  }
  rmSync(dir, { recursive: true, force: true });
}
let child = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // The command gets the signal; the cluster goes when it has ended (below).
    if (child) child.kill(sig);
    else {
      cleanup();
      process.exit(130);
    }
  });
}

try {
  const init = pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  const opts = `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = pgRun('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start'], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`pg_ctl start failed:\n${start.stdout}\n${start.stderr}`);
  started = true;
  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
  console.log(`PostgreSQL (${bin}) on ${dir}`);
  // Asynchronous, so a signal reaches the handlers above while the command runs.
  child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, WELFARE_DESK_TEST_PG: url } });
  status = await new Promise((res) => {
    child.on('error', () => res(1));
    child.on('exit', (code) => res(code ?? 1));
  });
  child = null;
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  status = 1;
} finally {
  cleanup();
}
process.exit(status);
