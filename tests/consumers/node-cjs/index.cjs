// Node, CommonJS: `require` as a CommonJS user would; HMACs cross-checked with node:crypto.
const { createHmac } = require("node:crypto");
const sdk = require("sendexa-whatsapp");
const messages = require("sendexa-whatsapp/messages");

const nodeHmacHex = async (secret, bytes) => createHmac("sha256", secret).update(bytes).digest("hex");

import("./check.mjs").then(async ({ runChecks, runMessagesChecks, report }) => {
  const results = await runChecks(sdk, process.env.SDK_EXPECTED_VERSION, nodeHmacHex);
  results.push(...(await runMessagesChecks(messages, sdk, process.env.SDK_EXPECTED_VERSION)));
  report(results);
});
