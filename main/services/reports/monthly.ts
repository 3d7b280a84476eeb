/**
 * The supervisor's monthly report (月報, issue 4 §2): the figures of a month for
 * a team or the whole center, the form's header and footer, and the supervisor's
 * remark. renderMonthlyHtml (monthly-html.ts) turns it into the printed A4 form.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { inDeclaredWrite } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import { formatRocLong, todayIso } from '../../contract/roc-date';
import { parseMonth, type MonthlyRemarkView, type MonthlyReportData, type MonthlyTable } from '../../contract/types-reports';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { readSettings } from '../settings/service';
import { reportScope, type ReportScope } from './access';
import { nameOf, userNames } from './common';
import { getIndicator } from './indicators/registry';
import type { Dim, IndicatorResult, Period } from './indicators/types';
import { MONTHLY_SECTIONS, type MonthlyContext } from './monthly-sections';

export const MONTHLY_FORM_NO = '社福中心-月-01';
export const MONTHLY_DEADLINE = '次月10日前編報';

export function requireMonth(text: string): { key: string; period: Period; label: string; rocYear: number; month: number } {
  const m = parseMonth(text);
  if (!m) throw new ApiError('VALIDATION', '月份格式不正確，請輸入如 2026-03 或 115-03', { fields: { month: '月份格式不正確' } });
  return { key: m.from.slice(0, 7), period: { from: m.from, to: m.to }, label: m.label, rocYear: m.year - 1911, month: m.month };
}

async function staffInView(db: Kysely<Database>, teams: number[] | null): Promise<MonthlyContext['staff']> {
  let q = db
    .selectFrom('users')
    .select(['id', 'display_name', 'team_id', 'role'])
    .where('role', 'in', ['worker', 'supervisor'])
    .where('disabled_at', 'is', null)
    .orderBy('team_id')
    .orderBy('role', 'desc') // worker before supervisor
    .orderBy('display_name')
    .orderBy('id');
  if (teams) q = teams.length ? q.where('team_id', 'in', teams) : q.where('id', '<', 0);
  return (await q.execute()).map((u) => ({ id: u.id, name: u.display_name, supervisor: u.role === 'supervisor' }));
}

const teamKey = (scope: ReportScope) => scope.teamId ?? 0;

async function remarkOf(db: Kysely<Database>, month: string, scope: ReportScope): Promise<MonthlyReportData['remark']> {
  if (scope.teams !== null && scope.teamId === null) return null; // a supervisor's several teams together: remarks are per team
  const row = await db.selectFrom('monthly_remarks').selectAll().where('month', '=', month).where('team_key', '=', teamKey(scope)).executeTakeFirst();
  if (!row) return null;
  const names = await userNames(db, [row.updated_by]);
  return { text: row.remark, updatedAt: row.updated_at, updatedBy: nameOf(names, row.updated_by), version: row.version };
}

/** Builds the report for an already-resolved scope (the CLI passes the whole center). */
export async function buildMonthly(db: Kysely<Database>, monthText: string, scope: ReportScope, now: Date): Promise<MonthlyReportData> {
  const m = requireMonth(monthText);
  const settings = await readSettings(db);
  let teamName: string | null = null;
  if (scope.teamId !== null) teamName = (await db.selectFrom('teams').select('name').where('id', '=', scope.teamId).executeTakeFirst())?.name ?? null;
  else if (scope.teams) {
    const rows = await db.selectFrom('teams').select('name').where('id', 'in', scope.teams.length ? scope.teams : [-1]).orderBy('id').execute();
    teamName = rows.map((r) => r.name).join('、') || null;
  }
  const ctx: MonthlyContext = {
    db,
    period: m.period,
    teams: scope.teams,
    staff: await staffInView(db, scope.teams),
    compute: (indicatorId: string, breakdown: Dim[] = []): Promise<IndicatorResult> => {
      const ind = getIndicator(indicatorId);
      if (!ind) throw new Error(`monthly report: no indicator ${indicatorId}`);
      return ind.compute(db, { period: m.period, breakdown, teams: scope.teams });
    },
  };
  const tables: MonthlyTable[] = [];
  for (const section of MONTHLY_SECTIONS) {
    const t = await section.build(ctx);
    if (t) tables.push(t);
  }
  const scopeText = teamName ? `本表統計範圍：${teamName}。` : '本表統計範圍：全中心。';
  return {
    month: m.key,
    from: m.period.from,
    to: m.period.to,
    teamId: scope.teamId,
    teamName,
    header: {
      publicity: '公開類',
      frequency: '月報',
      deadline: MONTHLY_DEADLINE,
      agency: settings.centerName,
      formNo: MONTHLY_FORM_NO,
      title: teamName ? `${settings.centerName}工作月報（${teamName}）` : `${settings.centerName}工作月報`,
      periodLine: `中華民國${m.rocYear}年${m.month}月`,
      unit: '單位：案、人次、戶',
      compiledOn: formatRocLong(todayIso(now)),
    },
    tables,
    remark: await remarkOf(db, m.key, scope),
    footer: {
      signatures: ['填表', '審核', '業務主管人員', '機關首長'],
      dataSource: '資料來源：本中心社福中心工作台（個案、服務紀錄、轉介及長期關懷戶資料）。',
      notes: [
        `本表資料期間為${m.label}1日至月底（臺北時間）；「月底」指該月最後一日終了時。`,
        '個案數每案只計 1 次；服務人次每筆服務紀錄計 1 人次；戶數每戶只計 1 次。',
        '個案依主責社工、服務紀錄依記錄的社工歸屬；社工的組別以目前所屬組別為準。',
        scopeText,
      ],
    },
  };
}

export async function monthlyReport(db: Kysely<Database>, actor: Actor, input: { month: string; teamId?: number | undefined }, now: Date): Promise<MonthlyReportData> {
  const scope = await reportScope(db, actor, input.teamId);
  return buildMonthly(db, input.month, scope, now);
}

export async function recordMonthlyPrint(db: Kysely<Database>, actor: Actor, input: { month: string; teamId?: number | undefined; to: 'printer' | 'pdf' }, now: Date): Promise<null> {
  const m = requireMonth(input.month);
  const scope = await reportScope(db, actor, input.teamId);
  await inDeclaredWrite(db, (trx) =>
    appendAudit(trx, { actor, action: 'print', entity: 'monthly_report', entityId: m.key, detail: { month: m.key, teamId: scope.teamId, teams: scope.teams, to: input.to } }, now),
  );
  return null;
}

export async function saveMonthlyRemark(
  db: Kysely<Database>,
  actor: Actor,
  input: { month: string; teamId?: number | undefined; remark: string; version?: number | undefined },
  now: Date,
): Promise<MonthlyRemarkView> {
  const m = requireMonth(input.month);
  const scope = await reportScope(db, actor, input.teamId);
  if (scope.teams !== null && scope.teamId === null) {
    throw new ApiError('RULE', '您督導多個組別，請先選擇要填寫督導意見的組別。', { fields: { teamId: '請選擇組別' } });
  }
  const key = teamKey(scope);
  const text = input.remark.trim();
  await inDeclaredWrite(db, async (trx) => {
    const row = await trx.selectFrom('monthly_remarks').selectAll().where('month', '=', m.key).where('team_key', '=', key).executeTakeFirst();
    const ts = now.toISOString();
    if (row) {
      if (input.version === undefined || input.version !== row.version) {
        throw new ApiError('CONFLICT', `這個月的督導意見已於 ${row.updated_at.slice(0, 16).replace('T', ' ')}（UTC）被修改，請重新載入後再儲存。`);
      }
      await trx.updateTable('monthly_remarks').set({ remark: text, updated_at: ts, updated_by: actor.userId, version: row.version + 1 }).where('id', '=', row.id).execute();
      await appendAudit(trx, { actor, action: 'update', entity: 'monthly_remark', entityId: row.id, detail: { month: m.key, teamId: scope.teamId, before: row.remark, after: text } }, now);
    } else {
      if (input.version !== undefined) throw new ApiError('CONFLICT', '這個月的督導意見已被刪除或尚未建立，請重新載入。');
      const created = await trx
        .insertInto('monthly_remarks')
        .values({ month: m.key, team_key: key, remark: text, updated_at: ts, updated_by: actor.userId, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, { actor, action: 'create', entity: 'monthly_remark', entityId: created.id, detail: { month: m.key, teamId: scope.teamId, after: text } }, now);
    }
  });
  const saved = await db.selectFrom('monthly_remarks').selectAll().where('month', '=', m.key).where('team_key', '=', key).executeTakeFirstOrThrow();
  const names = await userNames(db, [saved.updated_by]);
  return { month: m.key, teamId: scope.teamId, text: saved.remark, updatedAt: saved.updated_at, updatedBy: nameOf(names, saved.updated_by), version: saved.version };
}
