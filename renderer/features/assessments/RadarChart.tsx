import { Group, Stack, Text } from '@mantine/core';
import type { DomainScore } from '../../../main/contract/types-assessments';
import { msgAssessments } from '../../lib/messages-assessments';

const m = msgAssessments.chart;

/** One assessment's scores on the chart; an earlier one is drawn dashed and unfilled. */
export interface RadarSeries {
  /** e.g. the ROC date of the assessment, shown in the legend. */
  label: string;
  domains: DomainScore[];
  earlier?: boolean;
}

const RISK = '#e03131';
const PROTECTIVE = '#2f9e44';
const SIZE = 460;
const CX = SIZE / 2;
const CY = 200;
const R = 135;
const RINGS = [0.25, 0.5, 0.75, 1];

/** Share of a domain's most possible score, 0..1 (a domain with nothing to score sits at the centre). */
function share(v: number, max: number): number {
  if (!(max > 0)) return 0;
  return Math.max(0, Math.min(1, v / max));
}

function point(i: number, n: number, r: number): [number, number] {
  const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [CX + r * Math.cos(a), CY + r * Math.sin(a)];
}

const LINE = 14;
const WRAP = 6;

/** Long domain names (家庭成員身心障礙或傷病失能) on lines of at most six characters, split evenly. */
function wrapLabel(label: string): string[] {
  const chars = [...label];
  const count = Math.ceil(chars.length / WRAP);
  const per = Math.ceil(chars.length / Math.max(1, count));
  const out: string[] = [];
  for (let k = 0; k < chars.length; k += per) out.push(chars.slice(k, k + per).join(''));
  return out;
}

const pts = (list: [number, number][]) => list.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');

/**
 * 雷達圖: one axis per domain (面向); the risk and the protective factors as two polygons, each normalised
 * by the domain's most possible score, so domains with more items do not dominate. A second, earlier
 * assessment is drawn dashed over it. Plain SVG (as the cross-tab's bar chart), so it prints as drawn.
 */
export function RadarChart({ series, testId = 'radar-chart' }: { series: RadarSeries[]; testId?: string }) {
  const axes = series[0]?.domains ?? [];
  const n = Math.max(axes.length, 1);
  // The earlier assessment is drawn last, dashed and unfilled, so it stays visible where the polygons meet.
  const ordered = [...series].sort((a, b) => Number(a.earlier === true) - Number(b.earlier === true));
  const legend = series.flatMap((s) => [
    { key: `${s.label}-r`, color: RISK, dashed: s.earlier === true, text: series.length > 1 ? m.legend(m.risk, s.label) : m.risk },
    { key: `${s.label}-p`, color: PROTECTIVE, dashed: s.earlier === true, text: series.length > 1 ? m.legend(m.protective, s.label) : m.protective },
  ]);
  return (
    <Stack gap={4} className="radar-chart" style={{ breakInside: 'avoid' }}>
      <svg viewBox={`0 0 ${SIZE} ${SIZE - 60}`} width="100%" style={{ maxWidth: SIZE, fontFamily: 'sans-serif', fontSize: 12, printColorAdjust: 'exact', WebkitPrintColorAdjust: 'exact' }} role="img" aria-label={m.label} data-testid={testId}>
        {RINGS.map((f) => (
          <polygon key={f} points={pts(axes.map((_, i) => point(i, n, R * f)))} fill="none" stroke="#dee2e6" />
        ))}
        {axes.map((d, i) => {
          const [x, y] = point(i, n, R);
          const [lx, ly] = point(i, n, R + 16);
          const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
          const cos = Math.cos(angle);
          const sin = Math.sin(angle);
          const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle';
          const lines = wrapLabel(d.label);
          // Above the chart the lines grow upwards, below it downwards, beside it around the axis's end.
          const firstY = ly + 4 - (sin < -0.3 ? (lines.length - 1) * LINE : sin > 0.3 ? 0 : ((lines.length - 1) * LINE) / 2);
          return (
            <g key={d.key}>
              <line x1={CX} y1={CY} x2={x} y2={y} stroke="#ced4da" />
              <text x={lx} y={firstY} textAnchor={anchor} fill="#212529" data-testid="radar-axis">
                <title>{d.label}</title>
                {lines.map((t, k) => (
                  <tspan key={k} x={lx} dy={k === 0 ? 0 : LINE}>
                    {t}
                  </tspan>
                ))}
              </text>
            </g>
          );
        })}
        {ordered.map((s) => {
          const byKey = new Map(s.domains.map((d) => [d.key, d]));
          const risk = axes.map((a, i) => point(i, n, R * share(byKey.get(a.key)?.risk ?? 0, byKey.get(a.key)?.riskMax ?? 0)));
          const prot = axes.map((a, i) => point(i, n, R * share(byKey.get(a.key)?.protective ?? 0, byKey.get(a.key)?.protectiveMax ?? 0)));
          const dash = s.earlier ? '6 4' : undefined;
          return (
            <g key={s.label} data-testid={s.earlier ? 'radar-earlier' : 'radar-current'}>
              <polygon points={pts(prot)} fill={s.earlier ? 'none' : PROTECTIVE} fillOpacity={0.15} stroke={PROTECTIVE} strokeWidth={2} strokeDasharray={dash} data-testid="radar-protective" />
              <polygon points={pts(risk)} fill={s.earlier ? 'none' : RISK} fillOpacity={0.15} stroke={RISK} strokeWidth={2} strokeDasharray={dash} data-testid="radar-risk" />
              {axes.map((a, i) => {
                const d = byKey.get(a.key);
                const [rx, ry] = risk[i] ?? [CX, CY];
                const [px, py] = prot[i] ?? [CX, CY];
                return (
                  <g key={a.key}>
                    <circle cx={px} cy={py} r={3} fill={PROTECTIVE}>
                      <title>{m.value(a.label, m.protective, d?.protective ?? 0, d?.protectiveMax ?? 0)}</title>
                    </circle>
                    <circle cx={rx} cy={ry} r={3} fill={RISK}>
                      <title>{m.value(a.label, m.risk, d?.risk ?? 0, d?.riskMax ?? 0)}</title>
                    </circle>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Group gap="md" justify="center" data-testid="radar-legend">
        {legend.map((l) => (
          <Group key={l.key} gap={4} wrap="nowrap">
            <svg width="26" height="10" aria-hidden="true">
              <line x1="1" y1="5" x2="25" y2="5" stroke={l.color} strokeWidth="2.5" strokeDasharray={l.dashed ? '5 3' : undefined} />
            </svg>
            <Text size="xs">{l.text}</Text>
          </Group>
        ))}
      </Group>
      <Text size="xs" c="dimmed" ta="center">
        {m.note}
      </Text>
    </Stack>
  );
}
