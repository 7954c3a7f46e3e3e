#!/usr/bin/env node
// A local Sendexa WhatsApp API sandbox: the documented contract as a server (see README.md).
//
//   node tests/sandbox/server.mjs --port 0 --token <token> [--webhook-url <url> --webhook-secret <s>]
//   import { start } from "./server.mjs"; const { url, close } = await start({ tokens: ["t"] });
//
// Node 20 standard library only. Written from the API reference, independently of the SDK: it
// is the oracle the SDK is tested against, so it must never import the SDK's code.
import http from "node:http";
import { pathToFileURL } from "node:url";
import { Clock, Scheduler } from "./lib/clock.mjs";
import { resolveOptions, parseArgs } from "./lib/config.mjs";
import { State } from "./lib/store.mjs";
import { TemplateStore } from "./lib/templates.mjs";
import { RateLimiter } from "./lib/limits.mjs";
import { Webhooks } from "./lib/webhooks.mjs";
import { Faults } from "./lib/faults.mjs";
import { Failures } from "./lib/failures.mjs";
import { Lifecycle, MAGIC } from "./lib/lifecycle.mjs";
import { apiRoutes } from "./lib/api.mjs";
import { controlRoutes } from "./lib/control.mjs";
import { createHandler } from "./lib/app.mjs";

export { MAGIC };

/** Builds the sandbox's parts (no network). */
function createSandbox(options) {
  const clock = new Clock({ timeScale: options.timeScale, startMs: options.startMs });
  const scheduler = new Scheduler(clock);
  const state = new State({ clock });
  const templates = new TemplateStore({ clock, scheduler, reviewMs: options.templateReviewMs });
  const limiter = new RateLimiter({ clock, limits: options.limits });
  const webhooks = new Webhooks({
    clock, scheduler, timeoutMs: options.webhookTimeoutMs, schedule: options.webhookRetrySchedule,
    config: { url: options.webhookUrl, secret: options.webhookSecret, shape: options.webhookShape },
  });
  const faults = new Faults({ seed: options.seed, rules: options.faults });
  const failures = new Failures();
  const lifecycle = new Lifecycle({ state, scheduler, clock, webhooks, failures });
  const sandbox = { options, clock, scheduler, state, templates, limiter, webhooks, faults, failures, lifecycle };
  sandbox.reset = () => {
    // Order matters: the clock first, so everything rebuilt below is stamped with its time.
    scheduler.clear();
    clock.reset();
    state.reset();
    templates.reset();
    limiter.reset();
    webhooks.reset();
    faults.reset();
    failures.reset();
  };
  return sandbox;
}

/**
 * Starts the sandbox. Resolves to `{ url, port, close, sandbox }`; `close()` stops the server,
 * its timers and webhook connections.
 */
export async function start(input = {}) {
  const options = resolveOptions(input);
  const sandbox = createSandbox(options);
  const handler = createHandler(sandbox, { apiRoutes: apiRoutes({ ...sandbox }), controlRoutes: controlRoutes(sandbox) });
  const server = http.createServer({ keepAliveTimeout: 5000 }, handler);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address();
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  let closing = null;
  const close = () => (closing ||= new Promise((resolve) => {
    sandbox.scheduler.close();
    sandbox.webhooks.close();
    sandbox.cancelDelays();
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return { url, port, close, sandbox };
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(args.help);
    return;
  }
  const { url, close } = await start(args);
  process.stdout.write(`SANDBOX_URL=${url}\n`);
  const stop = () => close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] || "").href) {
  main().catch((err) => {
    process.stderr.write(`sandbox failed to start: ${err.stack || err}\n`);
    process.exit(1);
  });
}
