//! `verifyWebhook`, `parseWebhook` and `handleWebhook`.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};

use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::convert::{
    bytes, call_and_await, check_options, invalid_argument, json_from_js, json_to_js, opt_function,
    prop,
};
use super::JsError;
use crate::core::json::Value;
use crate::core::webhook::event::{parse_events, Event};
use crate::core::webhook::signature::{self, Delivery};
use crate::core::Error;

#[wasm_bindgen(typescript_custom_section)]
const WEBHOOK_TYPES: &'static str = r#"
/** Request headers: a `Headers` instance, or a plain object with keys in any case (Node's `req.headers`). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The raw body exactly as received: a string (taken as its UTF-8 bytes), Uint8Array or ArrayBuffer. */
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView;
  headers: WebhookHeaders;
  /** The webhook signing secret from the Sendexa dashboard. */
  secret: string | Uint8Array;
  /** Reject deliveries whose X-Timestamp is further than this from now. Off by default. */
  toleranceSeconds?: number;
}

/** A status update of a message you sent. */
export interface WebhookStatusEvent {
  kind: "status";
  event?: string;
  messageId?: string;
  wamid?: string;
  /** `pending`, `sent`, `delivered`, `read`, `failed`, `deleted`, or a newer status. */
  status: "pending" | "sent" | "delivered" | "read" | "failed" | "deleted" | (string & {});
  recipient?: string;
  timestamp?: string;
  timestampMs?: number;
  errorCode?: string;
  errorMessage?: string;
  raw: unknown;
}

/** A message a WhatsApp user sent you. It opens the 24-hour window for that user. */
export interface WebhookMessageEvent {
  kind: "message";
  event?: string;
  messageId?: string;
  wamid?: string;
  from: string;
  contactName?: string;
  type: "text" | "image" | "video" | "audio" | "document" | "sticker" | "location" | "contacts" | "interactive" | "button" | (string & {});
  text?: string;
  media?: { id?: string; url?: string; mimeType?: string; caption?: string; filename?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contacts?: unknown[];
  reply?: { kind: "button" | "list"; id?: string; title?: string; description?: string };
  /** The id of the message this one answers, when it is a reply. */
  contextMessageId?: string;
  timestamp?: string;
  timestampMs?: number;
  raw: unknown;
}

/** An event this SDK version does not know, kept whole. */
export interface WebhookUnknownEvent {
  kind: "unknown";
  event?: string;
  raw: unknown;
}

export type WebhookEvent = WebhookStatusEvent | WebhookMessageEvent | WebhookUnknownEvent;

/** Where the 24-hour window is kept: the last inbound message time per phone (digits). A `Map` works. */
export interface WindowStore {
  get(phone: string): number | undefined | null | Promise<number | undefined | null>;
  set(phone: string, lastInboundMs: number): unknown;
}

/** Delivery ids already handled, so retried deliveries run once. A `Set` works. */
export interface DedupeStore {
  has(id: string): boolean | Promise<boolean>;
  add(id: string): unknown;
}

export interface HandleWebhookOptions {
  secret: string | Uint8Array;
  /** Called once per event, in order; a throw (or rejection) answers 500 so Sendexa retries. */
  onEvent: (event: WebhookEvent) => unknown;
  /** Deduplicates by X-Webhook-ID (or X-Sendexa-Delivery-ID). Default: the last 10,000 ids in memory; `false` turns it off. */
  dedupe?: DedupeStore | false;
  /** Inbound messages record the sender here, opening the 24-hour window for free-form replies. */
  window?: WindowStore;
  toleranceSeconds?: number;
}
"#;

/// The options `handleWebhook` takes.
const HANDLE_OPTIONS: [&str; 5] = ["secret", "onEvent", "dedupe", "window", "toleranceSeconds"];

/// Returns a header's value from a `Headers` instance or a plain object, matching the name in
/// any case. Several values (an array, or two keys differing in case) are joined with ", " as
/// `Headers.get` joins them, so a duplicated signature header can never verify.
fn header(headers: &JsValue, name: &str) -> Option<String> {
    let get = prop(headers, "get");
    if let Some(get) = get.dyn_ref::<Function>() {
        return get
            .call1(headers, &JsValue::from_str(name))
            .ok()?
            .as_string();
    }
    let object = headers.dyn_ref::<Object>()?;
    let mut values: Vec<String> = Vec::new();
    for key in Object::keys(object).iter() {
        let Some(key) = key.as_string() else { continue };
        if !key.eq_ignore_ascii_case(name) {
            continue;
        }
        let value = prop(headers, &key);
        if let Some(text) = value.as_string() {
            values.push(text);
        } else if let Some(list) = value.dyn_ref::<Array>() {
            values.extend(list.iter().filter_map(|v| v.as_string()));
        }
    }
    (!values.is_empty()).then(|| values.join(", "))
}

fn signature_header(headers: &JsValue) -> Option<String> {
    header(headers, "x-signature").or_else(|| header(headers, "x-sendexa-signature"))
}

/// The signing secret from `options.secret`; empty or missing is a programming error, not a
/// failed verification, so it throws.
fn secret_arg(options: &JsValue) -> Result<Vec<u8>, Error> {
    match bytes(&prop(options, "secret")) {
        Some(secret) if !secret.is_empty() => Ok(secret),
        _ => Err(invalid_argument(
            "options.secret must be the webhook signing secret (a non-empty string or Uint8Array).",
        )),
    }
}

fn tolerance_arg(options: &JsValue) -> Result<Option<f64>, Error> {
    let value = prop(options, "toleranceSeconds");
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(seconds) if seconds.is_finite() && seconds >= 0.0 => Ok(Some(seconds)),
        _ => Err(invalid_argument(
            "options.toleranceSeconds must be a non-negative number of seconds.",
        )),
    }
}

/// Verifies a delivery: HMAC-SHA256 of the raw body under the secret, against `X-Signature`
/// (or `X-Sendexa-Signature`), in constant time; and, when `toleranceSeconds` is given, that
/// `X-Timestamp` is that close to now. A missing, empty or malformed header gives `false`.
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(
    #[wasm_bindgen(unchecked_param_type = "VerifyWebhookOptions")] options: JsValue,
) -> Result<bool, JsError> {
    check_options(
        &options,
        "verifyWebhook",
        &["body", "headers", "secret", "toleranceSeconds"],
    )?;
    Ok(verify_options(
        &options,
        &prop(&options, "body"),
        &prop(&options, "headers"),
    )?
    .is_ok())
}

fn verify_options(
    options: &JsValue,
    body: &JsValue,
    headers: &JsValue,
) -> Result<Result<(), signature::VerifyFailure>, Error> {
    let secret = secret_arg(options)?;
    let tolerance = tolerance_arg(options)?;
    let body = bytes(body).ok_or_else(|| {
        invalid_argument("options.body must be the raw request body: a string, Uint8Array or ArrayBuffer, before any JSON parsing.")
    })?;
    let signature = signature_header(headers);
    let timestamp = header(headers, "x-timestamp");
    let delivery = Delivery {
        body: &body,
        signature: signature.as_deref(),
        timestamp: timestamp.as_deref(),
    };
    Ok(signature::verify(
        delivery,
        &secret,
        tolerance,
        js_sys::Date::now(),
    ))
}

fn events_from(body: &JsValue) -> Result<Vec<Event>, Error> {
    let text = match bytes(body) {
        Some(raw) => String::from_utf8(raw).map_err(|_| Error::InvalidWebhook {
            message: "The webhook body is not UTF-8 text.".into(),
        })?,
        // An already-parsed body (e.g. from express.json()) is read as its JSON.
        None if body.is_object() => json_from_js(body, "the webhook body")?.to_json(),
        None => return Err(invalid_argument(
            "parseWebhook takes the body as a string, Uint8Array, ArrayBuffer or parsed object.",
        )),
    };
    Ok(parse_events(&text)?)
}

fn events_to_js(events: &[Event]) -> Result<JsValue, Error> {
    json_to_js(&Value::Array(events.iter().map(Event::to_value).collect()))
}

/// Parses a webhook body (any of Sendexa's envelopes, or Meta's) into typed events: status
/// updates (`kind: "status"`), inbound messages (`kind: "message"`) and, kept whole with `raw`,
/// anything else (`kind: "unknown"`). Throws `INVALID_WEBHOOK` for malformed JSON.
#[wasm_bindgen(js_name = parseWebhook, unchecked_return_type = "WebhookEvent[]")]
pub fn parse_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer | object")]
    body: JsValue,
) -> Result<JsValue, JsError> {
    Ok(events_to_js(&events_from(&body)?)?)
}

/// The default dedupe store: the most recent delivery ids, bounded so memory stays flat.
struct RecentIds {
    order: VecDeque<String>,
    seen: HashSet<String>,
}

const RECENT_IDS: usize = 10_000;

impl RecentIds {
    fn contains(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    fn insert(&mut self, id: String) {
        if self.seen.insert(id.clone()) {
            self.order.push_back(id);
            if self.order.len() > RECENT_IDS {
                if let Some(oldest) = self.order.pop_front() {
                    self.seen.remove(&oldest);
                }
            }
        }
    }
}

thread_local! {
    static DEFAULT_DEDUPE: RefCell<RecentIds> = RefCell::new(RecentIds { order: VecDeque::new(), seen: HashSet::new() });
}

enum Dedupe {
    Off,
    Default,
    Store(JsValue),
}

fn json_response(status: u16, body: &Value) -> Result<web_sys::Response, Error> {
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    let headers = web_sys::Headers::new().map_err(|_| internal("Headers"))?;
    headers
        .set("content-type", "application/json")
        .map_err(|_| internal("Headers.set"))?;
    init.set_headers(&headers);
    web_sys::Response::new_with_opt_str_and_init(Some(&body.to_json()), &init)
        .map_err(|_| internal("Response"))
}

fn internal(what: &str) -> Error {
    Error::Internal {
        message: format!("could not create a {what} in this runtime"),
    }
}

fn error_body(code: &str, message: &str) -> Value {
    Value::object([(
        "error",
        Value::object([
            ("code", Value::from(code)),
            ("message", Value::from(message)),
        ]),
    )])
}

fn describe(err: &JsValue) -> String {
    prop(err, "message")
        .as_string()
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "the handler threw".into())
}

/// Handles a webhook delivery from a web `Request` (Workers, Deno, Bun, Node 18+): verifies the
/// signature over the raw body, parses the events, skips deliveries already handled, records
/// inbound senders in the window store, calls `onEvent` per event, and answers `200`, or `401`
/// for a bad signature, `400` for a malformed body, `500` when `onEvent` throws (so Sendexa retries).
#[wasm_bindgen(js_name = handleWebhook, unchecked_return_type = "Response")]
pub async fn handle_webhook(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HandleWebhookOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    check_options(&options, "handleWebhook", &HANDLE_OPTIONS)?;
    let on_event: Function = opt_function(&options, "onEvent")?.ok_or_else(|| {
        invalid_argument("options.onEvent must be a function that receives each event.")
    })?;
    let dedupe = match prop(&options, "dedupe") {
        v if v.is_undefined() || v.is_null() => Dedupe::Default,
        v if v.is_falsy() => Dedupe::Off,
        v => Dedupe::Store(v),
    };
    let window = prop(&options, "window");

    let read_body: Function = prop(&request, "arrayBuffer")
        .dyn_into()
        .map_err(|_| invalid_argument("handleWebhook takes a web Request (with arrayBuffer())."))?;
    let body = read_body.call0(&request).map_err(|_| {
        invalid_argument("the request body could not be read (was it read already?)")
    })?;
    let body = JsFuture::from(Promise::resolve(&body)).await.map_err(|_| {
        invalid_argument("the request body could not be read (was it read already?)")
    })?;
    let headers = prop(&request, "headers");

    if let Err(failure) = verify_options(&options, &body, &headers)? {
        return Ok(
            json_response(401, &error_body("INVALID_SIGNATURE", failure.describe()))?.into(),
        );
    }
    let events = match events_from(&body) {
        Ok(events) => events,
        Err(err) => {
            return Ok(json_response(400, &error_body(err.code(), &err.to_string()))?.into())
        }
    };

    let delivery_id =
        header(&headers, "x-webhook-id").or_else(|| header(&headers, "x-sendexa-delivery-id"));
    if let Some(id) = &delivery_id {
        let seen = match &dedupe {
            Dedupe::Off => false,
            Dedupe::Default => DEFAULT_DEDUPE.with(|d| d.borrow().contains(id)),
            Dedupe::Store(store) => {
                call_and_await(store, "has", &Array::of1(&JsValue::from_str(id)))
                    .await
                    .map(|v| v.is_truthy())
                    .unwrap_or(false)
            }
        };
        if seen {
            let body = Value::object([
                ("received", Value::from(0u64)),
                ("duplicate", Value::Bool(true)),
            ]);
            return Ok(json_response(200, &body)?.into());
        }
    }

    let now = js_sys::Date::now();
    for event in &events {
        if let (Event::Message(message), false) = (event, window.is_undefined() || window.is_null())
        {
            // The window runs from when the user wrote, never from the future.
            let at = message.timestamp_ms.filter(|t| *t <= now).unwrap_or(now);
            let args = Array::of2(&JsValue::from_str(&message.from), &JsValue::from_f64(at));
            if let Err(err) = call_and_await(&window, "set", &args).await {
                let message = format!("the window store failed: {}", describe(&err));
                return Ok(json_response(500, &error_body("HANDLER_FAILED", &message))?.into());
            }
        }
        let js_event = json_to_js(&event.to_value())?;
        let outcome = match on_event.call1(&JsValue::UNDEFINED, &js_event) {
            Ok(result) if prop(&result, "then").is_function() => {
                JsFuture::from(Promise::resolve(&result)).await
            }
            other => other,
        };
        if let Err(err) = outcome {
            let message = format!("onEvent failed: {}", describe(&err));
            return Ok(json_response(500, &error_body("HANDLER_FAILED", &message))?.into());
        }
    }

    if let Some(id) = delivery_id {
        match &dedupe {
            Dedupe::Off => {}
            Dedupe::Default => DEFAULT_DEDUPE.with(|d| d.borrow_mut().insert(id)),
            Dedupe::Store(store) => {
                // The events were handled; a store failure now only risks one repeat delivery.
                let _ = call_and_await(store, "add", &Array::of1(&JsValue::from_str(&id))).await;
            }
        }
    }
    let body = Value::object([("received", Value::from(events.len() as u64))]);
    Ok(json_response(200, &body)?.into())
}
