// sendBulk of 10,000 messages under 10% mixed faults (every kind the sandbox injects, before and
// after processing): one outcome per message, none accepted twice (the sandbox's inspection),
// the outcome counts add up, and the client's heap stays flat.
//
//   node --expose-gc --test tests/reliability/bulk.test.mjs
//
// The sandbox runs in a child process, so the heap measured here is the client's alone. Its send
// limit is scaled up from the documented 80/s, and the client's limiter with it. `make soak`
// (scripts/soak.mjs) is the long version: 100,000 messages.
import test from "node:test";
import assert from "node:assert/strict";
import { CLIENT, MIX, PER_SECOND, R1, SANDBOX_ARGS, TOKEN, account, gc, importSdk, mb, memory, startSandboxChild } from "./helpers.mjs";

const sdk = await importSdk();

test("sendBulk of 10,000 under 10% mixed faults: one outcome each, none sent twice, heap flat", { timeout: 180_000 }, async (t) => {
  const N = Number(process.env.BULK_MESSAGES || 10_000);
  const sb = await startSandboxChild(SANDBOX_ARGS);
  t.after(() => sb.stop());
  await sb.control.inbound(R1);
  await sb.control.faults({ ...MIX, seed: 10_000 });
  const body = (i) => `bulk ${i}`;
  let messages = Array.from({ length: N }, (_, i) => sdk.textMessage(R1, body(i)));
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, ...CLIENT });

  const start = await memory();
  const samples = [];
  const t0 = performance.now();
  let outcomes = await wa.sendBulk(messages, {
    concurrency: 32,
    onProgress: (p) => {
      if (p.done % 1000 === 0) {
        gc();
        const m = process.memoryUsage();
        samples.push({ done: p.done, heapUsed: m.heapUsed, external: m.external });
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, MIX.delayMs + 200)); // delayed requests finish on the sandbox

  assert.equal(outcomes.length, N, "one outcome per message");
  const a = await account(sdk, sb.control, outcomes, body);
  assert.equal(a.duplicates, 0, "contents accepted twice");
  assert.equal(Object.values(a.counts).reduce((x, y) => x + y, 0), N, "the outcome counts add up");
  // Accepted = the successes + the unknown outcomes the API did accept (after-phase faults).
  assert.equal(a.accepted, (a.counts.ok ?? 0) + a.unknownAccepted, "accepted messages");
  // Each fault other than a 429 (retried) or a huge answer (read, or timed out) ends its message
  // with an unknown outcome, and nothing else does.
  const ending = a.fired - a.refused;
  assert.ok(a.unknown <= ending && a.unknown >= ending - a.hugeAfter, `unknown ${a.unknown}, faults ${JSON.stringify(a.byKind)}`);
  assert.ok(a.fired > N * 0.08 && a.fired < N * 0.12, `faults fired: ${a.fired}`);

  // Heap: the outcomes are the only thing that should remain, and only while referenced.
  const peak = Math.max(...samples.map((s) => s.heapUsed));
  const withOutcomes = await memory();
  outcomes = null;
  messages = null;
  const end = await memory();
  t.diagnostic(`${N} messages in ${seconds.toFixed(1)} s (${Math.round(N / seconds)}/s, concurrency 32, limit ${PER_SECOND}/s); outcomes ${JSON.stringify(a.counts)}`);
  t.diagnostic(`faults fired: ${a.fired} ${JSON.stringify(a.byKind)}; 429s retried: ${a.refused}; accepted ${a.accepted} (${a.unknownAccepted} of them with an unknown outcome); duplicates ${a.duplicates}`);
  t.diagnostic(`heap (after gc): start ${mb(start.heapUsed)}, peak ${mb(peak)} (sampled every 1,000), with the outcomes ${mb(withOutcomes.heapUsed)}, end ${mb(end.heapUsed)}; WebAssembly memory ${mb(start.external)} → ${mb(end.external)}`);
  assert.ok(peak - start.heapUsed < 64 * 1048576, `heap peak grew by ${mb(peak - start.heapUsed)}`);
  assert.ok(end.heapUsed - start.heapUsed < 6 * 1048576, `heap grew by ${mb(end.heapUsed - start.heapUsed)} once the outcomes were dropped`);
  assert.ok(end.external - start.external < 64 * 1048576, `WebAssembly memory grew by ${mb(end.external - start.external)}`);
});
