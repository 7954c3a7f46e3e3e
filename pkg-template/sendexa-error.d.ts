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

/**
 * Every code ERRORS.md documents: the API's `WA001`…`WA006`, the SDK's own, and those derived from
 * an error answer's HTTP status when the API names none. (tests/types checks this list against
 * ERRORS.md.)
 */
export type SendexaErrorCode =
  | "WA001" | "WA002" | "WA003" | "WA004" | "WA005" | "WA006"
  | "INVALID_MESSAGE" | "INVALID_MEDIA" | "INVALID_TEMPLATE" | "INVALID_WEBHOOK" | "INVALID_SIGNATURE"
  | "INVALID_ARGUMENT" | "INTERNAL"
  | "OUTCOME_UNKNOWN" | "TIMEOUT" | "NETWORK" | "INVALID_RESPONSE" | "ABORTED" | "RATE_LIMITER_FAILED"
  | "BROWSER_NOT_ALLOWED"
  | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE" | "UNPROCESSABLE" | "RATE_LIMITED" | "SERVER_ERROR" | "HTTP_ERROR";

/** Options of the `SendexaError` constructor; every field is copied onto the error. */
export interface SendexaErrorOptions {
  code?: SendexaErrorCode | (string & {});
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
  /**
   * A code ERRORS.md documents (`WA001`…`WA006`, the SDK's `INVALID_MESSAGE`, `TIMEOUT`, …, or one
   * derived from the HTTP status), or a code of the API's own, passed through unchanged.
   */
  code: SendexaErrorCode | (string & {});
  /** HTTP status, when the error came from a response. */
  status: number | undefined;
  /** The API's request id, when it gave one. */
  requestId: string | undefined;
  /** Seconds to wait before trying again, when known. */
  retryAfter: number | undefined;
  /** For validation errors: every problem found. Empty otherwise. */
  issues: SendexaIssue[];
  /** For `WA001`: why the phone number was rejected (`NOT_A_NUMBER`, `TOO_SHORT`, …); for `OUTCOME_UNKNOWN`, what happened (`TIMEOUT`, `NETWORK`, …). */
  reason?: string;
  /** For errors the API answered with a JSON body: that whole body (for fields the SDK does not read, such as `details`). */
  body?: unknown;
  toJSON(): Record<string, unknown>;
}
