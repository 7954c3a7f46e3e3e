// POST /webhooks/sendexa: verified over the raw body, deduplicated by X-Webhook-ID, statuses stored,
// and inbound messages open the recipient's 24-hour window (in KV, where the client looks).
import { handleWebhook } from "sendexa-whatsapp";
import { dedupeStore, statusStore, windowStore } from "./stores.mjs";

export function webhooks(request, env) {
  const statuses = statusStore(env.STATE);
  return handleWebhook(request, {
    secret: env.SENDEXA_WEBHOOK_SECRET,
    dedupe: dedupeStore(env.STATE),
    window: windowStore(env.STATE),
    onEvent: async (event) => {
      if (event.kind === "status" && event.messageId) await statuses.record(event);
    },
  });
}
