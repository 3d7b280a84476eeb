/**
 * 調撥: the lot list of the transfer screen. A lot held at the hub and at a distribution point comes back
 * from foodbank.stock as two rows; the list must offer it once, for the place sending it, and say where.
 */
import { describe, expect, it } from 'vitest';
import type { FbStockRow } from '../../main/contract/types-foodbank';
import { transferLotOptions } from '../../renderer/features/foodbank/lotOptions';

const row = (lotId: number, locationId: number, locationName: string, quantity: number, expiryState: FbStockRow['expiryState'] = 'ok'): FbStockRow => ({
  lotId, itemId: 1, itemName: '白米', category: '米糧', unit: '包', locationId, locationName, quantity, expiry: '2026-12-01', receivedOn: '2026-05-01', expiryState,
});

describe('transfer lot options', () => {
  const stock = [row(7, 1, '總行', 3), row(7, 2, '中興發放站', 1), row(8, 1, '總行', 2), row(9, 2, '中興發放站', 5), row(10, 1, '總行', 4, 'expired')];

  it('offers each lot once, only from the sending place, with the place in the label', () => {
    const hub = transferLotOptions(stock, 1);
    expect(hub.map((o) => o.value)).toEqual(['7', '8']);
    expect(new Set(hub.map((o) => o.value)).size).toBe(hub.length);
    expect(hub[0]?.label).toContain('總行');
    expect(hub[0]?.label).toContain('3 包');
    expect(transferLotOptions(stock, 2).map((o) => [o.value, o.label.includes('中興發放站')])).toEqual([['7', true], ['9', true]]);
  });

  it('offers nothing until the sending place is known (the whole stock lists a lot once per place)', () => {
    expect(transferLotOptions(stock, null)).toEqual([]);
  });
});
