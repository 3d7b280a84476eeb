/** Result types of the food-bank methods (issue 5). Quantities are in the item's unit (kg for by-weight items). */

export const FB_LOCATION_KINDS = ['hub', 'point'] as const;
export type FbLocationKind = (typeof FB_LOCATION_KINDS)[number];
export const FB_LOCATION_KIND_LABELS: Record<FbLocationKind, string> = { hub: '總行', point: '發放站' };

export const FB_DONOR_KINDS = ['person', 'company', 'group'] as const;
export type FbDonorKind = (typeof FB_DONOR_KINDS)[number];
export const FB_DONOR_KIND_LABELS: Record<FbDonorKind, string> = { person: '個人', company: '公司', group: '機關團體' };

export const FB_RECEIPT_KINDS = ['donation', 'purchase', 'rescue'] as const;
export type FbReceiptKind = (typeof FB_RECEIPT_KINDS)[number];
export const FB_RECEIPT_KIND_LABELS: Record<FbReceiptKind, string> = { donation: '捐贈', purchase: '採購', rescue: '盛食' };

export const FB_MOVEMENT_KINDS = ['donation', 'purchase', 'rescue', 'transfer_out', 'transfer_in', 'distribution', 'spoilage', 'count_diff'] as const;
export type FbMovementKind = (typeof FB_MOVEMENT_KINDS)[number];
export const FB_MOVEMENT_KIND_LABELS: Record<FbMovementKind, string> = {
  donation: '捐贈',
  purchase: '採購',
  rescue: '盛食',
  transfer_out: '調撥出',
  transfer_in: '調撥入',
  distribution: '發放',
  spoilage: '報廢',
  count_diff: '盤差',
};

export const FB_ALLOWANCE_MODES = ['points', 'items'] as const;
export type FbAllowanceMode = (typeof FB_ALLOWANCE_MODES)[number];

export interface FbItemView {
  id: number;
  name: string;
  category: string;
  unit: string;
  byWeight: boolean;
  value: number;
  kgPerUnit: number;
  perishable: boolean;
  shelfLifeDays: number | null;
  minLevel: number;
  points: number;
  active: boolean;
  version: number;
}

export interface FbLocationView {
  id: number;
  name: string;
  kind: FbLocationKind;
  address: string | null;
  staff: string | null;
  active: boolean;
  version: number;
}

export interface FbDonorView {
  id: number;
  kind: FbDonorKind;
  name: string;
  contact: string | null;
  phone: string | null;
  address: string | null;
  /** As a receipt shows it: an organisation's 統一編號 in full, a person's ID masked (A12****789). */
  taxId: string | null;
  version: number;
}

export interface FbLotLine {
  lotId: number;
  itemId: number;
  itemName: string;
  unit: string;
  quantity: number;
  expiry: string | null;
  value: number;
  kg: number;
}

export interface FbReceiptView {
  id: number;
  kind: FbReceiptKind;
  receiptNo: string | null;
  donor: FbDonorView | null;
  supplier: string | null;
  locationId: number;
  locationName: string;
  receivedOn: string;
  note: string | null;
  lines: FbLotLine[];
  totalValue: number;
  totalKg: number;
  createdByName: string | null;
  centerName: string;
  centerAddress: string;
}

export interface FbReceiptRow {
  id: number;
  kind: FbReceiptKind;
  receiptNo: string | null;
  donorName: string | null;
  supplier: string | null;
  locationName: string;
  receivedOn: string;
  totalValue: number;
  totalKg: number;
}

export interface FbDonorStatement {
  donor: FbDonorView;
  /** Gregorian year; shown as ROC. */
  year: number;
  receipts: FbReceiptView[];
  totalValue: number;
  totalKg: number;
  centerName: string;
  centerAddress: string;
}

/** Stock on hand of one lot at one location. */
export interface FbStockRow {
  lotId: number;
  itemId: number;
  itemName: string;
  category: string;
  unit: string;
  locationId: number;
  locationName: string;
  quantity: number;
  expiry: string | null;
  receivedOn: string;
  /** expired: before today; soon: within the alert window (14 days); ok otherwise or no expiry. */
  expiryState: 'expired' | 'soon' | 'ok';
}

export interface FbStockTotal {
  itemId: number;
  itemName: string;
  unit: string;
  locationId: number;
  locationName: string;
  quantity: number;
  /** Quantity in lots already expired (not available to hand out). */
  expired: number;
}

export interface FbStockView {
  today: string;
  lots: FbStockRow[];
  totals: FbStockTotal[];
  /** Sent, not yet received: on neither shelf. */
  inTransit: { transferId: number; itemName: string; unit: string; quantity: number; fromName: string; toName: string; sentOn: string }[];
}

export interface FbTransferView {
  id: number;
  fromLocationId: number;
  fromName: string;
  toLocationId: number;
  toName: string;
  status: 'sent' | 'received';
  sentOn: string;
  receivedOn: string | null;
  note: string | null;
  lines: FbLotLine[];
}

export interface FbAllowanceSettings {
  mode: FbAllowanceMode;
  /** bySize[i] = the monthly allowance of a household of i + 1 persons; the last entry applies to larger households. */
  bySize: number[];
}

export interface FbEligibilityView {
  householdId: number;
  headName: string | null;
  householdSize: number;
  eligible: boolean;
  /** zh-TW: why (e.g. 開案中, 長期關懷戶, 低收入戶) or why not. */
  reasons: string[];
  month: string;
  mode: FbAllowanceMode;
  allowance: number;
  used: number;
  remaining: number;
  lastHandedOn: string | null;
}

export interface FbPick {
  itemId: number;
  itemName: string;
  unit: string;
  lotId: number;
  expiry: string | null;
  quantity: number;
  allowance: number;
  value: number;
  kg: number;
}

export interface FbHandoutPreview {
  eligibility: FbEligibilityView;
  picks: FbPick[];
  allowanceUsed: number;
  remainingAfter: number;
}

export interface FbHandoutView {
  id: number;
  householdId: number;
  headName: string | null;
  address: string | null;
  householdSize: number;
  locationId: number;
  locationName: string;
  handedOn: string;
  allowanceUsed: number;
  mode: FbAllowanceMode;
  picks: FbPick[];
  totalValue: number;
  totalKg: number;
  createdByName: string | null;
  centerName: string;
}

export interface FbHistoryRow {
  handoutId: number;
  handedOn: string;
  locationName: string;
  items: string;
  quantity: number;
  value: number;
  kg: number;
  byName: string | null;
}

export interface FbStocktakeLine {
  lineId: number;
  lotId: number;
  itemName: string;
  unit: string;
  expiry: string | null;
  expected: number;
  counted: number | null;
  difference: number | null;
}

export interface FbStocktakeView {
  id: number;
  locationId: number;
  locationName: string;
  status: 'counting' | 'posted';
  startedOn: string;
  createdByName: string | null;
  countedByName: string | null;
  confirmedByName: string | null;
  postedAt: string | null;
  lines: FbStocktakeLine[];
}

export interface FbAlerts {
  today: string;
  days: number;
  months: number;
  expiring: { locationId: number; locationName: string; lotId: number; itemName: string; unit: string; quantity: number; expiry: string; expired: boolean }[];
  belowMinimum: { itemId: number; itemName: string; unit: string; onHand: number; minLevel: number }[];
  notServed: { householdId: number; headName: string | null; lastHandedOn: string }[];
  todayByLocation: { locationId: number; locationName: string; handouts: number; households: number }[];
}

/** One row per month and location; households are counted once per row (and once in the total). */
export interface FbFigureRow {
  month: string;
  locationId: number | null;
  locationName: string;
  households: number;
  personVisits: number;
  parcels: number;
  items: number;
  kg: number;
  value: number;
  donations: number;
  donationValue: number;
  donationKg: number;
  spoilageItems: number;
  spoilageKg: number;
  spoilageValue: number;
}

export interface FbFigures {
  from: string;
  to: string;
  rows: FbFigureRow[];
  total: FbFigureRow;
}
