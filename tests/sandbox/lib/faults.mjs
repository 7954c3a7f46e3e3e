// Faults on demand: per-request (X-Sandbox-Fault header) or by rule (POST /__sandbox/faults),
// deterministic or a seeded random mix. A fault acts `before` the request is processed (nothing
// happens on the server) or `after` (the request took effect, e.g. the message was accepted,
// and only the response is lost or corrupted), and the fired log says which.
import { ApiError, fieldError, response } from "./http.mjs";
import { seededRandom } from "./ids.mjs";

export const FAULT_KINDS = ["500", "502", "503", "429", "html", "non_json", "truncate", "drop", "delay", "huge"];
const ALIASES = { timeout: "delay", reset: "drop", "html_error": "html", "rate_limit": "429", large: "huge" };
const PHASES = ["before", "after"];

export const HTML_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

function kindOf(name) {
  const k = ALIASES[String(name).toLowerCase()] || String(name).toLowerCase();
  return FAULT_KINDS.includes(k) ? k : null;
}

/** Parses "kind[:phase]" into { kind, phase } (phase may be "random" in rules). */
function parseKind(spec, allowRandom) {
  const [k, p] = String(spec).split(":");
  const kind = kindOf(k);
  const phase = p === undefined ? undefined : p.toLowerCase();
  if (!kind) return { error: `unknown fault kind ${JSON.stringify(k)}; use one of ${FAULT_KINDS.join(", ")}` };
  if (phase !== undefined && !PHASES.includes(phase) && !(allowRandom && phase === "random")) return { error: `phase must be before or after` };
  return { kind, phase };
}

/** `X-Sandbox-Fault: drop:after; delayMs=3000` → { kind, phase, delayMs }. */
export function parseFaultHeader(value) {
  const [spec, ...params] = String(value).split(";").map((s) => s.trim());
  const parsed = parseKind(spec, false);
  if (parsed.error) throw new ApiError(400, "INVALID_FAULT", `X-Sandbox-Fault: ${parsed.error}`, { errors: [fieldError("X-Sandbox-Fault", parsed.error)] });
  const fault = { kind: parsed.kind, phase: parsed.phase || "before" };
  for (const p of params) {
    const [k, v] = p.split("=").map((s) => s.trim());
    if (k === "phase" && PHASES.includes(v)) fault.phase = v;
    else if (["delayMs", "retryAfter", "status", "size"].includes(k) && Number.isFinite(Number(v))) fault[k] = Number(v);
  }
  return fault;
}

/** Validates a rule for POST /__sandbox/faults. */
function makeRule(input, defaultSeed, id) {
  const errors = [];
  if (!input || typeof input !== "object") throw new ApiError(400, "VALIDATION_ERROR", "A fault rule must be an object", { errors: [fieldError("body", "must be an object")] });
  const rule = { id, fired: 0, seen: 0, method: input.method ? String(input.method).toUpperCase() : null, path: input.path || null };
  const probabilistic = input.rate !== undefined;
  if (probabilistic) {
    const rate = Number(input.rate);
    if (!(rate >= 0 && rate <= 1)) errors.push(fieldError("rate", "must be a number from 0 to 1"));
    const kinds = Array.isArray(input.kinds) && input.kinds.length ? input.kinds : null;
    if (!kinds) errors.push(fieldError("kinds", "must be a non-empty array of fault kinds"));
    rule.rate = rate;
    rule.kinds = (kinds || []).map((k, i) => {
      const parsed = parseKind(k, true);
      if (parsed.error) errors.push(fieldError(`kinds[${i}]`, parsed.error));
      return parsed;
    });
    rule.seed = input.seed === undefined ? defaultSeed : Number(input.seed);
    rule.random = seededRandom(rule.seed);
  } else {
    const parsed = parseKind(input.kind, true);
    if (parsed.error) errors.push(fieldError("kind", parsed.error));
    rule.kinds = [parsed];
    rule.rate = 1;
    rule.random = seededRandom(input.seed === undefined ? defaultSeed : Number(input.seed));
  }
  rule.phase = input.phase || "before";
  if (!PHASES.includes(rule.phase) && rule.phase !== "random") errors.push(fieldError("phase", "must be before, after or random"));
  rule.count = input.count === undefined ? (probabilistic ? Infinity : 1) : Number(input.count);
  rule.skip = Number(input.skip || 0);
  for (const k of ["delayMs", "retryAfter", "status", "size"]) if (input[k] !== undefined) rule[k] = Number(input[k]);
  if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Invalid fault rule", { errors });
  return rule;
}

function pathMatches(pattern, path) {
  if (!pattern) return true;
  return pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

export class Faults {
  constructor({ seed = 1, rules = [] }) {
    this.seed = seed;
    this.initialRules = rules;
    this.reset();
  }

  reset() {
    this.rules = [];
    this.fired = [];
    this.nextId = 1;
    this.add(this.initialRules);
  }

  /** Adds rules all-or-nothing (one invalid rule rejects them all); `replace` drops the old ones. */
  add(inputs, { replace = false } = {}) {
    const rules = inputs.map((input, i) => makeRule(input, this.seed, this.nextId + i));
    this.nextId += rules.length;
    if (replace) this.rules = [];
    this.rules.push(...rules);
    return rules;
  }

  clear() {
    this.rules = [];
  }

  /** The fault for this request, if any: the header wins over rules. */
  pick(req, method, path) {
    const header = req.headers["x-sandbox-fault"];
    if (header) return { ...parseFaultHeader(header), source: "header" };
    for (const rule of this.rules) {
      if (rule.fired >= rule.count) continue;
      if ((rule.method && rule.method !== method) || !pathMatches(rule.path, path)) continue;
      if (rule.seen++ < rule.skip) continue;
      if (rule.rate < 1 && rule.random() >= rule.rate) continue;
      const choice = rule.kinds[Math.floor(rule.random() * rule.kinds.length)];
      let phase = choice.phase || rule.phase;
      if (phase === "random") phase = rule.random() < 0.5 ? "before" : "after";
      rule.fired++;
      return { kind: choice.kind, phase, delayMs: rule.delayMs, retryAfter: rule.retryAfter, status: rule.status, size: rule.size, source: `rule:${rule.id}` };
    }
    return null;
  }

  /** Logs a fired fault; `processed` says whether the request took effect. */
  record(entry) {
    this.fired.push(entry);
  }

  view() {
    return {
      rules: this.rules.map(({ random, ...r }) => ({ ...r, count: r.count === Infinity ? null : r.count })),
      fired: this.fired,
    };
  }
}

/** The default size of a `huge` body: 16 MiB. */
export const HUGE_BYTES = 16 * 1024 * 1024;
/** The largest `huge` body the sandbox builds (a Node string holds at most ~512 MiB). */
const HUGE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * A `huge` fault's response: `result` (a JSON object body) padded with a `"padding"` member of
 * `x`s to `size` bytes (default HUGE_BYTES), so it is still valid JSON, just enormous. Bodies
 * that are not JSON objects are returned unchanged.
 */
export function hugeResponse(result, size = HUGE_BYTES) {
  const body = result.body;
  if (!body || typeof body !== "object" || Array.isArray(body) || Buffer.isBuffer(body)) return result;
  const target = Math.min(Math.max(0, Math.floor(Number(size) || 0)), HUGE_MAX_BYTES);
  const base = Buffer.byteLength(JSON.stringify({ ...body, padding: "" }));
  return { ...result, body: { ...body, padding: "x".repeat(Math.max(0, target - base)) } };
}

/** The response a fault substitutes (null for drop/delay/truncate/huge, which act on the connection or the real answer). */
export function faultResponse(fault, ctx, makeError) {
  const retryAfter = String(fault.retryAfter ?? 1);
  switch (fault.kind) {
    case "500":
      return makeError(new ApiError(500, "SERVER_ERROR", "Internal server error (sandbox fault)"));
    case "502":
      return makeError(new ApiError(502, "BAD_GATEWAY", "Bad gateway (sandbox fault)"));
    case "503":
      return makeError(new ApiError(503, "SERVICE_UNAVAILABLE", "Service unavailable (sandbox fault)", { headers: { "Retry-After": retryAfter } }));
    case "429":
      return makeError(new ApiError(429, "WA005", "Rate limit exceeded (sandbox fault)", {
        headers: { "Retry-After": retryAfter, "X-RateLimit-Remaining": "0" },
        details: { retry_after: Number(retryAfter) },
      }));
    case "html":
      return response(fault.status || 502, HTML_PAGE, { "Content-Type": "text/html; charset=utf-8" });
    case "non_json":
      return response(fault.status || 200, "Service temporarily unavailable, please try later", { "Content-Type": "application/json" });
    default:
      return null;
  }
}
