// Request validation for POST /v1/whatsapp/send, written from the API reference alone.
// It is an oracle for the SDK's own checks, so it deliberately shares no code with them.
import { isIP } from "node:net";
import { fieldError } from "./http.mjs";

export const LIVE_TYPES = ["text", "image", "video", "audio", "document", "interactive", "template"];
export const DRAFT_TYPES = ["location", "contacts", "sticker", "reaction"];
const ALL_TYPES = new Set([...LIVE_TYPES, ...DRAFT_TYPES]);

// Which media types take a caption / filename (Meta: audio and stickers have no caption).
const MEDIA_TYPES = {
  image: { caption: true, filename: false },
  video: { caption: true, filename: false },
  audio: { caption: false, filename: false },
  document: { caption: true, filename: true },
  sticker: { caption: false, filename: false },
};

export const LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowId: 200,
  rowDescription: 72,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  ctaDisplayText: 20,
};

const PHONE_RE = /^[1-9]\d{7,14}$/;
export const LANGUAGE_RE = /^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/;

/** Collects field problems with their paths (`interactive.action.buttons[0].reply.title`). */
class Issues {
  constructor() {
    this.list = [];
  }
  add(field, message, code) {
    this.list.push(fieldError(field, message, code));
  }
}

export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
export const typeName = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Length in characters (code points), as WhatsApp counts them, not UTF-16 units. */
function chars(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Checks an optional/required string with a character range; returns it or undefined. */
function checkString(issues, obj, key, path, { required = false, min = 1, max = Infinity } = {}) {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) issues.add(path, "is required");
    return undefined;
  }
  if (typeof v !== "string") {
    issues.add(path, `must be a string, got ${typeName(v)}`);
    return undefined;
  }
  const n = chars(v);
  if (n < min || (min > 0 && !v.trim())) issues.add(path, min > 1 ? `must be at least ${min} characters` : "must not be empty");
  else if (n > max) issues.add(path, `must be at most ${max} characters (got ${n})`);
  return v;
}

function requireObject(issues, obj, key, path) {
  const v = obj[key];
  if (v === undefined || v === null) {
    issues.add(path, "is required");
    return null;
  }
  if (!isObject(v)) {
    issues.add(path, `must be an object, got ${typeName(v)}`);
    return null;
  }
  return v;
}

/** A problem with a phone number, or null. Digits only, country code first, 8–15 digits. */
export function phoneProblem(value) {
  if (value === undefined || value === null || value === "") return "is required";
  if (typeof value !== "string") return `must be a string of digits, got ${typeName(value)}`;
  if (value.startsWith("+")) return "must be digits only with the country code, without a leading +";
  if (!/^\d+$/.test(value)) return "must contain digits only (no spaces, dashes or brackets)";
  if (value.startsWith("0")) return "must start with a country code, not a 0 trunk prefix";
  if (!PHONE_RE.test(value)) return `must be 8 to 15 digits including the country code (got ${value.length})`;
  return null;
}

/** A problem with a media URL (reported as WA004), or null: public absolute https only. */
export function mediaLinkProblem(value) {
  if (typeof value !== "string" || !value) return "must be a non-empty URL string";
  let url;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:") return `must use https (got ${url.protocol.replace(":", "")})`;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "must be publicly reachable, not localhost";
  const family = isIP(host);
  if ((family === 4 && privateIPv4(host)) || (family === 6 && privateIPv6(host))) {
    return "must be publicly reachable, not a loopback, private or link-local address";
  }
  return null;
}

function privateIPv4(host) {
  const [a, b] = host.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function privateIPv6(host) {
  if (host === "::" || host === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped) return privateIPv4(mapped[1]);
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(host)) {
    // WHATWG URL rewrites ::ffff:127.0.0.1 as ::ffff:7f00:1.
    const [hi, lo] = host.slice(7).split(":").map((h) => parseInt(h, 16));
    return privateIPv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return /^f[cd]/.test(host) || /^fe[89ab]/.test(host); // unique-local fc00::/7, link-local fe80::/10
}

/** A media reference: exactly one of `link` (SDKs), `url` (drafts) or `id` (uploaded media). */
function checkMediaRef(issues, media, path) {
  const refs = ["link", "url", "id"].filter((k) => media[k] !== undefined && media[k] !== null);
  if (refs.length === 0) {
    issues.add(`${path}.link`, "is required (or `url` / `id`)");
    return;
  }
  if (refs.length > 1) issues.add(path, `give only one of link, url, id (got ${refs.join(", ")})`);
  for (const k of refs) {
    if (k === "id") checkString(issues, media, "id", `${path}.id`, { max: 256 });
    else {
      const problem = mediaLinkProblem(media[k]);
      if (problem) issues.add(`${path}.${k}`, problem, "WA004");
    }
  }
}

function checkMedia(issues, type, media, path) {
  checkMediaRef(issues, media, path);
  const rules = MEDIA_TYPES[type];
  if (rules.caption) checkString(issues, media, "caption", `${path}.caption`, { min: 0, max: LIMITS.caption });
  else if (media.caption !== undefined) issues.add(`${path}.caption`, `is not allowed for ${type}`);
  if (rules.filename) checkString(issues, media, "filename", `${path}.filename`, { max: LIMITS.filename });
  else if (media.filename !== undefined) issues.add(`${path}.filename`, "is only allowed for documents");
}

function checkText(issues, text, path) {
  checkString(issues, text, "body", `${path}.body`, { required: true, max: LIMITS.textBody });
  if (text.preview_url !== undefined && typeof text.preview_url !== "boolean") {
    issues.add(`${path}.preview_url`, `must be a boolean, got ${typeName(text.preview_url)}`);
  }
}

function checkInteractive(issues, it, path) {
  const kinds = ["button", "list", "cta_url", "location_request_message"];
  const kind = it.type;
  if (!kinds.includes(kind)) {
    issues.add(`${path}.type`, `must be one of ${kinds.join(", ")}`);
    return;
  }
  if (it.header !== undefined) {
    const header = requireObject(issues, it, "header", `${path}.header`);
    if (header) {
      const allowed = kind === "list" ? ["text"] : ["text", "image", "video", "document"];
      if (!allowed.includes(header.type)) issues.add(`${path}.header.type`, `must be one of ${allowed.join(", ")}`);
      else if (header.type === "text") checkString(issues, header, "text", `${path}.header.text`, { required: true, max: LIMITS.headerText });
      else {
        const media = requireObject(issues, header, header.type, `${path}.header.${header.type}`);
        if (media) checkMediaRef(issues, media, `${path}.header.${header.type}`);
      }
    }
  }
  const body = requireObject(issues, it, "body", `${path}.body`);
  if (body) checkString(issues, body, "text", `${path}.body.text`, { required: true, max: LIMITS.interactiveBody });
  if (it.footer !== undefined) {
    const footer = requireObject(issues, it, "footer", `${path}.footer`);
    if (footer) checkString(issues, footer, "text", `${path}.footer.text`, { required: true, max: LIMITS.footerText });
  }
  const action = requireObject(issues, it, "action", `${path}.action`);
  if (!action) return;
  const ap = `${path}.action`;
  if (kind === "button") checkReplyButtons(issues, action, ap);
  else if (kind === "list") checkList(issues, action, ap);
  else if (kind === "cta_url") checkCtaUrl(issues, action, ap);
  else if (action.name !== "send_location") issues.add(`${ap}.name`, 'must be "send_location"');
}

function checkReplyButtons(issues, action, ap) {
  const buttons = action.buttons;
  if (!Array.isArray(buttons) || buttons.length === 0) {
    issues.add(`${ap}.buttons`, "must be a non-empty array");
    return;
  }
  if (buttons.length > LIMITS.buttons) issues.add(`${ap}.buttons`, `must have at most ${LIMITS.buttons} buttons (got ${buttons.length})`);
  const seenIds = new Set(), seenTitles = new Set();
  buttons.forEach((b, i) => {
    const bp = `${ap}.buttons[${i}]`;
    if (!isObject(b)) return issues.add(bp, "must be an object");
    if (b.type !== "reply") issues.add(`${bp}.type`, 'must be "reply"');
    const reply = requireObject(issues, b, "reply", `${bp}.reply`);
    if (!reply) return;
    const id = checkString(issues, reply, "id", `${bp}.reply.id`, { required: true, max: LIMITS.buttonId });
    const title = checkString(issues, reply, "title", `${bp}.reply.title`, { required: true, max: LIMITS.buttonTitle });
    if (id !== undefined && seenIds.has(id)) issues.add(`${bp}.reply.id`, "must be unique");
    if (title !== undefined && seenTitles.has(title)) issues.add(`${bp}.reply.title`, "must be unique");
    seenIds.add(id);
    seenTitles.add(title);
  });
}

function checkList(issues, action, ap) {
  checkString(issues, action, "button", `${ap}.button`, { required: true, max: LIMITS.listButton });
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length === 0) {
    issues.add(`${ap}.sections`, "must be a non-empty array");
    return;
  }
  if (sections.length > LIMITS.listSections) issues.add(`${ap}.sections`, `must have at most ${LIMITS.listSections} sections`);
  let total = 0;
  const seenIds = new Set();
  sections.forEach((s, i) => {
    const sp = `${ap}.sections[${i}]`;
    if (!isObject(s)) return issues.add(sp, "must be an object");
    checkString(issues, s, "title", `${sp}.title`, { required: sections.length > 1, max: LIMITS.sectionTitle });
    if (!Array.isArray(s.rows) || s.rows.length === 0) return issues.add(`${sp}.rows`, "must be a non-empty array");
    s.rows.forEach((r, j) => {
      total++;
      const rp = `${sp}.rows[${j}]`;
      if (!isObject(r)) return issues.add(rp, "must be an object");
      const id = checkString(issues, r, "id", `${rp}.id`, { required: true, max: LIMITS.rowId });
      if (id !== undefined && seenIds.has(id)) issues.add(`${rp}.id`, "must be unique across all sections");
      seenIds.add(id);
      checkString(issues, r, "title", `${rp}.title`, { required: true, max: LIMITS.rowTitle });
      checkString(issues, r, "description", `${rp}.description`, { min: 0, max: LIMITS.rowDescription });
    });
  });
  if (total > LIMITS.listRows) issues.add(`${ap}.sections`, `must have at most ${LIMITS.listRows} rows in total (got ${total})`);
}

function checkCtaUrl(issues, action, ap) {
  // Meta's shape (reference §3.2 calls it an unverified assumption).
  if (action.name !== "cta_url") issues.add(`${ap}.name`, 'must be "cta_url"');
  const params = requireObject(issues, action, "parameters", `${ap}.parameters`);
  if (!params) return;
  checkString(issues, params, "display_text", `${ap}.parameters.display_text`, { required: true, max: LIMITS.ctaDisplayText });
  const url = checkString(issues, params, "url", `${ap}.parameters.url`, { required: true });
  if (url !== undefined) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(url).protocol);
    } catch { /* reported below */ }
    if (!ok) issues.add(`${ap}.parameters.url`, "must be an absolute http(s) URL");
  }
}

const PARAM_TYPES = ["text", "currency", "date_time", "image", "video", "document", "payload", "coupon_code"];

/** Structural template checks; returns the normalised call `{name, language, components}`. */
function checkTemplate(issues, t, path) {
  const name = checkString(issues, t, "name", `${path}.name`, { required: true, max: 512 });
  let language;
  const lang = t.language;
  const code = isObject(lang) ? lang.code : lang;
  const langPath = isObject(lang) ? `${path}.language.code` : `${path}.language`;
  if (code === undefined || code === null) issues.add(langPath, 'is required ("en_US" or {"code":"en_US"})');
  else if (typeof code !== "string" || !LANGUAGE_RE.test(code)) issues.add(langPath, 'must be a language code like "en" or "en_US"');
  else language = code;

  const components = [];
  if (t.components !== undefined && t.components !== null) {
    if (!Array.isArray(t.components)) issues.add(`${path}.components`, "must be an array");
    else t.components.forEach((c, i) => {
      const cp = `${path}.components[${i}]`;
      if (!isObject(c)) return issues.add(cp, "must be an object");
      const type = typeof c.type === "string" ? c.type.toLowerCase() : undefined;
      if (!["header", "body", "button"].includes(type)) return issues.add(`${cp}.type`, "must be header, body or button");
      const comp = { type, path: cp, parameters: [] };
      if (type === "button") {
        const sub = typeof c.sub_type === "string" ? c.sub_type.toLowerCase() : undefined;
        if (!["url", "quick_reply", "copy_code"].includes(sub)) issues.add(`${cp}.sub_type`, "must be url, quick_reply or copy_code");
        const index = typeof c.index === "string" && /^\d+$/.test(c.index) ? Number(c.index) : c.index;
        if (!Number.isInteger(index) || index < 0 || index > 9) issues.add(`${cp}.index`, "must be a button index 0..9");
        Object.assign(comp, { subType: sub, index });
      }
      if (c.parameters !== undefined) {
        if (!Array.isArray(c.parameters)) issues.add(`${cp}.parameters`, "must be an array");
        else c.parameters.forEach((p, j) => {
          const pp = `${cp}.parameters[${j}]`;
          if (!isObject(p)) return issues.add(pp, "must be an object");
          if (!PARAM_TYPES.includes(p.type)) return issues.add(`${pp}.type`, `must be one of ${PARAM_TYPES.join(", ")}`);
          checkParameter(issues, p, pp);
          comp.parameters.push(p);
        });
      }
      components.push(comp);
    });
  }
  return name !== undefined && language !== undefined ? { name, language, components } : null;
}

function checkParameter(issues, p, pp) {
  switch (p.type) {
    case "text":
      return void checkString(issues, p, "text", `${pp}.text`, { required: true, max: 32768 });
    case "payload":
      return void checkString(issues, p, "payload", `${pp}.payload`, { required: true, max: 1000 });
    case "coupon_code":
      return void checkString(issues, p, "coupon_code", `${pp}.coupon_code`, { required: true, max: 15 });
    case "currency": {
      const c = requireObject(issues, p, "currency", `${pp}.currency`);
      if (!c) return;
      checkString(issues, c, "fallback_value", `${pp}.currency.fallback_value`, { required: true });
      checkString(issues, c, "code", `${pp}.currency.code`, { required: true, min: 3, max: 3 });
      if (!Number.isInteger(c.amount_1000)) issues.add(`${pp}.currency.amount_1000`, "must be an integer");
      return;
    }
    case "date_time": {
      const d = requireObject(issues, p, "date_time", `${pp}.date_time`);
      if (d) checkString(issues, d, "fallback_value", `${pp}.date_time.fallback_value`, { required: true });
      return;
    }
    default: {
      const media = requireObject(issues, p, p.type, `${pp}.${p.type}`);
      if (media) checkMediaRef(issues, media, `${pp}.${p.type}`);
    }
  }
}

function checkLocation(issues, loc, path) {
  for (const [key, range] of [["latitude", 90], ["longitude", 180]]) {
    const v = loc[key];
    if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > range) {
      issues.add(`${path}.${key}`, `must be a number between -${range} and ${range}`);
    }
  }
  checkString(issues, loc, "name", `${path}.name`, { min: 0, max: 1000 });
  checkString(issues, loc, "address", `${path}.address`, { min: 0, max: 1000 });
}

function checkContacts(issues, contacts, path) {
  if (!Array.isArray(contacts) || contacts.length === 0) return issues.add(path, "must be a non-empty array");
  contacts.forEach((c, i) => {
    if (!isObject(c)) return issues.add(`${path}[${i}]`, "must be an object");
    const name = requireObject(issues, c, "name", `${path}[${i}].name`);
    if (name) checkString(issues, name, "formatted_name", `${path}[${i}].name.formatted_name`, { required: true });
  });
}

function checkReaction(issues, r, path) {
  checkString(issues, r, "message_id", `${path}.message_id`, { required: true });
  checkString(issues, r, "emoji", `${path}.emoji`, { required: true, min: 0, max: 10 });
}

/**
 * Validates a send body. Returns `{ issues, code, template }`: `code` is WA001 when `to` is
 * wrong, else WA004 when only media links are wrong, else VALIDATION_ERROR (null when valid);
 * `template` is the normalised template call for the store's checks.
 */
export function validateSend(body) {
  const issues = new Issues();
  let template = null;
  if (!isObject(body)) {
    issues.add("body", `must be a JSON object, got ${typeName(body)}`);
    return { issues: issues.list, code: "VALIDATION_ERROR", template };
  }
  const toProblem = phoneProblem(body.to);
  if (toProblem) issues.add("to", toProblem, "WA001");

  const type = body.type;
  if (type === undefined || type === null) issues.add("type", "is required");
  else if (typeof type !== "string" || !ALL_TYPES.has(type)) issues.add("type", `must be one of ${[...ALL_TYPES].join(", ")}`);
  else {
    if (type === "contacts") checkContacts(issues, body.contacts, "contacts");
    else {
      const obj = requireObject(issues, body, type, type);
      if (obj) {
        if (type === "text") checkText(issues, obj, "text");
        else if (MEDIA_TYPES[type]) checkMedia(issues, type, obj, type);
        else if (type === "interactive") checkInteractive(issues, obj, "interactive");
        else if (type === "template") template = checkTemplate(issues, obj, "template");
        else if (type === "location") checkLocation(issues, obj, "location");
        else if (type === "reaction") checkReaction(issues, obj, "reaction");
      }
    }
    for (const other of ALL_TYPES) {
      if (other !== type && body[other] !== undefined) issues.add(other, `is not allowed when type is "${type}"`);
    }
  }
  if (body.messaging_product !== undefined && body.messaging_product !== "whatsapp") issues.add("messaging_product", 'must be "whatsapp"');
  if (body.recipient_type !== undefined && body.recipient_type !== "individual") issues.add("recipient_type", 'must be "individual"');
  if (body.context !== undefined) {
    const ctx = requireObject(issues, body, "context", "context");
    if (ctx) checkString(issues, ctx, "message_id", "context.message_id", { required: true });
  }

  const list = issues.list;
  if (!list.length) return { issues: list, code: null, template };
  const code = list.some((i) => i.code === "WA001") ? "WA001" : list.every((i) => i.code === "WA004") ? "WA004" : "VALIDATION_ERROR";
  return { issues: list, code, template };
}

/** Every media URL in a message (for the lifecycle's "download fails" hosts). */
export function mediaLinks(body) {
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === "link" || k === "url") && typeof x === "string") out.push(x);
        else if (k !== "action") walk(x); // cta_url's action.parameters.url is a page, not media
      }
    }
  };
  walk(body);
  return out;
}
