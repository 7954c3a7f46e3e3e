// Rate limits: each documented window answers 429 WA005 with Retry-After and X-RateLimit-*.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, template, USER, START, TOKEN, sleep } from "./helpers.mjs";
import { DEFAULT_LIMITS } from "./lib/limits.mjs";

const startS = Date.parse(START) / 1000;
const hello = () => template(USER, "hello_world", "en_US");

/** Fires n identical requests concurrently; returns their statuses. */
async function burst(call, n) {
  return (await Promise.all(Array.from({ length: n }, call))).map((r) => r.status);
}
const count = (statuses, s) => statuses.filter((x) => x === s).length;

function assert429(r, { limit, windowS, retryAfter, resetS }) {
  assert.equal(r.status, 429);
  assert.equal(r.body.code, "WA005");
  assert.equal(r.body.success, false);
  assert.equal(r.headers.get("retry-after"), String(retryAfter));
  assert.equal(r.headers.get("x-ratelimit-limit"), String(limit));
  assert.equal(r.headers.get("x-ratelimit-remaining"), "0");
  assert.equal(r.headers.get("x-ratelimit-window"), String(windowS));
  assert.equal(r.headers.get("x-ratelimit-reset"), String(resetS));
}

test("the defaults are the documented table", () => {
  assert.deepEqual(DEFAULT_LIMITS, {
    send: { perSecond: 80, perMinute: 3000, perDay: 100000 },
    status: { perSecond: 200, perMinute: 5000 },
    resend: { perSecond: 20, perMinute: 500 },
    numbersCheck: { perMinute: 300, perDay: 50000 },
    templateCreate: { perDay: 100 },
  });
});

test("send: 80 per second, then 429 until the window slides", async (t) => {
  const { api, control } = await startSandbox(t);
  const send = () => api("POST", "/v1/whatsapp/send", { body: hello() });
  const first = await send();
  assert.deepEqual([first.headers.get("x-ratelimit-limit"), first.headers.get("x-ratelimit-remaining")], ["80", "79"]);
  assert.equal(count(await burst(send, 79), 200), 79);
  assert429(await send(), { limit: 80, windowS: 1, retryAfter: 1, resetS: startS + 1 });
  await control("POST", "/clock", { advance: "999ms" });
  assert.equal((await send()).status, 429);
  await control("POST", "/clock", { advance: "1ms" });
  assert.equal(count(await burst(send, 81), 200), 80, "refused requests did not count");
  assert.equal((await control("GET", "/messages")).body.data.total, 160, "429s accept nothing");
  assert.deepEqual((await control("GET", "/health")).body.data.rateLimited, { send: 3 }, "every 429 is counted");
  await control("POST", "/reset");
  assert.deepEqual((await control("GET", "/health")).body.data.rateLimited, {}, "reset clears the count");
});

test("send: per-minute and per-day windows (scaled-down overrides)", async (t) => {
  const { api, control } = await startSandbox(t, { limits: { send: { perSecond: 5, perMinute: 12, perDay: 20 } } });
  const send = () => api("POST", "/v1/whatsapp/send", { body: hello() });
  for (let s = 0; s < 2; s++) {
    assert.equal(count(await burst(send, 6), 200), 5);
    await control("POST", "/clock", { advance: "1s" });
  }
  assert.equal(count(await burst(send, 2), 200), 2);
  assert429(await send(), { limit: 12, windowS: 60, retryAfter: 58, resetS: startS + 60 });
  await control("POST", "/clock", { advance: "58s" });
  assert.equal(count(await burst(send, 6), 200), 5);
  await control("POST", "/clock", { advance: "2s" });
  assert.equal(count(await burst(send, 5), 200), 3, "20 per day reached");
  const day = await send();
  assert429(day, { limit: 20, windowS: 86400, retryAfter: 86400 - 62, resetS: startS + 86400 });
  await control("POST", "/clock", { advance: "24h" });
  assert.equal((await send()).status, 200);
});

test("status 200/s, resend 20/s, numbers check 300/min, template creates 100/day", async (t) => {
  const { api, control } = await startSandbox(t);
  const msg = (await api("POST", "/v1/whatsapp/send", { body: hello() })).body.data;
  const status = () => api("GET", `/v1/whatsapp/status/${msg.messageId}`);
  assert.equal(count(await burst(status, 200), 200), 200);
  assert429(await status(), { limit: 200, windowS: 1, retryAfter: 1, resetS: startS + 1 });

  const resend = () => api("POST", "/v1/whatsapp/resend", { body: { messageId: msg.messageId } });
  const r = await burst(resend, 21);
  assert.equal(count(r, 429), 1, "20 resend calls counted (they are refused with 409, but still calls)");
  assert429(await resend(), { limit: 20, windowS: 1, retryAfter: 1, resetS: startS + 1 });

  const check = () => api("GET", `/v1/whatsapp/numbers/check?phone=${USER}`);
  const checks = [];
  for (let i = 0; i < 6; i++) checks.push(...(await burst(check, 50)));
  assert.equal(count(checks, 200), 300);
  assert429(await check(), { limit: 300, windowS: 60, retryAfter: 60, resetS: startS + 60 });

  const create = (i) => api("POST", "/v1/whatsapp/templates", { body: { name: `t_${i}`, category: "UTILITY", language: "en", components: [{ type: "BODY", text: "x" }] } });
  const creates = [];
  for (let i = 0; i < 100; i += 25) creates.push(...(await Promise.all(Array.from({ length: 25 }, (_, j) => create(i + j)))).map((r) => r.status));
  assert.equal(count(creates, 201), 100);
  assert429(await create(100), { limit: 100, windowS: 86400, retryAfter: 86400, resetS: startS + 86400 });
  await control("POST", "/clock", { advance: "24h" });
  assert.equal((await check()).status, 200);
});

test("status/resend per-minute and numbers check per-day windows (overrides)", async (t) => {
  const { api, control } = await startSandbox(t, { limits: { status: { perMinute: 3 }, resend: { perMinute: 2 }, numbersCheck: { perDay: 4 } } });
  const msg = (await api("POST", "/v1/whatsapp/send", { body: hello() })).body.data;
  const tick = () => control("POST", "/clock", { advance: "1s" });
  for (let i = 0; i < 3; i++) assert.equal((await api("GET", `/v1/whatsapp/status/${msg.messageId}`)).status, 200);
  assert.equal((await api("GET", `/v1/whatsapp/status/${msg.messageId}`)).headers.get("x-ratelimit-window"), "60");
  for (let i = 0; i < 2; i++) assert.notEqual((await api("POST", `/v1/whatsapp/resend/${msg.messageId}`)).status, 429);
  await tick();
  assert.equal((await api("POST", `/v1/whatsapp/resend/${msg.messageId}`)).headers.get("x-ratelimit-limit"), "2");
  for (let i = 0; i < 4; i++, await tick()) assert.equal((await api("GET", `/v1/whatsapp/numbers/check?phone=${USER}`)).status, 200);
  await control("POST", "/clock", { advance: "5m" });
  const r = await api("GET", `/v1/whatsapp/numbers/check?phone=${USER}`);
  assert.equal(r.status, 429);
  assert.equal(r.headers.get("x-ratelimit-window"), "86400");
});

test("limits are per token", async (t) => {
  const { api } = await startSandbox(t, { tokens: [TOKEN, "other"], limits: { send: { perSecond: 2 } } });
  const send = (token) => api("POST", "/v1/whatsapp/send", { body: hello(), token });
  assert.deepEqual(await burst(() => send(TOKEN), 3).then((s) => s.sort()), [200, 200, 429]);
  assert.equal((await send("other")).status, 200);
});

test("time scale: a sandbox second passes in 100 ms of real time", async (t) => {
  const { api } = await startSandbox(t, { timeScale: 10, limits: { send: { perSecond: 2 } } });
  const send = () => api("POST", "/v1/whatsapp/send", { body: hello() });
  const began = Date.now();
  const s = await burst(send, 3);
  const took = Date.now() - began;
  if (took > 90) return t.skip(`machine too slow for this check (${took} ms burst)`);
  assert.deepEqual(s.sort(), [200, 200, 429]);
  // The window opened when the first sends arrived, before their answers came back: 110 ms from
  // now is past it, however late they arrived, and far short of a real second.
  await sleep(110);
  assert.equal((await send()).status, 200);
});

test("limits can be disabled", async (t) => {
  const { api } = await startSandbox(t, { limits: false });
  const s = await burst(() => api("POST", "/v1/whatsapp/send", { body: hello() }), 150);
  assert.equal(count(s, 200), 150);
  const r = await api("POST", "/v1/whatsapp/send", { body: hello() });
  assert.equal(r.headers.get("x-ratelimit-limit"), null);
});

test("draft shape 429 carries retry_after in the body", async (t) => {
  const { api } = await startSandbox(t, { shape: "draft", limits: { send: { perSecond: 1 } } });
  await api("POST", "/v1/whatsapp/send", { body: hello() });
  const r = await api("POST", "/v1/whatsapp/send", { body: hello() });
  assert.equal(r.status, 429);
  assert.equal(r.body.error, "RATE_LIMIT_EXCEEDED");
  assert.equal(r.body.retry_after, 1);
  assert.equal(r.body.details.retry_after, 1);
  assert.equal(r.body.details.code, "WA005");
});
