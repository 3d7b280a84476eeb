import type { Page } from '@playwright/test';
import { addDays, addMonths, formatRocDate } from '../../main/contract/roc-date';
import { api, apiSignIn, callFromPage, expect, installTestClock, type RunningHost, setupAdminOnPage, shot, startHost, test, testToday } from './host';

/**
 * The caseload journey of issue 3, as a 社工 and a 督導 in turn: intake a family, request 開案,
 * the 督導 returns it with a comment, the 社工 sees the comment, fixes the case and asks again,
 * the 督導 approves; three services are recorded (one with a referral); 結案 is requested and
 * approved; the case is reopened; another household becomes a 長期關懷戶, a visit is recorded
 * and its next due date moves. Users, the team and the households are made through the API in
 * beforeAll to keep the spec about the caseload screens.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Caseload123';
const ADMIN_PASSWORD = 'Admin12345';
let host: RunningHost;
const ids = { sup: 0, sw: 0, family: 0, elder: 0, caseId: 0, caseNo: '', concern: 0, reopened: 0 };

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(password);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function go(page: Page, hash: string) {
  await page.goto(`${host.url}#${hash}`);
}

async function pick(page: Page, combobox: string, option: string, scope: Page | ReturnType<Page['getByRole']> = page) {
  await scope.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  const page = await installTestClock(await browser.newPage());
  // First run: the administrator, through the same call the setup screen makes.
  const setup = await setupAdminOnPage(page, host, ADMIN_PASSWORD);
  expect(setup).toBe(true);

  const sup = await api<{ id: number }>(page, 'users.create', { username: 'sup1', displayName: '陳督導', role: 'supervisor', teamId: null, initialPassword: 'Initial123' });
  const team = await api<{ id: number }>(page, 'teams.create', { name: '第一組', supervisorId: sup.id });
  const sw = await api<{ id: number }>(page, 'users.create', { username: 'sw01', displayName: '王社工', role: 'worker', teamId: team.id, initialPassword: 'Initial123' });
  ids.sup = sup.id;
  ids.sw = sw.id;
  for (const u of ['sup1', 'sw01']) {
    await apiSignIn(page, u, 'Initial123');
    await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  }

  // The 社工 registers the two households (a 社工 sees the households they registered).
  await apiSignIn(page, 'sw01', PASSWORD);
  const mother = await api<{ id: number }>(page, 'persons.create', { name: '林美玲', birthDate: '1988-04-12', sex: 'F', phone: '0912345678' });
  const family = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市中山路100號' }, householdType: '單親', head: { personId: mother.id } });
  const son = await api<{ id: number }>(page, 'persons.create', { name: '林小安', birthDate: '2015-09-01', sex: 'M' });
  await api(page, 'households.addMember', { householdId: family.id, personId: son.id, relation: '子女', joinedOn: '2015-09-01' });
  const elder = await api<{ id: number }>(page, 'persons.create', { name: '張阿公', birthDate: '1940-02-03', sex: 'M' });
  const elderHome = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市民族路8號' }, householdType: '獨居', head: { personId: elder.id } });
  ids.family = family.id;
  ids.elder = elderHome.id;
  await page.close();
});

test.afterAll(async () => {
  await host.stop();
});

test('社工: intake a family and request 開案', async ({ page }) => {
  await signIn(page, 'sw01');
  await expect(page.getByTestId('home-counts')).toBeVisible();
  await shot(page, 'caseload-01-home-worker');

  await go(page, `/cases/new?householdId=${ids.family}`);
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await expect(page.getByTestId('intake-household')).toContainText('林美玲');
  await pick(page, '案件來源', 'A 自行求助');
  await page.getByRole('radio', { name: '中' }).check();
  await expect(page.getByTestId('factor-version')).toContainText('114/07/01');
  await page.getByRole('checkbox', { name: '家庭收入不足以支應基本生活' }).check();
  await page.getByLabel('案情摘要').fill('案母獨力撫養一子，近期失業，房租已欠兩個月。');
  await shot(page, 'caseload-02-intake');
  await page.getByRole('button', { name: '收案' }).click();

  await expect(page.getByRole('heading', { name: /^個案 \d{3}-\d{6}$/ })).toBeVisible();
  await expect(page.getByTestId('case-status')).toHaveText('評估中');
  ids.caseId = Number(/#\/cases\/(\d+)/.exec(page.url())?.[1]);
  ids.caseNo = ((await page.getByRole('heading', { name: /^個案 / }).textContent()) ?? '').replace('個案 ', '').trim();
  expect(ids.caseNo).toMatch(/^\d{3}-\d{6}$/);

  await page.getByRole('button', { name: '申請開案' }).click();
  await page.getByRole('dialog').getByLabel('申請理由').fill('經濟陷困，需持續處遇');
  await page.getByRole('dialog').getByRole('button', { name: '送出' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('開案審查中');
  await expect(page.getByTestId('pending-request')).toContainText('開案申請審查中');
  await shot(page, 'caseload-03-case-requested');

  // A 社工 cannot decide requests, even by calling the API directly.
  const detail = await api<{ pendingRequest: { id: number } }>(page, 'cases.get', { id: ids.caseId });
  const refused = await callFromPage(page, 'cases.decide', { requestId: detail.pendingRequest.id, approve: true });
  expect(refused.error?.code).toBe('FORBIDDEN');
});

test('督導: returns the request with a comment from the approvals inbox', async ({ page }) => {
  await signIn(page, 'sup1');
  await expect(page.getByRole('link', { name: /待審核申請 1/ })).toBeVisible();
  await page.getByRole('link', { name: '待審核', exact: true }).click();
  const card = page.getByTestId(`approval-${ids.caseNo}`);
  await expect(card).toContainText('經濟陷困，需持續處遇');
  await shot(page, 'caseload-04-approvals');
  // 退回 needs a comment.
  await card.getByRole('button', { name: '退回' }).click();
  await expect(card).toContainText('退回時必填');
  await card.getByLabel('審查意見').fill('請補充案母就業狀況，並登錄相關脆弱性因子');
  await card.getByRole('button', { name: '退回' }).click();
  await expect(page.getByTestId('approval-done')).toContainText('已退回開案申請');
  await expect(page.getByText('目前沒有待審核的申請')).toBeVisible();
});

test('社工: sees the comment, fixes the case and requests again', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  await go(page, `/cases/${ids.caseId}`);
  await expect(page.getByTestId('case-status')).toHaveText('評估中');
  await expect(page.getByTestId('returned-request')).toContainText('請補充案母就業狀況，並登錄相關脆弱性因子');
  await shot(page, 'caseload-05-case-returned');

  await page.getByRole('button', { name: '編輯個案資料' }).click();
  await page.getByRole('checkbox', { name: '家庭主要收入者失業、待業或工作不穩定' }).check();
  const summary = '案母獨力撫養一子，近期失業（原任餐飲業），已登記求職；房租已欠兩個月。';
  await page.getByLabel('案情摘要').fill(summary);

  // Meanwhile the 督導 edits the same case: saving over it is refused, and the typed text stays.
  const sup = await installTestClock(await browser.newPage());
  await sup.goto(host.url);
  await apiSignIn(sup, 'sup1', PASSWORD);
  const cur = await api<Record<string, unknown> & { version: number; factors: { code: string }[] }>(sup, 'cases.get', { id: ids.caseId });
  await api(sup, 'cases.update', {
    id: ids.caseId,
    version: cur.version,
    source: cur.source,
    referringUnit: cur.referringUnit,
    dispatchedAt: cur.dispatchedAt,
    caseType: cur.caseType,
    factors: cur.factors.map((f) => f.code),
    riskLevel: '高',
    summary: cur.summary,
  });
  await sup.close();

  await page.getByRole('button', { name: '儲存個案資料' }).click();
  await expect(page.getByTestId('conflict-alert')).toContainText('陳督導');
  await expect(page.getByTestId('conflict-alert')).toContainText('修改過');
  await expect(page.getByLabel('案情摘要')).toHaveValue(summary);
  await shot(page, 'caseload-06-edit-conflict');
  await page.getByRole('button', { name: '以我的內容覆蓋儲存' }).click();
  await expect(page.getByTestId('case-details')).toContainText('已登記求職');
  await expect(page.getByTestId('case-factors')).toContainText('家庭主要收入者失業');

  await page.getByRole('button', { name: '申請開案' }).click();
  await page.getByRole('dialog').getByLabel('申請理由').fill('已補充就業狀況與脆弱性因子');
  await page.getByRole('dialog').getByRole('button', { name: '送出' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('開案審查中');
});

test('督導: approves 開案 and sees the team caseload', async ({ page }) => {
  await signIn(page, 'sup1');
  await go(page, '/approvals');
  const card = page.getByTestId(`approval-${ids.caseNo}`);
  await card.getByRole('button', { name: '核准' }).click();
  await expect(page.getByTestId('approval-done')).toContainText('處遇中');
  await go(page, '/team-cases');
  await expect(page.getByTestId(`case-row-${ids.caseNo}`)).toContainText('處遇中');
  await expect(page.getByRole('table', { name: '各社工案量' })).toContainText('王社工');
  await shot(page, 'caseload-07-team-cases');
});

async function recordService(page: Page, opts: { method: string; items: string[]; narrative: string; next?: string; referral?: { kind: string; unit: string; reason: string } }) {
  await go(page, `/cases/${ids.caseId}`);
  await page.getByTestId('case-actions').getByRole('button', { name: '新增服務紀錄' }).click();
  await expect(page.getByRole('heading', { name: '新增服務紀錄' })).toBeVisible();
  await pick(page, '服務方式', opts.method);
  await page.getByRole('checkbox', { name: '林美玲（戶長）' }).check();
  await page.getByLabel('服務分鐘數').fill('45');
  for (const item of opts.items) await page.getByRole('checkbox', { name: item, exact: true }).check();
  await page.getByLabel('服務內容').fill(opts.narrative);
  if (opts.next) {
    await page.getByLabel('下次追蹤日期').fill(opts.next);
    await page.getByLabel('下次追蹤日期').blur();
  }
  if (opts.referral) {
    await page.getByRole('checkbox', { name: '同時轉介其他單位' }).check();
    await pick(page, '轉介單位類別', opts.referral.kind);
    await page.getByLabel('轉介單位名稱').fill(opts.referral.unit);
    await page.getByLabel('轉介原因').fill(opts.referral.reason);
    await shot(page, 'caseload-08-record-form');
  }
  await page.getByRole('button', { name: '儲存服務紀錄' }).click();
  await expect(page.getByRole('heading', { name: `個案 ${ids.caseNo}` })).toBeVisible();
}

test('社工: records three services, one with a referral, and requests 結案', async ({ page }) => {
  await signIn(page, 'sw01');
  const next = formatRocDate(addDays(testToday(), 14));
  await recordService(page, {
    method: '面訪家庭',
    items: ['福利諮詢', '資源轉介'],
    narrative: '家訪，案母表示求職不順，同意轉介就業服務。',
    next,
    referral: { kind: '勞政', unit: '南投就業中心', reason: '協助案母求職' },
  });
  await recordService(page, { method: '電訪家庭', items: ['情緒支持'], narrative: '電訪關心案母求職進度。' });
  await recordService(page, { method: '陪同服務', items: ['經濟補助'], narrative: '陪同案母申請急難救助。' });

  const records = page.getByRole('table', { name: '服務紀錄' });
  await expect(records.getByRole('row')).toHaveCount(4); // header + 3
  await expect(records).toContainText(next);
  // Lists carry no narrative; opening one is its own (audited) call.
  await expect(records).not.toContainText('求職不順');
  await records.getByRole('button', { name: /^檢視內容/ }).last().click();
  await expect(page.getByTestId('narrative')).toContainText('家訪，案母表示求職不順');
  await shot(page, 'caseload-09-narrative');
  await page.getByRole('dialog').getByRole('button', { name: '關閉' }).click();

  const referrals = page.getByRole('table', { name: '轉介' });
  await expect(referrals).toContainText('南投就業中心');
  await expect(referrals).toContainText('轉介等待中');
  await referrals.getByRole('button', { name: '更新狀態' }).click();
  await pick(page, '新狀態', '受案', page.getByRole('dialog'));
  await page.getByRole('dialog').getByLabel('說明').fill('就業中心已指派個管員');
  await page.getByRole('dialog').getByRole('button', { name: '更新狀態' }).click();
  await expect(referrals).toContainText('就業中心已指派個管員');
  await shot(page, 'caseload-10-case-with-services');

  await page.getByRole('button', { name: '申請結案' }).click();
  await page.getByRole('dialog').getByLabel('申請理由').fill('案母已穩定就業，家庭功能恢復');
  await page.getByRole('dialog').getByRole('button', { name: '送出' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('結案審查中');
});

test('督導: approves 結案 on the case page', async ({ page }) => {
  await signIn(page, 'sup1');
  await go(page, `/cases/${ids.caseId}`);
  await page.getByRole('button', { name: '核准結案' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '核准' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已結案');
  await expect(page.getByRole('table', { name: '狀態歷程' })).toContainText('核准結案');
  await shot(page, 'caseload-11-case-closed');
});

test('社工: reopens the closed case as a new episode', async ({ page }) => {
  await signIn(page, 'sw01');
  await go(page, `/cases/${ids.caseId}`);
  await page.getByRole('button', { name: '再開案' }).click();
  await page.getByRole('dialog').getByLabel('再開案理由').fill('案母再度失業，主動求助');
  await page.getByRole('dialog').getByRole('button', { name: '再開案' }).click();
  await expect(page.getByText(/已再開案，新案號/)).toBeVisible();
  await expect(page.getByRole('link', { name: `前案 ${ids.caseNo}` })).toBeVisible();
  await expect(page.getByTestId('case-status')).toHaveText('評估中');
  ids.reopened = Number(/#\/cases\/(\d+)/.exec(page.url())?.[1] ?? 0);
  // Factors carried over from the old case.
  await expect(page.getByTestId('case-factors')).toContainText('家庭收入不足以支應基本生活');
  await shot(page, 'caseload-12-reopened');

  await page.getByRole('link', { name: '我的個案', exact: true }).click();
  await expect(page.getByRole('table', { name: '我的個案' })).toContainText('評估中');
  await shot(page, 'caseload-13-my-cases');
});

test('社工: a request sent by mistake is withdrawn before the 督導 decides', async ({ page }) => {
  expect(ids.reopened).toBeGreaterThan(0);
  await signIn(page, 'sw01');
  await go(page, `/cases/${ids.reopened}`);
  await page.getByRole('button', { name: '申請不開案' }).click();
  await page.getByRole('dialog').getByLabel('申請理由').fill('誤按：應為申請開案');
  await page.getByRole('dialog').getByRole('button', { name: '送出' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('開案審查中');
  await page.getByRole('button', { name: '撤回不開案申請' }).click();
  await page.getByRole('dialog').getByLabel('撤回原因').fill('按錯申請種類');
  await page.getByRole('dialog').getByRole('button', { name: '撤回申請' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('評估中');
  await expect(page.getByTestId('pending-request')).toHaveCount(0);
  await shot(page, 'caseload-12b-request-withdrawn');
});

test('社工: a 長期關懷戶 visit moves its next due date', async ({ page }) => {
  await signIn(page, 'sw01');
  const today = testToday();
  const due = addDays(today, -10);
  const concern = await api<{ id: number; nextDue: string }>(page, 'concerns.designate', {
    householdId: ids.elder,
    reason: '獨居長者',
    frequency: 'monthly',
    workerId: ids.sw,
    startDate: addMonths(today, -2),
    firstDue: due,
  });
  ids.concern = concern.id;
  expect(concern.nextDue).toBe(due);

  await go(page, '/follow-ups?tab=concerns');
  const row = page.getByTestId(`concern-overdue-${concern.id}`);
  await expect(row).toContainText(formatRocDate(due));
  await expect(row).toContainText('10 天');
  await shot(page, 'caseload-14-follow-ups');
  await row.getByRole('button', { name: '記錄訪視' }).click();

  await expect(page.getByTestId('record-context')).toContainText('張阿公');
  await expect(page.getByText(`下次訪視應於 ${formatRocDate(due)}`)).toBeVisible();
  await pick(page, '服務方式', '面訪家庭');
  await page.getByRole('checkbox', { name: '張阿公（戶長）' }).check();
  await page.getByRole('checkbox', { name: '情緒支持', exact: true }).check();
  await page.getByLabel('服務內容').fill('訪視長者，精神尚可，提醒按時服藥。');
  await shot(page, 'caseload-15-concern-visit');
  await page.getByRole('button', { name: '儲存服務紀錄' }).click();
  await expect(page).toHaveURL(new RegExp(`#/households/${ids.elder}$`));

  const after = await api<{ nextDue: string; lastVisitOn: string }>(page, 'concerns.get', { id: concern.id });
  expect(after.lastVisitOn).toBe(today);
  expect(after.nextDue > today).toBe(true);
  await go(page, '/follow-ups?tab=concerns');
  await expect(page.getByText('沒有逾期的關懷訪視')).toBeVisible();
  await go(page, `/records/new?householdId=${ids.elder}&concernId=${concern.id}`);
  await expect(page.getByText(`下次訪視應於 ${formatRocDate(after.nextDue)}`)).toBeVisible();

  await go(page, '/calendar');
  await expect(page.getByTestId(`day-${today}`)).toContainText('張阿公');
  await shot(page, 'caseload-16-calendar');
});

test('管理者: adds a version of the vulnerability-factor list', async ({ page }) => {
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.getByRole('link', { name: '代碼表' }).click();
  await expect(page.getByTestId('version-2025-07-01')).toContainText('現行');
  await page.getByRole('button', { name: '新增版本' }).click();
  await page.getByLabel('因子 1-01 名稱').fill('家庭主要收入者失業或工作不穩定');
  await page.getByRole('button', { name: '新增因子（面向 6）' }).click();
  await page.getByLabel('因子 6-07 名稱').fill('遭詐騙致生活陷困');
  await shot(page, 'caseload-17-codelist-editor');
  await page.getByRole('button', { name: '儲存新版本' }).click();
  await expect(page.getByText(/起生效的版本/)).toBeVisible();
  await expect(page.getByTestId('version-view')).toContainText('遭詐騙致生活陷困');
  await shot(page, 'caseload-18-codelists');
});
