// Credentials in Node, beyond what every runtime checks (tests/consumers/check.mjs "security: …"):
// nothing is logged, and no part of a client or of its errors shows the token, util.inspect
// included, whatever a failing server or network says.
//
//   node --test tests/reliability/security.test.mjs
import test from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { importSdk } from "./helpers.mjs";

const sdk = await importSdk();
const TOKEN = "tok_RELIABILITY_SECRET_42";
const base = { baseUrl: "http://127.0.0.1:9", maxRetries: 1, retry: { baseDelayMs: 1 }, rateLimit: false };

/** Answers that quote the Authorization header in every place a server or proxy might. */
const answers = {
  "a JSON error quoting it": (auth) => new Response(JSON.stringify({ success: false, code: "UNAUTHORIZED", message: `bad credentials: ${auth}`, errors: [{ field: "authorization", message: auth }] }), { status: 401, headers: { "content-type": "application/json" } }),
  "a 503 quoting it": (auth) => new Response(JSON.stringify({ message: `upstream refused ${auth}` }), { status: 503, headers: { "content-type": "application/json" } }),
  "an HTML page quoting it": (auth) => new Response(`<html><title>502 ${auth}</title></html>`, { status: 502, headers: { "content-type": "text/html" } }),
  "a network error quoting it": (auth) => {
    throw new TypeError(`connect ECONNREFUSED for ${auth}`, { cause: new Error(auth) });
  },
};

/** Every client call, failing through `fetch`; the errors, as thrown. */
async function failures(fetch) {
  const wa = new sdk.Sendexa({ token: TOKEN, ...base, fetch });
  const calls = [
    () => wa.send(sdk.templateMessage("233244000001", { name: "hello_world", language: "en_US" })),
    () => wa.status("exa_wa_1"),
    () => wa.listNumbers(),
    () => wa.checkNumber("233244000001"),
    () => wa.createTemplate({ name: "x", category: "UTILITY", language: "en", components: [{ type: "BODY", text: "x" }] }),
  ];
  const errors = [];
  for (const call of calls) {
    try {
      await call();
      errors.push(new Error("resolved"));
    } catch (err) {
      errors.push(err);
    }
  }
  return { wa, errors };
}

test("the SDK logs nothing, and errors' messages, JSON and stacks never show the token", async () => {
  const logged = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace"];
  const saved = methods.map((m) => console[m]);
  methods.forEach((m) => (console[m] = (...args) => logged.push(args.map(String).join(" "))));
  try {
    for (const [what, answer] of Object.entries(answers)) {
      const { wa, errors } = await failures((url, init) => answer(init.headers.authorization));
      for (const err of errors) {
        assert.ok(err instanceof sdk.SendexaError, `${what}: ${err}`);
        for (const [part, text] of [["message", err.message], ["JSON", JSON.stringify(err)], ["stack", err.stack], ["String", String(err)]]) {
          assert.ok(!String(text).includes(TOKEN), `${what}: ${err.code}'s ${part} shows the token: ${text}`);
        }
      }
      for (const text of [String(wa), JSON.stringify(wa), inspect(wa, { showHidden: true, depth: 10 })]) assert.ok(!text.includes(TOKEN), `${what}: the client shows it: ${text}`);
    }
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
  }
  assert.deepEqual(logged, [], "console output");
});

test("no property of an error shows the token, util.inspect(err) included", async () => {
  for (const [what, answer] of Object.entries(answers)) {
    const { errors } = await failures((url, init) => answer(init.headers.authorization));
    for (const err of errors) {
      const shown = inspect(err, { showHidden: true, depth: 10 });
      assert.ok(!shown.includes(TOKEN), `${what}: util.inspect(${err.code}) shows the token`);
    }
  }
});
