// The whole resend schedule in workerd (Miniflare) against the sandbox, with both clocks 600×
// faster (a minute of schedule is 0.1 s): a message that keeps failing is resent 5 times, each
// after its step of 1, 5, 15, 30 and 60 minutes, and then the ledger stops with LIMIT.
// Needs the built package in pkg/ (`make build`).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt } from "./harness.mjs";

const TOKEN = "limit-test-token";
const WEBHOOK_SECRET = "whsec_limit_test";
const NOTIFY_SECRET = "notify-secret";
const TIME_SCALE = 600;

let sandbox;
let worker;

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);

const call = (method, path, body, options) => callAt(worker.url, NOTIFY_SECRET, method, path, body, options);

before(async () => {
  sandbox = await start({ tokens: [TOKEN], webhookSecret: WEBHOOK_SECRET, timeScale: TIME_SCALE });
  worker = await startWorker({
    vars: { SENDEXA_BASE_URL: sandbox.url, SENDEXA_TOKEN: TOKEN, SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET, NOTIFY_SECRET, TIME_SCALE: String(TIME_SCALE) },
  });
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

test("a message that keeps failing is resent 5 times on the schedule, then stops with LIMIT", async () => {
  const to = "233244000301";
  await control("POST", "/failures", { to, code: "WA005", count: 6 });
  const r = await call("POST", "/notify", { message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });
  assert.equal(r.status, 202);
  const [id] = r.body.ids;
  const deadline = Date.now() + 120_000;
  let entry;
  for (;;) {
    const got = await call("GET", `/recoveries/${id}`);
    entry = got.status === 200 ? got.body : null;
    if (entry?.state === "stopped") break;
    assert.ok(Date.now() < deadline, `no stop within 2 minutes: ${JSON.stringify(entry)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(entry.reason, "LIMIT");
  assert.deepEqual(entry.history.map((h) => [h.action, h.nextAttempt ?? h.reason]), [
    ["resend", 1], ["resend", 2], ["resend", 3], ["resend", 4], ["resend", 5], ["stop", "LIMIT"],
  ]);
  // Each planned step: 1, 5, 15, 30 and 60 minutes after its failure.
  assert.deepEqual(entry.history.slice(0, 5).map((h) => (h.resendAt - h.at) / 60_000), [1, 5, 15, 30, 60]);
  assert.deepEqual(entry.resent.map((x) => x.attempt), [1, 2, 3, 4, 5]);
  const messages = (await control("GET", `/messages?to=${to}`)).messages;
  assert.deepEqual(messages.map((m) => [m.origin, m.status, m.errorCode]), [
    ["send", "failed", "WA005"],
    ...[1, 2, 3, 4, 5].map(() => ["resend", "failed", "WA005"]),
  ]);
  // In sandbox time, each resend came no sooner than its step after the previous failure.
  const failedAt = (m) => Date.parse(m.history.find((h) => h.status === "failed").at);
  [1, 5, 15, 30, 60].forEach((minutes, i) => {
    const waited = Date.parse(messages[i + 1].acceptedAt) - failedAt(messages[i]);
    assert.ok(waited >= minutes * 60_000 * 0.9, `resend ${i + 1} came ${waited / 60_000} min after the failure, not ≥ ${minutes}`);
  });
  assert.deepEqual((await control("GET", "/messages")).duplicates, []);
});
