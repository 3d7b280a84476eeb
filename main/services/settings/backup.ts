import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { RecoveryPublic } from '../backup/container';
import { writeSetting } from './service';

/** Backup settings (備份設定), kept as JSON values in the settings table like the rest. */
export const BACKUP_KEYS = {
  folder: 'backup.folder',
  recovery: 'backup.recovery',
  schedule: 'backup.schedule',
  last: 'backup.lastResult',
  lastSuccess: 'backup.lastSuccess',
} as const;

export interface StoredRecovery extends RecoveryPublic {
  setAt: string;
  setBy: string;
}

export interface BackupSchedule {
  enabled: boolean;
  intervalHours: number;
  keepDays: number;
}
export const DEFAULT_SCHEDULE: BackupSchedule = { enabled: true, intervalHours: 24, keepDays: 30 };

/** The last attempt, successful or not. `error` is a zh-TW reason without personal data. */
export interface StoredBackupResult {
  at: string;
  file: string | null;
  bytes: number | null;
  ok: boolean;
  error: string | null;
  reason: string;
}

export interface StoredBackupSettings {
  folder: string | null;
  recovery: StoredRecovery | null;
  schedule: BackupSchedule;
  last: StoredBackupResult | null;
  lastSuccess: StoredBackupResult | null;
}

export async function readBackupSettings(db: Kysely<Database>): Promise<StoredBackupSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', Object.values(BACKUP_KEYS)).execute();
  const byKey = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const folder = byKey.get(BACKUP_KEYS.folder);
  const schedule = byKey.get(BACKUP_KEYS.schedule) as Partial<BackupSchedule> | undefined;
  return {
    folder: typeof folder === 'string' ? folder : null,
    recovery: (byKey.get(BACKUP_KEYS.recovery) as StoredRecovery | undefined) ?? null,
    schedule: { ...DEFAULT_SCHEDULE, ...(schedule ?? {}) },
    last: (byKey.get(BACKUP_KEYS.last) as StoredBackupResult | undefined) ?? null,
    lastSuccess: (byKey.get(BACKUP_KEYS.lastSuccess) as StoredBackupResult | undefined) ?? null,
  };
}

export function writeBackupSetting(trx: Kysely<Database>, key: (typeof BACKUP_KEYS)[keyof typeof BACKUP_KEYS], value: unknown): Promise<void> {
  return writeSetting(trx, key, value);
}
