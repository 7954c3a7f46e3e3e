#!/usr/bin/env node
// `make soak`: sendBulk of 100,000 messages against the sandbox (a child process) at a scaled
// rate with ~10% mixed faults, the way a campaign would send them: in chunks, each chunk's
// outcomes handled and dropped. Checks that every message has exactly one outcome, that none
// was accepted twice (the sandbox's inspection), that the outcomes agree with what the sandbox
// accepted, and that the client's heap stays flat. Exits 1 when any of that fails.
//
//   node scripts/soak.mjs                        # 100,000 messages, chunks of 5,000
//   SOAK_MESSAGES=10000 SOAK_CHUNK=2000 node scripts/soak.mjs
//
// The fault mix and the rate are tests/reliability/bulk.test.mjs's (tests/reliability/helpers.mjs).
import { CLIENT, MIX, PER_SECOND, SANDBOX_ARGS, TOKEN, account, gc, importSdkWithMemory, mb, memory, startSandboxChild } from "../tests/reliability/helpers.mjs";

const TOTAL = Number(process.env.SOAK_MESSAGES || 100_000);
const CHUNK = Number(process.env.SOAK_CHUNK || 5_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY || 32);
const SAMPLE_EVERY = 1_000;
// Bounds: after the run (outcomes dropped) the heap is within END_MB of where it was before the
// first message (warm-up included: compiled code, connections), and at its peak (one chunk's
// outcomes alive, plus the previous one's being checked) within PEAK_MB; from the 2nd chunk's
// end to the last one's it grows less than TREND_MB; the WebAssembly memory (in `external`,
// never shrinks) within WASM_MB.
const END_MB = Number(process.env.SOAK_END_MB || 8);
const PEAK_MB = Number(process.env.SOAK_PEAK_MB || 96);
const WASM_MB = Number(process.env.SOAK_WASM_MB || 64);
const TREND_MB = Number(process.env.SOAK_TREND_MB || 4);
// The WebAssembly memory's high-water mark (its size: it never shrinks), read from the instance.
const WASM_HWM_MB = Number(process.env.SOAK_WASM_HWM_MB || 64);

// Through sendexa-whatsapp/web, instantiated here, so the soak can read the instance's memory size.
const { sdk, wasmMemoryBytes } = await importSdkWithMemory();
const line = (text) => process.stdout.write(`${text}\n`);
const failures = [];

/** Chunk c's recipient (each chunk its own, so the sandbox's inspection can be asked per chunk). */
const recipient = (c) => `2332440${String(10_000 + c).padStart(5, "0")}`;
const body = (i) => `soak message ${i}`;

/** Checks chunk `c` against the sandbox (run one chunk later, once its delayed requests are over). */
async function check(totals, { c, first, outcomes }) {
  try {
    const a = await account(sdk, sb.control, outcomes, body, { firstIndex: first, to: recipient(c) });
    totals.outcomes += outcomes.length;
    totals.duplicates += a.duplicates;
    totals.accepted += a.accepted;
    totals.unknown += a.unknown;
    totals.unknownAccepted += a.unknownAccepted;
    for (const [k, n] of Object.entries(a.counts)) totals.counts[k] = (totals.counts[k] ?? 0) + n;
    if (a.duplicates) failures.push(`chunk ${c}: ${a.duplicates} contents accepted twice`);
    if (a.accepted !== (a.counts.ok ?? 0) + a.unknownAccepted) failures.push(`chunk ${c}: ${a.accepted} accepted, ${a.counts.ok} ok + ${a.unknownAccepted} unknown`);
  } catch (err) {
    failures.push(`chunk ${c}: ${err.message}`);
  }
}

/** Sends every chunk, checks each one chunk later, samples the heap; returns the seconds spent sending. */
async function campaign(wa, chunks, totals, samples) {
  const t0 = performance.now();
  let pending = null;
  for (let c = 0; c < chunks; c++) {
    const first = c * CHUNK;
    const n = Math.min(CHUNK, TOTAL - first);
    const messages = Array.from({ length: n }, (_, k) => sdk.textMessage(recipient(c), body(first + k)));
    const outcomes = await wa.sendBulk(messages, {
      concurrency: CONCURRENCY,
      onProgress: (p) => {
        if (p.done % SAMPLE_EVERY === 0 && p.done < n) {
          gc();
          const m = process.memoryUsage();
          samples.push({ done: first + p.done, heapUsed: m.heapUsed, external: m.external, rss: m.rss });
        }
      },
    });
    if (outcomes.length !== n) failures.push(`chunk ${c}: ${outcomes.length} outcomes for ${n} messages`);
    if (pending) await check(totals, pending);
    pending = { c, first, outcomes };
    const m = await memory();
    samples.push({ done: first + n, chunkEnd: true, ...m });
    const elapsed = (performance.now() - t0) / 1000;
    line(`  ${String(first + n).padStart(7)} sent  ${elapsed.toFixed(0).padStart(4)} s  heap ${mb(m.heapUsed)}  wasm+external ${mb(m.external)}  rss ${mb(m.rss)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, MIX.delayMs + 200)); // the last chunk's delayed requests
  await check(totals, pending);
  return seconds;
}

const sb = await startSandboxChild(SANDBOX_ARGS);
let exitCode = 1;
try {
  await sb.control.faults({ ...MIX, seed: 100_000 });
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, ...CLIENT });
  const chunks = Math.ceil(TOTAL / CHUNK);
  for (let c = 0; c < chunks; c++) await sb.control.inbound(recipient(c));
  line(`soak: ${TOTAL.toLocaleString("en")} messages in ${chunks} sendBulk calls of ${CHUNK.toLocaleString("en")}, concurrency ${CONCURRENCY}, send limit ${PER_SECOND}/s (25 × 80/s), ${MIX.rate * 100}% faults (${MIX.kinds.join(", ")}; before or after processing)`);

  const totals = { counts: {}, unknown: 0, unknownAccepted: 0, accepted: 0, duplicates: 0, outcomes: 0 };
  const start = await memory();
  const wasmStart = wasmMemoryBytes();
  const samples = [{ done: 0, ...start }];
  // The campaign runs in its own function: once it returns, nothing of its chunks is on the stack.
  const seconds = await campaign(wa, chunks, totals, samples);
  const end = await memory();
  const wasmEnd = wasmMemoryBytes();

  const fired = (await sb.control.get("/__sandbox/faults")).data.fired;
  const byKind = {};
  for (const f of fired) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const refused = byKind["429"] ?? 0;
  const hugeAfter = fired.filter((f) => f.kind === "huge" && f.phase === "after").length;
  const ending = fired.length - refused;
  if (totals.outcomes !== TOTAL) failures.push(`${totals.outcomes} outcomes checked for ${TOTAL} messages`);
  const sum = Object.values(totals.counts).reduce((a, b) => a + b, 0);
  if (sum !== TOTAL) failures.push(`outcome counts add up to ${sum}, not ${TOTAL}`);
  if (totals.unknown > ending || totals.unknown < ending - hugeAfter) failures.push(`${totals.unknown} unknown outcomes for ${ending} faults that end a message (${hugeAfter} huge answers may be read)`);

  const peak = samples.reduce((a, s) => (s.heapUsed > a.heapUsed ? s : a));
  const peakWasm = Math.max(...samples.map((s) => s.external));
  // Between chunk ends (each with one chunk's outcomes alive, the previous one's): the trend
  // from the second chunk's end to the last one's is what a leak would show as.
  const ends = samples.filter((s) => s.chunkEnd);
  const trend = ends.length >= 3 ? ends.at(-1).heapUsed - ends[1].heapUsed : 0;
  line("");
  line(`messages:   ${TOTAL.toLocaleString("en")} in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds)}/s)`);
  line(`outcomes:   ${JSON.stringify(totals.counts)} (${sum.toLocaleString("en")} in all)`);
  line(`accepted:   ${totals.accepted.toLocaleString("en")} by the sandbox (${totals.unknownAccepted} of them reported OUTCOME_UNKNOWN: after-phase faults)`);
  line(`faults:     ${fired.length.toLocaleString("en")} fired ${JSON.stringify(byKind)}; ${refused} were 429s (retried); ${ending} ended their message as OUTCOME_UNKNOWN or were huge answers read`);
  line(`duplicates: ${totals.duplicates}`);
  line(`heap:       start ${mb(start.heapUsed)}, peak ${mb(peak.heapUsed)} (at ${peak.done.toLocaleString("en")}), end ${mb(end.heapUsed)} (after gc, sampled every ${SAMPLE_EVERY.toLocaleString("en")})`);
  line(`chunk ends: ${ends.map((e) => (e.heapUsed / 1048576).toFixed(1)).join(" ")} MB (trend from the 2nd to the last: ${(trend / 1048576).toFixed(1)} MB)`);
  line(`wasm+ext:   start ${mb(start.external)}, peak ${mb(peakWasm)}, end ${mb(end.external)}; rss end ${mb(end.rss)}`);
  line(`wasm memory: high-water mark ${mb(wasmEnd)} (${mb(wasmStart)} before the first message; it never shrinks), answers capped at maxResponseBytes (4 MiB)`);
  line(`bounds:     end − start < ${END_MB} MB, peak − start < ${PEAK_MB} MB, chunk-end trend < ${TREND_MB} MB, external growth < ${WASM_MB} MB, wasm high-water < ${WASM_HWM_MB} MB`);

  if (end.heapUsed - start.heapUsed >= END_MB * 1048576) failures.push(`the heap grew by ${mb(end.heapUsed - start.heapUsed)} over the run`);
  if (trend >= TREND_MB * 1048576) failures.push(`the heap at chunk ends grew by ${mb(trend)} from the 2nd chunk to the last`);
  if (peak.heapUsed - start.heapUsed >= PEAK_MB * 1048576) failures.push(`the heap peaked ${mb(peak.heapUsed - start.heapUsed)} above its start`);
  if (end.external - start.external >= WASM_MB * 1048576) failures.push(`external (WebAssembly) memory grew by ${mb(end.external - start.external)}`);
  if (wasmEnd >= WASM_HWM_MB * 1048576) failures.push(`the WebAssembly memory's high-water mark is ${mb(wasmEnd)}`);
  exitCode = failures.length ? 1 : 0;
} catch (err) {
  failures.push(String(err.stack || err));
} finally {
  await sb.stop();
}
for (const f of failures) line(`FAIL: ${f}`);
line(failures.length ? `soak: FAILED (${failures.length})` : "soak: passed");
process.exit(failures.length ? 1 : exitCode);
