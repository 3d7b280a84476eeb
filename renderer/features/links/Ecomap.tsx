import { Alert, Button, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { createPortal } from 'react-dom';
import { formatRocLong, todayIso } from '../../../main/contract/roc-date';
import type { EcomapEdge, EcomapNode, EcomapView } from '../../../main/contract/types-links';
import { linksMsg } from '../../lib/messages-links';
import { printAudited } from '../../lib/print';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';

/**
 * The household's ecomap (生態圖), drawn by hand in SVG: the household in the centre, its referral
 * units, aid sources, programmes and linked households on an ellipse around it, each joined by a
 * line whose style says how the tie stands (solid, dashed, broken red), with a legend. Prints alone.
 */
const W = 960;
const H = 640;
const CX = W / 2;
const CY = 290;
const RX = 330;
const RY = 205;
const BOX_W = 176;
const BOX_H = 54;

const COLORS: Record<EcomapNode['kind'], { fill: string; stroke: string }> = {
  household: { fill: '#fff9db', stroke: '#e67700' },
  referral: { fill: '#e7f5ff', stroke: '#1c7ed6' },
  aid: { fill: '#ebfbee', stroke: '#2f9e44' },
  programme: { fill: '#f3f0ff', stroke: '#7048e8' },
  linked: { fill: '#f8f9fa', stroke: '#495057' },
};

function fit(text: string, px: number, size: number): string {
  const max = Math.max(3, Math.floor(px / size));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function edgeProps(e: EcomapEdge) {
  if (e.style === 'dashed') return { stroke: '#333', strokeDasharray: '8 6' };
  if (e.style === 'broken') return { stroke: '#e03131', strokeDasharray: '14 5 2 5' };
  return { stroke: '#333' };
}

/** Where the line from the centre meets a box of half-size (hw, hh) around (x, y). */
function boxEdge(x: number, y: number, fromX: number, fromY: number, hw: number, hh: number) {
  const dx = fromX - x;
  const dy = fromY - y;
  if (dx === 0 && dy === 0) return { x, y };
  const t = Math.min(Math.abs(dx) > 0 ? hw / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? hh / Math.abs(dy) : Infinity);
  return { x: x + dx * t, y: y + dy * t };
}

function EcomapSvg({ view, id, interactive }: { view: EcomapView; id: string; interactive: boolean }) {
  const center = view.nodes.find((n) => n.kind === 'household');
  const around = view.nodes.filter((n) => n.kind !== 'household');
  const pos = new Map<string, { x: number; y: number }>();
  pos.set('household', { x: CX, y: CY });
  around.forEach((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(around.length, 1);
    pos.set(n.id, { x: CX + RX * Math.cos(a), y: CY + RY * Math.sin(a) });
  });
  const legendY = H - 70;
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="figure" aria-labelledby={`${id}-title`} data-testid={id} style={{ fontFamily: 'inherit', display: 'block' }}>
      <title id={`${id}-title`}>{linksMsg.ecomapAria}</title>
      {view.edges.map((e, i) => {
        const other = e.from === 'household' ? e.to : e.from;
        const p = pos.get(other);
        if (!p) return null;
        const a = boxEdge(CX, CY, p.x, p.y, 95, 42);
        const b = boxEdge(p.x, p.y, CX, CY, BOX_W / 2, BOX_H / 2);
        const mx = (a.x + b.x) / 2;
        const my = (a.y + b.y) / 2;
        const node = view.nodes.find((n) => n.id === other);
        return (
          <g key={i} data-testid="ecomap-edge" data-style={e.style} data-kind={node?.kind} aria-label={`${node?.label ?? ''}：${e.label}`} role="img">
            <title>{`${node?.label ?? ''}：${e.label}`}</title>
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} strokeWidth={e.style === 'solid' ? 2.5 : 2} {...edgeProps(e)} />
            <text x={mx} y={my - 5} textAnchor="middle" fontSize={11} fill={e.style === 'broken' ? '#c92a2a' : '#333'} stroke="#fff" strokeWidth={4} paintOrder="stroke">{fit(e.label, 190, 11)}</text>
          </g>
        );
      })}
      {center && (
        <g data-testid="ecomap-center" role="img" aria-label={center.label}>
          <title>{center.label}</title>
          <ellipse cx={CX} cy={CY} rx={95} ry={42} fill={COLORS.household.fill} stroke={COLORS.household.stroke} strokeWidth={2.5} />
          <text x={CX} y={CY - 4} textAnchor="middle" fontSize={13} fontWeight={700}>{linksMsg.kinds.household}</text>
          <text x={CX} y={CY + 14} textAnchor="middle" fontSize={11} fill="#444">{fit(center.label, 170, 11)}</text>
        </g>
      )}
      {around.map((n) => {
        const p = pos.get(n.id) as { x: number; y: number };
        const c = COLORS[n.kind];
        const open = interactive && n.householdId !== undefined ? () => navigate(`/households/${n.householdId}`) : undefined;
        const name = `${linksMsg.kinds[n.kind]}：${n.label}${n.detail ? `（${n.detail}）` : ''}`;
        return (
          <g
            key={n.id}
            data-testid="ecomap-node"
            data-kind={n.kind}
            role={open ? 'link' : 'img'}
            aria-label={name}
            tabIndex={open ? 0 : undefined}
            style={open ? { cursor: 'pointer' } : undefined}
            onClick={open}
            onKeyDown={open ? (ev) => (ev.key === 'Enter' || ev.key === ' ') && (ev.preventDefault(), open()) : undefined}
          >
            <title>{name}</title>
            <rect x={p.x - BOX_W / 2} y={p.y - BOX_H / 2} width={BOX_W} height={BOX_H} rx={n.kind === 'linked' ? 4 : 14} fill={c.fill} stroke={c.stroke} strokeWidth={1.5} strokeDasharray={n.kind === 'linked' ? '6 4' : undefined} />
            <text x={p.x} y={p.y - 6} textAnchor="middle" fontSize={13} fontWeight={600}>{fit(n.label, BOX_W - 12, 13)}</text>
            <text x={p.x} y={p.y + 13} textAnchor="middle" fontSize={11} fill="#555">{fit(n.detail ?? linksMsg.kinds[n.kind] ?? '', BOX_W - 12, 11)}</text>
          </g>
        );
      })}
      <g data-testid="ecomap-legend" transform={`translate(20, ${legendY})`}>
        <text x={0} y={0} fontSize={12} fontWeight={700}>{linksMsg.legendTitle}</text>
        {(['solid', 'dashed', 'broken'] as const).map((s, i) => (
          <g key={s} transform={`translate(${i * 300}, 20)`}>
            <line x1={0} y1={0} x2={44} y2={0} strokeWidth={2.5} {...edgeProps({ from: '', to: '', style: s, label: '' })} />
            <text x={52} y={4} fontSize={11}>{linksMsg.legend[s]}</text>
          </g>
        ))}
        {(['referral', 'aid', 'programme', 'linked'] as const).map((k, i) => (
          <g key={k} transform={`translate(${i * 150}, 44)`}>
            <rect x={0} y={-9} width={18} height={14} rx={3} fill={COLORS[k].fill} stroke={COLORS[k].stroke} strokeDasharray={k === 'linked' ? '4 3' : undefined} />
            <text x={24} y={3} fontSize={11}>{linksMsg.kinds[k]}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}

function printEcomap(householdId: number): void {
  document.body.dataset.printing = 'ecomap';
  void printAudited('household', householdId, '生態圖')
    .catch(() => undefined)
    .finally(() => {
      delete document.body.dataset.printing;
    });
}

/** The ecomap tab of the household page. */
export function Ecomap({ householdId, addressText }: { householdId: number; addressText: string }) {
  const q = useApiQuery('links.ecomap', { householdId });
  if (q.error && !q.data) return <Alert color="red" role="alert">{q.error}</Alert>;
  if (!q.data) return <Loader aria-label="載入中" size="sm" />;
  const view = q.data;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">{view.nodes.length <= 1 ? linksMsg.ecomapEmpty : linksMsg.ecomapAria}</Text>
        <Button size="compact-sm" variant="default" onClick={() => printEcomap(householdId)}>{linksMsg.ecomapPrint}</Button>
      </Group>
      <ScrollArea type="auto">
        <EcomapSvg view={view} id="ecomap" interactive />
      </ScrollArea>
      {createPortal(
        <div className="genogram-print-sheet ecomap-print-sheet" data-testid="ecomap-print-sheet">
          <h2>{linksMsg.ecomapTitle}：{addressText}</h2>
          <EcomapSvg view={view} id="ecomap-print" interactive={false} />
          <p>{linksMsg.ecomapPrintedOn(formatRocLong(todayIso()))}</p>
        </div>,
        document.body,
      )}
    </Stack>
  );
}
