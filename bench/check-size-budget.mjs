#!/usr/bin/env node
// `make test`'s size budget: fails when a gzipped (level 9) release .wasm in pkg/ has grown past
// the committed budget in bench/size-budget.json. Raise the budget in the same commit as a change
// that is worth its bytes; lower it when a change saves some.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchDir, pkgDir } from "./lib/common.mjs";

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
process.exitCode = over ? 1 : 0;
