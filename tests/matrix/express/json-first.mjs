// The mistake the handler must explain: a JSON body parser mounted first has consumed the raw bytes.
import express from "express";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const app = express();
app.use(express.json());
app.post(
  "/webhooks/sendexa",
  nodeWebhookHandler({
    secret: process.env.SENDEXA_WEBHOOK_SECRET,
    onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
  }),
);
app.listen(Number(process.env.PORT ?? 3000));
