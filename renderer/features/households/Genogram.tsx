import { printAudited } from '../../lib/print';
import { Button, Group, Paper, ScrollArea, Text, Title } from '@mantine/core';
import { createPortal } from 'react-dom';
import { formatRocLong, todayIso } from '../../../main/contract/roc-date';
import type { MemberView } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import './genogram.css';
import { layoutGenogram, SYMBOL, type GenoNode } from './genogramLayout';

const H = SYMBOL / 2;

function PersonSymbol({ n }: { n: GenoNode }) {
  const dash = n.past ? '5 4' : undefined;
  const common = { fill: '#fff', stroke: '#222', strokeWidth: n.head ? 3 : 1.5, strokeDasharray: dash };
  const sex = n.member.sex;
  const shape =
    sex === 'M' ? (
      <rect x={n.x - H} y={n.y - H} width={SYMBOL} height={SYMBOL} {...common} />
    ) : sex === 'F' ? (
      <circle cx={n.x} cy={n.y} r={H} {...common} />
    ) : (
      <polygon points={`${n.x},${n.y - H - 4} ${n.x + H + 4},${n.y} ${n.x},${n.y + H + 4} ${n.x - H - 4},${n.y}`} {...common} />
    );
  // The 戶長 (index person) gets the conventional double outline.
  const outer =
    n.head &&
    (sex === 'F' ? (
      <circle cx={n.x} cy={n.y} r={H + 5} fill="none" stroke="#222" strokeWidth={1} />
    ) : sex === 'M' ? (
      <rect x={n.x - H - 5} y={n.y - H - 5} width={SYMBOL + 10} height={SYMBOL + 10} fill="none" stroke="#222" strokeWidth={1} />
    ) : null);
  return (
    <>
      {outer}
      {shape}
      {n.deceased && <path d={`M${n.x - H} ${n.y - H}L${n.x + H} ${n.y + H}M${n.x + H} ${n.y - H}L${n.x - H} ${n.y + H}`} stroke="#222" strokeWidth={1.5} />}
    </>
  );
}

function Person({ n }: { n: GenoNode }) {
  const m = n.member;
  const label = `${m.name}，${m.relation}${n.age !== null ? `，${n.age}歲` : ''}${n.past ? '，過去成員' : ''}`;
  return (
    <g data-person={m.personId} data-sex={m.sex ?? ''} data-past={n.past} aria-label={label} role="img">
      <title>{label}</title>
      <PersonSymbol n={n} />
      {n.age !== null && !n.deceased && (
        <text x={n.x} y={n.y + 5} textAnchor="middle" fontSize={14} fill="#222">{n.age}</text>
      )}
      <text x={n.x} y={n.y + H + 18} textAnchor="middle" fontSize={14} fontWeight={n.head ? 700 : 400} fill="#111">{m.name}</text>
      <text x={n.x} y={n.y + H + 34} textAnchor="middle" fontSize={11} fill="#555">
        {m.relation}
        {n.past ? (n.deceased ? '（歿）' : '（已離開）') : ''}
      </text>
    </g>
  );
}

function GenogramSvg({ members, id }: { members: MemberView[]; id: string }) {
  const g = layoutGenogram(members);
  return (
    <svg
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="figure"
      aria-labelledby={`${id}-title`}
      data-testid={id}
      style={{ fontFamily: 'inherit', display: 'block' }}
    >
      <title id={`${id}-title`}>{msg.genogram.ariaLabel}</title>
      {g.lines.map((l, i) => (
        <line key={i} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} stroke="#222" strokeWidth={1.5} strokeDasharray={l.dashed ? '5 4' : undefined} />
      ))}
      {g.othersY !== null && (
        <text x={8} y={g.othersY - H - 12} fontSize={12} fill="#555">{msg.genogram.others}</text>
      )}
      {g.nodes.map((n) => (
        <Person key={n.member.membershipId} n={n} />
      ))}
    </svg>
  );
}

/** The genogram panel with a print button; only the genogram (with a heading) goes to paper. */
export function Genogram({ members, addressText, householdId }: { members: MemberView[]; addressText: string; householdId?: number }) {
  if (members.length === 0) {
    return (
      <Paper withBorder p="md">
        <Title order={4}>{msg.genogram.title}</Title>
        <Text size="sm" c="dimmed">{msg.genogram.empty}</Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{msg.genogram.title}</Title>
        <Button size="compact-sm" variant="default" onClick={() => void printAudited('household', householdId ?? null, '家系圖').catch(() => undefined)}>{msg.genogram.print}</Button>
      </Group>
      <ScrollArea type="auto">
        <GenogramSvg members={members} id="genogram" />
      </ScrollArea>
      <Text size="xs" c="dimmed" mt="xs">{msg.genogram.legend}</Text>
      {createPortal(
        // A plain div: a Mantine component's own display rule could beat the print sheet's.
        <div className="genogram-print-sheet" data-testid="genogram-print-sheet">
          <h2>{msg.genogram.title}：{addressText}</h2>
          <GenogramSvg members={members} id="genogram-print" />
          <p>{msg.genogram.legend}</p>
          <p>{msg.genogram.printedOn(formatRocLong(todayIso()))}</p>
        </div>,
        document.body,
      )}
    </Paper>
  );
}
