/**
 * Assessments (評估, issue 14 §1): instruments and their versions (管理者), assessments of a household
 * (optionally its case or concern) scored into a suggested level the worker confirms or overrides, and
 * the visit-frequency rules by confirmed level.
 *
 * Access: instruments are read by all staff and defined by a 管理者. Assessments follow the household's
 * access rules (services/access/scope.ts): a 社工 the households in scope, a 督導 their teams', a 管理者
 * all; anything else answers the standard not-found (existence is sensitive). Every write runs on the
 * call's transaction; the audit log keeps ids, levels and field names, never answers or the override
 * reason's text.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { scoreAssessment, validateAnswers, validateDefinition } from '../../contract/assessment-scoring';
import { ApiError } from '../../contract/envelope';
import type { FhirQuestionnaire } from '../../contract/methods/assessments';
import { addDays, formatRocDate, todayIso } from '../../contract/roc-date';
import type {
  AssessmentComparison,
  AssessmentStage,
  AssessmentSummary,
  AssessmentView,
  FhirQuestionnaireResponse,
  InstrumentDefinition,
  InstrumentSummary,
  InstrumentVersionSummary,
  InstrumentVersionView,
  ResponseItem,
  ScoreResult,
  VisitFrequencyRule,
} from '../../contract/types-assessments';
import { CLOSED_CASE_STATUSES, RISK_LEVELS, type CaseStatus, type RiskLevel } from '../../contract/types-cases';
import { caseVisible, householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { auditOutsideCall } from '../call-hooks';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, NOT_FOUND_MESSAGE } from '../households/common';
import { questionnaireUrl, toFhirQuestionnaire, toFhirResponseItems } from './fhir';

type Db = Kysely<Database>;

const notFound = () => new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
function invalid(fields: Record<string, string>): never {
  const first = Object.keys(fields)[0] as string;
  throw new ApiError('VALIDATION', fields[first] as string, { fields });
}

// ---------------------------------------------------------------------------------------------------
// Instruments

async function versionSummaries(db: Db, instrumentIds: number[]): Promise<InstrumentVersionSummary[]> {
  if (!instrumentIds.length) return [];
  const rows = await db
    .selectFrom('instrument_versions as v')
    .select(['v.id', 'v.instrument_id', 'v.version_no', 'v.effective_from', 'v.effective_to', 'v.note', 'v.created_at'])
    .select((eb) => eb.selectFrom('assessments as a').whereRef('a.instrument_version_id', '=', 'v.id').select((e) => e.fn.countAll<number>().as('n')).as('used'))
    .where('v.instrument_id', 'in', instrumentIds)
    .orderBy('v.instrument_id')
    .orderBy('v.version_no')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    instrumentId: r.instrument_id,
    versionNo: r.version_no,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    note: r.note,
    createdAt: r.created_at,
    used: Number(r.used ?? 0),
  }));
}

const inEffect = (v: { effectiveFrom: string; effectiveTo: string | null }, day: string) => v.effectiveFrom <= day && (v.effectiveTo === null || v.effectiveTo >= day);

export async function listInstruments(db: Db, now: Date, only?: number): Promise<InstrumentSummary[]> {
  let q = db.selectFrom('instruments').selectAll().orderBy('archived').orderBy('id');
  if (only !== undefined) q = q.where('id', '=', only);
  const rows = await q.execute();
  const versions = await versionSummaries(
    db,
    rows.map((r) => r.id),
  );
  const today = todayIso(now);
  return rows.map((r) => {
    const mine = versions.filter((v) => v.instrumentId === r.id);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      current: mine.find((v) => inEffect(v, today)) ?? null,
      versions: mine,
      archived: r.archived === 1,
    };
  });
}

/** The version row in effect on `day`, or undefined. */
async function versionOn(db: Db, instrumentId: number, day: string) {
  return db
    .selectFrom('instrument_versions')
    .selectAll()
    .where('instrument_id', '=', instrumentId)
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function getInstrumentVersion(db: Db, input: { id: number } | { instrumentId: number; on: string }): Promise<InstrumentVersionView> {
  const row =
    'id' in input
      ? await db.selectFrom('instrument_versions').selectAll().where('id', '=', input.id).executeTakeFirst()
      : await versionOn(db, input.instrumentId, input.on);
  if (!row) {
    if ('on' in input) throw new ApiError('NOT_FOUND', `${formatRocDate(input.on)} 沒有適用的評估表版本。`, { fields: { on: '這一天沒有適用的版本' } });
    throw notFound();
  }
  const ins = await db.selectFrom('instruments').select(['code', 'name']).where('id', '=', row.instrument_id).executeTakeFirstOrThrow();
  const [summary] = (await versionSummaries(db, [row.instrument_id])).filter((v) => v.id === row.id);
  return { ...(summary as InstrumentVersionSummary), code: ins.code, name: ins.name, definition: JSON.parse(row.definition) as InstrumentDefinition };
}

function assertDefinition(def: InstrumentDefinition): void {
  const issues = validateDefinition(def);
  if (!issues.length) return;
  const fields: Record<string, string> = {};
  for (const i of issues) fields[`definition.${i.path}`] ??= i.message;
  throw new ApiError('VALIDATION', `評估表設定有 ${issues.length} 個問題：${issues[0]!.message}`, { fields });
}

export async function createInstrument(
  trx: Db,
  actor: Actor,
  input: { code: string; name: string; description: string | null; definition: InstrumentDefinition; effectiveFrom: string; note: string | null },
  now: Date,
): Promise<number> {
  assertDefinition(input.definition);
  const taken = await trx.selectFrom('instruments').select('id').where('code', '=', input.code).executeTakeFirst();
  if (taken) invalid({ code: `代碼「${input.code}」已被使用` });
  const ts = now.toISOString();
  const row = await trx
    .insertInto('instruments')
    .values({ code: input.code, name: input.name, description: input.description, archived: 0, created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const v = await trx
    .insertInto('instrument_versions')
    .values({ instrument_id: row.id, version_no: 1, definition: JSON.stringify(input.definition), effective_from: input.effectiveFrom, effective_to: null, note: input.note, created_at: ts, created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'instrument', entityId: row.id, detail: { code: input.code, versionId: v.id, effectiveFrom: input.effectiveFrom } }, now);
  return row.id;
}

export async function saveInstrumentVersion(
  trx: Db,
  actor: Actor,
  input: { instrumentId: number; definition: InstrumentDefinition; effectiveFrom: string; note: string | null },
  now: Date,
): Promise<void> {
  const ins = await trx.selectFrom('instruments').selectAll().where('id', '=', input.instrumentId).executeTakeFirst();
  if (!ins) throw notFound();
  if (ins.archived === 1) throw new ApiError('RULE', '這份評估表已封存，請先取消封存再新增版本。');
  const last = await trx.selectFrom('instrument_versions').selectAll().where('instrument_id', '=', ins.id).orderBy('version_no', 'desc').limit(1).executeTakeFirst();
  if (last && input.effectiveFrom <= last.effective_from)
    invalid({ effectiveFrom: `生效日須晚於前一版（第 ${last.version_no} 版）的生效日 ${formatRocDate(last.effective_from)}` });
  assertDefinition(input.definition);
  const dayBefore = addDays(input.effectiveFrom, -1);
  if (last && (last.effective_to === null || last.effective_to > dayBefore))
    await trx.updateTable('instrument_versions').set({ effective_to: dayBefore }).where('id', '=', last.id).execute();
  const versionNo = (last?.version_no ?? 0) + 1;
  const v = await trx
    .insertInto('instrument_versions')
    .values({ instrument_id: ins.id, version_no: versionNo, definition: JSON.stringify(input.definition), effective_from: input.effectiveFrom, effective_to: null, note: input.note, created_at: now.toISOString(), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('instruments').set({ updated_at: now.toISOString(), updated_by: actor.userId, version: ins.version + 1 }).where('id', '=', ins.id).execute();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'instrument_version', entityId: v.id, detail: { instrumentId: ins.id, versionNo, effectiveFrom: input.effectiveFrom, closedVersionId: last?.id ?? null } },
    now,
  );
}

export async function archiveInstrument(trx: Db, actor: Actor, input: { id: number; archived: boolean }, now: Date): Promise<void> {
  const ins = await trx.selectFrom('instruments').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!ins) throw notFound();
  const archived = input.archived ? 1 : 0;
  if (ins.archived === archived) return;
  await trx.updateTable('instruments').set({ archived, updated_at: now.toISOString(), updated_by: actor.userId, version: ins.version + 1 }).where('id', '=', ins.id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'instrument', entityId: ins.id, detail: { archived: input.archived } }, now);
}

export async function exportQuestionnaire(db: Db, versionId: number): Promise<FhirQuestionnaire> {
  const v = await getInstrumentVersion(db, { id: versionId });
  const ins = await db.selectFrom('instruments').select('archived').where('id', '=', v.instrumentId).executeTakeFirstOrThrow();
  return toFhirQuestionnaire({ ...v, archived: ins.archived === 1 });
}

// ---------------------------------------------------------------------------------------------------
// Visit-frequency rules

export async function listVisitRules(db: Db): Promise<VisitFrequencyRule[]> {
  const rows = await db.selectFrom('visit_frequency_rules').selectAll().execute();
  return RISK_LEVELS.slice()
    .reverse()
    .flatMap((level) => {
      const r = rows.find((x) => x.level === level);
      return r ? [{ level, visitEveryDays: r.visit_every_days, reassessEveryDays: r.reassess_every_days }] : [];
    });
}

export async function saveVisitRules(trx: Db, actor: Actor, rules: VisitFrequencyRule[], now: Date): Promise<void> {
  const before = await listVisitRules(trx);
  const ts = now.toISOString();
  for (const r of rules) {
    await trx.deleteFrom('visit_frequency_rules').where('level', '=', r.level).execute();
    await trx.insertInto('visit_frequency_rules').values({ level: r.level, visit_every_days: r.visitEveryDays, reassess_every_days: r.reassessEveryDays, updated_at: ts, updated_by: actor.userId }).execute();
  }
  await appendAudit(trx, { actor, action: 'update', entity: 'visit_frequency_rules', entityId: null, detail: { before, after: rules } }, now);
}

// ---------------------------------------------------------------------------------------------------
// Assessments

async function assertHousehold(db: Db, scope: Scope, householdId: number): Promise<void> {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw notFound();
}

/** The assessment row after checking its household (and case, when attached) is visible. */
async function assessmentFor(db: Db, scope: Scope, id: number) {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  await assertHousehold(db, scope, row.household_id);
  return row;
}

type Row = Awaited<ReturnType<typeof assessmentFor>>;

const summarySelect = (db: Db) =>
  db
    .selectFrom('assessments as a')
    .innerJoin('instrument_versions as v', 'v.id', 'a.instrument_version_id')
    .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
    .innerJoin('users as u', 'u.id', 'a.worker_id')
    .leftJoin('cases as c', 'c.id', 'a.case_id')
    .selectAll('a')
    .select(['i.id as instrument_id', 'i.name as instrument_name', 'i.code as instrument_code', 'v.version_no', 'v.definition', 'u.display_name as worker_name', 'c.case_no']);

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];

function toSummary(r: SummaryRow): AssessmentSummary {
  return {
    id: r.id,
    version: r.version,
    householdId: r.household_id,
    caseId: r.case_id,
    caseNo: r.case_no ?? null,
    concernId: r.concern_id,
    instrumentId: r.instrument_id,
    instrumentName: r.instrument_name,
    instrumentVersionId: r.instrument_version_id,
    versionNo: r.version_no,
    stage: r.stage as AssessmentStage,
    assessedOn: r.assessed_on,
    workerId: r.worker_id,
    workerName: r.worker_name,
    suggestedLevel: r.suggested_level as RiskLevel | null,
    confirmedLevel: r.confirmed_level as RiskLevel | null,
    overrideReason: r.override_reason,
    confirmedAt: r.confirmed_at,
    reassessDue: r.reassess_due,
  };
}

async function view(db: Db, id: number): Promise<AssessmentView & { instrumentCode: string }> {
  const r = await summarySelect(db).where('a.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  return {
    ...toSummary(r),
    instrumentCode: r.instrument_code,
    definition: JSON.parse(r.definition) as InstrumentDefinition,
    answers: JSON.parse(r.answers) as ResponseItem[],
    result: JSON.parse(r.result) as ScoreResult,
  };
}

function stripCode(v: AssessmentView & { instrumentCode: string }): AssessmentView {
  const { instrumentCode: _c, ...rest } = v;
  return rest;
}

/** The assessment as the screens see it; audited as a view (answers are case content). */
export async function getAssessment(db: Db, scope: Scope, id: number, now: Date, opts: { audit?: boolean } = {}): Promise<AssessmentView> {
  const row = await assessmentFor(db, scope, id);
  if (opts.audit !== false)
    await auditOutsideCall(db, { actor: scope.actor, action: 'view', entity: 'assessment', entityId: id, detail: { householdId: row.household_id, caseId: row.case_id } }, now);
  return stripCode(await view(db, id));
}

export async function listAssessments(db: Db, scope: Scope, input: { householdId: number } | { caseId: number }): Promise<AssessmentSummary[]> {
  assertMayReadCaseContent(scope);
  let q = summarySelect(db);
  if ('householdId' in input) {
    await assertHousehold(db, scope, input.householdId);
    q = q.where('a.household_id', '=', input.householdId);
  } else {
    const c = await db.selectFrom('cases').select(['id', 'household_id']).where('id', '=', input.caseId).where(caseVisible(scope)).executeTakeFirst();
    if (!c) throw notFound();
    q = q.where('a.case_id', '=', c.id);
  }
  const rows = await q.orderBy('a.assessed_on', 'desc').orderBy('a.id', 'desc').execute();
  return rows.map(toSummary);
}

function checkAnswers(def: InstrumentDefinition, answers: ResponseItem[]): void {
  const issues = validateAnswers(def, answers);
  if (!issues.length) return;
  const fields: Record<string, string> = {};
  for (const i of issues) fields[`answers.${i.linkId}`] ??= i.message;
  throw new ApiError('VALIDATION', `評估內容有 ${issues.length} 個問題：${issues[0]!.message}`, { fields });
}

export type SaveInput =
  | { id: number; version: number; assessedOn?: string | undefined; stage?: AssessmentStage | undefined; answers: ResponseItem[] }
  | {
      householdId: number;
      caseId?: number | null | undefined;
      concernId?: number | null | undefined;
      instrumentId: number;
      stage: AssessmentStage;
      assessedOn: string;
      answers: ResponseItem[];
    };

async function versionFor(db: Db, instrumentId: number, day: string) {
  const v = await versionOn(db, instrumentId, day);
  if (!v) invalid({ assessedOn: `${formatRocDate(day)} 沒有適用的評估表版本` });
  return v;
}

export async function saveAssessment(trx: Db, scope: Scope, actor: Actor, input: SaveInput, now: Date): Promise<number> {
  assertMayWrite(scope);
  const today = todayIso(now);
  const ts = now.toISOString();
  if ('id' in input) {
    const row = await assessmentFor(trx, scope, input.id);
    if (row.confirmed_at !== null) throw new ApiError('RULE', '已確認的評估不能修改；如需調整請另做一次評估。');
    await assertVersion(trx, '評估', row, input.version);
    const assessedOn = input.assessedOn ?? row.assessed_on;
    if (assessedOn > today) invalid({ assessedOn: '評估日期不能晚於今天' });
    const current = await trx.selectFrom('instrument_versions').select(['instrument_id']).where('id', '=', row.instrument_version_id).executeTakeFirstOrThrow();
    const v = await versionFor(trx, current.instrument_id, assessedOn);
    if (v.id !== row.instrument_version_id) invalid({ assessedOn: '這一天適用的評估表版本不同，請另建一份評估' });
    const def = JSON.parse(v.definition) as InstrumentDefinition;
    checkAnswers(def, input.answers);
    const result = scoreAssessment(def, input.answers);
    await trx
      .updateTable('assessments')
      .set({
        assessed_on: assessedOn,
        stage: input.stage ?? row.stage,
        answers: JSON.stringify(input.answers),
        result: JSON.stringify(result),
        suggested_level: result.level,
        updated_at: ts,
        updated_by: actor.userId,
        version: row.version + 1,
      })
      .where('id', '=', row.id)
      .execute();
    const changed = ['answers'];
    if (assessedOn !== row.assessed_on) changed.push('assessedOn');
    if (input.stage && input.stage !== row.stage) changed.push('stage');
    await appendAudit(trx, { actor, action: 'update', entity: 'assessment', entityId: row.id, detail: { householdId: row.household_id, caseId: row.case_id, fields: changed, suggestedLevel: result.level } }, now);
    return row.id;
  }

  await assertHousehold(trx, scope, input.householdId);
  const fields: Record<string, string> = {};
  if (input.assessedOn > today) fields.assessedOn = '評估日期不能晚於今天';
  let teamId = actor.teamId;
  if (input.caseId != null) {
    const c = await trx.selectFrom('cases').select(['id', 'household_id', 'team_id']).where('id', '=', input.caseId).where(caseVisible(scope)).executeTakeFirst();
    if (!c || c.household_id !== input.householdId) fields.caseId = '找不到這個個案，或不屬於這一戶';
    else teamId = c.team_id ?? teamId;
  }
  if (input.concernId != null) {
    const l = await trx.selectFrom('long_term_concerns').select(['id', 'household_id']).where('id', '=', input.concernId).executeTakeFirst();
    if (!l || l.household_id !== input.householdId) fields.concernId = '找不到這筆長期關懷，或不屬於這一戶';
  }
  const ins = await trx.selectFrom('instruments').select(['id', 'archived']).where('id', '=', input.instrumentId).executeTakeFirst();
  if (!ins) fields.instrumentId = '找不到這份評估表';
  else if (ins.archived === 1) fields.instrumentId = '這份評估表已封存';
  if (Object.keys(fields).length) invalid(fields);
  const v = await versionFor(trx, input.instrumentId, input.assessedOn);
  const def = JSON.parse(v.definition) as InstrumentDefinition;
  checkAnswers(def, input.answers);
  const result = scoreAssessment(def, input.answers);
  const row = await trx
    .insertInto('assessments')
    .values({
      household_id: input.householdId,
      case_id: input.caseId ?? null,
      concern_id: input.concernId ?? null,
      instrument_version_id: v.id,
      stage: input.stage,
      assessed_on: input.assessedOn,
      worker_id: actor.userId,
      team_id: teamId,
      answers: JSON.stringify(input.answers),
      result: JSON.stringify(result),
      suggested_level: result.level,
      confirmed_level: null,
      override_reason: null,
      confirmed_at: null,
      confirmed_by: null,
      reassess_due: null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'assessment', entityId: row.id, detail: { householdId: input.householdId, caseId: input.caseId ?? null, instrumentVersionId: v.id, stage: input.stage, suggestedLevel: result.level } },
    now,
  );
  return row.id;
}

export async function reassessEveryDays(db: Db, level: RiskLevel): Promise<number | null> {
  const r = await db.selectFrom('visit_frequency_rules').select('reassess_every_days').where('level', '=', level).executeTakeFirst();
  return r?.reassess_every_days ?? null;
}

/**
 * Confirms the level: a reason is required when it differs from the suggestion. In the same transaction
 * the attached case's risk level becomes the confirmed one (its version bumped and an audit row as
 * cases.update writes for a risk change), unless the case is closed.
 */
export async function confirmAssessment(trx: Db, scope: Scope, actor: Actor, input: { id: number; version: number; level: RiskLevel; overrideReason?: string | null | undefined }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row: Row = await assessmentFor(trx, scope, input.id);
  if (row.confirmed_at !== null) throw new ApiError('RULE', '這份評估已經確認過了。');
  await assertVersion(trx, '評估', row, input.version);
  const reason = input.overrideReason?.trim() || null;
  const overridden = row.suggested_level !== null && input.level !== row.suggested_level;
  if (overridden && !reason) invalid({ overrideReason: `建議等級為「${row.suggested_level}」，選擇其他等級時請填寫理由` });
  const every = await reassessEveryDays(trx, input.level);
  const ts = now.toISOString();
  await trx
    .updateTable('assessments')
    .set({
      confirmed_level: input.level,
      override_reason: overridden ? reason : null,
      confirmed_at: ts,
      confirmed_by: actor.userId,
      reassess_due: every === null ? null : addDays(row.assessed_on, every),
      updated_at: ts,
      updated_by: actor.userId,
      version: row.version + 1,
    })
    .where('id', '=', row.id)
    .execute();
  await appendAudit(
    trx,
    { actor, action: 'update', entity: 'assessment', entityId: row.id, detail: { householdId: row.household_id, caseId: row.case_id, confirm: true, suggestedLevel: row.suggested_level, confirmedLevel: input.level, overridden } },
    now,
  );
  if (row.case_id !== null) {
    const c = await trx.selectFrom('cases').select(['id', 'case_no', 'risk_level', 'status', 'version']).where('id', '=', row.case_id).executeTakeFirstOrThrow();
    if (c.risk_level !== input.level && !CLOSED_CASE_STATUSES.includes(c.status as CaseStatus)) {
      await trx.updateTable('cases').set({ risk_level: input.level, updated_at: ts, updated_by: actor.userId, version: c.version + 1 }).where('id', '=', c.id).execute();
      await appendAudit(
        trx,
        { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, changed: ['riskLevel'], riskLevel: { before: c.risk_level, after: input.level }, assessmentId: row.id } },
        now,
      );
    }
  }
}

export async function deleteAssessment(trx: Db, scope: Scope, actor: Actor, input: { id: number; version: number }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row = await assessmentFor(trx, scope, input.id);
  if (row.confirmed_at !== null) throw new ApiError('RULE', '已確認的評估不能刪除。');
  await assertVersion(trx, '評估', row, input.version);
  await trx.deleteFrom('assessments').where('id', '=', row.id).execute();
  await appendAudit(trx, { actor, action: 'delete', entity: 'assessment', entityId: row.id, detail: { householdId: row.household_id, caseId: row.case_id } }, now);
}

export async function compareAssessments(db: Db, scope: Scope, input: { earlierId: number; laterId: number }, now: Date): Promise<AssessmentComparison> {
  const a = await assessmentFor(db, scope, input.earlierId);
  const b = await assessmentFor(db, scope, input.laterId);
  if (a.household_id !== b.household_id) invalid({ laterId: '只能比較同一戶的評估' });
  const earlier = await getAssessment(db, scope, a.id, now);
  const later = await getAssessment(db, scope, b.id, now);
  const domains = later.result.domains.map((d) => {
    const e = earlier.result.domains.find((x) => x.key === d.key);
    return { key: d.key, label: d.label, riskChange: d.risk - (e?.risk ?? 0), protectiveChange: d.protective - (e?.protective ?? 0) };
  });
  return { earlier, later, domains };
}

/** The assessment as a FHIR QuestionnaireResponse; audited as an export. */
export async function exportAssessmentFhir(db: Db, scope: Scope, id: number, now: Date): Promise<FhirQuestionnaireResponse> {
  const row = await assessmentFor(db, scope, id);
  const v = await view(db, id);
  const head = await db
    .selectFrom('household_members')
    .select('person_id')
    .where('household_id', '=', row.household_id)
    .where('relation', '=', '戶長')
    .where('left_on', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  await auditOutsideCall(db, { actor: scope.actor, action: 'export', entity: 'assessment', entityId: id, detail: { householdId: row.household_id, caseId: row.case_id, format: 'fhir-questionnaire-response' } }, now);
  return {
    resourceType: 'QuestionnaireResponse',
    id: `assessment-${id}`,
    questionnaire: `${questionnaireUrl(v.definition, v.instrumentCode)}|${v.versionNo}`,
    status: row.confirmed_at ? 'completed' : 'in-progress',
    subject: { reference: head ? `Patient/${head.person_id}` : `Group/${row.household_id}` },
    authored: row.confirmed_at ?? row.updated_at,
    author: { reference: `Practitioner/${row.worker_id}`, display: v.workerName },
    item: toFhirResponseItems(v.definition, v.answers),
  };
}
