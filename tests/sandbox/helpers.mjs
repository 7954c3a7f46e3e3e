// Shared helpers for the sandbox's own tests (not a test file: no `.test.` in the name).
import http from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import { start } from "./server.mjs";

export const TOKEN = "test-token";
export const START = "2025-01-15T10:00:00.000Z";
export const USER = "233244000000";

/**
 * Starts a sandbox for one test (frozen clock at START unless told otherwise) and closes it
 * when the test ends. Returns { url, api, control, sandbox }.
 */
export async function startSandbox(t, options = {}) {
  const sb = await start({ tokens: [TOKEN], timeScale: 0, startTime: START, ...options });
  t.after(() => sb.close());
  const api = (method, path, { body, token = TOKEN, headers = {}, raw } = {}) =>
    request(sb.url, method, path, {
      body, raw,
      headers: { ...(token ? { Authorization: `Basic ${token}` } : {}), ...headers },
    });
  const control = (method, path, body) => request(sb.url, method, `/__sandbox${path}`, { body });
  return { ...sb, api, control };
}

/** fetch + JSON: { status, headers, body (parsed or null), text }. */
export async function request(base, method, path, { body, raw, headers = {}, signal } = {}) {
  const init = { method, headers: { ...headers }, signal };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] ||= "application/json";
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON; callers look at text */ }
  return { status: res.status, headers: res.headers, body: json, text };
}

/** Text send body. */
export const text = (to, body = "hello") => ({ to, type: "text", text: { body } });
export const template = (to, name, language, components) => ({ to, type: "template", template: { name, language, ...(components ? { components } : {}) } });

/** Opens the 24 h window for `phone` by simulating an inbound message. */
export async function openWindow(control, phone = USER) {
  const r = await control("POST", "/inbound", { from: phone, text: "hi" });
  if (r.status !== 201) throw new Error(`inbound failed: ${r.text}`);
  return r.body.data;
}

/**
 * A webhook receiver. `respond(delivery)` returns the status to answer (default 200).
 * `next(pred, ms)` resolves with the first delivery matching pred (already received or future).
 */
export async function webhookListener(t, { respond = () => 200 } = {}) {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const d = { headers: req.headers, raw, json: JSON.parse(raw.toString("utf8")), at: Date.now() };
      received.push(d);
      res.writeHead(respond(d)).end();
      for (const w of [...waiters]) if (w.pred(d)) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(d);
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    next(pred = () => true, ms = 3000) {
      const hit = received.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        w.timer = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no matching webhook within ${ms} ms (got ${received.map((d) => d.json.event).join(", ")})`));
          }
        }, ms);
      });
    },
  };
}

/** Checks X-Signature the way a receiver must: HMAC-SHA256 of the raw body bytes. */
export function signatureValid(secret, raw, header) {
  if (typeof header !== "string") return false;
  const given = Buffer.from(header.replace(/^sha256=/, ""), "hex");
  const want = createHmac("sha256", secret).update(raw).digest();
  return given.length === want.length && timingSafeEqual(given, want);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
