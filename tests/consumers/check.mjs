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
  await check("a bad recipient is always an issue at `to`: WA001 alone, INVALID_MESSAGE among others", () => {
    const alone = thrownBy(() => sdk.validateMessage({ to: "12345", type: "text", text: { body: "hi" } }));
    assertEqual(alone.code, "WA001", "code alone");
    assertEqual(alone.reason, "TOO_SHORT", "reason alone");
    assertEqual(JSON.stringify(alone.issues.map((i) => [i.path, i.code])), '[["to","INVALID_PHONE"]]', "issues alone");
    const built = thrownBy(() => sdk.textMessage("12345", "hi"));
    assertEqual(JSON.stringify(built.issues.map((i) => i.path)), '["to"]', "textMessage issues");
    const many = thrownBy(() => sdk.validateMessage({ to: "12345", type: "text", text: { body: "" } }));
    assertEqual(many.code, "INVALID_MESSAGE", "code among others");
    assertEqual(JSON.stringify(many.issues.map((i) => i.path)), '["to","text.body"]', "issues among others");
  });
  await check("the module keeps working after an error", () => {
    assertEqual(sdk.normalizePhone("00233244000000"), "233244000000", "normalizePhone after an error");
  });
  await check("the package has no test-only export", () => {
    // The wasm suites (`wasm-pack test`, Node and Chromium) force an INTERNAL error through a test
    // hook and check the instance survives; the hook is compiled into those suites only.
    const hidden = Object.keys(sdk).filter((name) => name.startsWith("__"));
    assertEqual(hidden.join(","), "", "exports starting with __");
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
  await securityChecks(sdk, check, hmacHex);
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
  await check("client: answers are read as a stream up to maxResponseBytes; past it TOO_LARGE", async () => {
    const answer = (size) => {
      const base = JSON.stringify({ success: true, data: { numbers: [], total: 0, padding: "" } });
      return JSON.stringify({ success: true, data: { numbers: [], total: 0, padding: "x".repeat(size - base.length) } });
    };
    const serve = (body) => async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    const client = (body) => new sdk.Sendexa({ token: "t", baseUrl: "http://127.0.0.1:9", fetch: serve(body), maxResponseBytes: 1024, maxRetries: 0, rateLimit: false, window: false, dangerouslyAllowBrowser: true });
    assertEqual((await client(answer(1024)).listNumbers()).total, 0, "at the cap");
    for (const [call, code] of [[(wa) => wa.listNumbers(), "INVALID_RESPONSE"], [(wa) => wa.send(sdk.templateMessage("233244000000", { name: "hello_world", language: "en_US" })), "OUTCOME_UNKNOWN"]]) {
      let err;
      try {
        await call(client(answer(1025)));
      } catch (e) {
        err = e;
      }
      assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
      assertEqual(`${err.code}/${err.reason}`, `${code}/TOO_LARGE`, "code/reason");
    }
    // An endless stream stops at the cap.
    const endless = new ReadableStream({ pull(controller) { controller.enqueue(new Uint8Array(512).fill(32)); } });
    let err;
    try {
      await client(endless).listNumbers();
    } catch (e) {
      err = e;
    }
    assertEqual(err?.reason, "TOO_LARGE", "endless stream");
  });
  await check("options: an unknown key is INVALID_ARGUMENT naming the nearest valid one, before any request", async () => {
    const before = calls.length;
    const wa = new sdk.Sendexa({ token: "t", baseUrl: "http://127.0.0.1:9", fetch, dangerouslyAllowBrowser: true });
    let err;
    try {
      await wa.send(sdk.textMessage("+233 24 400 0000", "hi"), { signl: new AbortController().signal });
    } catch (e) {
      err = e;
    }
    assertEqual(err?.code, "INVALID_ARGUMENT", "code");
    assert(String(err?.message).startsWith('unknown option "signl" (did you mean "signal"?)'), String(err?.message));
    assertEqual(calls.length, before, "requests");
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
  await check("checkMediaLink: headers only, through the given fetch (HEAD refused → GET of byte 0); a bad link refused before any request", async () => {
    assertEqual(typeof sdk.checkMediaLink, "function", "checkMediaLink");
    const asked = [];
    const media = async (url, init) => {
      asked.push(`${init.method}${init.headers?.range ? ` ${init.headers.range}` : ""}`);
      if (init.method === "HEAD") return new Response(null, { status: 405 });
      return new Response(new Uint8Array([0x89]), { status: 206, headers: { "content-type": "image/png", "content-range": "bytes 0-0/20480" } });
    };
    const info = await sdk.checkMediaLink("https://cdn.example.com/a.png", { type: "image", fetch: media });
    assertEqual(JSON.stringify(info), '{"mimeType":"image/png","size":20480}', "result");
    assertEqual(asked.join(","), "HEAD,GET bytes=0-0", "requests");
    let err;
    try {
      await sdk.checkMediaLink("http://cdn.example.com/a.png", { type: "image", fetch: media });
    } catch (e) {
      err = e;
    }
    assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
    assertEqual(err.code, "INVALID_MEDIA", "code");
    assertEqual(JSON.stringify(err.issues.map((i) => [i.path, i.code])), '[["link","INVALID_URL"]]', "issues");
    assertEqual(asked.length, 2, "requests after a bad link");
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
  await check("handleWebhook answers 413 over maxBodyBytes, read from the body stream, before onEvent", async () => {
    const body = '{"event":"message.read","messageId":"exa_wa_1","status":"read"}';
    const hex = await hmacHex(secret, enc.encode(body));
    const seen = [];
    const post = (maxBodyBytes) =>
      sdk.handleWebhook(new Request("https://example.test/hook", { method: "POST", body, headers: { "X-Signature": `sha256=${hex}` } }), {
        secret,
        onEvent: (e) => seen.push(e),
        dedupe: false,
        maxBodyBytes,
      });
    let response = await post(enc.encode(body).length - 1);
    assertEqual(response.status, 413, "one byte over");
    assertEqual((await response.json()).error.code, "PAYLOAD_TOO_LARGE", "code");
    assertEqual(seen.length, 0, "onEvent after a 413");
    response = await post(enc.encode(body).length);
    assertEqual(response.status, 200, "exactly the cap");
    assertEqual(seen.length, 1, "events at the cap");
  });
}

/** SECURITY.md's promises, in this runtime: webhook negatives, a token nowhere, https and public media links only. */
async function securityChecks(sdk, check, hmacHex) {
  const secret = "whsec_security";
  const body = '{"event":"message.read","messageId":"exa_wa_1","status":"read"}';
  const hex = await hmacHex(secret, new TextEncoder().encode(body));
  const now = Date.now();
  const signed = (extra = {}) => ({ "X-Signature": `sha256=${hex}`, ...extra });
  const verify = (headers, options = {}) => sdk.verifyWebhook({ body, headers, secret, ...options });
  const at = (ms) => ({ "X-Timestamp": new Date(ms).toISOString() });
  await check("security: malformed, tampered and replayed webhook deliveries never verify", () => {
    assert(verify(signed(at(now)), { toleranceSeconds: 300 }), "a fresh signed delivery verifies");
    assert(!verify({ "X-Signature": `sha1=${hex}` }), "another scheme");
    assert(!verify({ "X-Signature": `sha256=${hex.slice(0, 32)}` }), "cut to half");
    assert(!verify({ "X-Signature": `sha256=${hex}0` }), "one digit too many");
    assert(!verify({ "X-Signature": `sha256=${"g".repeat(64)}` }), "not hex");
    assert(!verify({ "X-Signature": `sha256=${hex.slice(0, 63)}${hex.endsWith("0") ? "1" : "0"}` }), "the last digit changed");
    assert(!sdk.verifyWebhook({ body: body.replace("read", "sent"), headers: signed(), secret }), "a tampered body");
    assert(!verify(signed(), { toleranceSeconds: 300 }), "no X-Timestamp, with a tolerance");
    assert(!verify(signed({ "X-Timestamp": "yesterday" }), { toleranceSeconds: 300 }), "an unreadable X-Timestamp");
    assert(!verify(signed(at(now - 301_000)), { toleranceSeconds: 300 }), "replayed past the tolerance");
    assert(!verify(signed(at(now + 3_600_000)), { toleranceSeconds: 300 }), "an hour in the future");
  });
  await check("security: handleWebhook answers 401 to unsigned, wrongly signed and replayed deliveries, before onEvent", async () => {
    const events = [];
    const options = { secret, onEvent: (e) => events.push(e), toleranceSeconds: 300 };
    const post = (headers, b = body) => sdk.handleWebhook(new Request("https://example.test/hook", { method: "POST", body: b, headers }), options);
    for (const [what, headers, b] of [
      ["unsigned", at(now)],
      ["wrong signature", { "X-Signature": `sha256=${"0".repeat(64)}`, ...at(now) }],
      ["tampered body", signed(at(now)), body.replace("read", "sent")],
      ["replayed", signed(at(now - 3_600_000))],
    ]) {
      const response = await post(headers, b);
      assertEqual(response.status, 401, what);
      assertEqual((await response.json()).error.code, "INVALID_SIGNATURE", `${what}: code`);
    }
    assertEqual(events.length, 0, "events passed on");
    assertEqual((await post(signed(at(now)))).status, 200, "the genuine delivery");
    assertEqual(events.length, 1, "events after the genuine delivery");
  });
  await check("security: the token and API secret show in no string, JSON or error message of the client", async () => {
    const token = "tok_SECURITY_0123456789";
    const [key, apiSecret] = ["exa_key_SECURITY", "sk_SECURITY_secret"];
    // A server that echoes the credentials it got, and a network error that quotes them.
    const echo = async (url, init) =>
      new Response(JSON.stringify({ success: false, code: "UNAUTHORIZED", message: `bad credentials: ${init.headers.authorization}` }), {
        status: 401,
        headers: { "content-type": "application/json" },
      });
    const quoting = async (url, init) => {
      throw new TypeError(`connect failed for ${init.headers.authorization}`);
    };
    const base = { baseUrl: "http://127.0.0.1:9", maxRetries: 0, rateLimit: false, dangerouslyAllowBrowser: true };
    for (const [credentials, secrets] of [
      [{ token }, [token]],
      [{ apiKey: key, apiSecret }, [apiSecret, btoa(`${key}:${apiSecret}`)]],
    ]) {
      const leaks = (text, what) => secrets.forEach((s) => assert(!String(text).includes(s), `${what} shows ${s}`));
      const wa = new sdk.Sendexa({ ...credentials, ...base, fetch: echo });
      leaks(String(wa), "String(client)");
      leaks(JSON.stringify(wa), "JSON.stringify(client)");
      for (const name of Object.keys(wa)) leaks(wa[name], `client.${name}`);
      let err;
      try {
        await wa.listNumbers();
      } catch (e) {
        err = e;
      }
      assert(err instanceof sdk.SendexaError && err.code === "UNAUTHORIZED", `echoing server: ${err}`);
      leaks(err.message, "the error message");
      leaks(JSON.stringify(err), "JSON.stringify(error)");
      leaks(err.stack, "the error's stack");
      err = undefined;
      try {
        await new sdk.Sendexa({ ...credentials, ...base, fetch: quoting }).listNumbers();
      } catch (e) {
        err = e;
      }
      assert(err instanceof sdk.SendexaError && err.code === "NETWORK", `quoting network error: ${err}`);
      leaks(err.message, "the network error's message");
    }
  });
  await check("planResend follows Sendexa's resend schedule and stops with a reason", () => {
    const failedAt = Date.UTC(2024, 0, 15, 10, 31);
    const base = { status: "failed", errorCode: "WA005", sentAt: "2024-01-15T10:30:00Z", failedAt };
    const steps = [1, 5, 15, 30, 60];
    steps.forEach((minutes, attempts) => {
      const plan = sdk.planResend({ ...base, attempts }, failedAt);
      assertEqual(JSON.stringify(plan), JSON.stringify({ action: "resend", at: failedAt + minutes * 60_000, attempt: attempts + 1 }), `after ${attempts}`);
    });
    const later = failedAt + 3_600_000;
    assertEqual(sdk.planResend(base, later).at, later, "never earlier than now");
    const reasons = [
      [{ status: "delivered" }, "NOT_FAILED"],
      [{ ...base, errorCode: "WA003" }, "WINDOW_CLOSED"],
      [{ ...base, errorCode: "WA004" }, "MEDIA"],
      [{ ...base, errorCode: "WA006" }, "NOT_RESENDABLE"],
      [{ ...base, attempts: 5 }, "LIMIT"],
      [base, "EXPIRED", Date.UTC(2024, 0, 17, 10, 30, 0, 1)],
    ];
    for (const [state, reason, now = failedAt] of reasons) {
      const plan = sdk.planResend(state, now);
      assertEqual(plan.action, "stop", `${reason}: action`);
      assertEqual(plan.reason, reason, "reason");
    }
    const clock = sdk.planResend({ status: "failed" });
    assert(Math.abs(clock.at - (Date.now() + 60_000)) < 60_000, `now defaults to the clock: ${clock.at}`);
    for (const bad of [{ status: "failed", attempts: -1 }, { status: "failed", attempts: 0.5 }, { status: "failed", sentAt: "soon" }, { status: "failed", error_code: "WA003" }, null]) {
      const err = thrownBy(() => sdk.planResend(bad, failedAt));
      assert(err instanceof sdk.SendexaError && err.code === "INVALID_ARGUMENT", `${JSON.stringify(bad)}: ${err}`);
    }
    // Still working after the refusals.
    assertEqual(sdk.planResend(base, failedAt).attempt, 1, "after refusals");
  });
  await check("security: http: base URLs only on loopback; media links only to public https hosts", () => {
    const client = (baseUrl) => new sdk.Sendexa({ token: "t", baseUrl, dangerouslyAllowBrowser: true });
    for (const baseUrl of ["http://api.sendexa.co", "http://10.0.0.1", "http://localhost.example.com", "ftp://api.sendexa.co"]) {
      const err = thrownBy(() => client(baseUrl));
      assert(err instanceof sdk.SendexaError && err.code === "INVALID_ARGUMENT", `${baseUrl}: ${err}`);
    }
    for (const baseUrl of ["http://localhost:4010", "http://127.0.0.2:4010", "http://[::1]:4010", "https://api.sendexa.co"]) client(baseUrl);
    const hosts = ["127.0.0.1", "localhost", "[::1]", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "0x7f000001", "2130706433", "127.1", "[::ffff:127.0.0.1]", "[fd00::1]", "[fe80::1]"];
    for (const host of hosts) {
      const link = `https://${host}/a.jpg`;
      const media = thrownBy(() => sdk.checkMedia({ type: "image", mimeType: "image/jpeg", size: 1000, link }));
      assert(media instanceof sdk.SendexaError && media.code === "INVALID_MEDIA", `checkMedia ${link}: ${media}`);
      const message = thrownBy(() => sdk.imageMessage("233244000000", { link }));
      assert(message instanceof sdk.SendexaError && message.code === "INVALID_MESSAGE", `imageMessage ${link}: ${message}`);
    }
    const plain = thrownBy(() => sdk.checkMedia({ type: "image", mimeType: "image/jpeg", size: 1000, link: "http://example.com/a.jpg" }));
    assertEqual(plain.code, "INVALID_MEDIA", "an http: link");
    sdk.checkMedia({ type: "image", mimeType: "image/jpeg", size: 1000, link: "https://example.com/a.jpg" });
  });
}

/** Prints the result line the runner reads. */
export function report(results) {
  console.log(`CONSUMER_RESULT ${JSON.stringify({ results })}`);
}

/** What `sendexa-whatsapp/messages` exports: phone numbers, builders, validation, media checks. */
const MESSAGES_EXPORTS = [
  "SendexaError", "audioMessage", "buttonsMessage", "checkMedia", "ctaUrlMessage", "documentMessage", "imageMessage",
  "isValidPhone", "listMessage", "normalizePhone", "parsePhone", "sniffMedia", "templateMessage", "textMessage",
  "validateMessage", "validatePhones", "version", "videoMessage",
];
// The glue's own: initSync (ES module entries).
const GLUE_EXPORTS = ["initSync"];

/** The outcome of a call, comparable across entries: its value, or its error's fields. */
function outcomeOf(fn) {
  try {
    return JSON.stringify({ value: fn() });
  } catch (err) {
    return JSON.stringify({ error: { name: err.name, code: err.code, message: err.message, reason: err.reason, issues: err.issues } });
  }
}

/**
 * `sendexa-whatsapp/messages` against the main entry, in the same runtime: exactly its exports, the
 * same answers and errors for the same calls, and the same SendexaError class.
 */
export async function runMessagesChecks(messages, main, expectedVersion) {
  const results = [];
  const check = (name, fn) => {
    try {
      fn();
      results.push({ name: `messages entry: ${name}`, ok: true });
    } catch (err) {
      results.push({ name: `messages entry: ${name}`, ok: false, error: String((err && err.stack) || err) });
    }
  };
  check("exports exactly the documented names", () => {
    const names = Object.keys(messages).filter((n) => n !== "default" && !GLUE_EXPORTS.includes(n)).sort();
    assertEqual(names.join(","), MESSAGES_EXPORTS.join(","), "exports");
  });
  check("has no client and no I/O: no Sendexa, no checkMediaLink", () => {
    assertEqual(typeof main.checkMediaLink, "function", "the main entry's checkMediaLink");
    assertEqual(`${typeof messages.Sendexa},${typeof messages.checkMediaLink}`, "undefined,undefined", "in the messages entry");
  });
  check("version() is the package's", () => assertEqual(messages.version(), expectedVersion, "version()"));
  check("throws the main entry's SendexaError class", () => {
    assert(messages.SendexaError === main.SendexaError, "two SendexaError classes");
    const err = thrownBy(() => messages.normalizePhone("call me"));
    assert(err instanceof main.SendexaError && err.code === "WA001", `not a WA001 SendexaError: ${err}`);
  });
  const link = "https://example.com/a.jpg";
  const calls = {
    normalizePhone: (sdk) => sdk.normalizePhone("024 400 0000", "GH"),
    parsePhone: (sdk) => sdk.parsePhone("+1 202 555 0123"),
    isValidPhone: (sdk) => sdk.isValidPhone("+233 24 400 0000"),
    validatePhones: (sdk) => sdk.validatePhones(["+233 24 400 0000", "nope", 42]),
    textMessage: (sdk) => sdk.textMessage("+233 24 400 0000", "hi", { previewUrl: true }),
    "textMessage, bad": (sdk) => sdk.textMessage("12345", ""),
    imageMessage: (sdk) => sdk.imageMessage("233244000000", { link }, { caption: "c" }),
    documentMessage: (sdk) => sdk.documentMessage("233244000000", { id: "media-1" }, { filename: "a.pdf" }),
    buttonsMessage: (sdk) => sdk.buttonsMessage("233244000000", { body: "b", buttons: [{ id: "y", title: "Yes" }] }),
    listMessage: (sdk) =>
      sdk.listMessage("233244000000", { body: "b", button: "Pick", sections: [{ title: "s", rows: [{ id: "r", title: "Row" }] }] }),
    ctaUrlMessage: (sdk) => sdk.ctaUrlMessage("233244000000", { body: "b", displayText: "Open", url: "https://example.com" }),
    templateMessage: (sdk) => sdk.templateMessage("233244000000", { name: "order_update", language: "en_US" }),
    validateMessage: (sdk) => sdk.validateMessage({ to: "+233 24 400 0000", type: "text", text: { body: "hi" } }),
    "validateMessage, bad": (sdk) => sdk.validateMessage({ to: "x", type: "video", video: {} }),
    checkMedia: (sdk) => sdk.checkMedia({ type: "image", mimeType: "image/gif", size: 10_000_000 }),
    sniffMedia: (sdk) => sdk.sniffMedia(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
  };
  for (const [name, call] of Object.entries(calls)) {
    check(`${name} answers as the main entry does`, () => assertEqual(outcomeOf(() => call(messages)), outcomeOf(() => call(main)), name));
  }
  return results;
}
