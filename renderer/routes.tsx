/**
 * Every screen of the app: its path pattern, menu label, the roles that see it,
 * and the component. The menu and the router both read this list; the main
 * process enforces access regardless of what is shown.
 */
import type { ReactElement } from 'react';
import type { Role } from '../main/contract/roles';
import { SettingsScreen } from './features/admin/SettingsScreen';
import { SessionsScreen } from './features/admin/SessionsScreen';
import { BackupScreen } from './features/backup/BackupScreen';
import { UsersScreen } from './features/admin/UsersScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { ChangePasswordScreen } from './features/auth/ChangePasswordScreen';
import { ConcernListScreen } from './features/concerns/ConcernListScreen';
import { HighBurdenScreen } from './features/concerns/HighBurdenScreen';
import { HomeScreen } from './features/home/HomeScreen';
import { HouseholdScreen } from './features/households/HouseholdScreen';
import { NewHouseholdScreen } from './features/households/NewHouseholdScreen';
import { SearchScreen } from './features/search/SearchScreen';
import { CaseIntakeScreen } from './features/cases/CaseIntakeScreen';
import { CaseScreen } from './features/cases/CaseScreen';
import { CodeListsScreen } from './features/codelists/CodeListsScreen';
import { RecordEditScreen, RecordFormScreen } from './features/records/RecordFormScreen';
import { ApprovalsScreen } from './features/worklists/ApprovalsScreen';
import { CalendarScreen } from './features/worklists/CalendarScreen';
import { FollowUpsScreen } from './features/worklists/FollowUpsScreen';
import { MyCasesScreen } from './features/worklists/MyCasesScreen';
import { TeamCasesScreen } from './features/worklists/TeamCasesScreen';
import { AccountsScreen } from './features/programmes/AccountsScreen';
import { HouseholdProgrammesScreen } from './features/programmes/HouseholdProgrammesPanel';
import { MeetingsScreen } from './features/programmes/MeetingsScreen';
import { ProgrammeScreen } from './features/programmes/ProgrammeScreen';
import { ProgrammesScreen } from './features/programmes/ProgrammesScreen';
import { SessionScreen, SignInSheetScreen } from './features/programmes/SessionScreen';
import { AlertsScreen, AllowanceScreen, CatalogueScreen } from './features/foodbank/AdminScreens';
import { DonorsScreen, DonorStatementScreen } from './features/foodbank/DonorsScreen';
import { HandoutReceiptScreen, HandoutScreen } from './features/foodbank/HandoutScreen';
import { ReceiptScreen, ReceiveScreen } from './features/foodbank/ReceiveScreen';
import { StockScreen } from './features/foodbank/StockScreen';
import { StocktakeListScreen, StocktakeScreen } from './features/foodbank/StocktakeScreen';
import { TransfersScreen } from './features/foodbank/TransfersScreen';
import { CrosstabScreen } from './features/reports/CrosstabScreen';
import { DefinitionScreen } from './features/reports/DefinitionScreen';
import { MonthlyScreen } from './features/reports/MonthlyScreen';
import { QuarterlyScreen } from './features/reports/QuarterlyScreen';
import { TemplatesScreen } from './features/reports/TemplatesScreen';
import { InboxScreen } from './features/notifications/InboxScreen';
import { BatchesScreen } from './features/imports/BatchesScreen';
import { ImportScreen } from './features/imports/ImportScreen';
import { StaffingScreen } from './features/staffing/StaffingScreen';
import { assessmentRoutes } from './features/assessments/routes';
import { GuidesScreen } from './features/guides/GuidesScreen';
import { msgGuides } from './lib/messages-guides';
import { msgStaffing } from './lib/messages-staffing';
import { ReferralFormScreen } from './features/resources/ReferralFormScreen';
import { ResourcesScreen } from './features/resources/ResourcesScreen';
import { msgResources } from './lib/messages-resources';
import { msgImports } from './lib/messages-imports';
import { msgNotifications } from './lib/messages-notifications';
import { AidReportScreen } from './features/aid/AidReportScreen';
import { msgAid } from './lib/messages-aid';
import { msg, msgBackup, msgCases, msgFoodbank, msgProgrammes, msgReports, msgSessions } from './lib/messages';
import { currentRoute, HOUSEHOLD_ROLES, routeQuery, STAFF_ROLES } from './lib/router';
import { InstrumentsScreen } from './features/assessments/admin/InstrumentsScreen';
import { VisitRulesScreen } from './features/assessments/admin/VisitRulesScreen';
import { msgInstruments, msgVisitRules } from './lib/messages-instruments';

export interface RouteDef {
  /** e.g. '/households/:id'; params arrive as strings. */
  path: string;
  /** Shown in the side menu when set. */
  nav?: string;
  /** Menu group heading; items without one come first. */
  group?: string;
  roles: readonly Role[] | 'all';
  render(params: Record<string, string>): ReactElement;
}

// The role lists and routeQuery live in lib/router.ts (screens import them from there, so that
// screens and this list do not import each other); re-exported here under their old names.
export { HOUSEHOLD_ROLES, routeQuery, STAFF_ROLES };

/** 實物銀行: the clerk and the administrator run the stock; staff may also hand out. */
const FOODBANK_CLERK: readonly Role[] = ['foodbank', 'admin'];
const FOODBANK_ROLES: readonly Role[] = ['foodbank', 'worker', 'supervisor', 'admin'];

function searchScreen(): ReactElement {
  const q = routeQuery(currentRoute()).get('q') ?? '';
  return <SearchScreen key={q} initial={q} />;
}

export const ROUTES: RouteDef[] = [
  { path: '/', nav: msg.nav.home, roles: 'all', render: () => <HomeScreen /> },
  // Caseload screens (issue 3) register here.
  // Households, search, long-term concern (households/, search/, concerns/). 'new' before ':id'.
  { path: '/search', nav: msg.nav3.search, group: msg.nav3.group, roles: HOUSEHOLD_ROLES, render: () => searchScreen() },
  { path: '/households/new', nav: msg.nav3.newHousehold, group: msg.nav3.group, roles: STAFF_ROLES, render: () => <NewHouseholdScreen headPersonId={Number(routeQuery(currentRoute()).get('headPersonId')) || undefined} /> },
  { path: '/households/:id', roles: HOUSEHOLD_ROLES, render: (p) => <HouseholdScreen key={p.id} id={Number(p.id)} /> },
  { path: '/concerns', nav: msg.nav3.concerns, group: msg.nav3.group, roles: STAFF_ROLES, render: () => <ConcernListScreen /> },
  { path: '/care/high-burden', nav: msg.nav3.highBurden, group: msg.nav3.group, roles: STAFF_ROLES, render: () => <HighBurdenScreen /> },
  // --- 個案服務 (issue 3: cases, records, worklists) ---
  { path: '/my-cases', nav: msgCases.nav.myCases, group: msgCases.nav.group, roles: STAFF_ROLES, render: () => <MyCasesScreen /> },
  { path: '/team-cases', nav: msgCases.nav.teamCases, group: msgCases.nav.group, roles: ['supervisor', 'admin'], render: () => <TeamCasesScreen /> },
  { path: '/approvals', nav: msgCases.nav.approvals, group: msgCases.nav.group, roles: ['supervisor', 'admin'], render: () => <ApprovalsScreen /> },
  { path: '/follow-ups', nav: msgCases.nav.followUps, group: msgCases.nav.group, roles: STAFF_ROLES, render: () => <FollowUpsScreen /> },
  { path: '/calendar', nav: msgCases.nav.calendar, group: msgCases.nav.group, roles: STAFF_ROLES, render: () => <CalendarScreen /> },
  { path: '/cases/new', roles: STAFF_ROLES, render: () => <CaseIntakeScreen /> },
  { path: '/cases/:id', roles: STAFF_ROLES, render: (p) => <CaseScreen key={p.id} id={Number(p.id)} /> },
  { path: '/records/new', roles: STAFF_ROLES, render: () => <RecordFormScreen /> },
  // --- 方案與帳戶 (issue 6: programmes, child development accounts, meetings and outreach) ---
  { path: '/programmes', nav: msgProgrammes.nav.programmes, group: msgProgrammes.nav.group, roles: STAFF_ROLES, render: () => <ProgrammesScreen /> },
  { path: '/programmes/sessions/:id/sheet', roles: STAFF_ROLES, render: (p) => <SignInSheetScreen key={p.id} id={Number(p.id)} /> },
  { path: '/programmes/sessions/:id', roles: STAFF_ROLES, render: (p) => <SessionScreen key={p.id} id={Number(p.id)} /> },
  { path: '/programmes/household/:id', roles: STAFF_ROLES, render: (p) => <HouseholdProgrammesScreen key={p.id} id={Number(p.id)} /> },
  { path: '/programmes/:id', roles: STAFF_ROLES, render: (p) => <ProgrammeScreen key={p.id} id={Number(p.id)} /> },
  { path: '/accounts', nav: msgProgrammes.nav.accounts, group: msgProgrammes.nav.group, roles: STAFF_ROLES, render: () => <AccountsScreen /> },
  { path: '/meetings', nav: msgProgrammes.nav.meetings, group: msgProgrammes.nav.group, roles: STAFF_ROLES, render: () => <MeetingsScreen /> },
  // --- 實物銀行 (issue 5: food bank) ---
  { path: '/foodbank/stock', nav: msgFoodbank.nav.stock, group: msgFoodbank.group, roles: FOODBANK_ROLES, render: () => <StockScreen /> },
  { path: '/foodbank/handout', nav: msgFoodbank.nav.handout, group: msgFoodbank.group, roles: FOODBANK_ROLES, render: () => <HandoutScreen /> },
  { path: '/foodbank/handouts/:id', roles: FOODBANK_ROLES, render: (p) => <HandoutReceiptScreen key={p.id} id={Number(p.id)} /> },
  { path: '/foodbank/receive', nav: msgFoodbank.nav.receive, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <ReceiveScreen /> },
  { path: '/foodbank/receipts/:id', roles: FOODBANK_CLERK, render: (p) => <ReceiptScreen key={p.id} id={Number(p.id)} /> },
  { path: '/foodbank/transfers', nav: msgFoodbank.nav.transfers, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <TransfersScreen /> },
  { path: '/foodbank/stocktake', nav: msgFoodbank.nav.stocktake, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <StocktakeListScreen /> },
  { path: '/foodbank/stocktake/:id', roles: FOODBANK_CLERK, render: (p) => <StocktakeScreen key={p.id} id={Number(p.id)} /> },
  { path: '/foodbank/donors', nav: msgFoodbank.nav.donors, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <DonorsScreen /> },
  { path: '/foodbank/donors/:id/:year', roles: FOODBANK_CLERK, render: (p) => <DonorStatementScreen key={`${p.id}-${p.year}`} id={Number(p.id)} year={Number(p.year)} /> },
  { path: '/foodbank/alerts', nav: msgFoodbank.nav.alerts, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <AlertsScreen /> },
  { path: '/foodbank/catalogue', nav: msgFoodbank.nav.catalogue, group: msgFoodbank.group, roles: FOODBANK_CLERK, render: () => <CatalogueScreen /> },
  { path: '/foodbank/allowance', nav: msgFoodbank.nav.allowance, group: msgFoodbank.group, roles: ['admin'], render: () => <AllowanceScreen /> },
  // --- 報表 (issue 4: monthly report, quarterly templates, cross-tabulation) ---
  { path: '/reports/monthly', nav: msgReports.nav.monthly, group: msgReports.group, roles: ['supervisor', 'admin'], render: () => <MonthlyScreen /> },
  { path: '/reports/crosstab', nav: msgReports.nav.crosstab, group: msgReports.group, roles: ['supervisor', 'admin'], render: () => <CrosstabScreen /> },
  { path: '/reports/quarterly', nav: msgReports.nav.quarterly, group: msgReports.group, roles: ['admin'], render: () => <QuarterlyScreen /> },
  { path: '/reports/templates', nav: msgReports.nav.templates, group: msgReports.group, roles: ['admin'], render: () => <TemplatesScreen /> },
  { path: '/reports/definitions/:id', roles: ['admin'], render: (p) => <DefinitionScreen key={p.id} id={p.id ?? 'new'} /> },
  { path: '/users', nav: msg.nav.users, group: '管理', roles: ['admin'], render: () => <UsersScreen /> },
  { path: '/sessions', nav: msgSessions.nav, group: '管理', roles: ['admin'], render: () => <SessionsScreen /> },
  { path: '/settings', nav: msg.nav.settings, group: '管理', roles: ['admin'], render: () => <SettingsScreen /> },
  { path: '/backup', nav: msgBackup.nav, group: '管理', roles: ['admin'], render: () => <BackupScreen /> },
  { path: '/audit', nav: msg.nav.audit, group: '管理', roles: ['auditor', 'admin'], render: () => <AuditScreen /> },
  { path: '/codelists', nav: msgCases.nav.codelists, group: '管理', roles: ['admin'], render: () => <CodeListsScreen /> },
  { path: '/password', nav: msg.nav.password, group: '個人', roles: 'all', render: () => <ChangePasswordScreen forced={false} /> },
  { path: '/notifications', nav: msgNotifications.nav, group: '個人', roles: STAFF_ROLES, render: () => <InboxScreen /> },
  { path: '/records/:id/edit', roles: STAFF_ROLES, render: (p) => <RecordEditScreen key={p.id} id={Number(p.id)} /> },
  // --- 資料匯入 (issue 12: imports), for the administrator ---
  { path: '/imports', nav: msgImports.nav.import, group: '管理', roles: ['admin'], render: () => <ImportScreen /> },
  { path: '/imports/batches', roles: ['admin'], render: () => <BatchesScreen /> },
  // --- 人力進用 (issue 13: staffing); the 督導 reads it ---
  { path: '/staffing', nav: msgStaffing.nav, group: '管理', roles: ['supervisor', 'admin'], render: () => <StaffingScreen /> },
  // --- 作業指引 (issue 14 §2: work guides), written by the administrator ---
  { path: '/admin/guides', nav: msgGuides.nav, group: '管理', roles: ['admin'], render: () => <GuidesScreen /> },
  // --- 資源地圖 and the 轉介單 (issue 14 §3) ---
  { path: '/resources', nav: msgResources.nav, group: msgCases.nav.group, roles: STAFF_ROLES, render: () => <ResourcesScreen /> },
  { path: '/referrals/:id/form', roles: STAFF_ROLES, render: (p) => <ReferralFormScreen key={p.id} id={Number(p.id)} /> },
  // --- 評估工具與訪視頻率 (issue 14 §1) ---
  { path: '/admin/instruments', nav: msgInstruments.nav, group: '管理', roles: ['admin'], render: () => <InstrumentsScreen /> },
  { path: '/admin/visit-rules', nav: msgVisitRules.nav, group: '管理', roles: ['supervisor', 'admin'], render: () => <VisitRulesScreen /> },
  // --- 外單位救助彙整 (issue 14 §4: aid from other units), for the 聯繫會報 ---
  { path: '/aid/report', nav: msgAid.nav, group: msgReports.group, roles: STAFF_ROLES, render: () => <AidReportScreen /> },
  ...assessmentRoutes,
];

/**
 * Matches a hash path against the route list; returns the route and its params, or null when no route
 * has that path or `role` may not open it (`null`: any role). The path names its route whoever asks, so
 * a path the role may not open never falls through to another route (`/households/new` for 實物銀行).
 */
export function matchRoute(path: string, role: Role | null): { route: RouteDef; params: Record<string, string> } | null {
  const clean = path.split('?')[0] ?? '/';
  const parts = clean.split('/').filter(Boolean);
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((seg, i) => {
      const actual = parts[i] ?? '';
      if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(actual);
      else if (seg !== actual) ok = false;
    });
    if (!ok) continue;
    return role === null || route.roles === 'all' || route.roles.includes(role) ? { route, params } : null;
  }
  return null;
}
