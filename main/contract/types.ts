import type { Role } from './roles';

/** A staff account as the UI sees it (never the password hash). */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  version: number;
  updatedAt: string;
}

/** A colleague who can be named 主責 / 協力 / responsible worker (any staff may see this list). */
export interface AssignableUser {
  id: number;
  displayName: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
}

export interface TeamView {
  id: number;
  name: string;
  supervisorId: number | null;
  supervisorName: string | null;
  memberCount: number;
}

export interface SessionView {
  token: string | null; // null over IPC: Electron keeps the session in the main process
  user: { id: number; username: string; displayName: string; role: Role; teamId: number | null; mustChangePassword: boolean };
  locked: boolean;
  idleLockMinutes: number;
}

export interface AuthStatus {
  needsSetup: boolean;
  /** True when the first-run screen must ask for the one-time code the host printed. */
  setupCodeRequired: boolean;
  centerName: string;
  session: SessionView | null;
}

export interface Settings {
  centerName: string;
  /** The center's address, printed on donation receipts and statements ('' until an administrator sets it). */
  centerAddress: string;
  idleLockMinutes: number;
}

export interface AuditEntryView {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown> | null;
  /**
   * What the row is about, readable ("王小明（南投市中興里）", "115-000012 王小明"), present only when the
   * caller may see that record; otherwise null and the screen shows the bare "#806".
   */
  targetName: string | null;
}

/** A page of the audit log; `subject` names the person or household asked about, when the caller may see it. */
export interface AuditListPage extends Page<AuditEntryView> {
  subjectName: string | null;
}

export interface AuditActorOption {
  id: number;
  name: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** zh-TW descriptions of each break found: a gap, an edited row, a broken link. */
  problems: { id: number | null; message: string }[];
}

export interface Page<T> {
  rows: T[];
  total: number;
}
