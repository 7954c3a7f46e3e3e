// Faults on demand, and the inspection that tells "rejected before" from "accepted, then lost".
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, template, USER, TOKEN, sleep } from "./helpers.mjs";

const SEND = "/v1/whatsapp/send";
const hello = () => template(USER, "hello_world", "en_US");

/** A raw fetch so the test sees exactly what a client would (no JSON parsing). */
async function rawSend(url, fault, { signal, body = hello() } = {}) {
  const headers = { Authorization: `Basic ${TOKEN}`, "Content-Type": "application/json", ...(fault ? { "X-Sandbox-Fault": fault } : {}) };
  const res = await fetch(url + SEND, { method: "POST", headers, body: JSON.stringify(body), signal });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const isJson = (s) => { try { JSON.parse(s); return true; } catch { return false; } };

async function firedLog(control, expected, ms = 2000) {
  const until = Date.now() + ms;
  for (;;) {
    const fired = (await control("GET", "/faults")).body.data.fired;
    if (fired.length >= expected || Date.now() > until) return fired;
    await sleep(20);
  }
}

test("before-phase faults reject without accepting anything", async (t) => {
  const { url, control } = await startSandbox(t);
  const r500 = await rawSend(url, "500");
  assert.deepEqual([r500.status, JSON.parse(r500.text).code], [500, "SERVER_ERROR"]);
  const r502 = await rawSend(url, "502");
  assert.equal(r502.status, 502);
  const r503 = await rawSend(url, "503; retryAfter=7");
  assert.deepEqual([r503.status, r503.headers.get("retry-after")], [503, "7"]);
  const r429 = await rawSend(url, "429");
  assert.deepEqual([r429.status, r429.headers.get("retry-after"), JSON.parse(r429.text).code], [429, "1", "WA005"]);
  const html = await rawSend(url, "html");
  assert.equal(html.status, 502);
  assert.match(html.headers.get("content-type"), /text\/html/);
  assert.match(html.text, /^<html>.*502 Bad Gateway/);
  const nonJson = await rawSend(url, "non_json");
  assert.equal(nonJson.status, 200);
  assert.match(nonJson.headers.get("content-type"), /application\/json/);
  assert.equal(isJson(nonJson.text), false);
  const trunc = await rawSend(url, "truncate");
  assert.equal(trunc.status, 200);
  assert.ok(trunc.text.startsWith('{"success":'), trunc.text);
  assert.equal(isJson(trunc.text), false);
  await assert.rejects(rawSend(url, "drop"), /fetch failed/);

  const inspect = (await control("GET", "/messages")).body.data;
  assert.equal(inspect.total, 0, "nothing was accepted");
  const fired = await firedLog(control, 9);
  assert.deepEqual(fired.map((f) => f.kind), ["500", "502", "503", "429", "html", "non_json", "truncate", "drop"]);
  for (const f of fired) assert.deepEqual([f.phase, f.processed, f.accepted, f.source], ["before", false, [], "header"]);
});

test("after-phase faults: the send was accepted, only the response was lost", async (t) => {
  const { url, control } = await startSandbox(t);
  const kinds = ["500", "502", "503", "429", "html", "non_json", "truncate", "drop"];
  for (const kind of kinds) {
    if (kind === "drop") {
      await assert.rejects(rawSend(url, "drop:after"), /fetch failed/);
      continue;
    }
    const r = await rawSend(url, `${kind}:after`);
    if (kind === "truncate") {
      assert.equal(r.status, 200);
      assert.ok(r.text.startsWith('{"success":true,"message":"WhatsApp message sent successfully"'), "the real body, cut short");
      assert.equal(isJson(r.text), false);
    }
  }
  const inspect = (await control("GET", "/messages")).body.data;
  assert.equal(inspect.total, kinds.length, "every request was accepted");
  assert.deepEqual(inspect.messages.map((m) => m.responseFault && m.responseFault.kind), kinds);
  assert.ok(inspect.messages.every((m) => m.responseFault.phase === "after"));
  const fired = await firedLog(control, kinds.length);
  for (const [i, f] of fired.entries()) {
    assert.deepEqual([f.phase, f.processed, f.accepted], ["after", true, [inspect.messages[i].messageId]]);
    assert.equal(f.requestId, inspect.messages[i].requestId);
  }
});

test("delay: before-phase requests the client abandoned are never processed; after-phase ones are", async (t) => {
  const { url, control } = await startSandbox(t);
  await assert.rejects(rawSend(url, "delay; delayMs=300", { signal: AbortSignal.timeout(80) }), /abort|timeout/i);
  await assert.rejects(rawSend(url, "timeout:after; delayMs=300", { signal: AbortSignal.timeout(80) }), /abort|timeout/i);
  const fired = await firedLog(control, 2);
  assert.equal(fired.length, 2);
  const byPhase = Object.fromEntries(fired.map((f) => [f.phase, f]));
  assert.deepEqual([byPhase.before.kind, byPhase.before.processed], ["delay", false]);
  assert.deepEqual([byPhase.after.kind, byPhase.after.processed], ["delay", true]);
  const inspect = (await control("GET", "/messages")).body.data;
  assert.equal(inspect.total, 1);
  assert.deepEqual(inspect.messages[0].responseFault.kind, "delay");

  const began = Date.now();
  const patient = await rawSend(url, "delay; delayMs=150");
  assert.equal(patient.status, 200, "a patient client gets the answer");
  assert.ok(Date.now() - began >= 140);
  assert.equal((await control("GET", "/messages")).body.data.total, 2);
});

test("rules: count, skip, method/path match; list and clear; control endpoints are exempt", async (t) => {
  const { url, api, control } = await startSandbox(t);
  const add = await control("POST", "/faults", { rules: [
    { kind: "503", path: SEND, count: 2 },
    { kind: "500", method: "GET", path: "/v1/whatsapp/templates*", skip: 1 },
  ] });
  assert.equal(add.status, 201);
  assert.deepEqual(add.body.data.added, [1, 2]);
  assert.deepEqual([(await rawSend(url)).status, (await rawSend(url)).status, (await rawSend(url)).status], [503, 503, 200]);
  assert.equal((await api("GET", "/v1/whatsapp/templates")).status, 200, "skip: 1 lets the first through");
  assert.equal((await api("GET", "/v1/whatsapp/templates/tpl_wa_000001")).status, 500);
  assert.equal((await api("GET", "/v1/whatsapp/templates")).status, 200, "count defaults to 1");
  assert.equal((await control("GET", "/health")).status, 200);
  const view = (await control("GET", "/faults")).body.data;
  assert.deepEqual(view.rules.map((r) => r.fired), [2, 1]);
  assert.deepEqual(view.fired.map((f) => f.source), ["rule:1", "rule:1", "rule:2"]);
  await control("POST", "/faults", { kind: "502", count: 100 });
  await control("DELETE", "/faults");
  assert.equal((await rawSend(url)).status, 200);
});

test("a 429 storm honours its Retry-After, then clears", async (t) => {
  const { url, control } = await startSandbox(t);
  await control("POST", "/faults", { kind: "429", count: 10, retryAfter: 2 });
  const statuses = [];
  for (let i = 0; i < 12; i++) {
    const r = await rawSend(url);
    statuses.push(r.status);
    if (r.status === 429) assert.equal(r.headers.get("retry-after"), "2");
  }
  assert.deepEqual(statuses, [...Array(10).fill(429), 200, 200]);
});

test("a seeded random mix is reproducible and every accepted send is accounted for", async (t) => {
  const { url, control } = await startSandbox(t, { limits: false });
  const rule = { rate: 0.3, kinds: ["500", "drop", "drop:after", "truncate:after", "503"], seed: 42, phase: "before", path: SEND };
  async function run() {
    await control("POST", "/faults", rule);
    const outcomes = [];
    for (let i = 0; i < 60; i++) {
      const body = { to: USER, type: "template", template: { name: "verification_code", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: `code-${i}` }] }] } };
      try {
        const r = await rawSend(url, null, { body });
        outcomes.push(r.status === 200 && isJson(r.text) ? "ok" : `${r.status}`);
      } catch {
        outcomes.push("dropped");
      }
    }
    return outcomes;
  }
  const first = await run();
  const fired = (await control("GET", "/faults")).body.data.fired;
  const inspect = (await control("GET", "/messages")).body.data;
  const faulted = first.filter((o) => o !== "ok").length;
  assert.ok(faulted >= 8 && faulted <= 30, `about 30% faulted, got ${faulted}`);
  assert.equal(fired.length, faulted);
  assert.ok(fired.some((f) => f.phase === "after") && fired.some((f) => f.phase === "before"));
  // Nothing lost or doubled: accepted = clean answers + after-phase faults, each content once.
  assert.equal(inspect.total, first.filter((o) => o === "ok").length + fired.filter((f) => f.phase === "after").length);
  assert.equal(inspect.duplicates.length, 0);
  assert.ok(inspect.byContent.every((c) => c.sends === 1));

  await control("POST", "/reset");
  assert.deepEqual(await run(), first, "same seed, same faults");
});

test("bad fault requests are 400s", async (t) => {
  const { url, control } = await startSandbox(t);
  const r = await rawSend(url, "meltdown");
  assert.deepEqual([r.status, JSON.parse(r.text).code], [400, "INVALID_FAULT"]);
  assert.equal((await control("POST", "/faults", { kind: "nope" })).status, 400);
  assert.equal((await control("POST", "/faults", { rate: 2, kinds: [] })).body.errors.length, 2);
  assert.equal((await control("POST", "/faults", { rules: [{ kind: "500" }, { kind: "bad" }] })).status, 400);
  assert.equal((await control("GET", "/faults")).body.data.rules.length, 0, "all-or-nothing");
  await control("POST", "/faults", { kind: "500", count: 9 });
  const replaced = await control("POST", "/faults", { rules: [{ kind: "502" }], replace: true });
  assert.deepEqual(replaced.body.data.rules.map((r) => r.kinds[0].kind), ["502"]);
  assert.equal((await control("GET", "/messages")).body.data.total, 0);
});

test("inspection filters and duplicate detection", async (t) => {
  const { api, control } = await startSandbox(t);
  await api("POST", SEND, { body: template(USER, "hello_world", "en_US") });
  await api("POST", SEND, { body: template(USER, "hello_world", "en_US") });
  await api("POST", SEND, { body: template("233244000777", "hello_world", "en_US") });
  const all = (await control("GET", "/messages")).body.data;
  assert.deepEqual([all.total, all.sends, all.resends, all.byContent.length], [3, 3, 0, 2]);
  assert.equal(all.duplicates.length, 1);
  assert.equal(all.duplicates[0].sends, 2);
  assert.match(all.duplicates[0].hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(all.messages[0].request, template(USER, "hello_world", "en_US"));
  const one = (await control("GET", `/messages?hash=${all.duplicates[0].hash}`)).body.data;
  assert.equal(one.total, 2);
  assert.equal((await control("GET", "/messages?to=233244000777")).body.data.total, 1);
  // The hash is over canonical JSON, so key order in the request does not matter.
  await api("POST", SEND, { body: { type: "template", template: { language: "en_US", name: "hello_world" }, to: "233244000777" } });
  const after = (await control("GET", "/messages?to=233244000777")).body.data;
  assert.equal(after.duplicates[0].sends, 2);
});

test("huge: a valid JSON body padded to `size` bytes, before (nothing accepted) or after (the real answer)", async (t) => {
  const { url, control } = await startSandbox(t);
  const before = await rawSend(url, "huge; size=2000000");
  assert.equal(before.status, 200);
  assert.equal(Buffer.byteLength(before.text), 2_000_000);
  const b = JSON.parse(before.text);
  assert.deepEqual([b.success, b.data], [true, null]);
  assert.match(b.padding, /^x+$/);
  assert.equal((await control("GET", "/messages")).body.data.total, 0, "before: nothing accepted");

  const after = await rawSend(url, "large:after; size=3000000");
  assert.equal(Buffer.byteLength(after.text), 3_000_000);
  const a = JSON.parse(after.text);
  assert.ok(a.data.messageId.startsWith("exa_wa_"), "the real answer, padded");
  const inspect = (await control("GET", "/messages")).body.data;
  assert.equal(inspect.total, 1);
  assert.deepEqual(inspect.messages[0].responseFault.kind, "huge");

  // The default is 16 MiB; a rule carries its own size; error answers are padded too.
  assert.equal(Buffer.byteLength((await rawSend(url, "huge")).text), 16 * 1024 * 1024);
  await control("POST", "/faults", { kind: "huge", phase: "after", size: 100000, count: 1 });
  const bad = await rawSend(url, null, { body: { to: "12", type: "text", text: { body: "x" } } });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).code, "WA001");
  assert.equal(Buffer.byteLength(bad.text), 100000);
  const fired = await firedLog(control, 4);
  assert.deepEqual(fired.map((f) => [f.kind, f.phase]), [["huge", "before"], ["huge", "after"], ["huge", "before"], ["huge", "after"]]);
});
