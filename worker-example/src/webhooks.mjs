// POST /webhooks/sendexa: verified over the raw body, deduplicated by X-Webhook-ID, statuses stored,
// inbound messages open the recipient's 24-hour window (in KV, where the client looks), and failed
// messages go to the recovery ledger (src/recovery.mjs), which plans their resend.
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
      const original = event.raw?.originalMessageId;
      if (event.status === "delivered" && typeof original === "string") await account(env).delivered(original, event.messageId);
    },
  });
}
