/**
 * Demo programmes, child development accounts, meetings and outreach (issue 6 §7),
 * over the year before `now`, at the seeds' center scale (001: about 35
 * programmes, 60 meetings and 27 outreach events a year; fewer at `small`).
 *
 * Programmes get sessions with attendance (mostly 出席, some 請假 / 缺席) and
 * enrolments that complete or withdraw once a programme has ended. Eligible
 * children (born 2016+, 低收 / 中低收 households) mostly hold an account whose
 * deposits have realistic gaps: steady savers, irregular ones, and some who
 * stopped (they fill the no-deposit list).
 */
import { addDays, addMonths, todayIso, toRocYear } from '../contract/roc-date';
import { ACCOUNT_BORN_FROM, DEPOSIT_AMOUNTS, PROGRAMME_TYPES, type ProgrammeType } from '../contract/types-programmes';
import { appendAudit } from '../services/audit/log';
import type { DemoContext } from './index';

const TOPICS: Record<ProgrammeType, string[]> = {
  脫貧自立: ['家庭理財與記帳', '儲蓄計畫', '職涯探索', '債務協商說明', '創業入門'],
  兒少教育發展帳戶: ['帳戶說明會', '親子理財', '儲蓄目標設定'],
  育兒指導: ['嬰幼兒照顧', '副食品製作', '兒童發展篩檢', '居家安全'],
  家庭支持: ['家庭關係', '壓力調適', '照顧者喘息', '家庭聚會'],
  團體工作: ['自我探索', '情緒管理', '人際溝通', '團體回顧'],
  親職教育: ['正向教養', '親子溝通', '3C 使用約定', '管教與界限'],
  社區宣導: ['兒少保護', '家暴防治', '社會福利資源'],
  就業促進: ['履歷撰寫', '面試技巧', '職場參訪', '職業訓練說明'],
};
const PARTNERS = ['南投家扶中心', '財團法人愛鄰社福基金會', '南投就業中心', '社團法人南投縣婦女協會', null];
const FUNDERS = ['衛生福利部社會及家庭署', '南投縣政府', '公益彩券回饋金', '勞動部'];
const PLACES = ['中心團體室', '中興里活動中心', '平和里活動中心', '南投國小', '縣立圖書館'];
const UNITS = ['衛生所', '警察分局', '國小輔導室', '國中輔導室', '家扶中心', '就業服務站', '里辦公處', '醫院社工室', '公所社會課'];

export async function seedProgrammes(ctx: DemoContext): Promise<void> {
  const { db, rng, now, staff } = ctx;
  const factor = ctx.scale.name === 'small' ? 0.3 : ctx.scale.name === 'city' ? 4 : 1;
  const today = todayIso(now);
  const yearAgo = addMonths(today, -12);
  const ts = now.toISOString();
  const staffIds = [...staff.workers, ...staff.supervisors];
  const dayBetween = (from: string, to: string) => {
    const span = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
    return addDays(from, rng.int(0, span));
  };

  const members = await db
    .selectFrom('household_members as m')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select(['m.household_id', 'm.person_id', 'p.birth_date', 'p.income_status', 'm.created_by'])
    .where('m.left_on', 'is', null)
    .execute();
  const lowHouseholds = new Set(members.filter((x) => x.income_status === 'low' || x.income_status === 'mid-low').map((x) => x.household_id));
  const adults = members.filter((x) => x.birth_date !== null && x.birth_date <= addMonths(today, -18 * 12));
  const lowAdults = adults.filter((x) => lowHouseholds.has(x.household_id));

  await db.transaction().execute(async (trx) => {
    // --- programmes, enrolment, sessions, attendance -------------------------------------
    const programmes = Math.max(6, Math.round(35 * factor));
    for (let i = 0; i < programmes; i++) {
      const type = i < 4 ? (['脫貧自立', '親職教育', '育兒指導', '就業促進'] as const)[i] as ProgrammeType : rng.pick(PROGRAMME_TYPES);
      const startsOn = dayBetween(addMonths(yearAgo, -2), addMonths(today, 1));
      const endsOn = addMonths(startsOn, rng.pick([3, 4, 6, 10, 12]));
      const status = startsOn > today ? 'planned' : endsOn < today ? 'ended' : 'running';
      const workerId = staffIds.length ? rng.pick(staffIds) : null;
      const targetSessions = rng.int(4, 12);
      const targetPeople = rng.int(8, 25);
      const p = await trx
        .insertInto('programmes')
        .values({
          name: `${toRocYear(Number(startsOn.slice(0, 4)))}年度${type}${rng.pick(['方案', '團體', '計畫', '系列活動'])}${i + 1}`,
          programme_type: type,
          starts_on: startsOn,
          ends_on: endsOn,
          funder: rng.pick(FUNDERS),
          partner: rng.pick(PARTNERS),
          target_people: targetPeople,
          target_sessions: targetSessions,
          worker_id: workerId,
          status,
          notes: null,
          created_at: ts,
          created_by: workerId,
          updated_at: ts,
          updated_by: workerId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (status === 'planned') continue;
      const pool = type === '脫貧自立' && lowAdults.length > 10 ? lowAdults : adults;
      const chosen = new Map<number, (typeof pool)[number]>();
      const want = Math.min(pool.length, rng.int(Math.round(targetPeople * 0.6), targetPeople));
      for (let k = 0; k < want * 3 && chosen.size < want; k++) {
        const who = rng.pick(pool);
        chosen.set(who.person_id, who);
      }
      const enrolments: { id: number; withdrewOn: string | null }[] = [];
      for (const who of chosen.values()) {
        const withdrew = rng.chance(0.12);
        const lastDay = endsOn < today ? endsOn : today;
        const withdrewOn = withdrew ? dayBetween(startsOn, lastDay) : null;
        const ended = status === 'ended' || withdrew;
        const e = await trx
          .insertInto('programme_enrolments')
          .values({
            programme_id: p.id,
            person_id: who.person_id,
            household_id: who.household_id,
            enrolled_on: startsOn,
            ended_on: withdrew ? withdrewOn : status === 'ended' ? endsOn : null,
            status: withdrew ? 'withdrew' : ended ? 'completed' : 'enrolled',
            outcome: ended && !withdrew ? rng.pick(['完成全部課程', '建立儲蓄習慣', '順利就業', '親子關係改善', null]) : null,
            created_at: ts,
            created_by: workerId,
            updated_at: ts,
            updated_by: workerId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        enrolments.push({ id: e.id, withdrewOn });
      }
      const lastDay = endsOn < today ? endsOn : addDays(today, -1);
      const sessions = status === 'ended' ? targetSessions : Math.max(1, Math.round((targetSessions * Math.max(0, Date.parse(lastDay) - Date.parse(startsOn))) / Math.max(1, Date.parse(endsOn) - Date.parse(startsOn))));
      const dates = Array.from({ length: sessions }, () => dayBetween(startsOn, lastDay < startsOn ? startsOn : lastDay)).sort();
      for (const heldOn of dates) {
        const s = await trx
          .insertInto('programme_sessions')
          .values({ programme_id: p.id, held_on: heldOn, place: rng.pick(PLACES), topic: rng.pick(TOPICS[type]), hours: rng.pick([1.5, 2, 2, 3]), facilitator: rng.pick(['王講師', '李心理師', '陳社工', '林督導', null]), created_at: ts, created_by: workerId })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const e of enrolments) {
          if (e.withdrewOn !== null && e.withdrewOn < heldOn) continue;
          const r = rng.next();
          await trx
            .insertInto('programme_attendance')
            .values({ session_id: s.id, enrolment_id: e.id, status: r < 0.8 ? '出席' : r < 0.9 ? '請假' : '缺席', recorded_at: ts, recorded_by: workerId })
            .execute();
        }
      }
    }

    // --- child development accounts ---------------------------------------------------------
    const kids = members.filter((x) => x.birth_date !== null && x.birth_date >= ACCOUNT_BORN_FROM && x.birth_date < today && lowHouseholds.has(x.household_id));
    const lastMonthStart = `${addMonths(today, -1).slice(0, 7)}-01`;
    for (const kid of kids) {
      if (!rng.chance(0.85)) continue;
      const earliest = (kid.birth_date as string) > addMonths(today, -36) ? (kid.birth_date as string) : addMonths(today, -36);
      const openedOn = dayBetween(earliest, addMonths(today, -1));
      const monthly = rng.pick(DEPOSIT_AMOUNTS);
      const a = await trx
        .insertInto('child_accounts')
        .values({ person_id: kid.person_id, household_id: kid.household_id, opened_on: openedOn, monthly_amount: monthly, account_no: `0${rng.int(10_000_000, 99_999_999)}`, closed_on: null, created_at: ts, created_by: kid.created_by, updated_at: ts, updated_by: kid.created_by })
        .returning('id')
        .executeTakeFirstOrThrow();
      const habit = rng.next(); // < 0.65 steady, < 0.85 irregular, else stopped
      const stopAfter = addMonths(openedOn, rng.int(1, 12));
      for (let month = openedOn.slice(0, 7); `${month}-01` <= lastMonthStart; month = addMonths(`${month}-01`, 1).slice(0, 7)) {
        const pays = habit < 0.65 ? rng.chance(0.95) : habit < 0.85 ? rng.chance(0.55) : `${month}-01` < stopAfter && rng.chance(0.9);
        if (!pays) continue;
        const day = `${month}-${String(rng.int(1, 28)).padStart(2, '0')}`;
        const depositedOn = day < openedOn ? openedOn : day > today ? today : day;
        await trx.insertInto('child_deposits').values({ account_id: a.id, month: depositedOn.slice(0, 7), deposited_on: depositedOn, amount: monthly, source: 'manual', created_at: ts, created_by: kid.created_by }).execute();
      }
    }

    // --- meetings and outreach -------------------------------------------------------------------
    const meetings = Math.max(8, Math.round(60 * factor));
    const caseNos = (await trx.selectFrom('cases').select('case_no').limit(200).execute()).map((c) => c.case_no);
    for (let i = 0; i < meetings; i++) {
      const conference = rng.chance(0.4);
      const heldOn = dayBetween(yearAgo, today);
      const units = [...new Set(Array.from({ length: rng.int(2, 5) }, () => rng.pick(UNITS)))];
      const discussed = conference && caseNos.length ? [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(caseNos)))] : [];
      const by = staffIds.length ? rng.pick(staffIds) : null;
      await trx
        .insertInto('meetings')
        .values({
          kind: conference && discussed.length ? '個案研討' : '聯繫會議',
          held_on: heldOn,
          title: conference ? '個案研討會議' : `${rng.pick(['學校', '社區', '醫療', '就業'])}網絡聯繫會議`,
          units: JSON.stringify(units),
          cases_discussed: JSON.stringify(discussed),
          decisions: rng.pick(['持續追蹤，下月再議', '轉介就業服務站', '請學校協助觀察', '增加家訪頻率', null]),
          created_at: ts,
          created_by: by,
          updated_at: ts,
          updated_by: by,
        })
        .execute();
    }
    const outreach = Math.max(5, Math.round(27 * factor));
    for (let i = 0; i < outreach; i++) {
      const by = staffIds.length ? rng.pick(staffIds) : null;
      await trx
        .insertInto('outreach_events')
        .values({ held_on: dayBetween(yearAgo, today), place: rng.pick(PLACES), topic: rng.pick(TOPICS['社區宣導']), attendees: rng.int(15, 120), partner: rng.pick(PARTNERS), created_at: ts, created_by: by, updated_at: ts, updated_by: by })
        .execute();
    }
    await appendAudit(trx, { actor: null, actorLabel: '示範資料', action: 'import', entity: 'demo', detail: { domain: 'programmes', programmes, meetings, outreach } }, now);
  });
}
