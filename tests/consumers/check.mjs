// The checks every consumer runs against the package it imported, the way its runtime imports it.
// Each consumer prints one line `CONSUMER_RESULT {"results":[…]}` (the browser POSTs it instead).

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function thrownBy(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw, got none");
}

/** HMAC-SHA256 as lowercase hex with WebCrypto, which every runtime here has. */
async function webCryptoHmacHex(secret, bytes) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Runs every check against `sdk` (the imported package); never throws. `hmacHex(secret, bytes)`
 * is the reference HMAC: node:crypto in Node, WebCrypto elsewhere.
 */
export async function runChecks(sdk, expectedVersion, hmacHex = webCryptoHmacHex) {
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: String((err && err.stack) || err) });
    }
  };

  await check("imports without init(): version() is the package's version", () => {
    assertEqual(sdk.version(), expectedVersion, "version()");
  });
  await check("normalizePhone gives the API form", () => {
    assertEqual(sdk.normalizePhone("+233 24 400 0000"), "233244000000", "normalizePhone");
  });
  await check("bad input throws a SendexaError with a code", () => {
    const err = thrownBy(() => sdk.normalizePhone("call me maybe"));
    assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
    assert(err instanceof Error, "not an Error");
    assertEqual(err.name, "SendexaError", "name");
    assertEqual(err.code, "WA001", "code");
    assert(typeof err.message === "string" && err.message.length > 0, "empty message");
    assert(Array.isArray(err.issues), "issues is not an array");
    assert(typeof err.stack === "string", "no stack");
  });
  await check("the module keeps working after an error", () => {
    assertEqual(sdk.normalizePhone("00233244000000"), "233244000000", "normalizePhone after an error");
  });
  await check("SendexaError is a class users can construct and serialise", () => {
    const err = new sdk.SendexaError("Timed out after 30000 ms", { code: "TIMEOUT", retryAfter: 1 });
    assert(err instanceof Error, "not an Error");
    assertEqual(err.code, "TIMEOUT", "code");
    assertEqual(
      JSON.stringify(err),
      '{"name":"SendexaError","code":"TIMEOUT","message":"Timed out after 30000 ms","retryAfter":1}',
      "JSON",
    );
  });
  await webhookChecks(sdk, check, hmacHex);
  await clientChecks(sdk, check);
  return results;
}

/** The client in this runtime: its fetch, timers and AbortController, through a stand-in fetch. */
async function clientChecks(sdk, check) {
  const body = JSON.stringify({
    success: true,
    data: { id: "wamid.C", messageId: "exa_wa_consumer", status: "sent", to: "233244000000", type: "text" },
  });
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": "req_c" } });
  };
  const browserPage = typeof document !== "undefined" && typeof process === "undefined";
  await check("client: sends through the given fetch and reads the answer", async () => {
    const wa = new sdk.Sendexa({ token: "consumer-token", baseUrl: "http://127.0.0.1:9", fetch, dangerouslyAllowBrowser: true });
    const result = await wa.send(sdk.textMessage("+233 24 400 0000", "hi"));
    assertEqual(result.messageId, "exa_wa_consumer", "messageId");
    assertEqual(calls[0].url, "http://127.0.0.1:9/v1/whatsapp/send", "url");
    assertEqual(calls[0].init.headers.authorization, "Basic consumer-token", "authorization");
    assert(!JSON.stringify(wa).includes("consumer-token"), "JSON shows the token");
  });
  await check("client: timeouts abort the request with TIMEOUT", async () => {
    const hang = (url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    const wa = new sdk.Sendexa({ token: "t", baseUrl: "http://127.0.0.1:9", fetch: hang, timeoutMs: 50, maxRetries: 0, dangerouslyAllowBrowser: true });
    let err;
    try {
      await wa.listNumbers();
    } catch (e) {
      err = e;
    }
    assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
    assertEqual(err.code, "TIMEOUT", "code");
  });
  await check(`client: ${browserPage ? "a browser page needs dangerouslyAllowBrowser" : "servers need no dangerouslyAllowBrowser"}`, () => {
    if (browserPage) {
      const err = thrownBy(() => new sdk.Sendexa({ token: "t" }));
      assertEqual(err.code, "BROWSER_NOT_ALLOWED", "code");
    } else {
      new sdk.Sendexa({ token: "t" });
    }
  });
}

/** Webhook vectors: the SDK's verification agrees with the reference HMAC in this runtime. */
async function webhookChecks(sdk, check, hmacHex) {
  const secret = "whsec_test_\u00e9";
  const enc = new TextEncoder();
  const bodies = [
    '{"event":"message.received","from":"233244000000","type":"text","text":{"body":"Me da wo ase \u0254\u025b caf\u00e9"}}',
    '{"event":"message.delivered","messageId":"exa_wa_1","status":"delivered","url":"https://x.test/a/b","email":"a@b.co"}',
    '{"event":"message.received","from":"233244000000","type":"text","text":{"body":"\u{1F44B}\u{1F3FE}\u{1F1EC}\u{1F1ED}"}}',
    '{\n  "event" : "message.read",\r\n  "status":"read"\t}\n',
    "",
  ];
  for (const [i, body] of bodies.entries()) {
    const bytes = enc.encode(body);
    const hex = await hmacHex(secret, bytes);
    const verify = (headers, b = body, s = secret) => sdk.verifyWebhook({ body: b, headers, secret: s });
    await check(`webhook vector ${i}: valid signatures verify, as string and bytes, any header spelling`, () => {
      assert(verify({ "X-Signature": `sha256=${hex}` }), "sha256= prefix, string body");
      assert(verify({ "x-signature": hex }, bytes), "bare hex, Uint8Array body");
      assert(verify({ "X-SIGNATURE": `sha256=${hex.toUpperCase()}` }, bytes.buffer), "upper-case hex, ArrayBuffer body");
      assert(verify(new Headers({ "X-Sendexa-Signature": hex })), "draft header in a Headers instance");
    });
    await check(`webhook vector ${i}: wrong, truncated, missing and duplicated signatures fail`, () => {
      assert(!verify({ "X-Signature": `sha256=${hex}` }, body, "other-secret"), "wrong secret");
      assert(!verify({ "X-Signature": `sha256=${hex.slice(0, 63)}` }), "truncated");
      assert(!verify({}), "missing");
      assert(!verify({ "X-Signature": "" }), "empty");
      assert(!verify({ "X-Signature": [`sha256=${hex}`, `sha256=${hex}`] }), "duplicated (array)");
      const dup = new Headers();
      dup.append("X-Signature", `sha256=${hex}`);
      dup.append("X-Signature", `sha256=${hex}`);
      assert(!verify(dup), "duplicated (Headers)");
      assert(!verify({ "X-Signature": `sha256=${hex}` }, body + " "), "changed body");
    });
  }
  await check("webhook: re-serialised JSON does not verify (the raw body must be used)", async () => {
    const raw = '{"text":"caf\\u00e9 \\/ a@b"}';
    const hex = await hmacHex(secret, enc.encode(raw));
    assert(sdk.verifyWebhook({ body: raw, headers: { "X-Signature": hex }, secret }), "raw body");
    assert(!sdk.verifyWebhook({ body: JSON.stringify(JSON.parse(raw)), headers: { "X-Signature": hex }, secret }), "re-serialised");
  });
  await check("webhook: timestamp tolerance refuses replays", async () => {
    const body = '{"event":"message.read","status":"read"}';
    const hex = await hmacHex(secret, enc.encode(body));
    const at = (ms) => ({ "X-Signature": hex, "X-Timestamp": new Date(ms).toISOString() });
    assert(sdk.verifyWebhook({ body, secret, headers: at(Date.now()), toleranceSeconds: 300 }), "fresh");
    assert(!sdk.verifyWebhook({ body, secret, headers: at(Date.now() - 3_600_000), toleranceSeconds: 300 }), "an hour old");
    assert(sdk.verifyWebhook({ body, secret, headers: at(Date.now() - 3_600_000) }), "tolerance is off by default");
    const err = thrownBy(() => sdk.verifyWebhook({ body, headers: {}, secret: "" }));
    assert(err instanceof sdk.SendexaError && err.code === "INVALID_ARGUMENT", `empty secret: ${err}`);
  });
  await check("parseWebhook gives typed events and INVALID_WEBHOOK for bad JSON", () => {
    const [status] = sdk.parseWebhook('{"event":"message.read","messageId":"exa_wa_1","status":"READ"}');
    assertEqual(status.kind, "status", "kind");
    assertEqual(status.status, "read", "status");
    const err = thrownBy(() => sdk.parseWebhook("{"));
    assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
    assertEqual(err.code, "INVALID_WEBHOOK", "code");
  });
  await check("handleWebhook verifies, dedupes, feeds the window and answers", async () => {
    const body =
      '{"event":"message.received","from":"233244000000","type":"text","text":{"body":"hi"},"timestamp":"2024-01-15T10:31:00Z"}';
    const hex = await hmacHex(secret, enc.encode(body));
    const request = (signature) =>
      new Request("https://example.test/webhooks/sendexa", {
        method: "POST",
        body,
        headers: { "X-Signature": `sha256=${signature}`, "X-Webhook-ID": "whk_consumer_1" },
      });
    const seen = [];
    const window = new Map();
    const options = { secret, onEvent: (e) => seen.push(e), dedupe: new Set(), window };
    let response = await sdk.handleWebhook(request(hex), options);
    assertEqual(response.status, 200, "status");
    assertEqual(seen.length, 1, "events");
    assertEqual(seen[0].text, "hi", "text");
    assertEqual(window.get("233244000000"), Date.parse("2024-01-15T10:31:00Z"), "window");
    response = await sdk.handleWebhook(request(hex), options);
    assertEqual(response.status, 200, "duplicate status");
    assertEqual(seen.length, 1, "events after a duplicate delivery");
    response = await sdk.handleWebhook(request("0".repeat(64)), options);
    assertEqual(response.status, 401, "bad signature status");
    assertEqual((await response.json()).error.code, "INVALID_SIGNATURE", "bad signature code");
  });
}

/** Prints the result line the runner reads. */
export function report(results) {
  console.log(`CONSUMER_RESULT ${JSON.stringify({ results })}`);
}
