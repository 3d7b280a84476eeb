import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { appendAudit } from '../services/audit/log';
import { writeSettings } from '../services/settings/service';
import { seedCases } from './cases';
import { seedFoodbank } from './foodbank';
import { seedHouseholds } from './households';
import { seedProgrammes } from './programmes';
import { seedStaffing } from './staffing';
import { seedAssessments } from './assessments';
import { seedResources } from './resources';
import { Rng } from './random';
import type { DemoScale } from './scale';
import { DEMO_PASSWORD, seedUsers, type DemoStaff } from './users';

export interface DemoContext {
  db: Kysely<Database>;
  scale: DemoScale;
  rng: Rng;
  now: Date;
  staff: DemoStaff;
}

/**
 * The demo's domain seeders, run in order after users and teams. Each later
 * issue appends its own (households and cases, food bank, programmes).
 */
export const DOMAIN_SEEDERS: { name: string; run(ctx: DemoContext): Promise<void> }[] = [
  { name: 'households', run: seedHouseholds },
  { name: 'cases', run: seedCases },
  { name: 'foodbank', run: seedFoodbank },
  { name: 'programmes', run: seedProgrammes },
  { name: 'staffing', run: seedStaffing },
  { name: 'assessments', run: seedAssessments },
  { name: 'resources', run: seedResources },
];

export interface DemoSummary {
  password: string;
  usernames: string[];
}

/** Fills an empty database with a fictional center. Everything fictional: names, IDs, addresses. */
export async function seedDemo(db: Kysely<Database>, scale: DemoScale, now: Date = new Date()): Promise<DemoSummary> {
  const rng = new Rng(20261122);
  const staff = await db.transaction().execute(async (trx) => {
    await writeSettings(trx, { centerName: '南投縣南投市社會福利服務中心（示範資料）', idleLockMinutes: 10 });
    const s = await seedUsers(trx, scale, rng, now);
    await appendAudit(trx, { actor: null, actorLabel: '示範資料', action: 'import', entity: 'demo', detail: { scale: scale.name } }, now);
    return s;
  });
  for (const seeder of DOMAIN_SEEDERS) {
    await seeder.run({ db, scale, rng, now, staff });
  }
  const users = await db.selectFrom('users').select('username').orderBy('id').execute();
  return { password: DEMO_PASSWORD, usernames: users.map((u) => u.username) };
}
