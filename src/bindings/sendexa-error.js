// The SDK's one error class. wasm-bindgen imports this file as a snippet, so the errors thrown from
// Rust and the class users import for `instanceof` are the same object.

/**
 * Every error the SDK throws. `code` is stable (see ERRORS.md); `message` is a sentence a person can act on.
 */
export class SendexaError extends Error {
  /**
   * @param {string} message
   * @param {{ code?: string, status?: number, requestId?: string, retryAfter?: number,
   *           issues?: Array<{path: string, code: string, message: string, limit?: number}>,
   *           reason?: string, cause?: unknown }} [options]
   */
  constructor(message, options) {
    const opts = options || {};
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "SendexaError";
    this.code = opts.code === undefined ? "UNKNOWN" : String(opts.code);
    this.status = opts.status;
    this.requestId = opts.requestId;
    this.retryAfter = opts.retryAfter;
    this.issues = Array.isArray(opts.issues) ? opts.issues : [];
    if (opts.reason !== undefined) this.reason = opts.reason;
  }

  /** A plain object for logs and `JSON.stringify`: every field except the stack. */
  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message };
    for (const key of ["status", "requestId", "retryAfter", "reason"]) {
      if (this[key] !== undefined) out[key] = this[key];
    }
    if (this.issues.length > 0) out.issues = this.issues;
    return out;
  }
}
