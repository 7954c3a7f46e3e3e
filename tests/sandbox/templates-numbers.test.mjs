// Templates (list / create / get / delete, review) and phone numbers (check / bulk / list).
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, template, USER } from "./helpers.mjs";
import { MAGIC } from "./server.mjs";

const SEEDED = ["hello_world", "order_confirmation", "shipping_update", "appointment_reminder", "verification_code", "summer_sale", "limited_offer"];

const definition = (name, extra = {}) => ({
  name, category: "UTILITY", language: "en_US",
  components: [
    { type: "HEADER", format: "TEXT", text: "Hello {{1}}" },
    { type: "BODY", text: "Your code {{1}} expires in {{2}} minutes." },
    { type: "FOOTER", text: "Sendexa" },
    { type: "BUTTONS", buttons: [{ type: "URL", text: "Open", url: "https://example.com/c/{{1}}" }] },
  ],
  ...extra,
});

test("list: seeded templates, paging, filters, live shape", async (t) => {
  const { api } = await startSandbox(t);
  const all = await api("GET", "/v1/whatsapp/templates");
  assert.equal(all.status, 200);
  const d = all.body.data;
  assert.deepEqual([d.total, d.page, d.pageSize], [SEEDED.length, 1, 20]);
  assert.deepEqual(d.templates.map((x) => x.name), SEEDED);
  const hw = d.templates[0];
  assert.deepEqual(Object.keys(hw).sort(), ["category", "components", "createdAt", "id", "language", "name", "status", "updatedAt"]);
  assert.deepEqual([hw.id, hw.language, hw.status], ["tpl_wa_000001", "en_US", "APPROVED"]);
  assert.equal(d.templates.find((x) => x.name === "limited_offer").rejectedReason, "PROMOTIONAL");

  const page2 = (await api("GET", "/v1/whatsapp/templates?page=2&pageSize=3")).body.data;
  assert.deepEqual([page2.page, page2.pageSize, page2.total, page2.templates.map((x) => x.name)], [2, 3, 7, SEEDED.slice(3, 6)]);
  const byOffset = (await api("GET", "/v1/whatsapp/templates?limit=2&offset=4")).body.data;
  assert.deepEqual(byOffset.templates.map((x) => x.name), SEEDED.slice(4, 6));
  const pending = (await api("GET", "/v1/whatsapp/templates?status=pending")).body.data;
  assert.deepEqual(pending.templates.map((x) => x.name), ["summer_sale"]);
  const marketing = (await api("GET", "/v1/whatsapp/templates?category=MARKETING")).body.data;
  assert.equal(marketing.total, 2);
  for (const q of ["page=0", "pageSize=101", "limit=0", "offset=-1", "page=abc"]) {
    const r = await api("GET", `/v1/whatsapp/templates?${q}`);
    assert.equal(r.status, 400, q);
  }
  assert.equal((await api("GET", "/v1/whatsapp/templates", { token: null })).status, 401);
});

test("draft shape: data[] + pagination, tmpl_ ids, snake_case, `template` on get", async (t) => {
  const { api } = await startSandbox(t, { shape: "draft" });
  const r = (await api("GET", "/v1/whatsapp/templates?limit=5")).body;
  assert.ok(Array.isArray(r.data));
  assert.deepEqual(r.pagination, { total: 7, limit: 5, offset: 0, has_more: true });
  assert.equal(r.data[0].id, "tmpl_000001");
  assert.ok("quality_score" in r.data[0] && "created_at" in r.data[0] && "usage_count" in r.data[0]);
  const g = (await api("GET", "/v1/whatsapp/templates/tmpl_000002")).body;
  assert.equal(g.template.name, "order_confirmation");
  const c = await api("POST", "/v1/whatsapp/templates", { body: definition("draft_made") });
  assert.equal(c.status, 201);
  assert.match(c.body.template.id, /^tmpl_/);
  const bad = await api("POST", "/v1/whatsapp/templates", { body: {} });
  assert.equal(bad.body.error, "INVALID_PARAMETERS");
  assert.ok(bad.body.details.errors.length >= 4);
});

test("create → PENDING, reviewed on the clock, then sendable; get; delete", async (t) => {
  const { api, control } = await startSandbox(t);
  const c = await api("POST", "/v1/whatsapp/templates", { body: definition("otp_login") });
  assert.equal(c.status, 201);
  assert.equal(c.body.message, "Template submitted for review");
  const tpl = c.body.data;
  assert.match(tpl.id, /^tpl_wa_\w+$/);
  assert.deepEqual([tpl.status, tpl.category, tpl.name], ["PENDING", "UTILITY", "otp_login"]);
  const call = template(USER, "otp_login", "en_US", [
    { type: "header", parameters: [{ type: "text", text: "Ama" }] },
    { type: "body", parameters: [{ type: "text", text: "123456" }, { type: "text", text: "10" }] },
    { type: "button", sub_type: "url", index: 0, parameters: [{ type: "text", text: "abc" }] },
  ]);
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: call })).body.code, "TEMPLATE_NOT_APPROVED");

  await control("POST", "/clock", { advance: "60s" });
  assert.equal((await api("GET", `/v1/whatsapp/templates/${tpl.id}`)).body.data.status, "APPROVED");
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: call })).status, 200);

  const rej = (await api("POST", "/v1/whatsapp/templates", { body: definition("please_reject_me") })).body.data;
  await control("POST", "/clock", { advance: "60s" });
  assert.equal((await api("GET", `/v1/whatsapp/templates/${rej.id}`)).body.data.status, "REJECTED");

  const dup = await api("POST", "/v1/whatsapp/templates", { body: definition("otp_login") });
  assert.deepEqual([dup.status, dup.body.code], [409, "TEMPLATE_EXISTS"]);
  assert.equal((await api("POST", "/v1/whatsapp/templates", { body: definition("otp_login", { language: "fr" }) })).status, 201, "same name, other language");

  const del = await api("DELETE", `/v1/whatsapp/templates/${tpl.id}`);
  assert.deepEqual(del.body.data, { id: tpl.id, name: "otp_login", deleted: true });
  assert.equal((await api("GET", `/v1/whatsapp/templates/${tpl.id}`)).status, 404);
  assert.equal((await api("DELETE", `/v1/whatsapp/templates/${tpl.id}`)).body.code, "TEMPLATE_NOT_FOUND");
});

test("create validation lists every problem", async (t) => {
  const { api } = await startSandbox(t);
  const r = await api("POST", "/v1/whatsapp/templates", { body: {
    name: "Bad Name", category: "SPAM", language: "english",
    components: [
      { type: "HEADER", format: "GIF" },
      { type: "BODY", text: "Hi {{1}} and {{3}}" },
      { type: "FOOTER", text: "No {{1}} here" },
      { type: "BUTTONS", buttons: [{ type: "URL", text: "t".repeat(26), url: "http://x/{{1}}/y" }, { type: "CALL", text: "x" }] },
    ],
  } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.errors.map((e) => e.field), [
    "name", "category", "language", "components[0].format", "components[1].text", "components[2].text",
    "components[3].buttons[0].text", "components[3].buttons[0].url", "components[3].buttons[1].type",
  ]);
  const noBody = await api("POST", "/v1/whatsapp/templates", { body: { name: "x", category: "UTILITY", language: "en", components: [{ type: "FOOTER", text: "f" }] } });
  assert.deepEqual(noBody.body.errors.map((e) => e.field), ["components"]);
});

test("numbers/check: WhatsApp users, the not-on-WhatsApp number, bad input", async (t) => {
  const { api } = await startSandbox(t);
  const u = await api("GET", `/v1/whatsapp/numbers/check?phone=${USER}`);
  assert.equal(u.status, 200);
  assert.deepEqual(u.body.data, { phone: USER, isWhatsApp: true, displayName: "Sandbox User 0000", type: "individual" });
  const no = await api("GET", `/v1/whatsapp/numbers/check?phone=${MAGIC.NOT_ON_WHATSAPP}`);
  assert.deepEqual(no.body.data, { phone: MAGIC.NOT_ON_WHATSAPP, isWhatsApp: false, displayName: null });
  assert.equal((await api("GET", `/v1/whatsapp/numbers/check?phone=${MAGIC.AUTO_REPLY}`)).body.data.type, "business");
  const bad = await api("GET", "/v1/whatsapp/numbers/check?phone=%2B233");
  assert.deepEqual([bad.status, bad.body.code, bad.body.errors[0].field], [400, "WA001", "phone"]);
  assert.deepEqual([(await api("GET", "/v1/whatsapp/numbers/check")).status], [400]);
});

test("numbers/bulk-check: ≤ 1000, counts, per-index errors", async (t) => {
  const { api } = await startSandbox(t);
  const phones = [USER, MAGIC.NOT_ON_WHATSAPP, "233244000001"];
  const r = await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.data, {
    results: [
      { phone: USER, isWhatsApp: true, type: "individual" },
      { phone: MAGIC.NOT_ON_WHATSAPP, isWhatsApp: false },
      { phone: "233244000001", isWhatsApp: true, type: "individual" },
    ],
    total: 3, registered: 2, notRegistered: 1,
  });
  const max = Array.from({ length: 1000 }, (_, i) => `2332440${String(i).padStart(5, "0")}`);
  assert.equal((await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones: max } })).body.data.total, 1000);
  const over = await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones: [...max, USER] } });
  assert.deepEqual([over.status, over.body.errors[0].field], [400, "phones"]);
  const bad = await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones: [USER, "+1 555", 7] } });
  assert.deepEqual([bad.status, bad.body.code, bad.body.errors.map((e) => e.field)], [400, "WA001", ["phones[1]", "phones[2]"]]);
  assert.equal((await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones: [] } })).status, 400);
});

test("numbers list: quality rating and messaging limit", async (t) => {
  const { api } = await startSandbox(t, { webhookUrl: "https://hooks.example.com/wa" });
  const r = await api("GET", "/v1/whatsapp/numbers");
  assert.equal(r.status, 200);
  assert.equal(r.body.data.total, 2);
  const [n] = r.body.data.numbers;
  assert.deepEqual(Object.keys(n).sort(), ["connectedAt", "displayName", "id", "messagingLimit", "phone", "qualityRating", "status", "verifiedName", "webhookUrl"]);
  assert.deepEqual([n.id, n.status, n.qualityRating, n.messagingLimit, n.webhookUrl], ["wba_num_000001", "CONNECTED", "GREEN", "TIER_10K", "https://hooks.example.com/wa"]);
  assert.equal(r.body.data.numbers[1].qualityRating, "YELLOW");
});

test("a number's quality rating, messaging limit and status can be changed on demand, until reset", async (t) => {
  const { api, control } = await startSandbox(t);
  const red = await control("POST", "/numbers/wba_num_000001", { qualityRating: "RED", messagingLimit: "TIER_1K" });
  assert.equal(red.status, 200, red.text);
  assert.deepEqual([red.body.data.id, red.body.data.qualityRating, red.body.data.messagingLimit], ["wba_num_000001", "RED", "TIER_1K"]);
  const byPhone = await control("POST", "/numbers/233200000002", { status: "FLAGGED" });
  assert.equal(byPhone.body.data.id, "wba_num_000002", "a number may be named by its phone");
  const listed = (await api("GET", "/v1/whatsapp/numbers")).body.data.numbers;
  assert.deepEqual(listed.map((n) => [n.id, n.qualityRating, n.messagingLimit, n.status]), [
    ["wba_num_000001", "RED", "TIER_1K", "CONNECTED"],
    ["wba_num_000002", "YELLOW", "TIER_1K", "FLAGGED"],
  ]);
  const bad = await control("POST", "/numbers/wba_num_000001", { qualityRating: "PURPLE", colour: "red" });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ["colour", "qualityRating"]);
  assert.equal((await control("POST", "/numbers/wba_num_9", { qualityRating: "RED" })).status, 404);
  await control("POST", "/reset");
  const after = (await api("GET", "/v1/whatsapp/numbers")).body.data.numbers;
  assert.deepEqual(after.map((n) => n.qualityRating), ["GREEN", "YELLOW"]);
});

test("numbers can be made not on WhatsApp on demand (checks, bulk checks and sends), until reset", async (t) => {
  const { api, control } = await startSandbox(t);
  const marked = await control("POST", "/unregistered", { phones: ["233244777001", "233244777002"] });
  assert.equal(marked.status, 200, marked.text);
  assert.deepEqual(marked.body.data.unregistered, ["233244777001", "233244777002"]);
  assert.equal((await api("GET", "/v1/whatsapp/numbers/check?phone=233244777001")).body.data.isWhatsApp, false);
  const bulk = (await api("POST", "/v1/whatsapp/numbers/bulk-check", { body: { phones: ["233244777001", "233244777003", "233244777002"] } })).body.data;
  assert.deepEqual([bulk.results.map((r) => r.isWhatsApp), bulk.registered, bulk.notRegistered], [[false, true, false], 1, 2]);
  const send = await api("POST", "/v1/whatsapp/send", { body: { to: "233244777002", type: "template", template: { name: "hello_world", language: "en_US" } } });
  assert.deepEqual([send.status, send.body.code], [404, "WA002"]);
  assert.equal((await control("POST", "/unregistered", { phones: ["12"] })).status, 400);
  assert.equal((await control("POST", "/unregistered", {})).status, 400);
  await control("POST", "/reset");
  assert.equal((await api("GET", "/v1/whatsapp/numbers/check?phone=233244777001")).body.data.isWhatsApp, true);
});
