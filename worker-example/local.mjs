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
 *
 * `routes` (`{ "https://media.example.com": "http://127.0.0.1:4010" }`) sends the Worker's requests
 * for an origin to another, as DNS would send a CDN's name to its servers: a local server (the
 * sandbox's /media/ files) can then stand in for a public HTTPS host. With routes, every outbound
 * request of this Worker passes through this process; `onRoute({ method, url, status, headers })`
 * sees each routed one.
 */
export async function startWorker({ vars = {}, port = 0, bundle = true, routes, onRoute } = {}) {
  if (bundle) bundleWorker();
  const { unstable_getMiniflareWorkerOptions } = require(join(tools, "wrangler"));
  const { Miniflare, fetch: outboundFetch } = await import(join(tools, "miniflare/dist/src/index.js"));
  const outbound = routes && {
    outboundService: async (request) => {
      const url = new URL(request.url);
      const target = routes[url.origin];
      const bodyless = request.method === "GET" || request.method === "HEAD";
      const response = await outboundFetch(target ? `${target}${url.pathname}${url.search}` : request.url, {
        method: request.method,
        headers: request.headers,
        body: bodyless ? undefined : await request.arrayBuffer(),
        redirect: "manual",
      });
      if (target) onRoute?.({ method: request.method, url: request.url, status: response.status, headers: response.headers });
      return response;
    },
  };
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
    ...outbound,
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { url, mf, dispose: () => mf.dispose() };
}
