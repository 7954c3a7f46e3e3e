// Compiled by tests/types/check-types.mjs with tsc --strict: the documented usage type-checks.
import { SendexaError, version, normalizePhone, parsePhone, isValidPhone, validatePhones } from "sendexa-whatsapp";
import type { SendexaIssue } from "sendexa-whatsapp";

const v: string = version();
const digits: string = normalizePhone("+233 24 400 0000");
const national: string = normalizePhone("024 400 0000", "GH");
const valid: boolean = isValidPhone("+233244000000");
const parsed = parsePhone("+233244000000");
const e164: string = parsed.e164;
const region: string = parsed.region;
const countryCode: number = parsed.countryCode;
const results = validatePhones(["+233244000000", "nope"], "GH");
const firstValid: boolean = results[0].valid;

try {
  normalizePhone("nope");
} catch (err) {
  if (err instanceof SendexaError) {
    const code: string = err.code;
    const issues: SendexaIssue[] = err.issues;
    const status: number | undefined = err.status;
    console.log(code, issues, status);
  }
}
const custom = new SendexaError("Timed out", { code: "TIMEOUT", retryAfter: 1 });
console.log(v, digits, national, valid, e164, region, countryCode, firstValid, custom.retryAfter);
