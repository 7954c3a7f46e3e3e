// Bun.
import * as sdk from "sendexa-whatsapp";
import * as messages from "sendexa-whatsapp/messages";
import { runChecks, runMessagesChecks, report } from "./check.mjs";

const version = process.env.SDK_EXPECTED_VERSION;
report([...(await runChecks(sdk, version)), ...(await runMessagesChecks(messages, sdk, version))]);
