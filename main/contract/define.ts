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
  /** Phantom: the result type, carried for the client's benefit only. */
  readonly _output?: O;
}

/**
 * Declares a method: `method<Result>()({ input, access })`. Curried so the input
 * schema is inferred while the result type is written out once.
 */
export function method<O>() {
  return <I extends z.ZodType>(spec: { input: I; access: Access; maxBytes?: number }): MethodSpec<I, O> => spec;
}

export const DEFAULT_MAX_BYTES = 64 * 1024;
