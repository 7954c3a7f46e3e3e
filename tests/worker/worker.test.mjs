// The worker example in workerd (Miniflare, configured from its wrangler.toml) against the local
// sandbox over real HTTP: every route, bad input, the Queue path, the Durable Object limiter,
// webhooks, the window and template fallback, the cron handler, dead letters, and 2,000
// notifications delivered exactly once. Needs the built package in pkg/ (`make build`).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt, eventually } from "./harness.mjs";

const TOKEN = "worker-test-token";
const WEBHOOK_SECRET = "whsec_worker_test";
const NOTIFY_SECRET = "notify-secret";
// Both sides know the same limit: the sandbox refuses past it, the Durable Object keeps under it.
const SEND_PER_SECOND = 200;
const DELIVERS = "233500000001"; // sandbox magic number: always delivered, then read
const REMINDED = "233500000003";

let sandbox;
let worker;

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);

const call = (method, path, body, options) => callAt(worker.url, NOTIFY_SECRET, method, path, body, options);


const sentTo = async (to) => (await control("GET", `/messages?to=${to}`)).messages;

before(async () => {
  sandbox = await start({
    tokens: [TOKEN],
    webhookSecret: WEBHOOK_SECRET,
    limits: { send: { perSecond: SEND_PER_SECOND } },
    // Sandbox time runs 20× faster, so messages walk sent → delivered → read quickly.
    timeScale: 20,
  });
  worker = await startWorker({
    vars: {
      SENDEXA_BASE_URL: sandbox.url,
      SENDEXA_TOKEN: TOKEN,
      SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_SECRET,
      REMINDER_RECIPIENTS: REMINDED,
      RATE_LIMITS: JSON.stringify({ send: { perSecond: SEND_PER_SECOND } }),
    },
  });
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

test("GET / answers with the SDK version", async () => {
  const r = await call("GET", "/");
  assert.equal(r.status, 200);
  assert.equal(r.body.sdk, "sendexa-whatsapp");
  assert.match(r.body.version, /^\d+\.\d+\.\d+/);
});

test("POST /notify refuses a missing secret, bad JSON, a bad number and a bad message", async () => {
  assert.equal((await call("POST", "/notify", { to: DELIVERS, text: "hi" }, { auth: false })).status, 401);
  assert.equal((await call("POST", "/notify", undefined, { raw: "{" })).status, 400);

  const phone = await call("POST", "/notify", { to: "0800 not a number", text: "hi" });
  assert.equal(phone.status, 400);
  assert.equal(phone.body.error.rejected[0].code, "WA001");

  const message = await call("POST", "/notify", { message: { to: DELIVERS, type: "text", text: { body: "x".repeat(4097) } } });
  assert.equal(message.status, 400);
  const [issue] = message.body.error.rejected[0].issues;
  assert.equal(issue.path, "text.body");
  assert.equal(issue.limit, 4096);
  assert.equal((await sentTo(DELIVERS)).length, 0, "nothing invalid reached the API");
});

// Every Authorization header that must not get in: none, empty, a wrong secret, the secret without
// its scheme, under another scheme, with a suffix, a prefix of it, and the webhook secret.
const WRONG_BEARERS = [
  false,
  "",
  "Bearer",
  "Bearer wrong",
  NOTIFY_SECRET,
  `Basic ${NOTIFY_SECRET}`,
  `Bearer ${NOTIFY_SECRET}x`,
  `Bearer ${NOTIFY_SECRET.slice(0, -1)}`,
  `Bearer ${NOTIFY_SECRET} extra`,
  `Bearer ${WEBHOOK_SECRET}`,
];

/** Sends a message straight to the sandbox (not through the Worker); its message id. */
async function sentDirectly(to) {
  const direct = await fetch(`${sandbox.url}/v1/whatsapp/send`, {
    method: "POST",
    headers: { authorization: `Basic ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ to, type: "template", template: { name: "hello_world", language: "en_US" } }),
  });
  return (await direct.json()).data.messageId;
}

test("every bearer route refuses a missing or wrong bearer and answers the right one", async () => {
  const to = "233244000106";
  const messageId = await sentDirectly(to);
  const routes = [
    ["POST", "/notify", { to: "233244000107", text: "hi" }, 202],
    ["GET", `/messages/${messageId}`, undefined, 200],
    ["GET", "/dead-letters", undefined, 200],
    // No failure recorded for it: with the bearer, a 404 that names the id.
    ["GET", `/recoveries/${messageId}`, undefined, 404],
  ];
  for (const [method, path, body, ok] of routes) {
    for (const auth of WRONG_BEARERS) {
      const r = await call(method, path, body, { auth });
      assert.equal(r.status, 401, `${method} ${path} with ${JSON.stringify(auth)}`);
      assert.equal(r.body.error.code, "UNAUTHORIZED");
      assert.doesNotMatch(r.text, new RegExp(to), "nothing about the message leaks");
    }
    const r = await call(method, path, body);
    assert.equal(r.status, ok, `${method} ${path} with the right bearer: ${r.text}`);
  }
  const status = await call("GET", `/messages/${messageId}`);
  assert.equal(status.body.messageId, messageId);
  // From the API (`to`) or, once its webhooks arrived, from the store (`recipient`).
  assert.equal(status.body.to ?? status.body.recipient, to, `the right bearer sees the recipient: ${status.text}`);
  // Nothing the refused /notify calls carried was queued: only the authorised one is sent.
  await eventually(() => sentTo("233244000107").then((m) => m.length === 1), 30_000, "the authorised send");
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await sentTo("233244000107")).length, 1);
});

test("the public routes answer alike with any bearer: GET / (the version) and unknown paths (404)", async () => {
  for (const auth of [...WRONG_BEARERS, true]) {
    const home = await call("GET", "/", undefined, { auth });
    assert.equal(home.status, 200);
    assert.deepEqual(Object.keys(home.body).sort(), ["sdk", "version"]);
    const nowhere = await call("GET", "/messages", undefined, { auth });
    assert.equal(nowhere.status, 404);
    assert.equal((await call("DELETE", "/messages/x", undefined, { auth })).status, 404);
  }
});

test("POST /webhooks/sendexa is authenticated by its signature: bad ones are refused whatever the bearer", async () => {
  const forgedId = "exa_wa_forged_status";
  const body = JSON.stringify({ event: "message.read", messageId: forgedId, status: "read" });
  const sign = (text, secret = WEBHOOK_SECRET) => `sha256=${createHmac("sha256", secret).update(text).digest("hex")}`;
  const good = sign(body);
  const bad = [
    {},
    { "X-Signature": "" },
    { "X-Signature": "sha256=" + "0".repeat(64) },
    { "X-Signature": sign(body, NOTIFY_SECRET) },
    { "X-Signature": sign(body + " ") },
    { "X-Signature": good.slice(0, -2) },
    { "X-Signature": good.replace("sha256=", "sha1=") },
    { authorization: `Bearer ${NOTIFY_SECRET}` },
    { authorization: `Bearer ${NOTIFY_SECRET}`, "X-Signature": "sha256=" + "f".repeat(64) },
  ];
  for (const [i, headers] of bad.entries()) {
    const r = await fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body, headers: { ...headers, "X-Webhook-ID": `whk_forged_${i}` } });
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal((await r.json()).error.code, "INVALID_SIGNATURE");
  }
  // A tampered body under a good signature is refused too.
  const tampered = await fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body: body.replace("read", "failed"), headers: { "X-Signature": good } });
  assert.equal(tampered.status, 401);
  // None of them reached the status store.
  const stored = await call("GET", `/messages/${forgedId}`);
  assert.notEqual(stored.body.source, "webhooks", JSON.stringify(stored.body));
  // The right signature gets in.
  const r = await fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body, headers: { "X-Signature": good, "X-Webhook-ID": "whk_signed_ok" } });
  assert.equal(r.status, 200);
  assert.equal((await call("GET", `/messages/${forgedId}`)).body.source, "webhooks");
});

test("a free-form message to a closed window goes out as the fallback template", async () => {
  const to = "233244000101";
  const r = await call("POST", "/notify", { to, text: "Your order shipped" });
  assert.equal(r.status, 202);
  const [id] = r.body.ids;
  const stored = await eventually(async () => (await call("GET", `/messages/${id}`)).body?.messageId && (await call("GET", `/messages/${id}`)).body, 30_000, "the notification's status");
  const [sent] = await sentTo(to);
  assert.equal(sent.type, "template", "sent as a template");
  assert.equal(sent.request.template.name, "hello_world");
  assert.equal(stored.messageId, sent.messageId);
});

test("an inbound reply (a signed webhook) opens the window, and free-form text goes through", async () => {
  const to = "233244000102";
  await control("POST", "/inbound", { from: to, text: "hello?" });
  // The sandbox's message.received webhook reaches the Worker, which records the window in KV.
  await eventually(async () => (await control("GET", "/webhooks?event=message.received")).deliveries?.some((d) => d.state === "delivered" && d.payload.from === to), 15_000, "the inbound webhook");
  const r = await call("POST", "/notify", { to, text: "Thanks for your message" });
  assert.equal(r.status, 202);
  const [sent] = await eventually(() => sentTo(to).then((m) => (m.length ? m : null)), 30_000, "the send");
  assert.equal(sent.type, "text");
});

test("webhook statuses are stored, and a redelivered webhook is handled once", async () => {
  const r = await call("POST", "/notify", { message: { to: DELIVERS, type: "template", template: { name: "hello_world", language: "en_US" } } });
  const [id] = r.body.ids;
  const read = await eventually(async () => {
    const status = (await call("GET", `/messages/${id}`)).body;
    return status?.status === "read" && status;
  }, 30_000, "the read status");
  assert.equal(read.source, "webhooks");
  assert.deepEqual(read.timeline.map((t) => t.status).slice(-3), ["sent", "delivered", "read"]);

  // Replay one delivery with its id: verified, then recognised as a duplicate.
  const body = JSON.stringify({ event: "message.read", messageId: read.messageId, status: "read" });
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  const post = () =>
    fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body, headers: { "X-Signature": signature, "X-Webhook-ID": "whk_replayed" } });
  assert.deepEqual(await (await post()).json(), { received: 1 });
  assert.deepEqual(await (await post()).json(), { received: 0, duplicate: true });
  const forged = await fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body, headers: { "X-Signature": "sha256=" + "0".repeat(64) } });
  assert.equal(forged.status, 401);
});

test("GET /messages/:id falls back to the API's status for messages it has no webhook for", async () => {
  // With webhooks off, the Worker hears nothing of this message and must ask the API.
  await control("POST", "/webhook", { url: null });
  try {
    const messageId = await sentDirectly("233244000103");
    const r = await call("GET", `/messages/${messageId}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.source, "api");
    assert.equal(r.body.messageId, messageId);
  } finally {
    await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
  }
});

test("a send whose outcome is unknown is dead-lettered, never sent twice", async () => {
  const to = "233244000104";
  // The sandbox accepts the send, then drops the connection before answering.
  await control("POST", "/faults", { kind: "drop", phase: "after", path: "/v1/whatsapp/send", count: 1 });
  const r = await call("POST", "/notify", { message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });
  const [id] = r.body.ids;
  const letter = await eventually(async () => (await call("GET", "/dead-letters")).body.deadLetters.find((l) => l.id === id), 30_000, "the dead letter");
  assert.match(letter.reason, /OUTCOME_UNKNOWN/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await sentTo(to)).length, 1, "accepted once, and not sent again");
});

test("a send the API refused (429) is retried by the Queue and delivered once", async () => {
  const to = "233244000105";
  // Three 429s: the client's own two retries are spent, so the Queue must retry the message.
  await control("POST", "/faults", { kind: "429", phase: "before", path: "/v1/whatsapp/send", count: 3 });
  const r = await call("POST", "/notify", { message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });
  assert.equal(r.status, 202);
  const [sent] = await eventually(() => sentTo(to).then((m) => (m.length ? m : null)), 30_000, "the retried send");
  assert.equal(sent.type, "template");
  const fired = (await control("GET", "/faults")).fired.filter((f) => f.kind === "429");
  assert.equal(fired.length, 3, "every refusal was met");
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await sentTo(to)).length, 1, "delivered once");
});

test("the cron handler queues each reminder once a day, however often it fires", async () => {
  const scheduledTime = Date.parse("2026-11-25T09:00:00Z");
  const fired = await worker.mf.getWorker();
  await fired.scheduled({ scheduledTime, cron: "0 9 * * *" });
  await fired.scheduled({ scheduledTime, cron: "0 9 * * *" });
  const [sent] = await eventually(() => sentTo(REMINDED).then((m) => (m.length ? m : null)), 30_000, "the reminder");
  assert.equal(sent.type, "template");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal((await sentTo(REMINDED)).length, 1);
});

test("2,000 notifications are each delivered exactly once, with zero 429s", async () => {
  const before = (await control("GET", "/messages")).total;
  const batch = (offset) =>
    Array.from({ length: 1000 }, (_, i) => ({
      message: {
        to: `2332440${String(offset + i).padStart(5, "0")}`,
        type: "template",
        template: { name: "hello_world", language: "en_US" },
      },
    }));
  const [a, b] = await Promise.all([call("POST", "/notify", { notifications: batch(10_000) }), call("POST", "/notify", { notifications: batch(11_000) })]);
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  const inspection = await eventually(async () => {
    const seen = await control("GET", "/messages");
    return seen.total - before >= 2000 && seen;
  }, 90_000, "2,000 accepted sends");
  assert.equal(inspection.total - before, 2000);
  assert.deepEqual(inspection.duplicates, [], "no content was sent twice");
  assert.equal((await control("GET", "/health")).rateLimited.send ?? 0, 0, "the Durable Object kept every consumer under the limit");
});
