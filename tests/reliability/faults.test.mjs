// Every client method under every fault the sandbox injects, as a storm (every request of the call
// meets it), before and after the API processed the request: each call settles within
// timeoutMs × (maxRetries + 1) plus the most the documented backoff can wait, and either succeeds
// or rejects with a SendexaError whose code is documented — never a hang, never a stray TypeError.
//
//   node --expose-gc --test tests/reliability/faults.test.mjs
//
// The sandbox runs in a child process; faults are its rules (POST /__sandbox/faults), so the
// client uses the runtime's own fetch, as users do.
import test from "node:test";
import { createServer } from "node:http";
import assert from "node:assert/strict";
import { ALWAYS_FAILS, R1, TOKEN, UNKNOWN_REASONS, documentedCodes, importSdkWithMemory, mb, memory, startSandboxChild, timeBound } from "./helpers.mjs";

// Through sendexa-whatsapp/web, instantiated here, so the tests can read the instance's memory size.
const { sdk, wasmMemoryBytes } = await importSdkWithMemory();
const CODES = documentedCodes();

// Small settings, so a storm costs little time. The delay outlasts the timeout.
const TIMEOUT_MS = 300;
const RETRY = { baseDelayMs: 25, maxDelayMs: 100 };
const RETRY_AFTER_S = 0.05; // the Retry-After of the 429 and 503 faults
const DELAY_MS = 700;
const HUGE_BYTES = 1024 * 1024; // in the matrix (1,000 times a usual answer); one test below goes to 48 MiB
const SLACK_MS = 400; // scheduling, parsing, a 2-core machine

/** Every kind the sandbox injects (tests/sandbox/lib/faults.mjs), and what a storm of it means for a read. */
const KINDS_ALL = {
  500: { read: ["SERVER_ERROR", 500], reason: "SERVER_ERROR" },
  502: { read: ["BAD_GATEWAY", 502], reason: "BAD_GATEWAY" },
  503: { read: ["SERVICE_UNAVAILABLE", 503], reason: "SERVICE_UNAVAILABLE" },
  429: { read: ["WA005", 429], refused: true },
  html: { read: ["INVALID_RESPONSE", 502], reason: "INVALID_RESPONSE" },
  non_json: { read: ["INVALID_RESPONSE", 200], reason: "INVALID_RESPONSE" },
  truncate: { read: ["INVALID_RESPONSE", 200], reason: "INVALID_RESPONSE" },
  drop: { read: ["NETWORK", undefined], reason: "NETWORK" },
  delay: { read: ["TIMEOUT", undefined], reason: "TIMEOUT" },
  // A valid, enormous body: the real answer padded (after), or `data: null` padded (before). The
  // call may succeed; what matters is that it settles in time with a result or a typed error.
  huge: { lenient: true },
};
// FAULT_KINDS=huge,drop runs only those (for debugging).
const KINDS = process.env.FAULT_KINDS
  ? Object.fromEntries(Object.entries(KINDS_ALL).filter(([k]) => process.env.FAULT_KINDS.split(",").includes(k)))
  : KINDS_ALL;

/**
 * The methods, each `{ name, effect, call(wa, fx) }`: `effect` is true for calls that are never
 * repeated after an unknown outcome. `fx` holds ids made before the storm. Two waves, so within
 * a wave every method hits its own (method, path) and the fired log says which call met a fault.
 */
const METHODS = [
  [
    { name: "send", effect: true, call: (wa) => wa.send(sdk.templateMessage(R1, { name: "hello_world", language: "en_US" })) },
    { name: "status", call: (wa, fx) => wa.status(fx.messageId), route: "GET /v1/whatsapp/status/" },
    { name: "resend", effect: true, call: (wa, fx) => wa.resend(fx.failedId()) },
    { name: "listTemplates", call: (wa) => wa.listTemplates({ pageSize: 2 }) },
    { name: "getTemplate", call: (wa, fx) => wa.getTemplate(fx.templateId), route: "GET /v1/whatsapp/templates/" },
    { name: "createTemplate", effect: true, call: (wa, fx) => wa.createTemplate({ name: `fault_${fx.n()}`, category: "UTILITY", language: "en", components: [{ type: "BODY", text: "Hi {{1}}" }] }) },
    { name: "deleteTemplate", call: (wa, fx) => wa.deleteTemplate(fx.doomedId()), route: "DELETE /v1/whatsapp/templates/" },
    { name: "checkNumber", call: (wa) => wa.checkNumber(R1) },
    { name: "checkNumbers", call: (wa) => wa.checkNumbers([R1, "233244000002", "not a number"]) },
    { name: "listNumbers", call: (wa) => wa.listNumbers() },
  ],
  [
    // sendBulk resolves with one outcome per message; its failure is the outcome's error.
    { name: "sendBulk", effect: true, call: async (wa) => {
      const [outcome] = await wa.sendBulk([sdk.templateMessage(R1, { name: "hello_world", language: "en_US" })]);
      if (!outcome.ok) throw outcome.error;
      return outcome.result;
    } },
    { name: "listAllTemplates", call: async (wa) => {
      const it = wa.listAllTemplates({ pageSize: 2 });
      const first = await it.next();
      await it.return();
      return first;
    } },
  ],
];

/** Which fired-log entries belong to a method's requests. */
function routeOf(method) {
  if (method.route) return method.route;
  return {
    send: "POST /v1/whatsapp/send", sendBulk: "POST /v1/whatsapp/send", resend: "POST /v1/whatsapp/resend",
    listTemplates: "GET /v1/whatsapp/templates", listAllTemplates: "GET /v1/whatsapp/templates",
    createTemplate: "POST /v1/whatsapp/templates", checkNumber: "GET /v1/whatsapp/numbers/check",
    checkNumbers: "POST /v1/whatsapp/numbers/bulk-check", listNumbers: "GET /v1/whatsapp/numbers",
  }[method.name];
}
const matches = (route, f) => {
  const key = `${f.method} ${f.path}`;
  return route.endsWith("/") ? key.startsWith(route) : key === route;
};

/**
 * Ids the methods need, made without faults: a sent message; pools of failed messages (resend)
 * and templates (deleteTemplate), one per call, so an after-phase storm that keeps the real
 * answer (truncate, huge) meets a 2xx, as on a first call; a template for getTemplate.
 */
async function fixtures(sb, calls) {
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, rateLimit: false });
  const hello = (to) => sdk.templateMessage(to, { name: "hello_world", language: "en_US" });
  const def = (name) => ({ name, category: "UTILITY", language: "en", components: [{ type: "BODY", text: "Hi {{1}}" }] });
  const sent = await wa.send(hello(R1));
  const failed = await Promise.all(Array.from({ length: calls }, () => wa.send(hello(ALWAYS_FAILS))));
  const doomed = await Promise.all(Array.from({ length: calls }, (_, i) => wa.createTemplate(def(`fault_doomed_${i}`))));
  const kept = await wa.createTemplate(def("fault_kept"));
  await sb.control.post("/__sandbox/clock", { advance: "5s", settle: true });
  const take = (list, what) => () => {
    const next = list.shift();
    if (!next) throw new Error(`the ${what} pool is empty`);
    return next.messageId ?? next.id;
  };
  let n = 0;
  return { messageId: sent.messageId, failedId: take(failed, "failed-message"), doomedId: take(doomed, "template"), templateId: kept.id, n: () => n++ };
}

/** Runs one call; `{ ms, value }` or `{ ms, error }`. */
async function timed(fn) {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

/** The storm of `kind` in `phase` against every method, with `maxRetries`; returns one row per call. */
async function storm(sb, fx, kind, phase, maxRetries) {
  const rows = [];
  const bound = timeBound({ timeoutMs: TIMEOUT_MS, maxRetries, ...RETRY, retryAfterMs: RETRY_AFTER_S * 1000, slackMs: SLACK_MS });
  for (const wave of METHODS) {
    await sb.control.faults({
      rules: [{ kind, phase, path: "/v1/whatsapp/*", count: 100_000, delayMs: DELAY_MS, retryAfter: RETRY_AFTER_S, size: HUGE_BYTES }],
      replace: true,
    });
    const before = (await sb.control.get("/__sandbox/faults")).data.fired.length;
    const results = await Promise.all(wave.map(async (method) => {
      const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, timeoutMs: TIMEOUT_MS, maxRetries, retry: RETRY });
      return { method, ...(await timed(() => method.call(wa, fx))) };
    }));
    await sb.control.clearFaults();
    // The sandbox logs a delayed request once its delay is over.
    if (kind === "delay") await new Promise((r) => setTimeout(r, DELAY_MS + 100));
    const fired = (await sb.control.get("/__sandbox/faults")).data.fired.slice(before);
    for (const r of results) rows.push({ ...r, kind, phase, maxRetries, bound, attempts: fired.filter((f) => matches(routeOf(r.method), f)).length });
  }
  return rows;
}

/** Asserts one call's outcome; returns a short label for the tally. */
function check(row) {
  const { method, kind, phase, maxRetries, bound, ms, error, attempts } = row;
  const where = `${method.name} under a ${kind}:${phase} storm, maxRetries ${maxRetries}`;
  assert.ok(ms <= bound.total, `${where}: settled in ${ms.toFixed(0)} ms, over the bound ${bound.total} ms (${JSON.stringify(bound)})`);
  const spec = KINDS[kind];
  if (!error) {
    assert.ok(spec.lenient, `${where}: succeeded, though every answer was a fault`);
    return "ok";
  }
  assert.ok(error instanceof sdk.SendexaError, `${where}: not a SendexaError: ${error?.stack || error}`);
  assert.ok(CODES.has(error.code), `${where}: undocumented code ${error.code} (${error.message})`);
  assert.equal(typeof error.message, "string");
  if (spec.lenient) return error.reason ? `${error.code}/${error.reason}` : error.code;
  const refusedOnly = method.effect && !spec.refused;
  if (refusedOnly) {
    // A call with an effect is never repeated after an unknown outcome.
    assert.deepEqual([error.code, error.reason], ["OUTCOME_UNKNOWN", spec.reason], `${where}: ${error.message}`);
    assert.ok(UNKNOWN_REASONS.has(error.reason), `${where}: reason ${error.reason}`);
    assert.equal(attempts, 1, `${where}: ${attempts} requests`);
  } else if (method.name === "deleteTemplate" && kind === "truncate" && phase === "after" && maxRetries > 0) {
    // The first attempt deleted the template and its answer was cut short; the retry's real
    // answer is a 404 (cut short too): definite, so not retried again.
    assert.deepEqual([error.code, error.status], ["INVALID_RESPONSE", 404], `${where}: ${error.message}`);
    assert.equal(attempts, 2, `${where}: ${attempts} requests`);
  } else {
    assert.deepEqual([error.code, error.status], spec.read, `${where}: ${error.message}`);
    assert.equal(attempts, maxRetries + 1, `${where}: ${attempts} requests`);
  }
  return error.reason ? `${error.code}/${error.reason}` : error.code;
}

test("every method settles in time under every fault storm, with a result or a documented SendexaError", { timeout: 240_000 }, async (t) => {
  const sb = await startSandboxChild(["--no-limits"]);
  t.after(() => sb.stop());
  const fx = await fixtures(sb, 2 * Object.keys(KINDS).length * 2);
  const tally = {};
  let calls = 0;
  let worst = { ratio: 0 };
  for (const maxRetries of [2, 0]) {
    for (const kind of Object.keys(KINDS)) {
      for (const phase of ["before", "after"]) {
        const rows = await storm(sb, fx, kind, phase, maxRetries);
        for (const row of rows) {
          const label = check(row);
          calls++;
          tally[label] = (tally[label] ?? 0) + 1;
          const ratio = row.ms / row.bound.total;
          if (ratio > worst.ratio) worst = { ratio, ms: row.ms, bound: row.bound.total, call: `${row.method.name} ${kind}:${phase} r${maxRetries}` };
        }
      }
    }
  }
  const fired = (await sb.control.get("/__sandbox/faults")).data.fired;
  const methods = METHODS.flat().length;
  assert.equal(calls, 2 * Object.keys(KINDS).length * 2 * methods);
  t.diagnostic(`${calls} calls (${methods} methods × ${Object.keys(KINDS).length} fault kinds × before/after × maxRetries 2 and 0), ${fired.length} faults fired`);
  t.diagnostic(`outcomes: ${JSON.stringify(tally)}`);
  t.diagnostic(`slowest against its bound: ${worst.call} took ${worst.ms.toFixed(0)} ms of ${worst.bound} ms; bound = timeoutMs ${TIMEOUT_MS} × (maxRetries + 1) + backoff (base ${RETRY.baseDelayMs}, cap ${RETRY.maxDelayMs}, Retry-After ${RETRY_AFTER_S * 1000} ms) + ${SLACK_MS} ms slack`);
});

test("a mixed storm with the default retry policy: every call within its bound", { timeout: 120_000 }, async (t) => {
  // The defaults (baseDelayMs 500, maxDelayMs 20 s) with a short timeout: reads wait up to
  // 500 + 1,000 ms between attempts. Faults come at random (seeded), half before, half after.
  const sb = await startSandboxChild(["--no-limits"]);
  t.after(() => sb.stop());
  const fx = await fixtures(sb, 3);
  await sb.control.faults({
    rate: 0.5, kinds: ["500", "502", "503", "429", "html", "non_json", "truncate", "drop", "delay"],
    phase: "random", seed: 7, path: "/v1/whatsapp/*", delayMs: DELAY_MS, retryAfter: RETRY_AFTER_S,
  });
  const bound = timeBound({ timeoutMs: TIMEOUT_MS, maxRetries: 2, retryAfterMs: RETRY_AFTER_S * 1000, slackMs: SLACK_MS });
  const rows = [];
  for (let round = 0; round < 3; round++) {
    for (const method of METHODS.flat()) {
      const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, timeoutMs: TIMEOUT_MS });
      rows.push({ method, ...(await timed(() => method.call(wa, fx))) });
    }
  }
  const tally = {};
  for (const { method, ms, error } of rows) {
    assert.ok(ms <= bound.total, `${method.name}: ${ms.toFixed(0)} ms, over ${bound.total} ms`);
    if (error) {
      assert.ok(error instanceof sdk.SendexaError && CODES.has(error.code), `${method.name}: ${error?.stack || error}`);
      if (error.code === "OUTCOME_UNKNOWN") assert.ok(method.effect && UNKNOWN_REASONS.has(error.reason), `${method.name}: ${error.reason}`);
    }
    const label = error ? (error.reason ? `${error.code}/${error.reason}` : error.code) : "ok";
    tally[label] = (tally[label] ?? 0) + 1;
  }
  const fired = (await sb.control.get("/__sandbox/faults")).data.fired.length;
  assert.ok(tally.ok > 0 && Object.keys(tally).length > 2, JSON.stringify(tally));
  t.diagnostic(`${rows.length} calls, ${fired} faults fired, bound ${bound.total} ms, slowest ${Math.max(...rows.map((r) => r.ms)).toFixed(0)} ms; outcomes ${JSON.stringify(tally)}`);
});

test("a 48 MiB answer is refused at maxResponseBytes: the process grows by less than 64 MB", { timeout: 120_000 }, async (t) => {
  const sb = await startSandboxChild(["--no-limits"]);
  t.after(() => sb.stop());
  const size = 48 * 1024 * 1024;
  const timeoutMs = 10_000;
  const bound = timeBound({ timeoutMs, maxRetries: 1, ...RETRY, slackMs: 2000 });
  const fx = await fixtures(sb, 2);
  const start = await memory();
  const wasmStart = wasmMemoryBytes();
  let peak = start;
  // The padded real answer (after) and a padded refusal of it (before), to a read and to each
  // call with an effect.
  const calls = [
    ["listNumbers", (wa) => wa.listNumbers(), "INVALID_RESPONSE"],
    ["status", (wa) => wa.status(fx.messageId), "INVALID_RESPONSE"],
    ["send", (wa) => wa.send(sdk.templateMessage(R1, { name: "hello_world", language: "en_US" })), "OUTCOME_UNKNOWN"],
    ["resend", (wa) => wa.resend(fx.failedId()), "OUTCOME_UNKNOWN"],
    ["createTemplate", (wa) => wa.createTemplate({ name: `huge_${fx.n()}`, category: "UTILITY", language: "en", components: [{ type: "BODY", text: "Hi" }] }), "OUTCOME_UNKNOWN"],
  ];
  for (const phase of ["after", "before"]) {
    await sb.control.faults({ rules: [{ kind: "huge", phase, path: "/v1/whatsapp/*", count: 100, size }], replace: true });
    const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, timeoutMs, maxRetries: 1, retry: RETRY, rateLimit: false });
    for (const [name, call, code] of calls) {
      if (phase === "before" && name === "resend") continue; // its pool holds one id per phase
      const r = await timed(() => call(wa));
      assert.ok(r.ms <= bound.total, `${phase} ${name}: ${r.ms.toFixed(0)} ms, over ${bound.total} ms`);
      assert.ok(r.error instanceof sdk.SendexaError, `${phase} ${name}: ${r.error ?? "a result"}`);
      assert.equal(`${r.error.code}/${r.error.reason}`, `${code}/TOO_LARGE`, `${phase} ${name}: ${r.error.message}`);
      assert.match(r.error.message, /maxResponseBytes/);
      const now = await memory();
      if (now.rss > peak.rss) peak = now;
      t.diagnostic(`huge:${phase} (${mb(size)}) ${name}: ${r.ms.toFixed(0)} ms → ${r.error.code}/${r.error.reason}; rss ${mb(now.rss)}`);
    }
  }
  const end = await memory();
  const wasmGrowth = wasmMemoryBytes() - wasmStart;
  t.diagnostic(`process (rss) ${mb(start.rss)} → peak ${mb(peak.rss)} → end ${mb(end.rss)}; heap ${mb(start.heapUsed)} → ${mb(end.heapUsed)}; external ${mb(start.external)} → ${mb(end.external)}; wasm memory +${mb(wasmGrowth)} (now ${mb(wasmMemoryBytes())})`);
  assert.ok(peak.rss - start.rss < 64 * 1048576, `the process grew by ${mb(peak.rss - start.rss)} for a ${mb(size)} answer`);
  assert.ok(end.heapUsed - start.heapUsed < 8 * 1048576, `heap grew by ${mb(end.heapUsed - start.heapUsed)}`);
  // Reading stops at the 4 MiB cap: the instance's memory (which never shrinks) grows by a small
  // multiple of the cap at most, not of the answer.
  assert.ok(wasmGrowth < 16 * 1048576, `WebAssembly memory grew by ${mb(wasmGrowth)}`);
});

test("a 48 MiB answer streamed without Content-Length: reading stops at the cap, the stream is cancelled", { timeout: 120_000 }, async (t) => {
  const total = 48;
  const chunk = Buffer.alloc(1 << 20, "x");
  const served = [];
  const server = createServer((req, res) => {
    const entry = { bytes: 0, closed: false };
    served.push(entry);
    res.on("close", () => (entry.closed = true));
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.write('{"success":true,"data":{"padding":"');
    let i = 0;
    const pump = () => {
      while (i < total && !entry.closed) {
        i++;
        entry.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!entry.closed) res.end('"}}');
    };
    pump();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${server.address().port}`;
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: url, timeoutMs: 20_000, maxRetries: 0, rateLimit: false, window: false });
  const start = await memory();
  const wasmStart = wasmMemoryBytes();
  for (const [name, call, code] of [
    ["status", () => wa.status("exa_wa_1"), "INVALID_RESPONSE"],
    ["listTemplates", () => wa.listTemplates(), "INVALID_RESPONSE"],
    ["send", () => wa.send(sdk.templateMessage(R1, { name: "hello_world", language: "en_US" })), "OUTCOME_UNKNOWN"],
  ]) {
    const r = await timed(call);
    assert.ok(r.error instanceof sdk.SendexaError, `${name}: ${r.error ?? "a result"}`);
    assert.equal(`${r.error.code}/${r.error.reason}/${r.error.status}`, `${code}/TOO_LARGE/200`, `${name}: ${r.error.message}`);
    t.diagnostic(`${name}: ${r.ms.toFixed(0)} ms → ${r.error.code}/${r.error.reason}`);
  }
  // Every answer was cut off: the connection closed long before its 48 MiB were written.
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const entry of served) {
    assert.ok(entry.closed, "the stream was cancelled");
    assert.ok(entry.bytes < 24 * 1048576, `the server wrote ${mb(entry.bytes)} before the client stopped`);
  }
  const end = await memory();
  const wasmGrowth = wasmMemoryBytes() - wasmStart;
  t.diagnostic(`served ${served.map((e) => mb(e.bytes)).join(", ")}; process (rss) ${mb(start.rss)} → ${mb(end.rss)}; wasm memory +${mb(wasmGrowth)} (now ${mb(wasmMemoryBytes())})`);
  assert.ok(end.rss - start.rss < 64 * 1048576, `the process grew by ${mb(end.rss - start.rss)}`);
  assert.ok(wasmGrowth < 16 * 1048576, `WebAssembly memory grew by ${mb(wasmGrowth)}: more than the 4 MiB cap allows`);
});

test("an 8 MiB answer is read whole when maxResponseBytes allows it", { timeout: 60_000 }, async (t) => {
  const sb = await startSandboxChild(["--no-limits"]);
  t.after(() => sb.stop());
  const size = 8 * 1024 * 1024;
  await sb.control.faults({ rules: [{ kind: "huge", phase: "after", path: "/v1/whatsapp/numbers", count: 1, size }], replace: true });
  const wa = new sdk.Sendexa({ token: TOKEN, baseUrl: sb.url, timeoutMs: 20_000, maxRetries: 0, rateLimit: false, maxResponseBytes: 9 * 1024 * 1024 });
  const r = await timed(() => wa.listNumbers());
  assert.equal(r.value?.numbers?.length, 2, `the padded answer is read: ${r.error?.message}`);
  t.diagnostic(`read in ${r.ms.toFixed(0)} ms; wasm memory now ${mb(wasmMemoryBytes())}`);
});
