import type { z } from 'zod';
import type { Role } from './roles';

/**
 * Who may call a method.
 * - 'public': no session needed (status, setup, sign-in).
 * - 'session': any signed-in user, also while the session is idle-locked (unlock, sign-out).
 * - Role[]: a signed-in, unlocked user holding one of these roles.
 */
export type Access = 'public' | 'session' | readonly Role[];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly access: Access;
  /** Largest accepted payload, in bytes of JSON. Default 64 KiB. */
  readonly maxBytes?: number;
  /**
   * The method writes: the dispatcher opens the write transaction (and retries it where the engine
   * asks), hands the handler the transaction, and keeps the answer by the call's request id so a retry
   * is answered without writing twice. Methods without it get a handle that refuses writes.
   */
  readonly write?: true;
  /**
   * The method opens its own short transactions because part of its work must commit even when the
   * call fails (sign-in bookkeeping: failed attempts, lockouts) or cannot run inside one (backup files).
   * Each such method is listed in ARCHITECTURE.md with its reason. Never together with `write`.
   */
  readonly ownTransactions?: true;
  /** Phantom: the result type, carried for the client's benefit only. */
  readonly _output?: O;
}

/**
 * Declares a method: `method<Result>()({ input, access })`. Curried so the input
 * schema is inferred while the result type is written out once.
 */
export function method<O>() {
  return <I extends z.ZodType, W extends true | undefined = undefined>(spec: {
    input: I;
    access: Access;
    maxBytes?: number;
    write?: W;
    ownTransactions?: true;
  }): MethodSpec<I, O> & { readonly write?: W } => spec;
}

/** True for a method declared with `write: true`. */
export function isWrite(spec: MethodSpec): boolean {
  return spec.write === true;
}

export const DEFAULT_MAX_BYTES = 64 * 1024;
