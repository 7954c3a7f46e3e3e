// Consumer tests: `npm pack` the built package, install the tarball into small projects the way users
// do, and run each in its real runtime: Node (CommonJS and ES module), Deno, Bun, workerd (bundled by
// wrangler, run by Miniflare) and headless Chromium (a native ES module page).
//
//   node tests/consumers/run.mjs [name …]     (default: all six)
//
// Prints a line per check and a closing `N passed, N failed`; exits 1 on any failure or when a
// consumer reports nothing (a consumer that ran no check is a failure, never a pass).
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runPage } from "../support/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = (name) => join(root, "scripts/node-tools/node_modules/.bin", name);
const work = join(here, ".work");
const TIMEOUT_MS = 90_000;

/** Runs a command; resolves with its output, rejects with it on a non-zero exit or a timeout. */
function run(cmd, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code ?? signal}:\n${out}`));
    });
  });
}

function resultsFromOutput(output) {
  const line = output.split("\n").find((l) => l.startsWith("CONSUMER_RESULT "));
  if (!line) throw new Error(`no CONSUMER_RESULT line in:\n${output}`);
  return JSON.parse(line.slice("CONSUMER_RESULT ".length)).results;
}

/** Copies a consumer's fixture and the shared checks into a fresh project that depends on the tarball. */
function prepare(name, tarball) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(here, name), dir, { recursive: true });
  cpSync(join(here, "check.mjs"), join(dir, "check.mjs"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: `consumer-${name}`, private: true, dependencies: { "sendexa-whatsapp": `file:${tarball}` } }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: dir });
  return dir;
}

const env = (version) => ({ ...process.env, SDK_EXPECTED_VERSION: version, NO_COLOR: "1" });

const consumers = {
  async "node-cjs"(dir, version) {
    return resultsFromOutput(await run(process.execPath, ["index.cjs"], { cwd: dir, env: env(version) }));
  },
  async "node-esm"(dir, version) {
    return resultsFromOutput(await run(process.execPath, ["index.mjs"], { cwd: dir, env: env(version) }));
  },
  async deno(dir, version) {
    // No V8 code cache: an npm tarball gives every file the same fixed mtime, so a rebuilt glue of
    // the same size (one import renumbered) ran Deno's stale compiled copy ("import3 is not defined").
    const args = ["run", "--no-prompt", "--no-code-cache", "--allow-read", "--allow-env=SDK_EXPECTED_VERSION", "main.mjs"];
    return resultsFromOutput(await run(bin("deno"), args, { cwd: dir, env: { ...env(version), DENO_NO_UPDATE_CHECK: "1" } }));
  },
  async bun(dir, version) {
    return resultsFromOutput(await run(bin("bun"), ["main.mjs"], { cwd: dir, env: env(version) }));
  },
  async workerd(dir, version) {
    const { Miniflare } = await import(join(root, "scripts/node-tools/node_modules/miniflare/dist/src/index.js"));
    const results = [];
    // worker.mjs runs every check; named.mjs uses named imports only, as most Workers do, so
    // the bundler's tree-shaking by `sideEffects` is exercised too.
    for (const entry of ["worker.mjs", "named.mjs"]) {
      const outdir = `dist-${entry.replace(".mjs", "")}`;
      // Bundle as `wrangler deploy` does (conditions workerd/worker/browser, .wasm as a module).
      await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", outdir, entry], {
        cwd: dir,
        env: { ...env(version), WRANGLER_SEND_METRICS: "false", CI: "true" },
      });
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(dir, outdir, entry.replace(".mjs", ".js")),
        modulesRules: [
          { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
          { type: "CompiledWasm", include: ["**/*.wasm"] },
        ],
        compatibilityDate: "2026-04-01",
        bindings: { SDK_EXPECTED_VERSION: version },
        cf: false,
      });
      try {
        const response = await mf.dispatchFetch("http://localhost/");
        const text = await response.text();
        try {
          results.push(...JSON.parse(text).results);
        } catch {
          results.push({ name: `${entry} answered`, ok: false, error: text });
        }
      } finally {
        await mf.dispose();
      }
    }
    return results;
  },
  async browser(dir, version) {
    return runInChromium(dir, version);
  },
};

/** Serves `dir` on loopback, opens the page in headless Chromium and waits for it to POST its results. */
function runInChromium(dir, version) {
  return runPage({
    mounts: { "/": dir },
    page: `/index.html?version=${encodeURIComponent(version)}`,
    timeoutMs: TIMEOUT_MS,
    profileDir: join(dir, ".chromium-profile"),
  });
}

const EXPECTED_FILES = [
  "ERRORS.md",
  "LICENSE-APACHE",
  "LICENSE-MIT",
  "NOTICE",
  "README.md",
  "browser.mjs",
  "edge.mjs",
  "index.d.cts",
  "index.d.ts",
  "messages/browser.mjs",
  "messages/edge.mjs",
  "messages/index.d.cts",
  "messages/index.d.ts",
  "messages/node/index.cjs",
  "messages/node/index.mjs",
  "messages/node/sendexa_whatsapp.cjs",
  "messages/sendexa_whatsapp_bg.wasm",
  "messages/sendexa_whatsapp_bg.wasm.gz",
  "messages/web/glue.js",
  "messages/web/inflate.js",
  "messages/web/objects.js",
  "messages/web/sendexa_whatsapp.d.ts",
  "messages/web/sendexa_whatsapp.js",
  "messages/web/wasm-inline.js",
  "messages/webpack.mjs",
  "messages/workerd.mjs",
  "node/driver.cjs",
  "node/index.cjs",
  "node/index.mjs",
  "node/media-link.cjs",
  "node/node-webhook.cjs",
  "node/sendexa-error.cjs",
  "node/sendexa_whatsapp.cjs",
  "package.json",
  "sendexa_whatsapp_bg.wasm",
  "sendexa_whatsapp_bg.wasm.gz",
  "web/driver.js",
  "web/glue.js",
  "web/inflate.js",
  "web/media-link.js",
  "web/node-webhook.js",
  "web/objects.js",
  "web/sendexa-error.js",
  "web/sendexa_whatsapp.d.ts",
  "web/sendexa_whatsapp.js",
  "web/wasm-inline.js",
  "webpack.mjs",
  "workerd.mjs",
].sort();

async function main() {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(consumers);
  const pkgDir = join(root, "pkg");
  const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: pkgDir }));
  const tarball = join(work, packed[0].filename);

  let passed = 0;
  let failed = 0;
  // The tarball holds what the entry points need and nothing else (no snippets/, maps, sources).
  const packedFiles = packed[0].files.map((f) => f.path).sort();
  const missing = EXPECTED_FILES.filter((f) => !packedFiles.includes(f));
  const extra = packedFiles.filter((f) => !EXPECTED_FILES.includes(f));
  const packOk = missing.length === 0 && extra.length === 0;
  console.log(`${packOk ? "ok  " : "FAIL"} pack: the tarball holds exactly the package's files${packOk ? "" : `\nmissing: ${missing}; unexpected: ${extra}`}`);
  if (packOk) passed++;
  else failed++;
  for (const name of names) {
    if (!consumers[name]) throw new Error(`unknown consumer ${name}`);
    let results;
    try {
      results = await consumers[name](prepare(name, tarball), version);
      if (!Array.isArray(results) || results.length === 0) throw new Error("the consumer ran no check");
    } catch (err) {
      results = [{ name: "run the consumer", ok: false, error: String(err.stack || err) }];
    }
    for (const r of results) {
      console.log(`${r.ok ? "ok  " : "FAIL"} ${name}: ${r.name}${r.ok ? "" : `\n${r.error}`}`);
      if (r.ok) passed++;
      else failed++;
    }
  }
  console.log(`consumers: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
