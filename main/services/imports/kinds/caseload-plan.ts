/**
 * 個案名冊: what each row would do, computed once for the dry run (classify) and again inside the commit's
 * transaction (with the user's decisions), so both follow the same rules. Reads in batches (IN lists of at
 * most 500), never once per row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema';
import { maskNationalId } from '../../../contract/national-id';
import { formatRocDate } from '../../../contract/roc-date';
import { CLOSED_CASE_STATUSES, type CaseStatus } from '../../../contract/types-cases';
import type { Relation } from '../../../contract/types-households';
import type { Classification, FieldChange, KindContext, ParsedRow, RowProblem } from '../types';
import type { CaseloadRow } from './caseload-parse';

export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// --- reference data, loaded whole (small: divisions, staff, code lists) ------------------------------------

interface Division {
  code: string;
  level: 'county' | 'town' | 'village';
  name: string;
  parent_code: string | null;
}

export interface Staff {
  id: number;
  username: string;
  display_name: string;
  role: string;
  team_id: number | null;
  disabled_at: string | null;
}

export interface Lookups {
  divisions: Map<string, Division>;
  divisionsByName: Map<string, Division[]>;
  staff: Staff[];
  /** Vulnerability code list versions, newest effective date first, with their factor codes (items with a group). */
  factorVersions: { id: number; effectiveFrom: string; codes: Set<string> }[];
}

/** Reference data; divisions are those in use on `today` (a code retired by a reform, e.g. 桃園縣, is not offered). */
export async function loadLookups(db: Kysely<Database>, today: string): Promise<Lookups> {
  const [divs, staff, versions, items] = await Promise.all([
    db
      .selectFrom('divisions')
      .select(['code', 'level', 'name', 'parent_code'])
      .where((eb) => eb.and([eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]), eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', today)])]))
      .execute(),
    db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'team_id', 'disabled_at']).execute(),
    db.selectFrom('code_list_versions').select(['id', 'effective_from']).where('list', '=', 'vulnerability').orderBy('effective_from', 'desc').execute(),
    db
      .selectFrom('code_list_items as i')
      .innerJoin('code_list_versions as v', 'v.id', 'i.version_id')
      .select(['i.version_id', 'i.code'])
      .where('v.list', '=', 'vulnerability')
      .where('i.group_code', 'is not', null)
      .execute(),
  ]);
  const divisions = new Map(divs.map((d) => [d.code, d]));
  const divisionsByName = new Map<string, Division[]>();
  for (const d of divs) divisionsByName.set(d.name, [...(divisionsByName.get(d.name) ?? []), d]);
  const factorVersions = versions.map((v) => ({ id: v.id, effectiveFrom: v.effective_from, codes: new Set(items.filter((i) => i.version_id === v.id).map((i) => i.code)) }));
  return { divisions, divisionsByName, staff, factorVersions };
}

export interface ResolvedAddress {
  county_code: string | null;
  town_code: string | null;
  village_code: string | null;
}

/** County / town / village by code or name, each nested in the one before; the parents of the most specific one are filled in. */
function resolveAddress(lk: Lookups, h: NonNullable<CaseloadRow['household']>, problems: RowProblem[]): ResolvedAddress {
  const pick = (text: string | null, level: Division['level'], field: string, label: string, parent: Division | null): Division | null => {
    if (text === null) return null;
    const byCode = lk.divisions.get(text);
    if (byCode) {
      if (byCode.level !== level) {
        problems.push({ field, message: `代碼 ${text} 不是${label}` });
        return null;
      }
      if (parent && byCode.parent_code !== parent.code) {
        problems.push({ field, message: `${byCode.name}不屬於${parent.name}` });
        return null;
      }
      return byCode;
    }
    const alt = text.replace(/台/g, '臺');
    let found = (lk.divisionsByName.get(text) ?? lk.divisionsByName.get(alt) ?? []).filter((d) => d.level === level);
    if (parent) {
      const inParent = found.filter((d) => d.parent_code === parent.code);
      if (found.length > 0 && inParent.length === 0) {
        problems.push({ field, message: `${text}不屬於${parent.name}` });
        return null;
      }
      found = inParent;
    }
    if (found.length === 0) {
      problems.push({ field, message: `找不到${label}「${text}」` });
      return null;
    }
    if (found.length > 1) {
      problems.push({ field, message: `${label}「${text}」有 ${found.length} 個同名，請一併填寫${level === 'village' ? '鄉鎮市區' : '縣市'}或改填代碼` });
      return null;
    }
    return found[0] ?? null;
  };
  const before = problems.length;
  const county = pick(h.county, 'county', 'county', '縣市', null);
  const town = pick(h.town, 'town', 'town', '鄉鎮市區', county);
  const village = pick(h.village, 'village', 'village', '村里', town);
  if (problems.length > before) return { county_code: null, town_code: null, village_code: null };
  const townCode = town?.code ?? village?.parent_code ?? null;
  const countyCode = county?.code ?? (townCode ? (lk.divisions.get(townCode)?.parent_code ?? null) : null);
  return { county_code: countyCode, town_code: townCode, village_code: village?.code ?? null };
}

/** A 社工 by username or display name; must exist, be a 社工 and be active. */
function resolveWorker(lk: Lookups, text: string | null, field: string, label: string, problems: RowProblem[]): Staff | null {
  if (text === null) return null;
  const lower = text.toLowerCase();
  const byUsername = lk.staff.filter((s) => s.username.toLowerCase() === lower);
  const hits = byUsername.length > 0 ? byUsername : lk.staff.filter((s) => s.display_name === text);
  if (hits.length === 0) {
    problems.push({ field, message: `找不到${label}「${text}」（請填帳號或姓名）` });
    return null;
  }
  if (hits.length > 1) {
    problems.push({ field, message: `${label}「${text}」有 ${hits.length} 位同名，請改填帳號` });
    return null;
  }
  const s = hits[0] as Staff;
  if (s.disabled_at !== null) {
    problems.push({ field, message: `${label}「${text}」的帳號已停用` });
    return null;
  }
  if (s.role !== 'worker') {
    problems.push({ field, message: `${label}須為社工（「${text}」不是）` });
    return null;
  }
  return s;
}

// --- existing records ---------------------------------------------------------------------------------------

export interface KnownPerson {
  id: number;
  name: string;
  national_id: string | null;
  birth_date: string | null;
  sex: string | null;
  phone: string | null;
  indigenous: number;
  new_immigrant: number;
  disability_level: string | null;
  income_status: string | null;
  version: number;
  updated_at: string;
  updated_by: number | null;
}

const PERSON_COLUMNS = ['id', 'name', 'national_id', 'birth_date', 'sex', 'phone', 'indigenous', 'new_immigrant', 'disability_level', 'income_status', 'version', 'updated_at', 'updated_by'] as const;

async function personsWhere(db: Kysely<Database>, column: 'national_id' | 'name' | 'id', values: readonly (string | number)[]): Promise<KnownPerson[]> {
  const out: KnownPerson[] = [];
  for (const part of chunks([...new Set(values)])) {
    out.push(...(await db.selectFrom('persons').select(PERSON_COLUMNS).where(column, 'in', part as never[]).execute()));
  }
  return out;
}

// --- the plan -------------------------------------------------------------------------------------------------

export interface PersonChange {
  column: 'name' | 'national_id' | 'birth_date' | 'sex' | 'phone' | 'indigenous' | 'new_immigrant' | 'disability_level' | 'income_status';
  before: unknown;
  after: unknown;
  change: FieldChange;
}

export interface RowPlan {
  line: number;
  value: CaseloadRow;
  problems: RowProblem[];
  flags: string[];
  dupOf: number | null;
  /** Same name + birth date, no ID match: the user decides. */
  candidates: KnownPerson[];
  /** The known person this row is (by ID, or by the decision 視為同一人). */
  target: KnownPerson | null;
  changes: PersonChange[];
  group: string;
  address: ResolvedAddress | null;
  leadWorker: Staff | null;
  concernWorker: Staff | null;
  factorVersionId: number | null;
  /** The relation a NEW membership gets; null when the person stays where they are (or the row is not written). */
  joinAs: Relation | null;
  /** The person is already a current member of the group's household. */
  alreadyMember: boolean;
}

export interface GroupPlan {
  key: string;
  rows: RowPlan[];
  carrier: RowPlan;
  /** The existing household the group joins, or null: a new household from the carrier's fields. */
  householdId: number | null;
  /** The carrier's case is created (and with which number: the file's when free, else null = allot). */
  makeCase: boolean;
  keepCaseNo: string | null;
  makeConcern: boolean;
}

export interface Plan {
  rows: RowPlan[];
  groups: GroupPlan[];
  lookups: Lookups;
}

const SEX_LABEL: Record<string, string> = { M: '男', F: '女', X: '其他' };
const INCOME_LABEL: Record<string, string> = { low: '低收入戶', 'mid-low': '中低收入戶' };
const show = (column: PersonChange['column'], v: unknown): string => {
  if (v === null || v === undefined || v === '') return '（空白）';
  if (column === 'birth_date') return formatRocDate(String(v));
  if (column === 'national_id') return maskNationalId(String(v));
  if (column === 'sex') return SEX_LABEL[String(v)] ?? String(v);
  if (column === 'indigenous' || column === 'new_immigrant') return v === 1 ? '是' : '否';
  if (column === 'income_status') return INCOME_LABEL[String(v)] ?? String(v);
  return String(v);
};
const COLUMN_LABEL: Record<PersonChange['column'], string> = {
  name: '姓名',
  national_id: '身分證字號',
  birth_date: '出生日期',
  sex: '性別',
  phone: '電話',
  indigenous: '原住民',
  new_immigrant: '新住民',
  disability_level: '身障等級',
  income_status: '低收／中低收',
};

/** What the file would change on a known person: only fields the file fills and that differ. */
export function personChanges(known: KnownPerson, p: CaseloadRow['person']): PersonChange[] {
  const want: [PersonChange['column'], unknown][] = [
    ['name', p.name],
    // Only fills a missing ID (a person matched by name + birth date and chosen as the same one).
    ['national_id', known.national_id === null ? p.nationalId : null],
    ['birth_date', p.birthDate],
    ['sex', p.sex],
    ['phone', p.phone],
    ['indigenous', p.indigenous === null ? null : p.indigenous ? 1 : 0],
    ['new_immigrant', p.newImmigrant === null ? null : p.newImmigrant ? 1 : 0],
    ['disability_level', p.disabilityLevel],
    ['income_status', p.incomeStatus],
  ];
  const out: PersonChange[] = [];
  for (const [column, after] of want) {
    if (after === null || after === '') continue;
    const before = known[column];
    if (before === after) continue;
    out.push({ column, before, after, change: { field: COLUMN_LABEL[column], from: show(column, before), to: show(column, after) } });
  }
  return out;
}

const isActive = (s: CaseStatus) => !CLOSED_CASE_STATUSES.includes(s);

/** The status a case gets when the file leaves it empty. */
export function defaultStatus(k: NonNullable<CaseloadRow['kase']>): CaseStatus {
  if (k.status) return k.status;
  if (k.closedOn) return '已結案';
  if (!k.leadWorker) return '待分派';
  return k.openedOn ? '處遇中' : '評估中';
}

export interface PlanInput {
  line: number;
  value: CaseloadRow;
  /** Commit only: the user's answer to a decide row ('same:<personId>' / 'new'). */
  decision?: string | null;
}

/**
 * Plans every row. `mode` 'classify' finds duplicates within the file and leaves same-name rows undecided;
 * 'commit' takes the decisions (rows arrive without duplicates and errors).
 */
export async function planCaseload(db: Kysely<Database>, input: readonly PlanInput[], ctx: KindContext, mode: 'classify' | 'commit'): Promise<Plan> {
  const lookups = await loadLookups(db, ctx.today);
  const rows: RowPlan[] = input.map((r) => ({
    line: r.line,
    value: r.value,
    problems: [],
    flags: [],
    dupOf: null,
    candidates: [],
    target: null,
    changes: [],
    group: r.value.householdKey !== '' ? `k:${r.value.householdKey}` : `l:${r.line}`,
    address: null,
    leadWorker: null,
    concernWorker: null,
    factorVersionId: null,
    joinAs: null,
    alreadyMember: false,
  }));

  // 1. References: address, workers, factors.
  for (const r of rows) {
    const v = r.value;
    if (v.household) r.address = resolveAddress(lookups, v.household, r.problems);
    if (v.kase) {
      r.leadWorker = resolveWorker(lookups, v.kase.leadWorker, 'leadWorker', '主責社工', r.problems);
      const on = v.kase.receivedOn ?? v.kase.openedOn ?? ctx.today;
      const version = lookups.factorVersions.find((fv) => fv.effectiveFrom <= on) ?? null;
      r.factorVersionId = version?.id ?? null;
      if (v.kase.factors.length > 0) {
        if (!version) r.problems.push({ field: 'factors', message: `收案日 ${formatRocDate(on)} 尚無適用的脆弱性因子代碼表` });
        else {
          const unknown = v.kase.factors.filter((f) => !version.codes.has(f));
          if (unknown.length > 0) r.problems.push({ field: 'factors', message: `脆弱性因子 ${unknown.join('、')} 不在收案日 ${formatRocDate(on)} 適用的代碼表中` });
        }
      }
    }
    if (v.concern) r.concernWorker = resolveWorker(lookups, v.concern.worker ?? v.kase?.leadWorker ?? null, v.concern.worker ? 'concernWorker' : 'leadWorker', v.concern.worker ? '關懷社工' : '主責社工', r.problems);
  }

  // 2. The same person twice in the file: same ID anywhere, or same name + birth date under one household key.
  if (mode === 'classify') {
    const byId = new Map<string, number>();
    const byNameBirth = new Map<string, number>();
    for (const r of rows) {
      const p = r.value.person;
      const idFirst = p.nationalId ? byId.get(p.nationalId) : undefined;
      const nbKey = p.birthDate ? `${r.group}\u0000${p.name}\u0000${p.birthDate}` : null;
      const nbFirst = nbKey ? byNameBirth.get(nbKey) : undefined;
      const first = idFirst ?? nbFirst;
      if (first !== undefined) {
        r.dupOf = first;
        continue;
      }
      if (p.nationalId) byId.set(p.nationalId, r.line);
      if (nbKey) byNameBirth.set(nbKey, r.line);
    }
  }

  // 3. Known persons: by ID, then same name + birth date.
  const live = rows.filter((r) => r.dupOf === null);
  const ids = live.map((r) => r.value.person.nationalId).filter((x): x is string => x !== null);
  const knownById = new Map((await personsWhere(db, 'national_id', ids)).map((p) => [p.national_id as string, p]));
  const noIdMatch = live.filter((r) => !(r.value.person.nationalId && knownById.has(r.value.person.nationalId)) && r.value.person.birthDate !== null);
  // By name only (persons_name_birth_idx leads with name); the birth date is checked in memory. An IN list
  // on both columns would probe every name × date pair.
  const sameName = await personsWhere(db, 'name', noIdMatch.map((r) => r.value.person.name));
  const byNameBirth = new Map<string, KnownPerson[]>();
  for (const p of sameName) if (p.birth_date) byNameBirth.set(`${p.name}\u0000${p.birth_date}`, [...(byNameBirth.get(`${p.name}\u0000${p.birth_date}`) ?? []), p]);
  const decidedIds: number[] = [];
  const decisions = new Map(input.map((x) => [x.line, x.decision ?? null]));
  for (const r of live) {
    const p = r.value.person;
    const hit = p.nationalId ? knownById.get(p.nationalId) : undefined;
    if (hit) {
      r.target = hit;
      continue;
    }
    if (!p.birthDate) continue;
    // A known person whose recorded ID differs from the row's is someone else.
    r.candidates = (byNameBirth.get(`${p.name}\u0000${p.birthDate}`) ?? []).filter((k) => !(k.national_id && p.nationalId && k.national_id !== p.nationalId));
    const d = decisions.get(r.line);
    if (mode === 'commit' && d?.startsWith('same:')) decidedIds.push(Number(d.slice(5)));
  }
  if (mode === 'commit') {
    const decided = new Map((await personsWhere(db, 'id', decidedIds)).map((p) => [p.id, p]));
    for (const r of live) {
      if (r.target || r.candidates.length === 0) continue;
      const d = decisions.get(r.line) ?? null;
      if (d?.startsWith('same:')) {
        const k = decided.get(Number(d.slice(5)));
        if (k && r.candidates.some((c) => c.id === k.id)) r.target = k;
        else r.problems.push({ field: 'name', message: '所選的同一人已不在系統中' });
      } else if (d !== 'new') {
        r.problems.push({ field: 'name', message: '尚未決定是否為同一人' });
      }
      r.candidates = [];
    }
  }
  for (const r of live) if (r.target) r.changes = personChanges(r.target, r.value.person);

  // 4. Households of the known persons, their heads, active cases and concerns; case numbers in use.
  const targets = live.map((r) => r.target?.id).filter((x): x is number => x !== undefined);
  const membership = new Map<number, { household_id: number; relation: string }>();
  for (const part of chunks([...new Set(targets)])) {
    for (const m of await db.selectFrom('household_members').select(['person_id', 'household_id', 'relation']).where('person_id', 'in', part).where('left_on', 'is', null).execute()) {
      membership.set(m.person_id, m);
    }
  }
  const knownHouseholds = [...new Set([...membership.values()].map((m) => m.household_id))];
  const heads = new Map<number, number>();
  const activeCase = new Map<number, string>();
  const activeConcern = new Set<number>();
  for (const part of chunks(knownHouseholds)) {
    for (const h of await db.selectFrom('household_members').select(['household_id', 'person_id']).where('household_id', 'in', part).where('left_on', 'is', null).where('relation', '=', '戶長').execute()) heads.set(h.household_id, h.person_id);
    for (const c of await db.selectFrom('cases').select(['household_id', 'case_no']).where('household_id', 'in', part).where('status', 'not in', [...CLOSED_CASE_STATUSES]).execute()) activeCase.set(c.household_id, c.case_no);
    for (const c of await db.selectFrom('long_term_concerns').select('household_id').where('household_id', 'in', part).where('end_date', 'is', null).execute()) activeConcern.add(c.household_id);
  }
  const fileCaseNos = live.map((r) => r.value.kase?.caseNo).filter((x): x is string => typeof x === 'string');
  const usedCaseNo = new Map<string, number>();
  for (const part of chunks([...new Set(fileCaseNos)])) {
    for (const c of await db.selectFrom('cases').select(['case_no', 'household_id']).where('case_no', 'in', part).execute()) usedCaseNo.set(c.case_no, c.household_id);
  }

  // 5. Groups.
  const groupRows = new Map<string, RowPlan[]>();
  for (const r of live) if (r.problems.length === 0 || mode === 'classify') groupRows.set(r.group, [...(groupRows.get(r.group) ?? []), r]);
  const groups: GroupPlan[] = [];
  const caseTakenIn = new Set<number>();
  const concernTakenIn = new Set<number>();
  const caseNoTaken = new Set<string>();
  for (const [key, members] of groupRows) {
    const writable = members.filter((r) => r.problems.length === 0);
    if (writable.length === 0) continue;
    const undecided = (r: RowPlan) => mode === 'classify' && r.candidates.length > 0;
    const heads0 = writable.filter((r) => r.value.relation === '戶長');
    for (const extra of heads0.slice(1)) extra.problems.push({ field: 'relation', message: `同一戶號已有戶長（第 ${heads0[0]?.line} 列）` });
    const carrier = heads0[0] ?? (writable[0] as RowPlan);
    const inHousehold = (r: RowPlan) => (r.target ? membership.get(r.target.id)?.household_id : undefined);
    const householdId = inHousehold(carrier) ?? writable.map(inHousehold).find((h) => h !== undefined) ?? null;
    let headTaken = householdId !== null && heads.has(householdId);
    const ok = writable.filter((r) => r.problems.length === 0);
    for (const r of ok) {
      const cur = r.target ? membership.get(r.target.id) : undefined;
      if (cur && cur.household_id !== householdId) {
        r.problems.push({ field: 'nationalId', message: `此人目前屬於家戶 #${cur.household_id}，與同戶號其他成員的家戶 #${householdId} 不同；請先在系統中辦理遷入` });
        continue;
      }
      if (cur) {
        r.alreadyMember = true;
        if (r.value.relation && r.value.relation !== cur.relation) r.flags.push(`與戶長關係在系統中為「${cur.relation}」，不變更`);
        if (cur.relation === '戶長') headTaken = true;
      }
    }
    for (const r of ok) {
      if (r.problems.length > 0 || r.alreadyMember) continue;
      let rel = r.value.relation;
      if (rel === '戶長' && headTaken) {
        r.problems.push({ field: 'relation', message: `家戶 #${householdId} 已有戶長，此人不能再登錄為戶長` });
        continue;
      }
      if (rel === null) {
        if (r === carrier && !headTaken) rel = '戶長';
        else {
          rel = '其他親屬';
          r.flags.push('未填與戶長關係，以「其他親屬」登錄');
        }
      }
      if (rel === '戶長') headTaken = true;
      r.joinAs = rel;
    }
    if (undecided(carrier)) carrier.flags.push('決定是否為同一人後，家戶歸屬可能不同');
    if (householdId !== null && carrier.value.household) carrier.flags.push(`併入既有家戶 #${householdId}，家戶地址等資料不變更`);
    for (const r of writable) if (r !== carrier && (r.value.kase || r.value.concern)) r.flags.push('個案與長期關懷欄位只取戶長列，此列的這些欄位不匯入');

    let makeCase = false;
    let keepCaseNo: string | null = null;
    const k = carrier.problems.length === 0 ? carrier.value.kase : null;
    if (k) {
      makeCase = true;
      const status = defaultStatus(k);
      if (k.caseNo) {
        const at = usedCaseNo.get(k.caseNo);
        if (at !== undefined && at === householdId) {
          makeCase = false;
          carrier.flags.push(`案號 ${k.caseNo} 已在此家戶，不另建個案`);
        } else if (at !== undefined || caseNoTaken.has(k.caseNo)) carrier.flags.push(`案號 ${k.caseNo} 已被使用，將給新案號`);
        else keepCaseNo = k.caseNo;
      }
      if (makeCase && isActive(status) && householdId !== null && (activeCase.has(householdId) || caseTakenIn.has(householdId))) {
        makeCase = false;
        keepCaseNo = null;
        carrier.flags.push(`家戶 #${householdId} 已有進行中的個案${activeCase.get(householdId) ? ` ${activeCase.get(householdId)}` : ''}，不另建個案`);
      }
      if (makeCase && isActive(status) && householdId !== null) caseTakenIn.add(householdId);
      if (keepCaseNo) caseNoTaken.add(keepCaseNo);
    }
    let makeConcern = carrier.problems.length === 0 && carrier.value.concern !== null;
    if (makeConcern && householdId !== null && (activeConcern.has(householdId) || concernTakenIn.has(householdId))) {
      makeConcern = false;
      carrier.flags.push(`家戶 #${householdId} 已是長期關懷戶，不重複列管`);
    }
    if (makeConcern && householdId !== null) concernTakenIn.add(householdId);
    groups.push({ key, rows: members, carrier, householdId, makeCase, keepCaseNo, makeConcern });
  }
  return { rows, groups, lookups };
}

function summaryOf(r: RowPlan): string {
  const p = r.value.person;
  const parts = [p.name || '（未填姓名）'];
  if (p.nationalId) parts.push(maskNationalId(p.nationalId));
  if (p.birthDate) parts.push(formatRocDate(p.birthDate));
  const rel = r.joinAs ?? r.value.relation;
  if (rel) parts.push(rel);
  if (r.value.householdKey) parts.push(`戶號 ${r.value.householdKey}`);
  return parts.join('・');
}

export function classificationOf(r: RowPlan, groupOf: Map<RowPlan, GroupPlan>): Classification {
  const summary = summaryOf(r);
  if (r.dupOf !== null) return { status: 'duplicate', summary, ofLine: r.dupOf };
  if (r.problems.length > 0) return { status: 'error', summary, problems: r.problems };
  const g = groupOf.get(r);
  const flags = [...r.flags];
  if (g && g.carrier === r) {
    if (g.householdId === null) flags.unshift('新增家戶');
    if (g.makeCase) flags.push(g.keepCaseNo ? `建立個案 ${g.keepCaseNo}` : '建立個案（給新案號）');
    if (g.makeConcern) flags.push('列為長期關懷戶');
  }
  if (r.target && r.joinAs) flags.push(`加入家戶${g?.householdId ? ` #${g.householdId}` : ''}（${r.joinAs}）`);
  const withFlags = flags.length > 0 ? { flags } : {};
  if (r.candidates.length > 0) {
    return {
      status: 'decide',
      summary,
      question: '系統中已有同名且同出生日期的個人，是否為同一人？',
      options: [
        ...r.candidates.map((c) => ({ value: `same:${c.id}`, label: `視為同一人（個人 #${c.id}${c.national_id ? `，${maskNationalId(c.national_id)}` : ''}）` })),
        { value: 'new', label: '建立新的個人' },
      ],
      ...withFlags,
    };
  }
  if (r.target) return { status: 'match', summary, targetId: r.target.id, changes: r.changes.map((c) => c.change), ...withFlags };
  return { status: 'new', summary, ...withFlags };
}

export async function classifyCaseload(db: Kysely<Database>, rows: readonly ParsedRow<CaseloadRow>[], ctx: KindContext): Promise<Classification[]> {
  const plan = await planCaseload(db, rows, ctx, 'classify');
  const groupOf = new Map<RowPlan, GroupPlan>();
  for (const g of plan.groups) for (const r of g.rows) groupOf.set(r, g);
  return plan.rows.map((r) => classificationOf(r, groupOf));
}
