// POST /webhooks/sendexa: verified over the raw body, deduplicated by X-Webhook-ID, statuses stored,
// inbound messages open the recipient's 24-hour window (in KV, where the client looks), and failed
// messages go to the recovery ledger (src/recovery.mjs), which plans their resend, and campaign
// messages' statuses count in their campaign's progress (src/campaigns.mjs).
import { handleWebhook } from "sendexa-whatsapp";
import { account } from "./client.mjs";
import { failureOf } from "./recovery.mjs";
import { dedupeStore, statusStore, windowStore } from "./stores.mjs";

export function webhooks(request, env) {
  const statuses = statusStore(env.STATE);
  return handleWebhook(request, {
    secret: env.SENDEXA_WEBHOOK_SECRET,
    dedupe: dedupeStore(env.STATE),
    window: windowStore(env.STATE),
    onEvent: async (event) => {
      if (event.kind !== "status" || !event.messageId) return;
      await statuses.record(event);
      // A throw here answers 500, so Sendexa delivers the webhook again; the ledger plans once.
      if (event.status === "failed") await account(env).failed(failureOf(event));
      const original = typeof event.raw?.originalMessageId === "string" ? event.raw.originalMessageId : undefined;
      if (event.status === "delivered" && original) await account(env).delivered(original, event.messageId);
      // A campaign's progress (src/campaigns.mjs) is counted from these events.
      await account(env).statusEvent({ messageId: event.messageId, original, status: event.status });
    },
  });
}
