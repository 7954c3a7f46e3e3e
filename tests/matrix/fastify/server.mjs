import Fastify from "fastify";
import { nodeWebhookHandler } from "sendexa-whatsapp";

const fastify = Fastify();

// In its own scope, with the JSON body kept as the raw bytes the signature covers.
fastify.register(async (scope) => {
  scope.removeContentTypeParser("application/json");
  scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => done(null, body));
  scope.post(
    "/webhooks/sendexa",
    nodeWebhookHandler({
      secret: process.env.SENDEXA_WEBHOOK_SECRET,
      onEvent: async (event) => console.log("event", event.kind, event.messageId ?? event.from),
    }),
  );
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
