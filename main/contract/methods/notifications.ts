import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../schemas';

/**
 * Notifications (通知, issue 11 "Know what needs you"): what happened to the caller's work. Every method
 * answers about the caller's own notifications only; the record a notification leads to stays
 * access-checked on its own screen.
 */

export const NOTIFICATION_KINDS = ['returned', 'approved', 'referral', 'assigned', 'follow-up'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationItem {
  /** The stored notification's id; null for a follow-up due today that has not been read yet. */
  id: number | null;
  kind: NotificationKind;
  /** Where it leads: the case when there is one, else the household. */
  caseId: number | null;
  householdId: number | null;
  /** For a follow-up due today: its service record (the handle for `notifications.markRead`). */
  serviceId: number | null;
  /** zh-TW, never a national ID or a narrative. */
  summary: string;
  /** The supervisor's comment of a 退回 (or of an approval, when given). */
  comment: string | null;
  /** ISO-8601 UTC; a follow-up due today carries the start of the day (Taipei). */
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  /** Follow-ups due today (computed when asked, not paged): shown above the others. */
  dueToday: NotificationItem[];
  rows: NotificationItem[];
  total: number;
}

/** A request of the caller's that a supervisor returned and that has not been asked again since. */
export interface ReturnedRequestRow {
  requestId: number;
  caseId: number;
  caseNo: string;
  /** The request kind's zh-TW label (開案, 結案, ...). */
  kindLabel: string;
  comment: string | null;
  decidedAt: string;
  decidedBy: string;
}

const STAFF = ['worker', 'supervisor', 'admin'] as const;

export const notificationsMethods = {
  /** Mine, newest first. `unread` keeps only the unread ones. */
  'notifications.list': method<NotificationPage>()({
    input: z.strictObject({
      unread: z.boolean().default(false),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100).default(30),
    }),
    access: STAFF,
  }),
  /** Unread notifications plus unread follow-ups due today: the number on the header's bell. */
  'notifications.unreadCount': method<{ count: number }>()({ input: z.strictObject({}), access: STAFF }),
  /** Marks one read: a stored notification by id, or a follow-up due today by its service record. */
  'notifications.markRead': method<{ count: number }>()({
    write: true,
    input: z
      .strictObject({ id: idSchema.optional(), serviceId: idSchema.optional() })
      .refine((v) => (v.id === undefined) !== (v.serviceId === undefined), { message: '請指定一則通知', path: ['id'] }),
    access: STAFF,
  }),
  /** Marks every one of mine read (follow-ups due today too). */
  'notifications.markAllRead': method<{ count: number }>()({ write: true, input: z.strictObject({}), access: STAFF }),
  /** My requests returned by a supervisor and not asked again since (the home tile 已退回). */
  'notifications.returned': method<ReturnedRequestRow[]>()({ input: z.strictObject({}), access: STAFF }),
} as const;
