/**
 * Demo households: the divisions of the demo district (南投縣南投市, fictional
 * village names), persons with checksum-valid fictional IDs, households with
 * members, income status on about 15%, long-term concern households (some
 * overdue) and care load on some. Everything fictional.
 *
 * Bulk: rows are inserted many per statement, with ids allotted here, in one
 * transaction per batch, so the city scale (100k households, ~300k persons)
 * takes well under a minute. The search index is filled from the same term
 * rules the services use.
 *
 * Cases and service records come from the cases seeder, which runs after this
 * one: it can read the households with listDemoHouseholds().
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { makeNationalId } from '../contract/national-id';
import { addDays, addMonths, todayIso } from '../contract/roc-date';
import type { ConcernFrequency, DivisionView } from '../contract/types-households';
import { nextDueAfter } from '../services/concerns/service';
import { upsertDivisions } from '../services/divisions/service';
import { householdTerms, personTerms } from '../services/search/terms';
import type { DemoContext } from './index';
import type { Rng } from './random';

export const DEMO_COUNTY_CODE = '10008';
export const DEMO_TOWN_CODE = '10008010';

// Village names written for the demo; codes follow the 內政部 pattern (town code + 3 digits).
const VILLAGE_NAMES = [
  '中興里', '平和里', '仁愛里', '光明里', '文昌里', '福山里', '新興里', '永豐里', '東山里', '西湖里',
  '南埔里', '北勢里', '長安里', '康壽里', '德興里', '振興里', '大同里', '崇文里', '建國里', '育英里',
  '龍泉里', '富貴里', '福德里', '千秋里', '青雲里', '安和里',
];

export const DEMO_DIVISIONS: DivisionView[] = [
  { code: DEMO_COUNTY_CODE, level: 'county', name: '南投縣', parentCode: null },
  { code: DEMO_TOWN_CODE, level: 'town', name: '南投市', parentCode: DEMO_COUNTY_CODE },
  ...VILLAGE_NAMES.map((name, i) => ({ code: `${DEMO_TOWN_CODE}${String(i + 1).padStart(3, '0')}`, level: 'village' as const, name, parentCode: DEMO_TOWN_CODE })),
];

export async function seedDemoDivisions(db: Kysely<Database>): Promise<void> {
  await upsertDivisions(db, DEMO_DIVISIONS);
}

const STREETS = ['中山路', '民族路', '復興路', '建國路', '三民路', '和平路', '光明路', '中正路', '文化路', '自強路', '彰南路', '仁和路', '大同街', '南陽街', '興農街', '信義街', '公園路', '環山路'];
const SURNAMES = '陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴';
const GIVEN_M = '志明家豪俊傑宗翰建宏冠宇承恩柏翰彥廷文雄金龍國華信宏正雄明哲子軒宇翔';
const GIVEN_F = '怡君雅婷淑芬美玲雅惠佳穎子涵品妤芷若詠晴思妤語彤欣怡秀英春嬌玉珠麗華淑貞';

function given(rng: Rng, sex: 'M' | 'F'): string {
  const pool = sex === 'M' ? GIVEN_M : GIVEN_F;
  const a = pool[rng.int(0, pool.length - 1)] ?? '';
  return rng.chance(0.1) ? a : `${a}${pool[rng.int(0, pool.length - 1)] ?? ''}`;
}

function birthDate(rng: Rng, today: string, minAge: number, maxAge: number): string {
  return addDays(today, -rng.int(minAge * 365 + 1, maxAge * 365 + 300));
}

function mobile(rng: Rng): string {
  const n = String(rng.int(10_000_000, 99_999_999));
  return `09${n.slice(0, 2)}-${n.slice(2, 5)}-${n.slice(5)}`;
}

interface DemoPerson {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birth: string;
  relation: string;
  adult: boolean;
  elder: boolean;
}

export interface DemoHousehold {
  id: number;
  createdBy: number;
  villageCode: string;
  memberIds: number[];
  concernId: number | null;
}

/** The seeded households, for the seeders that run later (cases, service records, food bank). */
export async function listDemoHouseholds(db: Kysely<Database>): Promise<DemoHousehold[]> {
  const [hh, members, concerns] = await Promise.all([
    db.selectFrom('households').select(['id', 'created_by', 'village_code']).orderBy('id').execute(),
    db.selectFrom('household_members').select(['household_id', 'person_id']).where('left_on', 'is', null).orderBy('id').execute(),
    db.selectFrom('long_term_concerns').select(['id', 'household_id']).where('end_date', 'is', null).execute(),
  ]);
  const byHh = new Map<number, number[]>();
  for (const m of members) {
    const list = byHh.get(m.household_id) ?? [];
    list.push(m.person_id);
    byHh.set(m.household_id, list);
  }
  const concernBy = new Map(concerns.map((c) => [c.household_id, c.id]));
  return hh.map((h) => ({ id: h.id, createdBy: h.created_by ?? 0, villageCode: h.village_code ?? '', memberIds: byHh.get(h.id) ?? [], concernId: concernBy.get(h.id) ?? null }));
}

const FREQUENCIES: ConcernFrequency[] = ['monthly', 'monthly', 'bimonthly', 'quarterly', 'quarterly', 'half-yearly', 'custom'];
const CONCERN_REASONS = ['獨居長者', '獨居長者', '身障', '長期經濟弱勢', '高照顧負荷', '其他'];
const LTC = ['居家服務', '日間照顧', '喘息服務', '送餐', '緊急救援連線'];

async function insertMany<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Record<string, unknown>[], perStatement: number): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + perStatement) as any).execute();
  }
}

export async function seedHouseholds(ctx: DemoContext): Promise<void> {
  const { db, rng, scale, staff } = ctx;
  await seedDemoDivisions(db);
  const today = todayIso(ctx.now);
  const villages = DEMO_DIVISIONS.filter((d) => d.level === 'village');
  const workers = staff.workers.length > 0 ? staff.workers : staff.admins;
  const teamOf = new Map<number, number>();
  for (const [teamId, members] of staff.teams) for (const w of members) teamOf.set(w, teamId);

  const maxP = await db.selectFrom('persons').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  const maxH = await db.selectFrom('households').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  let personId = Number(maxP?.m ?? 0);
  let householdId = Number(maxH?.m ?? 0);
  let idSerial = 0;
  const BATCH = 1000;
  const concernEvery = scale.households <= 100 ? 8 : 16; // ~12% small, ~6% otherwise

  for (let start = 0; start < scale.households; start += BATCH) {
    const persons: Record<string, unknown>[] = [];
    const households: Record<string, unknown>[] = [];
    const members: Record<string, unknown>[] = [];
    const incomes: Record<string, unknown>[] = [];
    const terms: Record<string, unknown>[] = [];
    const concerns: Record<string, unknown>[] = [];
    const needs: Record<string, unknown>[] = [];
    const arrangements: Record<string, unknown>[] = [];
    const services: Record<string, unknown>[] = [];

    for (let i = start; i < Math.min(start + BATCH, scale.households); i++) {
      const hid = ++householdId;
      const createdBy = rng.pick(workers);
      const created = addDays(today, -rng.int(30, 3 * 365));
      const createdTs = `${created}T02:00:00.000Z`;
      const r = rng.next();
      const type = r < 0.12 ? '獨居' : r < 0.3 ? '單親' : r < 0.4 ? '隔代教養' : r < 0.85 ? '雙親' : '其他';
      const surname = SURNAMES[rng.int(0, SURNAMES.length - 1)] ?? '陳';
      const family: DemoPerson[] = [];
      const add = (relation: string, sex: 'M' | 'F', minAge: number, maxAge: number, ownSurname = true) => {
        const birth = birthDate(rng, today, minAge, maxAge);
        const sn = ownSurname ? surname : (SURNAMES[rng.int(0, SURNAMES.length - 1)] ?? '林');
        family.push({ id: ++personId, name: `${sn}${given(rng, sex)}`, sex, birth, relation, adult: minAge >= 18, elder: minAge >= 65 });
      };
      const sexOf = (): 'M' | 'F' => (rng.chance(0.5) ? 'M' : 'F');
      const kids = (relation: string, n: number, minAge: number, maxAge: number) => {
        for (let k = 0; k < n; k++) add(relation, sexOf(), minAge, maxAge);
      };
      switch (type) {
        case '獨居':
          add('戶長', sexOf(), 65, 92);
          break;
        case '單親':
          add('戶長', rng.chance(0.7) ? 'F' : 'M', 25, 55);
          kids('子女', rng.int(1, 3), 1, 17);
          break;
        case '隔代教養':
          add('戶長', sexOf(), 58, 80);
          if (rng.chance(0.5)) add('配偶', family[0]?.sex === 'M' ? 'F' : 'M', 58, 80, false);
          kids('孫子女', rng.int(1, 3), 3, 17);
          break;
        case '雙親':
          add('戶長', 'M', 28, 60);
          add('配偶', 'F', 26, 58, false);
          kids('子女', rng.int(0, 3), 0, 20);
          if (rng.chance(0.15)) add('父母', sexOf(), 65, 90);
          break;
        default:
          add('戶長', sexOf(), 30, 70);
          kids(rng.pick(['兄弟姊妹', '其他親屬', '子女']), rng.int(1, 3), 10, 60);
      }
      const income = rng.chance(0.15) ? (rng.chance(0.45) ? 'low' : 'mid-low') : null;
      for (const p of family) {
        idSerial++;
        const newImmigrant = p.relation === '配偶' && rng.chance(0.08);
        const hasId = !(p.adult === false && rng.chance(0.05));
        const body = String((idSerial * 7919 + 1_234_567) % 10_000_000).padStart(7, '0');
        const nationalId = hasId ? makeNationalId('M', newImmigrant ? (p.sex === 'M' ? '8' : '9') : p.sex === 'M' ? '1' : '2', body) : null;
        const phone = p.adult && rng.chance(0.8) ? mobile(rng) : null;
        persons.push({
          id: p.id,
          name: p.name,
          national_id: nationalId,
          birth_date: p.birth,
          sex: p.sex,
          phone,
          indigenous: rng.chance(0.02) ? 1 : 0,
          new_immigrant: newImmigrant ? 1 : 0,
          disability_level: rng.chance(p.elder ? 0.12 : 0.03) ? rng.pick(['輕度', '中度', '重度', '極重度']) : null,
          income_status: income,
          notes: null,
          created_at: createdTs,
          created_by: createdBy,
          updated_at: createdTs,
          updated_by: createdBy,
          version: 1,
        });
        // The status history (migration 0019): held since the household was registered.
        if (income) incomes.push({ person_id: p.id, status: income, valid_from: created, valid_to: null, source: '手動', household_id: hid, created_at: createdTs, created_by: createdBy, updated_at: null, updated_by: null, version: 1 });
        for (const term of personTerms({ name: p.name, phone })) terms.push({ term, ref: p.id });
        members.push({ household_id: hid, person_id: p.id, relation: p.relation, joined_on: created, left_on: null, left_reason: null, created_at: createdTs, created_by: createdBy });
      }
      const village = rng.pick(villages);
      const street = `${rng.pick(STREETS)}${rng.chance(0.3) ? `${rng.int(1, 3)}段` : ''}${rng.chance(0.4) ? `${rng.int(1, 250)}巷` : ''}${rng.int(1, 400)}號${rng.chance(0.25) ? `${rng.int(2, 12)}樓` : ''}`;
      const hhPhone = rng.chance(0.6) ? `049-2${String(rng.int(100_000, 999_999))}` : null;
      households.push({
        id: hid,
        county_code: DEMO_COUNTY_CODE,
        town_code: DEMO_TOWN_CODE,
        village_code: village.code,
        neighborhood: String(rng.int(1, 30)),
        street,
        household_type: type,
        phone: hhPhone,
        notes: null,
        created_at: createdTs,
        created_by: createdBy,
        updated_at: createdTs,
        updated_by: createdBy,
        version: 1,
      });
      for (const term of householdTerms({ street, phone: hhPhone })) terms.push({ term, ref: hid });

      // 長期關懷戶: elders living alone first, then a share of the rest.
      const concern = (type === '獨居' && rng.chance(0.4)) || i % concernEvery === 0;
      const elder = family.find((p) => p.elder);
      if (concern) {
        const frequency = rng.pick(FREQUENCIES);
        const intervalDays = frequency === 'custom' ? rng.pick([21, 45, 60]) : null;
        const startDate = addDays(today, -rng.int(60, 3 * 365));
        // About one in five is overdue: its last visit is further back than one interval.
        const overdue = rng.chance(0.2);
        const sinceLast = overdue ? rng.int(35, 80) : rng.int(0, 25);
        let lastVisit: string | null = addDays(today, -sinceLast);
        if (frequency === 'quarterly' && overdue) lastVisit = addMonths(today, -4);
        if (frequency === 'half-yearly' && overdue) lastVisit = addMonths(today, -7);
        if (lastVisit < startDate) lastVisit = null;
        const nextDue = nextDueAfter(lastVisit ?? startDate, frequency, intervalDays);
        concerns.push({
          household_id: hid,
          reason: type === '獨居' ? '獨居長者' : rng.pick(CONCERN_REASONS),
          reason_note: null,
          start_date: startDate,
          frequency,
          interval_days: intervalDays,
          worker_id: createdBy,
          team_id: teamOf.get(createdBy) ?? null,
          next_due: nextDue,
          last_visit_on: lastVisit,
          from_case_id: null,
          end_date: null,
          end_reason: null,
          to_case_id: null,
          created_at: `${startDate}T02:00:00.000Z`,
          created_by: createdBy,
          updated_at: `${startDate}T02:00:00.000Z`,
          updated_by: createdBy,
          version: 1,
        });
      }
      // 照顧負荷: most concern households with an elder, and a few others.
      if (elder && (concern ? rng.chance(0.6) : rng.chance(0.04))) {
        needs.push({ household_id: hid, person_id: elder.id, kind: rng.pick(['失能', '失能', '失智', '身障', '長期疾病']), cms_level: rng.chance(0.8) ? rng.int(2, 8) : null, assessed_on: rng.chance(0.8) ? addDays(today, -rng.int(30, 700)) : null, note: null, updated_at: createdTs, updated_by: createdBy });
        const caregiver = family.find((p) => p.adult && p.id !== elder.id);
        arrangements.push({ household_id: hid, caregiver_person_id: caregiver?.id ?? null, caregiver_note: caregiver ? null : '無同住照顧者', high_burden: rng.chance(0.5) ? 1 : 0, updated_at: createdTs, updated_by: createdBy, version: 1 });
        const chosen = new Set<string>();
        for (let k = rng.int(1, 3); k > 0; k--) chosen.add(type === '獨居' && k === 1 ? '緊急救援連線' : rng.pick(LTC));
        for (const s of chosen) services.push({ household_id: hid, person_id: elder.id, service: s, provider: null, since: addDays(today, -rng.int(30, 900)), until: null, updated_at: createdTs, updated_by: createdBy });
      }
    }

    await db.transaction().execute(async (trx) => {
      await insertMany(trx, 'households', households, 500);
      await insertMany(trx, 'persons', persons, 500);
      await insertMany(trx, 'household_members', members, 1000);
      await insertMany(trx, 'person_income_status', incomes, 500);
      await insertMany(trx, 'search_terms', terms, 4000);
      await insertMany(trx, 'long_term_concerns', concerns, 500);
      await insertMany(trx, 'care_needs', needs, 500);
      await insertMany(trx, 'care_arrangements', arrangements, 500);
      await insertMany(trx, 'ltc_services', services, 500);
    });
  }
}
