// Delivery failures on demand: rules that make the next accepted messages (sends or resends) fail
// with a chosen error code, so a test can drive every `message.failed` path, resends included.
import { ApiError, fieldError } from "./http.mjs";
import { phoneProblem, isObject } from "./validate.mjs";

// What each documented code means (reference §9), as the failure's message.
export const FAILURE_MESSAGES = {
  WA001: "Invalid phone number",
  WA002: "Message undeliverable: the recipient is not reachable on WhatsApp",
  WA003: "24-hour conversation window is closed: send an approved template first",
  WA004: "Media download failed: the media URL could not be fetched",
  WA005: "Rate limit hit while delivering",
  WA006: "Account blocked",
};

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const KEYS = ["to", "code", "message", "count", "afterMs"];

export class Failures {
  constructor() {
    this.reset();
  }

  reset() {
    this.rules = [];
    this.log = [];
    this.nextId = 1;
  }

  /**
   * Adds a rule `{ code, to?, count?, afterMs?, message? }`: the next `count` (default 1) messages
   * accepted for `to` (any recipient when absent) go `sent` at once and `failed` with `code`
   * `afterMs` (default 1000, sandbox time) later. Throws a 400 listing every bad field.
   */
  add(input) {
    if (!isObject(input)) throw new ApiError(400, "VALIDATION_ERROR", "Body must be a JSON object", { errors: [fieldError("body", "must be an object")] });
    const errors = [];
    for (const key of Object.keys(input)) if (!KEYS.includes(key)) errors.push(fieldError(key, `is not a failure rule field (${KEYS.join(", ")})`));
    if (typeof input.code !== "string" || !CODE.test(input.code)) errors.push(fieldError("code", "is required: an error code such as WA005 (letters, digits, _ . -; at most 64)"));
    if (input.to !== undefined) {
      const problem = phoneProblem(input.to);
      if (problem) errors.push(fieldError("to", problem, "WA001"));
    }
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1) errors.push(fieldError("count", "must be a whole number >= 1"));
    const afterMs = input.afterMs ?? 1000;
    if (typeof afterMs !== "number" || !Number.isFinite(afterMs) || afterMs < 0) errors.push(fieldError("afterMs", "must be a number of ms >= 0"));
    if (input.message !== undefined && typeof input.message !== "string") errors.push(fieldError("message", "must be a string"));
    if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Invalid failure rule", { errors });
    const rule = {
      id: `fail_${this.nextId++}`, to: input.to ?? null, code: input.code,
      message: input.message ?? FAILURE_MESSAGES[input.code] ?? `Delivery failed (${input.code})`,
      count, afterMs, fired: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  /** The failure for an accepted message, taken from the first matching rule with uses left. */
  take(msg) {
    const rule = this.rules.find((r) => r.fired < r.count && (r.to === null || r.to === msg.to));
    if (!rule) return null;
    rule.fired++;
    this.log.push({ rule: rule.id, messageId: msg.messageId, to: msg.to, origin: msg.origin, code: rule.code });
    return rule;
  }

  clear() {
    this.rules = [];
  }

  view() {
    return { rules: this.rules.map((r) => ({ ...r, remaining: r.count - r.fired })), fired: this.log };
  }
}
