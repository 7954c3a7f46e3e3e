// Delivery failures on demand (POST /__sandbox/failures) and the resends they lead to, on the
// sandbox's movable clock: chosen error codes in status and `message.failed` webhooks, rules that
// cover resends, Sendexa's schedule of 5 resends within 48 h.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, webhookListener, template, USER } from "./helpers.mjs";

const hello = (to = USER) => template(to, "hello_world", "en_US");
const MIN = 60e3;

async function setup(t, options = {}) {
  const hook = await webhookListener(t);
  const sb = await startSandbox(t, { webhookUrl: hook.url, ...options });
  const advance = (advanceMs) => sb.control("POST", "/clock", { advanceMs, settle: true });
  const send = async (body = hello()) => (await sb.api("POST", "/v1/whatsapp/send", { body })).body.data;
  const resend = (messageId) => sb.api("POST", "/v1/whatsapp/resend", { body: { messageId } });
  const status = async (id) => (await sb.api("GET", `/v1/whatsapp/status/${id}`)).body.data;
  const fail = (rule) => sb.control("POST", "/failures", rule);
  const failedHooks = () => hook.received.filter((d) => d.json.event === "message.failed").map((d) => d.json);
  return { ...sb, hook, advance, send, resend, status, fail, failedHooks };
}

test("a failure rule fails the next message to its recipient with the chosen code, in status and webhook", async (t) => {
  const { fail, send, advance, status, hook, failedHooks, control } = await setup(t);
  const added = await fail({ to: USER, code: "WA005" });
  assert.equal(added.status, 201, added.text);
  assert.deepEqual([added.body.data.to, added.body.data.code, added.body.data.count, added.body.data.afterMs], [USER, "WA005", 1, 1000]);

  const sent = await send();
  assert.equal(sent.status, "sent", "accepted and sent before failing");
  const other = await send(hello("233244000001"));
  await advance(999);
  assert.equal((await status(sent.messageId)).status, "sent");
  await advance(1);
  const s = await status(sent.messageId);
  assert.deepEqual([s.status, s.errorCode, s.error.code, s.failedAt], ["failed", "WA005", "WA005", "2025-01-15T10:00:01.000Z"]);
  assert.equal(s.error.message, "Rate limit hit while delivering");
  const hookBody = (await hook.next((d) => d.json.event === "message.failed")).json;
  assert.deepEqual([hookBody.messageId, hookBody.status, hookBody.error.code, hookBody.timestamp], [sent.messageId, "failed", "WA005", "2025-01-15T10:00:01.000Z"]);
  assert.equal((await status(other.messageId)).status, "delivered", "another recipient is not touched");

  // The rule is used up: the next send to the same recipient delivers.
  const next = await send();
  await advance(1000);
  assert.equal((await status(next.messageId)).status, "delivered");
  assert.equal(failedHooks().length, 1);
  const view = (await control("GET", "/failures")).body.data;
  assert.deepEqual([view.rules[0].fired, view.rules[0].remaining, view.fired[0].messageId, view.fired[0].origin], [1, 0, sent.messageId, "send"]);
});

test("a rule's count covers resends: they fail with the same code, and the webhook names the original", async (t) => {
  const { fail, send, advance, resend, status, failedHooks } = await setup(t);
  await fail({ to: USER, code: "131026", message: "Receiver incapable", count: 2, afterMs: 5000 });
  const original = await send();
  await advance(5000);
  const busy = await resend(original.messageId);
  assert.equal(busy.status, 200, busy.text);
  const first = busy.body.data;
  assert.equal(first.resendAttempt, 1);
  // The first resend is still in flight (sent, failing at 5 s): another resend is refused.
  const inFlight = await resend(original.messageId);
  assert.deepEqual([inFlight.status, inFlight.body.code], [409, "RESEND_IN_PROGRESS"]);
  await advance(5000);
  assert.deepEqual([(await status(first.messageId)).status, (await status(first.messageId)).errorCode], ["failed", "131026"]);
  const second = (await resend(first.messageId)).body.data;
  assert.equal(second.resendAttempt, 2);
  await advance(1000);
  assert.equal((await status(second.messageId)).status, "delivered", "the rule's 2 uses are spent");
  const hooks = failedHooks();
  assert.deepEqual(hooks.map((h) => [h.error.code, h.error.message, h.originalMessageId, h.resendAttempt]), [
    ["131026", "Receiver incapable", undefined, undefined],
    ["131026", "Receiver incapable", original.messageId, 1],
  ]);
});

test("five resends on Sendexa's schedule (1, 5, 15, 30, 60 min), then the limit; all within 48 h", async (t) => {
  const { fail, send, advance, resend, status, failedHooks, control } = await setup(t);
  await fail({ code: "WA005", count: 10 }); // any recipient
  const original = await send();
  await advance(1000);
  let latest = original.messageId;
  for (const [i, minutes] of [1, 5, 15, 30, 60].entries()) {
    await advance(minutes * MIN); // the schedule's wait after the failure
    const r = await resend(latest);
    assert.equal(r.status, 200, `resend ${i + 1}: ${r.text}`);
    assert.equal(r.body.data.resendAttempt, i + 1);
    latest = r.body.data.messageId;
    await advance(1000);
    assert.equal((await status(latest)).errorCode, "WA005");
  }
  const sixth = await resend(latest);
  assert.deepEqual([sixth.status, sixth.body.code], [400, "RESEND_LIMIT_REACHED"]);
  assert.equal(failedHooks().length, 6, "the original and 5 resends each sent message.failed");
  const m = (await control("GET", "/messages")).body.data;
  assert.deepEqual([m.sends, m.resends, m.duplicates.length], [1, 5, 0]);

  // A message failed on day 1 may not be resent on day 3, whatever its count.
  const old = await send();
  await advance(1000);
  await advance(48 * 3600e3);
  const late = await resend(old.messageId);
  assert.deepEqual([late.status, late.body.code], [400, "RESEND_WINDOW_EXPIRED"]);
});

test("the chosen code decides what a resend may do: WA004 needs a new send; delivered is not resendable", async (t) => {
  const { fail, send, advance, resend } = await setup(t);
  await fail({ to: USER, code: "WA004" });
  const media = await send();
  await advance(1000);
  const r = await resend(media.messageId);
  assert.deepEqual([r.status, r.body.code], [400, "WA004"]);
  const fine = await send(hello("233244000002"));
  await advance(1000);
  const n = await resend(fine.messageId);
  assert.deepEqual([n.status, n.body.code], [400, "NOT_RESENDABLE"]);
});

test("failure rules are checked, listed, cleared and reset", async (t) => {
  const { fail, control } = await setup(t);
  const bad = await fail({ code: "", to: "+233 24", count: 0, afterMs: -1, message: 3, colour: "red" });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ["afterMs", "code", "colour", "count", "message", "to"]);
  assert.equal((await fail([{ code: "WA005" }])).status, 400, "an array is not a rule");
  assert.equal((await fail({ code: "WA005", count: 1.5 })).status, 400);
  assert.equal((await fail({ code: "WA005" })).status, 201);
  assert.equal((await fail({ code: "WA003", to: USER, afterMs: 0 })).status, 201);
  assert.equal((await control("GET", "/failures")).body.data.rules.length, 2);
  assert.equal((await control("DELETE", "/failures")).body.data.rules.length, 0);
  await fail({ code: "WA005" });
  await control("POST", "/reset");
  assert.deepEqual((await control("GET", "/failures")).body.data, { rules: [], fired: [] });
});

test("afterMs 0 fails the message before the send answers", async (t) => {
  const { fail, send, hook } = await setup(t);
  await fail({ code: "WA006", afterMs: 0 });
  const sent = await send();
  assert.equal(sent.status, "failed");
  const h = (await hook.next((d) => d.json.event === "message.failed")).json;
  assert.deepEqual([h.messageId, h.error.code, h.error.message], [sent.messageId, "WA006", "Account blocked"]);
});
