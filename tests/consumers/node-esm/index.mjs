// Node, ES module: named imports, plus a `require` of the same package in the same process, which must
// give the very same SendexaError class (one instance, no dual-package hazard). HMACs cross-checked
// with node:crypto.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import * as sdk from "sendexa-whatsapp";
import * as messages from "sendexa-whatsapp/messages";
import { runChecks, runMessagesChecks, report } from "./check.mjs";

const nodeHmacHex = async (secret, bytes) => createHmac("sha256", secret).update(bytes).digest("hex");
const results = await runChecks(sdk, process.env.SDK_EXPECTED_VERSION, nodeHmacHex);
const viaRequire = createRequire(import.meta.url)("sendexa-whatsapp");
results.push({
  name: "import and require share one SendexaError",
  ok: viaRequire.SendexaError === sdk.SendexaError,
});
results.push(...(await runMessagesChecks(messages, sdk, process.env.SDK_EXPECTED_VERSION)));
results.push({
  name: "messages entry: import and require share one SendexaError",
  ok: createRequire(import.meta.url)("sendexa-whatsapp/messages").SendexaError === sdk.SendexaError,
});
report(results);
