#!/usr/bin/env node
// Bytes a user ships, ours versus the peers' bundles (esbuild, minified, ESM, browser), raw, gzip
// (level 9) and brotli (quality 11), each file compressed on its own as a server sends it:
//   browser/worker: browser.mjs + web/*.js + the .wasm (what `import "sendexa-whatsapp"` loads there)
//   Node:           node/* + the .wasm
//   bundled:        browser.mjs bundled by esbuild like the peers (glue minified) + the .wasm
// Also writes bench/SIZE.md: what takes the space in the .wasm (see lib/wasm-size.mjs).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle, PEERS } from "./lib/bundle.mjs";
import { benchDir, emit, filesSizes, namedWasm, pkgDir, sizes } from "./lib/common.mjs";
import { breakdown } from "./lib/wasm-size.mjs";

const WASM = join(pkgDir, "sendexa_whatsapp_bg.wasm");
const jsIn = (dir) => readdirSync(join(pkgDir, dir)).filter((f) => /\.(c|m)?js$/.test(f)).map((f) => join(pkgDir, dir, f));

async function main() {
  const browser = filesSizes([join(pkgDir, "browser.mjs"), ...jsIn("web"), WASM]);
  const node = filesSizes([...jsIn("node"), WASM]);
  const glue = await bundle('export * from "./browser.mjs";', { resolveDir: pkgDir, external: ["*.wasm"] });
  const bundled = sizes(glue);
  const wasm = sizes(readFileSync(WASM));
  for (const k of Object.keys(bundled)) bundled[k] += wasm[k];

  const peer = {};
  for (const [key, p] of Object.entries(PEERS)) peer[key] = { name: p.name, ...sizes(await bundle(p.source)) };
  const fig = (name, ours, p, kind, extra = {}) =>
    emit({ name, value: ours[kind], unit: "B", peer: { name: `${p.name} (${kind})`, value: p[kind] }, better: "lower", deterministic: true, ...extra });

  for (const kind of ["raw", "gzip", "brotli"]) fig(`size, browser/worker, ${kind}`, browser, peer.both, kind);
  // Issue 9: the whole package gzipped smaller than libphonenumber-js (max) alone.
  fig("size, browser/worker vs libphonenumber-js alone, gzip", browser, peer.phone, "gzip", { target: "ratio<1" });
  fig("size, browser/worker vs whatsapp-api-js alone, gzip", browser, peer.whatsapp, "gzip");
  fig("size, Node, gzip", node, peer.both, "gzip");
  fig("size, bundled like the peers, gzip", bundled, peer.both, "gzip");
  fig("size, .wasm alone, gzip", wasm, peer.both, "gzip");

  writeFileSync(join(benchDir, "SIZE.md"), breakdown(namedWasm, WASM));
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
