import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Role } from '../contract/roles';
import type { SessionStore } from './auth/sessions';
import type { SetupGate } from './auth/setup-gate';
import type { BackupRuntime } from './backup/service';

/** Everything a service needs, built once per process and passed in (no globals). */
export interface AppContext {
  db: Kysely<Database>;
  sessions: SessionStore;
  setupGate: SetupGate;
  /** Injected so tests can move time (lockouts, idle locks). */
  now: () => Date;
  /** The data folder, the live database file and the keys, for backups and restore. */
  backup: BackupRuntime;
}

/** The signed-in person a call is made for. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  teamId: number | null;
}

export type Transport = 'ipc' | 'http' | 'cli' | 'test';
