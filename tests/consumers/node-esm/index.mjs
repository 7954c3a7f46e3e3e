// Node, ES module: named imports, plus a `require` of the same package in the same process, which must
// give the very same SendexaError class (one instance, no dual-package hazard).
import { createRequire } from "node:module";
import * as sdk from "sendexa-whatsapp";
import { runChecks, report } from "./check.mjs";

const results = runChecks(sdk, process.env.SDK_EXPECTED_VERSION);
const viaRequire = createRequire(import.meta.url)("sendexa-whatsapp");
results.push({
  name: "import and require share one SendexaError",
  ok: viaRequire.SendexaError === sdk.SendexaError,
});
report(results);
