/** The history of a service record's corrections (issue 11 §1). */
import type { ServiceItem, ServiceMethod, UserRef } from './types-cases';

/** A field of a service record that a correction can change. */
export type RecordField = 'occurredAt' | 'method' | 'minutes' | 'items' | 'participants' | 'nextFollowUp' | 'narrative';

/** One state of a record (version N): what it said, who wrote it and when. */
export interface RecordStateView {
  version: number;
  occurredAt: string;
  method: ServiceMethod;
  minutes: number;
  items: ServiceItem[];
  participants: UserRef[];
  nextFollowUp: string | null;
  /** Present only for the record's author and the team's 督導 (`narrativeVisible`); absent for anyone else. */
  narrative?: string | null;
  writtenAt: string;
  writtenBy: UserRef | null;
}

/** One correction: the state it replaced, the state it made, who, when and why (修改原因). */
export interface RecordEditView {
  at: string;
  by: UserRef;
  reason: string;
  changed: RecordField[];
  before: RecordStateView;
  after: RecordStateView;
}

export interface RecordHistoryView {
  recordId: number;
  author: UserRef;
  /** Whether the states carry their narratives: the author and the team's 督導 only. */
  narrativeVisible: boolean;
  /** Newest first. */
  edits: RecordEditView[];
}
