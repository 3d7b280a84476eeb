/**
 * The start-up passphrase for the browser host and the CLI, where Electron's
 * safeStorage is not available: from --passphrase-file, from the environment
 * variable WELFARE_DESK_PASSPHRASE, or typed on the console when the folder's
 * keys.json asks for one. Never logged.
 */
import { readFileSync } from 'node:fs';
import { passphraseProtector, plainProtector, readKeysProtection, type KeyProtector } from './keystore';

export const PASSPHRASE_ENV = 'WELFARE_DESK_PASSPHRASE';

export interface KeyProtection {
  keyProtector: KeyProtector;
  upgradeFrom: KeyProtector[];
}

/** Reads a passphrase typed on a terminal without echoing it. */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let typed = '';
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.setRawMode?.(wasRaw);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * Decides how keys.json is protected in a process without Electron. With a passphrase
 * (file, environment or prompt) the keys are wrapped with it, and a plain keys.json is
 * moved to it once. Without one they stay in the owner-only file.
 */
export async function keyProtectionFor(
  dataDir: string,
  opts: { passphraseFile?: string | undefined; env?: NodeJS.ProcessEnv; interactive?: boolean } = {},
): Promise<KeyProtection> {
  const env = opts.env ?? process.env;
  let passphrase: string | null = null;
  if (opts.passphraseFile) passphrase = readFileSync(opts.passphraseFile, 'utf8').replace(/\r?\n$/, '');
  else if (env[PASSPHRASE_ENV]) passphrase = env[PASSPHRASE_ENV] ?? null;
  else if (readKeysProtection(dataDir) === 'passphrase' && (opts.interactive ?? process.stdin.isTTY)) {
    passphrase = await promptHidden('請輸入資料通行密語：');
  }
  if (passphrase === null) return { keyProtector: plainProtector, upgradeFrom: [] };
  return { keyProtector: passphraseProtector(passphrase), upgradeFrom: [plainProtector] };
}
