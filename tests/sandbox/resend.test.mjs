// POST /v1/whatsapp/resend: both request forms, 5 attempts, 48 h, 409 in progress, 202 scheduled.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, openWindow, text, template, USER } from "./helpers.mjs";
import { MAGIC } from "./server.mjs";

const hello = (to) => template(to, "hello_world", "en_US");

async function setup(t, options) {
  const sb = await startSandbox(t, options);
  const send = async (body) => (await sb.api("POST", "/v1/whatsapp/send", { body })).body.data;
  const resendBody = (messageId) => sb.api("POST", "/v1/whatsapp/resend", { body: { messageId } });
  const resendPath = (id) => sb.api("POST", `/v1/whatsapp/resend/${id}`);
  const advance = (advance) => sb.control("POST", "/clock", { advance });
  return { ...sb, send, resendBody, resendPath, advance };
}

test("a failed message is resent with a new messageId, in both request forms", async (t) => {
  const { send, resendBody, resendPath, advance, api, control } = await setup(t);
  const original = await send(hello(MAGIC.FAILS_ONCE));
  await advance("1s");
  const r = await resendBody(original.messageId);
  assert.equal(r.status, 200);
  assert.equal(r.body.message, "WhatsApp message resent successfully");
  const d = r.body.data;
  assert.match(d.messageId, /^exa_wa_resend_/);
  assert.deepEqual([d.originalMessageId, d.to, d.resendAttempt, d.cost, d.status, d.deliveredAt], [original.messageId, MAGIC.FAILS_ONCE, 1, 1, "sent", null]);
  await advance("1s");
  const s = (await api("GET", `/v1/whatsapp/status/${d.messageId}`)).body.data;
  assert.deepEqual([s.status, s.originalMessageId, s.resendAttempt], ["delivered", original.messageId, 1]);

  const other = await send(hello(MAGIC.FAILS));
  await advance("1s");
  const p = await resendPath(other.messageId);
  assert.equal(p.status, 200, "SDK form /resend/{id} with no body");
  assert.equal(p.body.data.originalMessageId, other.messageId);
  const m = (await control("GET", `/messages?to=${MAGIC.FAILS}`)).body.data;
  assert.deepEqual([m.sends, m.resends, m.byContent[0].sends, m.byContent[0].resends, m.duplicates.length], [1, 1, 1, 1, 0], "a resend is not a duplicate send");
});

test("at most 5 resends, each only after the previous attempt failed", async (t) => {
  const { send, resendBody, advance } = await setup(t);
  const original = await send(hello(MAGIC.FAILS));
  const busy = await resendBody(original.messageId);
  assert.deepEqual([busy.status, busy.body.code], [409, "RESEND_IN_PROGRESS"], "the original is still in flight");
  await advance("1s");
  let last;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const r = await resendBody(last ? last.messageId : original.messageId); // resending a resend counts on the original
    assert.equal(r.status, 200, `attempt ${attempt}: ${r.text}`);
    assert.equal(r.body.data.resendAttempt, attempt);
    last = r.body.data;
    const again = await resendBody(original.messageId);
    // While an attempt is in flight a repeat is refused (409); after the 5th the limit says so.
    assert.equal(again.body.code, attempt < 5 ? "RESEND_IN_PROGRESS" : "RESEND_LIMIT_REACHED");
    assert.equal(again.status, attempt < 5 ? 409 : 400);
    await advance("1s");
  }
  const sixth = await resendBody(original.messageId);
  assert.deepEqual([sixth.status, sixth.body.code], [400, "RESEND_LIMIT_REACHED"]);
});

test("delivered messages are not resendable; unknown ids are 404; bad bodies are 400", async (t) => {
  const { send, resendBody, resendPath, advance, api } = await setup(t);
  const ok = await send(hello(MAGIC.DELIVERS));
  await advance("1s");
  const r = await resendBody(ok.messageId);
  assert.deepEqual([r.status, r.body.code], [400, "NOT_RESENDABLE"]);
  assert.equal((await resendPath("exa_wa_missing")).status, 404);
  assert.equal((await resendBody("exa_wa_missing")).body.code, "MESSAGE_NOT_FOUND");
  const empty = await api("POST", "/v1/whatsapp/resend", { body: {} });
  assert.deepEqual([empty.status, empty.body.errors[0].field], [400, "messageId"]);
  assert.equal((await api("POST", "/v1/whatsapp/resend", { body: { messageId: 42 } })).status, 400);
  assert.equal((await api("POST", "/v1/whatsapp/resend", { body: { messageId: ok.messageId }, token: null })).status, 401);
});

test("resend only within 48 h; free-form needs the window; media failures need a new send", async (t) => {
  const { send, resendBody, advance, control } = await setup(t);
  const old = await send(hello(MAGIC.FAILS));
  await advance("48h");
  assert.equal((await resendBody(old.messageId)).status, 200, "exactly 48 h is still allowed");
  await advance("1s");
  const late = await resendBody(old.messageId);
  assert.deepEqual([late.status, late.body.code], [400, "RESEND_WINDOW_EXPIRED"]);

  await openWindow(control, MAGIC.FAILS);
  const free = await send(text(MAGIC.FAILS, "free-form"));
  await advance("24h");
  const closed = await resendBody(free.messageId);
  assert.deepEqual([closed.status, closed.body.code], [400, "WA003"]);

  await openWindow(control, USER);
  const media = await send({ to: USER, type: "image", image: { link: "https://cdn.invalid/x.png" } });
  await advance("1s");
  const m = await resendBody(media.messageId);
  assert.deepEqual([m.status, m.body.code], [400, "WA004"]);
});

test("a resend that is only scheduled answers 202", async (t) => {
  const { send, resendBody, advance, sandbox } = await setup(t);
  const original = await send(hello(MAGIC.SLOW));
  // Fail the slow message by hand: the slow number itself never fails.
  const msg = sandbox.state.findMessage(original.messageId);
  sandbox.lifecycle.transition(msg, "failed", sandbox.clock.now(), { code: "WA002", message: "forced" });
  const r = await resendBody(original.messageId);
  assert.deepEqual([r.status, r.body.data.status, r.body.message], [202, "pending", "WhatsApp message resend scheduled"]);
  await advance("5s");
});
