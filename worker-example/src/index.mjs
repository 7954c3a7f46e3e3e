// A Cloudflare Worker built on sendexa-whatsapp. It imports the package exactly as a user's Worker
// does; wrangler bundles it and workerd runs it.
import { version, normalizePhone, SendexaError } from "sendexa-whatsapp";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/") {
      return Response.json({ sdk: "sendexa-whatsapp", version: version() });
    }
    if (url.pathname === "/phone") {
      // GET /phone?number=…&region=GH → the API form of the number, or the SDK's error.
      try {
        const digits = normalizePhone(url.searchParams.get("number") ?? "", url.searchParams.get("region") ?? undefined);
        return Response.json({ digits });
      } catch (err) {
        if (err instanceof SendexaError) return Response.json(err, { status: 400 });
        throw err;
      }
    }
    return new Response("Not found", { status: 404 });
  },
};
