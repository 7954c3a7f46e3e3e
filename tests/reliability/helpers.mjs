// Helpers for the reliability suites (tests/reliability/*.test.mjs) and `make soak` (scripts/soak.mjs):
// the built package, a sandbox in a child process (so its memory and event loop are not the
// client's), the documented error codes, the retry policy's time bound, and heap figures.
// Not a test file: no `.test.` in the name.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setImmediate as tick } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { sandbox } from "../client/context.mjs";
import { startSandboxChild as startChild } from "../sandbox/child.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const TOKEN = "reliability-token";
export const R1 = "233244000001"; // an ordinary recipient
export const ALWAYS_FAILS = "233500000002"; // the sandbox fails every attempt (WA002): resendable

/** The package as Node users import it (pkg/, built by scripts/build.sh). */
export async function importSdk() {
  return import(pathToFileURL(join(root, "pkg/node/index.mjs")).href);
}

/**
 * The package through `sendexa-whatsapp/web`, instantiated here from its .wasm: the same exports,
 * plus the size of that instance's WebAssembly memory (its high-water mark: it never shrinks).
 * `initSync` hands back the instance's exports, `memory` among them, so no test hook is needed.
 */
export async function importSdkWithMemory() {
  const sdk = await import(pathToFileURL(join(root, "pkg/web/sendexa_whatsapp.js")).href);
  const exports = sdk.initSync({ module: readFileSync(join(root, "pkg/sendexa_whatsapp_bg.wasm")) });
  return { sdk, wasmMemoryBytes: () => exports.memory.buffer.byteLength };
}

/**
 * The sandbox in a child process with `args` (server.mjs's options): `{ url, control, stop }`,
 * `control` being tests/client's helper for the `/__sandbox/*` endpoints.
 */
export async function startSandboxChild(args = []) {
  const child = await startChild({ token: TOKEN, args });
  return { ...child, control: sandbox(child.url) };
}

/**
 * The error codes the SDK documents: every code in ERRORS.md's tables (its own, and the ones
 * derived from HTTP statuses), plus the API codes the sandbox documents (tests/sandbox/README.md),
 * which ERRORS.md says are passed through unchanged.
 */
export function documentedCodes() {
  const codes = new Set();
  const errors = readFileSync(join(root, "ERRORS.md"), "utf8");
  for (const m of errors.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)) codes.add(m[1]);
  for (const m of errors.matchAll(/^\| (?:\d{3}|\dxx|other) \| `([A-Z][A-Z0-9_]+)` \|/gm)) codes.add(m[1]);
  const sandboxDoc = readFileSync(join(root, "tests/sandbox/README.md"), "utf8");
  const table = sandboxDoc.slice(sandboxDoc.indexOf("### Error codes and HTTP statuses"), sandboxDoc.indexOf("### Shapes"));
  for (const line of table.split("\n")) {
    const first = /^\|([^|]+)\|/.exec(line);
    if (first) for (const m of first[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)) codes.add(m[1]);
  }
  return codes;
}

/** `OUTCOME_UNKNOWN`'s documented reasons (ERRORS.md): what happened to a call with an effect. */
export const UNKNOWN_REASONS = new Set(["TIMEOUT", "NETWORK", "SERVER_ERROR", "BAD_GATEWAY", "SERVICE_UNAVAILABLE", "INVALID_RESPONSE", "TOO_LARGE"]);

/**
 * The longest a call may take, from the documented retry policy (README "Retries that never send
 * twice", src/engine/client/retry.rs): `maxRetries + 1` attempts of at most `timeoutMs` each, and
 * before retry `a` (0-based) a wait of at most `min(maxDelayMs, baseDelayMs · 2^a)` (full jitter),
 * or the API's `Retry-After` when it sends one (at most `maxRetryAfterMs`, else not slept). Calls
 * with an effect make fewer attempts, never more. `slackMs` covers scheduling and parsing.
 */
export function timeBound({ timeoutMs, maxRetries, baseDelayMs = 500, maxDelayMs = 20_000, retryAfterMs = 0, slackMs }) {
  let backoff = 0;
  for (let a = 0; a < maxRetries; a++) backoff += Math.max(Math.min(maxDelayMs, baseDelayMs * 2 ** a), retryAfterMs);
  return { attempts: timeoutMs * (maxRetries + 1), backoff, slack: slackMs, total: timeoutMs * (maxRetries + 1) + backoff + slackMs };
}

/** A full garbage collection now (`global.gc`, exposed at run time when node was started without --expose-gc). */
export function gc() {
  if (typeof global.gc !== "function") {
    v8.setFlagsFromString("--expose-gc");
    global.gc = runInNewContext("gc");
  }
  global.gc();
}

/** Collects garbage after letting pending callbacks finish, so figures are stable. */
export async function collect() {
  gc();
  for (let i = 0; i < 3; i++) {
    await tick();
    gc();
  }
}

/** Memory after a full collection: JS heap, external (the WebAssembly instance's memory is here), rss. */
export async function memory() {
  await collect();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}

export const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

// ---- bulk runs under faults (tests/reliability/bulk.test.mjs and scripts/soak.mjs) ----

/** The run shared with scripts/soak.mjs: the fault mix, the sandbox's and the client's settings. */
export const MIX = {
  rate: 0.1,
  // A 429 after processing would model an API that accepts a message and then says it did not:
  // not one the client can be asked to survive without a duplicate, so 429s come before.
  kinds: ["500", "502", "503", "429:before", "html", "non_json", "truncate", "drop", "delay", "huge"],
  phase: "random",
  path: "/v1/whatsapp/send",
  delayMs: 1500, // past the client's timeout
  // Each 429's Retry-After holds the send endpoint back for every worker (the limiter learns
  // from it): kept short, so ~1% of 429s do not dominate the run.
  retryAfter: 0.05,
  size: 256 * 1024, // huge answers
};
export const PER_SECOND = 2000; // 25 × the documented 80/s
export const SANDBOX_ARGS = [`--limit`, `send.perSecond=${PER_SECOND}`, `--limit`, `send.perMinute=off`, `--limit`, `send.perDay=off`];
export const CLIENT = { timeoutMs: 1000, rateLimit: { send: { perSecond: PER_SECOND, perMinute: false, perDay: false } } };

/**
 * Checks a bulk run against the sandbox: one outcome per message, no content accepted twice,
 * every success accepted under its messageId, no definite failure accepted, and the unknown
 * outcomes matching the faults. `bodyOf(i)` is message i's text; `to` limits the inspection to
 * one recipient (outcomes[k] is message firstIndex + k). Returns the figures; throws on a
 * message without an outcome, accepted twice, or accepted against its outcome.
 */
export async function account(sdk, control, outcomes, bodyOf, { firstIndex = 0, to } = {}) {
  const inspect = (await control.get(`/__sandbox/messages${to ? `?to=${to}` : ""}`)).data;
  const fired = (await control.get("/__sandbox/faults")).data.fired;
  const byBody = new Map();
  for (const m of inspect.messages) {
    const body = m.request?.text?.body;
    if (byBody.has(body)) throw new Error(`accepted twice: ${body} (${byBody.get(body).messageId}, ${m.messageId})`);
    byBody.set(body, m);
  }
  const counts = {};
  let unknownAccepted = 0;
  outcomes.forEach((o, k) => {
    const i = firstIndex + k;
    const m = byBody.get(bodyOf(i));
    if (!o || typeof o.ok !== "boolean") throw new Error(`#${i}: no outcome`);
    if (o.ok) {
      if (o.error !== undefined || !o.result) throw new Error(`#${i}: ok, yet ${JSON.stringify(o).slice(0, 200)}`);
      if (!m || m.messageId !== o.result.messageId) throw new Error(`#${i}: ok as ${o.result.messageId}, but not accepted as that`);
      counts.ok = (counts.ok ?? 0) + 1;
    } else {
      if (!(o.error instanceof sdk.SendexaError)) throw new Error(`#${i}: not a SendexaError: ${o.error}`);
      const key = o.error.reason ? `${o.error.code}/${o.error.reason}` : o.error.code;
      counts[key] = (counts[key] ?? 0) + 1;
      // Only an unknown outcome may have been accepted; a definite refusal never was.
      if (o.error.code === "OUTCOME_UNKNOWN") unknownAccepted += m ? 1 : 0;
      else if (m) throw new Error(`#${i}: ${key}, yet accepted as ${m.messageId}`);
    }
  });
  const unknown = Object.entries(counts).filter(([k]) => k.startsWith("OUTCOME_UNKNOWN")).reduce((a, [, n]) => a + n, 0);
  const byKind = {};
  for (const f of fired) byKind[`${f.kind}:${f.phase}`] = (byKind[`${f.kind}:${f.phase}`] ?? 0) + 1;
  const refused = fired.filter((f) => f.kind === "429").length;
  const hugeAfter = byKind["huge:after"] ?? 0;
  // Figures only: the inspection (every accepted message) is not kept alive by the caller.
  return { accepted: inspect.total, fired: fired.length, byKind, counts, unknown, unknownAccepted, refused, hugeAfter, duplicates: inspect.duplicates.length };
}
