/**
 * 個案名冊 (kinds/caseload.ts): the fields a caseload file may map and how one row is read, without the
 * database. Names, codes and workers are resolved later (caseload-plan.ts).
 */
import { CASE_SOURCE_LABELS, CASE_SOURCES, CASE_STATUSES, CASE_TYPES, type CaseSource, type CaseStatus, type CaseType } from '../../../contract/types-cases';
import {
  CONCERN_FREQUENCY_LABELS,
  CONCERN_REASONS,
  DISABILITY_LEVELS,
  HOUSEHOLD_TYPES,
  RELATIONS,
  type ConcernFrequency,
  type ConcernReason,
  type DisabilityLevel,
  type HouseholdType,
  type IncomeStatus,
  type Relation,
  type Sex,
} from '../../../contract/types-households';
import { cellChoice, cellDate, cellNationalId, cellText, type CellResult } from '../cells';
import type { ImportField, KindContext, ParseResult, RowProblem, SourceRow } from '../types';

export interface CaseloadPerson {
  name: string;
  nationalId: string | null;
  birthDate: string | null;
  sex: Sex | null;
  phone: string | null;
  /** null: the file says nothing (no change to a known person). */
  indigenous: boolean | null;
  newImmigrant: boolean | null;
  disabilityLevel: DisabilityLevel | null;
  incomeStatus: IncomeStatus | null;
}

export interface CaseloadHousehold {
  /** As written in the file: a name or a code, resolved against `divisions` by classify/commit. */
  county: string | null;
  town: string | null;
  village: string | null;
  neighborhood: string | null;
  street: string | null;
  householdType: HouseholdType | null;
  phone: string | null;
}

export interface CaseloadCase {
  caseNo: string | null;
  status: CaseStatus | null;
  source: CaseSource | null;
  /** Username or display name, resolved by classify/commit. */
  leadWorker: string | null;
  receivedOn: string | null;
  openedOn: string | null;
  closedOn: string | null;
  caseType: CaseType | null;
  factors: string[];
}

export interface CaseloadConcern {
  reason: ConcernReason;
  startDate: string | null;
  frequency: ConcernFrequency | null;
  worker: string | null;
}

export interface CaseloadRow {
  /** The file's household key; '' when the file has none (the row is a household of its own). */
  householdKey: string;
  /** null when the column is empty or absent. */
  relation: Relation | null;
  person: CaseloadPerson;
  /** null when no household field is filled. */
  household: CaseloadHousehold | null;
  /** null when no case field is filled. */
  kase: CaseloadCase | null;
  concern: CaseloadConcern | null;
}

export const CASELOAD_FIELDS = [
  { key: 'householdKey', label: '戶號', required: false, headers: ['戶號', '家戶編號', '家戶代號', '戶別', '家戶序號'], hint: '同一戶號的列歸為同一戶；沒有此欄則每列各為一戶' },
  { key: 'relation', label: '與戶長關係', required: false, headers: ['與戶長關係', '稱謂', '關係', '家戶關係'], hint: '戶長、配偶、子女、父母…' },
  { key: 'name', label: '姓名', required: true, headers: ['姓名', '個案姓名', '名字', '成員姓名'] },
  { key: 'nationalId', label: '身分證字號', required: false, headers: ['身分證字號', '身分證號', '統一證號', '身分證統一編號', '居留證號'] },
  { key: 'birthDate', label: '出生日期', required: false, headers: ['出生日期', '生日', '出生年月日'], hint: '民國或西元日期皆可' },
  { key: 'sex', label: '性別', required: false, headers: ['性別'] },
  { key: 'phone', label: '電話', required: false, headers: ['電話', '聯絡電話', '手機', '行動電話', '個人電話'] },
  { key: 'indigenous', label: '原住民', required: false, headers: ['原住民', '原住民身分'], hint: '是／否' },
  { key: 'newImmigrant', label: '新住民', required: false, headers: ['新住民', '新住民身分'], hint: '是／否' },
  { key: 'disabilityLevel', label: '身障等級', required: false, headers: ['身障等級', '身心障礙等級', '障礙等級'] },
  { key: 'incomeStatus', label: '低收／中低收', required: false, headers: ['低收中低收', '福利身分', '低收入戶別', '經濟身分'] },
  { key: 'county', label: '縣市', required: false, headers: ['縣市', '戶籍縣市', '縣市代碼'] },
  { key: 'town', label: '鄉鎮市區', required: false, headers: ['鄉鎮市區', '鄉鎮', '鄉鎮市區代碼', '區'] },
  { key: 'village', label: '村里', required: false, headers: ['村里', '村里別', '村里代碼', '里別'] },
  { key: 'neighborhood', label: '鄰', required: false, headers: ['鄰', '鄰別'] },
  { key: 'street', label: '地址', required: false, headers: ['地址', '街道門牌', '住址', '戶籍地址', '居住地址'] },
  { key: 'householdType', label: '家戶類型', required: false, headers: ['家戶類型', '家庭類型', '戶別類型'] },
  { key: 'householdPhone', label: '家戶電話', required: false, headers: ['家戶電話', '住家電話', '市話'] },
  { key: 'caseNo', label: '案號', required: false, headers: ['案號', '個案編號', '案件編號'], hint: '既有案號（如 115-000123）未被使用時沿用' },
  { key: 'caseStatus', label: '個案狀態', required: false, headers: ['個案狀態', '案件狀態', '狀態'] },
  { key: 'caseSource', label: '案件來源', required: false, headers: ['案件來源', '來源'] },
  { key: 'leadWorker', label: '主責社工', required: false, headers: ['主責社工', '社工', '負責社工', '承辦社工'], hint: '帳號或姓名' },
  { key: 'receivedOn', label: '收案日期', required: false, headers: ['收案日期', '受案日期', '收案日'] },
  { key: 'openedOn', label: '開案日期', required: false, headers: ['開案日期', '開案日'] },
  { key: 'closedOn', label: '結案日期', required: false, headers: ['結案日期', '結案日'] },
  { key: 'caseType', label: '個案類型', required: false, headers: ['個案類型', '案件類型'] },
  { key: 'factors', label: '脆弱性因子', required: false, headers: ['脆弱性因子', '面向', '脆弱性因子代碼', '面向代碼'], hint: '代碼以頓號或逗號分隔，如 1-1、2-3' },
  { key: 'concernReason', label: '長期關懷原因', required: false, headers: ['長期關懷原因', '長期關懷', '關懷原因'] },
  { key: 'concernStart', label: '長期關懷開始日期', required: false, headers: ['長期關懷開始日期', '關懷開始日期', '列管日期'] },
  { key: 'concernFrequency', label: '訪視頻率', required: false, headers: ['訪視頻率', '關懷頻率'] },
  { key: 'concernWorker', label: '關懷社工', required: false, headers: ['關懷社工', '長期關懷社工'], hint: '帳號或姓名；空白時為主責社工' },
] as const satisfies readonly ImportField[];

export type CaseloadFieldKey = (typeof CASELOAD_FIELDS)[number]['key'];
export const FIELD_LABEL: Record<string, string> = Object.fromEntries(CASELOAD_FIELDS.map((f) => [f.key, f.label]));

const SEX_CHOICES: Record<string, Sex> = { 男: 'M', 女: 'F', M: 'M', F: 'F', 1: 'M', 2: 'F', 男性: 'M', 女性: 'F', 其他: 'X', X: 'X' };
const YES_NO: Record<string, 'yes' | 'no'> = { 是: 'yes', 否: 'no', Y: 'yes', N: 'no', YES: 'yes', NO: 'no', V: 'yes', '✓': 'yes', '○': 'yes', 有: 'yes', 無: 'no', 1: 'yes', 0: 'no' };
const DISABILITY_CHOICES: Record<string, DisabilityLevel> = {
  ...Object.fromEntries(DISABILITY_LEVELS.map((d) => [d, d])),
  輕: '輕度',
  中: '中度',
  重: '重度',
  極重: '極重度',
  1: '輕度',
  2: '中度',
  3: '重度',
  4: '極重度',
};
const INCOME_CHOICES: Record<string, IncomeStatus> = { 低收: 'low', 低收入戶: 'low', 低收入: 'low', 中低收: 'mid-low', 中低收入戶: 'mid-low', 中低收入: 'mid-low', LOW: 'low', 'MID-LOW': 'mid-low' };
const RELATION_CHOICES: Record<string, Relation> = {
  ...Object.fromEntries(RELATIONS.map((r) => [r, r])),
  本人: '戶長',
  夫: '配偶', 妻: '配偶', 先生: '配偶', 太太: '配偶',
  子: '子女', 女: '子女', 長子: '子女', 次子: '子女', 長女: '子女', 次女: '子女', 兒子: '子女', 女兒: '子女',
  父: '父母', 母: '父母', 父親: '父母', 母親: '父母',
  祖父: '祖父母', 祖母: '祖父母', 外祖父: '祖父母', 外祖母: '祖父母',
  孫: '孫子女', 孫子: '孫子女', 孫女: '孫子女', 外孫: '孫子女', 外孫女: '孫子女',
  兄: '兄弟姊妹', 弟: '兄弟姊妹', 姊: '兄弟姊妹', 妹: '兄弟姊妹', 姐: '兄弟姊妹',
  媳婦: '其他親屬', 女婿: '其他親屬', 親屬: '其他親屬',
  同居人: '非親屬', 朋友: '非親屬',
};
const HOUSEHOLD_TYPE_CHOICES: Record<string, HouseholdType> = Object.fromEntries(HOUSEHOLD_TYPES.map((h) => [h, h]));
const STATUS_CHOICES: Record<string, CaseStatus> = { ...Object.fromEntries(CASE_STATUSES.map((s) => [s, s])), 開案: '處遇中', 結案: '已結案', 處遇: '處遇中' };
const SOURCE_CHOICES: Record<string, CaseSource> = {
  ...Object.fromEntries(CASE_SOURCES.map((s) => [s, s])),
  ...Object.fromEntries(CASE_SOURCES.map((s) => [CASE_SOURCE_LABELS[s], s])),
};
const TYPE_CHOICES: Record<string, CaseType> = Object.fromEntries(CASE_TYPES.map((t) => [t, t]));
const CONCERN_REASON_CHOICES: Record<string, ConcernReason> = Object.fromEntries(CONCERN_REASONS.map((r) => [r, r]));
const FREQUENCY_CHOICES: Record<string, ConcernFrequency> = {
  ...Object.fromEntries(Object.entries(CONCERN_FREQUENCY_LABELS).filter(([k]) => k !== 'custom').map(([k, v]) => [v, k as ConcernFrequency])),
  每個月: 'monthly',
  每月一次: 'monthly',
  每兩個月: 'bimonthly',
  每二個月: 'bimonthly',
  每3個月: 'quarterly',
  每三個月: 'quarterly',
  每6個月: 'half-yearly',
  每六個月: 'half-yearly',
};

const HOUSEHOLD_KEYS = ['county', 'town', 'village', 'neighborhood', 'street', 'householdType', 'householdPhone'] as const;
const CASE_KEYS = ['caseNo', 'caseStatus', 'caseSource', 'leadWorker', 'receivedOn', 'openedOn', 'closedOn', 'caseType', 'factors'] as const;

/** 0912-345-678 → kept as typed but trimmed; digits-only check is the search index's business. */
function textOrNull(row: SourceRow, field: string): string | null {
  const t = cellText(row, field);
  return t === '' ? null : t;
}

/** A date field that may not be after today. */
function pastDate(row: SourceRow, field: string, ctx: KindContext, problems: RowProblem[]): string | null {
  const r = cellDate(row, field, FIELD_LABEL[field] ?? field);
  const v = take(r, problems);
  if (v !== null && v > ctx.today) {
    problems.push({ field, message: `${FIELD_LABEL[field]}不能晚於今天（檔案中是 ${rocText(v)}）` });
    return null;
  }
  return v;
}

function rocText(iso: string): string {
  const y = Number(iso.slice(0, 4)) - 1911;
  return `${y}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
}

function take<T>(r: CellResult<T>, problems: RowProblem[]): T | null {
  if (r.ok) return r.value;
  problems.push(r.problem);
  return null;
}

function yesNo(row: SourceRow, field: string, problems: RowProblem[]): boolean | null {
  const v = take(cellChoice(row, field, FIELD_LABEL[field] ?? field, YES_NO), problems);
  return v === null ? null : v === 'yes';
}

const filled = (row: SourceRow, keys: readonly string[]) => keys.some((k) => cellText(row, k) !== '' || row.cells[k]?.date !== undefined || row.cells[k]?.number !== undefined);

export function parseCaseloadRow(row: SourceRow, ctx: KindContext): ParseResult<CaseloadRow> {
  const problems: RowProblem[] = [];
  const name = cellText(row, 'name');
  if (name === '') problems.push({ field: 'name', message: '姓名未填寫' });
  else if (name.length > 50) problems.push({ field: 'name', message: '姓名超過 50 字' });
  const person: CaseloadPerson = {
    name,
    nationalId: take(cellNationalId(row, 'nationalId'), problems),
    birthDate: pastDate(row, 'birthDate', ctx, problems),
    sex: take(cellChoice(row, 'sex', '性別', SEX_CHOICES), problems),
    phone: textOrNull(row, 'phone'),
    indigenous: yesNo(row, 'indigenous', problems),
    newImmigrant: yesNo(row, 'newImmigrant', problems),
    disabilityLevel: cellText(row, 'disabilityLevel') === '無' ? null : take(cellChoice(row, 'disabilityLevel', '身障等級', DISABILITY_CHOICES), problems),
    incomeStatus: ['無', '一般', '一般戶'].includes(cellText(row, 'incomeStatus')) ? null : take(cellChoice(row, 'incomeStatus', '低收／中低收', INCOME_CHOICES), problems),
  };
  const relation = take(cellChoice(row, 'relation', '與戶長關係', RELATION_CHOICES), problems);

  const household: CaseloadHousehold | null = filled(row, HOUSEHOLD_KEYS)
    ? {
        county: textOrNull(row, 'county'),
        town: textOrNull(row, 'town'),
        village: textOrNull(row, 'village'),
        neighborhood: textOrNull(row, 'neighborhood')?.replace(/鄰$/, '') ?? null,
        street: textOrNull(row, 'street'),
        householdType: take(cellChoice(row, 'householdType', '家戶類型', HOUSEHOLD_TYPE_CHOICES), problems),
        phone: textOrNull(row, 'householdPhone'),
      }
    : null;
  if (household?.neighborhood && !/^\d{1,3}$/.test(household.neighborhood)) problems.push({ field: 'neighborhood', message: `鄰須為數字，檔案中是「${household.neighborhood}」` });

  let kase: CaseloadCase | null = null;
  if (filled(row, CASE_KEYS)) {
    const caseNo = textOrNull(row, 'caseNo');
    if (caseNo !== null && !/^\d{2,3}-\d{6}$/.test(caseNo)) problems.push({ field: 'caseNo', message: `案號「${caseNo}」格式不符，應如 115-000123` });
    const factorText = cellText(row, 'factors');
    kase = {
      caseNo,
      status: take(cellChoice(row, 'caseStatus', '個案狀態', STATUS_CHOICES), problems),
      source: take(cellChoice(row, 'caseSource', '案件來源', SOURCE_CHOICES), problems),
      leadWorker: textOrNull(row, 'leadWorker'),
      receivedOn: pastDate(row, 'receivedOn', ctx, problems),
      openedOn: pastDate(row, 'openedOn', ctx, problems),
      closedOn: pastDate(row, 'closedOn', ctx, problems),
      caseType: take(cellChoice(row, 'caseType', '個案類型', TYPE_CHOICES), problems),
      factors: factorText === '' ? [] : [...new Set(factorText.split(/[、,，;；\s]+/).filter((f) => f !== ''))],
    };
    if (kase.openedOn && kase.receivedOn && kase.openedOn < kase.receivedOn) problems.push({ field: 'openedOn', message: '開案日期不能早於收案日期' });
    if (kase.closedOn && (kase.openedOn ?? kase.receivedOn) && kase.closedOn < (kase.openedOn ?? kase.receivedOn ?? '')) problems.push({ field: 'closedOn', message: '結案日期不能早於開案或收案日期' });
    if ((kase.status === '已結案' || kase.status === '不開案') && !kase.closedOn && kase.status === '已結案') problems.push({ field: 'closedOn', message: '個案狀態為已結案時須填結案日期' });
    if (kase.status === '待分派' && kase.leadWorker) problems.push({ field: 'caseStatus', message: '個案狀態為待分派時不應填寫主責社工' });
    if (kase.status && kase.status !== '待分派' && !kase.leadWorker) problems.push({ field: 'leadWorker', message: `個案狀態為${kase.status}時須填主責社工` });
  }

  let concern: CaseloadConcern | null = null;
  if (filled(row, ['concernReason', 'concernStart', 'concernFrequency', 'concernWorker'])) {
    const reason = take(cellChoice(row, 'concernReason', '長期關懷原因', CONCERN_REASON_CHOICES), problems);
    if (reason === null && cellText(row, 'concernReason') === '') problems.push({ field: 'concernReason', message: '填了長期關懷的其他欄位，須一併填寫長期關懷原因' });
    const startDate = pastDate(row, 'concernStart', ctx, problems);
    const frequency = take(cellChoice(row, 'concernFrequency', '訪視頻率', FREQUENCY_CHOICES), problems);
    const worker = textOrNull(row, 'concernWorker');
    if (reason !== null) concern = { reason, startDate, frequency, worker };
    if (reason !== null && !worker && !kase?.leadWorker) problems.push({ field: 'concernWorker', message: '長期關懷須有關懷社工（或主責社工）' });
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { householdKey: cellText(row, 'householdKey'), relation, person, household, kase, concern } };
}

