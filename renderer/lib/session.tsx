import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthStatus, SessionView } from '../../main/contract/types';
import { call, onApiError, setSessionToken } from './api';

/**
 * The signed-in state of the window. Locking keeps everything mounted: the lock
 * screen is drawn over the current screen, so unsaved text survives.
 */
/** Why and when the screen locked, for the lock screen to say: the 鎖定畫面 button, the idle timer, or otherwise (another window, the server). */
export interface LockInfo {
  reason: 'manual' | 'idle' | 'other';
  /** When it locked (this PC's clock). */
  at: Date;
}

interface SessionState {
  status: AuthStatus | null;
  session: SessionView | null;
  locked: boolean;
  /** Set while locked. */
  lockInfo: LockInfo | null;
  loadError: string | null;
  refresh(): Promise<void>;
  signedIn(s: SessionView): void;
  signOut(): Promise<void>;
  /** Locks the screen; `reason` defaults to 'manual' (the 鎖定畫面 button). */
  lockNow(reason?: LockInfo['reason']): Promise<void>;
  unlocked(s: SessionView): void;
  passwordChanged(): void;
}

const Ctx = createContext<SessionState | null>(null);

const ACTIVITY_EVENTS = ['mousedown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [lockInfo, setLockInfo] = useState<LockInfo | null>(null);
  const locked = lockInfo !== null;
  const setLocked = useCallback((on: boolean, reason: LockInfo['reason'] = 'other') => {
    // A lock already shown keeps its reason and time (a refused call after an idle lock is not a new lock).
    setLockInfo((prev) => (on ? (prev ?? { reason, at: new Date() }) : null));
  }, []);
  const [loadError, setLoadError] = useState<string | null>(null);
  const lastActivity = useRef(Date.now());

  const refresh = useCallback(async () => {
    try {
      const s = await call('auth.status', {});
      setStatus(s);
      setSession(s.session);
      setLocked(s.session?.locked ?? false);
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [setLocked]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The server is the authority: a call refused as locked or signed-out updates the screen.
  useEffect(
    () =>
      onApiError((err) => {
        if (err.code === 'SESSION_LOCKED') setLocked(true);
        if (err.code === 'UNAUTHENTICATED') {
          setSessionToken(null);
          setSession(null);
          setLocked(false);
        }
      }),
    [setLocked],
  );

  const lockNow = useCallback(async (reason: LockInfo['reason'] = 'manual') => {
    setLocked(true, reason);
    try {
      await call('auth.lock', {});
    } catch {
      /* already locked or signed out: the screen is locked either way */
    }
  }, [setLocked]);

  // Idle timer: lock after the configured minutes without keyboard or mouse.
  useEffect(() => {
    if (!session || locked) return;
    lastActivity.current = Date.now();
    const mark = () => {
      lastActivity.current = Date.now();
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, mark, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity.current > session.idleLockMinutes * 60_000) void lockNow('idle');
    }, 5_000);
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, mark);
      window.clearInterval(timer);
    };
  }, [session, locked, lockNow]);

  const value = useMemo<SessionState>(
    () => ({
      status,
      session,
      locked,
      lockInfo,
      loadError,
      refresh,
      signedIn(s) {
        setSessionToken(s.token);
        setSession(s);
        setLocked(false);
        setStatus((prev) => (prev ? { ...prev, needsSetup: false, setupCodeRequired: false, session: s } : prev));
      },
      async signOut() {
        try {
          await call('auth.logout', {});
        } finally {
          setSessionToken(null);
          setSession(null);
          setLocked(false);
          await refresh();
        }
      },
      lockNow,
      unlocked(s) {
        setSession(s);
        setLocked(false);
      },
      passwordChanged() {
        setSession((prev) => (prev ? { ...prev, user: { ...prev.user, mustChangePassword: false } } : prev));
      },
    }),
    [status, session, locked, lockInfo, loadError, refresh, lockNow, setLocked],
  );

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The signed-in user; only for screens rendered behind sign-in. */
export function useUser(): SessionView['user'] {
  const { session } = useSession();
  if (!session) throw new Error('useUser without a session');
  return session.user;
}
