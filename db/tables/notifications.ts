/** Kysely types for notifications (migration 2026-12-06-0013-notifications). */
import type { Generated } from 'kysely';

export interface NotificationsTable {
  id: Generated<number>;
  /** The recipient: only they ever list, count or mark it. */
  user_id: number;
  /** 'returned' | 'approved' | 'referral' | 'assigned' | 'follow-up' */
  kind: string;
  /** 'case' | 'referral' | 'service' */
  entity: string;
  entity_id: number;
  case_id: number | null;
  household_id: number | null;
  /** Short zh-TW line: case number or referral unit, never a national ID or narrative. */
  summary: string;
  /** The supervisor's comment of a 退回 (or an approval's). */
  comment: string | null;
  /** Only for 'follow-up': the due date, so a follow-up is stored once per day. */
  day: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationTables {
  notifications: NotificationsTable;
}
