/**
 * A screen that fails is logged by its route pattern and error class only: a render error's message can
 * quote the record being drawn, and the log must not carry a name, an address, an ID or a phone number.
 */
import { describe, expect, it } from 'vitest';
import { describeScreenError } from '../../renderer/lib/screenErrors';

describe('screen error log', () => {
  it('keeps the screen, the error class and the shape of the message', () => {
    const r = describeScreenError('/foodbank/transfers', new TypeError("Cannot read properties of undefined (reading 'map')"));
    expect(r).toEqual({ screen: '/foodbank/transfers', kind: 'TypeError', message: "Cannot read properties of undefined (reading 'map')" });
  });

  it('leaves out names, addresses, national IDs and phone numbers quoted in the message', () => {
    const r = describeScreenError('/households/:id', new RangeError('bad member 林美玲 A123456789 at 南投市中山路100號, tel 049-2222222 / 0912 345 678'));
    const line = JSON.stringify(r);
    for (const personal of ['林美玲', 'A123456789', '南投市中山路', '2222222', '345 678']) expect(line).not.toContain(personal);
    expect(r.kind).toBe('RangeError');
    expect(r.message).toContain('bad member');
  });

  it('truncates a long message', () => {
    expect(describeScreenError('/', new Error('x'.repeat(5000))).message.length).toBeLessThanOrEqual(161);
  });
});
