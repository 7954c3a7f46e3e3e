/** One problem found while validating input. */
export interface SendexaIssue {
  /** Where, as a JSON path: `interactive.action.sections[1].rows[0].title`. */
  path: string;
  /** A stable code for the problem: `REQUIRED`, `TOO_LONG`, … */
  code: string;
  /** A sentence a person can act on. */
  message: string;
  /** The limit that was exceeded, when the problem is a limit. */
  limit?: number;
}

/** Options of the `SendexaError` constructor; every field is copied onto the error. */
export interface SendexaErrorOptions {
  code?: string;
  status?: number;
  requestId?: string;
  retryAfter?: number;
  issues?: SendexaIssue[];
  reason?: string;
  cause?: unknown;
}

/** Every error the SDK throws. `code` is stable; see ERRORS.md for when each happens and whether to retry. */
export declare class SendexaError extends Error {
  constructor(message: string, options?: SendexaErrorOptions);
  readonly name: "SendexaError";
  /** `WA001`…`WA006`, the API's own code, or the SDK's (`INVALID_MESSAGE`, `TIMEOUT`, …). */
  code: string;
  /** HTTP status, when the error came from a response. */
  status: number | undefined;
  /** The API's request id, when it gave one. */
  requestId: string | undefined;
  /** Seconds to wait before trying again, when known. */
  retryAfter: number | undefined;
  /** For validation errors: every problem found. Empty otherwise. */
  issues: SendexaIssue[];
  /** For `WA001`: why the phone number was rejected (`NOT_A_NUMBER`, `TOO_SHORT`, …). */
  reason?: string;
  toJSON(): Record<string, unknown>;
}
