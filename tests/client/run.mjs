// The client suite: tests/client/cases.mjs against the built package (pkg/) and the local
// sandbox over real HTTP, first in Node, then in headless Chromium (the same cases file, served on
// loopback with the package's browser entry).
//
//   node tests/client/run.mjs [--node | --browser] [--only <text in a case name>]
//
// Prints one line per case and ends with `client: N passed, N failed` (exit 1 on any failure, or
// when a runtime ran nothing).
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { start } from "../sandbox/server.mjs";
import { runPage } from "../support/chromium.mjs";
import { makeContext, runCases } from "./context.mjs";
import { BLOCKED_TOKEN, KEY_TOKEN, TOKEN } from "./cases.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const args = process.argv.slice(2);
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : null;
const runtimes = args.includes("--node") ? ["node"] : args.includes("--browser") ? ["browser"] : ["node", "browser"];

/** The three sandboxes: the documented limits (live), the draft shapes, and one fast enough for bulk. */
async function startSandboxes() {
  const common = { tokens: [TOKEN, KEY_TOKEN], blockedTokens: [BLOCKED_TOKEN], templateReviewMs: 3_600_000 };
  const live = await start(common);
  const draft = await start({ ...common, shape: "draft" });
  const bulk = await start({ ...common, limits: { send: { perSecond: 1000, perMinute: false, perDay: false } } });
  return {
    urls: { live: live.url, draft: draft.url, bulk: bulk.url },
    close: () => Promise.all([live.close(), draft.close(), bulk.close()]),
  };
}

/** A local webhook receiver: node:http in, a web Request to `handler`, its Response back out. */
async function listen(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    try {
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/sendexa`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function print(result) {
  const secs = result.ms === undefined ? "" : ` (${(result.ms / 1000).toFixed(1)} s)`;
  console.log(`${result.ok ? "ok  " : "FAIL"} ${result.name}${secs}${result.ok ? "" : `\n${result.error}`}`);
}

async function inNode(urls) {
  const sdk = await import(pathToFileURL(join(root, "pkg/node/index.mjs")).href);
  const ctx = makeContext(sdk, { urls, runtime: "node", extras: { inspect, listen } });
  const results = await runCases(sdk, ctx, { onResult: print, filter: (name) => !only || name.includes(only) });
  for (const note of ctx.notes) console.log(`     node: ${note}`);
  return results;
}

async function inChromium(urls) {
  const query = new URLSearchParams({ urls: JSON.stringify(urls), ...(only ? { only } : {}) });
  const results = await runPage({
    mounts: { "/pkg/": join(root, "pkg"), "/client/": here },
    page: `/client/page.html?${query}`,
    timeoutMs: 240_000,
    onLog: (msg) => {
      if (msg?.result) print(msg.result);
      if (msg?.note) console.log(`     browser: ${msg.note}`);
    },
  });
  // Failures to load the page arrive only in the final results.
  for (const r of results) if (!r.ok && r.ms === undefined) print(r);
  return results;
}

async function main() {
  const sandboxes = await startSandboxes();
  let passed = 0;
  let failed = 0;
  try {
    for (const runtime of runtimes) {
      let results;
      try {
        results = runtime === "node" ? await inNode(sandboxes.urls) : await inChromium(sandboxes.urls);
        if (results.length === 0) throw new Error("no case ran");
      } catch (err) {
        results = [{ name: `${runtime}: run the cases`, ok: false, error: String(err.stack || err) }];
        print(results[0]);
      }
      for (const r of results) r.ok ? passed++ : failed++;
    }
  } finally {
    await sandboxes.close();
  }
  console.log(`client: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
