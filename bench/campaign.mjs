#!/usr/bin/env node
// The worker example's campaign rate (issue 20): 1,000 template sends from `POST /campaigns` in
// workerd (Miniflare) against the local sandbox at the documented limits (80 sends/s), with the
// sandbox's webhooks on as in production (three per message, handled on the same workerd thread as
// the Durable Object that sends). The rate is the API's view: the sandbox's arrival log, first to
// last. Targets: at least 95% of the documented 80/s, and no answer of 429.
//
// A benchmark rather than a test (tests/worker/campaign-rate.test.mjs checks the campaign's
// behaviour and that it never goes above the documented rate): both figures depend on how much of
// the machine workerd and the sandbox get. The sandbox runs in this process, as in `make demo`, and
// the Worker bundles pkg/ (worker-example's dependency), not bench/run.mjs's snapshot of it.
import { start } from "../tests/sandbox/server.mjs";
import { startWorker } from "../worker-example/local.mjs";
import { callAt, controlAt, eventually } from "../tests/worker/harness.mjs";
import { emit } from "./lib/common.mjs";

const TOKEN = "campaign-bench-token";
const WEBHOOK_SECRET = "whsec_campaign_bench";
const NOTIFY_SECRET = "campaign-bench-notify";
const COUNT = 1000;
const DOCUMENTED = 80;

const sandbox = await start({ tokens: [TOKEN], webhookSecret: WEBHOOK_SECRET });
const worker = await startWorker({
  vars: { SENDEXA_BASE_URL: sandbox.url, SENDEXA_TOKEN: TOKEN, SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET, NOTIFY_SECRET },
});
try {
  const control = (method, path, body) => controlAt(sandbox.url, method, path, body);
  const call = (method, path, body) => callAt(worker.url, NOTIFY_SECRET, method, path, body);
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
  const recipients = Array.from({ length: COUNT }, (_, i) => `2332451${String(i).padStart(5, "0")}`);
  const created = await call("POST", "/campaigns", { template: { name: "hello_world", language: "en_US" }, recipients });
  if (created.status !== 202) throw new Error(`POST /campaigns → ${created.status}: ${JSON.stringify(created.body)}`);
  await eventually(async () => (await call("GET", `/campaigns/${created.body.id}`)).body.state === "done", 180_000, "the campaign", 250);

  const { messages, duplicates } = await control("GET", "/messages?origin=send");
  const times = messages.filter((m) => m.to.startsWith("2332451")).map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
  if (times.length !== COUNT || duplicates.length) throw new Error(`${times.length} of ${COUNT} sent, ${duplicates.length} sent twice`);
  const rate = (COUNT - 1) / ((times.at(-1) - times[0]) / 1000);
  const refused = (await control("GET", "/health")).rateLimited.send ?? 0;
  emit({
    name: "Worker campaign: sends/s in workerd, 1,000 with webhooks (issue 20)",
    value: Number(rate.toFixed(1)),
    unit: "sends/s",
    better: "higher",
    peer: { name: "the documented limit", value: DOCUMENTED },
    target: "ratio>=0.95",
    note: "arrivals in the sandbox's log, first to last",
  });
  emit({
    name: "Worker campaign: answers of 429 (issue 20)",
    value: refused,
    unit: "429s",
    better: "lower",
    target: "value<1",
  });
} finally {
  await worker.dispose();
  await sandbox.close();
}
