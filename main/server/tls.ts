import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ConfigError, type ServerConfig } from './config';

/**
 * The center server's certificate: the administrator's (config `tls`), or a self-signed one made on first
 * start in <dataDir>/tls/ and kept (its fingerprint is what every PC confirms once and then pins, so it
 * must not change on restart).
 */

export interface ServerCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the certificate (DER), upper-case hex pairs joined by colons, as `openssl x509 -fingerprint -sha256`. */
  fingerprint: string;
  validTo: Date;
  selfSigned: boolean;
  /** Names clients use that the certificate does not cover (a browser will warn for them). */
  uncoveredNames: string[];
  certFile: string;
  keyFile: string;
}

export const SELF_SIGNED_CERT = 'server-cert.pem';
export const SELF_SIGNED_KEY = 'server-key.pem';
/** Self-signed certificates are pinned by fingerprint, not trusted through a CA: a long life spares re-pinning. */
export const SELF_SIGNED_DAYS = 10 * 365;

/** The fingerprint of the first certificate in a PEM (the server's own; a chain may follow). */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function namesNotCovered(cert: X509Certificate, names: string[]): string[] {
  return names.filter((n) => (isIP(n) !== 0 ? cert.checkIP(n) === undefined : cert.checkHost(n) === undefined));
}

async function createSelfSigned(dir: string, names: string[], now: Date): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dnsNames = names.filter((n) => isIP(n) === 0);
  const ips = names.filter((n) => isIP(n) !== 0);
  const pems = await generate([{ name: 'commonName', value: dnsNames[0] ?? ips[0] ?? 'welfare-desk' }, { name: 'organizationName', value: 'welfare-desk center server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + SELF_SIGNED_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  // Key first, owner-only, each written whole before it takes its name: a crash leaves no half pair.
  const keyFile = join(dir, SELF_SIGNED_KEY);
  writeFileSync(`${keyFile}.tmp`, pems.private, { mode: 0o600 });
  renameSync(`${keyFile}.tmp`, keyFile);
  const certFile = join(dir, SELF_SIGNED_CERT);
  writeFileSync(`${certFile}.tmp`, pems.cert, { mode: 0o644 });
  renameSync(`${certFile}.tmp`, certFile);
}

/**
 * Loads the configured certificate, or the self-signed one (creating it on first start, for the public
 * names and the listen address). Throws ConfigError (zh-TW) when files are missing or do not match.
 */
export async function loadOrCreateCertificate(config: Pick<ServerConfig, 'tls' | 'dataDir' | 'publicNames' | 'listen'>, now: Date = new Date()): Promise<ServerCertificate> {
  const names = [...new Set([...config.publicNames, ...(config.listen === '0.0.0.0' || config.listen === '::' ? [] : [config.listen])])];
  let certFile: string;
  let keyFile: string;
  const selfSigned = !config.tls;
  if (config.tls) {
    ({ certFile, keyFile } = config.tls);
    if (!existsSync(certFile)) throw new ConfigError(`找不到憑證檔 ${certFile}（設定欄位 tls.certFile）。`, 'tls.certFile');
    if (!existsSync(keyFile)) throw new ConfigError(`找不到私鑰檔 ${keyFile}（設定欄位 tls.keyFile）。`, 'tls.keyFile');
  } else {
    const dir = join(config.dataDir, 'tls');
    certFile = join(dir, SELF_SIGNED_CERT);
    keyFile = join(dir, SELF_SIGNED_KEY);
    if (!existsSync(certFile) || !existsSync(keyFile)) await createSelfSigned(dir, names, now);
    try {
      chmodSync(keyFile, 0o600);
    } catch {
      // Windows: permissions come from the folder's ACL.
    }
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`憑證檔 ${certFile} 不是有效的 PEM 憑證。`, 'tls.certFile');
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new ConfigError(`私鑰檔 ${keyFile} 不是有效的 PEM 私鑰（不可加密）。`, 'tls.keyFile');
  }
  if (!matches) throw new ConfigError(`私鑰檔 ${keyFile} 與憑證檔 ${certFile} 不是同一組。`, 'tls.keyFile');
  return {
    key,
    cert,
    fingerprint: x509.fingerprint256,
    validTo: new Date(x509.validTo),
    selfSigned,
    uncoveredNames: namesNotCovered(x509, config.publicNames),
    certFile,
    keyFile,
  };
}
