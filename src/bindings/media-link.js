// checkMediaLink's I/O: the requests, a timeout and the caller's AbortSignal. Every decision is
// Rust's (engine::media::preflight): `decide(input, status, text)` is a Rust closure, `text` being an
// answer's Content-Type, Content-Length, Content-Range and URL joined by newlines (no header value
// nor URL holds one), or a network failure's words. It returns the result (`{ mimeType, size }`),
// `undefined` to ask for the first byte with a GET, or the SendexaError to throw. For a send
// (`preflightMedia`), `then` starts the send's own call once the check has passed. wasm-bindgen
// imports this file as a snippet (like objects.js); scripts/assemble-pkg.mjs ships it beside the glue.
//
// Headers only: a HEAD, maybe a GET of byte 0 whose body is cancelled unread. No credentials are
// sent, and the fetch is the caller's or the global one (never `window.fetch`), called with
// `this = globalThis`.

// Inputs (the order of bindings::media_link's `decide`).
const HEAD = 0;
const RANGE = 1;
const NETWORK = 2;
const TIMEOUT = 3;
const ABORTED = 4;

// The longest delay setTimeout honours (larger ones fire at once in every runtime).
const MAX_TIMER_MS = 2147483647;

/**
 * Checks `link`: resolves with what `decide` returns, rejects with what it throws.
 * @param {(input: number, status?: number, a?: string, b?: string, c?: string, d?: string) => unknown} decide
 * @param {string} link
 * @param {Function | undefined} custom the options' fetch
 * @param {AbortSignal | undefined} signal the caller's
 * @param {number} timeoutMs for the whole check, both requests
 * @param {(() => Promise<unknown>) | undefined} then what to run once the check has passed (a send)
 */
export async function driveMediaLinkCheck(decide, link, custom, signal, timeoutMs, then) {
  const fetch = custom ?? globalThis.fetch;
  if (typeof fetch !== "function") {
    throw decide(NETWORK, 0, "this runtime has no global fetch: pass one in the options (fetch)");
  }
  if (signal?.aborted) throw decide(ABORTED, 0, "");
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS));
  signal?.addEventListener("abort", abort);
  // Every wait also races the abort, so a fetch that ignores its signal cannot hang the check.
  const aborted = new Promise((resolve) => controller.signal.addEventListener("abort", resolve));
  const state = { controller, aborted, signal };
  try {
    let result = decide(...(await ask(fetch, link, HEAD, state)));
    if (result === undefined) result = decide(...(await ask(fetch, link, RANGE, state)));
    if (result instanceof Error) throw result;
    return then ? then() : result;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

/** One request: the answer as `decide`'s arguments, or the failure. Never throws. */
async function ask(fetch, link, input, { controller, aborted, signal }) {
  const init =
    input === HEAD
      ? { method: "HEAD", headers: {}, signal: controller.signal }
      : { method: "GET", headers: { range: "bytes=0-0" }, signal: controller.signal };
  let response;
  try {
    response = await Promise.race([fetch.call(globalThis, link, init), aborted]);
  } catch (err) {
    return failed(controller, signal, describe(err));
  }
  // Only the headers are wanted: a GET's body is cancelled unread.
  try {
    response?.body?.cancel?.()?.catch?.(() => {});
  } catch {
    // A body that cannot be cancelled is left to the garbage collector.
  }
  if (controller.signal.aborted) return failed(controller, signal);
  const status = response?.status;
  if (typeof status !== "number" || !(status >= 100 && status <= 599)) {
    return [NETWORK, 0, "fetch resolved to something that is not a Response"];
  }
  const header = (name) => {
    try {
      const value = response.headers?.get?.(name);
      return typeof value === "string" ? value.replace(/[\r\n]/g, " ") : "";
    } catch {
      return "";
    }
  };
  // Where a redirect ended (a fetch that maps URLs itself, a proxy's, has not been redirected).
  const url = response.redirected === true && typeof response.url === "string" ? response.url.replace(/[\r\n]/g, "") : "";
  return [input, status, [header("content-type"), header("content-length"), header("content-range"), url].join("\n")];
}

/** What ended a request without an answer: the caller's signal, the timer, or the network. */
function failed(controller, signal, detail = "") {
  if (signal?.aborted) return [ABORTED, 0, ""];
  if (controller.signal.aborted) return [TIMEOUT, 0, ""];
  return [NETWORK, 0, detail];
}

/** A runtime error as one line: its message, and its cause's (`fetch failed (ECONNREFUSED)`). */
function describe(err) {
  try {
    const message = typeof err?.message === "string" ? err.message : String(err);
    const cause = err?.cause?.message ?? err?.cause?.code;
    return typeof cause === "string" && cause && !message.includes(cause) ? `${message} (${cause})` : message;
  } catch {
    return "fetch failed";
  }
}
