// POST /v1/whatsapp/send: validation, the 24 h window, WA002, template checks, response shapes.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, openWindow, text, template, USER, START } from "./helpers.mjs";
import { MAGIC } from "./server.mjs";

const IMG = "https://cdn.example.com/a.jpg";

test("a text send within the window returns the live envelope", async (t) => {
  const { api, control } = await startSandbox(t);
  await openWindow(control);
  const r = await api("POST", "/v1/whatsapp/send", { body: text(USER, "Order #123 confirmed") });
  assert.equal(r.status, 200);
  assert.equal(r.body.success, true);
  assert.equal(r.body.message, "WhatsApp message sent successfully");
  const d = r.body.data;
  assert.match(d.id, /^wamid\./);
  assert.match(d.messageId, /^exa_wa_\d+_\w+$/);
  assert.deepEqual({ status: d.status, to: d.to, type: d.type, cost: d.cost, timestamp: d.timestamp }, { status: "sent", to: USER, type: "text", cost: 1, timestamp: START });
  assert.equal(r.body.requestId, r.headers.get("x-request-id"));
});

test("draft shape: flat send body whose messageId is the wamid", async (t) => {
  const { api } = await startSandbox(t, { shape: "draft" });
  const r = await api("POST", "/v1/whatsapp/send", { body: template(USER, "hello_world", "en_US") });
  assert.equal(r.status, 200);
  assert.equal(r.body.data, undefined);
  assert.match(r.body.messageId, /^wamid\./);
  assert.equal(r.body.to, USER);
  assert.equal(r.body.status, "sent");
  assert.equal(r.body.currency, "GHS");
  assert.equal(r.body.conversation.type, "business_initiated");
  assert.match(r.body.request_id, /^req_/);
  const s = await api("GET", `/v1/whatsapp/status/${r.body.messageId}`);
  assert.equal(s.status, 200, "status accepts a wamid");
  const bad = await api("POST", "/v1/whatsapp/send", { body: text(USER) });
  assert.equal(bad.body.error, "CONVERSATION_WINDOW_EXPIRED");
  assert.equal(bad.body.details.code, "WA003");
});

test("the 24 h window: WA003 until the user writes, open for 24 h, closed after", async (t) => {
  const { api, control } = await startSandbox(t);
  const closed = await api("POST", "/v1/whatsapp/send", { body: text(USER) });
  assert.equal(closed.status, 400);
  assert.equal(closed.body.code, "WA003");
  assert.equal(closed.body.errors[0].field, "type");

  const opened = await openWindow(control);
  assert.equal(opened.windowExpiresAt, "2025-01-16T10:00:00.000Z");
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).status, 200);
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text("233244000999") })).body.code, "WA003", "per recipient");

  await control("POST", "/clock", { advanceMs: 24 * 3600e3 - 1000 });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).status, 200, "still open 1 s before expiry");
  await control("POST", "/clock", { advanceSeconds: 1 });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).body.code, "WA003", "closed at 24 h");
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: template(USER, "hello_world", "en_US") })).status, 200, "templates need no window");
  const windows = (await control("GET", "/windows")).body.data.windows;
  assert.deepEqual(windows.map((w) => [w.phone, w.open]), [[USER, false]]);
});

test("window enforcement can be switched off", async (t) => {
  const { api } = await startSandbox(t, { window: false });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).status, 200);
});

test("`to` must be digits 8–15 with a country code (WA001)", async (t) => {
  const { api } = await startSandbox(t, { window: false });
  for (const to of ["+233244000000", "233 24 400 0000", "0244000000", "1234567", "1234567890123456", "", "abc", 233244000000, null]) {
    const r = await api("POST", "/v1/whatsapp/send", { body: text(to) });
    assert.equal(r.status, 400, `to=${JSON.stringify(to)}`);
    assert.equal(r.body.code, "WA001", `to=${JSON.stringify(to)}`);
    assert.equal(r.body.errors[0].field, "to");
  }
  for (const to of ["12345678", "123456789012345"]) assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(to) })).status, 200, to);
});

test("the not-on-WhatsApp number is refused with 404 WA002", async (t) => {
  const { api } = await startSandbox(t);
  const r = await api("POST", "/v1/whatsapp/send", { body: template(MAGIC.NOT_ON_WHATSAPP, "hello_world", "en_US") });
  assert.equal(r.status, 404);
  assert.equal(r.body.code, "WA002");
});

test("type and per-type bodies are checked with every problem listed", async (t) => {
  const { api } = await startSandbox(t, { window: false });
  const cases = [
    [{ to: USER }, ["type"]],
    [{ to: USER, type: "fax" }, ["type"]],
    [{ to: USER, type: "text" }, ["text"]],
    [{ to: USER, type: "text", text: { body: "" } }, ["text.body"]],
    [{ to: USER, type: "text", text: { body: "x".repeat(4097) } }, ["text.body"]],
    [{ to: USER, type: "text", text: { body: "hi" }, image: { link: IMG } }, ["image"]],
    [{ to: USER, type: "image", image: {} }, ["image.link"]],
    [{ to: USER, type: "image", image: { link: IMG, caption: "c".repeat(1025) } }, ["image.caption"]],
    [{ to: USER, type: "image", image: { link: IMG, id: "123" } }, ["image"]],
    [{ to: USER, type: "audio", audio: { link: IMG, caption: "no" } }, ["audio.caption"]],
    [{ to: USER, type: "video", video: { link: IMG, filename: "a.mp4" } }, ["video.filename"]],
    [{ to: USER, type: "location", location: { latitude: 91, longitude: 0 } }, ["location.latitude"]],
    [{ to: USER, type: "contacts", contacts: [] }, ["contacts"]],
    [{ to: USER, type: "reaction", reaction: { emoji: "👍" } }, ["reaction.message_id"]],
    [{ to: USER, type: "text", text: { body: "hi" }, context: { message_id: 5 } }, ["context.message_id"]],
    [{ to: USER, type: "text", text: { body: "hi" }, messaging_product: "sms" }, ["messaging_product"]],
  ];
  for (const [body, fields] of cases) {
    const r = await api("POST", "/v1/whatsapp/send", { body });
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(r.body.code, "VALIDATION_ERROR", JSON.stringify(body).slice(0, 80));
    assert.deepEqual(r.body.errors.map((e) => e.field), fields, JSON.stringify(body).slice(0, 80));
  }
  const ok = [
    { to: USER, type: "text", text: { body: "𝄞".repeat(4096), preview_url: true } },
    { to: USER, type: "image", image: { link: IMG, caption: "c".repeat(1024) } },
    { to: USER, type: "image", image: { url: IMG } },
    { to: USER, type: "image", image: { id: "1234567890" } },
    { to: USER, type: "video", video: { link: "https://cdn.example.com/v.mp4" } },
    { to: USER, type: "audio", audio: { link: "https://cdn.example.com/a.ogg" } },
    { to: USER, type: "document", document: { link: "https://cdn.example.com/d.pdf", filename: "invoice.pdf", caption: "Invoice" } },
    { to: USER, type: "sticker", sticker: { link: "https://cdn.example.com/s.webp" } },
    { to: USER, type: "location", location: { latitude: 5.6, longitude: -0.19, name: "Accra" } },
    { to: USER, type: "contacts", contacts: [{ name: { formatted_name: "Ama" } }] },
    { to: USER, type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } },
    { messaging_product: "whatsapp", recipient_type: "individual", to: USER, type: "text", text: { body: "re" }, context: { message_id: "wamid.X" } },
  ];
  for (const body of ok) {
    const r = await api("POST", "/v1/whatsapp/send", { body });
    assert.equal(r.status, 200, `${body.type}: ${r.text}`);
  }
});

test("media links must be public absolute https (WA004)", async (t) => {
  const { api } = await startSandbox(t, { window: false });
  const bad = ["http://cdn.example.com/a.jpg", "/a.jpg", "https://localhost/a.jpg", "https://api.localhost/a.jpg", "https://127.0.0.1/a.jpg",
    "https://0x7f.1/a.jpg", "https://10.1.2.3/a.jpg", "https://172.20.0.1/a.jpg", "https://192.168.1.1/a.jpg", "https://169.254.169.254/latest",
    "https://[::1]/a.jpg", "https://[fd00::1]/a.jpg", "https://[::ffff:127.0.0.1]/a.jpg", "ftp://cdn.example.com/a.jpg"];
  for (const link of bad) {
    const r = await api("POST", "/v1/whatsapp/send", { body: { to: USER, type: "image", image: { link } } });
    assert.equal(r.status, 400, link);
    assert.equal(r.body.code, "WA004", link);
    assert.equal(r.body.errors[0].field, "image.link");
  }
  for (const link of ["https://8.8.8.8/a.jpg", "https://172.32.0.1/a.jpg", "https://[2001:db8::1]/a.jpg"]) {
    assert.equal((await api("POST", "/v1/whatsapp/send", { body: { to: USER, type: "image", image: { link } } })).status, 200, link);
  }
  const mixed = await api("POST", "/v1/whatsapp/send", { body: { to: "+1", type: "image", image: { link: "http://x" } } });
  assert.equal(mixed.body.code, "WA001", "a bad `to` outranks a bad link");
  assert.equal(mixed.body.errors.length, 2);
});

test("interactive: reply buttons, lists and cta_url limits", async (t) => {
  const { api } = await startSandbox(t, { window: false });
  const send = (interactive) => api("POST", "/v1/whatsapp/send", { body: { to: USER, type: "interactive", interactive } });
  const btn = (id, title = id) => ({ type: "reply", reply: { id, title } });
  const row = (id) => ({ id, title: `Row ${id}` });

  assert.equal((await send({ type: "button", body: { text: "Proceed?" }, action: { buttons: [btn("yes"), btn("no")] } })).status, 200);
  assert.equal((await send({ type: "list", header: { type: "text", text: "Menu" }, body: { text: "Pick" }, footer: { text: "f" }, action: { button: "Options", sections: [{ title: "A", rows: [row("1"), row("2")] }, { title: "B", rows: [row("3")] }] } })).status, 200);
  assert.equal((await send({ type: "cta_url", body: { text: "See" }, action: { name: "cta_url", parameters: { display_text: "Open", url: "https://example.com" } } })).status, 200);

  const fields = async (interactive) => (await send(interactive)).body.errors.map((e) => e.field);
  assert.deepEqual(await fields({ type: "button", body: { text: "x" }, action: { buttons: [btn("a"), btn("b"), btn("c"), btn("d")] } }), ["interactive.action.buttons"]);
  assert.deepEqual(await fields({ type: "button", body: { text: "x" }, action: { buttons: [btn("a", "t".repeat(21)), btn("a", "b")] } }),
    ["interactive.action.buttons[0].reply.title", "interactive.action.buttons[1].reply.id"]);
  assert.deepEqual(await fields({ type: "button", action: { buttons: [btn("a")] } }), ["interactive.body"]);
  const eleven = Array.from({ length: 11 }, (_, i) => row(String(i)));
  assert.deepEqual(await fields({ type: "list", body: { text: "x" }, action: { button: "b", sections: [{ rows: eleven }] } }), ["interactive.action.sections"]);
  assert.deepEqual(await fields({ type: "list", body: { text: "x" }, action: { button: "b", sections: [{ rows: [row("1")] }, { title: "B", rows: [{ id: "1", title: "t".repeat(25), description: "d".repeat(73) }] }] } }),
    ["interactive.action.sections[0].title", "interactive.action.sections[1].rows[0].id", "interactive.action.sections[1].rows[0].title", "interactive.action.sections[1].rows[0].description"]);
  assert.deepEqual(await fields({ type: "cta_url", body: { text: "x" }, action: { name: "cta_url", parameters: { display_text: "d".repeat(21), url: "notaurl" } } }),
    ["interactive.action.parameters.display_text", "interactive.action.parameters.url"]);
  assert.deepEqual(await fields({ type: "carousel", body: { text: "x" } }), ["interactive.type"]);
});

test("templates: existence, language, approval and parameter counts", async (t) => {
  const { api } = await startSandbox(t);
  const send = (tpl) => api("POST", "/v1/whatsapp/send", { body: { to: USER, type: "template", template: tpl } });
  const p = (...values) => values.map((v) => ({ type: "text", text: v }));
  const order = (overrides = {}) => ({
    name: "order_confirmation", language: { code: "en_US" },
    components: [
      { type: "header", parameters: p("#123") },
      { type: "body", parameters: p("Ama", "#123", "GHS 50", "Friday") },
      { type: "button", sub_type: "url", index: 0, parameters: p("123") },
    ],
    ...overrides,
  });

  assert.equal((await send({ name: "hello_world", language: "en_US" })).status, 200, "string language");
  assert.equal((await send({ name: "hello_world", language: { code: "en_US" }, components: [] })).status, 200, "object language");
  assert.equal((await send(order())).status, 200);
  assert.equal((await send({ name: "appointment_reminder", language: "en", components: [{ type: "BODY", parameters: p("Ama", "Mon", "9am") }, { type: "button", sub_type: "quick_reply", index: "1", parameters: [{ type: "payload", payload: "R" }] }] })).status, 200);
  assert.equal((await send({ name: "shipping_update", language: "en_US", components: [
    { type: "header", parameters: [{ type: "image", image: { link: IMG } }] }, { type: "body", parameters: p("PX1", "tomorrow") }] })).status, 200);

  const missing = await send({ name: "no_such_template", language: "en_US" });
  assert.deepEqual([missing.status, missing.body.code], [404, "TEMPLATE_NOT_FOUND"]);
  const lang = await send({ name: "hello_world", language: "fr" });
  assert.deepEqual([lang.status, lang.body.code, lang.body.errors[0].field], [404, "TEMPLATE_NOT_FOUND", "template.language"]);
  for (const name of ["summer_sale", "limited_offer"]) {
    const r = await send({ name, language: "en_US" });
    assert.deepEqual([r.status, r.body.code], [403, "TEMPLATE_NOT_APPROVED"], name);
  }

  const mismatch = async (tpl, field) => {
    const r = await send(tpl);
    assert.equal(r.status, 400, JSON.stringify(tpl).slice(0, 120));
    assert.equal(r.body.code, "TEMPLATE_PARAM_MISMATCH");
    assert.ok(r.body.errors.some((e) => e.field.includes(field)), `${field} in ${JSON.stringify(r.body.errors)}`);
  };
  await mismatch({ name: "hello_world", language: "en_US", components: [{ type: "body", parameters: p("x") }] }, "body");
  await mismatch(order({ components: order().components.slice(1) }), "header");
  await mismatch(order({ components: [order().components[0], { type: "body", parameters: p("Ama", "#1", "x") }, order().components[2]] }), "body");
  await mismatch(order({ components: order().components.slice(0, 2) }), "button:0");
  await mismatch(order({ components: [...order().components.slice(0, 2), { type: "button", sub_type: "url", index: 1, parameters: p("x") }] }), "sub_type");
  await mismatch(order({ components: [...order().components, { type: "button", sub_type: "url", index: 5, parameters: p("x") }] }), "index");
  await mismatch({ name: "shipping_update", language: "en_US", components: [{ type: "header", parameters: p("not an image") }, { type: "body", parameters: p("a", "b") }] }, "parameters[0].type");

  const shape = await send({ name: "hello_world", language: "English" });
  assert.deepEqual([shape.status, shape.body.code, shape.body.errors[0].field], [400, "VALIDATION_ERROR", "template.language"]);
  const media = await send({ name: "shipping_update", language: "en_US", components: [{ type: "header", parameters: [{ type: "image", image: { link: "http://insecure" } }] }, { type: "body", parameters: p("a", "b") }] });
  assert.equal(media.body.code, "WA004", "template header media links are checked too");
});
