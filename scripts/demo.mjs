// `make demo`: bundles worker-example/ with wrangler (as `wrangler deploy` would) and runs it in
// workerd through Miniflare, then calls it as a client would and prints what it answered.
import { execFileSync } from "node:child_process";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const example = join(root, "worker-example");
const tools = join(root, "scripts/node-tools/node_modules");

execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: example, stdio: "inherit" });
execFileSync(join(tools, ".bin/wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
  cwd: example,
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
});

const { Miniflare } = await import(join(tools, "miniflare/dist/src/index.js"));
const mf = new Miniflare({
  modules: true,
  scriptPath: join(example, "dist/index.js"),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  compatibilityDate: "2026-04-01",
  cf: false,
});
try {
  const info = await (await mf.dispatchFetch("http://localhost/")).json();
  console.log(`${info.sdk} ${info.version} is running inside workerd`);
  const phone = await (await mf.dispatchFetch("http://localhost/phone?number=024%20400%200000&region=GH")).json();
  console.log(`GET /phone?number=024 400 0000&region=GH -> ${JSON.stringify(phone)}`);
} finally {
  await mf.dispose();
}
