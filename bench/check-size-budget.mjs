#!/usr/bin/env node
// `make test`'s size budget: fails when a gzipped (level 9) release .wasm in pkg/, or what Node reads
// to import the package and validate a message, has grown past the committed budget in
// bench/size-budget.json, or when float formatting or parsing, or core's substring searcher, is back in it. Raise the budget in the same commit as a change
// that is worth its bytes; lower it when a change saves some.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchDir, filesSizes, pkgDir } from "./lib/common.mjs";
import { nodeLoads, VALIDATE_JOB } from "./lib/files.mjs";

const budget = JSON.parse(readFileSync(join(benchDir, "size-budget.json"), "utf8"));
let over = false;
for (const [file, allowed] of Object.entries(budget.wasmGzipBytes)) {
  const gzip = gzipSync(readFileSync(join(pkgDir, file)), { level: 9 }).length;
  const line = `pkg/${file}: ${gzip} B gzip, budget ${allowed} B`;
  if (gzip > allowed) {
    console.error(`size budget exceeded: ${line} (+${gzip - allowed} B)`);
    over = true;
  } else {
    console.log(`size budget ok: ${line}`);
  }
}

// Issue 18's Node target: the files a fresh Node process reads to import the entry and validate a
// message (traced, since the entry loads each build on first use), each gzipped, summed.
for (const [entry, allowed] of Object.entries(budget.nodeGzipBytes)) {
  const files = nodeLoads(pkgDir, entry, VALIDATE_JOB);
  const { gzip } = filesSizes(files);
  const line = `pkg/${entry} + validateMessage reads ${files.length} files, ${gzip} B gzip, budget ${allowed} B`;
  if (gzip > allowed) {
    console.error(`size budget exceeded: ${line} (+${gzip - allowed} B): ${files.map((f) => f.slice(pkgDir.length)).join(", ")}`);
    over = true;
  } else {
    console.log(`size budget ok: ${line}`);
  }
}

// A lever kept (issue 18): no float formatting or parsing in either .wasm (about 13 KB gzip). The
// builds with function names (scripts/build.sh) tell which code is in: `{}` of an f64 or
// `str::parse::<f64>` brings core's float algorithms back; print integers and read numbers with
// engine::json::parse_f64 instead.
const named = ["target/bindgen/named/sendexa_whatsapp_bg.wasm", "target/bindgen-messages/named/sendexa_whatsapp_bg.wasm"];
for (const file of named) {
  const names = readFileSync(join(benchDir, "..", file));
  for (const marker of ["fmt::float", "dec2flt", "flt2dec"]) {
    if (names.includes(marker)) {
      console.error(`${file}: float ${marker.includes("dec2") ? "parsing" : "formatting"} is back in the .wasm (${marker})`);
      over = true;
    }
  }
  // Another (session 10, about 5 KB gzip in each build): `str::contains("…")`, `split_once("…")`,
  // `replace`, `find` or `trim_*_matches` with a string pattern bring core's two-way searcher, and
  // its panic message brings `Debug` of chars and Unicode's printable tables; `{:?}` of a string
  // brings them too. Use engine::text's searches and engine::json::Quoted instead.
  for (const marker of ["StrSearcher", "unicode::printable"]) {
    if (names.includes(marker)) {
      console.error(`${file}: ${marker} is back in the .wasm: search with engine::text, quote with engine::json::Quoted`);
      over = true;
    }
  }
}
process.exitCode = over ? 1 : 0;
