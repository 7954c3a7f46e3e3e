// The documented API: /v1/whatsapp/{send,status,resend,templates,numbers}.
import { ApiError, fieldError } from "./http.mjs";
import { ok } from "./shapes.mjs";
import { validateSend, phoneProblem } from "./validate.mjs";
import { liveTemplate, draftTemplate } from "./templates.mjs";
import { MAGIC } from "./lifecycle.mjs";

const RESEND_MAX = 5;
const RESEND_WINDOW_MS = 48 * 3600e3;

const SEND_ERROR_MESSAGES = {
  WA001: "Invalid phone number",
  WA004: "Media URL is not a public HTTPS URL",
  VALIDATION_ERROR: "Invalid request",
};

/** The account's business numbers (GET /v1/whatsapp/numbers). */
export const ACCOUNT_NUMBERS = [
  { id: "wba_num_000001", phone: "233200000001", displayName: "Sendexa Sandbox", verifiedName: "Sendexa Sandbox Ltd", status: "CONNECTED", qualityRating: "GREEN", messagingLimit: "TIER_10K" },
  { id: "wba_num_000002", phone: "233200000002", displayName: "Sandbox Support", verifiedName: "Sendexa Sandbox Ltd", status: "CONNECTED", qualityRating: "YELLOW", messagingLimit: "TIER_1K" },
];

/** What /numbers/check knows about a valid phone number. */
function lookupNumber(phone, state) {
  if (phone === MAGIC.NOT_ON_WHATSAPP || state?.unregistered.has(phone)) return { phone, isWhatsApp: false, displayName: null };
  if (phone === MAGIC.AUTO_REPLY) return { phone, isWhatsApp: true, displayName: "Sandbox Auto-Reply", type: "business" };
  const account = ACCOUNT_NUMBERS.find((n) => n.phone === phone);
  if (account) return { phone, isWhatsApp: true, displayName: account.displayName, type: "business" };
  return { phone, isWhatsApp: true, displayName: `Sandbox User ${phone.slice(-4)}`, type: "individual" };
}

function notOnWhatsApp(phone, field) {
  return new ApiError(404, "WA002", `${phone} is not on WhatsApp; check numbers with /v1/whatsapp/numbers/check`, {
    errors: [fieldError(field, "is not a WhatsApp user")],
  });
}

/** Reads an optional positive integer query parameter within [min, max]. */
function intParam(query, name, { min, max, fallback }, errors) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    errors.push(fieldError(name, `must be an integer from ${min} to ${max}`));
    return fallback;
  }
  return n;
}

export function apiRoutes({ state, templates, lifecycle, webhooks, clock, options }) {
  const iso = (ms) => clock.iso(ms);

  function send(ctx, { body }) {
    const { issues, code, template } = validateSend(body);
    if (issues.length) {
      const first = issues[0];
      throw new ApiError(400, code, `${SEND_ERROR_MESSAGES[code]}: ${first.field} ${first.message}`, { errors: issues });
    }
    if (body.to === MAGIC.NOT_ON_WHATSAPP || state.unregistered.has(body.to)) throw notOnWhatsApp(body.to, "to");
    if (template) templates.checkSend(template);
    else if (options.window && !state.windowOpen(body.to)) {
      throw new ApiError(400, "WA003", "24-hour conversation window is closed: send an approved template first", {
        errors: [fieldError("type", `free-form ${body.type} messages need an open window; the recipient has not messaged in the last 24 hours`)],
      });
    }
    const msg = lifecycle.accept({ body, to: body.to, type: body.type, requestId: ctx.requestId });
    ctx.accepted.push(msg);
    return ok(ctx, {
      message: "WhatsApp message sent successfully",
      data: { id: msg.wamid, messageId: msg.messageId, status: msg.status, to: msg.to, type: msg.type, cost: msg.cost, timestamp: iso(msg.acceptedAt) },
      // Drafts: flat, and `messageId` is the wamid.
      draft: () => ({ success: true, messageId: msg.wamid, to: msg.to, status: msg.status, conversation: msg.conversation, cost: 0.35, currency: "GHS" }),
    });
  }

  function findMessage(id) {
    const msg = typeof id === "string" ? state.findMessage(id) : null;
    if (!msg) throw new ApiError(404, "MESSAGE_NOT_FOUND", `No message with id ${JSON.stringify(String(id))}`, { errors: [fieldError("messageId", "not found")] });
    return msg;
  }

  function status(ctx, { params }) {
    const m = findMessage(params.id);
    const data = {
      messageId: m.messageId, wamid: m.wamid, status: m.status, to: m.to, type: m.type,
      sentAt: iso(m.sentAt), deliveredAt: iso(m.deliveredAt), readAt: iso(m.readAt), cost: m.cost,
    };
    if (m.status === "failed") Object.assign(data, { failedAt: iso(m.failedAt), errorCode: m.errorCode, error: { code: m.errorCode, message: m.errorMessage } });
    if (m.origin === "resend") Object.assign(data, { originalMessageId: m.originalMessageId, resendAttempt: m.resendAttempt });
    return ok(ctx, { message: "Message status retrieved", data });
  }

  /** Live: POST /resend {messageId}; SDKs: POST /resend/{id} with no body. */
  function resend(ctx, { params, body }) {
    const id = params.id ?? (body && typeof body === "object" ? body.messageId : undefined);
    if (id === undefined || id === null || id === "") {
      throw new ApiError(400, "VALIDATION_ERROR", "messageId is required", { errors: [fieldError("messageId", "is required")] });
    }
    if (typeof id !== "string") throw new ApiError(400, "VALIDATION_ERROR", "messageId must be a string", { errors: [fieldError("messageId", "must be a string")] });
    const target = findMessage(id);
    const root = target.origin === "resend" ? state.messages.get(target.originalMessageId) : target;
    root.resends ||= [];
    const latest = root.resends.at(-1) || root;
    const refuse = (status, code, message, field = "messageId") => {
      throw new ApiError(status, code, message, { errors: [fieldError(field, message)] });
    };
    if (clock.now() - root.acceptedAt > RESEND_WINDOW_MS) refuse(400, "RESEND_WINDOW_EXPIRED", "Messages can only be resent within 48 hours of the original send");
    if (root.resends.length >= RESEND_MAX) refuse(400, "RESEND_LIMIT_REACHED", `This message has already been resent ${RESEND_MAX} times`);
    if (latest.status === "pending" || latest.status === "sent") refuse(409, "RESEND_IN_PROGRESS", `The last attempt (${latest.messageId}) is still ${latest.status}`);
    if (latest.status !== "failed") refuse(400, "NOT_RESENDABLE", `The message was ${latest.status}; only failed messages can be resent`);
    if (latest.errorCode === "WA004") refuse(400, "WA004", "Media download failed: fix the media URL and send a new message");
    if (root.type !== "template" && options.window && !state.windowOpen(root.to)) {
      refuse(400, "WA003", "24-hour conversation window is closed: send an approved template first", "type");
    }
    const msg = lifecycle.accept({
      body: root.body, to: root.to, type: root.type, origin: "resend", original: root,
      resendAttempt: root.resends.length + 1, requestId: ctx.requestId,
    });
    root.resends.push(msg);
    ctx.accepted.push(msg);
    return ok(ctx, {
      status: msg.status === "pending" ? 202 : 200,
      message: msg.status === "pending" ? "WhatsApp message resend scheduled" : "WhatsApp message resent successfully",
      data: {
        messageId: msg.messageId, wamid: msg.wamid, originalMessageId: root.messageId, status: msg.status, to: msg.to,
        resendAttempt: msg.resendAttempt, cost: msg.cost, deliveredAt: iso(msg.deliveredAt),
      },
    });
  }

  function listTemplates(ctx, { query }) {
    const errors = [];
    const offsetStyle = query.has("limit") || query.has("offset");
    let offset, size, page;
    if (offsetStyle) {
      size = intParam(query, "limit", { min: 1, max: 100, fallback: 50 }, errors);
      offset = intParam(query, "offset", { min: 0, max: 1e9, fallback: 0 }, errors);
      page = Math.floor(offset / size) + 1;
    } else {
      size = intParam(query, "pageSize", { min: 1, max: 100, fallback: 20 }, errors);
      page = intParam(query, "page", { min: 1, max: 1e9, fallback: 1 }, errors);
      offset = (page - 1) * size;
    }
    if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Invalid pagination parameters", { errors });
    const filter = {};
    for (const k of ["status", "category", "language", "name"]) if (query.has(k)) filter[k] = query.get(k);
    const all = templates.list(filter);
    const slice = all.slice(offset, offset + size);
    return ok(ctx, {
      message: "Templates retrieved",
      data: { templates: slice.map((t) => liveTemplate(t, clock)), total: all.length, page, pageSize: size },
      draft: () => ({
        success: true, data: slice.map((t) => draftTemplate(t, clock)),
        pagination: { total: all.length, limit: size, offset, has_more: offset + slice.length < all.length },
      }),
    });
  }

  function createTemplate(ctx, { body }) {
    const t = templates.create(body);
    return ok(ctx, {
      status: 201,
      message: "Template submitted for review",
      data: liveTemplate(t, clock),
      draft: () => ({ success: true, message: "Template submitted for review", template: draftTemplate(t, clock) }),
    });
  }

  function findTemplate(id) {
    const t = templates.get(id);
    if (!t) throw new ApiError(404, "TEMPLATE_NOT_FOUND", `No template with id ${JSON.stringify(id)}`, { errors: [fieldError("id", "not found")] });
    return t;
  }

  function getTemplate(ctx, { params }) {
    const t = findTemplate(params.id);
    return ok(ctx, { message: "Template retrieved", data: liveTemplate(t, clock), draft: () => ({ success: true, template: draftTemplate(t, clock) }) });
  }

  function deleteTemplate(ctx, { params }) {
    const t = findTemplate(params.id);
    templates.delete(t.key);
    return ok(ctx, {
      message: "Template deleted",
      data: { id: `tpl_wa_${t.key}`, name: t.name, deleted: true },
      draft: () => ({ success: true, message: "Template deleted" }),
    });
  }

  function checkNumber(ctx, { query }) {
    const phone = query.get("phone");
    const problem = phoneProblem(phone === null ? undefined : phone);
    if (problem) throw new ApiError(400, phone === null || phone === "" ? "VALIDATION_ERROR" : "WA001", `phone ${problem}`, { errors: [fieldError("phone", problem)] });
    return ok(ctx, { message: "Number checked", data: lookupNumber(phone, state) });
  }

  function bulkCheck(ctx, { body }) {
    const phones = body && typeof body === "object" ? body.phones : undefined;
    if (!Array.isArray(phones) || phones.length === 0 || phones.length > 1000) {
      const msg = Array.isArray(phones) && phones.length > 1000 ? `must contain at most 1000 numbers (got ${phones.length})` : "must be a non-empty array of phone numbers";
      throw new ApiError(400, "VALIDATION_ERROR", `phones ${msg}`, { errors: [fieldError("phones", msg)] });
    }
    const errors = phones.map((p, i) => [phoneProblem(p), i]).filter(([p]) => p).map(([p, i]) => fieldError(`phones[${i}]`, p, "WA001"));
    if (errors.length) throw new ApiError(400, "WA001", `${errors.length} invalid phone number(s)`, { errors });
    const results = phones.map((p) => lookupNumber(p, state)).map(({ displayName, ...r }) => r);
    const registered = results.filter((r) => r.isWhatsApp).length;
    return ok(ctx, { message: "Numbers checked", data: { results, total: results.length, registered, notRegistered: results.length - registered } });
  }

  function listNumbers(ctx) {
    const connectedAt = iso(clock.initial.startMs - 90 * 864e5);
    const numbers = ACCOUNT_NUMBERS.map((n) => ({ ...n, ...state.numberOverrides.get(n.id), webhookUrl: webhooks.config.url || null, connectedAt }));
    return ok(ctx, { message: "Numbers retrieved", data: { numbers, total: numbers.length } });
  }

  // `bucket` names the rate limit (limits.mjs); `body` says whether the route reads JSON.
  return [
    { method: "POST", path: "/v1/whatsapp/send", handler: send, bucket: "send", body: true },
    { method: "GET", path: "/v1/whatsapp/status/:id", handler: status, bucket: "status" },
    { method: "POST", path: "/v1/whatsapp/resend", handler: resend, bucket: "resend", body: true },
    { method: "POST", path: "/v1/whatsapp/resend/:id", handler: resend, bucket: "resend", body: true },
    { method: "GET", path: "/v1/whatsapp/templates", handler: listTemplates },
    { method: "POST", path: "/v1/whatsapp/templates", handler: createTemplate, bucket: "templateCreate", body: true },
    { method: "GET", path: "/v1/whatsapp/templates/:id", handler: getTemplate },
    { method: "DELETE", path: "/v1/whatsapp/templates/:id", handler: deleteTemplate },
    { method: "GET", path: "/v1/whatsapp/numbers/check", handler: checkNumber, bucket: "numbersCheck" },
    { method: "POST", path: "/v1/whatsapp/numbers/bulk-check", handler: bulkCheck, body: true },
    { method: "GET", path: "/v1/whatsapp/numbers", handler: listNumbers },
  ];
}
