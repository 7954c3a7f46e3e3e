// Message templates: seed data, create validation, and the parameter checks of template sends.
import { ApiError, fieldError } from "./http.mjs";
import { ids } from "./ids.mjs";
import { LANGUAGE_RE, isObject } from "./validate.mjs";

export const MAX_TEMPLATES = 250;
export const CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"];
const HEADER_FORMATS = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT"];
const BUTTON_TYPES = ["QUICK_REPLY", "PHONE_NUMBER", "URL"];

// Seed templates with fixed ids so tests and docs can name them (tpl_wa_000001, …).
const SEED = [
  {
    key: "000001", name: "hello_world", language: "en_US", category: "UTILITY", status: "APPROVED",
    components: [
      { type: "HEADER", format: "TEXT", text: "Hello World" },
      { type: "BODY", text: "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us." },
      { type: "FOOTER", text: "WhatsApp Business Platform sample message" },
    ],
  },
  {
    key: "000002", name: "order_confirmation", language: "en_US", category: "UTILITY", status: "APPROVED",
    components: [
      { type: "HEADER", format: "TEXT", text: "Order {{1}} confirmed" },
      { type: "BODY", text: "Hi {{1}}, thanks for your order {{2}} of {{3}}. It will arrive on {{4}}." },
      { type: "FOOTER", text: "Reply STOP to opt out" },
      { type: "BUTTONS", buttons: [
        { type: "URL", text: "Track order", url: "https://shop.example.com/track/{{1}}" },
        { type: "QUICK_REPLY", text: "Contact support" },
      ] },
    ],
  },
  {
    key: "000003", name: "shipping_update", language: "en_US", category: "UTILITY", status: "APPROVED",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://shop.example.com/parcel.jpg"] } },
      { type: "BODY", text: "Your parcel {{1}} is on its way and should arrive {{2}}." },
    ],
  },
  {
    key: "000004", name: "appointment_reminder", language: "en", category: "UTILITY", status: "APPROVED",
    components: [
      { type: "BODY", text: "Hi {{1}}, this is a reminder of your appointment on {{2}} at {{3}}." },
      { type: "BUTTONS", buttons: [
        { type: "QUICK_REPLY", text: "Confirm" },
        { type: "QUICK_REPLY", text: "Reschedule" },
      ] },
    ],
  },
  {
    key: "000005", name: "verification_code", language: "en_US", category: "AUTHENTICATION", status: "APPROVED",
    components: [{ type: "BODY", text: "{{1}} is your verification code. For your security, do not share this code." }],
  },
  {
    key: "000006", name: "summer_sale", language: "en_US", category: "MARKETING", status: "PENDING",
    components: [{ type: "BODY", text: "Hi {{1}}, our summer sale starts today: {{2}} off everything!" }],
  },
  {
    key: "000007", name: "limited_offer", language: "en_US", category: "MARKETING", status: "REJECTED",
    rejectedReason: "PROMOTIONAL",
    components: [{ type: "BODY", text: "WIN BIG NOW!!! Click the link to claim your prize {{1}}" }],
  },
];

const clone = (v) => JSON.parse(JSON.stringify(v));

/** The placeholder numbers used in a text, e.g. "Hi {{1}} {{2}}" → [1, 2]. */
function variables(text) {
  return [...String(text || "").matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
}

/** What a send of this template must supply: counts per component (Meta error 132000 otherwise). */
export function expectedParameters(tpl) {
  const exp = { header: null, body: 0, buttons: new Map() };
  for (const c of tpl.components) {
    if (c.type === "HEADER") {
      exp.header = c.format === "TEXT" ? { kind: "text", count: variables(c.text).length } : { kind: c.format.toLowerCase(), count: 1 };
    } else if (c.type === "BODY") exp.body = new Set(variables(c.text)).size;
    else if (c.type === "BUTTONS") {
      c.buttons.forEach((b, index) => {
        if (b.type === "URL") exp.buttons.set(index, { subType: "url", count: variables(b.url).length });
        else if (b.type === "QUICK_REPLY") exp.buttons.set(index, { subType: "quick_reply", count: 0 });
      });
    }
  }
  return exp;
}

/** Compares a normalised template call with the template; returns field errors. */
export function parameterMismatches(tpl, call) {
  const exp = expectedParameters(tpl);
  const out = [];
  const seen = new Set();
  const given = { header: 0, body: 0 };
  for (const comp of call.components) {
    const key = comp.type === "button" ? `button:${comp.index}` : comp.type;
    if (seen.has(key)) out.push(fieldError(comp.path, `duplicate ${key} component`));
    seen.add(key);
    const n = comp.parameters.length;
    if (comp.type === "header") {
      given.header = n;
      const kind = exp.header ? exp.header.kind : null;
      comp.parameters.forEach((p, j) => {
        if (kind && p.type !== kind && !(kind === "text" && ["currency", "date_time"].includes(p.type))) {
          out.push(fieldError(`${comp.path}.parameters[${j}].type`, `the template header is ${kind.toUpperCase()}; expected a ${kind} parameter`));
        }
      });
    } else if (comp.type === "body") given.body = n;
    else {
      const want = exp.buttons.get(comp.index);
      if (!want) out.push(fieldError(`${comp.path}.index`, `the template has no button at index ${comp.index} that takes parameters`));
      else if (want.subType !== comp.subType) out.push(fieldError(`${comp.path}.sub_type`, `button ${comp.index} is a ${want.subType} button`));
      else if (want.subType === "url" && n !== want.count) {
        out.push(fieldError(`${comp.path}.parameters`, `button ${comp.index} expects ${want.count} parameter(s), got ${n}`));
      } else if (want.subType === "quick_reply" && n > 1) out.push(fieldError(`${comp.path}.parameters`, "a quick reply button takes at most one payload"));
    }
  }
  const headerWant = exp.header ? exp.header.count : 0;
  if (given.header !== headerWant) out.push(fieldError("template.components[header].parameters", `header expects ${headerWant} parameter(s), got ${given.header}`));
  if (given.body !== exp.body) out.push(fieldError("template.components[body].parameters", `body expects ${exp.body} parameter(s), got ${given.body}`));
  for (const [index, want] of exp.buttons) {
    if (want.count > 0 && !seen.has(`button:${index}`)) {
      out.push(fieldError(`template.components[button:${index}].parameters`, `button ${index} (${want.subType}) expects ${want.count} parameter(s), got 0`));
    }
  }
  return out;
}

/** Validates a template definition for POST /v1/whatsapp/templates; returns field errors. */
export function validateTemplateDefinition(def) {
  const errors = [];
  const add = (f, m) => errors.push(fieldError(f, m));
  if (!isObject(def)) return [fieldError("body", "must be a JSON object")];
  if (typeof def.name !== "string" || !/^[a-z0-9_]{1,512}$/.test(def.name)) add("name", "is required: lowercase letters, digits and underscores");
  if (typeof def.category !== "string" || !CATEGORIES.includes(def.category.toUpperCase())) add("category", `must be one of ${CATEGORIES.join(", ")}`);
  if (typeof def.language !== "string" || !LANGUAGE_RE.test(def.language)) add("language", 'must be a language code like "en" or "en_US"');
  if (!Array.isArray(def.components) || def.components.length === 0) {
    add("components", "must be a non-empty array");
    return errors;
  }
  const counts = {};
  def.components.forEach((c, i) => {
    const p = `components[${i}]`;
    if (!isObject(c)) return add(p, "must be an object");
    const type = typeof c.type === "string" ? c.type.toUpperCase() : "";
    if (!["HEADER", "BODY", "FOOTER", "BUTTONS"].includes(type)) return add(`${p}.type`, "must be HEADER, BODY, FOOTER or BUTTONS");
    counts[type] = (counts[type] || 0) + 1;
    if (counts[type] > 1) add(`${p}.type`, `only one ${type} component is allowed`);
    if (type === "HEADER") {
      const format = typeof c.format === "string" ? c.format.toUpperCase() : "";
      if (!HEADER_FORMATS.includes(format)) add(`${p}.format`, `must be one of ${HEADER_FORMATS.join(", ")}`);
      else if (format === "TEXT") {
        if (typeof c.text !== "string" || !c.text.trim() || c.text.length > 60) add(`${p}.text`, "is required, at most 60 characters");
        else if (variables(c.text).length > 1 || variables(c.text).some((n) => n !== 1)) add(`${p}.text`, "may contain only one variable, {{1}}");
      }
    } else if (type === "BODY") {
      if (typeof c.text !== "string" || !c.text.trim() || c.text.length > 1024) add(`${p}.text`, "is required, at most 1024 characters");
      else {
        const vars = [...new Set(variables(c.text))].sort((a, b) => a - b);
        if (vars.length > 10) add(`${p}.text`, "may contain at most 10 variables");
        else if (vars.some((n, k) => n !== k + 1)) add(`${p}.text`, "variables must be numbered {{1}}, {{2}}, … without gaps");
      }
    } else if (type === "FOOTER") {
      if (typeof c.text !== "string" || !c.text.trim() || c.text.length > 60) add(`${p}.text`, "is required, at most 60 characters");
      else if (variables(c.text).length) add(`${p}.text`, "may not contain variables");
    } else validateButtons(c.buttons, `${p}.buttons`, add);
  });
  if (counts.BODY !== 1) add("components", "exactly one BODY component is required");
  return errors;
}

function validateButtons(buttons, p, add) {
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) return add(p, "must be an array of 1 to 3 buttons");
  buttons.forEach((b, j) => {
    const bp = `${p}[${j}]`;
    if (!isObject(b)) return add(bp, "must be an object");
    const type = typeof b.type === "string" ? b.type.toUpperCase() : "";
    if (!BUTTON_TYPES.includes(type)) add(`${bp}.type`, `must be one of ${BUTTON_TYPES.join(", ")}`);
    if (typeof b.text !== "string" || !b.text.trim() || b.text.length > 25) add(`${bp}.text`, "is required, at most 25 characters");
    if (type === "URL") {
      const url = typeof b.url === "string" ? b.url : "";
      const vars = variables(url);
      let https = false;
      try {
        https = new URL(url.replace(/\{\{\s*\d+\s*\}\}/g, "x")).protocol === "https:";
      } catch { /* reported below */ }
      if (!https) add(`${bp}.url`, "must be an absolute https URL");
      else if (vars.length > 1 || (vars.length === 1 && !/\{\{\s*1\s*\}\}$/.test(url))) add(`${bp}.url`, "may contain one variable, {{1}}, at the end");
    }
    if (type === "PHONE_NUMBER" && (typeof b.phone_number !== "string" || !/^\+?[1-9]\d{7,14}$/.test(b.phone_number))) {
      add(`${bp}.phone_number`, "must be a phone number with country code");
    }
  });
}

/** Normalises a valid definition into the stored (Meta) casing. */
function normaliseDefinition(def) {
  return {
    name: def.name,
    category: def.category.toUpperCase(),
    language: def.language,
    components: def.components.map((c) => {
      const out = { ...clone(c), type: c.type.toUpperCase() };
      if (out.format) out.format = out.format.toUpperCase();
      if (out.buttons) out.buttons = out.buttons.map((b) => ({ ...b, type: b.type.toUpperCase() }));
      return out;
    }),
  };
}

/** The account's templates. Created ones are reviewed on the sandbox clock. */
export class TemplateStore {
  constructor({ clock, scheduler, reviewMs }) {
    Object.assign(this, { clock, scheduler, reviewMs });
    this.reset();
  }

  reset() {
    const now = this.clock.now();
    this.byKey = new Map();
    for (const seed of SEED) {
      this.byKey.set(seed.key, {
        ...clone(seed),
        qualityScore: seed.status === "APPROVED" ? "HIGH" : null,
        createdAt: now - 30 * 864e5,
        updatedAt: now - 29 * 864e5,
        approvedAt: seed.status === "APPROVED" ? now - 29 * 864e5 : null,
        usageCount: 0,
      });
    }
  }

  /** Accepts `tpl_wa_<key>`, the draft's `tmpl_<key>` or the bare key. */
  get(id) {
    const key = String(id).replace(/^(tpl_wa_|tmpl_)/, "");
    return this.byKey.get(key) || null;
  }

  list({ status, category, language, name } = {}) {
    const eq = (a, b) => b === undefined || String(a).toUpperCase() === String(b).toUpperCase();
    return [...this.byKey.values()]
      .filter((t) => eq(t.status, status) && eq(t.category, category) && (language === undefined || t.language === language) && (name === undefined || t.name === name))
      .sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  }

  create(def) {
    const errors = validateTemplateDefinition(def);
    if (errors.length) throw new ApiError(400, "VALIDATION_ERROR", "Template definition is invalid", { errors });
    const norm = normaliseDefinition(def);
    const exists = [...this.byKey.values()].some((t) => t.name === norm.name && t.language === norm.language);
    if (exists) {
      throw new ApiError(409, "TEMPLATE_EXISTS", `A template named ${norm.name} already exists in ${norm.language}`, {
        errors: [fieldError("name", "already exists for this language")],
      });
    }
    if (this.byKey.size >= MAX_TEMPLATES) throw new ApiError(400, "TEMPLATE_LIMIT_REACHED", `An account may have at most ${MAX_TEMPLATES} templates`);
    const now = this.clock.now();
    const tpl = { key: ids.template(), ...norm, status: "PENDING", qualityScore: null, rejectedReason: null, createdAt: now, updatedAt: now, approvedAt: null, usageCount: 0 };
    this.byKey.set(tpl.key, tpl);
    // Review: names containing "reject" are rejected, everything else approved.
    this.scheduler.after(this.reviewMs, (at) => {
      if (this.byKey.get(tpl.key) !== tpl || tpl.status !== "PENDING") return;
      const rejected = tpl.name.includes("reject");
      Object.assign(tpl, rejected
        ? { status: "REJECTED", rejectedReason: "INVALID_FORMAT", updatedAt: at }
        : { status: "APPROVED", qualityScore: "HIGH", approvedAt: at, updatedAt: at });
    });
    return tpl;
  }

  delete(id) {
    const tpl = this.get(id);
    if (tpl) this.byKey.delete(tpl.key);
    return tpl;
  }

  /** The checks a template send meets: exists, language, APPROVED, parameter counts. */
  checkSend(call) {
    const named = [...this.byKey.values()].filter((t) => t.name === call.name);
    if (!named.length) {
      throw new ApiError(404, "TEMPLATE_NOT_FOUND", `Template ${call.name} does not exist`, {
        errors: [fieldError("template.name", "no template with this name")],
      });
    }
    const tpl = named.find((t) => t.language === call.language);
    if (!tpl) {
      const have = named.map((t) => t.language).join(", ");
      throw new ApiError(404, "TEMPLATE_NOT_FOUND", `Template ${call.name} has no ${call.language} translation (available: ${have})`, {
        errors: [fieldError("template.language", `not available; the template exists in ${have}`)],
      });
    }
    if (tpl.status !== "APPROVED") {
      throw new ApiError(403, "TEMPLATE_NOT_APPROVED", `Template ${call.name} is ${tpl.status}; only APPROVED templates can be sent`, {
        errors: [fieldError("template.name", `status is ${tpl.status}`)],
      });
    }
    const mismatches = parameterMismatches(tpl, call);
    if (mismatches.length) {
      throw new ApiError(400, "TEMPLATE_PARAM_MISMATCH", "Number of parameters does not match the expected number of params (Meta 132000)", {
        errors: mismatches,
        details: { metaCode: 132000 },
      });
    }
    tpl.usageCount++;
    return tpl;
  }
}

export function liveTemplate(t, clock) {
  const out = {
    id: `tpl_wa_${t.key}`, name: t.name, status: t.status, category: t.category, language: t.language,
    components: clone(t.components), createdAt: clock.iso(t.createdAt), updatedAt: clock.iso(t.updatedAt),
  };
  if (t.rejectedReason) out.rejectedReason = t.rejectedReason;
  return out;
}

export function draftTemplate(t, clock) {
  return {
    id: `tmpl_${t.key}`, name: t.name, category: t.category, language: t.language, status: t.status,
    quality_score: t.qualityScore, components: clone(t.components), usage_count: t.usageCount,
    created_at: clock.iso(t.createdAt), approved_at: t.approvedAt === null ? null : clock.iso(t.approvedAt),
    ...(t.rejectedReason ? { rejected_reason: t.rejectedReason } : {}),
  };
}
