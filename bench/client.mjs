#!/usr/bin/env node
// The client against the local sandbox (a child process on loopback, rate limits off there):
//
// 1. Per-send time of `client.send(message)` (validation, window check, request, lenient parsing,
//    the result object; client-side rate limiting off) versus a plain
//    `fetch(url, { body: JSON.stringify(message) })` + `response.json()` of the same payload over
//    the same keep-alive pool, in alternating rounds. Target: at most 1.5× the plain call.
// 2. `sendBulk` throughput with the client's limiter set to 1,000 sends/s: steady state, measured
//    between the 1,000th and the last outcome (the first second's burst is left out, so the
//    figure is the sustained rate). Target: at least 95% of the limiter's rate.
//
// Prints JSON lines for bench/run.mjs (protocol in lib/common.mjs).
import { emit, median, startSandboxChild } from "./lib/common.mjs";
import { loadOurs } from "./lib/subjects.mjs";

const TOKEN = "bench-token";
const RECIPIENT = "233244000001";
const ROUNDS = 7;
const PER_ROUND = 300;
const BULK = 6000;
const RATE = 1000;

const sdk = await loadOurs();
const sandbox = await startSandboxChild(TOKEN);
try {
  const { url } = sandbox;
  await fetch(`${url}/__sandbox/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: RECIPIENT, text: "start" }),
  });
  const message = { to: RECIPIENT, type: "text", text: { body: "Your order #12345 has shipped and will arrive tomorrow." } };

  // 1. Per-send time.
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: url, rateLimit: false });
  const plain = async () => {
    const res = await fetch(`${url}/v1/whatsapp/send`, {
      method: "POST",
      headers: { authorization: `Basic ${TOKEN}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(message),
    });
    const body = await res.json();
    if (!body.success) throw new Error(`plain: ${JSON.stringify(body)}`);
    return body;
  };
  const ours = async () => {
    const r = await wa.send(message);
    if (!r.messageId) throw new Error("ours: no messageId");
    return r;
  };
  const perSend = async (fn) => {
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    return (performance.now() - start) / PER_ROUND;
  };
  await perSend(plain); // warm-up: connections, JIT
  await perSend(ours);
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await perSend(ours));
    b.push(await perSend(plain));
  }
  emit({
    name: "client send (sequential, loopback)",
    value: median(a),
    unit: "ms/send",
    peer: { name: "fetch + JSON.stringify + res.json()", value: median(b) },
    target: "ratio<=1.5",
    better: "lower",
  });

  // 2. sendBulk throughput under a 1,000/s limiter.
  await fetch(`${url}/__sandbox/reset`, { method: "POST" });
  await fetch(`${url}/__sandbox/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: RECIPIENT, text: "start" }),
  });
  const limited = new sdk.Sendexa({
    token: TOKEN,
    baseUrl: url,
    rateLimit: { send: { perSecond: RATE, perMinute: false, perDay: false } },
  });
  const messages = Array.from({ length: BULK }, (_, i) => ({ to: RECIPIENT, type: "text", text: { body: `Bulk message ${i}` } }));
  const doneAt = [];
  const outcomes = await limited.sendBulk(messages, { concurrency: 32, onProgress: ({ done }) => (doneAt[done] = performance.now()) });
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length) throw new Error(`sendBulk: ${failed.length} failed, e.g. ${failed[0].error}`);
  const skip = RATE;
  const steady = ((BULK - skip) / (doneAt[BULK] - doneAt[skip])) * 1000;
  emit({
    name: "client sendBulk throughput (limiter at 1,000/s)",
    value: steady,
    unit: "sends/s",
    peer: { name: "the limiter's rate", value: RATE },
    target: "ratio>=0.95",
    better: "higher",
    note: `steady state over sends ${skip + 1}–${BULK}, concurrency 32, sandbox limits off`,
  });
} finally {
  sandbox.stop();
}
