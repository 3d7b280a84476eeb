import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Settings } from '../../contract/types';

/** Center-wide settings kept as JSON values in the settings table. */
export const DEFAULT_SETTINGS: Settings = {
  centerName: '社會福利服務中心',
  centerAddress: '',
  idleLockMinutes: 10,
};

const KEYS: Record<keyof Settings, string> = {
  centerName: 'center.name',
  centerAddress: 'center.address',
  idleLockMinutes: 'session.idleLockMinutes',
};

export async function readSettings(db: Kysely<Database>): Promise<Settings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', Object.values(KEYS)).execute();
  const byKey = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const centerName = byKey.get(KEYS.centerName);
  const idle = byKey.get(KEYS.idleLockMinutes);
  const centerAddress = byKey.get(KEYS.centerAddress);
  return {
    centerName: typeof centerName === 'string' ? centerName : DEFAULT_SETTINGS.centerName,
    centerAddress: typeof centerAddress === 'string' ? centerAddress : DEFAULT_SETTINGS.centerAddress,
    idleLockMinutes: typeof idle === 'number' ? idle : DEFAULT_SETTINGS.idleLockMinutes,
  };
}

/** Writes one setting as JSON, inserting or replacing it. */
export async function writeSetting(trx: Kysely<Database>, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await trx
    .insertInto('settings')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute();
}

export async function writeSettings(trx: Kysely<Database>, patch: Partial<Settings>): Promise<void> {
  for (const [name, value] of Object.entries(patch) as [keyof Settings, Settings[keyof Settings] | undefined][]) {
    if (value !== undefined) await writeSetting(trx, KEYS[name], value);
  }
}
