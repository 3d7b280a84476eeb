/**
 * The API contract: every operation the renderer may call, declared once.
 * The main process validates input and access from this table before any
 * service runs; the preload and the browser client are built from its names.
 */
import { z } from 'zod';
import { method, type MethodSpec } from './define';
import type { AuditEntryView, AuditVerifyResult, AuthStatus, Page, SessionView, Settings, TeamView, UserView } from './types';
import {
  anyPasswordSchema,
  displayNameSchema,
  idSchema,
  passwordSchema,
  roleSchema,
  usernameSchema,
  versionSchema,
} from './schemas';

const empty = z.strictObject({});

export const api = {
  // --- auth -----------------------------------------------------------------
  'auth.status': method<AuthStatus>()({ input: empty, access: 'public' }),
  'auth.setup': method<SessionView>()({
    input: z.strictObject({
      setupCode: z.string().trim().max(32).optional(),
      centerName: z.string().trim().min(1, '請輸入中心名稱').max(60, '中心名稱最多 60 個字'),
      username: usernameSchema,
      displayName: displayNameSchema,
      password: passwordSchema,
    }),
    access: 'public',
  }),
  'auth.login': method<SessionView>()({
    input: z.strictObject({ username: z.string().trim().min(1, '請輸入帳號').max(32), password: anyPasswordSchema }),
    access: 'public',
  }),
  'auth.logout': method<null>()({ input: empty, access: 'session' }),
  'auth.lock': method<null>()({ input: empty, access: 'session' }),
  'auth.unlock': method<SessionView>()({ input: z.strictObject({ password: anyPasswordSchema }), access: 'session' }),
  'auth.changePassword': method<null>()({
    input: z.strictObject({ currentPassword: anyPasswordSchema, newPassword: passwordSchema }),
    access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
  }),

  // --- users and teams (管理者) ------------------------------------------------
  'users.list': method<UserView[]>()({
    input: z.strictObject({ includeDisabled: z.boolean().optional() }),
    access: ['admin'],
  }),
  'users.create': method<UserView>()({
    input: z.strictObject({
      username: usernameSchema,
      displayName: displayNameSchema,
      role: roleSchema,
      teamId: idSchema.nullable(),
      initialPassword: passwordSchema,
    }),
    access: ['admin'],
  }),
  'users.update': method<UserView>()({
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      displayName: displayNameSchema,
      role: roleSchema,
      teamId: idSchema.nullable(),
    }),
    access: ['admin'],
  }),
  'users.setDisabled': method<UserView>()({
    input: z.strictObject({ id: idSchema, disabled: z.boolean() }),
    access: ['admin'],
  }),
  'users.resetPassword': method<UserView>()({
    input: z.strictObject({ id: idSchema, newPassword: passwordSchema }),
    access: ['admin'],
  }),
  'users.unlock': method<UserView>()({ input: z.strictObject({ id: idSchema }), access: ['admin'] }),
  'teams.list': method<TeamView[]>()({ input: empty, access: ['admin', 'supervisor'] }),
  'teams.create': method<TeamView>()({
    input: z.strictObject({ name: z.string().trim().min(1, '請輸入組別名稱').max(40), supervisorId: idSchema.nullable() }),
    access: ['admin'],
  }),
  'teams.update': method<TeamView>()({
    input: z.strictObject({
      id: idSchema,
      name: z.string().trim().min(1, '請輸入組別名稱').max(40),
      supervisorId: idSchema.nullable(),
    }),
    access: ['admin'],
  }),

  // --- settings ---------------------------------------------------------------
  'settings.get': method<Settings>()({ input: empty, access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'] }),
  'settings.update': method<Settings>()({
    input: z.strictObject({
      centerName: z.string().trim().min(1, '請輸入中心名稱').max(60),
      idleLockMinutes: z.number().int('請輸入整數分鐘').min(1, '閒置鎖定至少 1 分鐘').max(120, '閒置鎖定最多 120 分鐘'),
    }),
    access: ['admin'],
  }),

  // --- audit (稽核) -------------------------------------------------------------
  'audit.list': method<Page<AuditEntryView>>()({
    input: z.strictObject({
      action: z.string().max(40).optional(),
      actorId: idSchema.optional(),
      from: z.string().max(30).optional(),
      to: z.string().max(30).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    access: ['auditor', 'admin'],
  }),
  'audit.verify': method<AuditVerifyResult>()({ input: empty, access: ['auditor', 'admin'] }),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ApiInput<N extends MethodName> = z.input<Api[N]['input']>;
export type ApiParsed<N extends MethodName> = z.output<Api[N]['input']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiOutput<N extends MethodName> = Api[N] extends MethodSpec<any, infer O> ? O : never;
export const METHOD_NAMES = Object.keys(api) as MethodName[];
