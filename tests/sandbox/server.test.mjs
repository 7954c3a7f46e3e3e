// The server itself: CLI, auth, CORS, request ids, routing and malformed requests.
import test from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSandbox, request, text, TOKEN, USER } from "./helpers.mjs";
import { parseArgs } from "./lib/config.mjs";

const SERVER = fileURLToPath(new URL("./server.mjs", import.meta.url));

test("CLI prints SANDBOX_URL and serves the API with the given token", async (t) => {
  const child = spawn(process.execPath, [SERVER, "--port", "0", "--token", "cli-token", "--time-scale", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => child.kill("SIGTERM"));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^SANDBOX_URL=(http:\/\/127\.0\.0\.1:\d+)\n/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
  const ok = await request(url, "GET", "/v1/whatsapp/numbers", { headers: { Authorization: "Basic cli-token" } });
  assert.equal(ok.status, 200);
  const bad = await request(url, "GET", "/v1/whatsapp/numbers", { headers: { Authorization: `Basic ${TOKEN}` } });
  assert.equal(bad.status, 401);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  assert.equal(await exited, 0, "SIGTERM closes cleanly");
});

test("CLI rejects unknown options", async () => {
  const child = spawn(process.execPath, [SERVER, "--bogus"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise((r) => child.once("exit", r));
  assert.equal(code, 2);
  assert.match(err, /unknown option --bogus/);
});

test("CLI options map onto start() options", () => {
  assert.deepEqual(parseArgs(["--port", "4010", "--token", "a,b", "--token=c", "--shape=draft", "--time-scale", "60", "--no-window",
    "--limit", "send.perSecond=5", "--limit=status.perMinute=off", "--webhook-url", "http://127.0.0.1:9/h", "--webhook-secret", "s", "--seed", "7"]), {
    port: 4010, tokens: ["a", "b", "c"], shape: "draft", timeScale: 60, window: false,
    limits: { send: { perSecond: 5 }, status: { perMinute: null } }, webhookUrl: "http://127.0.0.1:9/h", webhookSecret: "s", seed: 7,
  });
  assert.deepEqual(parseArgs(["--no-limits", "--limit", "send.perDay=3"]), { limits: false });
  assert.throws(() => parseArgs(["--limit", "send"]), /bucket.window=N/);
});

test("auth: Basic token required; 401 with the live envelope otherwise", async (t) => {
  const { api } = await startSandbox(t, { tokens: [TOKEN, "second-token"] });
  for (const [headers, why] of [
    [{}, "missing"],
    [{ Authorization: "Basic wrong" }, "wrong token"],
    [{ Authorization: `Bearer ${TOKEN}` }, "Bearer in the live shape"],
    [{ Authorization: "Basic" }, "malformed"],
  ]) {
    const r = await api("GET", "/v1/whatsapp/numbers", { token: null, headers });
    assert.equal(r.status, 401, why);
    assert.equal(r.body.success, false);
    assert.equal(r.body.code, "UNAUTHORIZED");
    assert.match(r.body.requestId, /^req_/);
    assert.ok(!r.text.includes(TOKEN), "never echoes credentials");
    assert.match(r.headers.get("www-authenticate"), /^Basic/);
  }
  assert.equal((await api("GET", "/v1/whatsapp/numbers", { token: "second-token" })).status, 200, "every configured token works");
});

test("auth: a blocked account gets 403 WA006; draft shape also accepts Bearer", async (t) => {
  const live = await startSandbox(t, { blockedTokens: ["blocked-token"] });
  const r = await live.api("POST", "/v1/whatsapp/send", { token: "blocked-token", body: text(USER) });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, "WA006");
  const draft = await startSandbox(t, { shape: "draft" });
  const d = await draft.api("GET", "/v1/whatsapp/numbers", { token: null, headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(d.status, 200);
  const e = await draft.api("GET", "/v1/whatsapp/numbers", { token: "nope" });
  assert.equal(e.status, 401);
  assert.equal(e.body.error, "INVALID_TOKEN", "draft error body");
  assert.match(e.body.request_id, /^req_/);
});

test("CORS: preflight and exposed headers", async (t) => {
  const { url, api } = await startSandbox(t);
  const pre = await request(url, "OPTIONS", "/v1/whatsapp/send", {
    headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), "*");
  assert.match(pre.headers.get("access-control-allow-headers"), /Authorization/);
  assert.match(pre.headers.get("access-control-allow-headers"), /Content-Type/);
  assert.match(pre.headers.get("access-control-allow-methods"), /POST/);
  const custom = await request(url, "OPTIONS", "/v1/whatsapp/send", { headers: { Origin: "http://a.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-trace-id" } });
  assert.match(custom.headers.get("access-control-allow-headers"), /X-Sandbox-Fault.*x-trace-id/);
  const r = await api("GET", "/v1/whatsapp/templates", { headers: { Origin: "http://localhost:5173" } });
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
  const exposed = r.headers.get("access-control-expose-headers");
  for (const h of ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"]) assert.match(exposed, new RegExp(h));
  const unauth = await api("GET", "/v1/whatsapp/templates", { token: null });
  assert.equal(unauth.headers.get("access-control-allow-origin"), "*", "errors carry CORS headers too");
});

test("every response carries a requestId matching X-Request-Id", async (t) => {
  const { api, control } = await startSandbox(t);
  const seen = new Set();
  for (const r of [
    await api("GET", "/v1/whatsapp/numbers"),
    await api("POST", "/v1/whatsapp/send", { body: {} }),
    await api("GET", "/v1/nope"),
    await control("GET", "/health"),
  ]) {
    assert.match(r.headers.get("x-request-id"), /^req_\w+$/);
    assert.equal(r.body.requestId, r.headers.get("x-request-id"));
    seen.add(r.body.requestId);
  }
  assert.equal(seen.size, 4, "unique per request");
});

test("routing: 404 for unknown paths, 405 with Allow for wrong methods", async (t) => {
  const { api, control } = await startSandbox(t);
  const nf = await api("GET", "/v1/whatsapp/unknown");
  assert.equal(nf.status, 404);
  assert.equal(nf.body.code, "NOT_FOUND");
  const na = await api("PATCH", "/v1/whatsapp/send");
  assert.equal(na.status, 405);
  assert.equal(na.headers.get("allow"), "POST");
  assert.equal((await control("GET", "/nope")).status, 404);
});

test("malformed requests get 4xx envelopes with field errors, never a crash", async (t) => {
  const { api } = await startSandbox(t);
  const json = { "Content-Type": "application/json" };
  const badJson = await api("POST", "/v1/whatsapp/send", { raw: '{"to": "2332', headers: json });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.code, "INVALID_JSON");
  assert.equal(badJson.body.errors[0].field, "body");

  const notJson = await api("POST", "/v1/whatsapp/send", { raw: "to=233", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  assert.equal(notJson.status, 415);

  for (const body of [[], "text", 42, null]) {
    const r = await api("POST", "/v1/whatsapp/send", { raw: JSON.stringify(body), headers: json });
    assert.equal(r.status, 400, `body ${JSON.stringify(body)}`);
    assert.equal(r.body.errors[0].field, "body");
  }

  const wrongTypes = await api("POST", "/v1/whatsapp/send", { body: { to: 233244000000, type: "text", text: { body: 5, preview_url: "yes" } } });
  assert.equal(wrongTypes.status, 400);
  const fields = wrongTypes.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ["text.body", "text.preview_url", "to"]);
  assert.equal(wrongTypes.body.code, "WA001");

  const huge = await api("POST", "/v1/whatsapp/send", { body: text(USER, "x".repeat(2 * 1024 * 1024)) });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.code, "PAYLOAD_TOO_LARGE");

  const deep = await api("POST", "/v1/whatsapp/send", { raw: `{"to":"${USER}","type":"text","text":{"body":"x"},"x":${"[".repeat(100000)}${"]".repeat(100000)}}`, headers: json });
  assert.deepEqual([deep.status, deep.body.code], [400, "INVALID_JSON"]);

  const weirdPath = await api("GET", "/v1/whatsapp/status/%E0%A4%A");
  assert.equal(weirdPath.status, 404);

  assert.equal((await api("GET", "/v1/whatsapp/numbers")).status, 200, "still serving");
});

test("reset restores the initial state", async (t) => {
  const { api, control } = await startSandbox(t);
  await control("POST", "/inbound", { from: USER, text: "hi" });
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).status, 200);
  const list = await api("GET", "/v1/whatsapp/templates?pageSize=100");
  const hello = list.body.data.templates.find((x) => x.name === "hello_world");
  assert.equal((await api("DELETE", `/v1/whatsapp/templates/${hello.id}`)).status, 200);
  await control("POST", "/clock", { advance: "2h" });
  await control("POST", "/faults", { kind: "503", count: 5 });

  const r = await control("POST", "/reset");
  assert.equal(r.status, 200);
  assert.equal(r.body.data.now, "2025-01-15T10:00:00.000Z");
  assert.equal((await control("GET", "/messages")).body.data.total, 0);
  assert.equal((await control("GET", "/windows")).body.data.windows.length, 0);
  assert.equal((await control("GET", "/faults")).body.data.rules.length, 0);
  assert.equal((await api("GET", `/v1/whatsapp/templates/${hello.id}`)).status, 200, "seed templates are back");
  assert.equal((await api("POST", "/v1/whatsapp/send", { body: text(USER) })).body.code, "WA003", "window closed again");
});
