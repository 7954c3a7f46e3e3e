// nodeWebhookHandler (src/bindings/node-webhook.js) from the built package, behind a real node:http
// server on 127.0.0.1: signed, unsigned, malformed and oversized deliveries, bodies a parser
// already read, a throwing onEvent, bad options. Every answer is compared with handleWebhook's.
// Run after `make build`: node --test tests/node-webhook/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer, request as httpRequest } from "node:http";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const pkgEntry = fileURLToPath(new URL("../../pkg/node/sendexa_whatsapp.cjs", import.meta.url));
const { nodeWebhookHandler, handleWebhook, SendexaError } = require(pkgEntry);

const SECRET = "whsec_node_webhook";
const sign = (body, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const MESSAGE = JSON.stringify({
  event: "message.received",
  from: "233244000000",
  type: "text",
  text: { body: "Akwaaba 👋 — café / a@b" },
  timestamp: "2024-01-15T10:31:00Z",
});
const STATUS = '{"event":"message.delivered","messageId":"exa_wa_1","status":"delivered","to":"233244000000"}';

/**
 * A node:http server on 127.0.0.1:0 whose requests go to `listener(req, res)`. Returns its base URL,
 * the requests it saw and close().
 */
async function serve(listener) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req);
    listener(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}/webhooks/sendexa`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** POSTs `body` with `headers`: { status, headers, text, json }. */
async function post(url, body, headers = {}) {
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** handleWebhook's own answer to the same delivery: { status, contentType, text }. */
async function reference(body, headers, options) {
  const response = await handleWebhook(new Request("https://example.test/hook", { method: "POST", body, headers }), options);
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

test("a signed delivery: 200, and onEvent gets typed events in order", async () => {
  const events = [];
  const window = new Map();
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e), window }));
  try {
    const answer = await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { received: 1 });
    assert.equal(answer.headers.get("content-type"), "application/json");
    const status = await post(server.url, STATUS, { "x-sendexa-signature": sign(STATUS).slice(7) });
    assert.equal(status.status, 200);

    assert.equal(events.length, 2);
    const [message, update] = events;
    assert.equal(message.kind, "message");
    assert.equal(message.from, "233244000000");
    assert.equal(message.type, "text");
    assert.equal(message.text, "Akwaaba 👋 — café / a@b", "the raw UTF-8 bytes were verified and decoded");
    assert.deepEqual(message.raw, JSON.parse(MESSAGE));
    assert.equal(update.kind, "status");
    assert.equal(update.status, "delivered");
    assert.equal(update.messageId, "exa_wa_1");
    assert.equal(window.get("233244000000"), Date.parse("2024-01-15T10:31:00Z"), "the window store was fed");
  } finally {
    await server.close();
  }
});

test("401 for a bad, missing or duplicated signature and a tampered body; onEvent never called", async () => {
  const events = [];
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e) }));
  try {
    const cases = [
      ["missing", MESSAGE, {}],
      ["wrong secret", MESSAGE, { "X-Signature": sign(MESSAGE, "whsec_other") }],
      ["malformed", MESSAGE, { "X-Signature": "sha256=zz" }],
      ["tampered body", MESSAGE.replace("Akwaaba", "Akwaaba!"), { "X-Signature": sign(MESSAGE) }],
    ];
    for (const [what, body, headers] of cases) {
      const answer = await post(server.url, body, headers);
      assert.equal(answer.status, 401, what);
      assert.equal(answer.json.error.code, "INVALID_SIGNATURE", what);
    }
    // Two X-Signature header lines (Node joins them with ", "): never verifies.
    const duplicated = await rawPost(server.port, MESSAGE, [
      ["Host", `127.0.0.1:${server.port}`],
      ["Content-Length", String(Buffer.byteLength(MESSAGE))],
      ["X-Signature", sign(MESSAGE)],
      ["X-Signature", sign(MESSAGE)],
    ]);
    assert.equal(duplicated.status, 401, "a duplicated signature header");
    assert.deepEqual(events, []);
  } finally {
    await server.close();
  }
});

/** A POST through node:http with header lines exactly as given (repeats included; no Host added). */
async function rawPost(port, body, headerLines) {
  const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/hook", headers: headerLines.flat() });
  req.end(body);
  const [res] = await once(req, "response");
  const chunks = [];
  for await (const chunk of res) chunks.push(chunk);
  return { status: res.statusCode, text: Buffer.concat(chunks).toString() };
}

test("400 for a signed body that is not JSON", async () => {
  const events = [];
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e) }));
  try {
    for (const body of ['{"event":', "", "[1, 2", "\u00ff"]) {
      const answer = await post(server.url, body, { "X-Signature": sign(body) });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json.error.code, "INVALID_WEBHOOK");
    }
    assert.deepEqual(events, []);
  } finally {
    await server.close();
  }
});

test("500 when onEvent throws or rejects, so Sendexa retries", async () => {
  for (const onEvent of [
    () => {
      throw new Error("database down");
    },
    async () => {
      throw new Error("database down");
    },
  ]) {
    const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent }));
    try {
      const answer = await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
      assert.equal(answer.status, 500);
      assert.equal(answer.json.error.code, "HANDLER_FAILED");
      assert.match(answer.json.error.message, /database down/);
    } finally {
      await server.close();
    }
  }
});

test("every answer is handleWebhook's: status, content type and body", async () => {
  const throwing = () => {
    throw new Error("nope");
  };
  const cases = [
    ["signed", MESSAGE, { "X-Signature": sign(MESSAGE) }, {}],
    ["unsigned", MESSAGE, {}, {}],
    ["malformed", "{", { "X-Signature": sign("{") }, {}],
    ["onEvent throws", STATUS, { "X-Signature": sign(STATUS) }, { onEvent: throwing }],
    ["over maxBodyBytes", MESSAGE, { "X-Signature": sign(MESSAGE) }, { maxBodyBytes: 10 }],
    ["within tolerance? no X-Timestamp", STATUS, { "X-Signature": sign(STATUS) }, { toleranceSeconds: 300 }],
  ];
  for (const [what, body, headers, extra] of cases) {
    const options = { secret: SECRET, onEvent: () => {}, dedupe: false, ...extra };
    const server = await serve(nodeWebhookHandler(options));
    try {
      const got = await post(server.url, body, headers);
      const want = await reference(body, headers, options);
      assert.deepEqual({ status: got.status, contentType: got.headers.get("content-type"), text: got.text }, want, what);
    } finally {
      await server.close();
    }
  }
});

// A handler that waited for the end of the body would never answer the chunked request: the timeout
// fails it.
test("413 over maxBodyBytes: by Content-Length without reading, or once the bytes read pass the cap", { timeout: 15_000 }, async () => {
  const events = [];
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e), maxBodyBytes: 1000 }));
  try {
    // Content-Length over the cap: answered before any byte of the body is read.
    const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: { "content-length": "5000", "x-signature": sign("x") } });
    req.on("error", () => {});
    req.flushHeaders();
    const [res] = await once(req, "response");
    assert.equal(res.statusCode, 413);
    assert.equal(res.headers.connection, "close");
    const body = JSON.parse(await text(res));
    assert.equal(body.error.code, "PAYLOAD_TOO_LARGE");
    assert.match(body.error.message, /maxBodyBytes \(1000 bytes\)/);
    assert.equal(server.seen.at(-1).readableEnded, false, "the body was not read");
    req.destroy();

    // Chunked, no Content-Length: 600 + 600 bytes and no end. The answer comes while the client
    // is still sending, so the handler stopped reading at the cap.
    const chunked = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: { "transfer-encoding": "chunked" } });
    chunked.on("error", () => {});
    chunked.write("a".repeat(600));
    chunked.write("b".repeat(600));
    const [res2] = await once(chunked, "response");
    assert.equal(res2.statusCode, 413);
    assert.equal(res2.headers.connection, "close");
    assert.equal(JSON.parse(await text(res2)).error.code, "PAYLOAD_TOO_LARGE");
    assert.equal(server.seen.at(-1).readableEnded, false, "the stream was not read to its end");
    chunked.destroy();

    // Exactly the cap fits.
    const prefix = '{"event":"message.read","messageId":"exa_wa_2","status":"read","pad":"';
    const fits = `${prefix}${"x".repeat(1000 - prefix.length - 2)}"}`;
    assert.equal(Buffer.byteLength(fits), 1000);
    const answer = await post(server.url, fits, { "X-Signature": sign(fits) });
    assert.equal(answer.status, 200);
    assert.equal(events.length, 1);
    const over = await post(server.url, `${fits} `, { "X-Signature": sign(`${fits} `) });
    assert.equal(over.status, 413);
    assert.equal(events.length, 1, "onEvent never saw the oversized delivery");
  } finally {
    await server.close();
  }
});

async function text(res) {
  const chunks = [];
  for await (const chunk of res) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

test("the default cap is 1 MiB", async () => {
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: () => {} }));
  try {
    const mib = 1024 * 1024;
    assert.equal((await post(server.url, "a".repeat(mib))).status, 401, "1 MiB is read (and unsigned)");
    assert.equal((await post(server.url, "a".repeat(mib + 1))).status, 413);
  } finally {
    await server.close();
  }
});

test("req.body as a Buffer or Uint8Array (express.raw) is used, and so is req.rawBody", async () => {
  const events = [];
  const handler = nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e), maxBodyBytes: 4096 });
  // Stands in for a raw-body parser: reads the stream, keeps the bytes, and lets the test choose
  // which bytes the handler gets.
  let keep = (raw) => ({ body: raw });
  const server = await serve(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    Object.assign(req, keep(Buffer.concat(chunks)));
    handler(req, res);
  });
  try {
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) })).status, 200);
    // The handler checks the bytes in req.body, not what came over the wire.
    keep = () => ({ body: Buffer.from(STATUS) });
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(STATUS) })).status, 200);
    keep = (raw) => ({ body: new Uint8Array(raw) });
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) })).status, 200);
    keep = (raw) => ({ body: raw });
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(STATUS) })).status, 401);
    // Google Cloud Functions / Firebase: a parsed body beside the raw bytes.
    keep = (raw) => ({ body: JSON.parse(raw), rawBody: raw });
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) })).status, 200);
    // A kept Buffer over the cap.
    keep = () => ({ body: Buffer.alloc(4097, 32) });
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) })).status, 413);
    assert.deepEqual(
      events.map((e) => e.kind),
      ["message", "status", "message", "message"],
    );
  } finally {
    await server.close();
  }
});

test("a body a parser already read: 500, and a SendexaError that says to mount express.raw", async () => {
  const events = [];
  const handler = nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e) });
  const errors = [];
  let parse = (raw) => JSON.parse(raw); // like express.json()
  let withNext = true;
  const server = await serve(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    req.body = parse(Buffer.concat(chunks).toString());
    if (!withNext) return handler(req, res);
    // Like Express: next(err) goes to the error handler, which answers 500.
    handler(req, res, (err) => {
      errors.push(err);
      res.writeHead(500).end(String(err?.message));
    });
  });
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on("warning", onWarning);
  try {
    const answer = await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
    assert.equal(answer.status, 500);
    assert.equal(errors.length, 1, "next(err) was called once");
    const [err] = errors;
    assert.ok(err instanceof SendexaError, String(err));
    assert.ok(err instanceof Error);
    assert.equal(err.code, "INVALID_ARGUMENT");
    assert.match(err.message, /already parsed into an object/);
    assert.ok(err.message.includes('express.raw({ type: "application/json" })'), err.message);
    assert.match(err.message, /parseAs: "buffer"/, "the Fastify way too");

    parse = (raw) => raw; // like express.text()
    await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
    assert.match(errors[1].message, /parsed into a string/);

    parse = () => undefined; // read and dropped
    await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
    assert.match(errors[2].message, /read by another middleware/);

    // Without next (plain node:http): the handler answers 500 itself, with the message, and warns
    // once per handler; the server keeps serving.
    parse = (raw) => JSON.parse(raw);
    withNext = false;
    for (let i = 0; i < 2; i++) {
      const plain = await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) });
      assert.equal(plain.status, 500);
      assert.equal(plain.json.error.code, "INVALID_ARGUMENT");
      assert.ok(plain.json.error.message.includes("express.raw"), plain.json.error.message);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1, "one process warning per handler");
    assert.ok(warnings[0] instanceof SendexaError);
    assert.equal(events.length, 0);
  } finally {
    process.off("warning", onWarning);
    await server.close();
  }
});

test("a Fastify reply is answered through code()/header()/send(), errors through send(err)", async () => {
  const sent = [];
  const reply = (raw) => {
    const r = {
      raw,
      statusCode: 200,
      headers: {},
      code(status) {
        r.statusCode = status;
        return r;
      },
      header(name, value) {
        r.headers[name] = value;
        return r;
      },
      send(payload) {
        sent.push({ status: r.statusCode, headers: r.headers, payload });
        return r;
      },
    };
    return r;
  };
  const events = [];
  const handler = nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e) });
  const done = () => new Promise((resolve) => setTimeout(resolve, 50));
  // With a buffer parser, request.body holds the bytes; request.raw is the consumed stream.
  handler({ headers: { "x-signature": sign(MESSAGE) }, body: Buffer.from(MESSAGE), raw: { readableEnded: true, on() {} } }, reply({}));
  await done();
  assert.equal(sent[0].status, 200);
  assert.equal(sent[0].headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(Buffer.from(sent[0].payload).toString()), { received: 1 });
  assert.equal(events.length, 1);
  // Fastify's default JSON parser: an object, reported through reply.send(err).
  handler({ headers: { "x-signature": sign(MESSAGE) }, body: JSON.parse(MESSAGE), raw: { readableEnded: true, on() {} } }, reply({}));
  await done();
  assert.equal(sent[1].status, 500);
  assert.ok(sent[1].payload instanceof SendexaError);
  assert.match(sent[1].payload.message, /parseAs: "buffer"/);
  assert.equal(events.length, 1);
});

test("a client that goes away mid-body: no answer, no event, the server keeps serving", async () => {
  const events = [];
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e) }));
  try {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: { "content-length": String(MESSAGE.length + 10), "x-signature": sign(MESSAGE) } });
    req.on("error", () => {});
    req.write(MESSAGE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(events.length, 0);
    assert.equal((await post(server.url, MESSAGE, { "X-Signature": sign(MESSAGE) })).status, 200);
    assert.equal(events.length, 1);
  } finally {
    await server.close();
  }
});

test("retried deliveries (same X-Webhook-ID) run onEvent once", async () => {
  const events = [];
  const server = await serve(nodeWebhookHandler({ secret: SECRET, onEvent: (e) => events.push(e), dedupe: new Set() }));
  try {
    const headers = { "X-Signature": sign(MESSAGE), "X-Webhook-ID": "whk_node_1" };
    assert.deepEqual((await post(server.url, MESSAGE, headers)).json, { received: 1 });
    assert.deepEqual((await post(server.url, MESSAGE, headers)).json, { received: 0, duplicate: true });
    assert.equal(events.length, 1);
  } finally {
    await server.close();
  }
});

test("bad options throw INVALID_ARGUMENT when the handler is made", () => {
  const onEvent = () => {};
  const cases = [
    [undefined, /options object/],
    ["whsec", /options object/],
    [{ onEvent }, /options\.secret/],
    [{ secret: "", onEvent }, /options\.secret/],
    [{ secret: 42, onEvent }, /options\.secret/],
    [{ secret: SECRET }, /options\.onEvent must be a function/],
    [{ secret: SECRET, onEvent: "log" }, /options\.onEvent must be a function/],
    [{ secret: SECRET, onEvent, maxBodyByte: 10 }, /^unknown option "maxBodyByte" \(did you mean "maxBodyBytes"\?\)/],
    [{ secret: SECRET, onEvent, onevent: onEvent }, /\(did you mean "onEvent"\?\)/],
    [{ secret: SECRET, onEvent, windw: new Map() }, /\(did you mean "window"\?\)/],
    [{ secret: SECRET, onEvent, zzz: 1 }, /^unknown option "zzz"; nodeWebhookHandler takes secret, onEvent, dedupe, window, toleranceSeconds, maxBodyBytes$/],
    [{ secret: SECRET, onEvent, ["k".repeat(100_000)]: 1 }, /^unknown option "k{30}…k{30}"; nodeWebhookHandler takes/],
    [{ secret: SECRET, onEvent, maxBodyBytes: 0 }, /maxBodyBytes/],
    [{ secret: SECRET, onEvent, maxBodyBytes: 1.5 }, /maxBodyBytes/],
    [{ secret: SECRET, onEvent, maxBodyBytes: "1mb" }, /maxBodyBytes/],
    [{ secret: SECRET, onEvent, window: {} }, /options\.window/],
    [{ secret: SECRET, onEvent, dedupe: [] }, /options\.dedupe/],
    [{ secret: SECRET, onEvent, toleranceSeconds: -1 }, /toleranceSeconds/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => nodeWebhookHandler(options),
      (err) => err instanceof SendexaError && err.code === "INVALID_ARGUMENT" && message.test(err.message),
      `${JSON.stringify(options)} → ${message}`,
    );
  }
  // Good options of every kind are accepted.
  assert.equal(typeof nodeWebhookHandler({ secret: new TextEncoder().encode(SECRET), onEvent, window: new Map(), dedupe: false, toleranceSeconds: 300, maxBodyBytes: 1 }), "function");
});

test("an unknown option is refused in the same words as handleWebhook's (one option contract)", async () => {
  const onEvent = () => {};
  const request = () => new Request("https://example.test/hook", { method: "POST", body: "{}" });
  for (const key of ["signl", "secrt", "onevent", "tolerance", "maxBody", "maxBodySize", "window2", "zzz", "Dedupe", "é".repeat(80)]) {
    const ours = (() => {
      try {
        nodeWebhookHandler({ secret: SECRET, onEvent, [key]: 1 });
      } catch (err) {
        return err.message;
      }
      return "accepted";
    })();
    const theirs = await handleWebhook(request(), { secret: SECRET, onEvent, [key]: 1 }).then(
      () => "accepted",
      (err) => err.message.replace("handleWebhook takes", "nodeWebhookHandler takes"),
    );
    assert.equal(ours, theirs, key);
  }
});

test("the package ships src/bindings/node-webhook.js", async () => {
  const shipped = readFileSync(fileURLToPath(new URL("../../pkg/node/node-webhook.cjs", import.meta.url)), "utf8");
  const source = readFileSync(fileURLToPath(new URL("../../src/bindings/node-webhook.js", import.meta.url)), "utf8");
  // As scripts/assemble-pkg.mjs ships it: as CommonJS, then minified (names kept).
  const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  const commonJs = `"use strict";\n${source.replace(/^export (function) /gm, "$1 ")}\nmodule.exports = { ${names.join(", ")} };\n`;
  const esbuild = fileURLToPath(new URL("../../scripts/node-tools/node_modules/esbuild/lib/main.js", import.meta.url));
  const { transformSync } = await import(esbuild);
  const { code } = transformSync(commonJs, { minifyWhitespace: true, minifySyntax: true, legalComments: "none", logLevel: "error" });
  assert.equal(shipped, code, "pkg/ is stale: run make build");
});
