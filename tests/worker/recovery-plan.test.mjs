// The worker example's recovery planning (worker-example/src/recovery.mjs) in Node, with an
// injected clock: every stop's effect, the Queue delay, and what a failure webhook says. The
// same module runs in workerd in recovery.test.mjs.
import test, { before } from "node:test";
import assert from "node:assert/strict";
import { installPackage } from "../../worker-example/local.mjs";

let recovery;
const NOW = Date.parse("2025-01-15T10:00:00Z");
const MIN = 60_000;
const env = { FALLBACK_TEMPLATE: "hello_world", FALLBACK_LANGUAGE: "en_US", TIME_SCALE: "1" };

before(async () => {
  installPackage(); // recovery.mjs imports sendexa-whatsapp as the Worker does
  recovery = await import("../../worker-example/src/recovery.mjs");
});

const failure = (fields = {}) => ({ messageId: "exa_wa_1", original: "exa_wa_1", attempt: 0, errorCode: "WA005", errorMessage: "busy", to: "233244000000", ...fields });

test("a resend is a delayed Queue job keyed by message and attempt", () => {
  const entry = recovery.newEntry("exa_wa_1", { to: "233244000000", sentAt: NOW - MIN });
  const { plan, effects } = recovery.planRecovery(entry, failure(), env, NOW);
  assert.deepEqual(plan, { action: "resend", at: NOW + MIN, attempt: 1 });
  assert.deepEqual(effects, [{ queue: "NOTIFICATIONS", body: { kind: "resend", id: "resend:exa_wa_1:1", messageId: "exa_wa_1", attempt: 1 }, options: { delaySeconds: 60 } }]);
  assert.equal(entry.state, "scheduled");
  // The fourth resend after three: 30 minutes; a sandbox 20× faster waits 90 s.
  const later = recovery.planRecovery(recovery.newEntry("exa_wa_1", { resends: 3 }), failure({ messageId: "exa_wa_resend_3", attempt: 3 }), { ...env, TIME_SCALE: "20" }, NOW);
  assert.deepEqual([later.plan.attempt, later.effects[0].options.delaySeconds, later.effects[0].body.id], [4, 90, "resend:exa_wa_1:4"]);
});

test("stops: the fallback template, the dead letter, and reasons recorded", () => {
  const closed = recovery.newEntry("exa_wa_1", { to: "233244000000", fallbackSpec: { name: "order_update", language: "en" } });
  const window = recovery.planRecovery(closed, failure({ errorCode: "WA003" }), env, NOW);
  assert.deepEqual(window.effects, [{ queue: "NOTIFICATIONS", body: { id: "fallback:exa_wa_1", message: { to: "233244000000", type: "template", template: { name: "order_update", language: { code: "en" } } } } }]);
  assert.deepEqual([closed.state, closed.reason], ["stopped", "WINDOW_CLOSED"]);

  const media = recovery.planRecovery(recovery.newEntry("exa_wa_1", { to: "233244000000" }), failure({ errorCode: "WA004", errorMessage: "404" }), env, NOW);
  assert.equal(media.effects[0].queue, "DEAD_LETTERS");
  assert.match(media.effects[0].body.reason, /^MEDIA: /);
  assert.deepEqual(media.effects[0].body.error, { code: "WA004", message: "404" });

  for (const [entry, f, reason] of [
    [recovery.newEntry("exa_wa_1"), failure({ errorCode: "WA006" }), "NOT_RESENDABLE"],
    [recovery.newEntry("exa_wa_1", { resends: 5 }), failure({ attempt: 5 }), "LIMIT"],
    [recovery.newEntry("exa_wa_1", { sentAt: NOW - 48 * 3600e3 }), failure(), "EXPIRED"],
  ]) {
    const { plan, effects } = recovery.planRecovery(entry, f, env, NOW);
    assert.deepEqual([plan.reason, effects, entry.reason, entry.history.at(-1).reason], [reason, [], reason, reason]);
  }
});

test("a failure webhook names the original and the attempts made", () => {
  const original = recovery.failureOf({ messageId: "exa_wa_1", status: "failed", errorCode: "WA005", recipient: "233244000000", raw: {} });
  assert.deepEqual([original.original, original.attempt, original.to], ["exa_wa_1", 0, "233244000000"]);
  const resend = recovery.failureOf({ messageId: "exa_wa_resend_2", status: "failed", raw: { originalMessageId: "exa_wa_1", resendAttempt: 2 } });
  assert.deepEqual([resend.original, resend.attempt, resend.errorCode], ["exa_wa_1", 2, null]);
  assert.equal(recovery.failureOf({ messageId: "m", raw: { resendAttempt: "2" } }).attempt, 0);
  assert.equal(recovery.delaySeconds(NOW + 1, NOW), 1, "whole seconds, rounded up");
  assert.equal(recovery.delaySeconds(NOW - 5000, NOW), 0);
  assert.equal(recovery.delaySeconds(NOW + 86_400_000, NOW), 43_200, "a Queue delays at most 12 h");
});
