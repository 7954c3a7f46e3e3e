// The `ctx` the client cases receive, and the loop that runs them: runtime-neutral (fetch only),
// so Node (run.mjs) and Chromium (page.html) share it.
import { cases, TOKEN } from "./cases.mjs";

/** HTTP helpers for one sandbox's control endpoints. */
export function sandbox(url) {
  const call = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body ?? {}),
    reset: () => call("POST", "/__sandbox/reset", {}),
    /** Opens `from`'s 24-hour window with an inbound message. */
    inbound: (from, text = "hi") => call("POST", "/__sandbox/inbound", { from, text }),
    /** One rule (appended) or `{ rules, replace }`. */
    faults: (spec) => call("POST", "/__sandbox/faults", spec),
    clearFaults: () => call("DELETE", "/__sandbox/faults"),
    /** Moves the sandbox clock and waits for the webhooks it triggered. */
    advance: (advance) => call("POST", "/__sandbox/clock", { advance, settle: true }),
  };
}

/**
 * The context: `urls` = `{ live, draft, bulk }` sandbox URLs; `runtime` = "node" | "browser";
 * `extras` adds runtime-only helpers (Node: `inspect`, `listen`).
 */
export function makeContext(sdk, { urls, runtime, extras = {} }) {
  const ctx = {
    runtime,
    live: sandbox(urls.live),
    draft: sandbox(urls.draft),
    bulk: sandbox(urls.bulk),
    notes: [],
    note: (text) => ctx.notes.push(text),
    /** A client for the live sandbox; in a browser page it must opt in. */
    client: (options = {}) =>
      new sdk.Sendexa({
        token: TOKEN,
        baseUrl: urls.live,
        ...(runtime === "browser" ? { dangerouslyAllowBrowser: true } : {}),
        ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      }),
    /** Polls `predicate` until true, for up to `ms`. */
    async until(predicate, what, ms = 10_000) {
      const end = Date.now() + ms;
      while (!(await predicate())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    ...extras,
  };
  return ctx;
}

/** Runs every case for this runtime, in order, each on reset sandboxes; never throws. */
export async function runCases(sdk, ctx, { onResult = () => {}, filter = () => true } = {}) {
  const results = [];
  for (const c of cases) {
    if (c.only && c.only !== ctx.runtime) continue;
    if (!filter(c.name)) continue;
    const name = `${ctx.runtime}: ${c.name}`;
    const started = Date.now();
    let result;
    try {
      await Promise.all([ctx.live.reset(), ctx.draft.reset(), ctx.bulk.reset()]);
      let timer;
      const limit = c.timeoutMs ?? 60_000;
      await Promise.race([
        c.run(sdk, ctx),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the case took longer than ${limit} ms`)), limit);
        }),
      ]).finally(() => clearTimeout(timer));
      result = { name, ok: true, ms: Date.now() - started };
    } catch (err) {
      result = { name, ok: false, ms: Date.now() - started, error: String((err && err.stack) || err) };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
