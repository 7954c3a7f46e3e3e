// Campaigns in workerd (Miniflare) against the sandbox: the bearer on both routes, the pre-check
// (numbers not on WhatsApp, malformed and repeated numbers are skipped and listed), progress from
// the webhooks (with a failure recovered by a resend), the day's cap (a short "day" and a small
// cap, CAMPAIGN_DAY_SECONDS and CAMPAIGN_DAILY_CAP) and the pause on a RED quality rating.
// Needs the built package in pkg/ (`make build`).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt, eventually, sleep } from "./harness.mjs";

const TOKEN = "campaigns-test-token";
const WEBHOOK_SECRET = "whsec_campaigns_test";
const NOTIFY_SECRET = "notify-secret";
const TIME_SCALE = 20;
const DAILY_CAP = 40;
const DAY_SECONDS = 6;
const TEMPLATE = { name: "hello_world", language: "en_US" };

let sandbox;
let worker;

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);
const call = (method, path, body, options) => callAt(worker.url, NOTIFY_SECRET, method, path, body, options);
const progressOf = async (id) => (await call("GET", `/campaigns/${id}`)).body;
const numbers = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
const sentTo = async (list) => {
  const wanted = new Set(list);
  return (await control("GET", "/messages?origin=send")).messages.filter((m) => wanted.has(m.to));
};

before(async () => {
  sandbox = await start({ tokens: [TOKEN], webhookSecret: WEBHOOK_SECRET, timeScale: TIME_SCALE });
  worker = await startWorker({
    vars: {
      SENDEXA_BASE_URL: sandbox.url,
      SENDEXA_TOKEN: TOKEN,
      SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_SECRET,
      TIME_SCALE: String(TIME_SCALE),
      CAMPAIGN_DAILY_CAP: String(DAILY_CAP),
      CAMPAIGN_DAY_SECONDS: String(DAY_SECONDS),
      CAMPAIGN_QUALITY_CHECK_SECONDS: "1",
      SENDER_NUMBER: "wba_num_000001",
    },
  });
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

// Waits out the day's cap left by an earlier test.
const freshDay = () => sleep(DAY_SECONDS * 1000 + 500);

test("POST /campaigns and GET /campaigns/:id refuse a missing or wrong bearer and answer the right one", async () => {
  const body = { template: TEMPLATE, recipients: ["233246000001"] };
  for (const auth of [false, "", "Bearer", "Bearer wrong", NOTIFY_SECRET, `Basic ${NOTIFY_SECRET}`, `Bearer ${NOTIFY_SECRET}x`, `Bearer ${WEBHOOK_SECRET}`]) {
    const post = await call("POST", "/campaigns", body, { auth });
    assert.equal(post.status, 401, `POST with ${JSON.stringify(auth)}`);
    assert.equal(post.body.error.code, "UNAUTHORIZED");
    const get = await call("GET", "/campaigns/anything", undefined, { auth });
    assert.equal(get.status, 401, `GET with ${JSON.stringify(auth)}`);
  }
  await sleep(300);
  assert.equal((await sentTo(["233246000001"])).length, 0, "no refused call sent anything");
  const r = await call("POST", "/campaigns", body);
  assert.equal(r.status, 202, r.text);
  const progress = await eventually(async () => {
    const p = await call("GET", `/campaigns/${r.body.id}`);
    return p.status === 200 && p.body.read === 1 && p.body;
  }, 30_000, "the campaign");
  assert.equal(progress.id, r.body.id);
  assert.equal((await call("GET", "/campaigns/nope")).status, 404);
  assert.equal((await call("POST", "/campaigns", { template: TEMPLATE, recipients: [] })).status, 400);
  assert.equal((await call("POST", "/campaigns", { recipients: ["233246000001"] })).status, 400);
});

test("the pre-check skips numbers not on WhatsApp, malformed numbers and repeats, and reports them", async () => {
  await freshDay();
  const good = numbers("233246001", 10);
  const absent = ["233246009001", "233246009002"];
  await control("POST", "/unregistered", { phones: absent });
  const r = await call("POST", "/campaigns", { template: TEMPLATE, recipients: [...good.slice(0, 5), absent[0], "12", good[0], "233500000005", absent[1], ...good.slice(5)] });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.queued, 10);
  assert.deepEqual(
    r.body.skippedNumbers.map((s) => [s.input, s.reason]),
    [[absent[0], "NOT_ON_WHATSAPP"], ["12", "INVALID"], [good[0], "DUPLICATE"], ["233500000005", "NOT_ON_WHATSAPP"], [absent[1], "NOT_ON_WHATSAPP"]],
  );
  const done = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.state === "done" && p.read === 10 && p;
  }, 30_000, "the campaign");
  assert.equal(done.skipped, 5);
  const sent = await sentTo([...good, ...absent, "233500000005"]);
  assert.deepEqual(sent.map((m) => m.to).sort(), good, "each WhatsApp number once, nothing else");
});

test("progress counts queued, sent, delivered, read, failed and resent from the webhooks", async () => {
  await freshDay();
  const list = numbers("233246002", 12);
  // One delivery fails (WA005); the recovery flow resends it a minute (sandbox) later.
  await control("POST", "/failures", { to: list[3], code: "WA005" });
  const r = await call("POST", "/campaigns", { template: TEMPLATE, recipients: list });
  assert.equal(r.status, 202, r.text);
  const first = await progressOf(r.body.id);
  assert.equal(first.queued + first.accepted, 12);
  const failed = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.failed === 1 && p.read === 11 && p;
  }, 30_000, "eleven read and one failed");
  assert.deepEqual([failed.queued, failed.sent, failed.delivered, failed.read, failed.failed, failed.skipped], [0, 12, 11, 11, 1, 0]);
  const recovered = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.resent === 1 && p.read === 12 && p;
  }, 30_000, "the resend");
  assert.deepEqual([recovered.sent, recovered.delivered, recovered.read, recovered.failed, recovered.resent], [12, 12, 12, 0, 1]);
  const sent = await control("GET", `/messages?to=${list[3]}`);
  assert.deepEqual(sent.messages.map((m) => m.origin), ["send", "resend"]);
  assert.equal((await control("GET", "/messages")).duplicates.length, 0);
});

test("past the day's cap the campaign waits for the next day instead of failing", async () => {
  await freshDay();
  const list = numbers("233246003", 100);
  const r = await call("POST", "/campaigns", { template: TEMPLATE, recipients: list });
  assert.equal(r.status, 202, r.text);
  const waiting = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.state === "waiting" && p;
  }, 30_000, "the cap");
  assert.equal(waiting.reason, "DAILY_CAP");
  assert.ok(Date.parse(waiting.resumesAt) > Date.now(), waiting.resumesAt);
  assert.equal(waiting.accepted, DAILY_CAP);
  assert.equal(waiting.queued, 100 - DAILY_CAP);
  assert.equal(waiting.failed, 0);
  assert.equal((await sentTo(list)).length, DAILY_CAP, "no more than the cap within the day");
  // The next day (DAY_SECONDS later) the next DAILY_CAP go, then the rest.
  const done = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.state === "done" && p;
  }, 4 * DAY_SECONDS * 1000, "the next days");
  assert.deepEqual([done.accepted, done.queued, done.failed], [100, 0, 0]);
  const sent = await sentTo(list);
  assert.equal(sent.length, 100);
  const times = sent.map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
  // Sandbox time runs TIME_SCALE× faster: no day (DAY_SECONDS real) held more than the cap. The
  // cap counts a send when it is picked, before it waits for its slot: up to a second of slack.
  for (let i = DAILY_CAP; i < times.length; i++) {
    const apart = (times[i] - times[i - DAILY_CAP]) / TIME_SCALE;
    assert.ok(apart >= (DAY_SECONDS - 1) * 1000, `send ${i} came ${apart} ms after send ${i - DAILY_CAP}`);
  }
  assert.equal((await control("GET", "/health")).rateLimited.send ?? 0, 0);
});

test("a RED quality rating pauses the campaign, and it resumes when the rating recovers", async () => {
  await freshDay();
  await control("POST", "/numbers/wba_num_000001", { qualityRating: "RED" });
  const list = numbers("233246004", 20);
  const r = await call("POST", "/campaigns", { template: TEMPLATE, recipients: list });
  assert.equal(r.status, 202, r.text);
  const paused = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.state === "paused" && p;
  }, 30_000, "the pause");
  assert.equal(paused.reason, "QUALITY_RED");
  await sleep(2500); // more than two checks
  assert.equal((await sentTo(list)).length, 0, "nothing sent while RED");
  assert.equal((await progressOf(r.body.id)).state, "paused");
  await control("POST", "/numbers/wba_num_000001", { qualityRating: "YELLOW" });
  const done = await eventually(async () => {
    const p = await progressOf(r.body.id);
    return p.state === "done" && p;
  }, 30_000, "the resume");
  assert.equal(done.accepted, 20);
  assert.equal((await sentTo(list)).length, 20);
});
