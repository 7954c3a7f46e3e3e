// The CommonJS view of the same declarations (index.d.cts).
import sdk = require("sendexa-whatsapp");

const digits: string = sdk.normalizePhone("+233 24 400 0000");
const err = new sdk.SendexaError("x", { code: "WA001" });
const code: string = err.code;
console.log(digits, code, sdk.version());
const plan = sdk.planResend({ status: "failed", attempts: 0 });
console.log(plan.action === "resend" ? plan.at : plan.reason);
