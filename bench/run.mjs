#!/usr/bin/env node
// `make bench`: runs every sub-benchmark, writes bench/RESULTS.md and bench/results.svg.
//
//   node bench/run.mjs [--repeats 5] [name.mjs …]   (default: every sub-benchmark)
//
// A sub-benchmark is any bench/*.mjs except this file and check-size-budget.mjs; it prints one JSON
// line per figure (the protocol is in lib/common.mjs). Each repeat runs it in a fresh Node process,
// so cold-start and JIT effects never leak from one to the next; figures are medians over the
// repeats, and each ratio (ours / the peer) is the median of the per-run ratios, since a peer is
// always measured in the same run as ours. Figures marked deterministic (sizes) run once.
import { execFileSync, spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir, installedVersion, median, nodeTools, root } from "./lib/common.mjs";
import { chart } from "./lib/chart.mjs";

// entries.mjs is a tool run by hand (its Markdown table is in ARCHITECTURE.md), not a sub-benchmark.
const NOT_SUB_BENCHMARKS = new Set(["run.mjs", "check-size-budget.mjs", "entries.mjs"]);
const args = process.argv.slice(2);
const repeatsAt = args.indexOf("--repeats");
const repeats = repeatsAt >= 0 ? Number(args.splice(repeatsAt, 2)[1]) : 5;
const files = args.length ? args : readdirSync(benchDir).filter((f) => f.endsWith(".mjs") && !NOT_SUB_BENCHMARKS.has(f)).sort();

// Snapshot the package (and wasm-bindgen's named .wasm) so that every sub-benchmark measures the
// same build even if pkg/ is rebuilt meanwhile, and refuse a dev build (unoptimised, with debug info).
const snapshot = join(root, "target/bench/pkg");
rmSync(snapshot, { recursive: true, force: true });
cpSync(join(root, "pkg"), snapshot, { recursive: true });
const namedWasm = join(root, "target/bench/named.wasm");
cpSync(join(root, "target/bindgen/named/sendexa_whatsapp_bg.wasm"), namedWasm);
if (readFileSync(join(snapshot, "sendexa_whatsapp_bg.wasm")).includes(".debug_")) {
  throw new Error("bench: pkg/ holds a dev build (debug info in the .wasm); run `make build` first");
}
const childEnv = { ...process.env, SENDEXA_BENCH_PKG: snapshot, SENDEXA_BENCH_NAMED_WASM: namedWasm };

/** Runs one sub-benchmark in a fresh process; its figures, or an error. */
function runOnce(file) {
  const r = spawnSync(process.execPath, [join(benchDir, file)], { encoding: "utf8", env: childEnv, timeout: 10 * 60_000, maxBuffer: 1 << 24 });
  const figures = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .filter((f) => typeof f.name === "string" && typeof f.value === "number");
  if (r.status !== 0 || !figures.length) return { error: `${file}: exit ${r.status ?? r.signal}, ${figures.length} figures\n${r.stderr.slice(-2000)}` };
  return { figures };
}

const samples = new Map(); // name → { figure, values, peers, ratios }
const failures = [];
const done = new Set();
for (let rep = 0; rep < repeats; rep++) {
  for (const file of files) {
    if (done.has(file)) continue;
    process.stderr.write(`bench: ${file} (run ${rep + 1}/${repeats})\n`);
    const r = runOnce(file);
    if (r.error) {
      failures.push(r.error);
      process.stderr.write(`bench: FAILED ${r.error}\n`);
      done.add(file);
      continue;
    }
    for (const f of r.figures) {
      if (!samples.has(f.name)) samples.set(f.name, { figure: f, file, values: [], peers: [], ratios: [] });
      const s = samples.get(f.name);
      s.values.push(f.value);
      if (f.peer) {
        s.peers.push(f.peer.value);
        s.ratios.push(f.value / f.peer.value);
      }
    }
    if (r.figures.every((f) => f.deterministic)) done.add(file);
  }
}

/** Whether a figure meets its target: `ratio>=10`, `value<5 && ratio<1`, …; null when it has none. */
function meets(target, value, ratio) {
  if (!target) return null;
  return target.split("&&").every((clause) => {
    const m = /^\s*(ratio|value)\s*(>=|<=|<|>)\s*([\d.]+)\s*$/.exec(clause);
    if (!m) throw new Error(`bench: cannot read target "${target}"`);
    const x = m[1] === "ratio" ? ratio : value;
    const y = Number(m[3]);
    return { ">=": x >= y, "<=": x <= y, "<": x < y, ">": x > y }[m[2]];
  });
}

const rows = [...samples.values()].map((s) => {
  const { figure } = s;
  const value = median(s.values);
  const peer = s.peers.length ? median(s.peers) : null;
  const ratio = s.ratios.length ? median(s.ratios) : null;
  const better = figure.better ?? (/\/s$/.test(figure.unit) ? "higher" : "lower");
  return { name: figure.name, unit: figure.unit, value, peerName: figure.peer?.name, peer, ratio, better, target: figure.target, met: meets(figure.target, value, ratio), runs: s.values.length, note: figure.note, file: s.file };
});

const num = (x, unit) => {
  if (x === null || x === undefined) return "";
  if (unit === "B") return Math.round(x).toLocaleString("en-US");
  if (unit === "ms") return x.toFixed(1);
  return Math.round(x).toLocaleString("en-US");
};
const SYMBOLS = { ">=": "≥", "<=": "≤", "<": "<", ">": ">" };
const targetText = (t) => (t ? t.replace(/\s*(>=|<=|<|>)\s*/g, (_, op) => ` ${SYMBOLS[op]} `).replace(/value/g, "ours").replace(/&&/g, "and") : "");
const metText = (m) => (m === null ? "" : m ? "met" : "**not met**");

function version(cmd, argv = ["--version"]) {
  try {
    return execFileSync(cmd, argv, { encoding: "utf8", env: { ...process.env, PATH: `${join(nodeTools, ".bin")}:${process.env.PATH}` } }).trim().split("\n")[0];
  } catch {
    return "not found";
  }
}

const cpu = cpus();
const table = [
  "| figure | ours | peer | peer's | ours / peer | better | target | |",
  "| --- | ---: | --- | ---: | ---: | --- | --- | --- |",
  ...rows.map((r) => `| ${r.name} | ${num(r.value, r.unit)} ${r.unit} | ${r.peerName ?? ""} | ${num(r.peer, r.unit)} | ${r.ratio === null ? "" : `${r.ratio.toFixed(r.ratio < 10 ? 2 : 1)}×`} | ${r.better} | ${targetText(r.target)} | ${metText(r.met)} |`),
];
const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
const md = [
  "# Benchmark results",
  "",
  "Written by `make bench` (`node bench/run.mjs`); do not edit by hand. Method: [bench/README.md](README.md).",
  "",
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
  `- Versions: Node ${process.version}; ${version("rustc")}; ${version("wasm-bindgen")}; wasm-opt ${version("wasm-opt").replace(/^wasm-opt /, "")}; Miniflare ${installedVersion("miniflare", nodeTools)}`,
  `- Peers: whatsapp-api-js ${installedVersion("whatsapp-api-js")}, libphonenumber-js ${installedVersion("libphonenumber-js")}, bundled by esbuild ${installedVersion("esbuild")}`,
  `- Medians of ${repeats} runs (each a fresh process; sizes once); ratios are ours / the peer's, the median of the per-run ratios.`,
  "",
  ...table,
  "",
  `Targets: ${rows.filter((r) => r.met === true).length} met, ${rows.filter((r) => r.met === false).length} not met.`,
  "",
  "![ours versus the peers](results.svg)",
  "",
  ...(notes.length ? ["Notes:", "", ...notes, ""] : []),
  ...(failures.length ? ["Failed sub-benchmarks:", "", ...failures.map((f) => `- \`${f.split("\n")[0]}\``), ""] : []),
];
writeFileSync(join(benchDir, "RESULTS.md"), md.join("\n"));
writeFileSync(join(benchDir, "results.svg"), chart(rows.filter((r) => r.ratio !== null)));

console.log(table.join("\n"));
console.log(`\nbench: wrote bench/RESULTS.md and bench/results.svg (${rows.length} figures, ${failures.length} failed sub-benchmarks)`);
if (failures.length) process.exitCode = 1;
