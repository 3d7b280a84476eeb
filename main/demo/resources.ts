/**
 * Demo resource map (issue 14 §3): fourteen local resources around the demo district (南投縣南投市),
 * fictional contacts and numbers. Resources without districts serve the whole county. The referrals
 * the cases seeder made to the units that are on the map are linked to them, so the per-resource
 * figures (轉介 / 受案 / 完成) have history. Runs after the cases seeder.
 */
import type { ReferralUnitKind } from '../contract/types-cases';
import type { ResourceServiceType, ResourceTargetGroup } from '../contract/types-resources';
import { appendAudit } from '../services/audit/log';
import { DEMO_TOWN_CODE } from './households';
import type { DemoContext } from './index';

interface DemoResource {
  name: string;
  kind: ReferralUnitKind;
  services: ResourceServiceType[];
  targets: ResourceTargetGroup[];
  /** true: 南投市 only; false: the whole county. */
  town: boolean;
  contact: string;
  phone: string;
  address: string;
  email?: string;
  capacity?: string;
  waitDays: number | null;
  notes?: string;
}

export const DEMO_RESOURCES: DemoResource[] = [
  { name: '南投就業中心', kind: '勞政', services: ['就業'], targets: ['一般', '婦女', '身障者'], town: true, contact: '林就服員', phone: '049-2201234', address: '南投縣南投市民族路 101 號', email: 'job@example.tw', capacity: '每週可安排 10 人次諮詢', waitDays: 7, notes: '可協助職訓報名與就業媒合' },
  { name: '南投縣社區心理衛生中心', kind: '衛政', services: ['心理諮商', '醫療'], targets: ['一般', '兒少', '婦女'], town: false, contact: '陳心理師', phone: '049-2209876', address: '南投縣南投市復興路 6 號', capacity: '每月 30 案', waitDays: 14, notes: '自殺防治、情緒支持；需填寫轉介單' },
  { name: '南投國民中學輔導室', kind: '教育', services: ['教育', '心理諮商'], targets: ['兒少'], town: true, contact: '黃輔導老師', phone: '049-2222101', address: '南投縣南投市中山路 150 號', waitDays: 3 },
  { name: '南投分局', kind: '警政', services: ['家暴保護'], targets: ['婦女', '兒少', '老人'], town: true, contact: '家防官', phone: '049-2242011', address: '南投縣南投市三民路 50 號', waitDays: 0, notes: '緊急狀況請直撥 110' },
  { name: '家扶基金會南投分事務所', kind: '民間團體', services: ['經濟扶助', '物資', '教育'], targets: ['兒少', '家庭'], town: false, contact: '張社工', phone: '049-2231700', address: '南投縣南投市文化路 88 號', email: 'nantou@example.org', capacity: '扶助名額依年度核定', waitDays: 10 },
  { name: '南投縣老人福利協會', kind: '民間團體', services: ['長照', '物資'], targets: ['老人'], town: true, contact: '吳總幹事', phone: '049-2235566', address: '南投縣南投市和平路 23 號', waitDays: 5, notes: '送餐、關懷訪視' },
  { name: '南投縣政府社會救助科', kind: '社政', services: ['經濟扶助'], targets: ['家庭', '一般'], town: false, contact: '承辦人', phone: '049-2222106', address: '南投縣南投市中興路 660 號', waitDays: 14, notes: '急難救助、低收入戶申請' },
  { name: '南投縣長期照顧管理中心', kind: '衛政', services: ['長照'], targets: ['老人', '身障者'], town: false, contact: '照管專員', phone: '049-2209595', address: '南投縣南投市復興路 6 號', capacity: '評估排程約三週', waitDays: 21 },
  { name: '南投縣身心障礙者資源中心', kind: '社政', services: ['身障'], targets: ['身障者'], town: false, contact: '個管員', phone: '049-2203344', address: '南投縣南投市彰南路 300 號', waitDays: 10 },
  { name: '法律扶助基金會南投分會', kind: '民間團體', services: ['法律'], targets: ['一般', '婦女'], town: false, contact: '審查委員會', phone: '049-2248650', address: '南投縣南投市中興路 720 號', capacity: '每週二、四法律諮詢', waitDays: 20 },
  { name: '南投市公共托育家園', kind: '社政', services: ['托育'], targets: ['兒少'], town: true, contact: '園長', phone: '049-2256789', address: '南投縣南投市光明路 12 號', capacity: '收托 12 名', waitDays: 60 },
  { name: '南投縣租屋服務中心', kind: '民間團體', services: ['居住'], targets: ['家庭', '老人', '一般'], town: false, contact: '李專員', phone: '049-2261122', address: '南投縣南投市建國路 45 號', waitDays: 30, notes: '包租代管、租金補貼申請協助' },
  { name: '南投縣婦女福利服務中心', kind: '民間團體', services: ['心理諮商', '就業', '其他'], targets: ['婦女'], town: true, contact: '周社工', phone: '049-2270909', address: '南投縣南投市自強路 9 號', waitDays: 7 },
  { name: '南投縣家庭暴力及性侵害防治中心', kind: '社政', services: ['家暴保護', '心理諮商'], targets: ['婦女', '兒少'], town: false, contact: '值班社工', phone: '049-2222113', address: '南投縣南投市中興路 660 號', waitDays: 0, notes: '24 小時通報：113' },
];

export async function seedResources(ctx: DemoContext): Promise<void> {
  const { db, now, staff } = ctx;
  const ts = now.toISOString();
  const by = staff.admins[0] ?? null;
  await db.transaction().execute(async (trx) => {
    for (const r of DEMO_RESOURCES) {
      const row = await trx
        .insertInto('resources')
        .values({
          name: r.name,
          unit_kind: r.kind,
          contact_person: r.contact,
          phone: r.phone,
          address: r.address,
          email: r.email ?? null,
          capacity: r.capacity ?? null,
          wait_days: r.waitDays,
          notes: r.notes ?? null,
          created_at: ts,
          created_by: by,
          updated_at: ts,
          updated_by: by,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('resource_services').values(r.services.map((s) => ({ resource_id: row.id, service_type: s }))).execute();
      await trx.insertInto('resource_targets').values(r.targets.map((t) => ({ resource_id: row.id, target_group: t }))).execute();
      if (r.town) await trx.insertInto('resource_districts').values({ resource_id: row.id, division_code: DEMO_TOWN_CODE }).execute();
      await trx.updateTable('referrals').set({ resource_id: row.id }).where('unit_name', '=', r.name).where('unit_kind', '=', r.kind).execute();
    }
    await appendAudit(trx, { actor: null, actorLabel: '示範資料', action: 'import', entity: 'demo', detail: { part: 'resources', resources: DEMO_RESOURCES.length } }, now);
  });
}
