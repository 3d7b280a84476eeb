import { ActionIcon, Indicator } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../lib/api';
import { msgNotifications } from '../../lib/messages-notifications';
import { navigate, useRoute } from '../../lib/router';
import { useUser } from '../../lib/session';
import { usePolling } from '../../lib/usePolling';
import { onNotificationsChanged } from './events';

/** How often the bell asks (every PC of a center polls; one small count query). */
export const BELL_POLL_MS = 25_000;
const STAFF: readonly string[] = ['worker', 'supervisor', 'admin'];

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

function Bell() {
  const [count, setCount] = useState<number | null>(null);
  const route = useRoute();
  // Only the newest answer counts: a slow poll must not overwrite a fresher count.
  const latest = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const { count: n } = await call('notifications.unreadCount', {});
      if (mine === latest.current) setCount(n);
    } catch {
      // The count is a hint; the inbox shows errors.
    }
  }, []);
  usePolling(refresh, BELL_POLL_MS);
  // After every navigation (an action elsewhere usually ends in one) and when the inbox marks something.
  useEffect(() => {
    void refresh();
  }, [refresh, route]);
  useEffect(() => onNotificationsChanged(() => void refresh()), [refresh]);

  const n = count ?? 0;
  return (
    <Indicator label={n > 99 ? '99+' : String(n)} size={18} color="red" disabled={n === 0} offset={4} data-testid="notification-count">
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={msgNotifications.bell(n)} title={msgNotifications.bell(n)} onClick={() => navigate('/notifications')} data-testid="notification-bell">
        <BellIcon />
      </ActionIcon>
    </Indicator>
  );
}

/** The header's bell with the unread count (staff roles only), linking to the inbox. */
export function NotificationBell() {
  const user = useUser();
  return STAFF.includes(user.role) ? <Bell /> : null;
}
