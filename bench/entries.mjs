#!/usr/bin/env node
// What each entry point of the package costs: the bytes it loads (the files its imports and
// requires reach, and the .wasm in whatever form that entry carries it; raw and gzip), and its cold
// start (fresh process or fresh browser profile: from the start of the import to the first
// validateMessage). Used to choose how each entry loads the .wasm (ARCHITECTURE.md).
//
//   node bench/entries.mjs [pkgDir …]       (default: pkg/; several to compare builds)
//
// Prints a Markdown table per package. Cold starts are medians of RUNS fresh processes (Node) or
// fresh profiles (Chromium).
import { execFileSync } from "node:child_process";
import { filesOf } from "./lib/files.mjs";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { runPage } from "../tests/support/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.ENTRY_RUNS || 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bytesOf(files) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const data = readFileSync(f);
    raw += data.length;
    // An already-compressed file goes over the wire as it is.
    gzip += f.endsWith(".gz") ? data.length : gzipSync(data, { level: 9 }).length;
  }
  return { raw, gzip };
}

/** One cold start in a fresh Node process, in ms. */
function nodeColdStart(pkgDir, entry, { noZlib = false } = {}) {
  const file = join(pkgDir, entry);
  const script = `
    ${noZlib ? "delete process.getBuiltinModule;" : ""}
    const t0 = performance.now();
    const sdk = ${entry.endsWith(".cjs") ? `require(${JSON.stringify(file)})` : `await import(${JSON.stringify(file)})`};
    sdk.validateMessage({ to: "233244000000", type: "text", text: { body: "Your order #123 has shipped" } });
    process.stdout.write(String(performance.now() - t0));`;
  const args = entry.endsWith(".cjs") ? ["-e", `(async () => { ${script} })()`] : ["--input-type=module", "-e", script];
  return Number(execFileSync(process.execPath, args, { encoding: "utf8" }));
}

/** One cold start in a fresh headless Chromium profile, in ms: a page imports the entry natively. */
async function browserColdStart(pkgDir, entry) {
  const dir = mkdtempSync(join(tmpdir(), "entry-cold-"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><script type="module">
      const t0 = performance.now();
      let result;
      try {
        const sdk = await import("/pkg/${entry}");
        sdk.validateMessage({ to: "233244000000", type: "text", text: { body: "Your order #123 has shipped" } });
        result = { name: "cold", ok: true, ms: performance.now() - t0 };
      } catch (err) { result = { name: "cold", ok: false, error: String(err) }; }
      await fetch("/result", { method: "POST", body: JSON.stringify({ results: [result] }) });
    </script>`,
  );
  try {
    const [result] = await runPage({ mounts: { "/pkg/": pkgDir, "/": dir }, page: "/index.html", profileDir: join(dir, "profile") });
    if (!result.ok) throw new Error(`${entry} in Chromium: ${result.error}`);
    return result.ms;
  } finally {
    // Chromium may still be writing its profile as it exits; the folder is in the temp dir anyway.
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 5000).unref();
  }
}

const ENTRIES = [
  { name: "Node, require", entry: "node/sendexa_whatsapp.cjs", node: true },
  { name: "Node, import", entry: "node/index.mjs", node: true },
  { name: "universal ES module (browser, Vite, Rollup, Bun, Node bundles) in Node", entry: "browser.mjs", node: true },
  { name: "universal ES module in Node without zlib (the browser's inflater)", entry: "browser.mjs", node: true, noZlib: true, needs: "web/inflate.js" },
  { name: "universal ES module in Chromium", entry: "browser.mjs", browser: true },
  { name: "webpack (browser)", entry: "webpack.mjs" },
  { name: "workerd", entry: "workerd.mjs" },
  { name: "edge-light", entry: "edge.mjs" },
];

const kb = (n) => (n / 1000).toFixed(1);
for (const pkgArg of process.argv.slice(2).length ? process.argv.slice(2) : [join(here, "../pkg")]) {
  const pkgDir = resolve(pkgArg);
  console.log(`\n### ${pkgDir}\n`);
  console.log("| entry | files | raw KB | gzip KB | cold start ms (median) |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const e of ENTRIES) {
    if (!existsSync(join(pkgDir, e.entry)) || (e.needs && !existsSync(join(pkgDir, e.needs)))) continue;
    const files = filesOf(pkgDir, e.entry);
    const { raw, gzip } = bytesOf(files);
    let cold = "–";
    try {
      const times = [];
      for (let i = 0; i < RUNS && (e.node || e.browser); i++) {
        times.push(e.node ? nodeColdStart(pkgDir, e.entry, e) : await browserColdStart(pkgDir, e.entry));
      }
      if (times.length) cold = median(times).toFixed(1);
    } catch (err) {
      cold = `fails: ${String(err.message).split("\n")[0].slice(0, 80)}`;
    }
    console.log(`| ${e.name} | ${files.length} | ${kb(raw)} | ${kb(gzip)} | ${cold} |`);
  }
}
