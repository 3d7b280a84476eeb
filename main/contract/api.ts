/**
 * The API contract: every operation the renderer may call, declared once, one
 * file per domain under methods/. The main process validates input and access
 * from this table before any service runs; the preload and the browser client
 * are built from its names.
 */
import type { z } from 'zod';
import type { MethodSpec } from './define';
import { auditMethods } from './methods/audit';
import { backupMethods } from './methods/backup';
import { authMethods } from './methods/auth';
import { casesMethods } from './methods/cases';
import { foodbankMethods } from './methods/foodbank';
import { householdsMethods } from './methods/households';
import { recordsMethods } from './methods/records';
import { reportsMethods } from './methods/reports';
import { programmesMethods } from './methods/programmes';
import { settingsMethods } from './methods/settings';
import { sessionsMethods } from './methods/sessions';
import { systemMethods } from './methods/system';
import { usersMethods } from './methods/users';
import { notificationsMethods } from './methods/notifications';
import { importsMethods } from './methods/imports';
import { outcomesMethods } from './methods/outcomes';
import { staffingMethods } from './methods/staffing';
import { assessmentsMethods } from './methods/assessments';
import { guidesMethods } from './methods/guides';
import { resourcesMethods } from './methods/resources';
import { aidMethods } from './methods/aid';
import { linksMethods } from './methods/links';

export const api = {
  ...authMethods,
  ...usersMethods,
  ...settingsMethods,
  ...auditMethods,
  ...householdsMethods,
  ...casesMethods,
  ...recordsMethods,
  ...reportsMethods,
  ...programmesMethods,
  ...foodbankMethods,
  ...backupMethods,
  ...sessionsMethods,
  ...systemMethods,
  ...notificationsMethods,
  ...importsMethods,
  ...outcomesMethods,
  ...staffingMethods,
  ...assessmentsMethods,
  ...guidesMethods,
  ...resourcesMethods,
  ...aidMethods,
  ...linksMethods,
} as const;


export type Api = typeof api;
export type MethodName = keyof Api;
export type ApiInput<N extends MethodName> = z.input<Api[N]['input']>;
export type ApiParsed<N extends MethodName> = z.output<Api[N]['input']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiOutput<N extends MethodName> = Api[N] extends MethodSpec<any, infer O> ? O : never;
export const METHOD_NAMES = Object.keys(api) as MethodName[];
