#!/usr/bin/env node
// Cold start in Node: a fresh process per measurement (lib/cold-child.mjs), timing from the start
// of `import` to the first result: ours compiles + instantiates the .wasm and validates a text
// message; the peers import whatsapp-api-js and libphonenumber-js/max, validate the number and
// build the same message. Process start-up itself is not counted (it is the same for both).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { benchDir, emit, median } from "./lib/common.mjs";

const child = join(benchDir, "lib/cold-child.mjs");
const once = (which) => Number(execFileSync(process.execPath, [child, which], { encoding: "utf8" }).trim());
// Three of each, alternating, per run (bench/run.mjs repeats the run in fresh processes too).
const ours = [];
const peer = [];
for (let i = 0; i < 3; i++) {
  ours.push(once("ours"));
  peer.push(once("peer"));
}
emit({ name: "cold start, Node: import to first validateMessage", value: median(ours), unit: "ms", peer: { name: "whatsapp-api-js + libphonenumber-js/max import + first call", value: median(peer) }, target: "ratio<=0.25", better: "lower" });
