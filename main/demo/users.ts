import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Role } from '../contract/roles';
import { hashPassword } from '../services/auth/passwords';
import { fictionalName, type Rng } from './random';
import type { DemoScale } from './scale';

export const DEMO_PASSWORD = 'demo1234';

export interface DemoStaff {
  admins: number[];
  supervisors: number[];
  workers: number[];
  /** team id -> worker ids */
  teams: Map<number, number[]>;
}

/** Accounts: one administrator, a clerk, an auditor, and teams of a supervisor with workers. */
export async function seedUsers(db: Kysely<Database>, scale: DemoScale, rng: Rng, now: Date): Promise<DemoStaff> {
  const hash = await hashPassword(DEMO_PASSWORD); // one hash for every demo account
  const ts = now.toISOString();
  const staff: DemoStaff = { admins: [], supervisors: [], workers: [], teams: new Map() };
  const insert = async (username: string, displayName: string, role: Role, teamId: number | null) => {
    const row = await db
      .insertInto('users')
      .values({ username, display_name: displayName, role, team_id: teamId, password_hash: hash, must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  staff.admins.push(await insert('admin', '系統管理者', 'admin', null));
  await insert('clerk', fictionalName(rng), 'foodbank', null);
  await insert('auditor', fictionalName(rng), 'auditor', null);
  let w = 0;
  for (let t = 1; t <= scale.teams; t++) {
    const team = await db.insertInto('teams').values({ name: `第${t}組`, supervisor_id: null, created_at: ts }).returning('id').executeTakeFirstOrThrow();
    const supId = await insert(`sup${t}`, fictionalName(rng), 'supervisor', team.id);
    await db.updateTable('teams').set({ supervisor_id: supId }).where('id', '=', team.id).execute();
    staff.supervisors.push(supId);
    const members: number[] = [];
    for (let i = 0; i < scale.workersPerTeam; i++) {
      w++;
      members.push(await insert(`sw${String(w).padStart(2, '0')}`, fictionalName(rng), 'worker', team.id));
    }
    staff.workers.push(...members);
    staff.teams.set(team.id, members);
  }
  return staff;
}
