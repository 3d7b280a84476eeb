/**
 * Kysely table types. They describe the newest schema; migrations never import
 * them (a migration is frozen in time and works on Kysely<any>).
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CaseloadTables } from './tables/caseload';
import type { SearchTables } from './tables/search';
import type { ReportTables } from './tables/reports';
import type { ProgrammeTables } from './tables/programmes';
import type { FoodbankTables } from './tables/foodbank';
import type { AuthTables } from './tables/auth';
import type { IdentityTables } from './tables/identity';
import type { RequestTables } from './tables/requests';
import type { NotificationTables } from './tables/notifications';
import type { CorrectionTables } from './tables/corrections';
import type { ImportTables } from './tables/imports';
import type { OutcomeTables } from './tables/outcomes';
import type { StaffingTables } from './tables/staffing';
import type { GuideTables } from './schema-guides';
import type { AidTables } from './schema-aid';
import type { AssessmentTables } from './schema-assessments';
import type { ResourceTables } from './schema-resources';

export interface UsersTable {
  id: Generated<number>;
  username: string; // stored lower-case
  display_name: string;
  role: string;
  team_id: number | null;
  password_hash: string;
  must_change_password: number; // 0/1
  failed_logins: number;
  locked_until: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  supervisor_id: number | null;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string | null; // JSON, never national IDs or narratives
  prev_hash: string;
  hash: string;
  /** HMAC-SHA256 of `hash` with the audit key (kept outside the database); null on rows from before the key. */
  mac: string | null;
}

/** Tables of the foundation. Each domain declares its own in db/tables/<domain>.ts. */
export interface CoreTables {
  users: UsersTable;
  teams: TeamsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}

/** The whole schema: the foundation plus every domain's tables. */
export interface Database extends CoreTables, CaseloadTables, SearchTables, ReportTables, FoodbankTables, ProgrammeTables, AuthTables, IdentityTables, RequestTables, NotificationTables, CorrectionTables, ImportTables, OutcomeTables, StaffingTables, AssessmentTables, GuideTables, AidTables, ResourceTables {}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type AuditRow = Selectable<AuditLogTable>;
