/** Kysely types for the resource map (migration 2026-12-07-0030-resources). */
import type { Generated } from 'kysely';

/** 資源地圖: one organisation or unit a center refers people to. */
export interface ResourcesTable {
  id: Generated<number>;
  name: string;
  /** A REFERRAL_UNIT_KINDS value. */
  unit_kind: string;
  contact_person: string | null;
  phone: string | null;
  address: string | null;
  email: string | null;
  capacity: string | null;
  /** 等候天數; null = unknown. */
  wait_days: number | null;
  notes: string | null;
  /** 1 offered, 0 archived. */
  active: Generated<number>;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface ResourceServicesTable {
  resource_id: number;
  /** A RESOURCE_SERVICE_TYPES value. */
  service_type: string;
}

export interface ResourceTargetsTable {
  resource_id: number;
  /** A RESOURCE_TARGET_GROUPS value. */
  target_group: string;
}

export interface ResourceDistrictsTable {
  resource_id: number;
  /** A town-level division code; no rows = every district. */
  division_code: string;
}

export interface ResourceTables {
  resources: ResourcesTable;
  resource_services: ResourceServicesTable;
  resource_targets: ResourceTargetsTable;
  resource_districts: ResourceDistrictsTable;
}
