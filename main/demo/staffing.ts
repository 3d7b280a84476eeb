/**
 * Demo staffing (issue 13 §6): the center's approved positions and who fills them, at the scale of
 * its staff (seeds 001: 社福中心 督導 and 社工 under 強化社會安全網, a few 地方自籌 and 公益彩券 posts).
 *
 * Every supervisor and worker of the demo holds a 社安網 post since two years before `now`; beside
 * them, this year (115年 at the e2e clock) has a vacancy: a 社工員 who left on the 15th, four months
 * before `now`, and is not yet replaced, and a post approved on 1 January and filled only two months
 * later, so the months before it read below 85%. A 公益彩券 post was cut at the end of last year.
 * Names typed for staff without an account are fictional.
 */
import { addDays, addMonths, todayIso } from '../contract/roc-date';
import type { FundingLine, PositionTitle } from '../contract/types-staffing';
import { appendAudit } from '../services/audit/log';
import type { DemoContext } from './index';

export async function seedStaffing(ctx: DemoContext): Promise<void> {
  const { db, now, staff } = ctx;
  const today = todayIso(now);
  const year = Number(today.slice(0, 4));
  const jan1 = `${year}-01-01`;
  const twoYearsAgo = `${year - 2}-01-01`;
  const left = addDays(`${addMonths(today, -4).slice(0, 7)}-01`, 14);
  const ts = now.toISOString();
  const by = staff.admins[0] ?? null;
  const stamp = { created_at: ts, created_by: by, updated_at: ts, updated_by: by };

  await db.transaction().execute(async (trx) => {
    const position = async (fundingLine: FundingLine, title: PositionTitle, approvedFrom: string, extra: { label?: string; approvedTo?: string } = {}) =>
      (
        await trx
          .insertInto('staff_positions')
          .values({ funding_line: fundingLine, title, label: extra.label ?? null, approved_from: approvedFrom, approved_to: extra.approvedTo ?? null, notes: null, ...stamp })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const fill = async (positionId: number, who: { userId: number } | { name: string }, startedOn: string, endedOn: string | null = null) => {
      await trx
        .insertInto('staff_fills')
        .values({ position_id: positionId, user_id: 'userId' in who ? who.userId : null, staff_name: 'name' in who ? who.name : null, started_on: startedOn, ended_on: endedOn, ...stamp })
        .execute();
    };

    for (const userId of staff.supervisors) await fill(await position('ssn', '社工督導', twoYearsAgo), { userId }, twoYearsAgo);
    for (const userId of staff.workers) await fill(await position('ssn', '社工員', twoYearsAgo), { userId }, twoYearsAgo);
    await fill(await position('ssn', '社工員', twoYearsAgo, { label: '脫貧業務' }), { name: '陳怡君' }, `${year - 2}-03-01`, left);
    await fill(await position('ssn', '社工員', jan1, { label: '第二期新增' }), { name: '林佩蓉' }, addDays(addMonths(jan1, 2), 1));
    await fill(await position('local', '社工員', twoYearsAgo), { name: '黃志豪' }, twoYearsAgo);
    await fill(await position('local', '行政人員', twoYearsAgo), { name: '吳淑華' }, twoYearsAgo);
    const cutOn = `${year - 1}-12-31`;
    await fill(await position('lottery', '社工員', `${year - 1}-01-01`, { approvedTo: cutOn, label: '方案人力' }), { name: '張雅婷' }, `${year - 1}-02-01`, cutOn);
    await appendAudit(trx, { actor: null, actorLabel: '示範資料', action: 'import', entity: 'demo', detail: { domain: 'staffing' } }, now);
  });
}
