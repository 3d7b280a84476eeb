import { z } from 'zod';
import { method } from '../define';
import type { AuthStatus, SessionView } from '../types';
import { anyPasswordSchema, displayNameSchema, passwordSchema, usernameSchema } from '../schemas';

const empty = z.strictObject({});

export const authMethods = {
  // --- auth -----------------------------------------------------------------
  'auth.status': method<AuthStatus>()({ input: empty, access: 'public' }),
  'auth.setup': method<SessionView>()({
    ownTransactions: true,
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
    ownTransactions: true,
    input: z.strictObject({ username: z.string().trim().min(1, '請輸入帳號').max(32), password: anyPasswordSchema }),
    access: 'public',
  }),
  'auth.logout': method<null>()({ input: empty, access: 'session', write: true }),
  'auth.lock': method<null>()({ input: empty, access: 'session', write: true }),
  'auth.unlock': method<SessionView>()({ input: z.strictObject({ password: anyPasswordSchema }), access: 'session', ownTransactions: true }),
  'auth.changePassword': method<null>()({
    ownTransactions: true,
    input: z.strictObject({ currentPassword: anyPasswordSchema, newPassword: passwordSchema }),
    access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
  }),
  /**
   * The caller's key for local drafts (issue 11 §2): AES-256-GCM raw key, base64, derived on the server with
   * HMAC-SHA256 from a secret kept in the database, per user. A write: the secret is made on first use.
   */
  'auth.draftKey': method<{ key: string }>()({ input: empty, access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'], write: true }),
} as const;
