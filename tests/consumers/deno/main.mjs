// Deno: the package from node_modules, resolved through package.json as Deno does for npm packages.
import * as sdk from "sendexa-whatsapp";
import { runChecks, report } from "./check.mjs";

report(await runChecks(sdk, Deno.env.get("SDK_EXPECTED_VERSION")));
