//! The `Sendexa` client class: every endpoint, with validation, rate limiting, the 24-hour
//! window, retries that cannot duplicate, and one error type.
//!
//! Each method returns a Promise from a future that owns an `Rc` of the client's state, so
//! concurrent calls on one client never borrow the wasm object across an `await`. The token
//! lives only in that state (wasm memory): the JavaScript object holds a pointer, `toJSON`
//! and `toString` leave the token out, and every error text is scrubbed of it.
//!
//! ```js
//! const wa = new Sendexa({ token, baseUrl: "http://127.0.0.1:4010" });
//! const { messageId } = await wa.send(templateMessage("233244000000", { name: "hello_world", language: "en_US" }));
//! const outcomes = await wa.sendBulk(messages, { onProgress: ({ done, total }) => log(done, total) });
//! ```

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{
    call_and_await, check_options, invalid_argument, json_from_js, json_to_js, opt_function, prop,
};
use super::error::set;
use super::error::ThrownError;
use super::stores::{acquire_builtin, info_to_js, limits_from, MemoryWindowStore};
use crate::core::client::bulk::{self, CheckPlan};
use crate::core::client::endpoint::{self, Request, ResendStyle, TemplateQuery, BULK_CHECK_MAX};
use crate::core::client::limiter::RateLimiter as CoreLimiter;
use crate::core::client::response::{self, Context};
use crate::core::client::retry::{self, Decision, RetryPolicy};
use crate::core::client::window::{self, WindowBook};
use crate::core::client::{
    next_template_query, redact, template, MAX_TEMPLATE_PAGES, RESPONSE_MAX_DEFAULT,
    RESPONSE_MAX_MAX, RESPONSE_MAX_MIN,
};
use crate::core::json::Value;
use crate::core::{message, options, phone, Error};
use crate::transport::{self, Call, Failure};

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

/// Which limiter gates the calls.
enum Limiter {
    Off,
    Builtin(Rc<RefCell<CoreLimiter>>),
    /// A user's object with `acquire(key)` and maybe `report(key, info)`.
    Custom(JsValue),
}

/// Where the 24-hour window is read.
enum WindowSource {
    Off,
    /// The default store: read in Rust; `JsValue` is the same store as JavaScript sees it.
    Memory(Rc<RefCell<WindowBook>>, JsValue),
    Custom(JsValue),
}

/// The client's state, shared by every call in flight.
struct Inner {
    base_url: String,
    authorization: String,
    /// The token and key material, for scrubbing error texts.
    secrets: Vec<String>,
    timeout_ms: f64,
    policy: RetryPolicy,
    fetch: Option<Function>,
    limiter: Limiter,
    window: WindowSource,
    strict_window: bool,
    resend_style: ResendStyle,
    default_region: Option<String>,
    /// The most bytes of an answer read (`maxResponseBytes`).
    max_response_bytes: usize,
}

/// The Sendexa WhatsApp client.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct Sendexa {
    inner: Rc<Inner>,
}

/// The options `new Sendexa` takes.
const OPTION_NAMES: [&str; 15] = [
    "token",
    "apiKey",
    "apiSecret",
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "retry",
    "fetch",
    "rateLimit",
    "window",
    "strictWindow",
    "resendStyle",
    "defaultRegion",
    "dangerouslyAllowBrowser",
    "maxResponseBytes",
];

/// The options of each method (every one also takes `signal`).
const CALL_OPTIONS: [&str; 1] = ["signal"];
const SEND_OPTIONS: [&str; 3] = ["signal", "template", "validate"];
const LIST_TEMPLATES_OPTIONS: [&str; 9] = [
    "signal", "page", "pageSize", "limit", "offset", "status", "category", "language", "name",
];
const CHECK_NUMBERS_OPTIONS: [&str; 4] = ["signal", "onProgress", "concurrency", "defaultRegion"];
const SEND_BULK_OPTIONS: [&str; 3] = ["signal", "concurrency", "onProgress"];

fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// The most characters any string option takes (a token is the longest): longer strings are
/// refused before they are copied into wasm memory, which never shrinks.
const OPTION_STRING_MAX: usize = endpoint::AUTHORIZATION_MAX;

/// Whether `v` is a string too long for any option or id: more UTF-16 units than `max`
/// characters can take. Read from JavaScript, without copying the string.
fn too_long(v: &JsValue, max: usize) -> bool {
    v.dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| s.length() as usize > max.saturating_mul(2))
}

/// An optional string option.
fn opt_string(options: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let v = prop(options, key);
    if is_absent(&v) {
        return Ok(None);
    }
    if too_long(&v, OPTION_STRING_MAX) {
        return Err(invalid_argument(format!(
            "options.{key} is too long (at most {OPTION_STRING_MAX} characters)"
        )));
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid_argument(format!("options.{key} must be a string")))
}

/// An optional number option within `[min, max]`.
fn opt_number(options: &JsValue, key: &str, min: f64, max: f64) -> Result<Option<f64>, Error> {
    let v = prop(options, key);
    if is_absent(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= min && n <= max => Ok(Some(n)),
        _ => Err(invalid_argument(format!(
            "options.{key} must be a number from {min} to {max}"
        ))),
    }
}

/// A bulk call's `options.concurrency`, by the one rule of [`options::concurrency`].
fn opt_concurrency(options: &JsValue) -> Result<u32, Error> {
    let v = prop(options, "concurrency");
    if is_absent(&v) {
        return options::concurrency(None);
    }
    options::concurrency(Some(v.as_f64().unwrap_or(f64::NAN)))
}

fn opt_bool(options: &JsValue, key: &str) -> Result<Option<bool>, Error> {
    let v = prop(options, key);
    if is_absent(&v) {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| invalid_argument(format!("options.{key} must be true or false")))
}

/// Whether this is a browser page or a browser's web worker — where a token would be shipped to
/// every visitor — and not Node, Deno, Bun or Cloudflare Workers (which may define some of the
/// same globals).
fn in_browser() -> bool {
    let global: JsValue = js_sys::global().into();
    let has = |key: &str| !is_absent(&prop(&global, key));
    let node = !is_absent(&prop(&prop(&prop(&global, "process"), "versions"), "node"));
    if node || has("Deno") || has("Bun") {
        return false;
    }
    let agent = prop(&prop(&global, "navigator"), "userAgent").as_string();
    if agent.as_deref() == Some("Cloudflare-Workers") {
        return false;
    }
    let page = has("window") && has("document");
    let web_worker = prop(&global, "importScripts").is_function() && has("WorkerGlobalScope");
    page || web_worker
}

/// The caller's `AbortSignal` from per-call options, checked for shape.
fn signal_of(options: &JsValue) -> Result<Option<JsValue>, Error> {
    let signal = prop(options, "signal");
    if is_absent(&signal) {
        return Ok(None);
    }
    if !prop(&signal, "addEventListener").is_function() {
        return Err(invalid_argument("options.signal must be an AbortSignal"));
    }
    Ok(Some(signal))
}

fn reject(err: Error) -> JsValue {
    JsValue::from(ThrownError::from(err))
}

/// Runs `work` as a Promise: its error becomes a rejected `SendexaError`.
fn promise<F>(work: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue, Error>> + 'static,
{
    future_to_promise(async move { work.await.map_err(reject) })
}

fn aborted(what: &str, in_flight: bool) -> Error {
    let tail = if in_flight {
        " while the request was in flight: the API may have acted on it (for a send, the message may have been sent)."
    } else {
        " before any request was sent."
    };
    Error::Aborted {
        message: format!("{what} was aborted{tail}"),
    }
}

impl Inner {
    fn redact(&self, err: Error) -> Error {
        redact(err, &self.secrets)
    }

    /// Waits for the limiter's go-ahead for `key`.
    async fn acquire(&self, key: &str, signal: Option<&JsValue>, what: &str) -> Result<(), Error> {
        match &self.limiter {
            Limiter::Off => Ok(()),
            Limiter::Builtin(limiter) => acquire_builtin(limiter, key, signal)
                .await
                .map_err(|_| aborted(what, false)),
            Limiter::Custom(limiter) => {
                let options = Object::new();
                if let Some(s) = signal {
                    set(&options, "signal", s);
                }
                let args = Array::of2(&JsValue::from_str(key), &options);
                call_and_await(limiter, "acquire", &args)
                    .await
                    .map_err(|e| {
                        if transport::is_aborted(signal) {
                            return aborted(what, false);
                        }
                        Error::LimiterFailed {
                            message: format!(
                                "The rate limiter's acquire(\"{key}\") failed, so nothing was sent: {}",
                                transport::describe(&e)
                            ),
                        }
                    })?;
                if transport::is_aborted(signal) {
                    return Err(aborted(what, false));
                }
                Ok(())
            }
        }
    }

    fn report(&self, key: &str, resp: &response::Response, now: f64, latency_ms: f64) {
        if matches!(self.limiter, Limiter::Off) {
            return;
        }
        let info = response::RateInfo {
            latency_ms: Some(latency_ms),
            ..resp.rate_info(now)
        };
        match &self.limiter {
            Limiter::Off => {}
            Limiter::Builtin(limiter) => {
                limiter.borrow_mut().observe(key, &info, now);
            }
            Limiter::Custom(limiter) => {
                if let Ok(report) = prop(limiter, "report").dyn_into::<Function>() {
                    let info = info_to_js(&info);
                    // A report is advice: its failure must not fail the call.
                    let _ = report.call2(limiter, &JsValue::from_str(key), &info);
                }
            }
        }
    }

    /// One call with rate limiting and retries; the result value or the error.
    async fn run(
        &self,
        req: Request,
        ctx: Context<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Value, Error> {
        let endpoint = req.endpoint;
        let key = endpoint.limit_key();
        let what = endpoint.what();
        let url = format!("{}{}", self.base_url, req.path);
        let mut attempt = 0u32;
        loop {
            self.acquire(key, signal, what).await?;
            let call = Call {
                method: req.method().as_str(),
                url: &url,
                authorization: &self.authorization,
                body: req.body.as_deref(),
                timeout_ms: self.timeout_ms,
                signal,
                max_bytes: self.max_response_bytes,
            };
            let started = transport::now_ms();
            let outcome = transport::fetch(self.fetch.as_ref(), &call).await;
            let now = transport::now_ms();
            let result = match outcome {
                Ok(resp) => {
                    self.report(key, &resp, now, now - started);
                    response::interpret(endpoint, &ctx, &resp, now)
                }
                Err(Failure::Aborted) => return Err(aborted(what, true)),
                Err(Failure::Timeout) => Err(Error::Timeout {
                    message: format!(
                        "No answer to {what} within {} ms (timeoutMs).",
                        self.timeout_ms
                    ),
                }),
                Err(Failure::Network(detail)) => Err(Error::Network {
                    message: format!("Could not reach the Sendexa API for {what}: {detail}."),
                }),
                Err(Failure::TooLarge { status, request_id }) => Err(Error::ResponseTooLarge {
                    status,
                    limit: self.max_response_bytes,
                    request_id,
                }),
            };
            let err = match result {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            match retry::decide(&self.policy, endpoint, attempt, err, transport::random()) {
                Decision::Fail(err) => return Err(self.redact(err)),
                Decision::Retry { delay_ms } => {
                    if transport::sleep(delay_ms, signal).await.is_err() {
                        return Err(aborted(what, false));
                    }
                    attempt = attempt.saturating_add(1);
                }
            }
        }
    }

    /// The last inbound time of `to`, from the window store; a failing custom store counts as
    /// "no record" (the API stays the judge).
    async fn last_inbound(&self, to: &str) -> Option<f64> {
        match &self.window {
            WindowSource::Off => None,
            WindowSource::Memory(book, _) => book.borrow().get(to),
            WindowSource::Custom(store) => {
                let args = Array::of1(&JsValue::from_str(to));
                call_and_await(store, "get", &args)
                    .await
                    .ok()
                    .and_then(|v| v.as_f64())
            }
        }
    }

    /// Validates, checks the window, sends.
    async fn send(&self, message: JsValue, options: JsValue) -> Result<Value, Error> {
        check_options(&options, "send", &SEND_OPTIONS)?;
        let signal = signal_of(&options)?;
        let raw = json_from_js(&message, "the message")?;
        if !matches!(raw, Value::Object(_)) {
            return Err(invalid_argument(
                "send takes a message object such as textMessage(to, body) returns",
            ));
        }
        let validate = opt_bool(&options, "validate")?.unwrap_or(true);
        let msg = if validate {
            let def = prop(&options, "template");
            let def = if is_absent(&def) {
                None
            } else {
                Some(json_from_js(&def, "options.template")?)
            };
            message::validate_message(&raw, def.as_ref())?
        } else {
            raw
        };
        let kind = msg.get("type").and_then(Value::as_str).unwrap_or("");
        if !matches!(self.window, WindowSource::Off) && kind != "template" {
            if let Some(to) = msg.get("to").and_then(Value::as_str) {
                let to = phone::normalize(to, None).unwrap_or_else(|_| to.to_string());
                let last = self.last_inbound(&to).await;
                window::check(kind, &to, last, transport::now_ms(), self.strict_window)?;
            }
        }
        let req = endpoint::send(&msg);
        self.run(
            req,
            Context {
                message: Some(&msg),
                id: None,
            },
            signal.as_ref(),
        )
        .await
    }

    fn id_arg(id: &JsValue, what: &str) -> Result<String, Error> {
        if too_long(id, endpoint::ID_MAX) {
            return Err(invalid_argument(format!(
                "{what} must be an id string of 1 to {} characters",
                endpoint::ID_MAX
            )));
        }
        id.as_string()
            .ok_or_else(|| invalid_argument(format!("{what} must be a string")))
    }

    /// A call about one resource named by id (`status`, `resend`, `getTemplate`,
    /// `deleteTemplate`): the id checked (`what` names it in errors), then `request` for it.
    fn by_id(
        self: Rc<Self>,
        method: &'static str,
        id: JsValue,
        what: &'static str,
        options: JsValue,
        request: impl FnOnce(&str) -> Result<Request, Error> + 'static,
    ) -> Promise {
        promise(async move {
            check_options(&options, method, &CALL_OPTIONS)?;
            let id = Inner::id_arg(&id, what)?;
            json_to_js(&self.simple(request(&id), Some(&id), &options).await?)
        })
    }

    async fn simple(
        &self,
        req: Result<Request, Error>,
        id: Option<&str>,
        options: &JsValue,
    ) -> Result<Value, Error> {
        let signal = signal_of(options)?;
        self.run(req?, Context { message: None, id }, signal.as_ref())
            .await
    }

    fn template_query(options: &JsValue, method: &str) -> Result<TemplateQuery, Error> {
        check_options(options, method, &LIST_TEMPLATES_OPTIONS)?;
        let int = |key: &str, min: f64, max: f64| -> Result<Option<u64>, Error> {
            match opt_number(options, key, min, max)? {
                Some(n) if n.fract() == 0.0 => Ok(Some(n as u64)),
                Some(_) => Err(invalid_argument(format!(
                    "options.{key} must be a whole number"
                ))),
                None => Ok(None),
            }
        };
        let (page_max, offset_max) = (endpoint::PAGE_MAX as f64, endpoint::OFFSET_MAX as f64);
        let size_max = endpoint::PAGE_SIZE_MAX as f64;
        let query = TemplateQuery {
            page: int("page", 1.0, page_max)?,
            page_size: int("pageSize", 1.0, size_max)?,
            limit: int("limit", 1.0, size_max)?,
            offset: int("offset", 0.0, offset_max)?,
            status: opt_string(options, "status")?,
            category: opt_string(options, "category")?,
            language: opt_string(options, "language")?,
            name: opt_string(options, "name")?,
        };
        query.check()?;
        Ok(query)
    }

    async fn check_numbers(
        self: Rc<Self>,
        phones: JsValue,
        options: JsValue,
    ) -> Result<Value, Error> {
        check_options(&options, "checkNumbers", &CHECK_NUMBERS_OPTIONS)?;
        let signal = signal_of(&options)?;
        let list = json_from_js(&phones, "phones")?;
        let Value::Array(inputs) = list else {
            return Err(invalid_argument(
                "checkNumbers takes an array of phone numbers",
            ));
        };
        let region = match opt_string(&options, "defaultRegion")? {
            Some(r) => Some(r),
            None => self.default_region.clone(),
        };
        let concurrency = opt_concurrency(&options)? as usize;
        let on_progress = opt_function(&options, "onProgress")?;
        let plan = Rc::new(CheckPlan::new(&inputs, region.as_deref(), BULK_CHECK_MAX));
        let total = plan.entries.len();
        let done = Rc::new(Cell::new(plan.invalid_count()));
        // Called as each chunk is answered (and once at the end), whatever the concurrency.
        let progress = Rc::new(move |done: usize| {
            if let Some(f) = &on_progress {
                let p = Object::new();
                set(&p, "done", &JsValue::from_f64(done as f64));
                set(&p, "total", &JsValue::from_f64(total as f64));
                let _ = f.call1(&JsValue::UNDEFINED, &p);
            }
        });
        // Chunks go `concurrency` at a time; answers are collected per chunk, in order.
        let mut answers: Vec<Value> = Vec::new();
        let mut raws: Vec<Value> = Vec::new();
        for group in plan.chunks.chunks(concurrency.max(1)) {
            let slots: Slots = Rc::new(RefCell::new(vec![None; group.len()]));
            let futures: Array = group
                .iter()
                .enumerate()
                .map(|(i, chunk)| {
                    let inner = self.clone();
                    let chunk = chunk.clone();
                    let signal = signal.clone();
                    let done = done.clone();
                    let plan = plan.clone();
                    let slots = slots.clone();
                    let progress = progress.clone();
                    // Never rejects: the result goes into its slot, so no error is lost.
                    JsValue::from(future_to_promise(async move {
                        let result = inner
                            .run(
                                endpoint::bulk_check(&chunk),
                                Context::default(),
                                signal.as_ref(),
                            )
                            .await;
                        if result.is_ok() {
                            done.set(done.get().saturating_add(plan.inputs_in(&chunk)));
                            if done.get() < total {
                                progress(done.get());
                            }
                        }
                        if let Some(slot) = slots.borrow_mut().get_mut(i) {
                            *slot = Some(result);
                        }
                        Ok(JsValue::UNDEFINED)
                    }))
                })
                .collect();
            let _ = JsFuture::from(Promise::all(&futures)).await;
            let results = std::mem::take(&mut *slots.borrow_mut());
            for value in bulk::chunk_answers(results)? {
                if let Some(list) = value.get("results").and_then(Value::as_array) {
                    answers.extend(list.iter().cloned());
                }
                raws.push(value.get("raw").cloned().unwrap_or(Value::Null));
            }
        }
        progress(done.get());
        let mut out = plan.merge(&answers);
        out.set("raw", Value::Array(raws));
        Ok(out)
    }
}

/// Where concurrent requests leave their results, by position.
type Slots = Rc<RefCell<Vec<Option<Result<Value, Error>>>>>;

/// One `sendBulk` outcome as JavaScript: `{ ok: true, result }` or `{ ok: false, error }`.
fn outcome(result: Result<Value, Error>) -> JsValue {
    let obj = Object::new();
    match result.and_then(|v| json_to_js(&v)) {
        Ok(value) => {
            set(&obj, "ok", &JsValue::TRUE);
            set(&obj, "result", &value);
        }
        Err(err) => {
            set(&obj, "ok", &JsValue::FALSE);
            set(&obj, "error", &reject(err));
        }
    }
    obj.into()
}

/// The state `sendBulk`'s workers share.
struct Bulk {
    messages: Array,
    outcomes: Array,
    total: u32,
    next: Cell<u32>,
    succeeded: Cell<u32>,
    failed: Cell<u32>,
    on_progress: Option<Function>,
    signal: Option<JsValue>,
}

impl Bulk {
    fn progress(&self) {
        if let Some(f) = &self.on_progress {
            let p = Object::new();
            let done = self.succeeded.get().saturating_add(self.failed.get());
            set(&p, "done", &JsValue::from_f64(f64::from(done)));
            set(&p, "total", &JsValue::from_f64(f64::from(self.total)));
            set(
                &p,
                "succeeded",
                &JsValue::from_f64(f64::from(self.succeeded.get())),
            );
            set(
                &p,
                "failed",
                &JsValue::from_f64(f64::from(self.failed.get())),
            );
            // A throwing callback must not lose outcomes: it is ignored.
            let _ = f.call1(&JsValue::UNDEFINED, &p);
        }
    }
}

/// Takes the next message until none is left; records every outcome at its index.
async fn bulk_worker(inner: Rc<Inner>, bulk: Rc<Bulk>) -> Result<JsValue, JsValue> {
    loop {
        let i = bulk.next.get();
        if i >= bulk.total {
            return Ok(JsValue::UNDEFINED);
        }
        bulk.next.set(i.saturating_add(1));
        let result = if transport::is_aborted(bulk.signal.as_ref()) {
            Err(aborted("the send", false))
        } else {
            let options = Object::new();
            if let Some(s) = &bulk.signal {
                set(&options, "signal", s);
            }
            inner.send(bulk.messages.get(i), options.into()).await
        };
        if result.is_ok() {
            bulk.succeeded.set(bulk.succeeded.get().saturating_add(1));
        } else {
            bulk.failed.set(bulk.failed.get().saturating_add(1));
        }
        bulk.outcomes.set(i, outcome(result));
        bulk.progress();
    }
}

/// Pages of `listAllTemplates`, as an async iterator.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct TemplateIterator {
    state: Rc<IterState>,
}

struct IterState {
    inner: Rc<Inner>,
    query: RefCell<Option<TemplateQuery>>,
    buffer: RefCell<std::collections::VecDeque<JsValue>>,
    pages: Cell<u32>,
    signal: Option<JsValue>,
    /// The previous `next()`'s promise: calls are served one after another.
    last: RefCell<Option<Promise>>,
}

fn iter_result(value: &JsValue, done: bool) -> JsValue {
    let obj = Object::new();
    set(&obj, "value", value);
    set(&obj, "done", &JsValue::from_bool(done));
    obj.into()
}

impl IterState {
    async fn next(&self) -> Result<JsValue, Error> {
        loop {
            if let Some(item) = self.buffer.borrow_mut().pop_front() {
                return Ok(iter_result(&item, false));
            }
            let Some(query) = self.query.borrow_mut().take() else {
                return Ok(iter_result(&JsValue::UNDEFINED, true));
            };
            if self.pages.get() >= MAX_TEMPLATE_PAGES {
                return Ok(iter_result(&JsValue::UNDEFINED, true));
            }
            self.pages.set(self.pages.get().saturating_add(1));
            let page = self
                .inner
                .run(
                    endpoint::list_templates(&query),
                    Context::default(),
                    self.signal.as_ref(),
                )
                .await?;
            *self.query.borrow_mut() = next_template_query(&query, &page);
            if let Some(list) = page.get("templates").and_then(Value::as_array) {
                let mut buffer = self.buffer.borrow_mut();
                for t in list {
                    buffer.push_back(json_to_js(t)?);
                }
            }
        }
    }
}

#[wasm_bindgen]
impl TemplateIterator {
    /// The next template, fetching the next page when needed.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Template, undefined>>")]
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let previous = state.last.borrow_mut().take();
        let p = promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            state.next().await
        });
        *self.state.last.borrow_mut() = Some(p.clone());
        p
    }

    /// Stops the iteration (`break` in `for await` calls this).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<Template, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.state.query.borrow_mut().take();
        self.state.buffer.borrow_mut().clear();
        Promise::resolve(&iter_result(&JsValue::UNDEFINED, true))
    }
}

/// Makes `TemplateIterator` instances async-iterable: `[Symbol.asyncIterator]` must return the
/// iterator itself, which is exactly what `Object.prototype.valueOf` does for an object.
fn make_async_iterable(instance: &JsValue) {
    let Ok(proto) = Reflect::get_prototype_of(instance) else {
        return;
    };
    let key: JsValue = js_sys::Symbol::async_iterator().into();
    if Reflect::has(&proto, &key).unwrap_or(true) {
        return;
    }
    let object_ctor = prop(&js_sys::global().into(), "Object");
    let value_of = prop(&prop(&object_ctor, "prototype"), "valueOf");
    let _ = Reflect::set(&proto, &key, &value_of);
}

#[wasm_bindgen]
impl Sendexa {
    /// A client. Throws `INVALID_ARGUMENT` for bad options and `BROWSER_NOT_ALLOWED` in a
    /// browser page without `dangerouslyAllowBrowser: true`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SendexaOptions")] options: JsValue,
    ) -> Result<Sendexa, ThrownError> {
        Ok(Sendexa {
            inner: Rc::new(Sendexa::build(&options)?),
        })
    }

    fn build(options: &JsValue) -> Result<Inner, Error> {
        if !options.is_object() {
            return Err(invalid_argument(
                "new Sendexa(options) takes an object: { token } or { apiKey, apiSecret }",
            ));
        }
        if !is_absent(&prop(options, "signal")) {
            // A client outlives any one task; a signal given here would abort every later call
            // too, with no way to un-abort it. Each call takes its own.
            return Err(invalid_argument(
                "new Sendexa takes no signal: pass { signal } to each call instead (one AbortController's signal given to several calls aborts them all)",
            ));
        }
        check_options(options, "new Sendexa", &OPTION_NAMES)?;
        let token = opt_string(options, "token")?;
        let api_key = opt_string(options, "apiKey")?;
        let api_secret = opt_string(options, "apiSecret")?;
        let authorization =
            endpoint::authorization(token.as_deref(), api_key.as_deref(), api_secret.as_deref())?;
        if in_browser() && opt_bool(options, "dangerouslyAllowBrowser")? != Some(true) {
            return Err(Error::BrowserNotAllowed {
                message: "The Sendexa client was created with credentials in a browser page, where every visitor can read them. Call the API from your server (or a Worker) instead; for a local demo or a page only you open, pass dangerouslyAllowBrowser: true.".into(),
            });
        }
        let mut secrets: Vec<String> = [token, api_key, api_secret]
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string())
            .collect();
        secrets.push(authorization.trim_start_matches("Basic ").to_string());

        let base_url = endpoint::base_url(
            opt_string(options, "baseUrl")?
                .as_deref()
                .unwrap_or(endpoint::DEFAULT_BASE_URL),
        )?;
        let timeout_ms =
            opt_number(options, "timeoutMs", 1.0, 2_147_483_647.0)?.unwrap_or(30_000.0);
        let mut policy = RetryPolicy::default();
        if let Some(n) = opt_number(options, "maxRetries", 0.0, 10.0)? {
            if n.fract() != 0.0 {
                return Err(invalid_argument(
                    "options.maxRetries must be a whole number from 0 to 10",
                ));
            }
            policy.max_retries = n as u32;
        }
        let retry = prop(options, "retry");
        if !is_absent(&retry) {
            if !retry.is_object() {
                return Err(invalid_argument("options.retry must be an object"));
            }
            check_options(
                &retry,
                "options.retry",
                &["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"],
            )?;
            let ms = |key: &str| {
                opt_number(&retry, key, 0.0, 3_600_000.0).map_err(|_| {
                    invalid_argument(format!(
                        "options.retry.{key} must be milliseconds from 0 to 3,600,000"
                    ))
                })
            };
            if let Some(v) = ms("baseDelayMs")? {
                policy.base_ms = v;
            }
            if let Some(v) = ms("maxDelayMs")? {
                policy.max_delay_ms = v;
            }
            if let Some(v) = ms("maxRetryAfterMs")? {
                policy.max_retry_after_ms = v;
            }
        }
        let fetch = match prop(options, "fetch") {
            f if is_absent(&f) => None,
            f => Some(
                f.dyn_into::<Function>()
                    .map_err(|_| invalid_argument("options.fetch must be a function"))?,
            ),
        };
        let limiter = match prop(options, "rateLimit") {
            v if v.as_bool() == Some(false) => Limiter::Off,
            v if prop(&v, "acquire").is_function() => {
                opt_function(&v, "report").map_err(|_| {
                    invalid_argument("options.rateLimit.report must be a function when given")
                })?;
                Limiter::Custom(v)
            }
            v => Limiter::Builtin(Rc::new(RefCell::new(CoreLimiter::new(limits_from(&v)?)))),
        };
        let window = match prop(options, "window") {
            v if v.as_bool() == Some(false) => WindowSource::Off,
            v if is_absent(&v) => {
                let store = MemoryWindowStore::new();
                let book = store.book.clone();
                WindowSource::Memory(book, JsValue::from(store))
            }
            v if prop(&v, "get").is_function() && prop(&v, "set").is_function() => WindowSource::Custom(v),
            _ => return Err(invalid_argument("options.window must be a window store with get(phone) and set(phone, ms), such as a MemoryWindowStore or a Map, or false")),
        };
        let max_response_bytes = match opt_number(
            options,
            "maxResponseBytes",
            RESPONSE_MAX_MIN as f64,
            RESPONSE_MAX_MAX as f64,
        )? {
            None => RESPONSE_MAX_DEFAULT,
            Some(n) if n.fract() == 0.0 => n as usize,
            Some(_) => {
                return Err(invalid_argument(
                    "options.maxResponseBytes must be a whole number of bytes",
                ))
            }
        };
        let resend_style = match opt_string(options, "resendStyle")?.as_deref() {
            None | Some("body") => ResendStyle::Body,
            Some("path") => ResendStyle::Path,
            Some(_) => {
                return Err(invalid_argument(
                    "options.resendStyle must be \"body\" or \"path\"",
                ))
            }
        };
        Ok(Inner {
            base_url,
            authorization,
            secrets,
            timeout_ms,
            policy,
            fetch,
            limiter,
            window,
            strict_window: opt_bool(options, "strictWindow")?.unwrap_or(false),
            resend_style,
            default_region: opt_string(options, "defaultRegion")?,
            max_response_bytes,
        })
    }

    /// The API base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// The window store in use (pass it to `handleWebhook({ window })`), or `undefined` when the
    /// window check is off.
    #[wasm_bindgen(getter, js_name = windowStore, unchecked_return_type = "WindowStore | undefined")]
    pub fn window_store(&self) -> JsValue {
        match &self.inner.window {
            WindowSource::Off => JsValue::UNDEFINED,
            WindowSource::Memory(_, store) => store.clone(),
            WindowSource::Custom(store) => store.clone(),
        }
    }

    /// The settings, without credentials: what `JSON.stringify(client)` shows.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; timeoutMs: number; maxRetries: number; rateLimit: \"builtin\" | \"custom\" | \"off\"; window: \"memory\" | \"custom\" | \"off\"; credentials: \"[redacted]\" }")]
    pub fn to_json(&self) -> JsValue {
        let inner = &self.inner;
        let obj = Object::new();
        set(&obj, "baseUrl", &JsValue::from_str(&inner.base_url));
        set(&obj, "timeoutMs", &JsValue::from_f64(inner.timeout_ms));
        set(
            &obj,
            "maxRetries",
            &JsValue::from_f64(f64::from(inner.policy.max_retries)),
        );
        let limiter = match inner.limiter {
            Limiter::Off => "off",
            Limiter::Builtin(_) => "builtin",
            Limiter::Custom(_) => "custom",
        };
        set(&obj, "rateLimit", &JsValue::from_str(limiter));
        let window = match inner.window {
            WindowSource::Off => "off",
            WindowSource::Memory(..) => "memory",
            WindowSource::Custom(_) => "custom",
        };
        set(&obj, "window", &JsValue::from_str(window));
        set(
            &obj,
            "maxResponseBytes",
            &JsValue::from_f64(inner.max_response_bytes as f64),
        );
        set(&obj, "credentials", &JsValue::from_str("[redacted]"));
        obj.into()
    }

    /// `Sendexa { baseUrl: … }`, without credentials.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("Sendexa {{ baseUrl: {} }}", self.inner.base_url)
    }

    /// Sends a message (`POST /v1/whatsapp/send`) after validating it and checking the 24-hour
    /// window. Retried only on 429/`WA005`; after a timeout, network error, 5xx or unreadable
    /// answer it rejects with `OUTCOME_UNKNOWN` rather than risk sending twice.
    #[wasm_bindgen(unchecked_return_type = "Promise<SendResult>")]
    pub fn send(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WhatsAppMessageInput")] message: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move { json_to_js(&inner.send(message, options).await?) })
    }

    /// The status of a sent message (`GET /v1/whatsapp/status/{messageId}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<StatusResult>")]
    pub fn status(
        &self,
        #[wasm_bindgen(js_name = messageId, unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner
            .clone()
            .by_id("status", message_id, "messageId", options, endpoint::status)
    }

    /// Retries a failed message (`POST /v1/whatsapp/resend`). Like `send`, retried only on 429.
    #[wasm_bindgen(unchecked_return_type = "Promise<ResendResult>")]
    pub fn resend(
        &self,
        #[wasm_bindgen(js_name = messageId, unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let style = self.inner.resend_style;
        self.inner
            .clone()
            .by_id("resend", message_id, "messageId", options, move |id| {
                endpoint::resend(id, style)
            })
    }

    /// One page of templates (`GET /v1/whatsapp/templates`).
    #[wasm_bindgen(js_name = listTemplates, unchecked_return_type = "Promise<TemplatePage>")]
    pub fn list_templates(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTemplatesOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let query = Inner::template_query(&options, "listTemplates")?;
            json_to_js(
                &inner
                    .simple(Ok(endpoint::list_templates(&query)), None, &options)
                    .await?,
            )
        })
    }

    /// Every template, page after page: `for await (const t of client.listAllTemplates()) …`.
    #[wasm_bindgen(js_name = listAllTemplates, unchecked_return_type = "AsyncIterableIterator<Template>")]
    pub fn list_all_templates(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTemplatesOptions")] options: JsValue,
    ) -> Result<JsValue, ThrownError> {
        let query = Inner::template_query(&options, "listAllTemplates")?;
        let signal = signal_of(&options)?;
        let iterator = TemplateIterator {
            state: Rc::new(IterState {
                inner: self.inner.clone(),
                query: RefCell::new(Some(query)),
                buffer: RefCell::new(Default::default()),
                pages: Cell::new(0),
                signal,
                last: RefCell::new(None),
            }),
        };
        let value = JsValue::from(iterator);
        make_async_iterable(&value);
        Ok(value)
    }

    /// Submits a template for review (`POST /v1/whatsapp/templates`) after checking it locally
    /// (`INVALID_TEMPLATE` with every issue). Retried only on 429.
    #[wasm_bindgen(js_name = createTemplate, unchecked_return_type = "Promise<Template>")]
    pub fn create_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TemplateDefinitionInput")] definition: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            check_options(&options, "createTemplate", &CALL_OPTIONS)?;
            let def = template::validate_definition(&json_from_js(
                &definition,
                "the template definition",
            )?)?;
            json_to_js(
                &inner
                    .simple(Ok(endpoint::create_template(&def)), None, &options)
                    .await?,
            )
        })
    }

    /// One template (`GET /v1/whatsapp/templates/{id}`).
    #[wasm_bindgen(js_name = getTemplate, unchecked_return_type = "Promise<Template>")]
    pub fn get_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner
            .clone()
            .by_id("getTemplate", id, "id", options, endpoint::get_template)
    }

    /// Deletes a template (`DELETE /v1/whatsapp/templates/{id}`).
    #[wasm_bindgen(js_name = deleteTemplate, unchecked_return_type = "Promise<DeleteTemplateResult>")]
    pub fn delete_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner.clone().by_id(
            "deleteTemplate",
            id,
            "id",
            options,
            endpoint::delete_template,
        )
    }

    /// Whether a number is on WhatsApp (`GET /v1/whatsapp/numbers/check`). The number is
    /// normalised first (`WA001` locally when it is not a phone number).
    #[wasm_bindgen(js_name = checkNumber, unchecked_return_type = "Promise<NumberCheck>")]
    pub fn check_number(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] phone_number: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            check_options(&options, "checkNumber", &CALL_OPTIONS)?;
            let text = phone_number
                .as_string()
                .ok_or_else(|| invalid_argument("checkNumber takes a phone number string"))?;
            let digits = phone::normalize(&text, inner.default_region.as_deref())?;
            json_to_js(
                &inner
                    .simple(Ok(endpoint::check_number(&digits)), None, &options)
                    .await?,
            )
        })
    }

    /// Checks any number of numbers (`POST /v1/whatsapp/numbers/bulk-check`, in chunks of at
    /// most 1,000, within the rate limits): one entry per input, in input order.
    #[wasm_bindgen(js_name = checkNumbers, unchecked_return_type = "Promise<CheckNumbersResult>")]
    pub fn check_numbers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string>")] phones: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckNumbersOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move { json_to_js(&inner.check_numbers(phones, options).await?) })
    }

    /// The account's WhatsApp numbers, with quality rating and messaging limit
    /// (`GET /v1/whatsapp/numbers`).
    #[wasm_bindgen(js_name = listNumbers, unchecked_return_type = "Promise<NumbersList>")]
    pub fn list_numbers(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            check_options(&options, "listNumbers", &CALL_OPTIONS)?;
            json_to_js(
                &inner
                    .simple(Ok(endpoint::list_numbers()), None, &options)
                    .await?,
            )
        })
    }

    /// Sends many messages within the rate limits, `concurrency` at a time. Resolves (never
    /// rejects for a message's failure) to one outcome per message, in input order: each message
    /// is sent at most once, with `send`'s retry policy.
    #[wasm_bindgen(js_name = sendBulk, unchecked_return_type = "Promise<BulkOutcome[]>")]
    pub fn send_bulk(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<WhatsAppMessageInput>")]
        messages: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendBulkOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let messages: Array = messages
                .dyn_into()
                .map_err(|_| invalid_argument("sendBulk takes an array of messages"))?;
            check_options(&options, "sendBulk", &SEND_BULK_OPTIONS)?;
            let signal = signal_of(&options)?;
            let concurrency = opt_concurrency(&options)?;
            let on_progress = opt_function(&options, "onProgress")?;
            let total = messages.length();
            let bulk = Rc::new(Bulk {
                outcomes: Array::new_with_length(total),
                messages,
                total,
                next: Cell::new(0),
                succeeded: Cell::new(0),
                failed: Cell::new(0),
                on_progress,
                signal,
            });
            let workers: Array = (0..concurrency.min(total))
                .map(|_| JsValue::from(future_to_promise(bulk_worker(inner.clone(), bulk.clone()))))
                .collect();
            // Workers never reject: every outcome is recorded at its index.
            let _ = JsFuture::from(Promise::all(&workers)).await;
            Ok(bulk.outcomes.clone().into())
        })
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    const SECRET: &str = "tok_unit_SECRET_42";

    fn options(fetch: Option<&JsValue>, extra: &[(&str, JsValue)]) -> JsValue {
        let o = Object::new();
        set(&o, "token", &JsValue::from_str(SECRET));
        set(&o, "baseUrl", &JsValue::from_str("http://127.0.0.1:9"));
        set(&o, "dangerouslyAllowBrowser", &JsValue::TRUE);
        set(&o, "rateLimit", &JsValue::FALSE);
        if let Some(f) = fetch {
            set(&o, "fetch", f);
        }
        for (k, v) in extra {
            set(&o, k, v);
        }
        o.into()
    }

    /// A `fetch` that answers every call with `status` and `body`, counting the calls.
    fn fake_fetch(status: u16, body: &'static str, calls: Rc<Cell<u32>>) -> JsValue {
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |_url: JsValue, _init: JsValue| {
                calls.set(calls.get() + 1);
                let init = web_sys::ResponseInit::new();
                init.set_status(status);
                match web_sys::Response::new_with_opt_str_and_init(Some(body), &init) {
                    Ok(resp) => Promise::resolve(&resp).into(),
                    Err(e) => Promise::reject(&e).into(),
                }
            },
        )
        .into_js_value()
    }

    fn text_message() -> JsValue {
        js_sys::JSON::parse(r#"{"to":"+233 24 400 0000","type":"text","text":{"body":"Hi"}}"#)
            .unwrap_or(JsValue::NULL)
    }

    async fn settle(p: Promise) -> Result<JsValue, JsValue> {
        JsFuture::from(p).await
    }

    fn code(err: &JsValue) -> String {
        prop(err, "code").as_string().unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn options_are_checked() {
        let err = |o: JsValue| match Sendexa::new(o) {
            Ok(_) => String::from("ok"),
            Err(e) => code(&JsValue::from(e)),
        };
        assert_eq!(err(JsValue::UNDEFINED), "INVALID_ARGUMENT");
        assert_eq!(
            err(options(None, &[("timeout", JsValue::from_f64(1.0))])),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            err(options(
                None,
                &[("baseUrl", JsValue::from_str("http://example.com"))]
            )),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            err(options(None, &[("fetch", JsValue::from_str("nope"))])),
            "INVALID_ARGUMENT"
        );
        assert_eq!(err(options(None, &[])), "ok");
    }

    #[wasm_bindgen_test]
    fn json_and_string_leave_the_token_out() {
        let Ok(client) = Sendexa::new(options(None, &[])) else {
            panic!("client")
        };
        let json = js_sys::JSON::stringify(&client.to_json())
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        assert!(
            json.contains("127.0.0.1") && !json.contains(SECRET),
            "{json}"
        );
        assert!(!client.to_string_js().contains(SECRET));
    }

    #[wasm_bindgen_test]
    fn the_default_window_store_is_shared_with_javascript() {
        let Ok(client) = Sendexa::new(options(None, &[])) else {
            panic!("client")
        };
        let store = client.window_store();
        let set_fn: Function = prop(&store, "set").dyn_into().unwrap();
        let _ = set_fn.call2(
            &store,
            &JsValue::from_str("+233 24 400 0000"),
            &JsValue::from_f64(5.0),
        );
        match &client.inner.window {
            WindowSource::Memory(book, _) => {
                assert_eq!(book.borrow().get("233244000000"), Some(5.0))
            }
            _ => panic!("not the memory store"),
        }
    }

    #[wasm_bindgen_test]
    async fn a_send_reads_the_answer_through_the_given_fetch() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(
            200,
            r#"{"success":true,"data":{"id":"wamid.A","messageId":"exa_wa_1","status":"sent","to":"233244000000","type":"text"}}"#,
            calls.clone(),
        );
        let Ok(client) = Sendexa::new(options(Some(&fetch), &[("window", JsValue::FALSE)])) else {
            panic!("client")
        };
        let result = settle(client.send(text_message(), JsValue::UNDEFINED))
            .await
            .unwrap_or(JsValue::NULL);
        assert_eq!(
            prop(&result, "messageId").as_string().as_deref(),
            Some("exa_wa_1")
        );
        assert_eq!(
            prop(&result, "wamid").as_string().as_deref(),
            Some("wamid.A")
        );
        assert_eq!(calls.get(), 1);
    }

    #[wasm_bindgen_test]
    async fn an_invalid_message_makes_no_request() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(200, "{}", calls.clone());
        let Ok(client) = Sendexa::new(options(Some(&fetch), &[])) else {
            panic!("client")
        };
        let bad = js_sys::JSON::parse(r#"{"to":"233244000000","type":"text","text":{"body":""}}"#)
            .unwrap_or(JsValue::NULL);
        let err = settle(client.send(bad, JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(code(&err), "INVALID_MESSAGE");
        assert_eq!(calls.get(), 0);
    }

    #[wasm_bindgen_test]
    async fn a_5xx_send_is_an_unknown_outcome_after_one_attempt_but_a_read_is_retried() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(
            503,
            r#"{"success":false,"code":"SERVICE_UNAVAILABLE","message":"down"}"#,
            calls.clone(),
        );
        let retry = Object::new();
        set(&retry, "baseDelayMs", &JsValue::from_f64(0.0));
        let Ok(client) = Sendexa::new(options(
            Some(&fetch),
            &[("window", JsValue::FALSE), ("retry", retry.into())],
        )) else {
            panic!("client")
        };
        let err = settle(client.send(text_message(), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(
            (code(&err), prop(&err, "reason").as_string()),
            ("OUTCOME_UNKNOWN".into(), Some("SERVICE_UNAVAILABLE".into()))
        );
        assert!(!prop(&err, "message")
            .as_string()
            .unwrap_or_default()
            .contains(SECRET));
        assert_eq!(calls.get(), 1);
        let err = settle(client.status(JsValue::from_str("exa_wa_1"), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(code(&err), "SERVICE_UNAVAILABLE");
        assert_eq!(calls.get(), 1 + 3);
    }

    #[wasm_bindgen_test]
    fn browser_detection_matches_the_runtime() {
        let global: JsValue = js_sys::global().into();
        let node = !is_absent(&prop(&prop(&prop(&global, "process"), "versions"), "node"));
        let page = !is_absent(&prop(&global, "document"));
        if node {
            assert!(!in_browser());
        } else if page {
            assert!(in_browser());
        }
    }
}
