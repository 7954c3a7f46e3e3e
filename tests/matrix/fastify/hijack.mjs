import Fastify from "fastify";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const fastify = Fastify();
const webhook = nodeWebhookHandler({
  secret: process.env.SENDEXA_WEBHOOK_SECRET,
  onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
});

// In its own scope, with the body left unread: the handler reads the raw bytes the signature covers.
fastify.register(async (scope) => {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (request, payload, done) => done(null));
  scope.post("/webhooks/sendexa", (request, reply) => {
    reply.hijack();
    webhook(request.raw, reply.raw);
  });
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
