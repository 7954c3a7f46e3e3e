// Cloudflare Workers: bundled by wrangler exactly as `wrangler deploy` would, run in workerd.
import * as sdk from "sendexa-whatsapp";
import { runChecks } from "./check.mjs";

export default {
  async fetch(_request, env) {
    return Response.json({ results: await runChecks(sdk, env.SDK_EXPECTED_VERSION) });
  },
};
