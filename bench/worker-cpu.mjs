#!/usr/bin/env node
// Worker CPU (issue 9): CPU time per request of the worker example's `fetch` handler, and the part
// of it spent inside the package ("SDK time"), for POST /notify (1 notification; 100 in one
// request, per notification) and webhook deliveries to POST /webhooks/sendexa (a signed status
// update; an inbound message). Target: SDK time per /notify (1 notification) under 1 ms.
//
// 1. Node (the figures): the example's own module (worker-example/src/index.mjs) runs in this
//    process (same V8 as workerd) on the package's workerd code path, with an in-memory `env` of
//    exactly the bindings wrangler.toml declares (lib/worker-env.mjs, lib/worker-node.mjs).
//    Requests are built before the clock starts and handled one at a time. CPU per request =
//    process.cpuUsage() (user + system) over a round / requests. SDK time = that CPU × the share
//    of the round's busy time (wall time less the event loop's idle time: a status webhook waits
//    ~100 ms for its message shard's write batch) spent inside the package's exports (timed with
//    performance.now(), user callbacks excluded: lib/worker-node.mjs); a share, because this
//    machine is shared and wall time alone would count time the process was not running. Rounds
//    of the four cases alternate after a warm-up; medians.
// 2. A V8 CPU profile of one more round per case cross-checks the SDK share by sampling, and says
//    how much of it is the package's own code (wasm + JS glue) rather than the web APIs it calls.
// 3. workerd (Miniflare) cross-checks the CPU per request: the same example and env bundled into a
//    worker that handles a round of prepared requests inside one dispatch; CPU = workerd's threads'
//    run time (/proc/<pid>/task/*/schedstat) over that dispatch, less a dispatch that only makes the
//    same Request objects. workerd's clocks do not advance during execution, so it cannot time the
//    SDK's share itself.
import { Session } from "node:inspector/promises";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { benchDir, emit, median, nodeTools, pkgDir, root } from "./lib/common.mjs";
import { CASES, SECRETS, handle, inboundWebhook, loadSqlite, makeEnv, phone, prepare, statusWebhook, textNotification, toRequests } from "./lib/worker-env.mjs";
import { exampleDir, importExample, sdkClock, wranglerConfig } from "./lib/worker-node.mjs";

const config = wranglerConfig();
const example = await importExample();
const worker = example.default;
const env = makeEnv(config, example, SECRETS, await loadSqlite());

// What the Worker answers, and that it did its job (queued, stored in its message shard, opened the window).
{
  const [notify] = toRequests(await prepare(CASES[0], 1));
  const r = await worker.fetch(notify, env, {});
  const body = await r.json();
  if (r.status !== 202 || body.queued !== 1 || env.NOTIFICATIONS.sent !== 1) throw new Error(`/notify: ${r.status} ${JSON.stringify(body)}`);
  const w = await worker.fetch(...toRequests([await statusWebhook(0)]), env, {});
  if (w.status !== 200 || (await w.json()).received !== 1) throw new Error(`status webhook: ${w.status}`);
  const stored = await worker.fetch(new Request("https://worker.example/messages/exa_wa_0", { headers: { authorization: `Bearer ${SECRETS.NOTIFY_SECRET}` } }), env, {});
  const view = await stored.json();
  if (view.source !== "webhooks" || view.status !== "sent") throw new Error(`the status webhook stored no status: ${stored.status} ${JSON.stringify(view)}`);
  await worker.fetch(...toRequests([await inboundWebhook(7)]), env, {});
  if ((await env.STATE.get(`window:${phone(7).replace(/\D/g, "")}`)) === null) throw new Error("the inbound webhook opened no window");
  if (!textNotification(0).to.startsWith("+233 24 ")) throw new Error("inputs");
}

/** One round of a case: CPU µs per unit (request, or notification), SDK share of wall time, SDK calls. */
async function round(c) {
  const requests = toRequests(await prepare(c));
  sdkClock.reset();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  await handle(worker, env, c, requests);
  const busy = performance.eventLoopUtilization(loop).active;
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / (c.requests * c.perRequest);
  const share = sdkClock.ms / busy;
  return { cpuUs, share, sdkUs: cpuUs * share, calls: new Map(sdkClock.calls) };
}

for (let warm = 0; warm < 3; warm++) for (const c of CASES) await round(c);
const ROUNDS = 7;
const node = Object.fromEntries(CASES.map((c) => [c.key, []]));
for (let r = 0; r < ROUNDS; r++) for (const c of CASES) node[c.key].push(await round(c));

// The sampling cross-check. A sample is inside the SDK when, walking from its leaf towards the
// root, a frame of the package (pkg/ or wasm) comes before one of the example or the harness (a
// user callback); native and Node-internal frames are transparent. "Own code" = the leaf's nearest
// frame with a script is the package's.
const pkgUrl = pathToFileURL(pkgDir).href + "/";
const userUrls = [pathToFileURL(exampleDir).href + "/", pathToFileURL(benchDir).href + "/"];
const owner = (url) => (url.startsWith("wasm://") || url.startsWith(pkgUrl) ? "sdk" : userUrls.some((u) => url.startsWith(u)) ? "user" : null);
async function profiled(c) {
  const requests = toRequests(await prepare(c));
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  await handle(worker, env, c, requests);
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  let total = 0;
  let inSdk = 0;
  let own = 0;
  for (const id of profile.samples) {
    if (byId.get(id).callFrame.functionName === "(idle)") continue;
    total++;
    let first = null;
    let leafOwner;
    for (let at = id; at !== undefined && first === null; at = parent.get(at)) {
      const url = byId.get(at).callFrame.url;
      if (!url) continue;
      leafOwner ??= owner(url) ?? "platform";
      first = owner(url);
    }
    if (first === "sdk") inSdk++;
    if (leafOwner === "sdk") own++;
  }
  return { inSdk: inSdk / total, own: own / total, samples: total };
}
for (const c of CASES) await profiled(c); // the profiler's own warm-up
const profiles = {};
for (const c of CASES) profiles[c.key] = await profiled(c);

// The workerd cross-check.
async function workerd() {
  const { build } = await import(join(benchDir, "node_modules/esbuild/lib/main.js"));
  const { Miniflare } = await import(join(nodeTools, "miniflare/dist/src/index.js"));
  const work = join(root, "target/bench/worker-cpu/workerd");
  mkdirSync(work, { recursive: true });
  const entry = `import * as example from ${JSON.stringify(join(exampleDir, "src/index.mjs"))};
import { CASES, SECRETS, handle, loadSqlite, makeEnv, prepare, toRequests } from ${JSON.stringify(join(benchDir, "lib/worker-env.mjs"))};
import sqliteWasm from "./sql-wasm-browser.wasm";
const env = makeEnv(${JSON.stringify(config)}, example, SECRETS, await loadSqlite(sqliteWasm));
let prepared;
export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    const c = CASES.find((c) => c.key === searchParams.get("case"));
    // A Request belongs to the dispatch that made it, so /run makes its own; /build only makes them.
    if (pathname === "/prepare") prepared = await prepare(c);
    else if (pathname === "/build") toRequests(prepared);
    else if (pathname === "/run") await handle(example.default, env, c, toRequests(prepared));
    return new Response("ok");
  },
};`;
  await build({
    stdin: { contents: entry, resolveDir: work, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    alias: { "sendexa-whatsapp": join(pkgDir, "workerd.mjs"), "cloudflare:workers": join(benchDir, "lib/worker-env.mjs") },
    external: ["*.wasm"],
    outfile: join(work, "index.mjs"),
    logLevel: "error",
  });
  copyFileSync(join(pkgDir, "sendexa_whatsapp_bg.wasm"), join(work, "sendexa_whatsapp_bg.wasm"));
  copyFileSync(join(benchDir, "node_modules/sql.js/dist/sql-wasm-browser.wasm"), join(work, "sql-wasm-browser.wasm")); // sql.js's, for its browser build
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(work, "index.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    cf: false,
  });
  try {
    await mf.ready;
    const pids = readdirSync("/proc").filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, "utf8");
        return stat.includes("(workerd)") && Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid;
      } catch {
        return false;
      }
    });
    if (pids.length !== 1) throw new Error(`workerd: expected one workerd child, found ${pids.length}`);
    const tasks = `/proc/${pids[0]}/task`;
    const cpuNs = () => readdirSync(tasks).reduce((sum, t) => {
      try {
        return sum + Number(readFileSync(`${tasks}/${t}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        return sum; // a thread that ended
      }
    }, 0);
    const dispatch = async (path) => {
      const response = await mf.dispatchFetch(`http://worker${path}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`workerd ${path}: HTTP ${response.status}: ${text.slice(0, 500)}`);
    };
    const timedDispatch = async (path) => {
      const before = cpuNs();
      await dispatch(path);
      return cpuNs() - before;
    };
    const out = Object.fromEntries(CASES.map((c) => [c.key, []]));
    for (let r = 0; r < 7; r++) {
      for (const c of CASES) {
        await dispatch(`/prepare?case=${c.key}`);
        const ns = (await timedDispatch(`/run?case=${c.key}`)) - (await timedDispatch(`/build?case=${c.key}`));
        if (r >= 2) out[c.key].push(ns / 1000 / (c.requests * c.perRequest)); // two warm-up rounds
      }
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
  } finally {
    await mf.dispose();
  }
}
const inWorkerd = await workerd();

const pct = (x) => `${(100 * x).toFixed(0)}%`;
for (const c of CASES) {
  const rounds = node[c.key];
  const cpu = median(rounds.map((r) => r.cpuUs));
  const sdk = median(rounds.map((r) => r.sdkUs));
  const share = median(rounds.map((r) => r.share));
  const p = profiles[c.key];
  const per = c.perRequest === 1 ? "per request" : "per notification";
  const calls = [...rounds[0].calls].map(([name, n]) => `${name} ×${n / c.requests}`).join(", ");
  emit({
    name: `worker CPU, ${c.what}`,
    value: cpu,
    unit: "µs",
    note: `${per}: CPU of the example's fetch handler in Node, median of ${ROUNDS} rounds of ${c.requests} requests; in workerd (Miniflare, the same handler and in-memory bindings): ${inWorkerd[c.key].toFixed(0)} µs${c.note ? `; ${c.note}` : ""}`,
  });
  emit({
    name: `worker CPU, ${c.what}: SDK time`,
    value: sdk,
    unit: "µs",
    ...(c.key === "notify1" ? { target: "value<1000" } : {}),
    note:
      `${per}: the handler's CPU × the share of its busy time inside the package's exports (${pct(share)}; calls per request: ${calls})` +
      `${c.perRequest > 1 ? `, ${((sdk * c.perRequest) / 1000).toFixed(2)} ms per request` : ""}; ` +
      `a V8 CPU profile (${p.samples} samples) puts ${pct(p.inSdk)} of the handler inside SDK calls, ${pct(p.own)} in the package's own code (wasm + glue), the rest in the web APIs it calls`,
  });
}
