/**
 * The household's ecomap (生態圖, issue 14 §5): the household in the centre and around it its
 * resources and networks, as nodes and edges for the renderer to draw:
 * - referrals (one node per receiving unit, its latest referral's status on the line): 受案 and
 *   轉介完成 solid, 轉介等待中 dashed, 不受案, 退回 and 轉介失敗 broken (drawn red). Only referrals tied
 *   to no case or to a case the caller may open, as on the household page's timeline.
 * - aid from other units (external_aid, not deleted; one node per source): solid.
 * - programmes the members take part in (one node per programme): 參加中 solid, 已結業 dashed, 已退出 broken.
 * - linked households (links.list's scope rules: a household the caller may see is named and can be
 *   opened; any other is one node per link labelled 另一戶（非本人轄區）, never grouped).
 * Labels are zh-TW with ROC dates. Not audited as a view: the household page's view row covers it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { formatRocDate } from '../../contract/roc-date';
import type { EnrolmentStatus } from '../../contract/types-programmes';
import { OUT_OF_SCOPE_LABEL, type EcomapEdge, type EcomapEdgeStyle, type EcomapNode, type EcomapView } from '../../contract/types-links';
import { caseVisible, type Scope } from '../access/scope';
import { householdLabels, listHouseholdLinks } from './service';

type Db = Kysely<Database>;

export function referralStyle(status: string): EcomapEdgeStyle {
  if (status === '受案' || status === '轉介完成') return 'solid';
  if (status === '轉介等待中') return 'dashed';
  return 'broken';
}

const ENROLMENT: Record<EnrolmentStatus, { label: string; style: EcomapEdgeStyle }> = {
  enrolled: { label: '參加中', style: 'solid' },
  completed: { label: '已結業', style: 'dashed' },
  withdrew: { label: '已退出', style: 'broken' },
};

const money = (n: number) => `${Math.round(n).toLocaleString('en-US')} 元`;

export async function householdEcomap(db: Db, scope: Scope, householdId: number): Promise<EcomapView> {
  // listHouseholdLinks checks the household is in scope (NOT_FOUND otherwise) and the role may read case content.
  const links = await listHouseholdLinks(db, scope, householdId);
  const nodes: EcomapNode[] = [];
  const edges: EcomapEdge[] = [];
  const center = (await householdLabels(db, [householdId])).get(householdId) ?? '本戶';
  nodes.push({ id: 'household', kind: 'household', label: center, detail: null, householdId });

  // 轉介
  const caseIds = (await db.selectFrom('cases').select('id').where('household_id', '=', householdId).where(caseVisible(scope)).execute()).map((r) => r.id);
  const referrals = await db
    .selectFrom('referrals')
    .select(['id', 'unit_kind', 'unit_name', 'status', 'referred_on'])
    .where('household_id', '=', householdId)
    .where((eb) => (caseIds.length > 0 ? eb.or([eb('case_id', 'is', null), eb('case_id', 'in', caseIds)]) : eb('case_id', 'is', null)))
    .orderBy('referred_on', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const byUnit = new Map<string, (typeof referrals)[number][]>();
  for (const r of referrals) byUnit.set(r.unit_name, [...(byUnit.get(r.unit_name) ?? []), r]);
  for (const [unit, rows] of byUnit) {
    const last = rows[rows.length - 1] as (typeof rows)[number];
    const id = `referral:${last.id}`;
    nodes.push({ id, kind: 'referral', label: unit, detail: `轉介・${last.unit_kind}` });
    edges.push({ from: 'household', to: id, style: referralStyle(last.status), label: `${last.status}（${formatRocDate(last.referred_on)}${rows.length > 1 ? `，共 ${rows.length} 次` : ''}）` });
  }

  // 外部資源挹注
  const aid = await db
    .selectFrom('external_aid')
    .select(['id', 'source_kind', 'source_name', 'kind', 'amount', 'received_on'])
    .where('household_id', '=', householdId)
    .where('deleted_at', 'is', null)
    .orderBy('received_on', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const bySource = new Map<string, (typeof aid)[number][]>();
  for (const a of aid) bySource.set(a.source_name, [...(bySource.get(a.source_name) ?? []), a]);
  for (const [source, rows] of bySource) {
    const last = rows[rows.length - 1] as (typeof rows)[number];
    const id = `aid:${last.id}`;
    const total = rows.reduce((s, r) => s + (r.amount ?? 0), 0);
    const kinds = [...new Set(rows.map((r) => r.kind))].join('、');
    nodes.push({ id, kind: 'aid', label: source, detail: `${last.source_kind}${total > 0 ? `・${money(total)}` : ''}` });
    edges.push({ from: id, to: 'household', style: 'solid', label: `${kinds}（${formatRocDate(last.received_on)}${rows.length > 1 ? `，共 ${rows.length} 次` : ''}）` });
  }

  // 方案
  const enrolments = await db
    .selectFrom('programme_enrolments as e')
    .innerJoin('programmes as p', 'p.id', 'e.programme_id')
    .innerJoin('persons as ps', 'ps.id', 'e.person_id')
    .select(['p.id as programmeId', 'p.name as programmeName', 'p.programme_type', 'ps.name as personName', 'e.status', 'e.enrolled_on'])
    .where((eb) =>
      eb.or([
        eb('e.household_id', '=', householdId),
        eb('e.person_id', 'in', eb.selectFrom('household_members').select('person_id').where('household_id', '=', householdId).where('left_on', 'is', null)),
      ]),
    )
    .orderBy('e.enrolled_on', 'asc')
    .execute();
  const byProgramme = new Map<number, (typeof enrolments)[number][]>();
  for (const e of enrolments) byProgramme.set(e.programmeId, [...(byProgramme.get(e.programmeId) ?? []), e]);
  for (const [programmeId, rows] of byProgramme) {
    const first = rows[0] as (typeof rows)[number];
    const id = `programme:${programmeId}`;
    // The strongest tie decides the line: anyone still taking part, else completed, else withdrew.
    const status = (['enrolled', 'completed', 'withdrew'] as const).find((s) => rows.some((r) => r.status === s)) ?? 'enrolled';
    const who = [...new Set(rows.filter((r) => r.status === status).map((r) => r.personName))].join('、');
    nodes.push({ id, kind: 'programme', label: first.programmeName, detail: `方案・${first.programme_type}` });
    edges.push({ from: 'household', to: id, style: ENROLMENT[status].style, label: `${who}${ENROLMENT[status].label}` });
  }

  // 相關家戶
  const linkedNodes = new Map<string, EcomapNode>();
  for (const m of links.members) {
    for (const l of m.links) {
      const label = `${m.name}的${l.relation}`;
      const style: EcomapEdgeStyle = l.relation === '前配偶' ? 'dashed' : 'solid';
      if (l.other.inScope && l.other.householdId !== null) {
        if (l.other.householdId === householdId) continue;
        const id = `linked:${l.other.householdId}`;
        if (!linkedNodes.has(id)) {
          const node: EcomapNode = { id, kind: 'linked', label: l.other.householdLabel ?? '相關家戶', detail: l.other.name, householdId: l.other.householdId };
          linkedNodes.set(id, node);
          nodes.push(node);
          edges.push({ from: 'household', to: id, style, label: `${l.other.name}：${label}` });
        } else {
          const node = linkedNodes.get(id) as EcomapNode;
          node.detail = `${node.detail ?? ''}、${l.other.name}`;
          const edge = edges.find((e) => e.to === id) as EcomapEdge;
          edge.label = `${edge.label}；${l.other.name}：${label}`;
        }
      } else if (l.other.inScope) {
        const id = `linked-person:${l.other.personId}`;
        nodes.push({ id, kind: 'linked', label: l.other.name, detail: '未登錄同住家戶' });
        edges.push({ from: 'household', to: id, style, label });
      } else {
        // One node per link: nothing tells whether two of them lead to one household.
        const id = `linked-other:${l.id}`;
        nodes.push({ id, kind: 'linked', label: OUT_OF_SCOPE_LABEL, detail: null });
        edges.push({ from: 'household', to: id, style, label });
      }
    }
  }
  return { householdId, nodes, edges };
}
