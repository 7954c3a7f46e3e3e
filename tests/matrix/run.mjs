// The consumer matrix (issue #17, "Where users build"): the packed npm tarball inside the bundlers
// and frameworks users deploy with, each at its default configuration — esbuild and Bun bundles run
// from an empty folder (like a Lambda zip), Vite 5/6/7 (build and dev server), webpack 5 and Rollup 4
// in headless Chromium, Next.js 15 (Node route, edge route, middleware), Hono on workerd and Node,
// and signed webhooks through Express and Fastify.
//
//   node tests/matrix/run.mjs [row …]     (a row is a case name or its prefix: esbuild, vite6, next, …)
//   MATRIX_TARBALL=x.tgz node tests/matrix/run.mjs …   (check that tarball instead of packing pkg/)
//
// Every case makes real calls into the package and checks the answers. A case fails on a build or
// run error, a wrong answer, or any warning line (build, server or browser console) that names the
// package or the loading of its .wasm; a case that does not run counts as a failure. Prints one line
// per case and ends with `matrix: N passed, N failed`; exits 1 on any failure. Everything each case's
// commands printed is kept in tests/matrix/.work/<case>.log.
//
// The tools come from tests/matrix/node_modules (pinned by package-lock.json, installed by
// scripts/setup.sh): each fixture is copied to tests/matrix/.work/<case>/, the tarball is npm-installed
// there, and the tools resolve by walking up to tests/matrix/node_modules. The package comes only
// from the tarball of pkg/ (this script never builds it). Node bundles run from a temporary folder
// outside the repository, with the work dir they were built in renamed away.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { runPage } from "../support/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const work = join(here, ".work");
const modules = join(here, "node_modules");
const nodeTool = (name) => join(root, "scripts/node-tools/node_modules/.bin", name);
const tool = (name) => join(modules, ".bin", name);
const vite = (major) => join(modules, `vite${major}`, "bin/vite.js");

const CASE_TIMEOUT_MS = 360_000;
const BUILD_TIMEOUT_MS = 180_000;
const RUN_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 40_000;
const SECRET = "whsec_matrix";
const GOOD = "+233 24 400 0000";
const BAD = "call me";
const EXPECTED_GOOD = {
  to: "233244000000",
  message: { to: "233244000000", type: "text", text: { body: "Your order #123 has shipped" } },
};

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs a command in its own process group; resolves `{ code, out }` (stdout + stderr), never rejects. */
function exec(cmd, args, { cwd, env = {}, timeoutMs = BUILD_TIMEOUT_MS } = {}) {
  return new Promise((done) => {
    const child = track(spawn(cmd, args, { cwd, env: { ...baseEnv(), ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n[matrix] ${cmd} ${args.join(" ")}: killed after ${timeoutMs / 1000} s`;
      killGroup(child);
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ code: -1, out: `${out}\n${cmd}: ${err.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      caseLog.push(`$ (in ${cwd}) ${cmd} ${args.join(" ")}\n${out}\n[exit ${code ?? signal}]\n`);
      done({ code: code ?? signal, out });
    });
  });
}

function baseEnv() {
  return {
    ...process.env,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    CI: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    WRANGLER_SEND_METRICS: "false",
    DO_NOT_TRACK: "1",
  };
}

// The output of every command of the current case, written to .work/<case>.log.
let caseLog = [];

// Every child still running, so that a timed-out case or an interrupted run leaves nothing behind.
const running = new Set();

function track(child) {
  running.add(child);
  child.on("close", () => running.delete(child));
  child.on("error", () => running.delete(child));
  return child;
}

function killAll() {
  for (const child of running) killGroup(child);
}

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
}

/** A free loopback port. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * Starts a server (its own process group) and waits until `http://127.0.0.1:port/` answers.
 * Resolves `{ output(), stop() }`; rejects with the output when it exits or never answers.
 */
async function startServer(cmd, args, { cwd, env = {}, port, timeoutMs = RUN_TIMEOUT_MS }) {
  const child = track(spawn(cmd, args, { cwd, env: { ...baseEnv(), ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  let exited = null;
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let logged = false;
  let onExit;
  const exit = new Promise((r) => (onExit = r));
  child.on("error", (err) => onExit((exited = `${cmd}: ${err.message}`)));
  child.on("exit", (code, signal) => onExit((exited = `exited ${code ?? signal}`)));
  const server = {
    output: () => out,
    /** Rejects when the server exits (while a check still needs it). */
    died: () => exit.then((how) => Promise.reject(new CaseError(`the server ${how}:\n${headline(out)}`))),
    stop: async () => {
      if (!logged) caseLog.push(`$ (server, in ${cwd}) ${cmd} ${args.join(" ")}\n${out}\n[stopped]\n`);
      logged = true;
      killGroup(child);
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("close", r));
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await server.stop();
      throw new CaseError(`the server ${exited} before answering:\n${headline(out)}`);
    }
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
      return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new CaseError(`the server did not answer within ${timeoutMs / 1000} s:\n${headline(out)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

class CaseError extends Error {}

function fail(reason, details = "") {
  throw new CaseError(details ? `${reason}\n${details}` : reason);
}

// Words that tie a warning to this package or to the loading of its .wasm.
const WARNING_SUBJECT =
  /sendexa|\.?wasm|WebAssembly|instantiate|top-level await|async\/await|asset size|chunk size|chunks are larger|chunkSizeWarningLimit|exceed the recommended size|performance recommendations/i;
const WARNING_MARK = /warn|\(!\)|⚠/i;

/**
 * The warnings in `text` about the package or its .wasm: each warning line with up to 8 lines after
 * it (esbuild and Next print the file a warning is about after a blank line), up to the next warning.
 */
function packageWarnings(text) {
  const lines = stripAnsi(text).split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (!WARNING_MARK.test(lines[i])) continue;
    const block = [lines[i]];
    for (let j = i + 1; j < lines.length && j <= i + 8 && !WARNING_MARK.test(lines[j]); j++) block.push(lines[j]);
    if (block.some((l) => WARNING_SUBJECT.test(l))) found.push(block.join("\n").trimEnd());
  }
  return found;
}

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

function checkNoWarnings(what, text) {
  const warnings = packageWarnings(text);
  if (warnings.length) fail(`${what} warned about the package or its .wasm:`, warnings.join("\n---\n"));
}

/** The last lines of a build's or run's output, for a failure reason. */
function tail(text, n = 25) {
  return stripAnsi(text).trimEnd().split("\n").slice(-n).join("\n");
}

async function build(what, cmd, args, options) {
  const { code, out } = await exec(cmd, args, options);
  if (code !== 0) fail(`${what} failed (exit ${code}):`, headline(out));
  checkNoWarnings(what, out);
  return out;
}

/** The most telling lines of a failed command's output: its error lines (with context), else its tail. */
function headline(out) {
  const lines = stripAnsi(out).split("\n");
  const at = lines.findIndex((l) => /error|✘|failed to|cannot|can't|not found|unexpected|exception/i.test(l));
  if (at < 0) return tail(out);
  return lines.slice(Math.max(0, at - 2), at + 20).join("\n").trimEnd();
}

/** Checks the answers `{ good, bad }` to GOOD and BAD, in the `{ to, message }` / `{ error }` shape. */
function checkAnswers(good, bad) {
  if (!isDeepStrictEqual(good, EXPECTED_GOOD)) fail(`wrong answer for ${JSON.stringify(GOOD)}: ${JSON.stringify(good)}`);
  if (!bad || bad.error !== "WA001" || typeof bad.reason !== "string" || !bad.reason) {
    fail(`wrong answer for ${JSON.stringify(BAD)} (expected a SendexaError WA001): ${JSON.stringify(bad)}`);
  }
}

/** Fetches a JSON answer; `{ status, body }`. */
async function getJson(url, init = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

/** Asks `base + path?to=` for GOOD and BAD and checks the answers (200 / 400). */
async function checkHttpPreview(base, path, server) {
  const good = await getJson(`${base}${path}?to=${encodeURIComponent(GOOD)}`);
  const bad = await getJson(`${base}${path}?to=${encodeURIComponent(BAD)}`);
  if (good.status !== 200) fail(`GET ${path}?to=${GOOD}: HTTP ${good.status}`, why(good.body, server));
  if (bad.status !== 400) fail(`GET ${path}?to=${BAD}: HTTP ${bad.status} (expected 400)`, why(bad.body, server));
  checkAnswers(good.body, bad.body);
}

function bodyText(body) {
  return tail(typeof body === "string" ? body : JSON.stringify(body), 30);
}

/** Why a request failed: the server's error output when it logged one, else the answer's body. */
function why(body, server) {
  const out = server ? stripAnsi(server.output()) : "";
  if (/error|exception/i.test(out)) return headline(out);
  return typeof body === "string" && body.startsWith("<") ? "(an HTML error page; the server logged nothing)" : bodyText(body);
}

// ---------------------------------------------------------------------------------------------
// Work directories

let tarball;

/**
 * Copies fixture directories (in order; or only the files `only` of them) into .work/<name> and
 * npm-installs the tarball there.
 */
async function prepare(name, fixtures, only) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const fixture of fixtures) {
    if (!only) cpSync(join(here, fixture), dir, { recursive: true });
    else for (const file of only) cpSync(join(here, fixture, file), join(dir, file), { recursive: true });
  }
  const harness = readFileSync(join(here, "browser/harness.html"), "utf8").trimEnd();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".html"))) {
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, "utf8").replace(/^\s*<!-- harness -->/m, harness));
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `matrix-${name}`, private: true }, null, 2)}\n`);
  const { code, out } = await exec(
    "npm",
    ["install", tarball, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
    { cwd: dir, timeoutMs: RUN_TIMEOUT_MS },
  );
  if (code !== 0) fail(`npm install of the tarball failed (exit ${code})`, tail(out));
  return dir;
}

/**
 * Moves what the bundler wrote (`outDir` in the case's work dir) to a fresh folder outside the
 * repository, as a Lambda zip would, and renames the work dir away, so the bundle can reach neither
 * a node_modules up the tree nor a file by an absolute path baked in at build time. Returns the folder.
 */
function isolate(workDir, outDir) {
  const dir = mkdtempSync(join(tmpdir(), "sendexa-matrix-"));
  cpSync(join(workDir, outDir), dir, { recursive: true });
  renameSync(workDir, `${workDir}.built`);
  isolated.push(dir);
  return dir;
}

// The isolated folders, removed at the end of their case.
const isolated = [];

// ---------------------------------------------------------------------------------------------
// Rows

/** Runs a bundled Lambda-style handler with GOOD and BAD; the runner is passed as -e, so the folder holds only the bundle. */
async function runHandler(runtime, dir, file, format) {
  const call = `const out = []; for (const to of ${JSON.stringify([GOOD, BAD])}) out.push(await handler({ to })); console.log("MATRIX_RESULT " + JSON.stringify(out));`;
  let args;
  if (format === "cjs") {
    args = ["-e", `const { handler } = require("./${file}"); (async () => { ${call} })().catch((e) => { console.error(e); process.exit(1); });`];
  } else {
    const load = `const m = await import("./${file}"); const handler = m.handler ?? m.default?.handler;`;
    args = runtime === "bun" ? ["-e", `${load} ${call}`] : ["--input-type=module", "-e", `${load} ${call}`];
  }
  const cmd = runtime === "bun" ? nodeTool("bun") : process.execPath;
  const { code, out } = await exec(cmd, args, { cwd: dir, timeoutMs: RUN_TIMEOUT_MS });
  if (code !== 0) fail(`running the bundle from an empty folder failed (exit ${code}):`, headline(out));
  checkNoWarnings("running the bundle", out);
  const line = out.split("\n").find((l) => l.startsWith("MATRIX_RESULT "));
  if (!line) fail("the bundle printed no result", tail(out));
  const [good, bad] = JSON.parse(line.slice("MATRIX_RESULT ".length));
  if (good.statusCode !== 200) fail(`handler({ to: ${JSON.stringify(GOOD)} }): ${JSON.stringify(good)}`);
  if (bad.statusCode !== 400) fail(`handler({ to: ${JSON.stringify(BAD)} }): ${JSON.stringify(bad)}`);
  checkAnswers(JSON.parse(good.body), JSON.parse(bad.body));
}

function esbuildCase(source, output) {
  const name = `esbuild-${source}-${output}`;
  return {
    name,
    async run() {
      const dir = await prepare(name, ["lambda"]);
      const file = `index.${output === "esm" ? "mjs" : "cjs"}`;
      await build("esbuild", tool("esbuild"), [`handler.${source === "esm" ? "mjs" : "cjs"}`, "--bundle", "--platform=node", `--format=${output}`, `--outfile=out/${file}`], { cwd: dir });
      await runHandler("node", isolate(dir, "out"), file, output);
    },
  };
}

const bunCase = {
  name: "bun-build",
  async run() {
    const dir = await prepare(this.name, ["lambda"]);
    await build("bun build", nodeTool("bun"), ["build", "handler.mjs", "--target=bun", "--outdir=out"], { cwd: dir });
    const file = readdirSync(join(dir, "out")).find((f) => /^handler\.m?js$/.test(f)) ?? "handler.js";
    await runHandler("bun", isolate(dir, "out"), file, "esm");
  },
};

/** Serves `mounts`, opens `page` in headless Chromium and checks what the page reports. */
async function checkPage(mounts, page) {
  const results = await runPage({ mounts, page, timeoutMs: PAGE_TIMEOUT_MS });
  const failed = results.find((r) => !r.ok);
  if (failed) fail(`the page failed in Chromium: ${failed.error}`);
  const warnings = results.find((r) => r.name === "console")?.warnings ?? [];
  const answers = results.find((r) => r.name === "answers");
  if (!answers) fail(`the page reported no answers: ${JSON.stringify(results)}`);
  checkNoWarnings("the browser console", warnings.map((w) => `warning from ${w}`).join("\n\n"));
  checkAnswers(answers.good, answers.bad);
}

function viteBuildCase(major) {
  const name = `vite${major}-build`;
  return {
    name,
    async run() {
      const dir = await prepare(name, ["browser", "vite"]);
      await build(`vite ${major} build`, process.execPath, [vite(major), "build"], { cwd: dir });
      await checkPage({ "/": join(dir, "dist") }, "/index.html");
    },
  };
}

function viteDevCase(major) {
  const name = `vite${major}-dev`;
  return {
    name,
    async run() {
      const dir = await prepare(name, ["browser", "vite"]);
      const port = await freePort();
      const server = await startServer(process.execPath, [vite(major), "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: dir, port });
      try {
        const page = checkPage({ "/": join(here, "browser") }, `/go.html?to=${encodeURIComponent(`http://127.0.0.1:${port}/`)}`);
        const died = server.died();
        died.catch(() => {}); // the server is stopped after a passing check, too
        page.catch(() => {}); // the page may fail after the server died
        await Promise.race([page, died]).catch((err) => {
          if (err.message.startsWith("the server ")) throw err;
          const log = stripAnsi(server.output()).trim();
          throw new CaseError(`${err.message}${log ? `\nthe dev server's output:\n${tail(log)}` : ""}`);
        });
        checkNoWarnings(`vite ${major} dev server`, server.output());
      } finally {
        await server.stop();
      }
    },
  };
}

const webpackCase = {
  name: "webpack",
  async run() {
    const dir = await prepare(this.name, ["browser", "webpack"]);
    await build("webpack", tool("webpack"), [], { cwd: dir });
    await checkPage({ "/": dir }, "/index.html");
  },
};

const rollupCase = {
  name: "rollup",
  async run() {
    const dir = await prepare(this.name, ["browser", "rollup"]);
    await build("rollup", tool("rollup"), ["-c"], { cwd: dir });
    await checkPage({ "/": dir }, "/index.html");
  },
};

// Next.js: one app per case (one failing route fails `next build` for the whole app), each with
// only its own file from next/.
function nextCase(name, files, check) {
  return {
    name,
    async run() {
      const dir = await prepare(name, ["next"], files);
      mkdirSync(join(dir, "app"), { recursive: true }); // the middleware's app has no route of its own
      const out = await build("next build", tool("next"), ["build"], { cwd: dir, timeoutMs: 300_000 });
      const port = await freePort();
      const server = await startServer(tool("next"), ["start", "-H", "127.0.0.1", "-p", String(port)], { cwd: dir, port }).catch((err) => {
        throw new CaseError(`next start failed: ${headline(err.message)}`);
      });
      try {
        await check(`http://127.0.0.1:${port}`, server);
        checkNoWarnings("next start", `${out}\n${server.output()}`);
      } finally {
        await server.stop();
      }
    },
  };
}

async function checkMiddleware(base, server) {
  const good = await fetch(`${base}/send?to=${encodeURIComponent(GOOD)}`, { redirect: "manual" });
  const location = good.headers.get("location") ?? "";
  if (good.status !== 307 || new URL(location, base).searchParams.get("to") !== "233244000000") {
    fail(`GET /send?to=${GOOD}: HTTP ${good.status}, location ${JSON.stringify(location)} (expected 307 to /api/node?to=233244000000)`, why(await good.text(), server));
  }
  const bad = await getJson(`${base}/send?to=${encodeURIComponent(BAD)}`, { redirect: "manual" });
  if (bad.status !== 400 || bad.body?.error !== "WA001") fail(`GET /send?to=${BAD}: HTTP ${bad.status} (expected 400 WA001)`, why(bad.body, server));
}

const nextCases = [
  nextCase("next-node-route", ["app/api/node/route.js"], (base, server) => checkHttpPreview(base, "/api/node", server)),
  nextCase("next-edge-route", ["app/api/edge/route.js"], (base, server) => checkHttpPreview(base, "/api/edge", server)),
  nextCase("next-middleware", ["middleware.js"], checkMiddleware),
];

const honoCases = [
  {
    name: "hono-workerd",
    async run() {
      const dir = await prepare(this.name, ["hono"]);
      await build("wrangler deploy --dry-run", nodeTool("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], { cwd: dir });
      const { Miniflare } = await import(join(root, "scripts/node-tools/node_modules/miniflare/dist/src/index.js"));
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(dir, "dist/app.js"),
        modulesRules: [
          { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
          { type: "CompiledWasm", include: ["**/*.wasm"] },
        ],
        compatibilityDate: "2026-04-01",
        cf: false,
      });
      try {
        const ask = async (to) => {
          const response = await mf.dispatchFetch(`http://localhost/preview?to=${encodeURIComponent(to)}`);
          const text = await response.text();
          try {
            return { status: response.status, body: JSON.parse(text) };
          } catch {
            return { status: response.status, body: text };
          }
        };
        const good = await ask(GOOD);
        const bad = await ask(BAD);
        if (good.status !== 200) fail(`GET /preview?to=${GOOD}: HTTP ${good.status}`, bodyText(good.body));
        if (bad.status !== 400) fail(`GET /preview?to=${BAD}: HTTP ${bad.status}`, bodyText(bad.body));
        checkAnswers(good.body, bad.body);
      } finally {
        await mf.dispose();
      }
    },
  },
  {
    name: "hono-node",
    async run() {
      const dir = await prepare(this.name, ["hono"]);
      const port = await freePort();
      const server = await startServer(process.execPath, ["server.mjs"], { cwd: dir, port, env: { PORT: String(port) } }).catch(explainServerFailure);
      try {
        await checkHttpPreview(`http://127.0.0.1:${port}`, "/preview", server);
        checkNoWarnings("the Hono server", server.output());
      } finally {
        await server.stop();
      }
    },
  },
];

// Webhooks: signed deliveries through nodeWebhookHandler in Express and Fastify.
const EVENT = JSON.stringify({
  event: "message.delivered",
  messageId: "exa_wa_matrix1",
  wamid: "wamid.matrix1",
  to: "233244000000",
  type: "text",
  status: "delivered",
  timestamp: "2026-01-01T00:00:00Z",
  note: "café / ünïcode @ here", // re-serialising would change these bytes and break the signature
});
const sign = (body) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

function explainServerFailure(err) {
  const missing = /does not provide an export named '(\w+)'|(\w+) is not a function/.exec(err.message);
  if (missing && (missing[1] ?? missing[2]) === "nodeWebhookHandler") {
    throw new CaseError(`nodeWebhookHandler is not exported:\n${headline(err.message)}`);
  }
  throw new CaseError(headline(err.message));
}

async function post(url, body, headers) {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-webhook-id": `whk_${Math.random().toString(36).slice(2)}`, ...headers },
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}

/** The webhook checks: signed → 200 and onEvent ran; bad signature → 401; signed non-JSON → 400; 2 MiB → 413. */
async function checkWebhooks(base, server) {
  const url = `${base}/webhooks/sendexa`;
  const ok = await post(url, EVENT, { "x-signature": sign(EVENT) });
  if (ok.status !== 200) fail(`a signed delivery: HTTP ${ok.status} (expected 200)`, tail(`${ok.text}\n${server.output()}`));
  for (let i = 0; i < 50 && !server.output().includes("event status exa_wa_matrix1"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!server.output().includes("event status exa_wa_matrix1")) fail("onEvent did not receive the status event", tail(server.output()));
  const forged = await post(url, EVENT, { "x-signature": sign(`${EVENT} `) });
  if (forged.status !== 401) fail(`a wrongly signed delivery: HTTP ${forged.status} (expected 401)`, tail(forged.text));
  const garbage = "{not json";
  const malformed = await post(url, garbage, { "x-signature": sign(garbage) });
  if (malformed.status !== 400) fail(`a signed malformed body: HTTP ${malformed.status} (expected 400)`, tail(malformed.text));
  const big = JSON.stringify({ event: "message.delivered", padding: "x".repeat(2 * 1024 * 1024) });
  const large = await post(url, big, { "x-signature": sign(big) });
  if (large.status !== 413) fail(`a signed 2 MiB body: HTTP ${large.status} (expected 413, the default maxBodyBytes is 1 MiB)`, tail(large.text));
}

function webhookCase(name, fixture, script, check = checkWebhooks) {
  return {
    name,
    async run() {
      const dir = await prepare(name, [fixture]);
      const port = await freePort();
      const server = await startServer(process.execPath, [script], { cwd: dir, port, env: { PORT: String(port), SENDEXA_WEBHOOK_SECRET: SECRET } }).catch(
        explainServerFailure,
      );
      try {
        await check(`http://127.0.0.1:${port}`, server);
        checkNoWarnings("the server", server.output());
      } finally {
        await server.stop();
      }
    },
  };
}

/** A body parser ran first: the handler must answer 500 and name the fix (`express.raw`, `parseAs`). */
function parsedBodyRefused(parser, fix) {
  return async (base, server) => {
    const answer = await post(`${base}/webhooks/sendexa`, EVENT, { "x-signature": sign(EVENT) });
    if (answer.status !== 500) fail(`a signed delivery after ${parser}: HTTP ${answer.status} (expected 500)`, tail(answer.text));
    const said = `${answer.text}\n${server.output()}`;
    if (!said.includes(fix)) fail(`the error does not mention ${fix}`, tail(said));
  };
}

const webhookCases = [
  webhookCase("express", "express", "server.mjs"),
  webhookCase("express-json-first", "express", "json-first.mjs", parsedBodyRefused("express.json()", "express.raw")),
  webhookCase("fastify", "fastify", "server.mjs"),
  webhookCase("fastify-hijack", "fastify", "hijack.mjs"),
  webhookCase("fastify-json-parsed", "fastify", "parsed.mjs", parsedBodyRefused("Fastify's JSON parser", "parseAs")),
];

// README: every `<!-- matrix: path -->` snippet equals its fixture file.
const readmeCase = {
  name: "readme-snippets",
  async run() {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const marked = [...readme.matchAll(/<!-- matrix: (\S+) -->\s*\n```[a-z]*\n([\s\S]*?)```/g)];
    if (marked.length === 0) fail("README.md has no <!-- matrix: … --> snippets");
    const wrong = [];
    for (const [, file, snippet] of marked) {
      const path = join(here, file);
      if (!existsSync(path)) wrong.push(`${file}: no such fixture`);
      else if (readFileSync(path, "utf8").trimEnd() !== snippet.trimEnd()) wrong.push(`${file}: the README's copy differs from the fixture`);
    }
    // The README shows the edge route and says the Node one is the same without its `runtime` line.
    const edge = readFileSync(join(here, "next/app/api/edge/route.js"), "utf8");
    const node = readFileSync(join(here, "next/app/api/node/route.js"), "utf8");
    if (edge.replace('export const runtime = "edge";\n\n', "") !== node) wrong.push("next/app/api/node/route.js is not the edge route without its runtime line");
    if (wrong.length) fail("README snippets out of date:", wrong.join("\n"));
  },
};

const CASES = [
  readmeCase,
  esbuildCase("esm", "esm"),
  esbuildCase("esm", "cjs"),
  esbuildCase("cjs", "esm"),
  esbuildCase("cjs", "cjs"),
  bunCase,
  viteBuildCase(5),
  viteDevCase(5),
  viteBuildCase(6),
  viteDevCase(6),
  viteBuildCase(7),
  viteDevCase(7),
  webpackCase,
  rollupCase,
  ...nextCases,
  ...honoCases,
  ...webhookCases,
];

// ---------------------------------------------------------------------------------------------

async function packTarball() {
  const pkgDir = join(root, "pkg");
  // The lead rebuilds pkg/ while this runs elsewhere: wait a while for a complete package.
  for (let i = 0; !(existsSync(join(pkgDir, "package.json")) && existsSync(join(pkgDir, "sendexa_whatsapp_bg.wasm"))); i++) {
    if (i === 0) console.log("waiting for pkg/ (run `make build`) …");
    if (i >= 120) throw new Error("pkg/ holds no built package (run `make build`)");
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const { code, out } = await exec("npm", ["pack", "--json", "--pack-destination", work], { cwd: pkgDir, timeoutMs: RUN_TIMEOUT_MS });
  if (code !== 0) throw new Error(`npm pack failed:\n${out}`);
  const packed = JSON.parse(out.slice(out.indexOf("[")));
  return join(work, packed[0].filename);
}

async function main() {
  const wanted = process.argv.slice(2);
  const cases = wanted.length ? CASES.filter((c) => wanted.some((w) => c.name === w || c.name.startsWith(w))) : CASES;
  if (wanted.length && cases.length === 0) throw new Error(`no case matches ${wanted.join(" ")}; cases: ${CASES.map((c) => c.name).join(" ")}`);
  if (!existsSync(join(modules, ".package-lock.json"))) {
    throw new Error("tests/matrix/node_modules is missing: run scripts/setup.sh (npm ci in tests/matrix)");
  }
  const started = Date.now();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // MATRIX_TARBALL: check a given tarball instead of packing pkg/ (e.g. an older release).
  tarball = process.env.MATRIX_TARBALL ? resolve(process.env.MATRIX_TARBALL) : await packTarball();

  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const t0 = Date.now();
    caseLog = [];
    let error;
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CaseError(`the case did not finish within ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
      });
      await Promise.race([c.run(), timeout]);
    } catch (err) {
      error = err instanceof CaseError ? err.message : String(err.stack || err);
    } finally {
      clearTimeout(timer);
      killAll(); // whatever a failed or timed-out case left running
      for (const dir of isolated.splice(0)) rmSync(dir, { recursive: true, force: true });
    }
    writeFileSync(join(work, `${c.name}.log`), `${caseLog.join("\n")}${error ? `\nFAIL: ${error}\n` : "\nok\n"}`);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (error === undefined) {
      passed++;
      console.log(`ok   ${c.name} (${secs} s)`);
    } else {
      failed++;
      console.log(`FAIL ${c.name} (${secs} s): ${error.split("\n").join("\n     ")}`);
    }
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`matrix: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
