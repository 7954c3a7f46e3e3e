// Bun.
import * as sdk from "sendexa-whatsapp";
import { runChecks, report } from "./check.mjs";

report(await runChecks(sdk, process.env.SDK_EXPECTED_VERSION));
