// Runs a test page in headless Chromium and collects what it reports. Shared by the consumer
// suite (tests/consumers/run.mjs) and the client suite (tests/client/run.mjs).
//
//   const results = await runPage({ mounts: { "/": dir }, page: "/index.html?x=1" });
//
// The page is served on loopback from `mounts` (URL prefix → directory). It reports by POSTing
// JSON: `/result` with `{ results: [...] }` ends the run (those results are returned); `/log`
// with any JSON calls `onLog` (progress while a long page runs). Rejects when the page posts
// nothing within `timeoutMs`, or Chromium cannot start.
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";

const MIME = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Reads a request body as JSON (or `undefined` when it is not JSON). */
function readJson(req) {
  return new Promise((resolvePromise) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        resolvePromise(JSON.parse(body));
      } catch {
        resolvePromise(undefined);
      }
    });
  });
}

/** The file for a URL path under one of the mounts, or null (never outside a mount's directory). */
function fileFor(mounts, pathname) {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const root = resolve(dir);
    const path = resolve(join(root, pathname.slice(prefix.length)));
    if (path !== root && !path.startsWith(root + "/")) return null;
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

export async function runPage({ mounts, page, timeoutMs = 90_000, profileDir, onLog = () => {} }) {
  let deliver;
  const posted = new Promise((r) => (deliver = r));
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://x");
    if (req.method === "POST" && (pathname === "/result" || pathname === "/log")) {
      const body = await readJson(req);
      res.end("ok");
      if (pathname === "/log") onLog(body);
      else deliver(body && Array.isArray(body.results) ? body.results : [{ name: "page result", ok: false, error: "unreadable result" }]);
      return;
    }
    const path = fileFor(mounts, decodeURIComponent(pathname));
    if (!path) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}${page}`;
  const ownProfile = !profileDir;
  const profile = profileDir ?? mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const chromium = spawn(
    "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      url,
    ],
    { stdio: "ignore" },
  );
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("the page posted no results within the timeout")), timeoutMs);
    });
    const exited = new Promise((_, reject) => chromium.on("error", (err) => reject(new Error(`chromium: ${err.message}`))));
    return await Promise.race([posted, timeout, exited]);
  } finally {
    clearTimeout(timer);
    chromium.kill("SIGKILL");
    server.close();
    server.closeAllConnections();
    // Chromium may still be writing its profile as it dies: cleanup must not fail the run.
    if (ownProfile) {
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch {
        /* a leftover temp dir */
      }
    }
  }
}
