import { z } from 'zod';
import { method } from '../define';
import type { Settings } from '../types';

const empty = z.strictObject({});

export const settingsMethods = {
  // --- settings ---------------------------------------------------------------
  'settings.get': method<Settings>()({ input: empty, access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'] }),
  'settings.update': method<Settings>()({
    input: z.strictObject({
      centerName: z.string().trim().min(1, '請輸入中心名稱').max(60),
      idleLockMinutes: z.number().int('請輸入整數分鐘').min(1, '閒置鎖定至少 1 分鐘').max(120, '閒置鎖定最多 120 分鐘'),
    }),
    access: ['admin'],
  }),

} as const;
