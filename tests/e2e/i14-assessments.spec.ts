import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addDays, formatRocDate, todayIso } from '../../main/contract/roc-date';
import type { AssessmentView, FhirQuestionnaireResponse, FhirResponseItem, InstrumentItem, InstrumentSummary, InstrumentVersionView } from '../../main/contract/types-assessments';
import type { CaseloadPage, RiskLevel } from '../../main/contract/types-cases';
import { api, expect, type RunningHost, seedDemoAt, signInDemo, startHost, test, TEST_NOW } from './host';

/**
 * Issue 14 §1, the worker's side: on the demo center a 社工 (sw01) opens one of her open cases, fills the
 * seeded 六大面向 instrument at intake through the form, sees the radar chart and the suggested level,
 * overrides it (first without a reason: the message beside the field, then with one) and confirms; the
 * case page shows the confirmed level. A review assessment with better answers is accepted as suggested,
 * the comparison shows the change per domain, and the FHIR download is a QuestionnaireResponse holding the
 * linkIds answered. Screenshots: artifacts/issue14/assessments/.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue14', 'assessments');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i14-assessments-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function pickOption(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label }).click();
}

/** Scored items to answer: every question outside repeating groups (those stay empty). */
function questions(items: InstrumentItem[]): InstrumentItem[] {
  return items.flatMap((i) => (i.type === 'group' ? (i.repeats ? [] : questions(i.items ?? [])) : i.type === 'display' ? [] : [i]));
}

/**
 * Answers the form through the UI. `worse`: risk items get their highest-scoring answer and protective
 * items their lowest; otherwise the reverse. Unscored items are filled only when required.
 */
async function fillForm(page: Page, items: InstrumentItem[], worse: boolean, today: string): Promise<string[]> {
  const answered: string[] = [];
  for (const item of questions(items)) {
    const box = page.getByTestId(`item-${item.linkId}`);
    const scored = item.domain !== undefined && item.factor !== undefined;
    if (!scored && !item.required) continue;
    const high = scored ? (item.factor === 'risk') === worse : false;
    switch (item.type) {
      case 'choice':
      case 'open-choice': {
        const options = [...(item.answerOptions ?? [])].sort((a, b) => (a.score ?? 0) - (b.score ?? 0));
        const chosen = high ? options[options.length - 1] : options[0];
        if (!chosen) continue;
        if (options.length <= 6) await box.getByRole(item.repeats ? 'checkbox' : 'radio', { name: chosen.display, exact: true }).check();
        else await pickOption(page, `item-${item.linkId}`, chosen.display);
        break;
      }
      case 'boolean': {
        const score = (v: boolean) => item.answerOptions?.find((o) => o.code === String(v))?.score ?? (v ? 1 : 0);
        const yes = high ? score(true) >= score(false) : score(true) < score(false);
        await box.getByRole('radio').nth(yes ? 0 : 1).check();
        break;
      }
      case 'integer':
      case 'decimal':
        await box.fill(String(high ? (item.max ?? 1) : (item.min ?? 0)));
        break;
      case 'string':
      case 'text':
        await box.fill('測試填答');
        break;
      case 'date':
        await box.fill(formatRocDate(today));
        await box.press('Tab');
        break;
      case 'reference':
        await box.click();
        await page.getByRole('option').first().click();
        break;
      default:
        continue;
    }
    answered.push(item.linkId);
  }
  return answered;
}

function fhirLinkIds(items: FhirResponseItem[]): string[] {
  return items.flatMap((i) => [...(i.answer?.length ? [i.linkId] : []), ...fhirLinkIds(i.item ?? [])]);
}

const otherLevel = (l: RiskLevel | null): RiskLevel => (l === '高' ? '中' : '高');

test('a worker assesses a case at intake, overrides the level with a reason, reassesses and compares; FHIR export', async ({ page }) => {
  const today = todayIso(new Date(TEST_NOW));
  await signInDemo(page, host.url, 'sw01');

  // One of sw01's open cases (處遇中 if she has one); the intake assessment is dated back three weeks, or to
  // the day the case was received if that is later.
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'active', limit: 200 });
  const open = mine.rows.filter((r) => r.status !== '已結案' && r.status !== '不開案');
  const target = open.find((r) => r.status === '處遇中') ?? open[0];
  expect(target, `an open case of sw01 among ${JSON.stringify(mine.rows.map((r) => [r.status, r.myRole]))}`).toBeTruthy();
  const caseId = target!.id;
  const received = todayIso(new Date(target!.receivedAt));
  const intakeOn = received > addDays(today, -21) ? received : addDays(today, -21);

  const instruments = await api<InstrumentSummary[]>(page, 'instruments.list', {});
  const six = instruments.find((i) => i.name.includes('六大面向'));
  expect(six, 'the seeded 六大面向 instrument').toBeTruthy();
  const def = (await api<InstrumentVersionView>(page, 'instruments.version', { instrumentId: six!.id, on: intakeOn })).definition;

  // The case page has the assessments panel; 新增評估 opens the form for this case.
  await page.goto(`${host.url}#/cases/${caseId}`);
  const panel = page.getByTestId('assessments-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('assessments-add').click();
  await expect(page).toHaveURL(new RegExp(`#/assessments/new\\?householdId=${target!.householdId}&caseId=${caseId}$`));

  // Date defaults to today in ROC; the intake is dated three weeks back.
  const date = page.getByTestId('assessment-date');
  await expect(date).toHaveValue(formatRocDate(today));
  await pickOption(page, 'assessment-instrument', six!.name);
  await pickOption(page, 'assessment-stage', '開案評估');
  await date.fill(formatRocDate(intakeOn));
  await date.press('Tab');
  await expect(page.getByTestId('assessment-form')).toBeVisible();
  const answered = await fillForm(page, def.items, true, intakeOn);
  expect(answered.length).toBeGreaterThan(5);

  // The live preview scores as one types.
  const preview = page.getByTestId('live-preview');
  await expect(preview.getByTestId('radar-chart')).toBeVisible();
  await expect(preview.getByTestId('live-preview-level')).toContainText('風險');
  await shot(page, '01-intake-form');

  await page.getByTestId('assessment-save').click();
  await expect(page).toHaveURL(/#\/assessments\/\d+$/);
  const intakeId = Number(/#\/assessments\/(\d+)$/.exec(page.url())![1]);
  const draft = await api<AssessmentView>(page, 'assessments.get', { id: intakeId });
  expect(draft.stage).toBe('intake');
  expect(draft.assessedOn).toBe(intakeOn);
  expect(draft.suggestedLevel).not.toBeNull();

  // The saved result: radar with one axis per domain, the suggested level and its reasons.
  const result = page.getByTestId('result-panel');
  await expect(result.getByTestId('radar-axis')).toHaveCount(def.domains.length);
  for (const d of def.domains) await expect(result.getByTestId('radar-chart')).toContainText(d.label);
  await expect(result.getByTestId('result-panel-level')).toHaveText(`${draft.suggestedLevel}風險`);
  await expect(result.getByTestId('result-panel-reasons')).toContainText(draft.result.reasons[0]!);
  await expect(page.getByTestId('assessment-title')).toContainText(formatRocDate(intakeOn));
  expect(await page.locator('body').innerText()).not.toMatch(WESTERN_YEAR);

  // Override: another level without a reason is refused beside the reason field.
  const chosen = otherLevel(draft.suggestedLevel);
  const confirmBox = page.getByTestId('confirm-box');
  await confirmBox.getByTestId('confirm-other').check();
  await pickOption(page, 'confirm-level', `${chosen}風險`);
  await confirmBox.getByTestId('confirm-submit').click();
  await expect(confirmBox.getByText('等級與系統建議不同，請填寫調整原因')).toBeVisible();
  await shot(page, '02-override-needs-reason');
  expect((await api<AssessmentView>(page, 'assessments.get', { id: intakeId })).confirmedLevel).toBeNull();

  await confirmBox.getByTestId('confirm-reason').fill('主要照顧者近日住院，家中幼兒照顧中斷，依實務判斷調整。');
  await confirmBox.getByTestId('confirm-submit').click();
  const confirmed = page.getByTestId('confirmed-box');
  await expect(confirmed.getByTestId('confirmed-level')).toHaveText(`${chosen}風險`);
  await expect(confirmed.getByTestId('confirmed-reason')).toContainText('主要照顧者近日住院');
  const after = await api<AssessmentView>(page, 'assessments.get', { id: intakeId });
  expect(after.confirmedLevel).toBe(chosen);
  expect(after.overrideReason).toContain('主要照顧者近日住院');
  if (after.reassessDue) await expect(confirmed.getByTestId('reassess-due')).toContainText(formatRocDate(after.reassessDue));
  await expect(confirmed.getByTestId('visit-frequency')).toContainText('天訪視一次');
  // Read-only now: the answers as text, no form.
  await expect(page.getByTestId('answers-view')).toBeVisible();
  await expect(page.getByTestId('assessment-form')).toHaveCount(0);
  await shot(page, '03-intake-confirmed');

  // The case shows the confirmed level.
  await page.goto(`${host.url}#/cases/${caseId}`);
  await expect(page.getByTestId('case-details').getByText('風險等級').locator('..')).toContainText(chosen);
  await expect(page.getByTestId(`assessment-row-${intakeId}`)).toContainText(`${chosen}風險`);

  // A review assessment today with better answers, confirmed as suggested.
  await page.getByTestId('assessments-add').click();
  await pickOption(page, 'assessment-instrument', six!.name);
  await pickOption(page, 'assessment-stage', '定期再評估');
  const reviewDef = (await api<InstrumentVersionView>(page, 'instruments.version', { instrumentId: six!.id, on: today })).definition;
  await expect(page.getByTestId('assessment-form')).toBeVisible();
  await fillForm(page, reviewDef.items, false, today);
  await page.getByTestId('assessment-save').click();
  await expect(page).toHaveURL(/#\/assessments\/\d+$/);
  const reviewId = Number(/#\/assessments\/(\d+)$/.exec(page.url())![1]);
  expect(reviewId).not.toBe(intakeId);
  const review = await api<AssessmentView>(page, 'assessments.get', { id: reviewId });
  await page.getByTestId('confirm-box').getByTestId('confirm-submit').click();
  await expect(page.getByTestId('confirmed-level')).toHaveText(`${review.suggestedLevel}風險`);

  // Compare the two from the case page.
  await page.goto(`${host.url}#/cases/${caseId}`);
  await page.getByTestId(`assessment-pick-${reviewId}`).check();
  await page.getByTestId(`assessment-pick-${intakeId}`).check();
  await page.getByTestId('assessments-compare').click();
  await expect(page).toHaveURL(new RegExp(`#/assessments/compare\\?earlier=${intakeId}&later=${reviewId}$`));
  await expect(page.getByTestId('radar-earlier')).toHaveCount(1);
  await expect(page.getByTestId('radar-current')).toHaveCount(1);
  await expect(page.getByTestId('level-before')).toHaveText(`${chosen}風險`);
  await expect(page.getByTestId('level-after')).toHaveText(`${review.suggestedLevel}風險`);
  const table = page.getByTestId('compare-table');
  await expect(table.getByRole('row')).toHaveCount(def.domains.length + 1);
  // Risk went down somewhere (a − in green), and no domain's risk went up.
  const riskChanges = await table.getByTestId('risk-change').allInnerTexts();
  expect(riskChanges.some((t) => t.startsWith('−'))).toBe(true);
  expect(riskChanges.some((t) => t.startsWith('+'))).toBe(false);
  const down = table.getByTestId('risk-change').filter({ hasText: '−' }).first();
  const [r, g] = (await down.evaluate((el) => getComputedStyle(el).color)).match(/\d+/g)!.map(Number);
  expect(g!, 'a fall in risk is green').toBeGreaterThan(r!);
  expect(await page.locator('body').innerText()).not.toMatch(WESTERN_YEAR);
  await shot(page, '04-compare');

  // FHIR: the download parses, is a QuestionnaireResponse and holds the linkIds answered.
  await page.goto(`${host.url}#/assessments/${intakeId}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('assessment-fhir').click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const fhir = JSON.parse(readFileSync((await download.path())!, 'utf8')) as FhirQuestionnaireResponse;
  expect(fhir.resourceType).toBe('QuestionnaireResponse');
  expect(fhir.status).toBe('completed');
  const ids = new Set(fhirLinkIds(fhir.item));
  for (const id of answered) expect(ids.has(id), `linkId ${id} in the export`).toBe(true);
});
