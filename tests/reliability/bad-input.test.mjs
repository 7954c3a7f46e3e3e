// Hostile input against the built package in Node: 10 MB strings, nesting 100,000 deep, arrays of
// a million numbers, `__proto__`/`constructor`/`prototype` keys, lone surrogates and NUL bytes.
// Each is refused quickly with a typed SendexaError (or, when the input is in fact valid, gives a
// correct result), with bounded memory, and never kills the WebAssembly instance: a panic would
// make every later call fail, so the last test makes ordinary calls.
//
//   node --expose-gc --test tests/reliability/bad-input.test.mjs
import test from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { documentedCodes, importSdk, mb, memory } from "./helpers.mjs";

const sdk = await importSdk();
const CODES = documentedCodes();
const R1 = "233244000001";
const MB10 = 10 * 1024 * 1024;
const SECRET = "whsec_bad_input";
const hmac = (body, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");

// The bounds: generous on time (a 2-core machine, other work running), tight enough to catch
// a quadratic walk or a hang; memory after a full collection, the JS heap (results dropped) and
// the WebAssembly instance's memory (in `external`; it grows to fit the largest input and never
// shrinks, so it is bounded per case as a multiple of the input).
const TIME_MS = 2000;
const HEAP_MB = 8;
const MESSAGE_MAX = 2000;

/** The requests the client made: every client here uses this stand-in fetch. */
const requests = [];
const standIn = async (url, init) => {
  requests.push({ url: url.length > 200 ? `${url.slice(0, 200)}…` : url, method: init.method });
  const data = { messageId: "exa_wa_1", wamid: "wamid.1", status: "sent", to: R1, type: "text", numbers: [], templates: [], results: [] };
  return new Response(JSON.stringify({ success: true, data }), { status: 200, headers: { "content-type": "application/json" } });
};
const client = (options = {}) => new sdk.Sendexa({ token: "tok_bad_input", baseUrl: "http://127.0.0.1:9", fetch: standIn, rateLimit: false, maxRetries: 0, ...options });

/** Runs `fn` and says how it went; keeps nothing of the result or the error but what it returns. */
async function attempt(fn, look) {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - t0, ok: true, seen: look ? look(value) : undefined };
  } catch (err) {
    return {
      ms: performance.now() - t0,
      ok: false,
      typed: err instanceof sdk.SendexaError,
      code: err?.code,
      message: String(err?.message).slice(0, 300),
      messageLength: String(err?.message).length,
      longestIssue: (Array.isArray(err?.issues) ? err.issues : []).reduce((m, i) => Math.max(m, String(i.message).length, String(i.path).length), 0),
      issues: Array.isArray(err?.issues) ? err.issues.length : undefined,
      name: err?.constructor?.name,
    };
  }
}

/**
 * One hostile input: `fn` must throw a SendexaError with a code in `codes` (documented), or when
 * `valid` is given, return a value `valid(value)` accepts. Within `ms`, the JS heap within
 * HEAP_MB and external memory within `externalMb` once done.
 */
async function hostile(t, name, fn, { codes, valid, ms = TIME_MS, externalMb = 32, message } = {}) {
  await t.test(name, async (st) => {
    const before = await memory();
    const r = await attempt(fn, valid);
    const after = await memory();
    const heap = after.heapUsed - before.heapUsed;
    const external = after.external - before.external;
    st.diagnostic(`${r.ms.toFixed(0)} ms, heap ${heap >= 0 ? "+" : ""}${mb(heap)}, external ${external >= 0 ? "+" : ""}${mb(external)} → ${r.ok ? "result" : `${r.code}: ${r.message.slice(0, 140)}`}`);
    if (valid) {
      assert.ok(r.ok, `expected a result, got ${r.name} ${r.code}: ${r.message}`);
      assert.ok(r.seen, `an unexpected result`);
    } else {
      assert.ok(!r.ok, "expected a SendexaError, got a result");
      assert.ok(r.typed, `not a SendexaError: ${r.name}: ${r.message}`);
      assert.ok(CODES.has(r.code), `undocumented code ${r.code}`);
      if (codes) assert.ok(codes.includes(r.code), `code ${r.code}, expected one of ${codes}: ${r.message}`);
      if (message) assert.match(r.message, message);
      // An error quotes at most an excerpt of the input: a pasted megabyte must not end up in logs.
      assert.ok(r.messageLength < MESSAGE_MAX && r.longestIssue < MESSAGE_MAX, `the error is ${r.messageLength} characters long (its longest issue ${r.longestIssue})`);
    }
    assert.ok(r.ms < ms, `took ${r.ms.toFixed(0)} ms (bound ${ms} ms)`);
    assert.ok(heap < HEAP_MB * 1048576, `the JS heap kept ${mb(heap)} (bound ${HEAP_MB} MB)`);
    assert.ok(external < externalMb * 1048576, `external memory grew by ${mb(external)} (bound ${externalMb} MB)`);
  });
}

/** `{ a: { a: … } }` or `[[…]]`, `depth` levels. */
function nested(depth, kind = "object") {
  const root = kind === "object" ? {} : [];
  let cur = root;
  for (let i = 0; i < depth; i++) {
    const next = kind === "object" ? {} : [];
    if (kind === "object") cur.a = next;
    else cur.push(next);
    cur = next;
  }
  return root;
}

test("bounds on what a caller can make large: listTemplates filters, ids, page sizes, header values", { timeout: 120_000 }, async (t) => {
  const letters = Buffer.alloc(MB10, "a").toString("latin1");
  // Refused by their length before they are copied into the instance: no wasm growth to speak of.
  const small = { codes: ["INVALID_ARGUMENT"], externalMb: 2 };
  const before = requests.length;
  for (const key of ["name", "language", "status", "category"]) {
    await hostile(t, `listTemplates({ ${key}: 10 MB })`, () => client().listTemplates({ [key]: letters }), { ...small, message: new RegExp(`options\\.${key}`) });
  }
  // At the bound and one past it (the core's FILTER_MAX).
  for (const [key, max] of [["name", 512], ["language", 16], ["status", 32], ["category", 32]]) {
    await hostile(t, `listTemplates({ ${key}: ${max + 1} characters })`, () => client().listTemplates({ [key]: "a".repeat(max + 1) }), { codes: ["INVALID_ARGUMENT"], message: new RegExp(`1 to ${max} characters`) });
    await hostile(t, `listTemplates({ ${key}: ${max} characters }) is sent`, () => client().listTemplates({ [key]: "a".repeat(max) }), { valid: (v) => Array.isArray(v.templates) });
  }
  for (const [options, what] of [[{ pageSize: 101 }, "pageSize"], [{ limit: 101 }, "limit"], [{ page: 0 }, "page"], [{ page: 1e9 + 1 }, "page"], [{ offset: 1e12 + 1 }, "offset"], [{ pageSize: 1e300 }, "pageSize"]]) {
    await hostile(t, `listTemplates(${JSON.stringify(options)})`, () => client().listTemplates(options), { codes: ["INVALID_ARGUMENT"], message: new RegExp(what) });
  }
  for (const method of ["status", "resend", "getTemplate", "deleteTemplate"]) {
    await hostile(t, `${method}(10 MB id)`, () => client()[method](letters), small);
    await hostile(t, `${method}(257-character id)`, () => client()[method]("i".repeat(257)), { codes: ["INVALID_ARGUMENT"], message: /1 to 256 characters/ });
  }
  // Header values: the token (or key and secret) becomes the Authorization header.
  await hostile(t, "new Sendexa({ token: 10 MB })", () => client({ token: letters }), small);
  await hostile(t, "new Sendexa({ token: 4,097 characters })", () => client({ token: "t".repeat(4097) }), { codes: ["INVALID_ARGUMENT"], message: /at most 4096/ });
  await hostile(t, "new Sendexa({ apiKey, apiSecret: 10 MB })", () => client({ token: undefined, apiKey: "k", apiSecret: letters }), small);
  await hostile(t, "new Sendexa({ baseUrl: 10 MB })", () => client({ baseUrl: letters }), small);
  assert.equal(requests.length - before, 4, "only the four calls at the bound were sent");
  requests.splice(before); // later tests check that they make no request
});

const text = (body) => ({ to: R1, type: "text", text: { body } });
const hello = (to = R1) => sdk.templateMessage(to, { name: "hello_world", language: "en_US" });

test("10 MB strings: phones, text bodies, template names, webhook bodies, signatures, secrets, ids", { timeout: 120_000 }, async (t) => {
  // Flat strings (String.prototype.repeat makes a rope that the first use flattens, which would
  // show as heap growth of the case that happens to use it first).
  const digits = Buffer.alloc(MB10, "9").toString("latin1");
  const letters = Buffer.alloc(MB10, "a").toString("latin1");
  // Each 10 MB string is copied into the instance (UTF-8) and may be walked a few times.
  const big = { externalMb: 160 };
  await hostile(t, "normalizePhone(10 MB of digits)", () => sdk.normalizePhone(digits), { codes: ["WA001"], ...big });
  await hostile(t, "parsePhone(+ and 10 MB)", () => sdk.parsePhone(`+${digits}`), { codes: ["WA001"], ...big });
  await hostile(t, "isValidPhone(10 MB) is false", () => sdk.isValidPhone(letters), { valid: (v) => v === false, ...big });
  await hostile(t, "validatePhones([10 MB, 10 MB]) answers each", () => sdk.validatePhones([digits, letters]), { valid: (v) => v.length === 2 && v.every((e) => e.valid === false), ...big });
  await hostile(t, "textMessage(to, 10 MB body)", () => sdk.textMessage(R1, letters), { codes: ["INVALID_MESSAGE"], message: /4096/, ...big });
  await hostile(t, "textMessage(10 MB phone, body)", () => sdk.textMessage(digits, "hi"), { codes: ["WA001", "INVALID_MESSAGE"], ...big });
  await hostile(t, "templateMessage with a 10 MB name", () => sdk.templateMessage(R1, { name: letters, language: "en_US" }), { codes: ["INVALID_MESSAGE"], ...big });
  await hostile(t, "validateMessage with a 10 MB language", () => sdk.validateMessage({ to: R1, type: "template", template: { name: "x", language: { code: letters } } }), { codes: ["INVALID_MESSAGE"], ...big });
  await hostile(t, "send(10 MB body): refused before any request", () => client().send(text(letters)), { codes: ["INVALID_MESSAGE"], ...big });
  await hostile(t, "checkNumber(10 MB)", () => client().checkNumber(digits), { codes: ["WA001"], ...big });
  await hostile(t, "status(10 MB id)", () => client().status(letters), { codes: ["INVALID_ARGUMENT"], ...big });
  await hostile(t, "checkMediaLink(a 10 MB link): refused by its length, no request", () => sdk.checkMediaLink(`https://cdn.example.com/${letters}`, { type: "image", fetch: standIn }), { codes: ["INVALID_MEDIA"], message: /8192/, externalMb: 2 });
  await hostile(t, "send(image, 10 MB link, preflightMedia): refused before any request", () => client().send({ to: R1, type: "image", image: { link: `https://cdn.example.com/${letters}` } }, { preflightMedia: true }), { codes: ["INVALID_MESSAGE", "INVALID_MEDIA"], ...big });
  await hostile(t, "createTemplate with a 10 MB name", () => client().createTemplate({ name: letters, category: "UTILITY", language: "en", components: [{ type: "BODY", text: "x" }] }), { codes: ["INVALID_TEMPLATE"], ...big });
  await hostile(t, "parseWebhook(10 MB that is not JSON)", () => sdk.parseWebhook(letters), { codes: ["INVALID_WEBHOOK"], ...big });
  const hugeEvent = JSON.stringify({ event: "message.received", from: R1, type: "text", text: { body: letters } });
  await hostile(t, "parseWebhook(a valid 10 MB event) reads it", () => sdk.parseWebhook(hugeEvent), { valid: (v) => v.length === 1 && v[0].text.length === MB10, externalMb: 200 });
  await hostile(t, "verifyWebhook: 10 MB body, wrong signature", () => sdk.verifyWebhook({ body: letters, headers: { "X-Signature": `sha256=${"0".repeat(64)}` }, secret: SECRET }), { valid: (v) => v === false, ...big });
  const sig = hmac(letters);
  await hostile(t, "verifyWebhook: 10 MB body, right signature", () => sdk.verifyWebhook({ body: letters, headers: { "X-Signature": `sha256=${sig}` }, secret: SECRET }), { valid: (v) => v === true, ...big });
  await hostile(t, "verifyWebhook: a 10 MB signature header", () => sdk.verifyWebhook({ body: "{}", headers: { "X-Signature": letters }, secret: SECRET }), { valid: (v) => v === false, ...big });
  await hostile(t, "verifyWebhook: a 10 MB secret", () => sdk.verifyWebhook({ body: "{}", headers: { "X-Signature": hmac("{}", letters) }, secret: letters }), { valid: (v) => v === true, ...big });
  await hostile(t, "handleWebhook: 10 MB body over the default maxBodyBytes (1 MiB) → 413", async () => {
    const request = new Request("https://example.test/hook", { method: "POST", body: letters, headers: { "X-Signature": `sha256=${"0".repeat(64)}` } });
    return (await sdk.handleWebhook(request, { secret: SECRET, onEvent: () => {} })).status;
  }, { valid: (status) => status === 413, ...big });
  await hostile(t, "handleWebhook: 10 MB body under maxBodyBytes, bad signature → 401", async () => {
    const request = new Request("https://example.test/hook", { method: "POST", body: letters, headers: { "X-Signature": `sha256=${"0".repeat(64)}` } });
    return (await sdk.handleWebhook(request, { secret: SECRET, onEvent: () => {}, maxBodyBytes: 2 * MB10 })).status;
  }, { valid: (status) => status === 401, ...big });
  assert.deepEqual(requests, [], "no request for any of it");
});

test("nesting 100,000 deep: messages, options, webhook payloads, template definitions", { timeout: 60_000 }, async (t) => {
  const deepObject = nested(100_000);
  const deepArray = nested(100_000, "array");
  const tooDeep = /nested too deeply/;
  await hostile(t, "validateMessage(an object 100,000 deep)", () => sdk.validateMessage(deepObject), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "validateMessage(an array 100,000 deep)", () => sdk.validateMessage(deepArray), { codes: ["INVALID_ARGUMENT", "INVALID_MESSAGE"], message: tooDeep });
  await hostile(t, "validateMessage with a field 100,000 deep", () => sdk.validateMessage({ ...text("x"), context: deepObject }), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "validateMessage with 65 levels (past the parser's 64)", () => sdk.validateMessage({ ...text("x"), context: nested(65) }), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "textMessage options 100,000 deep", () => sdk.textMessage(R1, "hi", deepObject), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "buttonsMessage spec 100,000 deep", () => sdk.buttonsMessage(R1, { body: "x", buttons: deepArray }), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "send(a message 100,000 deep)", () => client().send(deepObject), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "send(hello, { template: 100,000 deep })", () => client().send(hello(), { template: deepObject }), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "createTemplate(a definition 100,000 deep)", () => client().createTemplate({ name: "x", category: "UTILITY", language: "en", components: deepArray }), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "checkNumbers(an array 100,000 deep)", () => client().checkNumbers(deepArray), { codes: ["INVALID_ARGUMENT"], message: tooDeep });
  await hostile(t, "new Sendexa({ rateLimit: 100,000 deep })", () => new sdk.Sendexa({ token: "t", rateLimit: { send: deepObject } }), { codes: ["INVALID_ARGUMENT"] });
  await hostile(t, "checkMedia(100,000 deep)", () => sdk.checkMedia({ type: "image", link: deepObject }), { codes: ["INVALID_ARGUMENT", "INVALID_MEDIA"] });
  await hostile(t, "parseWebhook(an object 100,000 deep)", () => sdk.parseWebhook(deepObject), { codes: ["INVALID_ARGUMENT", "INVALID_WEBHOOK"], message: tooDeep });
  const deepText = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
  await hostile(t, "parseWebhook(JSON text 100,000 deep)", () => sdk.parseWebhook(deepText), { codes: ["INVALID_WEBHOOK"], message: /deeper than 64/ });
  await hostile(t, "handleWebhook: a signed body 100,000 deep → 400", async () => {
    const request = new Request("https://example.test/hook", { method: "POST", body: deepText, headers: { "X-Signature": hmac(deepText) } });
    return (await sdk.handleWebhook(request, { secret: SECRET, onEvent: () => {} })).status;
  }, { valid: (status) => status === 400 });
  await hostile(t, "verifyWebhook({ headers: 100,000 deep })", () => sdk.verifyWebhook({ body: "{}", headers: deepObject, secret: SECRET }), { valid: (v) => v === false });
  assert.deepEqual(requests, [], "no request for any of it");
});

test("arrays of a million numbers: validatePhones, message fields, template components", { timeout: 120_000 }, async (t) => {
  const million = Array.from({ length: 1_000_000 }, (_, i) => i);
  // Results of a million entries are valid answers; they are dropped before memory is measured.
  await hostile(t, "validatePhones(a million numbers) answers each", () => sdk.validatePhones(million), { valid: (v) => v.length === 1_000_000 && v.every((e) => e.valid === false), externalMb: 128 });
  await hostile(t, "validateMessage with an unknown field of a million numbers", () => sdk.validateMessage({ ...text("x"), extra: million }), { codes: ["INVALID_MESSAGE"], externalMb: 64 });
  await hostile(t, "validateMessage with text.body a million numbers", () => sdk.validateMessage(text(million)), { codes: ["INVALID_MESSAGE"], externalMb: 64 });
  await hostile(t, "validateMessage with to a million numbers", () => sdk.validateMessage({ ...text("x"), to: million }), { codes: ["INVALID_MESSAGE", "WA001"], externalMb: 64 });
  // Arrays the API caps at 3, 10 or a few dozen entries: one issue for the length, and not a
  // million more, one per entry (which takes seconds and grows the instance by ~200 MB for good).
  const capped = { codes: ["INVALID_MESSAGE", "INVALID_TEMPLATE"], externalMb: 64 };
  await hostile(t, "buttonsMessage with a million buttons", () => sdk.buttonsMessage(R1, { body: "x", buttons: million }), capped);
  await hostile(t, "validateMessage with a million list sections", () => sdk.validateMessage({ to: R1, type: "interactive", interactive: { type: "list", body: { text: "x" }, action: { button: "b", sections: million } } }), capped);
  await hostile(t, "validateMessage with a million template components", () => sdk.validateMessage({ to: R1, type: "template", template: { name: "x", language: "en_US", components: million } }), capped);
  await hostile(t, "validateMessage with a million contacts", () => sdk.validateMessage({ to: R1, type: "contacts", contacts: million }), capped);
  await hostile(t, "createTemplate with a million components", () => client().createTemplate({ name: "x", category: "UTILITY", language: "en", components: million }), capped);
  assert.deepEqual(requests, [], "no request for any of it");
});

test("__proto__, constructor and prototype keys are plain data: nothing polluted, nothing inherited", { timeout: 60_000 }, async (t) => {
  const prototypes = [Object.prototype, Array.prototype, Function.prototype];
  const snapshot = () => prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join(","));
  const before = snapshot();
  const polluting = (json) => JSON.parse(json); // JSON.parse makes `__proto__` an own key, as a body from the network would be
  const pollutedKeys = '"__proto__":{"polluted":"yes","to":"233244000999"},"constructor":{"prototype":{"polluted":"yes"}}';
  await hostile(t, "validateMessage: own __proto__ and constructor at the top", () => sdk.validateMessage(polluting(`{"to":"${R1}","type":"text","text":{"body":"x"},${pollutedKeys}}`)), { codes: ["INVALID_MESSAGE"], message: /__proto__|constructor/ });
  await hostile(t, "validateMessage: __proto__ inside text", () => sdk.validateMessage(polluting(`{"to":"${R1}","type":"text","text":{"body":"x",${pollutedKeys}}}`)), { codes: ["INVALID_MESSAGE"] });
  await hostile(t, "validateMessage: prototype as a template parameter key", () => sdk.validateMessage(polluting(`{"to":"${R1}","type":"template","template":{"name":"x","language":"en_US","components":[{"type":"body","parameters":[{"type":"text","text":"a","prototype":{"x":1}}]}]}}`)), { codes: ["INVALID_MESSAGE"] });
  await hostile(t, "textMessage options with own __proto__", () => sdk.textMessage(R1, "hi", polluting('{"__proto__":{"previewUrl":true}}')), { codes: ["INVALID_ARGUMENT", "INVALID_MESSAGE"] });
  await hostile(t, "new Sendexa: an own __proto__ option is an unknown option", () => new sdk.Sendexa(polluting('{"token":"t","__proto__":{"baseUrl":"http://evil.test","dangerouslyAllowBrowser":true}}')), { codes: ["INVALID_ARGUMENT"], message: /__proto__/ });
  await hostile(t, "RateLimiter: an own __proto__ bucket", () => new sdk.RateLimiter(polluting('{"__proto__":{"send":{"perSecond":1}}}')), { codes: ["INVALID_ARGUMENT"] });
  // Webhook payloads: parsed as data; every event a plain object whose prototype is Object.prototype.
  const body = `{"event":"message.received","from":"${R1}","type":"text","text":{"body":"hi","__proto__":{"polluted":"yes"}},${pollutedKeys},"prototype":{"polluted":"yes"}}`;
  const plainEvent = (e) =>
    Object.getPrototypeOf(e) === Object.prototype &&
    e.polluted === undefined &&
    e.raw.polluted === undefined &&
    Object.getPrototypeOf(e.raw) === Object.prototype &&
    Object.hasOwn(e.raw, "__proto__") &&
    e.from === R1 &&
    e.text === "hi";
  const plain = (events) => events.length === 1 && plainEvent(events[0]);
  await hostile(t, "parseWebhook(text with __proto__/constructor/prototype keys)", () => sdk.parseWebhook(body), { valid: plain });
  await hostile(t, "parseWebhook(the same as an object)", () => sdk.parseWebhook(JSON.parse(body)), { valid: plain });
  await hostile(t, "parseWebhook: an event named __proto__ is an unknown event", () => sdk.parseWebhook('{"event":"__proto__","data":{"constructor":1}}'), { valid: (v) => v.length === 1 && v[0].kind === "unknown" && Object.getPrototypeOf(v[0]) === Object.prototype });
  await hostile(t, "handleWebhook: delivery ids __proto__ and constructor dedupe like any other", async () => {
    const seen = [];
    const options = { secret: SECRET, onEvent: (e) => seen.push(e) };
    const statuses = [];
    for (const id of ["__proto__", "__proto__", "constructor", "constructor", "hasOwnProperty"]) {
      const request = new Request("https://example.test/hook", { method: "POST", body, headers: { "X-Signature": hmac(body), "X-Webhook-ID": id } });
      statuses.push((await sdk.handleWebhook(request, options)).status);
    }
    return { statuses, events: seen.length, plain: seen.every(plainEvent) };
  }, { valid: (v) => v.statuses.every((s) => s === 200) && v.events === 3 && v.plain });
  await hostile(t, "MemoryWindowStore: __proto__, constructor, toString are keys like any other", () => {
    const store = new sdk.MemoryWindowStore();
    const keys = ["__proto__", "constructor", "toString"];
    const fresh = keys.map((k) => store.get(k)); // nothing inherited
    keys.forEach((k, i) => store.set(k, i + 1));
    return { fresh, stored: keys.map((k) => store.get(k)), size: store.size };
  }, { valid: (v) => v.fresh.every((x) => x === undefined) && v.stored.join() === "1,2,3" && v.size === 3 });
  assert.deepEqual(snapshot(), before, "Object.prototype, Array.prototype and Function.prototype unchanged");
  assert.equal({}.polluted, undefined);
  assert.equal([].polluted, undefined);
  assert.deepEqual(requests, [], "no request for any of it");
});

test("lone surrogates and NUL bytes in every string input", { timeout: 60_000 }, async (t) => {
  const bad = { lone: "a\uD800b", trailing: "ab\uDBFF", low: "\uDC00", nul: "a\u0000b", nulOnly: "\u0000" };
  // Each input either refused with a documented code, or accepted: never a crash, never a TypeError.
  const inputs = {
    normalizePhone: (s) => sdk.normalizePhone(`+233${s}244000000`),
    parsePhone: (s) => sdk.parsePhone(s),
    isValidPhone: (s) => sdk.isValidPhone(s),
    "normalizePhone region": (s) => sdk.normalizePhone("0244000000", s),
    validatePhones: (s) => sdk.validatePhones([s, `${R1}${s}`]),
    "textMessage to": (s) => sdk.textMessage(s, "hi"),
    "textMessage body": (s) => sdk.textMessage(R1, s),
    "templateMessage name": (s) => sdk.templateMessage(R1, { name: s, language: "en_US" }),
    "templateMessage language": (s) => sdk.templateMessage(R1, { name: "x", language: s }),
    "templateMessage parameter": (s) => sdk.templateMessage(R1, { name: "x", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: s }] }] }),
    "imageMessage link": (s) => sdk.imageMessage(R1, { link: `https://example.com/${s}.png` }),
    "imageMessage caption": (s) => sdk.imageMessage(R1, { link: "https://example.com/a.png" }, { caption: s }),
    "buttonsMessage title": (s) => sdk.buttonsMessage(R1, { body: "x", buttons: [{ id: s, title: s }] }),
    "listMessage row": (s) => sdk.listMessage(R1, { body: "x", button: "b", sections: [{ title: s, rows: [{ id: s, title: s }] }] }),
    "ctaUrlMessage url": (s) => sdk.ctaUrlMessage(R1, { body: "x", displayText: "go", url: `https://example.com/${s}` }),
    "validateMessage key": (s) => sdk.validateMessage({ ...text("x"), [s]: 1 }),
    "checkMedia filename and mimeType": (s) => sdk.checkMedia({ type: "document", mimeType: `application/${s}`, size: 10, filename: s }),
    "checkMedia link host": (s) => sdk.checkMedia({ type: "image", mimeType: "image/png", size: 10, link: `https://exa${s}mple.com/a.png` }),
    "verifyWebhook body": (s) => sdk.verifyWebhook({ body: s, headers: { "X-Signature": hmac(s) }, secret: SECRET }),
    "verifyWebhook header": (s) => sdk.verifyWebhook({ body: "{}", headers: { "X-Signature": `sha256=${s}` }, secret: SECRET }),
    "verifyWebhook secret": (s) => sdk.verifyWebhook({ body: "{}", headers: { "X-Signature": hmac("{}") }, secret: s }),
    "parseWebhook text": (s) => sdk.parseWebhook(`{"event":"message.received","from":"${R1}","type":"text","text":{"body":"${s}"}}`),
    "parseWebhook escaped": (s) => sdk.parseWebhook(JSON.stringify({ event: "message.received", from: R1, type: "text", text: { body: s } })),
    "Sendexa token": (s) => new sdk.Sendexa({ token: s }),
    "Sendexa baseUrl": (s) => new sdk.Sendexa({ token: "t", baseUrl: `https://api${s}.example` }),
    "client status": (s) => client().status(s),
    "client getTemplate": (s) => client().getTemplate(s),
    "client checkNumber": (s) => client().checkNumber(s),
    "client send": (s) => client().send(text(s)),
    "client createTemplate": (s) => client().createTemplate({ name: `n${s}`, category: "UTILITY", language: "en", components: [{ type: "BODY", text: s }] }),
    "MemoryWindowStore": (s) => new sdk.MemoryWindowStore().set(s, 1),
  };
  const tally = { refused: 0, accepted: 0 };
  const codes = {};
  for (const [where, fn] of Object.entries(inputs)) {
    for (const [label, s] of Object.entries(bad)) {
      const r = await attempt(() => fn(s));
      const what = `${where} with ${label} (${JSON.stringify(s)})`;
      assert.ok(r.ok || (r.typed && CODES.has(r.code)), `${what}: ${r.name} ${r.code}: ${r.message}`);
      assert.ok(r.ms < 500, `${what}: ${r.ms.toFixed(0)} ms`);
      // A lone surrogate cannot be sent as valid Unicode: a message carrying one is refused
      // with words that say so, not with a JSON parser's byte offset into text the caller never
      // wrote (a webhook body's offsets are the caller's own bytes: they stay).
      if (!r.ok && r.code !== "INVALID_WEBHOOK" && /surrogate/.test(r.message)) assert.doesNotMatch(r.message, /at byte \d/, `${what}: ${r.message}`);
      if (r.ok) tally.accepted++;
      else {
        tally.refused++;
        codes[r.code] = (codes[r.code] ?? 0) + 1;
      }
    }
  }
  t.diagnostic(`${Object.keys(inputs).length} inputs × ${Object.keys(bad).length} strings: ${tally.refused} refused ${JSON.stringify(codes)}, ${tally.accepted} accepted as valid`);
  // The requests the stand-in saw carried the id percent-encoded in its path slot, nothing more.
  for (const r of requests) assert.match(r.url, /^http:\/\/127\.0\.0\.1:9\/v1\/whatsapp\/[a-z/-]+(?:\/[A-Za-z0-9%._~-]+)?$/, r.url);
  requests.length = 0;
});

test("errors quote at most an excerpt of a long input", { timeout: 60_000 }, async (t) => {
  const long = Buffer.alloc(1024 * 1024, "a").toString("latin1"); // 1 MB
  const echo = {};
  await hostile(t, "an unknown template language", () => sdk.validateMessage({ to: R1, type: "template", template: { name: "x", language: long } }), echo);
  await hostile(t, "a media link that is not a URL", () => sdk.imageMessage(R1, { link: long }), echo);
  await hostile(t, "a media link with a space", () => sdk.imageMessage(R1, { link: `https://example.com/${long} ` }), echo);
  await hostile(t, "checkMedia: an unknown MIME type", () => sdk.checkMedia({ type: "image", mimeType: long, size: 1 }), echo);
  await hostile(t, "an unknown message type", () => sdk.validateMessage({ to: R1, type: long }), echo);
  await hostile(t, "an unknown field name", () => sdk.validateMessage({ ...text("x"), [long]: 1 }), echo);
  await hostile(t, "a call-to-action URL that is not https", () => sdk.ctaUrlMessage(R1, { body: "x", displayText: "go", url: `javascript:${long}` }), echo);
  await hostile(t, "an unknown client option", () => new sdk.Sendexa({ token: "t", [long]: 1 }), echo);
  // These already quote an excerpt:
  await hostile(t, "a phone number", () => sdk.normalizePhone(long), { codes: ["WA001"] });
  await hostile(t, "a template name", () => sdk.templateMessage(R1, { name: `A ${long.slice(0, 400)}`, language: "en_US" }), { codes: ["INVALID_MESSAGE"] });
  await hostile(t, "a base URL", () => new sdk.Sendexa({ token: "t", baseUrl: `ftp://${long}` }), { codes: ["INVALID_ARGUMENT"] });
});

test("ids '.' and '..' cannot reach another endpoint", { timeout: 30_000 }, async () => {
  for (const [name, call] of [
    ["status", (id) => client().status(id)],
    ["getTemplate", (id) => client().getTemplate(id)],
    ["deleteTemplate", (id) => client().deleteTemplate(id)],
    ["resend (path style)", (id) => client({ resendStyle: "path" }).resend(id)],
  ]) {
    for (const id of [".", "..", " .. "]) {
      const r = await attempt(() => call(id));
      assert.ok(!r.ok && r.code === "INVALID_ARGUMENT", `${name}(${JSON.stringify(id)}): ${r.ok ? `a request to ${requests.at(-1)?.url}` : r.code}`);
    }
  }
  assert.deepEqual(requests, []);
});

test("after all of it the instance works: phones, messages, webhooks, the client", async () => {
  assert.equal(sdk.normalizePhone("+233 24 400 0000"), "233244000000");
  assert.deepEqual(sdk.textMessage(R1, "still here"), { to: R1, type: "text", text: { body: "still here" } });
  const body = '{"event":"message.read","messageId":"exa_wa_1","status":"read"}';
  assert.equal(sdk.verifyWebhook({ body, headers: { "X-Signature": `sha256=${hmac(body)}` }, secret: SECRET }), true);
  assert.equal(sdk.parseWebhook(body)[0].status, "read");
  requests.length = 0;
  const sent = await client().send(hello());
  assert.equal(sent.messageId, "exa_wa_1");
  assert.deepEqual(requests.map((r) => r.url), ["http://127.0.0.1:9/v1/whatsapp/send"]);
  assert.throws(() => sdk.normalizePhone("nope"), (err) => err instanceof sdk.SendexaError && err.code === "WA001");
});
