import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt, a memory-hard function built into Node
 * (no native add-on to build twice). Parameters travel inside the stored string
 * so they can be raised later without breaking old hashes.
 */
const N = 1 << 15; // 32 MiB with r=8
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

let verifications = 0;
/** How many password hashes this process has verified: lets the lockout tests count what an attacker got checked. */
export function verificationCount(): number {
  return verifications;
}

/** A running average of how long a verification takes here, in milliseconds. */
let typicalMs = 0;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  verifications++;
  const started = performance.now();
  try {
    return await verify(password, stored);
  } finally {
    const took = performance.now() - started;
    typicalMs = typicalMs === 0 ? took : typicalMs * 0.8 + took * 0.2;
  }
}

/**
 * Waits about as long as a verification takes, without the CPU and memory of one: an attempt refused
 * before hashing (locked, throttled) must not answer faster than a wrong password does.
 */
export async function waitLikeAVerification(): Promise<void> {
  if (typicalMs === 0) await decoyHash(); // the decoy's own hashing gives a first measure
  const ms = typicalMs > 0 ? typicalMs : 50;
  await new Promise((r) => setTimeout(r, ms * (0.9 + Math.random() * 0.2)));
}

async function verify(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    ...cost,
    maxmem: 128 * cost.N * cost.r * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing in particular, verified against when the username is unknown so timing does not reveal it. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= (async () => {
    const started = performance.now();
    const hash = await hashPassword(randomBytes(12).toString('hex'));
    if (typicalMs === 0) typicalMs = performance.now() - started;
    return hash;
  })();
  return decoy;
}
