/**
 * Demo assessments (issue 14 §1): the seeded 六大面向 instrument filled for a few cases in treatment,
 * an intake about four months before `now` (115年第1季 at the e2e clock) and, for the first cases, a
 * review two months later where things improved, so a pair can be compared. Each is confirmed by its
 * case's lead worker at the suggested level, except one overridden with a reason; the case's risk level
 * is set to the latest confirmed level, the reassessment date follows the visit-frequency rules.
 */
import { scoreAssessment } from '../contract/assessment-scoring';
import { addDays, todayIso } from '../contract/roc-date';
import type { AssessmentStage, InstrumentDefinition, ResponseItem } from '../contract/types-assessments';
import type { RiskLevel } from '../contract/types-cases';
import type { DemoContext } from './index';

const CASES = 6;
const REVIEWED = 3;

export async function seedAssessments(ctx: DemoContext): Promise<void> {
  const { db, now, rng } = ctx;
  const today = todayIso(now);
  const intakeOn = addDays(today, -120);
  const reviewOn = addDays(today, -60);
  const ins = await db.selectFrom('instruments').select('id').where('code', '=', 'six-facets').executeTakeFirst();
  if (!ins) return;
  const version = await db
    .selectFrom('instrument_versions')
    .selectAll()
    .where('instrument_id', '=', ins.id)
    .where('effective_from', '<=', intakeOn)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', reviewOn)]))
    .orderBy('effective_from', 'desc')
    .executeTakeFirst();
  if (!version) return;
  const def = JSON.parse(version.definition) as InstrumentDefinition;
  const rules = new Map((await db.selectFrom('visit_frequency_rules').selectAll().execute()).map((r) => [r.level, r.reassess_every_days]));
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'household_id', 'lead_worker_id', 'team_id', 'version'])
    .where('status', '=', '處遇中')
    .where('lead_worker_id', 'is not', null)
    .where('opened_on', '<=', intakeOn)
    .orderBy('id')
    .limit(CASES)
    .execute();

  /** Answers with each risk item around `risk` (0-3) and each protective item around `prot` (0-2). */
  const answers = (risk: number, prot: number): ResponseItem[] =>
    def.items.map((g) => ({
      linkId: g.linkId,
      items: (g.items ?? []).map((i) => {
        if (i.type === 'boolean') return { linkId: i.linkId, answers: [{ boolean: false }] };
        const base = i.factor === 'risk' ? risk : prot;
        const top = i.factor === 'risk' ? 3 : 2;
        return { linkId: i.linkId, answers: [{ code: String(Math.max(0, Math.min(top, base + rng.int(-1, 1)))) }] };
      }),
    }));

  await db.transaction().execute(async (trx) => {
    for (const [n, c] of cases.entries()) {
      const worker = c.lead_worker_id as number;
      const fill = async (stage: AssessmentStage, on: string, given: ResponseItem[], override?: { level: RiskLevel; reason: string }) => {
        const result = scoreAssessment(def, given);
        const level = override?.level ?? result.level ?? '中';
        const at = new Date(`${on}T08:00:00.000Z`).toISOString();
        const every = rules.get(level);
        await trx
          .insertInto('assessments')
          .values({
            household_id: c.household_id,
            case_id: c.id,
            concern_id: null,
            instrument_version_id: version.id,
            stage,
            assessed_on: on,
            worker_id: worker,
            team_id: c.team_id,
            answers: JSON.stringify(given),
            result: JSON.stringify(result),
            suggested_level: result.level,
            confirmed_level: level,
            override_reason: override && override.level !== result.level ? override.reason : null,
            confirmed_at: at,
            confirmed_by: worker,
            reassess_due: every === undefined ? null : addDays(on, every),
            created_at: at,
            created_by: worker,
            updated_at: at,
            updated_by: worker,
            version: 1,
          })
          .execute();
        return level;
      };
      const risk = n % 3 === 0 ? 2 : 1;
      let level = await fill('intake', intakeOn, answers(risk, 0), n === 1 ? { level: '高', reason: '案主近期情緒不穩且拒絕就醫，提高追蹤頻率。' } : undefined);
      if (n < REVIEWED) level = await fill('review', reviewOn, answers(Math.max(0, risk - 1), 2));
      await trx.updateTable('cases').set({ risk_level: level, version: c.version + 1 }).where('id', '=', c.id).execute();
    }
  });
}
