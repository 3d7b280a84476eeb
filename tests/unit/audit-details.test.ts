import { describe, expect, it } from 'vitest';
import { detailLines, targetText } from '../../renderer/features/audit/details';

describe('audit details in zh-TW', () => {
  it('names a backup by the ROC time it was made, not by its file name', () => {
    const text = targetText({ entity: 'backup', entityId: 'welfare-desk-20260520T020000Z.wdbak', targetName: null });
    expect(text).toContain('115/05/20 10:00');
    expect(text).not.toMatch(/[A-Za-z]|2026/);
  });

  it('reads a scheduled backup reason in zh-TW', () => {
    const lines = detailLines({ bytes: 1024, reason: 'scheduled' }).join('\n');
    expect(lines).toContain('自動排程');
    expect(lines).not.toContain('scheduled');
  });
});
