/** A one-time notice for the next case page shown (e.g. after 再開案 navigates to the new case). */
export interface CaseFlash {
  message: string;
  dropped: string[];
}

let pending: CaseFlash | null = null;

export function setCaseFlash(f: CaseFlash): void {
  pending = f;
}

/** Returns the notice once, then forgets it. */
export function takeCaseFlash(): CaseFlash | null {
  const f = pending;
  pending = null;
  return f;
}
