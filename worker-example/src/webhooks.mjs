// POST /webhooks/sendexa: verified over the raw body, statuses stored in their message's shard
// (src/messages.mjs, a Durable Object: one call per webhook), which also counts campaign messages'
// statuses in their campaign's progress; inbound messages open the recipient's 24-hour window (in
// KV, where the client looks); failed messages go to the recovery ledger (src/recovery.mjs), which
// plans their resend.
//
// Repeats: the SDK's default dedupe (the isolate's last 10,000 X-Webhook-IDs) answers a repeated
// delivery without handling it again. One that reaches another isolate, or the same event under
// another delivery id, changes nothing either: the shard records a message's status once, and the
// recovery ledger plans a failed message once.
import { handleWebhook } from "sendexa-whatsapp";
import { account } from "./client.mjs";
import { messageShard } from "./messages.mjs";
import { failureOf } from "./recovery.mjs";
import { windowStore } from "./stores.mjs";

export function webhooks(request, env) {
  return handleWebhook(request, {
    secret: env.SENDEXA_WEBHOOK_SECRET,
    window: windowStore(env.STATE),
    onEvent: async (event) => {
      if (event.kind !== "status" || !event.messageId) return;
      const { messageId, status } = event;
      // A throw anywhere here answers 500, so Sendexa delivers the webhook again; each step below
      // does its part once however often it comes.
      await messageShard(env, messageId).status({
        messageId,
        status,
        recipient: event.recipient ?? null,
        errorCode: event.errorCode ?? null,
        at: event.timestamp ?? new Date().toISOString(),
      });
      const original = typeof event.raw?.originalMessageId === "string" ? event.raw.originalMessageId : undefined;
      // A resend's statuses count in the progress of the original's campaign, if it had one.
      if (original) await messageShard(env, original).resendStatus(original, status);
      if (status === "failed") await account(env).failed(failureOf(event));
      if (status === "delivered" && original) await account(env).delivered(original, messageId);
    },
  });
}
