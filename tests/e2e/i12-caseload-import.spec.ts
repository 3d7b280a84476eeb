import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ImportBatchView, ImportRowsPage } from '../../main/contract/methods/imports';
import { makeNationalId } from '../../main/contract/national-id';
import type { SearchResult } from '../../main/contract/types-households';
import { buildCaseloadFile, type CaseloadFile, type KnownPerson } from '../fixtures/imports/caseload-file';
import { api, expect, type RunningHost, seedDemoAt, startHost, test, testToday } from './host';

/**
 * Issue 12, "Done when": an administrator imports a 個案名冊 of 200 households made by the generator
 * (tests/fixtures/imports/caseload-file.ts) with 10 planted errors of different kinds, 5 people already in the
 * database (registered through the API first) and 3 duplicates inside the file. The dry run shows exactly
 * those counts and each error's cell; the commit writes exactly the rest (checked per row through the API:
 * households, cases, no known person duplicated, new people findable by search); the undo removes them
 * (gone from search, the known people still there once). Screenshots: artifacts/issue12/caseload/.
 */
test.describe.configure({ mode: 'serial', timeout: 600_000 });

const PASSWORD = 'demo1234';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue12', 'caseload');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i12-caseload-'));
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

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function pickOption(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label }).click();
}

/** Persons with this exact name among the search hits. */
async function personsNamed(page: Page, name: string): Promise<number[]> {
  const r = await api<SearchResult>(page, 'search.query', { q: name, limit: 50 });
  return [...new Set(r.hits.flatMap((h) => h.members.filter((m) => m.name === name).map((m) => m.personId)))];
}

async function allRows(page: Page, batchId: number): Promise<ImportRowsPage['rows']> {
  const out: ImportRowsPage['rows'] = [];
  for (let p = 1; ; p++) {
    const r = await api<ImportRowsPage>(page, 'imports.rows', { batchId, page: p, pageSize: 500 });
    out.push(...r.rows);
    if (out.length >= r.total) return out;
  }
}

test('an administrator imports a caseload list of 200 households: exact counts, error cells, commit, undo', async ({ page }) => {
  await signIn(page, 'admin');

  // Five people already known to the center, registered through the API.
  const known: KnownPerson[] = Array.from({ length: 5 }, (_, i) => ({
    name: `舊${'甲乙丙丁戊'[i]}檜`,
    nationalId: makeNationalId('Q', i % 2 === 0 ? '1' : '2', String(7_100_000 + i)),
    birthDate: `196${i}-0${i + 1}-1${i}`,
  }));
  for (const k of known) await api(page, 'persons.create', { name: k.name, nationalId: k.nationalId, birthDate: k.birthDate });
  for (const k of known) expect(await personsNamed(page, k.name)).toHaveLength(1);

  const file: CaseloadFile = buildCaseloadFile({ households: 200, errors: 10, duplicates: 3, known, workers: ['sw01', 'sw02', 'sw03'], today: testToday(), seed: 20260520 });
  expect(file.counts).toMatchObject({ error: 10, match: 5, duplicate: 3 });
  const errors = file.expected.filter((e) => e.status === 'error');
  expect(new Set(errors.map((e) => e.kind)).size).toBe(10);
  const toWrite = file.counts.new + file.counts.match;

  // 1. Kind, source, file.
  await page.getByRole('navigation').getByText('資料匯入').click();
  await expect(page.getByRole('heading', { name: '資料匯入' })).toBeVisible();
  await pickOption(page, 'import-kind', '個案名冊');
  await page.getByTestId('import-source').fill('本中心舊個案名冊');
  await page.locator('input[type="file"]').setInputFiles({ name: '個案名冊.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(file.bytes) });
  await shot(page, '01-file');
  await page.getByTestId('import-file-next').click();

  // 2. Sheet and header row (row 1, detected).
  await expect(page.getByTestId('import-sheet-step')).toBeVisible();
  await expect(page.getByTestId('import-header-row')).toHaveText('標題列：第 1 列');
  await shot(page, '02-sheet');
  await page.getByTestId('import-sheet-next').click();

  // 3. The mapping comes from the headers.
  await expect(page.getByTestId('import-mapping-step')).toBeVisible();
  await expect(page.getByTestId('map-name')).toHaveValue('C 欄：姓名');
  await expect(page.getByTestId('map-nationalId')).toHaveValue('D 欄：身分證字號');
  await expect(page.getByTestId('map-householdKey')).toHaveValue('A 欄：戶號');
  await expect(page.getByTestId('map-leadWorker')).toHaveValue('S 欄：主責社工');
  await shot(page, '03-mapping');
  await page.getByTestId('import-dryrun').click();

  // 4. The dry run: exactly the planted counts, and each error's cell.
  await expect(page.getByTestId('import-check-step')).toBeVisible({ timeout: 120_000 });
  const chips = page.getByTestId('import-counts');
  await expect(chips.getByTestId('chip-new')).toHaveText(`新增 ${file.counts.new}`);
  await expect(chips.getByTestId('chip-match')).toHaveText('已存在 5');
  await expect(chips.getByTestId('chip-error')).toHaveText('錯誤 10');
  await expect(chips.getByTestId('chip-duplicate')).toHaveText(/重複 3$/);
  await expect(chips.getByTestId('chip-decide')).toHaveText('待決定 0');
  await shot(page, '04-check');
  await chips.getByTestId('chip-error').click();
  for (const e of errors) await expect(page.getByTestId(`import-row-${e.line}`)).toContainText(`第 ${e.line} 列 ${e.col} 欄`);
  await shot(page, '05-check-errors');
  expect(await page.locator('main').innerText()).not.toMatch(WESTERN_YEAR);
  await chips.getByTestId('chip-duplicate').click();
  for (const d of file.expected.filter((x) => x.status === 'duplicate')) await expect(page.getByTestId(`import-row-${d.line}`)).toContainText(`與第 ${d.ofLine} 列相同`);
  await chips.getByTestId('chip-match').click();
  await shot(page, '06-check-match');
  await chips.getByTestId('chip-all').click();

  // 5. Commit.
  await expect(page.getByTestId('import-commit')).toHaveText(`匯入 ${toWrite} 筆`);
  await page.getByTestId('import-commit').click();
  const confirm = page.getByTestId('import-commit-confirm');
  await expect(confirm).toContainText(`確認匯入 ${toWrite} 筆？`);
  await confirm.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('import-done-counts')).toContainText(`已寫入 ${toWrite} 筆`);
  await shot(page, '07-done');
  expect(await page.locator('main').innerText()).not.toMatch(WESTERN_YEAR);
  const batchNo = (await page.getByTestId('import-batch-no').innerText()).trim();
  const batches = await api<{ rows: ImportBatchView[] }>(page, 'imports.batches', { kind: 'caseload' });
  const batch = batches.rows.find((b) => b.batchNo === batchNo) as ImportBatchView;
  expect(batch.state).toBe('committed');

  // Exactly the rest, row by row: each new person created, each known one matched, households and cases as planned.
  const rows = await allRows(page, batch.id);
  expect(rows).toHaveLength(file.counts.rows);
  const outcome = (status: string) => rows.filter((r) => r.status === status);
  expect(outcome('new').every((r) => r.outcome?.startsWith('新增個人'))).toBe(true);
  expect(outcome('match').every((r) => /^(更新|比對到)個人/.test(r.outcome ?? ''))).toBe(true);
  expect(rows.filter((r) => r.outcome?.includes('新增家戶'))).toHaveLength(file.counts.households);
  expect(rows.filter((r) => /個案 \d{3}-\d{6}/.test(r.outcome ?? ''))).toHaveLength(file.counts.cases);
  for (const k of known) expect(await personsNamed(page, k.name)).toHaveLength(1);
  const newNames = file.expected.filter((e) => e.status === 'new').slice(0, 400).filter((_, i) => i % 80 === 0).map((e) => file.rows[e.line - 2]?.cells.name?.text as string);
  for (const n of newNames) expect((await personsNamed(page, n)).length).toBeGreaterThan(0);

  // 6. Undo from 匯入紀錄: the new people are gone from search, the known ones stay once.
  await page.getByRole('link', { name: '匯入紀錄' }).click();
  const row = page.getByTestId(`batch-row-${batchNo}`);
  await expect(row).toContainText('已匯入');
  await expect(row).toContainText('個案名冊');
  await shot(page, '08-batches');
  await row.getByTestId(`undo-${batchNo}`).click();
  const undo = page.getByTestId('import-undo-confirm');
  await undo.getByTestId('import-undo-reason').fill('測試：名冊版本錯誤');
  await undo.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('batches-notice')).toContainText(`已復原批號 ${batchNo}`, { timeout: 120_000 });
  await expect(row).toContainText('已復原');
  await shot(page, '09-undone');
  for (const n of newNames) expect(await personsNamed(page, n)).toHaveLength(0);
  for (const k of known) expect(await personsNamed(page, k.name)).toHaveLength(1);
});
