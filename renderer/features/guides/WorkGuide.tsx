import { Badge, Box, Group, List, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { formatRocDate } from '../../../main/contract/roc-date';
import { SERVICE_ITEMS, type CaseRequestKind } from '../../../main/contract/types-cases';
import { guideLabel, parseGuideBody, serviceItemGuideKey, type GuideKey } from '../../../main/contract/types-guides';
import { msgGuides } from '../../lib/messages-guides';
import { useApiQuery } from '../../lib/useApi';

/**
 * A guide's body as text: paragraphs and bullet lists from parseGuideBody. React escapes every string,
 * so whatever the administrator typed is shown as typed, never interpreted as markup.
 */
export function GuideBody({ body, size = 'sm' }: { body: string; size?: 'xs' | 'sm' }) {
  const blocks = parseGuideBody(body);
  return (
    <Stack gap={6}>
      {blocks.map((b, i) =>
        b.kind === 'paragraph' ? (
          <Text key={i} size={size} style={{ whiteSpace: 'pre-line' }}>
            {b.lines.join('\n')}
          </Text>
        ) : (
          <List key={i} size={size} spacing={2} withPadding>
            {b.items.map((item, j) => (
              <List.Item key={j}>{item}</List.Item>
            ))}
          </List>
        ),
      )}
    </Stack>
  );
}

/** The guide of a case request's dialog: 開案評估 for its outcomes, 結案 for closing; none for the others. */
export function requestGuideKey(kind: CaseRequestKind): GuideKey | null {
  switch (kind) {
    case 'open':
    case 'not-open':
    case 'short-term':
      return 'openAssessment';
    case 'close':
      return 'closing';
    case 'transfer':
      return null;
  }
}

/**
 * 作業指引 beside a form: the version in effect on `on` (default today) of one guide, collapsible (the
 * choice is remembered for every guide, so an experienced worker folds them away once). Shows nothing
 * when the guide has no version in effect, or while and if it cannot be loaded: a guide never stands
 * in the way of the form.
 */
export function WorkGuide({ guideKey, on }: { guideKey: GuideKey | null; on?: string | undefined }) {
  const guide = useApiQuery('guides.get', guideKey ? { key: guideKey, ...(on ? { on } : {}) } : null);
  const [open, setOpen] = useLocalStorage<boolean>({ key: 'welfare-desk.work-guide.open', defaultValue: true, getInitialValueInEffect: false });
  const v = guide.data;
  if (!guideKey || !v) return null;
  const label = guideLabel(guideKey);
  return (
    <Paper component="aside" withBorder radius="sm" px="sm" py={6} bg="var(--mantine-color-blue-light)" aria-label={`${msgGuides.heading}：${label}`} data-testid={`work-guide-${guideKey}`}>
      <UnstyledButton onClick={() => setOpen(!open)} aria-expanded={open} title={open ? msgGuides.collapse : msgGuides.expand} w="100%">
        <Group gap={6} wrap="nowrap">
          <Text size="sm" c="blue.8" aria-hidden>
            {open ? '▾' : '▸'}
          </Text>
          <Text size="sm" fw={600} c="blue.8">
            {`${msgGuides.heading}：${label}`}
          </Text>
          <Badge size="xs" variant="light" color="blue" data-testid="work-guide-version">
            {msgGuides.versionOf(formatRocDate(v.effectiveFrom))}
          </Badge>
        </Group>
      </UnstyledButton>
      {open && (
        <Box pt={6} pb={2} data-testid="work-guide-body">
          <GuideBody body={v.body} />
        </Box>
      )}
    </Paper>
  );
}

/** The guides of the service items ticked on a record form, one below the other, in the items' usual order. */
export function ServiceItemGuides({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <Stack gap={6}>
      {SERVICE_ITEMS.filter((i) => items.includes(i)).map((i) => (
        <WorkGuide key={i} guideKey={serviceItemGuideKey(i)} />
      ))}
    </Stack>
  );
}
