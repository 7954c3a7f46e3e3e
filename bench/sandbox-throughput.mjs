#!/usr/bin/env node
// Measures how many sends per second the local sandbox accepts with rate limits disabled.
//
//   node bench/sandbox-throughput.mjs [--duration-ms 3000] [--concurrency 32] [--url http://…]
//
// Starts `tests/sandbox/server.mjs --no-limits` as a child process (so the load generator does
// not share its event loop), opens the 24 h window for one recipient, then drives
// POST /v1/whatsapp/send over keep-alive connections and prints one JSON line:
//   {"name":"sandbox_sends_per_second","value":N,...} (bench/run.mjs's protocol: lib/common.mjs)
import http from "node:http";
import { startSandboxChild } from "./lib/common.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const durationMs = Number(args["duration-ms"] || 3000);
const warmupMs = Number(args["warmup-ms"] || 500);
const concurrency = Number(args.concurrency || 32);
const TOKEN = "bench-token";
const RECIPIENT = "233244000001";

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(url, path, body, auth = true) {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), {
      method: "POST", agent,
      headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data), ...(auth ? { Authorization: `Basic ${TOKEN}` } : {}) },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(data);
  });
}

async function main() {
  const external = args.url;
  const { url, stop } = external ? { url: external, stop: () => {} } : await startSandboxChild(TOKEN);
  try {
    await post(url, "/__sandbox/inbound", { from: RECIPIENT, text: "start" }, false);
    let n = 0, ok = 0, failed = 0;
    const start = Date.now();
    const countFrom = start + warmupMs, end = countFrom + durationMs;
    async function worker() {
      while (Date.now() < end) {
        const status = await post(url, "/v1/whatsapp/send", { to: RECIPIENT, type: "text", text: { body: `bench message ${n++}` } });
        const t = Date.now();
        if (t < countFrom || t > end) continue; // warm-up and stragglers do not count
        if (status === 200) ok++;
        else failed++;
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    const value = Math.round(ok / (durationMs / 1000));
    // Issue 5's acceptance: at least 2,000 sends/s with limits off. No peer: it is our test server.
    const note = `${concurrency} concurrent keep-alive clients, ${durationMs} ms; ${failed} failed`;
    process.stdout.write(`${JSON.stringify({ name: "sandbox_sends_per_second", value, unit: "sends/s", target: "value>=2000", better: "higher", note, concurrency, durationMs, failed })}\n`);
    if (failed) process.exitCode = 1;
  } finally {
    agent.destroy();
    stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
