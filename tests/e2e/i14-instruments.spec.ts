import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { api, apiSignIn, DEMO_PASSWORD, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * Issue 14 §1 in Chromium (demo center, TEST_NOW 2026-05-20 = 115/05/20): the 管理者 defines a new version of
 * the seeded 六大面向 instrument - one option's score and one band changed, a bad value first each time with its
 * zh-TW message beside the field - effective from 115/06/01; the version list shows it and the old version
 * closing on 115/05/31. A 社工's case at 高 (confirmed through the API: filling the form is helper B's
 * part) last visited 115/05/01 is due on 115/05/15 (14 days); the 管理者 sets 高 to 7 days and the
 * 社工's 訪視到期 shows 115/05/08, 12 days late, on the list and on the case.
 */
test.describe.configure({ mode: 'serial' });

const SHOTS = join(process.cwd(), 'artifacts', 'issue14', 'instruments');
let host: RunningHost;
let dataDir: string;
let caseId = 0;
let worker = 'sw01';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-instruments-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('管理者: a new version of 六大面向 (a score and a band changed, bad values first), effective 115/06/01', async ({ page }) => {
  await signInDemo(page, host.url, 'admin');
  await page.getByRole('link', { name: '評估工具' }).click();
  await expect(page.getByRole('heading', { name: '評估工具', exact: true })).toBeVisible();
  const card = page.getByTestId('instrument-six-facets');
  await expect(card.getByTestId('version-six-facets-1')).toContainText('114/01/01');
  await shot(page, '01-instruments');

  await card.getByTestId('new-version-six-facets').click();
  const editor = page.getByTestId('instrument-editor');
  await expect(editor.getByRole('heading', { name: /新增版本：六大面向/ })).toBeVisible();

  // 題目 1.1, option 3 (嚴重): a score that is not a number, then 4.
  await editor.getByTestId('item-node-1.1').click();
  const option = editor.getByTestId('option-1.1-3');
  const score = option.getByRole('textbox', { name: '分數 4' });
  await expect(score).toHaveValue('3');
  await score.fill('四');
  await expect(option).toContainText('請輸入數字');
  await editor.getByRole('button', { name: '儲存版本' }).click();
  await expect(editor.getByTestId('editor-error')).toContainText('需要修正');
  await shot(page, '02-bad-score');
  await score.fill('4');
  await expect(option).not.toContainText('請輸入數字');

  // 計分規則: the band of 高 from 16; 7 is below 中's 8 (message beside it), then 14.
  await editor.getByRole('tab', { name: /計分規則/ }).click();
  const band = editor.getByTestId('band-3-2');
  const from = band.getByRole('textbox', { name: '自（分） 3' });
  await expect(from).toHaveValue('16');
  await from.fill('7');
  await expect(band).toContainText('區間的起始分數須由小到大排列');
  await expect(editor.getByRole('tab', { name: '計分規則（1）' })).toBeVisible();
  await shot(page, '03-bad-band');
  await from.fill('14');
  await expect(band).not.toContainText('區間的起始分數');

  await editor.getByRole('tab', { name: '預覽' }).click();
  await expect(editor.getByTestId('form-preview')).toContainText('嚴重（4 分）');
  await shot(page, '04-preview');

  const effective = editor.getByTestId('effective-from');
  await effective.fill('115/6/1');
  await effective.press('Tab');
  await expect(effective).toHaveValue('115/06/01');
  await editor.getByLabel('版本說明').fill('嚴重改為 4 分，高風險自 14 分起');
  await editor.getByRole('button', { name: '儲存版本' }).click();
  await expect(page.getByTestId('instruments-flash')).toHaveText('已儲存新版本');
  const v2 = card.getByTestId('version-six-facets-2');
  await expect(v2).toContainText('115/06/01');
  await expect(v2).toContainText('嚴重改為 4 分');
  await expect(card.getByTestId('version-six-facets-1')).toContainText('115/05/31');
  await expect(card.getByTestId('version-six-facets-1')).toContainText('現行');
  await shot(page, '05-versions');

  // 匯出 FHIR Questionnaire of version 2: a .json download shaped as an R4 Questionnaire.
  const [download] = await Promise.all([page.waitForEvent('download'), v2.getByRole('button', { name: '匯出 FHIR 問卷定義' }).click()]);
  expect(download.suggestedFilename()).toBe('six-facets-v2.json');
  const questionnaire = JSON.parse(readFileSync(await download.path(), 'utf8')) as { resourceType: string; effectivePeriod: { start: string }; item: { linkId: string }[] };
  expect(questionnaire.resourceType).toBe('Questionnaire');
  expect(questionnaire.effectivePeriod.start).toBe('2026-06-01');
  expect(questionnaire.item.map((i) => i.linkId)).toEqual(['1', '2', '3', '4', '5', '6']);
  await expect(page.getByTestId('instruments-flash')).toHaveText('已下載 six-facets-v2.json');

  // The saved version reads back with the new score and band.
  const saved = await api<{ versions: { id: number; versionNo: number }[] }[]>(page, 'instruments.list', {});
  const v2id = saved.flatMap((i) => i.versions).find((v) => v.versionNo === 2)?.id;
  const view = await api<{ definition: { items: { items?: { linkId: string; answerOptions?: { code: string; score?: number }[] }[] }[]; rules: { kind: string; bands?: { from: number }[] }[] } }>(page, 'instruments.version', { id: v2id });
  expect(view.definition.items[0]?.items?.find((i) => i.linkId === '1.1')?.answerOptions?.find((o) => o.code === '3')?.score).toBe(4);
  expect(view.definition.rules.find((r) => r.kind === 'band')?.bands?.map((b) => b.from)).toEqual([0, 8, 14]);
});

/** Answers every question of a definition with its lowest answer (the form is helper B's; here only the data). */
function lowestAnswers(items: { linkId: string; type: string; items?: unknown[]; answerOptions?: { code: string }[] }[]): unknown[] {
  return items.map((it) =>
    it.type === 'group'
      ? { linkId: it.linkId, items: lowestAnswers((it.items ?? []) as typeof items) }
      : { linkId: it.linkId, answers: [it.type === 'boolean' ? { boolean: false } : { code: it.answerOptions?.[0]?.code ?? '0' }] },
  );
}

test('社工: a case confirmed at 高 and last visited 115/05/01 is due 115/05/15 in 訪視到期', async ({ page }) => {
  // The small demo has six 社工 (sw01-sw06); take the first with a case in service not visited after 115/05/01.
  let target: { id: number; householdId: number } | undefined;
  for (const u of ['sw01', 'sw02', 'sw03', 'sw04', 'sw05', 'sw06']) {
    if (u === 'sw01') await signInDemo(page, host.url, u);
    else await apiSignIn(page, u, DEMO_PASSWORD);
    const mine = await api<{ rows: { id: number; householdId: number; status: string; myRole: string }[] }>(page, 'worklists.myCaseload', { status: 'active', limit: 200 });
    for (const r of mine.rows.filter((x) => x.myRole === 'lead' && ['處遇中', '短期服務'].includes(x.status))) {
      const s = await api<{ lastVisitOn: string | null }>(page, 'worklists.caseVisitSchedule', { caseId: r.id });
      if (s.lastVisitOn === null || s.lastVisitOn < '2026-05-01') {
        target = r;
        break;
      }
    }
    if (target) {
      worker = u;
      break;
    }
  }
  expect(target).toBeDefined();
  caseId = target!.id;
  await api(page, 'records.create', { householdId: target!.householdId, caseId, occurredAt: '2026-05-01T02:00:00.000Z', method: '面訪家庭', participants: [], minutes: 60, items: ['情緒支持'], narrative: '' });
  const instruments = await api<{ id: number; code: string; current: { id: number } }[]>(page, 'instruments.list', {});
  const six = instruments.find((i) => i.code === 'six-facets')!;
  const def = await api<{ definition: { items: Parameters<typeof lowestAnswers>[0] } }>(page, 'instruments.version', { id: six.current.id });
  const draft = await api<{ id: number; version: number }>(page, 'assessments.save', { householdId: target!.householdId, caseId, instrumentId: six.id, stage: 'review', assessedOn: '2026-05-20', answers: lowestAnswers(def.definition.items) });
  await api(page, 'assessments.confirm', { id: draft.id, version: draft.version, level: '高', overrideReason: '案家近期有安全疑慮，需密集訪視' });

  await page.evaluate(() => sessionStorage.clear());
  await signInDemo(page, host.url, worker);
  await page.goto(`${host.url}#/follow-ups?tab=visits`);
  const row = page.getByTestId(`visit-due-${caseId}`);
  await expect(row).toContainText('115/05/15');
  await expect(row).toContainText('5 天');
  await expect(row).toContainText('每 14 天');
  await expect(row).toContainText('115/05/01');
  await shot(page, '06-visits-due-14');
});

test('管理者: 高 visited every 7 days (a bad value first); 督導 reads the rules only', async ({ page }) => {
  await signInDemo(page, host.url, 'admin');
  await page.getByRole('link', { name: '訪視頻率設定' }).click();
  const high = page.getByTestId('visit-rule-高');
  const every = high.getByRole('textbox', { name: '高風險 訪視間隔（天）' });
  await expect(every).toHaveValue('14');
  await every.fill('0');
  await expect(high).toContainText('請輸入 1 到 730 的整數天數');
  await page.getByRole('button', { name: '儲存' }).click();
  await shot(page, '07-visit-rules-bad');
  await every.fill('7');
  await expect(high).not.toContainText('請輸入');
  await page.getByRole('button', { name: '儲存' }).click();
  await expect(page.getByTestId('visit-rules-saved')).toBeVisible();
  await expect(every).toHaveValue('7');
  await shot(page, '08-visit-rules-saved');
});

test('社工: the due date moved to 115/05/08 (12 days late), on the list, the home screen and the case', async ({ page }) => {
  await signInDemo(page, host.url, worker);
  await expect(page.getByTestId('home-count-follow-ups-tab-visits')).toHaveAttribute('aria-label', /^訪視到期 [1-9]\d*$/);
  await shot(page, '09-home');
  await page.getByTestId('home-count-follow-ups-tab-visits').click();
  const row = page.getByTestId(`visit-due-${caseId}`);
  await expect(row).toContainText('115/05/08');
  await expect(row).toContainText('12 天');
  await expect(row).toContainText('每 7 天');
  await shot(page, '10-visits-due-7');
  await page.goto(`${host.url}#/cases/${caseId}`);
  await expect(page.getByTestId('case-next-visit')).toContainText('下次訪視日 115/05/08（高風險，每 7 天）');
  await shot(page, '11-case');
});

test('督導: 訪視頻率設定 is read-only', async ({ page }) => {
  await signInDemo(page, host.url, 'sup1');
  await page.getByRole('link', { name: '訪視頻率設定' }).click();
  await expect(page.getByText('僅管理者可以修改，督導可檢視。')).toBeVisible();
  await expect(page.getByTestId('visit-rule-高').getByRole('textbox', { name: '高風險 訪視間隔（天）' })).toHaveValue('7');
  await expect(page.getByRole('button', { name: '儲存' })).toHaveCount(0);
});
