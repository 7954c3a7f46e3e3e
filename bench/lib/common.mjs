// Helpers shared by the sub-benchmarks in bench/*.mjs (this folder holds no sub-benchmark itself,
// so bench/run.mjs does not pick it up).
//
// The protocol between a sub-benchmark and bench/run.mjs: one JSON object per stdout line,
//   {"name", "value", "unit", "peer"?: {"name", "value"}, "target"?: "ratio>=10", "better"?: "higher"|"lower",
//    "deterministic"?: true, "note"?: "…"}
// `target` is checked by run.mjs: `ratio` is ours / the peer's, `value` is ours; the operators are
// >=, <=, > and <. `deterministic` figures (sizes) are measured once instead of once per repeat.
import { gzipSync, brotliCompressSync, constants as zlib } from "node:zlib";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandboxChild as startChild } from "../../tests/sandbox/child.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const benchDir = join(root, "bench");
/**
 * The package under test: bench/run.mjs snapshots pkg/ at its start and points every sub-benchmark
 * at the copy (SENDEXA_BENCH_PKG), so a rebuild of pkg/ during the run cannot mix two builds.
 */
export const pkgDir = process.env.SENDEXA_BENCH_PKG || join(root, "pkg");
/** wasm-bindgen's output with function names, for bench/SIZE.md (snapshotted likewise). */
export const namedWasm = process.env.SENDEXA_BENCH_NAMED_WASM || join(root, "target/bindgen/named/sendexa_whatsapp_bg.wasm");
/** Wrangler's toolbox (esbuild's twin, Miniflare, wasm-opt), installed by scripts/setup.sh. */
export const nodeTools = join(root, "scripts/node-tools/node_modules");

/** Prints one figure for bench/run.mjs. */
export function emit(figure) {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes of some bytes. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The sizes of several files together: each compressed on its own (as served), then summed. */
export function filesSizes(paths) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const p of paths) {
    const s = sizes(readFileSync(p));
    for (const k of Object.keys(total)) total[k] += s[k];
  }
  return total;
}

/**
 * Calls `fn` repeatedly for about `ms` milliseconds and returns calls per second. `fn` gets the
 * iteration number; `batch` calls run between clock reads so the clock does not dominate.
 */
export function opsPerSecond(fn, { ms = 400, batch = 100 } = {}) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn(n + i);
    n += batch;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/** The async twin of opsPerSecond, for APIs that only exist as promises (WebCrypto). */
export async function opsPerSecondAsync(fn, { ms = 400, batch = 50 } = {}) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) await fn(n + i);
    n += batch;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/**
 * Measures several sides in alternating rounds (so a noisy moment hurts all alike), after a
 * warm-up for the JIT. Each measurer takes a duration in ms and returns a rate (or a promise of
 * one); returns the median rate of each side.
 */
export async function alternate(measurers, { rounds = 5, ms = 300 } = {}) {
  for (const measure of measurers) await measure(150);
  const rates = measurers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, measure] of measurers.entries()) rates[i].push(await measure(ms));
  }
  return rates.map(median);
}

/** Ours versus the peer, synchronous calls: the median rates, as `alternate` measures them. */
export async function compareRates(ours, peer, { batch, ...options } = {}) {
  const [a, b] = await alternate([(ms) => opsPerSecond(ours, { ms, batch }), (ms) => opsPerSecond(peer, { ms, batch })], options);
  return { ours: a, peer: b };
}

export function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The installed version of a package in bench/node_modules (or another node_modules). */
export function installedVersion(name, modules = join(benchDir, "node_modules")) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

/** A deterministic generator (xorshift32), so every run and both sides see the same inputs. */
export function rng(seed = 0x9e3779b9) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/**
 * Starts `tests/sandbox/server.mjs --no-limits` as a child process (so a load generator does not
 * share its event loop) and resolves with `{ url, stop }` once it prints its URL.
 */
export function startSandboxChild(token) {
  return startChild({ token, args: ["--no-limits"] });
}
