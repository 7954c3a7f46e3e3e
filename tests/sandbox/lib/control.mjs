// /__sandbox/* control and inspection endpoints: no auth, no faults, always the live envelope.
import { ApiError, fieldError, response } from "./http.mjs";
import { parseDuration } from "./clock.mjs";
import { phoneProblem, isObject } from "./validate.mjs";
import { ACCOUNT_NUMBERS } from "./api.mjs";

// What `POST /__sandbox/numbers/:id` may change on an account number, and the values allowed.
const NUMBER_FIELDS = {
  qualityRating: ["GREEN", "YELLOW", "RED", "UNKNOWN"],
  messagingLimit: ["TIER_50", "TIER_250", "TIER_1K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED"],
  status: ["CONNECTED", "FLAGGED", "RESTRICTED", "DISCONNECTED"],
};

const INBOUND_TYPES = ["text", "image", "video", "audio", "document", "interactive", "location", "contacts", "sticker", "reaction", "button"];

const done = (ctx, data, message = "OK", status = 200) => response(status, { success: true, message, data, requestId: ctx.requestId });

export function controlRoutes(sandbox) {
  const { state, clock, scheduler, webhooks, faults, failures, lifecycle } = sandbox;

  function clockView() {
    return { now: clock.iso(), nowMs: Math.floor(clock.now()), timeScale: clock.scale, pendingJobs: scheduler.pending() };
  }

  async function postClock(ctx, { body }) {
    const b = isObject(body) ? body : {};
    const errors = [];
    let advance = 0;
    if (b.advanceMs !== undefined) advance = Number(b.advanceMs);
    else if (b.advanceSeconds !== undefined) advance = Number(b.advanceSeconds) * 1000;
    else if (b.advance !== undefined) advance = parseDuration(b.advance);
    if (!Number.isFinite(advance) || advance < 0) errors.push(fieldError("advance", 'must be a non-negative duration (advanceMs, advanceSeconds or advance like "90s", "24h")'));
    if (b.timeScale !== undefined && !(Number(b.timeScale) >= 0)) errors.push(fieldError("timeScale", "must be a number >= 0"));
    if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Invalid clock request", { errors });
    if (b.timeScale !== undefined) {
      clock.setScale(Number(b.timeScale));
      scheduler.arm();
    }
    const ran = scheduler.advance(advance);
    // `settle`: answer only once the webhooks this advance fired have been attempted.
    if (b.settle) await webhooks.settle();
    return done(ctx, { ...clockView(), ran }, "Clock updated");
  }

  function postInbound(ctx, { body }) {
    if (!isObject(body)) throw new ApiError(400, "VALIDATION_ERROR", "Body must be a JSON object", { errors: [fieldError("body", "must be an object")] });
    const errors = [];
    const problem = phoneProblem(body.from);
    if (problem) errors.push(fieldError("from", problem, "WA001"));
    const type = body.type || "text";
    if (!INBOUND_TYPES.includes(type)) errors.push(fieldError("type", `must be one of ${INBOUND_TYPES.join(", ")}`));
    let content = body[type];
    if (type === "text" && typeof content === "string") content = { body: content };
    if (type === "text" && content === undefined) content = { body: "Hi" };
    if (!isObject(content) && !(type === "contacts" && Array.isArray(content))) errors.push(fieldError(type, "must be an object"));
    let context = null;
    if (body.context !== undefined) {
      const ref = isObject(body.context) ? body.context.messageId || body.context.message_id || body.context.wamid : body.context;
      context = typeof ref === "string" ? state.findMessage(ref) : null;
      if (!context) errors.push(fieldError("context.messageId", "must name a message the sandbox sent"));
    }
    if (errors.length) throw new ApiError(400, errors.some((e) => e.code === "WA001") ? "WA001" : "VALIDATION_ERROR", "Invalid inbound message", { errors });
    const msg = lifecycle.inbound({ from: body.from, type, content, context, contactName: body.name });
    return done(ctx, {
      messageId: msg.messageId, wamid: msg.wamid, from: msg.from, type, timestamp: clock.iso(msg.at),
      windowExpiresAt: clock.iso(state.windowExpiresAt(msg.from)),
    }, "Inbound message received", 201);
  }

  function getMessages(ctx, { query }) {
    const filter = {};
    for (const k of ["to", "hash", "status", "origin"]) if (query.has(k)) filter[k] = query.get(k);
    return done(ctx, state.inspect(filter));
  }

  function postFaults(ctx, { body }) {
    const inputs = isObject(body) && Array.isArray(body.rules) ? body.rules : [body];
    const added = faults.add(inputs, { replace: isObject(body) && body.replace === true });
    return done(ctx, { added: added.map((r) => r.id), ...faults.view() }, "Fault rules added", 201);
  }

  function postWebhook(ctx, { body }) {
    if (!isObject(body)) throw new ApiError(400, "VALIDATION_ERROR", "Body must be a JSON object", { errors: [fieldError("body", "must be an object")] });
    const patch = {};
    if (body.url !== undefined) {
      let okUrl = body.url === null;
      try {
        okUrl ||= ["http:", "https:"].includes(new URL(body.url).protocol);
      } catch { /* reported */ }
      if (!okUrl) throw new ApiError(400, "VALIDATION_ERROR", "url must be an http(s) URL or null", { errors: [fieldError("url", "must be an http(s) URL or null")] });
      patch.url = body.url;
    }
    if (body.secret !== undefined) patch.secret = body.secret;
    if (body.shape !== undefined) {
      if (!["live", "draft"].includes(body.shape)) throw new ApiError(400, "VALIDATION_ERROR", "shape must be live or draft", { errors: [fieldError("shape", "must be live or draft")] });
      patch.shape = body.shape;
    }
    webhooks.configure(patch);
    return done(ctx, { url: webhooks.config.url, shape: webhooks.config.shape, signed: Boolean(webhooks.config.secret) }, "Webhook configured");
  }

  /** Changes an account number's quality rating, messaging limit or status (`GET /numbers` shows it). */
  function postNumber(ctx, { params, body }) {
    const number = ACCOUNT_NUMBERS.find((n) => n.id === params.id || n.phone === params.id);
    if (!number) throw new ApiError(404, "NOT_FOUND", `No account number ${params.id}`, { errors: [fieldError("id", `must be one of ${ACCOUNT_NUMBERS.map((n) => n.id).join(", ")}`)] });
    if (!isObject(body)) throw new ApiError(400, "VALIDATION_ERROR", "Body must be a JSON object", { errors: [fieldError("body", "must be an object")] });
    const errors = [];
    for (const [key, value] of Object.entries(body)) {
      const allowed = NUMBER_FIELDS[key];
      if (!allowed) errors.push(fieldError(key, `is not a number field (${Object.keys(NUMBER_FIELDS).join(", ")})`));
      else if (!allowed.includes(value)) errors.push(fieldError(key, `must be one of ${allowed.join(", ")}`));
    }
    if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Invalid number change", { errors });
    const changed = { ...state.numberOverrides.get(number.id), ...body };
    state.numberOverrides.set(number.id, changed);
    return done(ctx, { ...number, ...changed }, "Number updated");
  }

  /** Makes phone numbers "not on WhatsApp" (checks say so, sends get 404 WA002) until `reset`. */
  function postUnregistered(ctx, { body }) {
    const phones = isObject(body) ? body.phones : undefined;
    if (!Array.isArray(phones) || phones.length === 0) throw new ApiError(400, "VALIDATION_ERROR", "phones must be a non-empty array", { errors: [fieldError("phones", "must be a non-empty array of phone numbers")] });
    const errors = phones.map((p, i) => [phoneProblem(p), i]).filter(([p]) => p).map(([p, i]) => fieldError(`phones[${i}]`, p, "WA001"));
    if (errors.length) throw new ApiError(400, "WA001", `${errors.length} invalid phone number(s)`, { errors });
    for (const phone of phones) sandbox.state.unregistered.add(phone);
    return done(ctx, { unregistered: [...sandbox.state.unregistered] }, "Numbers marked not on WhatsApp");
  }

  return [
    { method: "POST", path: "/__sandbox/numbers/:id", handler: postNumber, body: true },
    { method: "POST", path: "/__sandbox/unregistered", handler: postUnregistered, body: true },
    { method: "GET", path: "/__sandbox/health", handler: (ctx) => done(ctx, { ok: true, shape: sandbox.options.shape, rateLimited: { ...sandbox.limiter.refused }, ...clockView() }) },
    { method: "POST", path: "/__sandbox/reset", handler: (ctx) => (sandbox.reset(), done(ctx, clockView(), "Sandbox reset")) },
    { method: "GET", path: "/__sandbox/clock", handler: (ctx) => done(ctx, clockView()) },
    { method: "POST", path: "/__sandbox/clock", handler: postClock, body: true },
    { method: "POST", path: "/__sandbox/inbound", handler: postInbound, body: true },
    { method: "GET", path: "/__sandbox/windows", handler: (ctx) => done(ctx, { windows: state.windowsView() }) },
    { method: "GET", path: "/__sandbox/messages", handler: getMessages },
    { method: "GET", path: "/__sandbox/webhooks", handler: (ctx, { query }) => done(ctx, { deliveries: webhooks.view({ event: query.get("event"), state: query.get("state") }) }) },
    { method: "POST", path: "/__sandbox/webhook", handler: postWebhook, body: true },
    { method: "GET", path: "/__sandbox/faults", handler: (ctx) => done(ctx, faults.view()) },
    { method: "POST", path: "/__sandbox/faults", handler: postFaults, body: true },
    { method: "DELETE", path: "/__sandbox/faults", handler: (ctx) => (faults.clear(), done(ctx, faults.view(), "Fault rules cleared")) },
    { method: "GET", path: "/__sandbox/failures", handler: (ctx) => done(ctx, failures.view()) },
    { method: "POST", path: "/__sandbox/failures", handler: (ctx, { body }) => done(ctx, failures.add(body), "Failure rule added", 201), body: true },
    { method: "DELETE", path: "/__sandbox/failures", handler: (ctx) => (failures.clear(), done(ctx, failures.view(), "Failure rules cleared")) },
  ];
}
