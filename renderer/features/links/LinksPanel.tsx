import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Table, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { linksMsg as m } from '../../lib/messages-links';
import { useApiQuery } from '../../lib/useApi';
import { Ecomap } from './Ecomap';
import { AddLinkModal, EditLinkModal, EndLinkModal, type LinkTarget } from './LinkModals';

/**
 * The household page's 跨戶關係與生態圖 panel (issue 14 §5), beside the genogram: the members' links to
 * persons of other households (a household out of the caller's scope only as 另一戶（非本人轄區）), with
 * add / change / end, and the ecomap tab. Writes refresh the genogram's links through the shared cache.
 */
export function LinksPanel({ householdId, addressText }: { householdId: number; addressText: string }) {
  const q = useApiQuery('links.list', { householdId });
  const [tab, setTab] = useState<string | null>('links');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<LinkTarget | null>(null);
  const [ending, setEnding] = useState<LinkTarget | null>(null);
  const done = () => {
    setAdding(false);
    setEditing(null);
    setEnding(null);
    void q.reload();
  };
  const rows = (q.data?.members ?? []).flatMap((member) => member.links.map((link) => ({ member, link })));
  return (
    <Paper withBorder p="md" data-testid="links-panel">
      <Title order={4} mb="xs">{m.panelTitle}</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="links">{m.tabLinks}</Tabs.Tab>
          <Tabs.Tab value="ecomap">{m.tabEcomap}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="links" pt="sm">
          <Group justify="space-between" mb="xs" align="flex-start">
            <Text size="sm" c="dimmed" maw={640}>{m.intro}</Text>
            <Button size="compact-sm" onClick={() => setAdding(true)} disabled={!q.data} data-testid="link-add">{m.add}</Button>
          </Group>
          {q.error && <Alert color="red" role="alert">{q.error}</Alert>}
          {!q.data && !q.error && <Loader size="sm" aria-label="載入中" />}
          {q.data && rows.length === 0 && <Text size="sm" c="dimmed">{m.empty}</Text>}
          {rows.length > 0 && (
            <Table.ScrollContainer minWidth={640}>
              <Table aria-label={m.tableLabel} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{m.columns.member}</Table.Th>
                    <Table.Th>{m.columns.relation}</Table.Th>
                    <Table.Th>{m.columns.other}</Table.Th>
                    <Table.Th>{m.columns.household}</Table.Th>
                    <Table.Th>{m.columns.note}</Table.Th>
                    <Table.Th>{m.columns.actions}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map(({ member, link }) => (
                    <Table.Tr key={`${member.personId}-${link.id}`} data-testid="link-row">
                      <Table.Td>{member.name}</Table.Td>
                      <Table.Td>
                        <Badge variant="light">{link.relation}</Badge>
                      </Table.Td>
                      <Table.Td>{link.other.inScope ? link.other.name : <Text span c="dimmed" size="sm">{link.other.label}</Text>}</Table.Td>
                      <Table.Td>
                        {link.other.inScope && link.other.householdId !== null ? (
                          <Anchor href={`#/households/${link.other.householdId}`} size="sm">{link.other.householdLabel}</Anchor>
                        ) : link.other.inScope ? (
                          <Text size="sm" c="dimmed">{m.noHousehold}</Text>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>{link.note ?? ''}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" variant="default" onClick={() => setEditing({ member, link })}>{m.edit}</Button>
                          <Button size="compact-xs" variant="subtle" color="red" onClick={() => setEnding({ member, link })}>{m.end}</Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="ecomap" pt="sm">
          <Ecomap householdId={householdId} addressText={addressText} />
        </Tabs.Panel>
      </Tabs>
      <AddLinkModal opened={adding} householdId={householdId} members={q.data?.members ?? []} onClose={() => setAdding(false)} onSaved={done} />
      <EditLinkModal target={editing} onClose={() => setEditing(null)} onSaved={done} onReload={done} />
      <EndLinkModal target={ending} onClose={() => setEnding(null)} onSaved={done} onReload={done} />
    </Paper>
  );
}
