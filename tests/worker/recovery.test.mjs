// The worker example recovers failed messages, in workerd (Miniflare) against the sandbox: a
// `message.failed` webhook goes to planResend in the Durable Object, which queues a resend with
// the schedule's delay; the ledger makes each resend happen once, even when the Queue redelivers
// the job or two webhooks for the same failure arrive together; WA003 sends the fallback
// template, WA004 is dead-lettered with its reason, other stops are recorded with theirs.
// Needs the built package in pkg/ (`make build`).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt, eventually, sleep } from "./harness.mjs";

const TOKEN = "recovery-test-token";
const WEBHOOK_SECRET = "whsec_recovery_test";
const NOTIFY_SECRET = "notify-secret";
// Sandbox time runs 20× faster, and the Worker's resend schedule is told so: the first resend,
// 1 minute after the failure, comes 3 real seconds later.
const TIME_SCALE = 20;
const hello = (to) => ({ message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });

let sandbox;
let worker;

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);

const call = (method, path, body, options) => callAt(worker.url, NOTIFY_SECRET, method, path, body, options);


const messagesTo = async (to) => (await control("GET", `/messages?to=${to}`)).messages;
const recoveryOf = async (id) => {
  const r = await call("GET", `/recoveries/${encodeURIComponent(id)}`);
  return r.status === 200 ? r.body : null;
};

/** Queues one notification and returns its id. */
async function notify(notification) {
  const r = await call("POST", "/notify", notification);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body.ids[0];
}

before(async () => {
  sandbox = await start({ tokens: [TOKEN], webhookSecret: WEBHOOK_SECRET, timeScale: TIME_SCALE });
  worker = await startWorker({
    vars: {
      SENDEXA_BASE_URL: sandbox.url,
      SENDEXA_TOKEN: TOKEN,
      SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_SECRET,
      TIME_SCALE: String(TIME_SCALE),
    },
  });
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

test("a failed message is resent on the schedule (1 minute after the failure) and recovers", async () => {
  const to = "233244000201";
  await control("POST", "/failures", { to, code: "WA005" });
  const id = await notify(hello(to));
  const recovered = await eventually(async () => {
    const r = await recoveryOf(id);
    return r?.state === "recovered" && r;
  }, 30_000, "the recovery");
  const [original, resent] = await messagesTo(to);
  assert.deepEqual([original.origin, original.status, original.errorCode], ["send", "failed", "WA005"]);
  assert.deepEqual([resent.origin, resent.type, resent.request.template.name, resent.hash], ["resend", "template", "hello_world", original.hash], "the same content");
  assert.equal(recovered.messageId, original.messageId);
  assert.equal(recovered.recoveredBy, resent.messageId);
  assert.deepEqual(recovered.resent.map((r) => [r.attempt, r.messageId]), [[1, resent.messageId]]);
  const [plan] = recovered.history;
  assert.deepEqual([plan.action, plan.nextAttempt, plan.errorCode, plan.resendAt - plan.at], ["resend", 1, "WA005", 60_000]);
  // The Queue held the resend back: a minute of sandbox time (3 s real) after the failure.
  const failedAt = Date.parse(original.history.find((h) => h.status === "failed").at);
  const waited = Date.parse(resent.acceptedAt) - failedAt;
  assert.ok(waited >= 55_000 && waited < 5 * 60_000, `resent ${waited} sandbox ms after the failure`);
  assert.equal((await control("GET", "/messages")).duplicates.length, 0);
});

test("WA003: the window closed, so the fallback template is sent instead of a resend", async () => {
  const to = "233244000202";
  await control("POST", "/inbound", { from: to, text: "hi" });
  await eventually(async () => (await control("GET", "/webhooks?event=message.received")).deliveries?.some((d) => d.state === "delivered" && d.payload.from === to), 15_000, "the inbound webhook");
  await control("POST", "/failures", { to, code: "WA003" });
  const id = await notify({ to, text: "Your table is ready" });
  const stopped = await eventually(async () => {
    const r = await recoveryOf(id);
    return r?.state === "stopped" && r;
  }, 30_000, "the stop");
  assert.equal(stopped.reason, "WINDOW_CLOSED");
  const [text, fallback] = await eventually(async () => {
    const m = await messagesTo(to);
    return m.length >= 2 && m;
  }, 30_000, "the fallback template");
  assert.deepEqual([text.type, text.errorCode], ["text", "WA003"]);
  assert.deepEqual([fallback.origin, fallback.type, fallback.request.template.name], ["send", "template", "hello_world"]);
  await sleep(500);
  assert.equal((await messagesTo(to)).length, 2, "no resend, one fallback");
});

test("WA004: the failure goes to the dead-letter queue with its reason", async () => {
  const to = "233244000203";
  await control("POST", "/failures", { to, code: "WA004" });
  const id = await notify(hello(to));
  const stopped = await eventually(async () => {
    const r = await recoveryOf(id);
    return r?.state === "stopped" && r;
  }, 30_000, "the stop");
  assert.equal(stopped.reason, "MEDIA");
  const letter = await eventually(async () => (await call("GET", "/dead-letters")).body.deadLetters.find((l) => l.id === `media:${stopped.messageId}`), 30_000, "the dead letter");
  assert.match(letter.reason, /^MEDIA: .*WA004/);
  assert.deepEqual([letter.messageId, letter.to, letter.error.code], [stopped.messageId, to, "WA004"]);
  assert.equal((await messagesTo(to)).length, 1, "not resent");
});

test("a failure that resending cannot fix (WA002) is recorded with its reason and not resent", async () => {
  const to = "233244000204";
  await control("POST", "/failures", { to, code: "WA002" });
  const id = await notify(hello(to));
  const stopped = await eventually(async () => {
    const r = await recoveryOf(id);
    return r?.state === "stopped" && r;
  }, 30_000, "the stop");
  assert.deepEqual([stopped.reason, stopped.history[0].action, stopped.history[0].errorCode], ["NOT_RESENDABLE", "stop", "WA002"]);
  await sleep(500);
  assert.equal((await messagesTo(to)).length, 1);
  assert.equal((await call("GET", `/recoveries/nobody`)).status, 404);
});

test("a redelivered resend job resends once", async () => {
  const to = "233244000205";
  // The original and its first resend fail: a second copy of resend job 1 would now be accepted
  // by the API, so only the ledger stands between it and a double resend.
  await control("POST", "/failures", { to, code: "WA005", count: 2 });
  const id = await notify(hello(to));
  const planned = await eventually(async () => {
    const r = await recoveryOf(id);
    return r?.history.length === 2 && r;
  }, 30_000, "the first resend's failure");
  assert.deepEqual(planned.history.map((h) => [h.action, h.nextAttempt]), [["resend", 1], ["resend", 2]]);
  // The Queue delivers job 1 again, twice (at-least-once delivery); job 2 is 5 minutes away.
  const queue = await worker.mf.getQueueProducer("NOTIFICATIONS");
  const job = { kind: "resend", id: `resend:${planned.messageId}:1`, messageId: planned.messageId, attempt: 1 };
  await queue.send(job);
  await queue.send(job);
  await sleep(2000);
  const sent = await messagesTo(to);
  assert.deepEqual(sent.map((m) => [m.origin, m.status]), [["send", "failed"], ["resend", "failed"]], "one resend so far");
  const after = await recoveryOf(id);
  assert.deepEqual([after.state, after.resent.length], ["scheduled", 1]);
});

test("two webhooks for the same failure arriving together plan one resend", async () => {
  const to = "233244000206";
  // The sandbox's own webhooks are held back: the test delivers the failure itself, four times at
  // once — twice under one delivery id, twice under others.
  await control("POST", "/webhook", { url: null });
  let failed;
  try {
    await control("POST", "/failures", { to, code: "WA005" });
    await notify(hello(to));
    [failed] = await eventually(async () => {
      const m = await messagesTo(to);
      return m[0]?.status === "failed" && m;
    }, 30_000, "the failure");
  } finally {
    await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
  }
  const body = JSON.stringify({
    event: "message.failed", messageId: failed.messageId, wamid: failed.wamid, to, type: "template",
    status: "failed", timestamp: new Date().toISOString(), error: { code: "WA005", message: "Rate limit hit while delivering" },
  });
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  const deliver = (webhookId) =>
    fetch(`${worker.url}/webhooks/sendexa`, { method: "POST", body, headers: { "X-Signature": signature, "X-Webhook-ID": webhookId, "content-type": "application/json" } });
  const answers = await Promise.all(["whk_same", "whk_same", "whk_other_1", "whk_other_2"].map(deliver));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
  const recovered = await eventually(async () => {
    const r = await recoveryOf(failed.messageId);
    return r?.resent.length === 1 && r;
  }, 30_000, "the resend");
  await sleep(2000);
  assert.deepEqual((await messagesTo(to)).map((m) => m.origin), ["send", "resend"], "one resend");
  assert.deepEqual(recovered.failures, [failed.messageId]);
  assert.equal(recovered.history.length, 1, "planned once");
});
