// Deno: the package from node_modules, resolved through package.json as Deno does for npm packages.
import * as sdk from "sendexa-whatsapp";
import * as messages from "sendexa-whatsapp/messages";
import { runChecks, runMessagesChecks, report } from "./check.mjs";

const version = Deno.env.get("SDK_EXPECTED_VERSION");
report([...(await runChecks(sdk, version)), ...(await runMessagesChecks(messages, sdk, version))]);
