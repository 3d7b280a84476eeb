import { z } from 'zod';
import { method } from '../define';
import type { AssignableUser, TeamView, UserView } from '../types';
import { displayNameSchema, idSchema, passwordSchema, roleSchema, usernameSchema, versionSchema } from '../schemas';

const empty = z.strictObject({});

export const usersMethods = {
  // --- users and teams (管理者) ------------------------------------------------
  'users.list': method<UserView[]>()({
    input: z.strictObject({ includeDisabled: z.boolean().optional() }),
    access: ['admin'],
  }),
  'users.create': method<UserView>()({
    write: true,
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
    write: true,
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
    write: true,
    input: z.strictObject({ id: idSchema, disabled: z.boolean() }),
    access: ['admin'],
  }),
  'users.resetPassword': method<UserView>()({
    write: true,
    input: z.strictObject({ id: idSchema, newPassword: passwordSchema }),
    access: ['admin'],
  }),
  'users.unlock': method<UserView>()({ input: z.strictObject({ id: idSchema }), access: ['admin'], write: true }),
  'users.assignable': method<AssignableUser[]>()({
    input: z.strictObject({ teamId: idSchema.optional() }),
    access: ['worker', 'supervisor', 'admin'],
  }),
  'teams.list': method<TeamView[]>()({ input: empty, access: ['admin', 'supervisor'] }),
  'teams.create': method<TeamView>()({
    write: true,
    input: z.strictObject({ name: z.string().trim().min(1, '請輸入組別名稱').max(40), supervisorId: idSchema.nullable() }),
    access: ['admin'],
  }),
  'teams.update': method<TeamView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      name: z.string().trim().min(1, '請輸入組別名稱').max(40),
      supervisorId: idSchema.nullable(),
    }),
    access: ['admin'],
  }),

} as const;
