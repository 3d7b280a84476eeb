/**
 * Work guides in context (作業指引, issue 14 §2): short guidance the administrator writes per step of the
 * case flow and per service item, shown beside the form where it applies. Versioned like the code
 * lists: each save is a new version in effect from its date until the next one's; the version in
 * effect on a day is the one shown. Pure: shared by the services and the renderer.
 */
import { SERVICE_ITEMS, type ServiceItem, type UserRef } from './types-cases';

/** The steps of the case flow that carry a guide. */
export const GUIDE_STEPS = ['intake', 'contact24h', 'openAssessment', 'closing'] as const;
export type GuideStep = (typeof GUIDE_STEPS)[number];

export const GUIDE_STEP_LABELS: Record<GuideStep, string> = {
  intake: '受案／開案前評估',
  contact24h: '24 小時內聯繫',
  openAssessment: '開案評估',
  closing: '結案',
};

/** A guide's key: a step, or `item:` and a service item (服務項目). */
export type GuideKey = GuideStep | `item:${ServiceItem}`;

export function serviceItemGuideKey(item: ServiceItem): GuideKey {
  return `item:${item}`;
}

/** Every key, steps first, then the service items in their usual order. */
export const GUIDE_KEYS: readonly GuideKey[] = [...GUIDE_STEPS, ...SERVICE_ITEMS.map(serviceItemGuideKey)];

export function isGuideKey(s: unknown): s is GuideKey {
  return typeof s === 'string' && (GUIDE_KEYS as readonly string[]).includes(s);
}

export function guideKind(key: GuideKey): 'step' | 'item' {
  return key.startsWith('item:') ? 'item' : 'step';
}

/** `24 小時內聯繫`, `服務項目：福利諮詢`. */
export function guideLabel(key: GuideKey): string {
  return key.startsWith('item:') ? `服務項目：${key.slice(5)}` : GUIDE_STEP_LABELS[key as GuideStep];
}

/** Longest guide, in characters: a guide is read beside a form, not a manual. */
export const GUIDE_BODY_MAX = 2000;
export const GUIDE_LINES_MAX = 40;

/** One version of a guide. */
export interface GuideVersionView {
  id: number;
  key: GuideKey;
  /** Plain text: lines, blank lines between paragraphs, `- ` / `・` bullet lines (parseGuideBody). */
  body: string;
  effectiveFrom: string;
  /** The day before the next version takes effect; null for the newest. */
  effectiveTo: string | null;
  note: string | null;
  createdAt: string;
  /** null: the first version the app came with. */
  createdBy: UserRef | null;
}

/** A key on the list: its version in effect today (null before the first) and what is scheduled. */
export interface GuideSummary {
  key: GuideKey;
  label: string;
  kind: 'step' | 'item';
  current: GuideVersionView | null;
  /** The earliest version that takes effect after today, if any. */
  upcoming: { effectiveFrom: string } | null;
  versionCount: number;
}

/** A block of a guide's body, to be rendered as text (never as HTML). */
export type GuideBlock = { kind: 'paragraph'; lines: string[] } | { kind: 'bullets'; items: string[] };

const BULLET = /^\s*[-*•・●▪]\s*/;

/**
 * Splits a guide's plain text into paragraphs and bullet lists: a line starting with `-`, `*`, `•`, `・`,
 * `●` or `▪` is a bullet (its marker dropped); blank lines separate paragraphs; other lines (numbered
 * ones too, `1. ...`, kept as typed) are lines of a paragraph. Never interprets markup.
 */
export function parseGuideBody(body: string): GuideBlock[] {
  const blocks: GuideBlock[] = [];
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const last = blocks[blocks.length - 1];
    if (line.trim() === '') {
      if (last) blocks.push({ kind: 'paragraph', lines: [] });
      continue;
    }
    if (BULLET.test(line) && line.replace(BULLET, '').trim() !== '') {
      const text = line.replace(BULLET, '').trim();
      if (last?.kind === 'bullets') last.items.push(text);
      else blocks.push({ kind: 'bullets', items: [text] });
      continue;
    }
    if (last?.kind === 'paragraph') last.lines.push(line.trim());
    else blocks.push({ kind: 'paragraph', lines: [line.trim()] });
  }
  return blocks.filter((b) => (b.kind === 'paragraph' ? b.lines.length > 0 : b.items.length > 0));
}
