import { randomBytes } from 'node:crypto';
import type { Actor } from '../context';

/**
 * Sessions live in the main process's memory: a restart signs everyone out,
 * which is what a desktop app on a shared office PC should do.
 */
export interface Session {
  token: string;
  actor: Actor;
  mustChangePassword: boolean;
  createdAt: number;
  lastSeen: number;
  locked: boolean;
}

/** A session ends after this long whatever the activity (a working day). */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

export class SessionStore {
  private readonly byToken = new Map<string, Session>();
  idleLockMinutes = 10;

  create(actor: Actor, mustChangePassword: boolean, now: number): Session {
    const session: Session = {
      token: randomBytes(32).toString('base64url'),
      actor,
      mustChangePassword,
      createdAt: now,
      lastSeen: now,
      locked: false,
    };
    this.byToken.set(session.token, session);
    return session;
  }

  /** The live session for a token, or undefined when unknown or expired. */
  get(token: string | null | undefined, now: number): Session | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s) return undefined;
    if (now - s.createdAt > SESSION_MAX_AGE_MS) {
      this.byToken.delete(token);
      return undefined;
    }
    return s;
  }

  /** True when the session has been idle past the limit (and so becomes locked now). */
  idleExpired(s: Session, now: number): boolean {
    return !s.locked && now - s.lastSeen > this.idleLockMinutes * 60_000;
  }

  delete(token: string): void {
    this.byToken.delete(token);
  }

  /** Ends every session of a user (disabled, role changed, password reset). */
  endAllFor(userId: number): number {
    let n = 0;
    for (const [token, s] of this.byToken) {
      if (s.actor.userId === userId) {
        this.byToken.delete(token);
        n++;
      }
    }
    return n;
  }

  /** Ends every session (after a restore replaced the database under them). */
  endAll(): number {
    const n = this.byToken.size;
    this.byToken.clear();
    return n;
  }
}
