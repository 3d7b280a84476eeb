import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The center server's configuration: a JSON file (docs/server.example.json) and/or command-line flags,
 * checked here before anything starts. A mistake is reported in zh-TW naming the field.
 */

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const publicName = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => isIP(s) !== 0 || HOST_NAME.test(s), { error: '必須是主機名稱（例如 welfare-server.city.gov.tw）或 IP 位址，不含 https:// 與連接埠' });

const path = z.string().trim().min(1, '不可為空白');

export const DEFAULT_PORT = 8443;
export const DEFAULT_RATE_LIMIT = { max: 1200, windowSeconds: 60 };

const serverConfigSchema = z.strictObject({
  /** The address to listen on: one of the server's own IP addresses, or 0.0.0.0 / :: for all. */
  listen: z.string().trim().refine((s) => isIP(s) !== 0, { error: '必須是 IP 位址（例如 192.168.1.10；0.0.0.0 表示所有網路介面）' }),
  port: z.number({ error: '必須是數字' }).int('必須是整數').min(0, '必須在 0 到 65535 之間').max(65535, '必須在 0 到 65535 之間').default(DEFAULT_PORT),
  /** The names and addresses clients type: the only Host / Origin values answered, and the certificate's names. */
  publicNames: z.array(publicName, { error: '必須是名稱的清單，例如 ["welfare-server", "192.168.1.10"]' }).min(1, '至少要有一個名稱或位址'),
  /** The administrator's certificate; absent: a self-signed one is made in <dataDir>/tls on first start. */
  tls: z.strictObject({ certFile: path, keyFile: path }).optional(),
  /** keys.json, the SQLite database, the audit checkpoint, tls/ and backups. */
  dataDir: path,
  database: z
    .discriminatedUnion(
      'engine',
      [
        z.strictObject({ engine: z.literal('sqlite') }),
        z.strictObject({
          engine: z.literal('postgres'),
          url: z.string().trim().regex(/^postgres(ql)?:\/\//, '必須以 postgres:// 開頭，例如 postgres://welfare@db.example/welfare'),
        }),
      ],
      { error: 'engine 必須是 "sqlite" 或 "postgres"' },
    )
    .default({ engine: 'sqlite' }),
  /** Requests per address per window (static files included); sign-in has its own stricter throttle. */
  rateLimit: z
    .strictObject({
      max: z.number().int('必須是整數').min(10, '至少 10').max(1_000_000),
      windowSeconds: z.number().int('必須是整數').min(1, '至少 1 秒').max(3600, '最多 3600 秒'),
    })
    .default(DEFAULT_RATE_LIMIT),
  /** A file holding the passphrase that wraps keys.json (as `npm run serve -- --passphrase-file`). */
  passphraseFile: path.optional(),
});

export type ServerConfig = z.output<typeof serverConfigSchema>;
export type DatabaseConfig = ServerConfig['database'];

/** A configuration the server cannot start with; `message` is zh-TW and names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const zhTW = z.locales.zhTW();

/** Drops keys starting with `//`: JSON has no comments, so the example file explains fields this way. */
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('//')).map(([k, v]) => [k, withoutComments(v)]));
}

/**
 * Validates a raw configuration (the file's JSON with the flags laid over it). Relative paths are taken
 * from `baseDir` (the config file's folder, or the working directory for flags).
 */
export function parseServerConfig(raw: unknown, baseDir: string, source = '設定'): ServerConfig {
  const parsed = serverConfigSchema.safeParse(withoutComments(raw), { error: zhTW.localeError });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
    let message = issue?.message ?? '格式不正確';
    if (issue?.code === 'unrecognized_keys') message = `不認得的欄位 ${issue.keys.join('、')}（請對照 docs/server.example.json）`;
    throw new ConfigError(`${source}有誤${field ? `：欄位 ${field}` : ''}：${message}`, field);
  }
  const c = parsed.data;
  const abs = (p: string) => resolve(baseDir, p);
  return {
    ...c,
    dataDir: abs(c.dataDir),
    ...(c.tls ? { tls: { certFile: abs(c.tls.certFile), keyFile: abs(c.tls.keyFile) } } : {}),
    ...(c.passphraseFile ? { passphraseFile: abs(c.passphraseFile) } : {}),
    publicNames: [...new Set(c.publicNames)],
  };
}

/** Reads and validates a configuration file. */
export function readServerConfig(file: string, overrides: Record<string, unknown> = {}): ServerConfig {
  const full = resolve(file);
  if (!existsSync(full)) throw new ConfigError(`找不到設定檔 ${full}。`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    throw new ConfigError(`設定檔 ${full} 不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`設定檔 ${full} 必須是一個 JSON 物件（{ ... }）。`);
  return parseServerConfig({ ...raw, ...overrides }, dirname(full), `設定檔 ${full} `);
}

/** The `Host` values (host:port, lower case) a client may send for this configuration and bound port. */
export function hostsFor(config: Pick<ServerConfig, 'publicNames' | 'listen'>, port: number): string[] {
  const names = new Set(config.publicNames);
  // A specific listen address is reachable by itself too (and is in the self-signed certificate).
  if (config.listen !== '0.0.0.0' && config.listen !== '::') names.add(config.listen.toLowerCase());
  const out: string[] = [];
  for (const n of names) {
    const host = isIP(n) === 6 ? `[${n}]` : n;
    out.push(`${host}:${port}`);
    if (port === 443) out.push(host);
  }
  return out;
}

/** The address clients open: the first public name with the port. */
export function serverUrl(config: Pick<ServerConfig, 'publicNames'>, port: number): string {
  const first = config.publicNames[0] as string;
  const host = isIP(first) === 6 ? `[${first}]` : first;
  return port === 443 ? `https://${host}/` : `https://${host}:${port}/`;
}
