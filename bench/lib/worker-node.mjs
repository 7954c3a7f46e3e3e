// Loads the worker example (worker-example/src/index.mjs, unchanged and unbundled) into this Node
// process for bench/worker-cpu.mjs, with the package's workerd code path (pkg/web glue with the
// .wasm compiled to a WebAssembly.Module and `initSync`ed, as pkg/workerd.mjs does) and every
// export of the package timed (`sdkClock`). A loader hook resolves `sendexa-whatsapp` to a
// generated module re-exporting the timed package, and `cloudflare:workers` to lib/worker-env.mjs
// (its stand-in DurableObject).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeTools, pkgDir, root } from "./common.mjs";

export const exampleDir = join(root, "worker-example");

// SDK time. A synchronous call counts from entry to return (or throw). A call that returns a
// promise (handleWebhook) counts from entry to settlement, minus the time spent in the caller's
// callbacks it runs meanwhile (the dedupe / window stores and onEvent in its options, wrapped here
// for that): what is left is the package's code (wasm and JS glue) and the platform work it asks
// for (reading the body, making the Response). Requests run one at a time and every binding is in
// memory, so nothing else runs while an SDK call is in flight. Calls the package makes to its own
// exports are not counted twice.
export const sdkClock = {
  ms: 0,
  calls: new Map(), // export name → calls
  reset() {
    this.ms = 0;
    this.calls.clear();
  },
};
let depth = 0;
let excludedMs = 0; // time in user callbacks during the SDK call in flight

const isPlainObject = (v) => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
const isThenable = (v) => v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";

/** A user callback the package calls: its time is excluded from the SDK call that runs it. */
function userCallback(fn, self) {
  return function (...args) {
    const start = performance.now();
    const finish = () => {
      excludedMs += performance.now() - start;
    };
    let result;
    try {
      result = fn.apply(self, args);
    } catch (err) {
      finish();
      throw err;
    }
    if (isThenable(result)) return Promise.resolve(result).finally(finish);
    finish();
    return result;
  };
}

/** The arguments, with functions and the methods of plain objects (two levels deep) made userCallbacks. */
function withTimedCallbacks(args) {
  const hasFns = (o, level) => Object.values(o).some((v) => typeof v === "function" || (level < 2 && isPlainObject(v) && hasFns(v, level + 1)));
  const wrap = (v, owner, level) => {
    if (typeof v === "function") return userCallback(v, owner);
    if (level > 2 || !isPlainObject(v) || !hasFns(v, level)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x, v, level + 1)]));
  };
  return args.some((a) => typeof a === "function" || (isPlainObject(a) && hasFns(a, 1))) ? args.map((a) => wrap(a, undefined, 1)) : args;
}

function timed(name, call) {
  sdkClock.calls.set(name, (sdkClock.calls.get(name) ?? 0) + 1);
  if (depth > 0) return call();
  depth++;
  excludedMs = 0;
  const start = performance.now();
  const done = () => {
    sdkClock.ms += performance.now() - start - excludedMs;
    excludedMs = 0;
    depth--;
  };
  let result;
  try {
    result = call();
  } catch (err) {
    done();
    throw err;
  }
  if (isThenable(result)) return Promise.resolve(result).finally(done);
  done();
  return result;
}

/**
 * The package's exports, initialised as pkg/workerd.mjs does and timed: functions wrapped,
 * classes behind a Proxy whose constructor is timed (so `instanceof` still works).
 */
export function instrument(glue, wasmPath) {
  glue.initSync({ module: new WebAssembly.Module(readFileSync(wasmPath)) });
  const out = {};
  for (const [name, value] of Object.entries(glue)) {
    if (name === "default" || name === "initSync" || typeof value !== "function") {
      out[name] = value;
    } else if (/^class\b/.test(Function.prototype.toString.call(value))) {
      out[name] = new Proxy(value, {
        construct: (target, args, newTarget) => {
          const timedArgs = withTimedCallbacks(args);
          return timed(name, () => Reflect.construct(target, timedArgs, newTarget));
        },
      });
    } else {
      out[name] = function (...args) {
        const timedArgs = withTimedCallbacks(args);
        return timed(name, () => value.apply(this, timedArgs));
      };
    }
  }
  return out;
}

/** The example's wrangler.toml as wrangler parses it (in a child process, keeping wrangler out of this heap). */
export function wranglerConfig() {
  const script = `const w = require(${JSON.stringify(join(nodeTools, "wrangler"))});
process.stdout.write(JSON.stringify(w.unstable_getMiniflareWorkerOptions(${JSON.stringify(join(exampleDir, "wrangler.toml"))}).workerOptions));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } }));
}

/** Imports worker-example/src/index.mjs against the timed package in `pkgDir`; its namespace. */
export async function importExample() {
  const glueUrl = pathToFileURL(join(pkgDir, "web/sendexa_whatsapp.js")).href;
  const names = Object.keys(await import(glueUrl)).filter((n) => n !== "default");
  const work = join(root, "target/bench/worker-cpu");
  mkdirSync(work, { recursive: true });
  const sdkModule = join(work, "sendexa-whatsapp.mjs");
  writeFileSync(
    sdkModule,
    `import * as glue from ${JSON.stringify(glueUrl)};
import { instrument } from ${JSON.stringify(import.meta.url)};
const sdk = instrument(glue, ${JSON.stringify(join(pkgDir, "sendexa_whatsapp_bg.wasm"))});
export const { ${names.join(", ")} } = sdk;
`,
  );
  const map = { "sendexa-whatsapp": pathToFileURL(sdkModule).href, "cloudflare:workers": new URL("./worker-env.mjs", import.meta.url).href };
  const hooks = `let map;
export function initialize(data) { map = data; }
export async function resolve(specifier, context, next) {
  return Object.hasOwn(map, specifier) ? { url: map[specifier], shortCircuit: true } : next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: map });
  return import(pathToFileURL(join(exampleDir, "src/index.mjs")).href);
}
