//! The TypeScript declarations of the client (`Sendexa`, its options and results), written here
//! because the classes are declared by hand (see `Sendexa`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &'static str = r#"
/** A `fetch` with the standard signature; the client passes a string URL and a plain init. */
export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<Response>;
export interface RetryOptions {
  /** The first retry waits a random time up to this (full jitter); each next one up to twice as long. Default 500. */
  baseDelayMs?: number;
  /** The longest backoff wait. Default 20,000. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited out: the error goes to the caller. Default 60,000. */
  maxRetryAfterMs?: number;
}
export interface SendexaOptions {
  /** The ready Basic token from the Sendexa dashboard. */
  token?: string;
  /** With `apiSecret`, instead of `token`: the token is base64(`apiKey:apiSecret`). */
  apiKey?: string;
  apiSecret?: string;
  /** Default `https://api.sendexa.co`. Must be `https:` unless the host is localhost, 127.0.0.0/8 or [::1]. */
  baseUrl?: string;
  /** Per attempt, headers and body. Default 30,000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for calls that may be retried (see the README). Default 2. */
  maxRetries?: number;
  retry?: RetryOptions;
  /** Replaces the runtime's global fetch. */
  fetch?: FetchLike;
  /** `false`: no client-side limiting; overrides of the documented limits; or a shared limiter. */
  rateLimit?: false | RateLimitOverrides | RateLimiterLike;
  /** Where inbound message times are kept for the 24-hour window. Default: a new `MemoryWindowStore`; `false`: no local check. */
  window?: WindowStore | false;
  /** Refuse free-form sends (WA003, locally) to recipients with no record in the window store. Default false: the API decides. */
  strictWindow?: boolean;
  /** `"body"` (default): `POST /v1/whatsapp/resend {messageId}` as the live docs; `"path"`: `POST /v1/whatsapp/resend/{id}` as the official SDKs. */
  resendStyle?: "body" | "path";
  /** Region for national phone numbers in `checkNumber(s)`, e.g. `"GH"`. */
  defaultRegion?: string;
  /** Allow a client with credentials in a browser page, where anyone can read the token. */
  dangerouslyAllowBrowser?: boolean;
  /**
   * The most bytes of an API answer the client reads (1,024 to 268,435,456; default 4,194,304).
   * Past it the stream is cancelled: reads fail `INVALID_RESPONSE` with reason `TOO_LARGE`;
   * `send`, `resend` and `createTemplate` fail `OUTCOME_UNKNOWN` with reason `TOO_LARGE`.
   */
  maxResponseBytes?: number;
}
/** Every options object refuses unknown keys (`INVALID_ARGUMENT`, naming the nearest valid one). */
export interface CallOptions { signal?: AbortSignal }
export interface SendOptions extends CallOptions {
  /** Check a template message's parameters against this definition first. */
  template?: TemplateDefinition;
  /** `false` sends the message as given, skipping local validation (the API stays the judge). Default true. */
  validate?: boolean;
  /**
   * Check a media message's `link` with `checkMediaLink` first (headers only, within `timeoutMs`): a broken
   * link fails `INVALID_MEDIA` (or `NETWORK`, `TIMEOUT`, `ABORTED`) and nothing is sent. Messages with a media
   * `id` skip it. Loopback links pass the check only when `baseUrl` is loopback. Default false.
   */
  preflightMedia?: boolean;
}
export type MessageStatus = "pending" | "sent" | "delivered" | "read" | "failed" | "deleted" | (string & {});
export interface SendResult {
  /** Sendexa's id (`exa_wa_…`; in the older draft API, the wamid). Use it with `status` and `resend`. */
  messageId: string;
  /** Meta's id (`wamid.…`), when the answer gives it. */
  wamid: string | null;
  status: MessageStatus;
  /** The recipient (digits), from the answer or else the message sent; `null` when neither names one (a message sent with `validate: false`). */
  to: string | null;
  /** The message type, from the answer or else the message sent; `null` when neither names one. */
  type: string | null;
  cost?: number;
  currency?: string;
  timestamp?: string;
  conversation?: unknown;
  /** The whole response body. */
  raw: unknown;
}
export interface StatusResult {
  messageId: string;
  wamid: string | null;
  status: MessageStatus;
  to?: string;
  type?: string;
  sentAt?: string;
  deliveredAt?: string;
  readAt?: string;
  failedAt?: string;
  /** `WA002`, `WA004`, … when `status` is `failed`. */
  errorCode?: string;
  errorMessage?: string;
  cost?: number;
  originalMessageId?: string;
  resendAttempt?: number;
  raw: unknown;
}
export interface ResendResult {
  /** The new attempt's id (`exa_wa_resend_…`). */
  messageId: string;
  originalMessageId: string | null;
  status: MessageStatus;
  /** True for HTTP 202: accepted, to be attempted later. */
  scheduled: boolean;
  wamid?: string;
  to?: string;
  resendAttempt?: number;
  cost?: number;
  deliveredAt?: string;
  raw: unknown;
}
export type TemplateStatus = "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | (string & {});
export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";
export interface TemplateButtonDefinition { type: "QUICK_REPLY" | "URL" | "PHONE_NUMBER" | (string & {}); text: string; url?: string; phone_number?: string; example?: unknown }
export interface TemplateComponentDefinition {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS" | (string & {});
  format?: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION" | (string & {});
  text?: string;
  buttons?: TemplateButtonDefinition[];
  example?: unknown;
}
/** A template as the API lists it (live and draft shapes read alike). */
/** A template as the API described it; `id` or `name` is always set, the others are `null` when the answer left them out. */
export interface Template {
  id: string | null;
  name: string | null;
  status: TemplateStatus | null;
  category: TemplateCategory | (string & {}) | null;
  language: string | null;
  components: TemplateComponentDefinition[];
  qualityScore?: string;
  rejectedReason?: string;
  usageCount?: number;
  createdAt?: string;
  updatedAt?: string;
  approvedAt?: string;
  raw: unknown;
}
/** What `createTemplate` takes; checked locally first (`INVALID_TEMPLATE` lists every issue). */
export interface TemplateDefinitionInput {
  /** Lowercase letters, digits and `_`. */
  name: string;
  category: TemplateCategory | Lowercase<TemplateCategory>;
  /** A template locale: `"en"`, `"en_US"`, … */
  language: string | { code: string };
  /** One BODY (variables `{{1}}`…`{{n}}` without gaps), optional HEADER, FOOTER, BUTTONS. */
  components: TemplateComponentDefinition[];
  [field: string]: unknown;
}
export interface ListTemplatesOptions extends CallOptions {
  /** Page style (the live API): page from 1, and its size (1–100). */
  page?: number;
  pageSize?: number;
  /** Offset style (the draft API). */
  limit?: number;
  offset?: number;
  status?: string;
  category?: string;
  language?: string;
  name?: string;
}
export interface TemplatePage {
  templates: Template[];
  total?: number;
  page?: number;
  pageSize?: number;
  offset?: number;
  hasMore: boolean;
  raw: unknown;
}
export interface DeleteTemplateResult { id: string | null; name?: string; deleted: true; raw: unknown }
export interface NumberCheck {
  phone: string;
  isWhatsApp: boolean;
  displayName?: string;
  type?: "individual" | "business" | (string & {});
  raw: unknown;
}
export interface CheckProgress { done: number; total: number }
export interface CheckNumbersOptions extends CallOptions {
  /** Called as each bulk check is answered. Not a function: `INVALID_ARGUMENT`. */
  onProgress?: (progress: CheckProgress) => unknown;
  /** Bulk-check requests in flight at once (each holds up to 1,000 numbers): a whole number 1–32, default 8 (as `sendBulk`). */
  concurrency?: number;
  defaultRegion?: string;
}
export interface NumberCheckEntry {
  /** The input as given. */
  input: unknown;
  /** Its digits, when it is a phone number. */
  phone?: string;
  valid: boolean;
  isWhatsApp: boolean;
  type?: string;
  displayName?: string;
  /** Why there is no answer: `WA001` (not a phone number, with `reason`), or `MISSING`. */
  error?: { code: string; reason?: string; message: string };
}
export interface CheckNumbersResult {
  /** One per input, in input order. */
  results: NumberCheckEntry[];
  total: number;
  registered: number;
  notRegistered: number;
  invalid: number;
  /** The body of each bulk-check request. */
  raw: unknown[];
}
/** One of the account's numbers; `id` and `phone` are `null` when the answer left them out. */
export interface AccountNumber {
  id: string | null;
  phone: string | null;
  displayName?: string;
  verifiedName?: string;
  status?: string;
  qualityRating?: "GREEN" | "YELLOW" | "RED" | (string & {});
  messagingLimit?: string;
  webhookUrl?: string;
  connectedAt?: string;
  raw: unknown;
}
export interface NumbersList { numbers: AccountNumber[]; total: number; raw: unknown }
export interface BulkProgress { done: number; total: number; succeeded: number; failed: number }
export interface SendBulkOptions extends CallOptions {
  /** Sends in flight at once: a whole number 1–32, default 8 (as `checkNumbers`). */
  concurrency?: number;
  onProgress?: (progress: BulkProgress) => unknown;
}
/** One per message, in input order. */
export type BulkOutcome = { ok: true; result: SendResult } | { ok: false; error: SendexaError };
/** What `JSON.stringify(client)` shows: settings, never credentials. */
export interface SendexaSummary {
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  rateLimit: "builtin" | "custom" | "off";
  window: "memory" | "custom" | "off";
  maxResponseBytes: number;
  credentials: "[redacted]";
}

/**
 * The Sendexa WhatsApp client. Every method returns a Promise that rejects with a
 * `SendexaError`. Retries never duplicate: see "Retries" in the README.
 */
export class Sendexa {
  /** Throws `INVALID_ARGUMENT` for bad options, `BROWSER_NOT_ALLOWED` in a browser page without `dangerouslyAllowBrowser`. */
  constructor(options: SendexaOptions);
  /** The API base URL in use. */
  readonly baseUrl: string;
  /** The window store in use; pass it to `handleWebhook({ window })` so inbound messages open windows. `undefined` with `window: false`. */
  readonly windowStore: WindowStore | undefined;
  /** `POST /v1/whatsapp/send`, after validation and the 24-hour window check. Retried only on 429/WA005; otherwise a doubt is `OUTCOME_UNKNOWN`. */
  send(message: WhatsAppMessageInput, options?: SendOptions): Promise<SendResult>;
  /** `GET /v1/whatsapp/status/{messageId}`. */
  status(messageId: string, options?: CallOptions): Promise<StatusResult>;
  /** `POST /v1/whatsapp/resend` (or `/resend/{id}` with `resendStyle: "path"`). Retried only on 429. */
  resend(messageId: string, options?: CallOptions): Promise<ResendResult>;
  /** One page of `GET /v1/whatsapp/templates`. */
  listTemplates(options?: ListTemplatesOptions): Promise<TemplatePage>;
  /** Every template, page after page: `for await (const t of client.listAllTemplates()) …`. */
  listAllTemplates(options?: ListTemplatesOptions): TemplateIterator;
  /** `POST /v1/whatsapp/templates`, after a local check (`INVALID_TEMPLATE` lists every issue). Retried only on 429. */
  createTemplate(definition: TemplateDefinitionInput, options?: CallOptions): Promise<Template>;
  /** `GET /v1/whatsapp/templates/{id}`. */
  getTemplate(id: string, options?: CallOptions): Promise<Template>;
  /** `DELETE /v1/whatsapp/templates/{id}`. */
  deleteTemplate(id: string, options?: CallOptions): Promise<DeleteTemplateResult>;
  /** `GET /v1/whatsapp/numbers/check`; the number is normalised first (`WA001` locally). */
  checkNumber(phone: string, options?: CallOptions): Promise<NumberCheck>;
  /** Any number of numbers, in bulk checks of at most 1,000: one entry per input, in order. */
  checkNumbers(phones: ReadonlyArray<string>, options?: CheckNumbersOptions): Promise<CheckNumbersResult>;
  /** `GET /v1/whatsapp/numbers`: the account's numbers with quality rating and messaging limit. */
  listNumbers(options?: CallOptions): Promise<NumbersList>;
  /** Many sends within the rate limits: one outcome per message, in input order, each sent at most once. Never rejects for a message's failure. */
  sendBulk(messages: ReadonlyArray<WhatsAppMessageInput>, options?: SendBulkOptions): Promise<BulkOutcome[]>;
  toJSON(): SendexaSummary;
  toString(): string;
  /** Frees the client's memory now rather than at garbage collection. */
  free(): void;
}

/** The iterator `listAllTemplates` returns: fetches pages as it goes. */
export class TemplateIterator {
  private constructor();
  next(): Promise<IteratorResult<Template, undefined>>;
  return(): Promise<IteratorResult<Template, undefined>>;
  [Symbol.asyncIterator](): TemplateIterator;
  free(): void;
}
"#;
