// Node, CommonJS: `require` as a CommonJS user would.
const sdk = require("sendexa-whatsapp");

import("./check.mjs").then(({ runChecks, report }) => {
  report(runChecks(sdk, process.env.SDK_EXPECTED_VERSION));
});
