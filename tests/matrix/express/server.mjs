import express from "express";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const app = express();

// No body parser before it: the handler reads the raw bytes the signature covers.
app.post(
  "/webhooks/sendexa",
  nodeWebhookHandler({
    secret: process.env.SENDEXA_WEBHOOK_SECRET,
    onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
  }),
);

app.listen(Number(process.env.PORT ?? 3000));
