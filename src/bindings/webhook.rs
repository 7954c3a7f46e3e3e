//! `verifyWebhook`, `parseWebhook` and `handleWebhook`.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert::{bytes, check_options, invalid_argument, json_from_js, opt_function, prop};
use super::error::ThrownError;
use crate::engine::json::Tape;
use crate::engine::webhook::delivery::{
    Dedupe, Handling, Input, Settings, Step, DEFAULT_MAX_BODY_BYTES,
};
use crate::engine::webhook::event::{locate_events, WebhookParseError};
use crate::engine::webhook::signature;
use crate::engine::webhook::wire::KEYS;
use crate::engine::Error;

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
  /**
   * The largest body accepted, in bytes; a larger delivery is answered 413 (`PAYLOAD_TOO_LARGE`)
   * without being verified. Checked against `Content-Length` before reading, then while reading,
   * so an oversized body never enters the SDK's memory. Default 1,048,576 (1 MiB, Fastify's default
   * body limit): Sendexa's deliveries are a few kilobytes.
   */
  maxBodyBytes?: number;
}
"#;

/// The options `handleWebhook` takes.
const HANDLE_OPTIONS: [&str; 6] = [
    "secret",
    "onEvent",
    "dedupe",
    "window",
    "toleranceSeconds",
    "maxBodyBytes",
];

/// Header `name` (lowercase) of a `Headers` or a plain object such as Node's `req.headers`, the
/// name matched in any case: read in driver.js, in one call. Several values (an array, or two keys
/// differing in case) are joined with ", " as `Headers.get` joins them, so a duplicated signature
/// header can never verify. A `get` or getter that throws reads as absent.
fn header(headers: &JsValue, name: &str) -> Option<String> {
    header_value(headers, name).ok().flatten()
}

/// The bytes of the signing secret (the value of `options.secret`); empty or missing is a
/// programming error, not a failed verification, so it throws.
fn secret_arg(secret: &JsValue) -> Result<Vec<u8>, Error> {
    match bytes(secret) {
        Some(secret) if !secret.is_empty() => Ok(secret),
        _ => Err(invalid_argument(
            "options.secret must be the webhook signing secret (a non-empty string or Uint8Array).",
        )),
    }
}

/// `options.toleranceSeconds` (the value as given): a non-negative number of seconds, or none.
fn tolerance_value(value: &JsValue) -> Result<Option<f64>, Error> {
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
) -> Result<bool, ThrownError> {
    check_options(
        &options,
        "verifyWebhook",
        &["body", "headers", "secret", "toleranceSeconds"],
    )?;
    // The common case in one crossing: the runtime's HMAC, no tolerance, a usable secret and body
    // (the digest, then the signature header, written into `scratch`).
    let mut scratch = [0u8; 32 + 256];
    let written = verify_quick(&options, &mut scratch);
    if let (Ok(len), Some((digest, header))) =
        (usize::try_from(written), scratch.split_first_chunk::<32>())
    {
        let header = header.get(..len).and_then(|h| std::str::from_utf8(h).ok());
        return Ok(signature::verify_digest(digest, header).is_ok());
    }
    // [body, secret, toleranceSeconds, signature, timestamp], read in one call.
    let read = verify_options(&options);
    let secret_value = read.get(1);
    let secret = secret_arg(&secret_value)?;
    let tolerance = tolerance_value(&read.get(2))?;
    let digest = digest_of(&secret_value, &secret, &read.get(0))?;
    Ok(signature::verify_headers(
        &digest,
        read.get(3).as_string().as_deref(),
        read.get(4).as_string().as_deref(),
        tolerance,
        js_sys::Date::now(),
    )
    .is_ok())
}

/// The body's HMAC-SHA256 under the secret (`secret_value` as given, `secret` its bytes): from
/// the runtime's HMAC when the entry gave one (the body is then never copied into wasm), else
/// computed here.
fn digest_of(secret_value: &JsValue, secret: &[u8], body: &JsValue) -> Result<[u8; 32], Error> {
    if let Some(host) = host_digest(secret_value, body).dyn_ref::<Uint8Array>() {
        let mut digest = [0u8; 32];
        if host.length() == 32 {
            host.copy_to(&mut digest);
            return Ok(digest);
        }
    }
    let body = bytes(body).ok_or_else(|| {
        invalid_argument("options.body must be the raw request body: a string, Uint8Array or ArrayBuffer, before any JSON parsing.")
    })?;
    Ok(signature::hmac_sha256(secret, &body))
}

/// The body's text, and what JavaScript parses for the events' payloads: the body as given (a
/// string or bytes, decoded there), or for an already-parsed body (e.g. from express.json()) the
/// text of its JSON.
fn body_text(body: &JsValue) -> Result<(String, JsValue), Error> {
    match bytes(body) {
        Some(raw) => match String::from_utf8(raw) {
            Ok(text) => Ok((text, body.clone())),
            Err(_) => Err(Error::InvalidWebhook {
                message: "The webhook body is not UTF-8 text.".into(),
            }),
        },
        None if body.is_object() => {
            let text = json_from_js(body, "the webhook body")?.to_json();
            let source = JsValue::from_str(&text);
            Ok((text, source))
        }
        None => Err(invalid_argument(
            "parseWebhook takes the body as a string, Uint8Array, ArrayBuffer or parsed object.",
        )),
    }
}

/// Parses a webhook body (any of Sendexa's envelopes, or Meta's) into typed events: status
/// updates (`kind: "status"`), inbound messages (`kind: "message"`) and, kept whole with `raw`,
/// anything else (`kind: "unknown"`). Throws `INVALID_WEBHOOK` for malformed JSON.
#[wasm_bindgen(js_name = parseWebhook, unchecked_return_type = "WebhookEvent[]")]
pub fn parse_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer | object")]
    body: JsValue,
) -> Result<JsValue, ThrownError> {
    let (text, source) = body_text(&body)?;
    let tape = Tape::parse(&text).map_err(|e| Error::from(WebhookParseError(e)))?;
    // Each `raw`, and a message's text, cross as paths; driver.js takes them from its own parse.
    let records = locate_events(tape.root()).wire_records();
    Ok(WIRE_KEYS.with(|keys| webhook_events(&records, &source, keys)))
}

/// `options.maxBodyBytes`: a whole number of bytes, at least 1; the default when missing.
fn max_body_arg(options: &JsValue) -> Result<u64, Error> {
    let value = prop(options, "maxBodyBytes");
    if value.is_undefined() || value.is_null() {
        return Ok(DEFAULT_MAX_BODY_BYTES);
    }
    match value.as_f64() {
        // Exact: a whole number below 2^53.
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => Ok(n as u64),
        _ => Err(invalid_argument(
            "options.maxBodyBytes must be a whole number of bytes, at least 1 (e.g. 1048576 for 1 MiB).",
        )),
    }
}

#[wasm_bindgen(module = "/src/bindings/driver.js")]
extern "C" {
    /// Runs a delivery's machine: reads the body, calls the stores and `onEvent`, builds the
    /// `Response` (see driver.js).
    #[wasm_bindgen(js_name = handleDelivery)]
    fn handle_delivery(
        machine: &JsValue,
        request: &JsValue,
        on_event: &JsValue,
        window: &JsValue,
        dedupe: &JsValue,
    ) -> Promise;

    /// The HMAC-SHA256 of `body` under `secret` by the runtime's own crypto, when the entry gave
    /// one (Node's: `node:crypto`), as a `Uint8Array` of 32 bytes; `undefined` when there is none,
    /// or when either is not a string, `ArrayBuffer` or view (the Rust side then reads them and
    /// says what is wrong), or when it threw.
    #[wasm_bindgen(js_name = hostDigest)]
    fn host_digest(secret: &JsValue, body: &JsValue) -> JsValue;

    /// Header `name` (lowercase ASCII) of a `Headers` or a plain object (ASCII case ignored, values
    /// joined by ", "); `None` when absent. `Err` when a getter or `get` threw.
    #[wasm_bindgen(catch, js_name = headerValue)]
    fn header_value(headers: &JsValue, name: &str) -> Result<Option<String>, JsValue>;

    /// The signature (`X-Signature`, else `X-Sendexa-Signature`) and `X-Timestamp` headers of
    /// `headers`, in one call: `[signature, timestamp]`, `undefined` where absent (see driver.js).
    #[wasm_bindgen(js_name = signatureHeaders)]
    fn signature_headers(headers: &JsValue) -> Array;

    /// `verifyWebhook`'s common case in one call: writes the body's HMAC-SHA256 under the secret,
    /// by the runtime's own crypto, into `scratch`, and the signature header (ASCII) after it;
    /// returns the header's length (0 when absent: it cannot verify either way). -1 when there is
    /// no runtime HMAC, `toleranceSeconds` is given, the secret or body is not a non-empty string
    /// or bytes, or the header does not fit: the general path then reads them (and says what is
    /// wrong). See driver.js.
    #[wasm_bindgen(js_name = verifyQuick)]
    fn verify_quick(options: &JsValue, scratch: &mut [u8]) -> i32;

    /// What `verifyWebhook` reads from its options, in one call: `[body, secret,
    /// toleranceSeconds, signature, timestamp]` (the headers as `signature_headers` reads them).
    #[wasm_bindgen(js_name = verifyOptions)]
    fn verify_options(options: &JsValue) -> Array;

    /// `parseWebhook`'s events from their records ([`crate::engine::webhook::wire`]), `keys` being
    /// [`KEYS`], each `raw` (and a message's text) taken by its path from `JSON.parse(body)`.
    #[wasm_bindgen(js_name = webhookEvents)]
    fn webhook_events(records: &str, body: &JsValue, keys: &JsValue) -> JsValue;
}

thread_local! {
    /// [`KEYS`] as a JavaScript array, made once: the records name keys by their index in it.
    static WIRE_KEYS: JsValue = KEYS.iter().map(|key| JsValue::from_str(key)).collect::<Array>().into();
}

// The step and input codes of a delivery, shared with driver.js.
const READ_BODY: u32 = 0;
const HAS: u32 = 1;
const SET_WINDOW: u32 = 2;
const EVENT: u32 = 3;
const ADD: u32 = 4;
const RESPOND: u32 = 5;
const FAIL: u32 = 6;

const BODY: u32 = 1;
const BODY_TOO_LARGE: u32 = 2;
const UNREADABLE: u32 = 3;
const SEEN: u32 = 4;
const DONE: u32 = 5;
const FAILED: u32 = 6;

fn delivery_input(input: u32, a: &JsValue) -> Input {
    let text = || a.as_string().unwrap_or_default();
    match input {
        BODY => match bytes(a) {
            Some(body) => Input::Body(body),
            None => Input::Unreadable("the request body could not be read as bytes".into()),
        },
        BODY_TOO_LARGE => Input::BodyTooLarge,
        UNREADABLE => Input::Unreadable(text()),
        SEEN => Input::Seen(a.is_truthy()),
        DONE => Input::Done,
        FAILED => Input::Failed(text()),
        _ => Input::Go,
    }
}

fn delivery_step(step: Step) -> Array {
    let code = |c: u32| JsValue::from(c);
    let failed = |err: Error| Array::of2(&code(FAIL), &ThrownError::from(err).into());
    match step {
        Step::ReadBody(max) => Array::of2(&code(READ_BODY), &JsValue::from_f64(max as f64)),
        Step::Has(id) => Array::of2(&code(HAS), &JsValue::from_str(&id)),
        Step::SetWindow(phone, at) => Array::of3(
            &code(SET_WINDOW),
            &JsValue::from_str(&phone),
            &JsValue::from_f64(at),
        ),
        Step::Event(event) => {
            WIRE_KEYS.with(|keys| Array::of3(&code(EVENT), &JsValue::from_str(&event), keys))
        }
        Step::Add(id) => Array::of2(&code(ADD), &JsValue::from_str(&id)),
        Step::Respond(status, body) => Array::of3(
            &code(RESPOND),
            &JsValue::from_str(&body.to_json()),
            &JsValue::from(status),
        ),
        Step::Fail(err) => failed(err),
    }
}

/// The delivery's machine as the function the driver calls (it holds nothing once answered).
fn delivery_function(handling: Handling) -> JsValue {
    let mut handling = Some(handling);
    let step = move |input: u32, a: JsValue| -> Array {
        let Some(h) = handling.as_mut() else {
            return delivery_step(Step::Fail(Error::Internal {
                message: "the delivery had already been answered".into(),
            }));
        };
        let step = h.step(delivery_input(input, &a), js_sys::Date::now());
        if matches!(step, Step::Respond(..) | Step::Fail(_)) {
            handling = None;
        }
        delivery_step(step)
    };
    Closure::<dyn FnMut(u32, JsValue) -> Array>::new(step).into_js_value()
}

/// The delivery's settings from the options and the request's headers.
fn delivery_settings(request: &JsValue, options: &JsValue) -> Result<Settings, Error> {
    check_options(options, "handleWebhook", &HANDLE_OPTIONS)?;
    opt_function(options, "onEvent")?.ok_or_else(|| {
        invalid_argument("options.onEvent must be a function that receives each event.")
    })?;
    let dedupe = match prop(options, "dedupe") {
        v if v.is_undefined() || v.is_null() => Dedupe::Default,
        v if v.is_falsy() => Dedupe::Off,
        _ => Dedupe::Custom,
    };
    let window = prop(options, "window");
    let headers = prop(request, "headers");
    let signed = signature_headers(&headers);
    Ok(Settings {
        secret: secret_arg(&prop(options, "secret"))?,
        tolerance_seconds: tolerance_value(&prop(options, "toleranceSeconds"))?,
        max_body_bytes: max_body_arg(options)?,
        declared_length: header(&headers, "content-length")
            .and_then(|v| v.trim().parse::<u64>().ok()),
        signature: signed.get(0).as_string(),
        timestamp: signed.get(1).as_string(),
        delivery_id: header(&headers, "x-webhook-id")
            .or_else(|| header(&headers, "x-sendexa-delivery-id")),
        dedupe,
        window: !(window.is_undefined() || window.is_null()),
    })
}

/// Handles a webhook delivery from a web `Request` (Workers, Deno, Bun, Node 18+): verifies the
/// signature over the raw body, parses the events, skips deliveries already handled, records
/// inbound senders in the window store, calls `onEvent` per event, and answers `200`, or `401`
/// for a bad signature, `400` for a malformed body, `413` for a body over `maxBodyBytes` (by its
/// `Content-Length`, else as it is read), `500` when `onEvent` throws (so Sendexa retries).
#[wasm_bindgen(js_name = handleWebhook, unchecked_return_type = "Promise<Response>")]
pub fn handle_webhook(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HandleWebhookOptions")] options: JsValue,
) -> Promise {
    match delivery_settings(&request, &options) {
        Ok(settings) => {
            let dedupe = match settings.dedupe {
                Dedupe::Custom => prop(&options, "dedupe"),
                _ => JsValue::UNDEFINED,
            };
            let machine = delivery_function(Handling::new(settings));
            let on_event = prop(&options, "onEvent");
            let window = prop(&options, "window");
            handle_delivery(&machine, &request, &on_event, &window, &dedupe)
        }
        Err(err) => Promise::reject(&ThrownError::from(err).into()),
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::engine::webhook::signature::sign_hex;
    use js_sys::{Function, Object, Uint8Array};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::*;

    const SECRET: &str = "whsec_unit";
    const BODY: &str =
        r#"{"event":"message.received","from":"233244000000","type":"text","text":{"body":"Hi"}}"#;

    /// A JavaScript function from its source: the fixtures below are web objects (`Request`,
    /// `ReadableStream`) most easily written in JavaScript.
    fn js(args: &str, source: &str) -> Function {
        Function::new_with_args(args, source)
    }

    fn signature(body: &str) -> String {
        format!("sha256={}", sign_hex(SECRET.as_bytes(), body.as_bytes()))
    }

    /// The runtime's own `Request`, POSTing `body` with an `X-Signature` header (when given).
    fn request(body: &JsValue, signature: Option<&str>) -> JsValue {
        let make = js(
            "body, signature",
            "const headers = signature ? { 'X-Signature': signature } : {};
             return new Request('https://example.test/hook', { method: 'POST', body, headers });",
        );
        let signature = signature.map_or(JsValue::UNDEFINED, JsValue::from_str);
        make.call2(&JsValue::NULL, body, &signature).unwrap()
    }

    /// Objects whose reading throws (a getter, a Proxy trap) are read in objects.js; the throw is
    /// caught there and becomes an answer, never an exception through wasm frames.
    #[wasm_bindgen_test]
    fn throwing_headers_and_option_keys_are_answers() {
        let headers = js(
            "",
            "return { get ['x-signature']() { throw new Error('getter'); } };",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        let options = Object::new();
        crate::bindings::error::set(&options, "body", &JsValue::from_str(BODY));
        crate::bindings::error::set(&options, "headers", &headers);
        crate::bindings::error::set(&options, "secret", &JsValue::from_str(SECRET));
        assert!(!verify_webhook(options.into()).ok().unwrap());

        let trap = js(
            "",
            "return new Proxy({}, { ownKeys() { throw new Error('trap'); } });",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        let thrown: JsValue = verify_webhook(trap).unwrap_err().into();
        let code = js_sys::Reflect::get(&thrown, &JsValue::from_str("code")).unwrap();
        assert_eq!(code, "INVALID_ARGUMENT");

        // And the instance still answers.
        let headers = Object::new();
        crate::bindings::error::set(
            &headers,
            "X-Signature",
            &JsValue::from_str(&signature(BODY)),
        );
        let options = Object::new();
        crate::bindings::error::set(&options, "body", &JsValue::from_str(BODY));
        crate::bindings::error::set(&options, "headers", &headers);
        crate::bindings::error::set(&options, "secret", &JsValue::from_str(SECRET));
        assert!(verify_webhook(options.into()).ok().unwrap());
    }

    /// `parseWebhook` takes each `raw` from JavaScript's own parse of the body: the events are
    /// exactly the engine's, for every envelope, from a string or bytes, and no two share an object.
    #[wasm_bindgen_test]
    fn parse_webhook_gives_the_engines_events() {
        use crate::engine::json::Value;
        use crate::engine::webhook::event::{parse_events, Event};
        let meta = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"account_update","value":{"x":[1,{"y":null}]}}]},{"changes":[{"value":{"contacts":[{"profile":{"name":"Kofi"},"wa_id":"233200000001"}],"statuses":[{"id":"wamid.A","status":"read","recipient_id":"233200000002"}],"messages":[{"from":"233200000001","type":"text","text":{"body":"Akwaaba \u00e9 \"x\""}},{"from":"233200000001","location":{"latitude":5.6037,"longitude":-0.187}}]}}]}]}"#;
        let batch = r#"[{"event":"message.read","data":{"messageId":"exa_wa_4","status":"read"},"timestamp":"2024-01-15T10:30:00Z"},{"event":"template.approved","data":{"id":"tpl_wa_1"}},null,7,[],{"from":"233200000001","text":"flat"},{"from":"233200000001","text":{"body":12}},{"from":"233200000001","text":{"body":""}},{"from":"233200000001","text":{"body":"","x":1}}]"#;
        // Every kind of member the records carry: nested objects, a reply's own `kind`, numbers,
        // shared contacts (JSON), and strings holding the records' separator.
        let members = r#"[{"from":"233200000001","type":"interactive","interactive":{"list_reply":{"id":"row\u0000 1","title":"T","description":"D"}},"contacts":[{"name":{"formatted_name":"A\u0000"}}],"context":{"id":"wamid.B"},"timestamp":"1705314660"},{"from":"233200000001","image":{"id":"m1","mime_type":"image/jpeg","caption":"c\u0000d\n"},"text":"\u0000"},{"status":"FAILED","error":{"code":"WA002","message":"x\u0001y"},"to":"233200000002"}]"#;
        for body in [meta, batch, members, BODY, "{}", "[]", "null"] {
            let want = Value::Array(
                parse_events(body)
                    .unwrap()
                    .iter()
                    .map(Event::to_value)
                    .collect(),
            );
            for input in [
                JsValue::from_str(body),
                Uint8Array::from(body.as_bytes()).into(),
            ] {
                let events = parse_webhook(input).ok().unwrap();
                let got = js_sys::JSON::stringify(&events)
                    .unwrap()
                    .as_string()
                    .unwrap();
                assert_eq!(got, want.to_json(), "{body}");
            }
        }
        let events: Array = parse_webhook(JsValue::from_str(meta))
            .ok()
            .unwrap()
            .unchecked_into();
        let raws: Vec<JsValue> = events.iter().map(|e| prop(&e, "raw")).collect();
        assert_eq!(raws.len(), 4);
        for (i, a) in raws.iter().enumerate() {
            assert!(a.is_object());
            for b in raws.iter().skip(i + 1) {
                assert!(!js_sys::Object::is(a, b));
            }
        }
    }

    /// `{ secret, onEvent, ...extra }`, and the array `onEvent` pushes each event into. `throws`
    /// makes `onEvent` throw instead.
    fn options(extra: &[(&str, JsValue)], throws: bool) -> (JsValue, Array) {
        let seen = Array::new();
        let on_event = js(
            "seen, throws",
            "return (event) => { if (throws) throw new Error('database down'); seen.push(event); };",
        )
        .call2(&JsValue::NULL, &seen, &JsValue::from_bool(throws))
        .unwrap();
        let o = Object::new();
        crate::bindings::error::set(&o, "secret", &JsValue::from_str(SECRET));
        crate::bindings::error::set(&o, "onEvent", &on_event);
        crate::bindings::error::set(&o, "dedupe", &JsValue::FALSE);
        for (key, value) in extra {
            crate::bindings::error::set(&o, key, value);
        }
        (o.into(), seen)
    }

    /// The answer's status and its JSON body.
    async fn answer(request: JsValue, options: JsValue) -> (u16, JsValue) {
        let response: web_sys::Response = JsFuture::from(handle_webhook(request, options))
            .await
            .unwrap()
            .unchecked_into();
        let text = JsFuture::from(response.text().unwrap()).await.unwrap();
        let body = js_sys::JSON::parse(&text.as_string().unwrap()).unwrap();
        (response.status(), body)
    }

    fn error_code(body: &JsValue) -> String {
        prop(&prop(body, "error"), "code")
            .as_string()
            .unwrap_or_default()
    }

    #[wasm_bindgen_test]
    async fn answers_200_401_400_and_500_as_documented() {
        let (opts, seen) = options(&[], false);
        let (status, body) = answer(request(&BODY.into(), Some(&signature(BODY))), opts).await;
        assert_eq!(status, 200);
        assert_eq!(prop(&body, "received"), 1);
        assert_eq!(seen.length(), 1);
        assert_eq!(prop(&seen.get(0), "kind"), "message");
        assert_eq!(prop(&seen.get(0), "text"), "Hi");

        let (opts, seen) = options(&[], false);
        let (status, body) = answer(request(&BODY.into(), Some(&signature("{}"))), opts).await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (401, "INVALID_SIGNATURE")
        );
        let (status, _) = answer(request(&BODY.into(), None), options(&[], false).0).await;
        assert_eq!(status, 401);
        assert_eq!(
            seen.length(),
            0,
            "onEvent never sees an unverified delivery"
        );

        let broken = r#"{"event":"#;
        let (status, body) = answer(
            request(&broken.into(), Some(&signature(broken))),
            options(&[], false).0,
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (400, "INVALID_WEBHOOK")
        );

        let (status, body) = answer(
            request(&BODY.into(), Some(&signature(BODY))),
            options(&[], true).0,
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (500, "HANDLER_FAILED")
        );
        let message = prop(&prop(&body, "error"), "message").as_string().unwrap();
        assert!(message.contains("database down"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn a_body_over_max_body_bytes_is_413_and_never_verified() {
        let len = BODY.len() as f64;
        let (opts, seen) = options(&[("maxBodyBytes", JsValue::from_f64(len - 1.0))], false);
        let (status, body) = answer(request(&BODY.into(), Some(&signature(BODY))), opts).await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (413, "PAYLOAD_TOO_LARGE")
        );
        let message = prop(&prop(&body, "error"), "message").as_string().unwrap();
        assert!(
            message.contains("maxBodyBytes") && message.contains(&format!("{}", len - 1.0)),
            "{message}"
        );
        assert_eq!(seen.length(), 0);

        // Exactly the cap fits.
        let (opts, seen) = options(&[("maxBodyBytes", JsValue::from_f64(len))], false);
        let (status, _) = answer(request(&BODY.into(), Some(&signature(BODY))), opts).await;
        assert_eq!(status, 200);
        assert_eq!(seen.length(), 1);
    }

    #[wasm_bindgen_test]
    async fn the_default_cap_is_one_mib() {
        // Unsigned: a body that is read gets 401; one over the cap gets 413 first.
        let mib = 1_048_576;
        let (status, _) = answer(
            request(&"a".repeat(mib).into(), None),
            options(&[], false).0,
        )
        .await;
        assert_eq!(status, 401);
        let (status, body) = answer(
            request(&"a".repeat(mib + 1).into(), None),
            options(&[], false).0,
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (413, "PAYLOAD_TOO_LARGE")
        );
        // As bytes, too.
        let bytes = Uint8Array::new_with_length(1_048_577);
        let (status, _) = answer(request(&bytes.into(), None), options(&[], false).0).await;
        assert_eq!(status, 413);
    }

    #[wasm_bindgen_test]
    async fn a_content_length_over_the_cap_is_413_without_reading_the_body() {
        let state = Object::new();
        let fake = js(
            "state",
            "state.reads = 0;
             return { headers: { 'Content-Length': '2000' }, body: null,
                      arrayBuffer() { state.reads++; return Promise.resolve(new ArrayBuffer(2000)); } };",
        )
        .call1(&JsValue::NULL, &state)
        .unwrap();
        let (opts, _) = options(&[("maxBodyBytes", JsValue::from_f64(1000.0))], false);
        let (status, _) = answer(fake, opts).await;
        assert_eq!(status, 413);
        assert_eq!(prop(&state, "reads"), 0, "the body was read");
    }

    #[wasm_bindgen_test]
    async fn a_body_stream_is_read_up_to_the_cap_then_cancelled() {
        // An endless stream of 100-byte chunks that says it is short: the count still stops it.
        let state = Object::new();
        let fake = js(
            "state",
            "state.pulls = 0; state.cancelled = false;
             const body = new ReadableStream({
               pull(controller) { state.pulls++; controller.enqueue(new Uint8Array(100)); },
               cancel() { state.cancelled = true; },
             }, { highWaterMark: 0 });
             return { headers: { 'content-length': '10' }, body };",
        )
        .call1(&JsValue::NULL, &state)
        .unwrap();
        let (opts, seen) = options(&[("maxBodyBytes", JsValue::from_f64(250.0))], false);
        let (status, _) = answer(fake, opts).await;
        assert_eq!(status, 413);
        let pulls = prop(&state, "pulls").as_f64().unwrap();
        assert!(
            (3.0..=4.0).contains(&pulls),
            "pulled {pulls} chunks for a cap of 250 bytes"
        );
        assert_eq!(prop(&state, "cancelled"), true);
        assert_eq!(seen.length(), 0);

        // A stream under the cap is read whole, in order, and verified.
        let make = js(
            "text",
            "const bytes = new TextEncoder().encode(text);
             const body = new ReadableStream({ start(c) {
               for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
               c.close();
             } });
             return { headers: {}, body };",
        );
        let (opts, seen) = options(&[("maxBodyBytes", JsValue::from_f64(4096.0))], false);
        let fake = make.call1(&JsValue::NULL, &BODY.into()).unwrap();
        crate::bindings::error::set(
            fake.unchecked_ref(),
            "headers",
            &js_sys::JSON::parse(&format!(r#"{{"x-signature":"{}"}}"#, signature(BODY))).unwrap(),
        );
        let (status, _) = answer(fake, opts).await;
        assert_eq!(status, 200);
        assert_eq!(prop(&seen.get(0), "text"), "Hi");
    }

    #[wasm_bindgen_test]
    async fn max_body_bytes_must_be_a_whole_number_of_bytes() {
        let bad = [
            JsValue::from_f64(0.0),
            JsValue::from_f64(-1.0),
            JsValue::from_f64(1.5),
            JsValue::from_f64(f64::NAN),
            JsValue::from_f64(f64::INFINITY),
            JsValue::from_str("1mb"),
        ];
        for value in bad {
            let (opts, _) = options(&[("maxBodyBytes", value.clone())], false);
            let answer = handle_webhook(request(&BODY.into(), Some(&signature(BODY))), opts);
            let err: JsValue = match JsFuture::from(answer).await {
                Ok(_) => panic!("maxBodyBytes {value:?} was accepted"),
                Err(err) => err,
            };
            assert_eq!(prop(&err, "code"), "INVALID_ARGUMENT");
            let message = prop(&err, "message").as_string().unwrap();
            assert!(message.contains("maxBodyBytes"), "{message}");
        }
    }
}
