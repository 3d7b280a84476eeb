import { Button, Menu } from '@mantine/core';
import type { MemberView } from '../../../main/contract/types-households';
import { msgAudit } from '../../lib/messages-audit';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';

/**
 * "Who saw this person" (個資法 request), from a household's page: one button whose menu names each member
 * (and the household as a whole); choosing one opens the audit screen filtered to everything about them.
 * Shown to 管理者 only: the audit screen is for 管理者 and 稽核, and 稽核 never opens a household page.
 */
export function WhoSawMenu({ householdId, members }: { householdId: number; members: MemberView[] }) {
  const user = useUser();
  if (user.role !== 'admin') return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" color="grape" data-testid="who-saw">{msgAudit.whoSaw}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{msgAudit.whoSawMenuLabel}</Menu.Label>
        {members.map((m) => (
          <Menu.Item key={m.membershipId} onClick={() => navigate(`/audit?person=${m.personId}`)}>
            {m.name}（{m.relation}）
          </Menu.Item>
        ))}
        <Menu.Item onClick={() => navigate(`/audit?household=${householdId}`)}>{msgAudit.whoSawHousehold}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
