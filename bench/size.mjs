#!/usr/bin/env node
// Bytes a user ships, ours versus the peers' bundles (esbuild, minified, ESM, browser), raw, gzip
// (level 9) and brotli (quality 11), each file compressed on its own as a server sends it:
//   browser/worker: what browser.mjs reaches, the .wasm inline (what `import "sendexa-whatsapp"` loads there)
//   Node:           what a Node process reads from the package to import node/index.mjs and
//                   validate a message (traced: the entry loads each build on first use)
//   bundled:        browser.mjs bundled by esbuild like the peers (minified), the .wasm inline
// Also writes bench/SIZE.md: what takes the space in the .wasm (see lib/wasm-size.mjs).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle, PEERS } from "./lib/bundle.mjs";
import { benchDir, emit, filesSizes, namedWasm, pkgDir, sizes } from "./lib/common.mjs";
import { filesOf, nodeLoads, VALIDATE_JOB } from "./lib/files.mjs";
import { breakdown } from "./lib/wasm-size.mjs";

const WASM = join(pkgDir, "sendexa_whatsapp_bg.wasm");
const jsIn = (dir) => readdirSync(join(pkgDir, dir)).filter((f) => /\.(c|m)?js$/.test(f)).map((f) => join(pkgDir, dir, f));

async function main() {
  // The files each entry reaches: the universal entry carries the .wasm inline (web/wasm-inline.js).
  const browser = filesSizes(filesOf(pkgDir, "browser.mjs"));
  // Node: what a fresh process reads from the package, traced (the entry loads each build on first use).
  const node = filesSizes(nodeLoads(pkgDir, "node/index.mjs", VALIDATE_JOB));
  const nodeClient = filesSizes(nodeLoads(pkgDir, "node/index.mjs", `${VALIDATE_JOB} new sdk.Sendexa({ apiKey: "k", apiSecret: "s" });`));
  const bundled = sizes(await bundle('export * from "./browser.mjs";', { resolveDir: pkgDir }));
  const wasm = sizes(readFileSync(WASM));

  const peer = {};
  for (const [key, p] of Object.entries(PEERS)) peer[key] = { name: p.name, ...sizes(await bundle(p.source)) };
  const fig = (name, ours, p, kind, extra = {}) =>
    emit({ name, value: ours[kind], unit: "B", peer: { name: `${p.name} (${kind})`, value: p[kind] }, better: "lower", deterministic: true, ...extra });

  for (const kind of ["raw", "gzip", "brotli"]) fig(`size, browser/worker, ${kind}`, browser, peer.both, kind);
  // Issue 9: the whole package gzipped smaller than libphonenumber-js (max) alone.
  fig("size, browser/worker vs libphonenumber-js alone, gzip", browser, peer.phone, "gzip", { target: "ratio<1" });
  fig("size, browser/worker vs whatsapp-api-js alone, gzip", browser, peer.whatsapp, "gzip");
  // Issue 18: what a Node process loads from the package to import it and validate a message.
  fig("size, Node, gzip", node, peer.both, "gzip", { target: "value<=100000" });
  // Issue 18: `sendexa-whatsapp/messages` (all a sign-up form needs) below the phone library alone.
  const messagesNode = filesSizes(nodeLoads(pkgDir, "messages/node/index.mjs", VALIDATE_JOB));
  fig("size, sendexa-whatsapp/messages in Node vs libphonenumber-js alone, gzip", messagesNode, peer.phone, "gzip", { target: "ratio<1" });
  // What a process that also sends loads: both builds when it validated first (one when it did not).
  fig("size, Node, gzip: import, validate, then a client", nodeClient, peer.both, "gzip");
  fig("size, bundled like the peers, gzip", bundled, peer.both, "gzip");
  fig("size, .wasm alone, gzip", wasm, peer.both, "gzip");

  writeFileSync(join(benchDir, "SIZE.md"), breakdown(namedWasm, WASM));
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
