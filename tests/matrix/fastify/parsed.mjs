// The mistake the handler must explain: Fastify's default JSON parser has consumed the raw bytes.
import Fastify from "fastify";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const fastify = Fastify();
fastify.post(
  "/webhooks/sendexa",
  nodeWebhookHandler({
    secret: process.env.SENDEXA_WEBHOOK_SECRET,
    onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
  }),
);
await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
