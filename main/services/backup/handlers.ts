import type { HandlerTable, SignedInContext } from '../../api/registry';
import { inDeclaredWrite } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import { appendAudit, recordAudit } from '../audit/log';
import { BACKUP_KEYS, writeBackupSetting, type StoredRecovery } from '../settings/backup';
import { createRecovery } from './container';
import {
  backupFileInFolder,
  backupFolder,
  backupStatus,
  checkFolder,
  discardStaged,
  inspectBackup,
  listBackupFiles,
  makeBackup,
  restoreStaged,
} from './service';

type Names =
  | 'backup.status'
  | 'backup.list'
  | 'backup.setFolder'
  | 'backup.setPassphrase'
  | 'backup.create'
  | 'backup.inspect'
  | 'backup.restore'
  | 'backup.discard';

/** One backup or restore at a time: a second click waits for nothing and is told so. */
async function exclusive<T>(ctx: SignedInContext, fn: () => Promise<T>): Promise<T> {
  const rt = ctx.app.backup;
  if (rt.busy) throw new ApiError('CONFLICT', '另一個備份或還原正在進行，請稍候再試。');
  rt.busy = true;
  try {
    return await fn();
  } finally {
    rt.busy = false;
  }
}

export const backupHandlers: HandlerTable<Names> = {
  'backup.status': (ctx) => backupStatus(ctx.app.db, ctx.app.backup, ctx.app.now()),
  'backup.list': async (ctx) => listBackupFiles(await backupFolder(ctx.app.db, ctx.app.backup)),
  'backup.setFolder': async (ctx, input) => {
    const problem = checkFolder(input.folder);
    if (problem) throw new ApiError('VALIDATION', problem, { fields: { folder: problem } });
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await writeBackupSetting(trx, BACKUP_KEYS.folder, input.folder);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'backup.folder', detail: { folder: input.folder } }, ctx.app.now());
    });
    return backupStatus(ctx.trx, ctx.app.backup, ctx.app.now());
  },
  'backup.setPassphrase': async (ctx, input) => {
    // Only the public half of a key pair derived from the passphrase is kept: it seals
    // new backups' file keys but cannot open them, and the passphrase itself is never stored.
    const now = ctx.app.now();
    const stored: StoredRecovery = { ...createRecovery(input.passphrase), setAt: now.toISOString(), setBy: ctx.actor.displayName };
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await writeBackupSetting(trx, BACKUP_KEYS.recovery, stored);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'backup.recovery' }, now);
    });
    return backupStatus(ctx.trx, ctx.app.backup, ctx.app.now());
  },
  'backup.create': (ctx) =>
    exclusive(ctx, () => makeBackup(ctx.app.db, ctx.app.backup, { reason: 'manual', actor: ctx.actor, now: ctx.app.now() })),
  'backup.inspect': (ctx, input) =>
    exclusive(ctx, async () => {
      const file = backupFileInFolder(await backupFolder(ctx.app.db, ctx.app.backup), input.name);
      const unlock = input.passphrase
        ? ({ kind: 'passphrase', passphrase: input.passphrase } as const)
        : ({ kind: 'install', backupKey: ctx.app.backup.keys.backupKey } as const);
      const check = await inspectBackup(ctx.app.backup, file, unlock, ctx.app.now());
      await recordAudit(ctx.app.db, { actor: ctx.actor, action: 'view', entity: 'backup', entityId: check.file, detail: { bytes: check.bytes, restorable: check.restorable } }, ctx.app.now());
      return check;
    }),
  'backup.restore': (ctx, input) =>
    exclusive(ctx, async () => {
      await restoreStaged(ctx.app.db, ctx.app.backup, input.stageId, { actor: ctx.actor, now: ctx.app.now() });
      // The restored copy carries no sessions (see restoreStaged): everyone signs in again, here and in
      // every other process on this database, against the restored users and settings.
      return { restored: true as const };
    }),
  'backup.discard': (ctx, input) => {
    discardStaged(ctx.app.backup, input.stageId);
    return null;
  },
};
