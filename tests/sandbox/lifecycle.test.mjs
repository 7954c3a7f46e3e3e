// Message lifecycle on the sandbox clock, status lookups, inbound messages and signed webhooks.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, webhookListener, signatureValid, openWindow, text, template, USER, sleep } from "./helpers.mjs";
import { MAGIC } from "./server.mjs";

const SECRET = "whsec_test";
const hello = (to) => template(to, "hello_world", "en_US");

async function setup(t, options = {}, listenerOptions) {
  const hook = await webhookListener(t, listenerOptions);
  const sb = await startSandbox(t, { webhookUrl: hook.url, webhookSecret: SECRET, ...options });
  const advance = (advance) => sb.control("POST", "/clock", { advance, settle: true });
  const status = async (id) => (await sb.api("GET", `/v1/whatsapp/status/${id}`)).body.data;
  return { ...sb, hook, advance, status };
}

function assertSigned(d) {
  assert.ok(signatureValid(SECRET, d.raw, d.headers["x-signature"]), "X-Signature is sha256=HMAC(raw body)");
  assert.match(d.headers["x-signature"], /^sha256=[0-9a-f]{64}$/);
  assert.equal(d.headers["x-signature-version"], "1");
  assert.match(d.headers["x-webhook-id"], /^whk_\w+$/);
  assert.ok(!Number.isNaN(Date.parse(d.headers["x-timestamp"])), "X-Timestamp is ISO 8601");
  assert.match(d.headers["x-timestamp"], /^\d{4}-\d\d-\d\dT/);
  assert.equal(d.headers["content-type"], "application/json");
}

test("pending → sent → delivered → read with a signed webhook per transition", async (t) => {
  const { api, hook, advance, status, control } = await setup(t);
  const inbound = await openWindow(control);
  const rx = await hook.next((d) => d.json.event === "message.received");
  assertSigned(rx);
  assert.deepEqual({ ...rx.json, timestamp: undefined }, {
    event: "message.received", messageId: inbound.messageId, wamid: inbound.wamid, from: USER, type: "text",
    text: { body: "hi" }, timestamp: undefined, contact: { name: "Sandbox User 0000", phone: USER },
  });

  const sent = (await api("POST", "/v1/whatsapp/send", { body: text(USER, "Your order shipped") })).body.data;
  const sentHook = await hook.next((d) => d.json.event === "message.sent");
  assertSigned(sentHook);
  assert.deepEqual(sentHook.json, {
    event: "message.sent", messageId: sent.messageId, wamid: sent.id, to: USER, type: "text", status: "sent", timestamp: "2025-01-15T10:00:00.000Z",
  });
  assert.equal(sentHook.headers["x-attempt"], "1");
  let s = await status(sent.messageId);
  assert.deepEqual([s.status, s.sentAt, s.deliveredAt, s.readAt], ["sent", "2025-01-15T10:00:00.000Z", null, null]);

  await advance("999ms");
  assert.equal((await status(sent.messageId)).status, "sent", "not delivered before 1 s");
  await advance("1ms");
  const delivered = await hook.next((d) => d.json.event === "message.delivered");
  assertSigned(delivered);
  assert.equal(delivered.json.status, "delivered");
  assert.equal(delivered.json.cost, 1);
  assert.equal(delivered.json.timestamp, "2025-01-15T10:00:01.000Z");
  await advance("2s");
  const read = await hook.next((d) => d.json.event === "message.read");
  assert.equal(read.json.messageId, sent.messageId);

  s = await status(sent.id);
  assert.deepEqual(s, {
    messageId: sent.messageId, wamid: sent.id, status: "read", to: USER, type: "text",
    sentAt: "2025-01-15T10:00:00.000Z", deliveredAt: "2025-01-15T10:00:01.000Z", readAt: "2025-01-15T10:00:03.000Z", cost: 1,
  });
  const ids = hook.received.map((d) => d.headers["x-webhook-id"]);
  assert.equal(new Set(ids).size, ids.length, "every delivery has its own id");
  const history = (await control("GET", `/messages?to=${USER}`)).body.data.messages[0].history.map((h) => h.status);
  assert.deepEqual(history, ["pending", "sent", "delivered", "read"]);
});

test("status: 404 for unknown ids, auth and the envelope", async (t) => {
  const { api } = await startSandbox(t);
  const r = await api("GET", "/v1/whatsapp/status/exa_wa_nope");
  assert.deepEqual([r.status, r.body.code, r.body.success], [404, "MESSAGE_NOT_FOUND", false]);
  assert.equal((await api("GET", "/v1/whatsapp/status/exa_wa_nope", { token: null })).status, 401);
});

test("magic numbers: 001 delivers, 002 fails WA002, 003 is slow, 004 auto-replies", async (t) => {
  const { api, hook, advance, status } = await setup(t);
  const send = async (to) => (await api("POST", "/v1/whatsapp/send", { body: hello(to) })).body.data;
  const ok = await send(MAGIC.DELIVERS);
  const fail = await send(MAGIC.FAILS);
  const slow = await send(MAGIC.SLOW);
  const bot = await send(MAGIC.AUTO_REPLY);
  assert.equal(slow.status, "pending", "the slow number answers pending");
  assert.equal(ok.status, "sent");

  await advance("2s");
  assert.equal((await status(ok.messageId)).status, "delivered");
  const f = await status(fail.messageId);
  assert.deepEqual([f.status, f.errorCode, f.error.code, f.failedAt], ["failed", "WA002", "WA002", "2025-01-15T10:00:01.000Z"]);
  const failedHook = await hook.next((d) => d.json.event === "message.failed");
  assert.deepEqual(failedHook.json.error, { code: "WA002", message: f.error.message });
  assert.equal((await status(slow.messageId)).status, "pending");

  const reply = await hook.next((d) => d.json.event === "message.received" && d.json.from === MAGIC.AUTO_REPLY);
  assert.deepEqual(reply.json.context, { messageId: bot.messageId, wamid: bot.id });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(MAGIC.AUTO_REPLY, "thanks!") })).status, 200, "the reply opened the window");

  await advance("3s");
  assert.equal((await status(slow.messageId)).status, "sent");
  await advance("25s");
  assert.equal((await status(slow.messageId)).status, "delivered");
  await advance("5s");
  assert.equal((await status(slow.messageId)).status, "read");
  assert.equal((await status(ok.messageId)).status, "read");
});

test("media on a .invalid host is accepted, then fails with WA004", async (t) => {
  const { api, advance, status } = await setup(t, { window: false });
  const r = await api("POST", "/v1/whatsapp/send", { body: { to: USER, type: "image", image: { link: "https://media.invalid/a.jpg" } } });
  assert.equal(r.status, 200);
  await advance("1s");
  assert.equal((await status(r.body.data.messageId)).errorCode, "WA004");
});

test("webhook retries: same id and body, X-Attempt counts, documented schedule", async (t) => {
  let failures = 2;
  const { api, hook, advance, control } = await setup(t, {}, { respond: (d) => (d.json.event === "message.sent" && failures-- > 0 ? 503 : 200) });
  await api("POST", "/v1/whatsapp/send", { body: hello(USER) });
  await advance(0);
  const isSent = (d) => d.json.event === "message.sent";
  assert.equal(hook.received.filter(isSent).length, 1);
  await advance("4999ms");
  assert.equal(hook.received.filter(isSent).length, 1, "no retry before 5 s");
  await advance("1ms");
  assert.equal(hook.received.filter(isSent).length, 2, "retry at 5 s");
  await advance("29s");
  assert.equal(hook.received.filter(isSent).length, 2);
  await advance("1s");
  const attempts = hook.received.filter(isSent);
  assert.equal(attempts.length, 3, "retry 30 s after the second attempt");
  assert.deepEqual(attempts.map((d) => d.headers["x-attempt"]), ["1", "2", "3"]);
  assert.equal(new Set(attempts.map((d) => d.headers["x-webhook-id"])).size, 1, "one delivery id across retries");
  assert.equal(new Set(attempts.map((d) => d.raw.toString())).size, 1, "identical raw body");
  attempts.forEach(assertSigned);
  const [delivery] = (await control("GET", "/webhooks?event=message.sent")).body.data.deliveries;
  assert.equal(delivery.state, "delivered");
  assert.deepEqual(delivery.attempts.map((a) => a.status), [503, 503, 200]);
});

test("webhook retries run on the scaled clock and give up after 6 attempts", async (t) => {
  const { api, hook, control } = await setup(t, { timeScale: 20000 }, { respond: () => 500 });
  await api("POST", "/v1/whatsapp/send", { body: hello(USER) });
  const sixth = await hook.next((d) => d.json.event === "message.sent" && d.headers["x-attempt"] === "6", 5000);
  assert.ok(sixth);
  let delivery;
  for (let i = 0; i < 100; i++) {
    [delivery] = (await control("GET", "/webhooks?event=message.sent")).body.data.deliveries;
    if (delivery.state === "failed") break;
    await sleep(50);
  }
  assert.equal(delivery.state, "failed");
  assert.equal(delivery.attempts.length, 6);
  assert.equal(hook.received.filter((d) => d.json.event === "message.sent").length, 6, "no 7th attempt");
});

test("unreachable webhook URLs are retried, not fatal", async (t) => {
  const { api, control } = await startSandbox(t, { webhookUrl: "http://127.0.0.1:1/hook", webhookSecret: SECRET });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: hello(USER) })).status, 200);
  await control("POST", "/clock", { advance: 0, settle: true });
  const [d] = (await control("GET", "/webhooks")).body.data.deliveries;
  assert.equal(d.state, "pending");
  assert.match(d.attempts[0].error, /ECONNREFUSED/);
  assert.equal(d.nextAttemptAt, "2025-01-15T10:00:05.000Z");
});

test("draft webhook shape: {event,data,timestamp} with X-Sendexa-Signature", async (t) => {
  const { api, hook, advance, control } = await setup(t, { webhookShape: "draft" });
  const sent = (await api("POST", "/v1/whatsapp/send", { body: hello(USER) })).body.data;
  await advance("1s");
  const d = await hook.next((x) => x.json.event === "message.delivered");
  assert.equal(d.headers["x-signature"], undefined);
  assert.ok(signatureValid(SECRET, d.raw, d.headers["x-sendexa-signature"]));
  assert.match(d.headers["x-sendexa-signature"], /^[0-9a-f]{64}$/);
  assert.match(d.headers["x-sendexa-delivery-id"], /^del_/);
  assert.equal(d.headers["x-sendexa-delivery-attempt"], "1");
  assert.deepEqual(Object.keys(d.json).sort(), ["data", "event", "timestamp"]);
  assert.equal(d.json.data.messageId, sent.id, "draft messageId is the wamid");
  assert.equal(d.json.data.currency, "GHS");
  await control("POST", "/inbound", { from: USER, type: "interactive", interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } }, context: { messageId: sent.messageId } });
  const reply = await hook.next((x) => x.json.event === "interactive.button_reply");
  assert.deepEqual(reply.json.data.context, { messageId: sent.id });
});

test("inbound messages: types, context, validation; webhook config at run time", async (t) => {
  const { control } = await startSandbox(t);
  const hook = await webhookListener(t);
  const cfg = await control("POST", "/webhook", { url: hook.url, secret: SECRET });
  assert.deepEqual(cfg.body.data, { url: hook.url, shape: "live", signed: true });
  const r = await control("POST", "/inbound", { from: USER, type: "image", image: { id: "media1", mime_type: "image/jpeg", caption: "look" }, name: "Ama" });
  assert.equal(r.status, 201);
  const d = await hook.next();
  assertSigned(d);
  assert.deepEqual([d.json.type, d.json.image.caption, d.json.contact.name], ["image", "look", "Ama"]);
  assert.equal((await control("POST", "/inbound", { from: "+233" })).body.code, "WA001");
  assert.equal((await control("POST", "/inbound", { from: USER, context: { messageId: "exa_wa_unknown" } })).status, 400);
  assert.equal((await control("POST", "/inbound", { from: USER, type: "fax" })).status, 400);
  await control("POST", "/webhook", { secret: null });
  await control("POST", "/inbound", { from: USER, text: "unsigned" });
  const unsigned = await hook.next((x) => x.json.text && x.json.text.body === "unsigned");
  assert.equal(unsigned.headers["x-signature"], undefined, "no secret, no signature");
});
