import { formatRocDate } from '../../../main/contract/roc-date';
import type { FbStockRow } from '../../../main/contract/types-foodbank';
import { msgFoodbank as m } from '../../lib/messages';

/**
 * The lots a location can send, one option per lot. The stock view has one row per lot and location, so a
 * lot held at several places appears more than once; a Mantine Select refuses duplicate values (and the
 * screen would go blank), and the sender can only send what lies at its own shelf anyway. The label says
 * where the lot is, which is what tells two rows of the same lot apart.
 */
export function transferLotOptions(rows: readonly FbStockRow[], locationId: number | null): { value: string; label: string }[] {
  if (locationId === null) return [];
  const byLot = new Map<number, FbStockRow>();
  for (const r of rows) {
    if (r.locationId !== locationId || r.expiryState === 'expired' || r.quantity <= 0) continue;
    const seen = byLot.get(r.lotId);
    byLot.set(r.lotId, seen ? { ...seen, quantity: seen.quantity + r.quantity } : r);
  }
  return [...byLot.values()].map((l) => ({
    value: String(l.lotId),
    label: `${l.itemName} #${l.lotId}（${l.locationName}，${l.quantity} ${l.unit}，${l.expiry ? formatRocDate(l.expiry) : m.noExpiry}）`,
  }));
}
