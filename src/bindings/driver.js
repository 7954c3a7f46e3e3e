// The client's I/O: fetch, timers, AbortSignal and promises. Every decision is Rust's: a call is a
// state machine (src/engine/client/call.rs) that this driver asks what to do next and feeds each
// answer, the way h11 and quinn-proto are driven. wasm-bindgen imports this file as a snippet (like
// sendexa-error.js); scripts/assemble-pkg.mjs ships it beside the glue.
//
// `machine(input, a, b, t)` is a Rust closure: it takes what happened (an INPUT code and its
// values) and returns the next step as `[STEP, value]`.

// Steps (the machine's answers; the order of bindings::client::Step codes).
const FETCH = 0;
const WAIT = 1;
const ACQUIRE = 2;
const READ_WINDOW = 3;
const REPORT = 4;
const DONE = 5;
const FAIL = 6;

// Inputs (what happened; the order of bindings::client::input_from).
const GO = 0;
const WINDOW = 1;
const ACQUIRED = 2;
const ACQUIRE_FAILED = 3;
const SLEPT = 4;
const ANSWER = 5;
const TIMEOUT = 6;
const ABORTED_IN_FLIGHT = 7;
const NETWORK = 8;
const TOO_LARGE = 9;
const ABORTED = 10;

// The longest delay setTimeout honours (larger ones fire at once in every runtime).
const MAX_TIMER_MS = 2147483647;

/**
 * Runs a machine to its end: resolves with its result, rejects with its SendexaError.
 * `client` holds what every call of one `Sendexa` shares: `fetch` (the options' or undefined),
 * `limiter` and `window` (a user's limiter or window store, or undefined), `authorization`,
 * `timeoutMs`, `maxBytes`. The machine's steps: `[FETCH, method, url, body?]`, `[WAIT, ms]`,
 * `[ACQUIRE, key]`, `[READ_WINDOW, phone]`, `[REPORT, info, key]`, `[DONE, result]`,
 * `[FAIL, error]`.
 * @param {(input: number, a?: unknown, b?: unknown, t?: number) => any[]} machine
 * @param {object} client
 * @param {AbortSignal | undefined} signal
 */
export async function drive(machine, client, signal) {
  let step = machine(signal?.aborted ? ABORTED : GO);
  for (;;) {
    const [kind, value] = step;
    let next;
    if (kind === DONE) return value;
    if (kind === FAIL) throw value;
    if (kind === FETCH) {
      next = signal?.aborted ? [ABORTED] : await exchange(client, value, step[2], step[3], signal);
    } else if (kind === WAIT) {
      next = [(await sleep(value, signal)) ? SLEPT : ABORTED];
    } else if (kind === ACQUIRE) {
      next = await acquire(client.limiter, value, signal);
    } else if (kind === READ_WINDOW) {
      next = [WINDOW, await readWindow(client.window, value)];
    } else {
      report(client.limiter, step[2], value);
      next = [GO];
    }
    step = machine(next[0], next[1], next[2], next[3]);
  }
}

/**
 * Runs `start(i)` (a promise) for each `i` below `count`, `concurrency` at a time, and resolves to
 * the outcomes in order: `{ ok: true, result }` or `{ ok: false, error }`; never rejects for one.
 * `settled(succeeded, failed)`, when given, hears each outcome (a throw from it is ignored);
 * `finish(outcomes)`, when given, makes the final value. `start` may return `undefined`: nothing
 * more to start.
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<unknown> | undefined} start
 * @param {((succeeded: number, failed: number) => void) | undefined} settled
 * @param {((outcomes: object[]) => unknown) | undefined} finish
 */
export async function each(count, concurrency, start, settled, finish) {
  const outcomes = new Array(count);
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const running = start(i);
      if (running === undefined) return;
      try {
        outcomes[i] = { ok: true, result: await running };
        succeeded++;
      } catch (error) {
        outcomes[i] = { ok: false, error };
        failed++;
      }
      try {
        settled?.(succeeded, failed);
      } catch {
        // A throwing progress callback must not lose outcomes.
      }
    }
  };
  const workers = [];
  for (let i = 0; i < Math.min(concurrency, count); i++) workers.push(worker());
  await Promise.all(workers);
  return finish ? finish(outcomes) : outcomes;
}

/** `start()` once `previous` has settled (calls served one after another), or at once. */
export function after(previous, start) {
  return previous === undefined ? start() : previous.then(start, start);
}

/** Waits `ms` for a rate-limit slot; on an abort, `giveBack()` and reject with `error`. */
export async function waitForSlot(ms, signal, giveBack, error) {
  if (!(await sleep(ms, signal))) {
    giveBack();
    throw error;
  }
}

// The response headers the machine reads, in the order of bindings::driver::head.
const HEADERS = [
  "x-request-id",
  "retry-after",
  "content-type",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-window",
];

/** `[status, …the HEADERS]`, each a string or null (a custom fetch's answer may have no Headers). */
function head(response) {
  const headers = response.headers;
  const get = typeof headers?.get === "function" ? (name) => headers.get(name) : () => null;
  return [response.status, ...HEADERS.map(get)];
}

/**
 * One request and its whole answer, as the machine's input: `[ANSWER, response, body, latencyMs]`
 * (the round trip to the answer's headers) or the failure. Every request has a timeout covering headers and body; the caller's signal aborts
 * the same controller. A fetch from the options (which may ignore `signal`) is also raced against
 * the abort, so it cannot hang a call.
 */
async function exchange(client, method, url, body, signal) {
  const fetch = client.fetch ?? globalThis.fetch;
  if (typeof fetch !== "function") {
    return [NETWORK, "this runtime has no global fetch: pass one in the client's options (fetch)"];
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, Math.min(Math.max(client.timeoutMs, 0), MAX_TIMER_MS));
  signal?.addEventListener("abort", abort);
  const race = client.fetch ? raceAgainst(controller.signal) : (p) => p;
  const headers = { authorization: client.authorization, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const started = Date.now();
  let input;
  try {
    const response = await race(fetch.call(globalThis, url, { method, headers, body, signal: controller.signal }));
    // The round trip ends at the answer's headers: the server counted the call before it sent
    // them, and reading the body only adds this thread's own turns (many, in a busy isolate).
    const latencyMs = Date.now() - started;
    const status = response?.status;
    if (typeof status !== "number" || !(status >= 100 && status <= 599)) {
      // The abort won the race, or a custom fetch gave something that is not a Response.
      if (controller.signal.aborted) throw controller.signal.reason;
      input = [NETWORK, "fetch resolved to something that is not a Response"];
    } else {
      const text = await readBody(response, client.maxBytes, race, controller.signal);
      input = text === undefined ? [TOO_LARGE, head(response)] : [ANSWER, head(response), text, latencyMs];
    }
  } catch (error) {
    // Who aborted decides what it means: the caller, or the timer.
    if (signal?.aborted) input = [ABORTED_IN_FLIGHT];
    else if (controller.signal.aborted) input = [TIMEOUT];
    else input = [NETWORK, describe(error)];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
  return input;
}

/** A function that races a promise against `signal`'s abort (a rejection when it fires). */
function raceAgainst(signal) {
  const aborted = new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(Boolean);
  return (promise) => Promise.race([promise, aborted]);
}

/**
 * The body, at most `max` bytes of it: from the stream chunk by chunk (cancelled as soon as the cap
 * is passed, or at once when Content-Length says it will be), as bytes; from `text()` when there is
 * no stream (a custom fetch's answer), as a string. `undefined` when it is over the cap, so wasm
 * memory, which never shrinks, cannot grow past it.
 */
async function readBody(response, max, race, aborted) {
  const failed = (what) => (error) => {
    if (aborted.aborted) throw error;
    throw new Error(`the response body could not be read: ${what}${error === undefined ? "" : describe(error)}`);
  };
  const stream = response.body;
  const declared = Number(response.headers?.get?.("content-length") ?? NaN);
  if (declared > max) {
    if (stream && typeof stream.cancel === "function") stream.cancel().catch(Boolean);
    return undefined;
  }
  const reader = stream && typeof stream.getReader === "function" ? stream.getReader() : undefined;
  if (reader === undefined) {
    // No stream: a null body (204, HEAD; text() is "") or a custom fetch's own object.
    if (typeof response.text !== "function") failed("it has no text() ")();
    const text = await race(response.text()).catch(failed(""));
    if (typeof text !== "string") failed("it is not text ")();
    // UTF-16 units never outnumber UTF-8 bytes; Rust checks the bytes.
    return text.length > max ? undefined : text;
  }
  const chunks = [];
  let size = 0;
  for (;;) {
    const chunk = await race(reader.read()).catch(failed(""));
    if (chunk.done) break;
    const part = chunk.value;
    if (!(part instanceof Uint8Array)) failed("a chunk is not bytes ")();
    size += part.length;
    if (size > max) {
      reader.cancel().catch(Boolean);
      return undefined;
    }
    chunks.push(part);
  }
  return concat(chunks, size);
}

// A webhook delivery's steps and inputs (the order of bindings::webhook's codes).
const READ_BODY = 0;
const HAS = 1;
const SET_WINDOW = 2;
const EVENT = 3;
const RESPOND = 5;
const REFUSE = 6;
const BODY = 1;
const BODY_TOO_LARGE = 2;
const UNREADABLE = 3;
const SEEN = 4;
const HANDLED = 5;
const HANDLER_FAILED = 6;

/**
 * Runs a webhook delivery's machine (src/engine/webhook/delivery.rs): reads the body under its cap,
 * asks the dedupe store, records inbound senders in the window store, awaits `onEvent` per event,
 * and answers with a `Response`. Steps: `[READ_BODY, max]`, `[HAS, id]`, `[SET_WINDOW, phone, at]`,
 * `[EVENT, event]`, `[ADD, id]`, `[RESPOND, json, status]`, `[REFUSE, error]`.
 */
export async function handleDelivery(machine, request, onEvent, window, dedupe) {
  let step = machine(0);
  // The body as read, and its parse (made for the first event that needs it).
  let body, document;
  for (;;) {
    const [kind, a, b] = step;
    let next;
    if (kind === RESPOND) return new Response(a, { status: b, headers: { "content-type": "application/json" } });
    if (kind === REFUSE) throw a;
    if (kind === READ_BODY) {
      next = await readRequestBody(request, a);
      if (next[0] === BODY) body = next[1];
    } else if (kind === HAS) next = [SEEN, await Promise.resolve().then(() => dedupe.has(a)).then(Boolean, () => false)];
    else if (kind === SET_WINDOW) next = await outcome(() => window.set(a, b));
    else if (kind === EVENT) {
      // The machine has checked the body is UTF-8 JSON; its payloads come from one parse of it here.
      const [event] = eventsOf(a, b, () => (document ??= parseBody(body)));
      next = await outcome(() => onEvent(event));
    }
    else next = await outcome(() => dedupe.add(a));
    step = machine(next[0], next[1]);
  }
}

/** `[HANDLED]` once `work()` has settled, or `[HANDLER_FAILED, message]` if it threw or rejected. */
async function outcome(work) {
  try {
    await work();
    return [HANDLED];
  } catch (error) {
    const message = typeof error?.message === "string" ? error.message : typeof error === "string" ? error : "the handler threw";
    return [HANDLER_FAILED, message];
  }
}

/**
 * A request's body, stopping as soon as more than `max` bytes have arrived: the chunks stay in
 * JavaScript until the whole body is known to fit, so an oversized body never enters wasm memory.
 * A body stream is read chunk by chunk and cancelled at the cap; a Request-like object without one
 * is read with `arrayBuffer()`.
 */
async function readRequestBody(request, max) {
  const unreadable = [UNREADABLE, "the request body could not be read (was it read already?)"];
  if (request?.bodyUsed) return unreadable;
  // The most a Uint8Array, and wasm32 memory, can hold.
  const cap = Math.min(max, 4294967295);
  const stream = request?.body;
  if (typeof stream?.getReader === "function") {
    let reader;
    try {
      reader = stream.getReader();
    } catch {
      return unreadable;
    }
    const chunks = [];
    let total = 0;
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        return unreadable;
      }
      if (chunk.done) break;
      if (!(chunk.value instanceof Uint8Array)) {
        return [UNREADABLE, "the request body stream must give bytes (Uint8Array chunks)."];
      }
      total += chunk.value.length;
      if (total > cap) {
        // Nothing more is pulled from the sender; a failing cancel changes nothing here.
        await Promise.resolve().then(() => reader.cancel()).catch(Boolean);
        return [BODY_TOO_LARGE];
      }
      chunks.push(chunk.value);
    }
    return [BODY, concat(chunks, total)];
  }
  if (typeof request?.arrayBuffer !== "function") {
    return [UNREADABLE, "handleWebhook takes a web Request (with arrayBuffer())."];
  }
  let body;
  try {
    body = await request.arrayBuffer();
  } catch {
    return unreadable;
  }
  const length = typeof body === "string" ? new TextEncoder().encode(body).length : (body?.byteLength ?? 0);
  return length > cap ? [BODY_TOO_LARGE] : [BODY, body];
}

/** The chunks as one array of `size` bytes (the one chunk itself when there is one). */
function concat(chunks, size) {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of chunks) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** Waits `ms`; resolves true, or false when `signal` fires first. */
function sleep(ms, signal) {
  if (signal?.aborted) return Promise.resolve(false);
  if (!(ms > 0)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve(!signal?.aborted);
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    signal?.addEventListener("abort", done);
  });
}

/** A user's limiter's `acquire(key, { signal })`, as the machine's input. */
async function acquire(limiter, key, signal) {
  const options = {};
  if (signal) options.signal = signal;
  let input = [ACQUIRED];
  try {
    await limiter.acquire(key, options);
  } catch (error) {
    input = [ACQUIRE_FAILED, describe(error)];
  }
  return signal?.aborted ? [ABORTED] : input;
}

/** A user's window store's last inbound time for `to`; a failing store counts as no record. */
async function readWindow(store, to) {
  try {
    const last = await store.get(to);
    return typeof last === "number" ? last : undefined;
  } catch {
    return undefined;
  }
}

/** A user's limiter's `report(key, info)`: advice, so its failure never fails the call. */
function report(limiter, key, info) {
  try {
    if (typeof limiter.report !== "function") return;
    const result = limiter.report(key, info);
    if (typeof result?.catch === "function") result.catch(Boolean);
  } catch {
    // ignored: see above
  }
}

/** A runtime error as one line: its message, and its cause's (`fetch failed (other side closed)`). */
function describe(error) {
  const message = typeof error?.message === "string" ? error.message : typeof error === "string" ? error : "unknown error";
  const cause = error?.cause;
  const detail = typeof cause?.message === "string" ? cause.message : typeof cause?.code === "string" ? cause.code : "";
  const line = detail && !message.includes(detail) ? `${message} (${detail})` : message;
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").slice(0, 300);
}

// The runtime's HMAC-SHA256, `(secret, body) => Uint8Array`, when the entry gives one (the Node
// entry gives node:crypto's, several times faster than SHA-256 in wasm); null: computed in wasm.
let hostHmac = null;

/**
 * Gives the webhook checks the runtime's HMAC-SHA256. Only the digest moves: reading the
 * signature header and comparing (in constant time) stay on the Rust side.
 * @param {((secret: string | ArrayBufferView, body: string | ArrayBufferView) => Uint8Array) | null} hmac
 */
export function useHostHmac(hmac) {
  hostHmac = hmac;
}

/**
 * The HMAC-SHA256 of `body` under `secret` from the runtime's HMAC, as 32 bytes; `undefined` when
 * there is none, when either is not a string, `ArrayBuffer` or view (as the Rust side reads them:
 * a string as UTF-8, a view as its own bytes), or when it threw. Then the Rust side computes it.
 * @param {unknown} secret
 * @param {unknown} body
 * @returns {Uint8Array | undefined}
 */
export function hostDigest(secret, body) {
  if (hostHmac === null) return undefined;
  const key = hmacInput(secret);
  const data = hmacInput(body);
  if (key === undefined || data === undefined) return undefined;
  try {
    const digest = hostHmac(key, data);
    return digest instanceof Uint8Array && digest.length === 32 ? digest : undefined;
  } catch {
    return undefined;
  }
}

/** A string or view as it is, an `ArrayBuffer` as a view of it; anything else `undefined`. */
function hmacInput(value) {
  if (typeof value === "string" || ArrayBuffer.isView(value)) return value;
  return value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
}

/**
 * The value of header `name` (lowercase ASCII) in `headers`: a `Headers` (its `get`), or a plain
 * object as Node gives it (keys matched ignoring ASCII case, array values and repeated keys joined
 * by ", "); `undefined` when absent. One call per header, where reading the keys from wasm took a
 * crossing per key (Node's `req.headers` has a dozen or more).
 * @param {unknown} headers
 * @param {string} name
 * @returns {string | undefined}
 */
export function headerValue(headers, name) {
  if (headers === null || (typeof headers !== "object" && typeof headers !== "function")) return undefined;
  if (typeof headers.get === "function") {
    const value = headers.get(name);
    return typeof value === "string" ? value : undefined;
  }
  let values;
  for (const key of Object.keys(headers)) {
    if (!sameAsciiName(key, name)) continue;
    const value = headers[key];
    if (typeof value === "string") (values ??= []).push(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === "string") (values ??= []).push(item);
  }
  return values?.join(", ");
}

/** Whether `key` is `name` (lowercase ASCII) ignoring ASCII case only, as HTTP header names compare. */
function sameAsciiName(key, name) {
  if (key.length !== name.length) return false;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * `parseWebhook`'s events from the records the Rust side wrote (src/engine/webhook/wire.rs): parts
 * separated by "\0", each a type character, a key character ("0" + the key's index in `keys`)
 * and the value. Splitting them costs a fraction of what `JSON.parse` of the same objects does.
 * The payloads (`raw`) and a message's text arrive as paths into the body, and are taken from the
 * body's own `JSON.parse`: they are most of a body, and the runtime's parser builds them faster
 * than wasm can write them out again. `body` is what the Rust side parsed (a string, or the bytes
 * of its UTF-8), so it is JSON; the payloads the paths name never overlap, so no two events share
 * an object.
 * @param {string} records
 * @param {string | ArrayBuffer | ArrayBufferView} body
 * @param {string[]} keys
 * @returns {object[]}
 */
export function webhookEvents(records, body, keys) {
  let document;
  return eventsOf(records, keys, () => (document ??= parseBody(body)));
}

/**
 * The events in `records`, each path taken from `document()` (called only for the first path).
 * @param {string} records
 * @param {string[]} keys
 * @param {() => unknown} document
 * @returns {object[]}
 */
function eventsOf(records, keys, document) {
  const events = [];
  if (records === "") return events;
  let event, target;
  for (const part of records.split("\0")) {
    const key = keys[part.charCodeAt(1) - 48];
    const value = part.slice(2);
    switch (part.charCodeAt(0)) {
      case 115: // s: a string; `kind` starts an event (a reply's `kind` is inside `reply`)
        if (key === "kind" && target === event) events.push((event = target = {}));
        target[key] = value;
        break;
      case 110: // n: a number's JSON text
        target[key] = Number(value);
        break;
      case 106: // j: JSON text
        target[key] = JSON.parse(value);
        break;
      case 112: // p: a path from the top of the body
        target[key] = value === "" ? document() : value.split("\x01").reduce((at, step) => at[step], document());
        break;
      case 123: // {: a nested object
        target = target[key] = {};
        break;
      default: // }: its end
        target = event;
    }
  }
  return events;
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** `JSON.parse` of a body the Rust side has checked is UTF-8 JSON: a string, or its bytes. */
function parseBody(body) {
  return JSON.parse(typeof body === "string" ? body : utf8.decode(body));
}

/**
 * `verifyWebhook`'s common case in one call (src/bindings/webhook.rs `verify_quick`): writes the
 * body's HMAC-SHA256 under the secret, by the runtime's HMAC, into `scratch` (a view of wasm
 * memory) and the signature header's value (ASCII) after it, and returns that value's length (0
 * when absent: it cannot verify either way). -1, for the general path, when there is no runtime
 * HMAC, when `toleranceSeconds` is given (the timestamp is checked there), when the secret is not
 * a non-empty string or view, or when the header is not ASCII or longer than `scratch` holds.
 * @param {unknown} options
 * @param {Uint8Array} scratch
 * @returns {number}
 */
export function verifyQuick(options, scratch) {
  if (hostHmac === null) return -1;
  const tolerance = option(options, "toleranceSeconds");
  if (tolerance !== undefined && tolerance !== null) return -1;
  const secret = option(options, "secret");
  // The general path refuses an empty secret (saying why), and reads an ArrayBuffer one.
  const usable = typeof secret === "string" ? secret.length > 0 : ArrayBuffer.isView(secret) && secret.byteLength > 0;
  const digest = usable ? hostDigest(secret, option(options, "body")) : undefined;
  if (digest === undefined) return -1;
  const signature = signatureHeader(option(options, "headers")) ?? "";
  if (signature.length > scratch.length - 32) return -1;
  for (let i = 0; i < signature.length; i++) {
    const c = signature.charCodeAt(i);
    if (c > 127) return -1;
    scratch[32 + i] = c;
  }
  scratch.set(digest);
  return signature.length;
}

/**
 * What `verifyWebhook` reads from its options, in one call rather than a crossing (and a key name
 * copied out of wasm) per value: `[body, secret, toleranceSeconds, signature, timestamp]`. A value
 * whose getter throws reads as `undefined`; the two headers are `signatureHeaders`'.
 * @param {unknown} options
 * @returns {unknown[]}
 */
export function verifyOptions(options) {
  const at = (key) => option(options, key);
  return [at("body"), at("secret"), at("toleranceSeconds"), ...signatureHeaders(at("headers"))];
}

/** `options[key]`; `undefined` when its getter throws. */
function option(options, key) {
  try {
    return options[key];
  } catch {
    return undefined;
  }
}

/**
 * The headers a delivery is verified by, in one call: `[signature, timestamp]`, the signature being
 * `X-Signature`, else `X-Sendexa-Signature` (`signatureHeader`), and the timestamp `X-Timestamp`,
 * each as `headerValue` reads it (`undefined` when absent, or when reading threw).
 * `verifyWebhook` and `handleWebhook` both read them here.
 * @param {unknown} headers
 * @returns {(string | undefined)[]}
 */
export function signatureHeaders(headers) {
  return [signatureHeader(headers), readHeader(headers, "x-timestamp")];
}

/** `X-Signature`, else `X-Sendexa-Signature`, of `headers`, as `readHeader` reads them. */
function signatureHeader(headers) {
  return readHeader(headers, "x-signature") ?? readHeader(headers, "x-sendexa-signature");
}

/** `headerValue`, `undefined` when reading threw. */
function readHeader(headers, name) {
  try {
    return headerValue(headers, name);
  } catch {
    return undefined;
  }
}
