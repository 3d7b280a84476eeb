import { Paper, Stack, Text, Title } from '@mantine/core';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import type { AnswerValue, InstrumentDefinition, InstrumentItem, ResponseItem } from '../../../main/contract/types-assessments';
import { msgAssessments as m } from '../../lib/messages-assessments';
import type { MemberOption } from './AssessmentForm';
import { answersOf, entriesOf } from './answers';

/** One answer as a person reads it: 是／否, the option's words, ROC dates, the member's name. */
export function answerText(item: InstrumentItem, a: AnswerValue, members: MemberOption[]): string {
  if (a.boolean !== undefined) return item.answerOptions?.find((o) => o.code === String(a.boolean))?.display ?? (a.boolean ? m.form.yes : m.form.no);
  if (a.code !== undefined) return item.answerOptions?.find((o) => o.code === a.code)?.display ?? a.code;
  if (a.integer !== undefined) return String(a.integer);
  if (a.decimal !== undefined) return String(a.decimal);
  if (a.date !== undefined) return formatRocDate(a.date);
  if (a.dateTime !== undefined) return formatRocDateTime(a.dateTime);
  if (a.personId !== undefined) {
    const p = members.find((x) => x.personId === a.personId);
    return p ? p.name : `#${a.personId}`;
  }
  return a.string ?? '';
}

function Items({ items, value, members, depth }: { items: InstrumentItem[]; value: ResponseItem[]; members: MemberOption[]; depth: number }) {
  return (
    <Stack gap={6}>
      {items.map((item) => {
        if (item.type === 'display') return null;
        if (item.type === 'group') {
          const entries = entriesOf(value, item.linkId);
          if (entries.length === 0) return null;
          return entries.map((e, i) => (
            <Paper key={`${item.linkId}-${i}`} withBorder p="xs">
              <Title order={Math.min(6, 4 + depth) as 4 | 5 | 6} size="h6" mb={4}>
                {item.repeats && entries.length > 1 ? `${item.text} ${m.form.groupNo(i + 1)}` : item.text}
              </Title>
              <Items items={item.items ?? []} value={e.items ?? []} members={members} depth={depth + 1} />
            </Paper>
          ));
        }
        const answers = answersOf(value, item.linkId);
        return (
          <div key={item.linkId} data-testid={`answer-${item.linkId}`}>
            <Text size="xs" c="dimmed">
              {item.text}
            </Text>
            <Text size="sm">{answers.length > 0 ? answers.map((a) => answerText(item, a, members)).join('、') : m.form.unanswered}</Text>
          </div>
        );
      })}
    </Stack>
  );
}

/** The answers of a confirmed assessment, read-only and printable. */
export function AnswersView({ definition, answers, members }: { definition: InstrumentDefinition; answers: ResponseItem[]; members: MemberOption[] }) {
  return (
    <div data-testid="answers-view">
      <Items items={definition.items} value={answers} members={members} depth={0} />
    </div>
  );
}
