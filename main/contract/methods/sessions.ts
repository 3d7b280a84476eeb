import { z } from 'zod';
import { method } from '../define';
import type { Role } from '../roles';
import { idSchema } from '../schemas';

/** Signed-in sessions (登入中的使用者): the administrator sees every live session and can end one. */

/** How the session reached the app: the desktop program, a browser, or something else (the CLI, tests). */
export type SessionKind = 'desktop' | 'browser' | 'other';

export interface ActiveSessionView {
  /** The session's own number: a handle for `sessions.end`, unrelated to the token. */
  id: number;
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  kind: SessionKind;
  /** The PC's address as the server saw it (`127.0.0.1`, `192.168.1.23`), or `local` for the desktop window. */
  address: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** Idle-locked: the person must type the password again before going on. */
  locked: boolean;
  /** The caller's own session (it cannot be ended here: use 登出). */
  current: boolean;
}

export const sessionsMethods = {
  'sessions.list': method<ActiveSessionView[]>()({ input: z.strictObject({}), access: ['admin'] }),
  'sessions.end': method<null>()({ input: z.strictObject({ id: idSchema }), access: ['admin'], write: true }),
} as const;
