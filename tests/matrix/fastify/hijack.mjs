// The other mounting: Fastify's body parsing left out of the way entirely, and the handler given the
// raw node:http request and response.
import Fastify from "fastify";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const fastify = Fastify();
const webhook = nodeWebhookHandler({
  secret: process.env.SENDEXA_WEBHOOK_SECRET,
  onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
});

fastify.register(async (scope) => {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (request, payload, done) => done(null));
  scope.post("/webhooks/sendexa", (request, reply) => {
    reply.hijack();
    webhook(request.raw, reply.raw);
  });
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
