import { z } from 'zod';
import { method } from '../define';

/** Backups and restore (備份與還原): administrator only. */

export const RECOVERY_PASSPHRASE_MIN = 12;

export interface BackupResultView {
  at: string;
  file: string | null;
  bytes: number | null;
  ok: boolean;
  error: string | null;
}

export interface BackupStatus {
  folder: string;
  /** True while the administrator has not chosen a folder (backups go to the data folder's `backups`). */
  folderIsDefault: boolean;
  recoverySet: boolean;
  recoverySetAt: string | null;
  intervalHours: number;
  keepDays: number;
  last: BackupResultView | null;
  lastSuccessAt: string | null;
  /** A zh-TW warning for the home screen (failed, overdue, never made), or null when all is well. */
  warning: string | null;
}

export interface BackupFileView {
  name: string;
  bytes: number;
  madeAt: string;
}

export interface RestoreCheck {
  stageId: string;
  file: string;
  bytes: number;
  madeAt: string | null;
  madeBy: string | null;
  integrityOk: boolean;
  audit: { ok: boolean; checked: number; problems: string[] };
  counts: { households: number; cases: number; auditRows: number; users: number };
  /** Migrations the app will apply to this older backup after restoring it. */
  pendingMigrations: number;
  restorable: boolean;
  /** zh-TW reasons when not restorable. */
  problems: string[];
}

const empty = z.strictObject({});

export const backupMethods = {
  'backup.status': method<BackupStatus>()({ input: empty, access: ['admin'] }),
  'backup.list': method<BackupFileView[]>()({ input: empty, access: ['admin'] }),
  'backup.setFolder': method<BackupStatus>()({
    write: true,
    input: z.strictObject({ folder: z.string().trim().min(1, '請輸入備份資料夾的完整路徑').max(400, '路徑過長') }),
    access: ['admin'],
  }),
  'backup.setPassphrase': method<BackupStatus>()({
    write: true,
    input: z
      .strictObject({
        passphrase: z.string().min(RECOVERY_PASSPHRASE_MIN, `備份還原密語至少 ${RECOVERY_PASSPHRASE_MIN} 個字`).max(200, '備份還原密語過長'),
        confirm: z.string().max(200),
      })
      .refine((v) => v.passphrase === v.confirm, { message: '兩次輸入的密語不一致', path: ['confirm'] }),
    access: ['admin'],
  }),
  'backup.create': method<BackupFileView>()({ input: empty, access: ['admin'], ownTransactions: true }),
  'backup.inspect': method<RestoreCheck>()({
    ownTransactions: true,
    input: z.strictObject({
      name: z.string().min(1, '請選擇備份檔').max(200),
      passphrase: z.string().max(200).optional(),
    }),
    access: ['admin'],
  }),
  'backup.restore': method<{ restored: true }>()({ input: z.strictObject({ stageId: z.string().min(1).max(100) }), access: ['admin'], ownTransactions: true }),
  'backup.discard': method<null>()({ input: z.strictObject({ stageId: z.string().min(1).max(100) }), access: ['admin'] }),
} as const;
