/**
 * What crosses the process boundary: never a thrown error, always an envelope
 * (the Signal Desktop habit), so the renderer can show the zh-TW message as is.
 */
export const API_ERROR_CODES = [
  'VALIDATION', // the payload does not match the method's schema
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_METHOD',
  'UNAUTHENTICATED', // no session, or it expired
  'SESSION_LOCKED', // idle lock: unlock with the password
  'FORBIDDEN', // signed in, but the role may not do this
  'BAD_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'NOT_FOUND',
  'CONFLICT', // a newer version was saved by someone else
  'RULE', // a business rule refused the change (message says which)
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ApiErrorCode;
  /** zh-TW, says what happened and what to do. */
  message: string;
  /** Field-level problems, keyed by dotted path, for forms. */
  fields?: Record<string, string>;
  /** Extra structured facts (e.g. who saved the newer version). Never personal data beyond what the caller may see. */
  details?: Record<string, unknown>;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Thrown inside the main process by services; the dispatcher turns it into an envelope. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ApiErrorCode, message: string, extra?: { fields?: Record<string, string>; details?: Record<string, unknown> }) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = extra?.fields;
    this.details = extra?.details;
  }
  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message };
    if (this.fields) body.fields = this.fields;
    if (this.details) body.details = this.details;
    return body;
  }
}
