// Runs this Worker locally in workerd, configured from wrangler.toml exactly as `wrangler dev`
// would (Queues, the Durable Object, KV, vars), on a loopback port. `make demo` and the worker
// tests use it:
//
//   const worker = await startWorker({ vars: { SENDEXA_BASE_URL: sandboxUrl, … } });
//   await fetch(`${worker.url}/notify`, …);  …  await worker.dispose();
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const tools = resolve(here, "../scripts/node-tools/node_modules");
const require = createRequire(import.meta.url);

/** Installs the package the examples import (`file:../pkg`, so run `make build` first). */
export function installPackage() {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: here });
}

/** Installs the package and bundles the Worker as `wrangler deploy` does. */
export function bundleWorker() {
  installPackage();
  execFileSync(join(tools, ".bin/wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
    cwd: here,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
}

/**
 * Starts the bundled Worker. `vars` override wrangler.toml's vars and supply the secrets
 * (SENDEXA_TOKEN, SENDEXA_WEBHOOK_SECRET, NOTIFY_SECRET). Returns `{ url, mf, dispose }`.
 */
export async function startWorker({ vars = {}, port = 0, bundle = true } = {}) {
  if (bundle) bundleWorker();
  const { unstable_getMiniflareWorkerOptions } = require(join(tools, "wrangler"));
  const { Miniflare } = await import(join(tools, "miniflare/dist/src/index.js"));
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(here, "wrangler.toml"));
  const mf = new Miniflare({
    ...workerOptions,
    modules: true,
    scriptPath: join(here, "dist/index.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    bindings: { ...workerOptions.bindings, ...vars },
    host: "127.0.0.1",
    port,
    cf: false,
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { url, mf, dispose: () => mf.dispose() };
}
