// Compiled by tests/types/check-types.mjs with tsc --strict: the documented usage type-checks.
import { SendexaError, version, normalizePhone, parsePhone, isValidPhone, validatePhones } from "sendexa-whatsapp";
import type { SendexaIssue, SendexaErrorCode } from "sendexa-whatsapp";

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
    if (err.code === "WA001" || err.code === "INVALID_MESSAGE" || err.code === "SOME_API_CODE") console.log(err.reason);
    const documented: SendexaErrorCode = "OUTCOME_UNKNOWN";
    const body: unknown = err.body;
    console.log(documented, body);
    const issues: SendexaIssue[] = err.issues;
    const status: number | undefined = err.status;
    console.log(code, issues, status);
  }
}
const custom = new SendexaError("Timed out", { code: "TIMEOUT", retryAfter: 1 });
console.log(v, digits, national, valid, e164, region, countryCode, firstValid, custom.retryAfter);

// The client.
import { Sendexa, MemoryWindowStore, RateLimiter, textMessage, templateMessage, handleWebhook, nodeWebhookHandler } from "sendexa-whatsapp";
import type { SendResult, BulkOutcome, Template, RateLimiterLike, CheckNumbersResult } from "sendexa-whatsapp";

async function clientUsage(): Promise<void> {
  const wa = new Sendexa({ token: "t", timeoutMs: 10_000, maxRetries: 2, retry: { baseDelayMs: 250 } });
  const keyed = new Sendexa({ apiKey: "exa_k", apiSecret: "sk_s", baseUrl: "http://127.0.0.1:4010", fetch: globalThis.fetch });
  const sent: SendResult = await wa.send(textMessage("233244000000", "Hi"), { signal: AbortSignal.timeout(5000) });
  const recipient: string | null = sent.to;
  const sentType: string | null = sent.type;
  console.log(recipient, sentType);
  const id: string = sent.messageId;
  const wamid: string | null = sent.wamid;
  const status = await wa.status(id);
  const failedCode: string | undefined = status.errorCode;
  const again = await wa.resend(id);
  const scheduled: boolean = again.scheduled;
  const page = await wa.listTemplates({ page: 1, pageSize: 50, status: "APPROVED" });
  const more: boolean = page.hasMore;
  for await (const t of wa.listAllTemplates()) {
    const name: string | null = t.name;
    console.log(name);
  }
  const created: Template = await wa.createTemplate({ name: "order_update", category: "UTILITY", language: "en_US", components: [{ type: "BODY", text: "Hi {{1}}" }] });
  await wa.getTemplate(created.id ?? "");
  const deleted: true = (await wa.deleteTemplate(created.id ?? "")).deleted;
  const check = await wa.checkNumber("+233 24 400 0000");
  const onWhatsApp: boolean = check.isWhatsApp;
  const many: CheckNumbersResult = await wa.checkNumbers(["233244000000"], { onProgress: ({ done, total }) => console.log(done / total) });
  const quality = (await wa.listNumbers()).numbers[0]?.qualityRating;
  const outcomes: BulkOutcome[] = await wa.sendBulk([templateMessage("233244000000", { name: "hello_world", language: "en_US" })], { concurrency: 8, onProgress: (p) => p.done });
  for (const o of outcomes) {
    if (o.ok) console.log(o.result.messageId);
    else console.log(o.error.code, o.error.retryAfter);
  }
  const shared: RateLimiterLike = new RateLimiter({ send: { perSecond: 40 }, status: false });
  const custom = new Sendexa({ token: "t", rateLimit: shared, window: new MemoryWindowStore(), strictWindow: true, resendStyle: "path" });
  const waitMs: number = new RateLimiter().reserve("send");
  const off = new Sendexa({ token: "t", rateLimit: false, window: false, dangerouslyAllowBrowser: true });
  const store = wa.windowStore;
  const handler = (request: Request) => handleWebhook(request, { secret: "s", onEvent: () => {}, window: store, maxBodyBytes: 65_536 });
  // node:http, Express, Fastify: structural request and response types, no @types/node needed.
  const nodeHandler = nodeWebhookHandler({ secret: "s", onEvent: (event) => event.kind, window: new MemoryWindowStore(), maxBodyBytes: 65_536, dedupe: new Set<string>() });
  nodeHandler({ headers: { "x-signature": "sha256=…" }, body: new Uint8Array(0) }, { statusCode: 200, setHeader: () => undefined, end: () => undefined }, (err) => console.log(err));
  nodeHandler({ headers: {}, body: new Uint8Array(0) }, { raw: {}, code: () => undefined, header: () => undefined, send: () => undefined });
  // @ts-expect-error onEvent is required
  nodeWebhookHandler({ secret: "s" });
  console.log(keyed.baseUrl, wamid, failedCode, scheduled, more, deleted, onWhatsApp, many.registered, quality, custom, waitMs, off.toJSON().credentials, handler, String(wa));
}
console.log(clientUsage);

// Resends on Sendexa's schedule.
import { planResend } from "sendexa-whatsapp";
import type { ResendPlan, ResendState, ResendStopReason } from "sendexa-whatsapp";

const resendState: ResendState = { status: "failed", errorCode: "WA005", attempts: 1, sentAt: "2024-01-15T10:30:00Z", failedAt: new Date() };
const resendPlan: ResendPlan = planResend(resendState, Date.now());
if (resendPlan.action === "resend") {
  const at: number = resendPlan.at;
  const attempt: number = resendPlan.attempt;
  console.log(at, attempt);
} else {
  const reason: ResendStopReason = resendPlan.reason;
  console.log(reason);
}
console.log(planResend({ status: "delivered" }).action);

// Media links checked by their headers before a send.
import { checkMediaLink, imageMessage } from "sendexa-whatsapp";
import type { MediaLinkInfo, CheckMediaLinkOptions } from "sendexa-whatsapp";

async function mediaLinkUsage(wa: Sendexa): Promise<void> {
  const options: CheckMediaLinkOptions = { type: "image", signal: AbortSignal.timeout(5000) };
  const info: MediaLinkInfo = await checkMediaLink("https://cdn.example.com/a.jpg", options);
  const mime: string = info.mimeType;
  const size: number | null = info.size;
  await checkMediaLink("https://cdn.example.com/a.pdf", { type: "document", fetch: globalThis.fetch });
  // @ts-expect-error type is required
  await checkMediaLink("https://cdn.example.com/a.jpg", {});
  await wa.send(imageMessage("233244000000", { link: "https://cdn.example.com/a.jpg" }), { preflightMedia: true });
  console.log(mime, size);
}
console.log(mediaLinkUsage);
