// Node's entry (node/index.cjs, and node/index.mjs over it) loads each build on first use: the
// messages build for the exports it has, unless the full build is loaded; the full build for the
// client and webhooks. These tests run fresh Node processes and look at which builds they loaded,
// and check that nothing a user can observe depends on which build answered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = fileURLToPath(new URL("../../pkg/", import.meta.url));

/**
 * Runs `body` (an async function body given `sdk`, the entry's exports, and `builds()`, the builds
 * loaded so far: "messages", "full") in a fresh Node process; returns what the body returns.
 */
function inFreshNode(body, { entry = "node/index.mjs" } = {}) {
  const url = pathToFileURL(join(pkg, entry)).href;
  const source = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const builds = () => Object.keys(require.cache)
  .filter((f) => f.endsWith("sendexa_whatsapp.cjs"))
  .map((f) => (f.includes("/messages/") ? "messages" : "full"))
  .sort();
const sdk = ${entry.endsWith(".cjs") ? `require(${JSON.stringify(join(pkg, entry))})` : `await import(${JSON.stringify(url)})`};
const result = await (async () => { ${body} })();
process.stdout.write(JSON.stringify(result));
`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" }));
}

const TEXT = 'sdk.textMessage("+233 24 400 0000", "Your order has shipped")';
const CLIENT = 'new sdk.Sendexa({ apiKey: "k", apiSecret: "s", baseUrl: "http://127.0.0.1:9" })';

for (const entry of ["node/index.mjs", "node/index.cjs"]) {
  test(`${entry}: importing loads no build; validating loads the messages build only`, () => {
    const seen = inFreshNode(
      `const atImport = builds();
       sdk.validateMessage(${TEXT});
       sdk.isValidPhone("+233244000000");
       return { atImport, afterValidate: builds() };`,
      { entry },
    );
    assert.deepEqual(seen, { atImport: [], afterValidate: ["messages"] });
  });
}

test("a process that makes its client first loads the full build only, and builds messages on it", () => {
  const seen = inFreshNode(`const client = ${CLIENT}; const message = ${TEXT}; sdk.parsePhone("0244000000", "GH"); return { builds: builds(), message };`);
  assert.deepEqual(seen.builds, ["full"]);
  assert.equal(seen.message.to, "233244000000");
});

test("validate first, then a client: both builds, and the same answers from each", () => {
  const seen = inFreshNode(`
    const before = ${TEXT};
    let errorBefore; try { sdk.textMessage("not a number", "x"); } catch (e) { errorBefore = e; }
    const client = ${CLIENT};
    const after = ${TEXT};
    let errorAfter; try { sdk.textMessage("not a number", "x"); } catch (e) { errorAfter = e; }
    return {
      builds: builds(),
      same: JSON.stringify(before) === JSON.stringify(after),
      errors: [errorBefore, errorAfter].map((e) => [e instanceof sdk.SendexaError, e.code, e.message]),
    };`);
  assert.deepEqual(seen.builds, ["full", "messages"]);
  assert.equal(seen.same, true);
  assert.deepEqual(seen.errors[0], seen.errors[1]);
  assert.equal(seen.errors[0][0], true);
});

test("the classes behave as the full build's: instanceof, methods, subclasses, objects the build makes", () => {
  const seen = inFreshNode(`
    const client = ${CLIENT};
    class Logged extends sdk.Sendexa { tag() { return "logged"; } }
    const logged = new Logged({ apiKey: "k", apiSecret: "s" });
    const store = new sdk.MemoryWindowStore();
    store.set("233244000000", 1_700_000_000_000);
    const withStore = new sdk.Sendexa({ apiKey: "k", apiSecret: "s", window: store });
    const limiter = new sdk.RateLimiter();
    let thrown; try { new sdk.Sendexa({ apiKey: "k" }); } catch (e) { thrown = e; }
    return {
      names: [sdk.Sendexa.name, sdk.MemoryWindowStore.name, sdk.textMessage.name],
      instance: client instanceof sdk.Sendexa,
      send: typeof client.send,
      subclass: [logged instanceof Logged, logged instanceof sdk.Sendexa, logged.tag(), typeof logged.send],
      store: [store instanceof sdk.MemoryWindowStore, store.size, withStore.windowStore === store],
      limiter: limiter instanceof sdk.RateLimiter,
      notClient: ({}) instanceof sdk.Sendexa,
      thrown: [thrown instanceof sdk.SendexaError, thrown.code],
    };`);
  assert.deepEqual(seen, {
    names: ["Sendexa", "MemoryWindowStore", "textMessage"],
    instance: true,
    send: "function",
    subclass: [true, true, "logged", "function"],
    store: [true, 1, true],
    limiter: true,
    notClient: false,
    thrown: [true, "INVALID_ARGUMENT"],
  });
});

test("the webhook exports load the full build; the ESM and CommonJS entries share it", () => {
  const seen = inFreshNode(`
    const cjs = require(${JSON.stringify(join(pkg, "node/index.cjs"))});
    const handler = sdk.nodeWebhookHandler({ secret: "whsec_0123456789abcdef", onEvent: async () => {} });
    return { builds: builds(), handler: typeof handler, sameClass: cjs.Sendexa === sdk.Sendexa, sameError: cjs.SendexaError === sdk.SendexaError };`);
  assert.deepEqual(seen, { builds: ["full"], handler: "function", sameClass: true, sameError: true });
});

// Webhook digests: the Node entry gives the full build node:crypto's HMAC (driver.js
// `useHostHmac`); the web glue, loaded here on the same .wasm, has none and computes it in wasm.
// Both must sign exactly the bytes the contract names (a string as UTF-8, lone surrogates as
// U+FFFD; a view as its own bytes; an ArrayBuffer whole), and refuse a digest one bit off.
test("node:crypto's digests and the wasm's agree on every kind of body and secret", async () => {
  const { createHmac } = await import("node:crypto");
  const { readFileSync } = await import("node:fs");
  const { runInNewContext } = await import("node:vm");
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const node = require(join(pkg, "node/index.cjs"));
  const web = await import(pathToFileURL(join(pkg, "web/glue.js")).href);
  web.initSync({ module: new WebAssembly.Module(readFileSync(join(pkg, "sendexa_whatsapp_bg.wasm"))) });

  const text = '{"event":"message.received","text":{"body":"Akwaaba 👋 — café"}}';
  const pooled = Buffer.from(`xx${text}yy`).subarray(2, 2 + Buffer.byteLength(text));
  const bytesOf = (value) =>
    typeof value === "string" ? Buffer.from(value, "utf8")
      : value instanceof ArrayBuffer ? Buffer.from(value)
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const bodies = {
    string: text,
    "lone surrogate": '{"a":"x\uD800y"}',
    "Buffer slice of a pool": pooled,
    ArrayBuffer: new TextEncoder().encode(text).buffer,
    DataView: new DataView(new TextEncoder().encode(`..${text}`).buffer, 2),
    Uint16Array: new Uint16Array([0x7b7d, 0x2020]),
    "another realm's Uint8Array": runInNewContext("new Uint8Array([123, 125])"),
    empty: "",
  };
  const secrets = { string: "whsec_é", bytes: new Uint8Array([1, 2, 3, 250]) };
  // Counts the entry's digests (it takes node:crypto's createHmac on its first): the Node side
  // really is node:crypto's.
  const crypto = require("node:crypto");
  let nodeDigests = 0;
  crypto.createHmac = (...args) => (nodeDigests++, createHmac(...args));
  let nodeCalls = 0;
  for (const [bodyName, body] of Object.entries(bodies)) {
    for (const [secretName, secret] of Object.entries(secrets)) {
      const digest = createHmac("sha256", bytesOf(secret)).update(bytesOf(body)).digest();
      const off = Buffer.from(digest);
      off[31] ^= 1;
      for (const [sig, expected] of [[digest, true], [off, false]]) {
        const options = { body, secret, headers: { "x-signature": `sha256=${sig.toString("hex")}` } };
        const what = `${bodyName} body, ${secretName} secret, ${expected ? "right" : "wrong"} signature`;
        assert.equal(node.verifyWebhook(options), expected, `node:crypto: ${what}`);
        nodeCalls++;
        assert.equal(web.verifyWebhook(options), expected, `wasm: ${what}`);
      }
    }
  }
  crypto.createHmac = createHmac;
  assert.equal(nodeDigests, nodeCalls, "every Node digest came from node:crypto");
  // What neither can read is refused alike, with the same error.
  for (const body of [42, { a: 1 }, null]) {
    const options = { body, secret: "s", headers: { "x-signature": "sha256=" + "0".repeat(64) } };
    const codes = [node, web].map((sdk) => {
      try {
        return sdk.verifyWebhook(options);
      } catch (error) {
        return `${error.code}: ${error.message}`;
      }
    });
    assert.equal(codes[0], codes[1], JSON.stringify(body));
    assert.match(String(codes[0]), /^INVALID_ARGUMENT/);
  }
});
