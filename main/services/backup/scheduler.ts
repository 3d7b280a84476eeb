import type { AppContext } from '../context';
import { createLogger } from '../../lib/logger';
import { countUsers } from '../users/service';
import { readBackupSettings } from '../settings/backup';
import { makeBackup } from './service';

const log = createLogger('backup-scheduler');

/** After a failed attempt, try again no sooner than this. */
const RETRY_AFTER_MS = 60 * 60_000;

export interface BackupScheduler {
  /** Makes a backup when one is due; true when it made (or tried) one. Tests call this with a moved clock. */
  tick(): Promise<boolean>;
  stop(): void;
}

export interface SchedulerOptions {
  /** How often to look whether a backup is due. */
  checkEveryMs?: number;
  /** The first look after start-up. */
  firstCheckMs?: number;
  /** false: no timer at all, only tick() (tests). */
  timers?: boolean;
}

/**
 * Scheduled backups (自動備份), run by the app process itself: a timer looks every
 * quarter hour whether the last successful backup is older than the interval
 * (daily by default) and, if so, makes one in the chosen folder, which also
 * prunes backups older than the keep period. The clock is the app's (`ctx.now`),
 * so tests move it instead of waiting for a day.
 */
export function startBackupScheduler(ctx: AppContext, opts: SchedulerOptions = {}): BackupScheduler {
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function tick(): Promise<boolean> {
    if (running || ctx.backup.busy || ctx.backup.sqlite === null) return false; // PostgreSQL: the server's own backups
    running = true;
    try {
      const s = await readBackupSettings(ctx.db);
      if (!s.schedule.enabled) return false;
      if ((await countUsers(ctx.db)) === 0) return false; // a new install with nothing to keep yet
      const now = ctx.now();
      const lastOk = s.lastSuccess ? Date.parse(s.lastSuccess.at) : null;
      if (lastOk !== null && now.getTime() - lastOk < s.schedule.intervalHours * 3600_000) return false;
      if (s.last && !s.last.ok && now.getTime() - Date.parse(s.last.at) < RETRY_AFTER_MS) return false;
      ctx.backup.busy = true;
      try {
        await makeBackup(ctx.db, ctx.backup, { reason: 'scheduled', actor: null, actorLabel: '(自動備份)', now });
      } catch {
        log.warn('scheduled backup failed; the reason is shown on the administrator home screen');
      } finally {
        ctx.backup.busy = false;
      }
      return true;
    } finally {
      running = false;
    }
  }

  function arm(ms: number) {
    if (stopped || opts.timers === false) return;
    timer = setTimeout(() => {
      void tick()
        .catch(() => log.warn('backup check failed'))
        .finally(() => arm(opts.checkEveryMs ?? 15 * 60_000));
    }, ms);
    timer.unref();
  }
  arm(opts.firstCheckMs ?? 2 * 60_000);

  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
