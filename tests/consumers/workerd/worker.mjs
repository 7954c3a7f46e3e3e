// Cloudflare Workers: bundled by wrangler exactly as `wrangler deploy` would, run in workerd.
import * as sdk from "sendexa-whatsapp";
import * as messages from "sendexa-whatsapp/messages";
import { runChecks, runMessagesChecks } from "./check.mjs";

export default {
  async fetch(_request, env) {
    const results = await runChecks(sdk, env.SDK_EXPECTED_VERSION);
    results.push(...(await runMessagesChecks(messages, sdk, env.SDK_EXPECTED_VERSION)));
    return Response.json({ results });
  },
};
