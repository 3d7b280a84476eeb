import { z } from 'zod';
import { method } from '../define';
import type { Settings } from '../types';

const empty = z.strictObject({});

/** The shortest idle lock an administrator may set, in minutes. */
export const MIN_IDLE_LOCK_MINUTES = 1;

export const settingsMethods = {
  // --- settings ---------------------------------------------------------------
  'settings.get': method<Settings>()({ input: empty, access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'] }),
  'settings.update': method<Settings>()({
    write: true,
    input: z.strictObject({
      centerName: z.string().trim().min(1, '請輸入中心名稱').max(60),
      centerAddress: z.string().trim().max(120, '中心地址最多 120 個字').optional(),
      idleLockMinutes: z.number().int('請輸入整數分鐘').min(MIN_IDLE_LOCK_MINUTES, `閒置鎖定至少 ${MIN_IDLE_LOCK_MINUTES} 分鐘`).max(120, '閒置鎖定最多 120 分鐘'),
    }),
    access: ['admin'],
  }),

} as const;
