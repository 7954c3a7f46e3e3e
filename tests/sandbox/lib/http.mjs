// HTTP plumbing shared by the API and control routes: errors, bodies, CORS, writing responses.

/** A failed request. `code` is the API code (WA00x or a descriptive one); see shapes.mjs. */
export class ApiError extends Error {
  constructor(status, code, message, { errors = [], headers = {}, details } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.headers = headers;
    this.details = details;
  }
}

/** One field problem: `{ field, message, code? }`, the API's 400 `errors[]` items. */
export function fieldError(field, message, code) {
  return code ? { field, message, code } : { field, message };
}

export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers":
    "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window, Retry-After",
};

export const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, X-Request-Id, X-Sandbox-Fault, Idempotency-Key",
  "Access-Control-Max-Age": "600",
};

// Past this many bytes a too-large upload is cut off instead of drained.
const HARD_CAP = 64 * 1024 * 1024;

/**
 * Reads the request body. Over `maxBytes` it keeps draining (so the client can read the 413
 * instead of seeing a reset) and then throws 413.
 */
export function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > HARD_CAP) req.destroy();
    });
    req.on("end", () => {
      if (size > maxBytes) {
        reject(new ApiError(413, "PAYLOAD_TOO_LARGE", `Request body is ${size} bytes; the limit is ${maxBytes} bytes`, {
          errors: [fieldError("body", `must be at most ${maxBytes} bytes`)],
        }));
      } else resolve(Buffer.concat(chunks, size));
    });
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("request aborted")));
  });
}

/** Parses a JSON body; `null` when empty. Non-JSON content types and bad JSON are 4xx. */
export function parseJsonBody(req, raw) {
  if (!raw.length) return null;
  const type = String(req.headers["content-type"] || "");
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", {
      errors: [fieldError("Content-Type", `expected application/json, got ${type ? JSON.stringify(type) : "none"}`)],
    });
  }
  let value;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new ApiError(400, "INVALID_JSON", "Request body is not valid JSON", {
      errors: [fieldError("body", err.message)],
    });
  }
  if (depthExceeds(value, MAX_DEPTH)) {
    throw new ApiError(400, "INVALID_JSON", `Request body nests deeper than ${MAX_DEPTH} levels`, {
      errors: [fieldError("body", `must not nest deeper than ${MAX_DEPTH} levels`)],
    });
  }
  return value;
}

// Real payloads nest a few levels; a cap keeps recursive walkers (hashing, checks) safe.
const MAX_DEPTH = 32;

/** Iterative, so a hostile body cannot overflow the stack here either. */
function depthExceeds(root, max) {
  const stack = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

/** A response value: handlers return these so faults can corrupt them before writing. */
export function response(status, body, headers = {}) {
  return { status, body, headers };
}

/** Serialises a response value into bytes + headers. */
export function encode(res) {
  const isText = typeof res.body === "string" || Buffer.isBuffer(res.body);
  const payload = res.body === undefined ? "" : isText ? res.body : JSON.stringify(res.body);
  const headers = { ...res.headers };
  if (payload !== "" && !hasHeader(headers, "content-type")) {
    headers["Content-Type"] = isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  }
  return { status: res.status, headers, bytes: Buffer.from(payload) };
}

export function writeResponse(nodeRes, res) {
  const { status, headers, bytes } = encode(res);
  headers["Content-Length"] = String(bytes.length);
  nodeRes.writeHead(status, headers);
  nodeRes.end(bytes);
}

function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
