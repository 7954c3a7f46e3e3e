#!/usr/bin/env node
// `make test`'s size budget: fails when the gzipped (level 9) release .wasm in pkg/ has grown past
// the committed budget in bench/size-budget.json. Raise the budget in the same commit as a change
// that is worth its bytes; lower it when a change saves some.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchDir, pkgDir } from "./lib/common.mjs";

const budget = JSON.parse(readFileSync(join(benchDir, "size-budget.json"), "utf8"));
const gzip = gzipSync(readFileSync(join(pkgDir, "sendexa_whatsapp_bg.wasm")), { level: 9 }).length;
const line = `pkg/sendexa_whatsapp_bg.wasm: ${gzip} B gzip, budget ${budget.wasmGzipBytes} B`;
if (gzip > budget.wasmGzipBytes) {
  console.error(`size budget exceeded: ${line} (+${gzip - budget.wasmGzipBytes} B)`);
  process.exit(1);
}
console.log(`size budget ok: ${line}`);
