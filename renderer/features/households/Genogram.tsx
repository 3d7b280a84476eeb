import { printAudited } from '../../lib/print';
import { Button, Group, Paper, ScrollArea, Text, Title } from '@mantine/core';
import { createPortal } from 'react-dom';
import { formatRocLong, todayIso } from '../../../main/contract/roc-date';
import type { MemberView } from '../../../main/contract/types-households';
import { OUT_OF_SCOPE_LABEL, type HouseholdLinksView } from '../../../main/contract/types-links';
import { msg } from '../../lib/messages';
import { linksMsg } from '../../lib/messages-links';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { isStaff } from './format';
import './genogram.css';
import { layoutWithLinks, SYMBOL, type GenoNode, type LinkedCluster, type LinkedPerson } from './genogramLayout';

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

function SexSymbol({ p }: { p: LinkedPerson }) {
  const common = { fill: '#fff', stroke: '#222', strokeWidth: 1.5 };
  if (p.sex === 'M') return <rect x={p.x - H} y={p.y - H} width={SYMBOL} height={SYMBOL} {...common} />;
  if (p.sex === 'F') return <circle cx={p.x} cy={p.y} r={H} {...common} />;
  return <polygon points={`${p.x},${p.y - H - 4} ${p.x + H + 4},${p.y} ${p.x},${p.y + H + 4} ${p.x - H - 4},${p.y}`} {...common} />;
}

/** Cuts a long caption to fit its box (the full text stays in the box's accessible name). */
function fit(text: string, width: number): string {
  const max = Math.max(4, Math.floor((width - 16) / 12));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A linked household's box: clicking one in scope opens it. */
function Cluster({ c, interactive }: { c: LinkedCluster; interactive: boolean }) {
  const relations = [...new Set(c.relations)].join('、');
  const name = c.inScope ? `${linksMsg.genogramLinked}：${c.label}（${relations}）` : linksMsg.genogramOutOfScope(relations);
  const open = interactive && c.inScope && c.householdId !== null ? () => navigate(`/households/${c.householdId}`) : undefined;
  return (
    <g
      data-testid="genogram-linked"
      data-linked={c.inScope ? 'in-scope' : 'out-of-scope'}
      aria-label={open ? linksMsg.genogramOpen(c.label) : name}
      role={open ? 'link' : 'img'}
      tabIndex={open ? 0 : undefined}
      style={open ? { cursor: 'pointer' } : undefined}
      onClick={open}
      onKeyDown={open ? (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), open()) : undefined}
    >
      <title>{name}</title>
      <rect x={c.x} y={c.y} width={c.w} height={c.h} rx={10} fill={c.inScope ? '#f6faff' : '#f4f4f4'} stroke={c.inScope ? '#1c7ed6' : '#888'} strokeWidth={1.5} strokeDasharray="6 4" />
      <text x={c.x + c.w / 2} y={c.y + 22} textAnchor="middle" fontSize={12} fontWeight={600} fill={c.inScope ? '#1864ab' : '#555'}>{fit(c.label, c.w)}</text>
      {c.persons.map((p) => (
        <g key={p.key}>
          <SexSymbol p={p} />
          {p.name && <text x={p.x} y={p.y + H + 18} textAnchor="middle" fontSize={13} fill="#111">{p.name}</text>}
        </g>
      ))}
    </g>
  );
}

function GenogramSvg({ members, links, householdId, id }: { members: MemberView[]; links: HouseholdLinksView | null; householdId: number | null; id: string }) {
  const g = layoutWithLinks(members, links, householdId, OUT_OF_SCOPE_LABEL, linksMsg.noHousehold);
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
      {g.clusters.map((c) => (
        <Cluster key={c.key} c={c} interactive={id === 'genogram'} />
      ))}
      {/* Over the boxes, the relation written nearer the member's end, where the line runs clear of the box. */}
      {g.linkLines.map((l, i) => (
        <g key={`l${i}`} data-testid="genogram-link-line">
          <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} stroke="#1c7ed6" strokeWidth={1.5} strokeDasharray={l.dashed ? '5 4' : undefined} />
          <text x={l.x1 + (l.x2 - l.x1) * 0.4} y={l.y1 + (l.y2 - l.y1) * 0.4 - 6} textAnchor="middle" fontSize={12} fontWeight={600} fill="#1864ab" stroke="#fff" strokeWidth={4} paintOrder="stroke">{l.label}</text>
        </g>
      ))}
      {g.nodes.map((n) => (
        <Person key={n.member.membershipId} n={n} />
      ))}
    </svg>
  );
}

/** The genogram panel with a print button; only the genogram (with a heading) goes to paper. */
export function Genogram({ members, addressText, householdId }: { members: MemberView[]; addressText: string; householdId?: number }) {
  const staff = isStaff(useUser().role);
  // Linked households (issue 14 §5): only staff reach links; 實物銀行 sees the household alone.
  const links = useApiQuery('links.list', staff && householdId !== undefined ? { householdId } : null).data;
  const linked = links !== null && links.members.some((m) => m.links.length > 0);
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
        <GenogramSvg members={members} links={links} householdId={householdId ?? null} id="genogram" />
      </ScrollArea>
      <Text size="xs" c="dimmed" mt="xs">{msg.genogram.legend}</Text>
      {linked && <Text size="xs" c="dimmed">{linksMsg.genogramLegend}</Text>}
      {createPortal(
        // A plain div: a Mantine component's own display rule could beat the print sheet's.
        <div className="genogram-print-sheet" data-testid="genogram-print-sheet">
          <h2>{msg.genogram.title}：{addressText}</h2>
          <GenogramSvg members={members} links={links} householdId={householdId ?? null} id="genogram-print" />
          <p>{msg.genogram.legend}</p>
          {linked && <p>{linksMsg.genogramLegend}</p>}
          <p>{msg.genogram.printedOn(formatRocLong(todayIso()))}</p>
        </div>,
        document.body,
      )}
    </Paper>
  );
}
