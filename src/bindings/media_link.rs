//! `checkMediaLink(link, { type, fetch?, signal? })`, and the same check for `send`'s
//! `preflightMedia`: a media link checked by its headers before any send spends a request on it.
//!
//! The arguments and the link are checked here, synchronously; the requests are
//! `media-link.js`'s, which hands every answer back to a Rust closure over
//! [`engine::media::preflight`](crate::engine::media::preflight) for the decision. The export returns
//! the driver's promise; for a send, the driver starts the send's own call once the check has
//! passed. No Rust future is involved.

use js_sys::{JsString, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{check_options, invalid_argument, opt_function, prop, type_name};
use super::error::{set, to_js_error, ThrownError};
use crate::engine::json::Value;
use crate::engine::media::preflight::{
    link_too_long, Answer, Failure, LinkCheck, MediaInfo, Method, Step, LINK_MAX,
};
use crate::engine::media::MediaKind;
use crate::engine::Error;

#[wasm_bindgen(typescript_custom_section)]
const MEDIA_LINK_TYPES: &'static str = r#"
export interface CheckMediaLinkOptions {
  /** The message type the file is for: its accepted Content-Types and size limit. */
  type: MediaType;
  /** Replaces the runtime's global fetch: called with `HEAD`, then maybe `GET` with `Range: bytes=0-0`. */
  fetch?: FetchLike;
  signal?: AbortSignal;
}
/** What a media link's headers say about its file. */
export interface MediaLinkInfo {
  /** The Content-Type's essence, lowercase, without parameters (`"image/jpeg"`). */
  mimeType: string;
  /** Bytes, from Content-Length (or Content-Range's total); `null` when the server gives no length. */
  size: number | null;
}
"#;

#[wasm_bindgen(module = "/src/bindings/media-link.js")]
extern "C" {
    /// Runs the requests, asking `decide` after each answer; the promise settles as `decide` says,
    /// or, given `then`, as `then()`'s promise once the check has passed.
    #[wasm_bindgen(js_name = driveMediaLinkCheck)]
    fn drive(
        decide: &JsValue,
        link: &str,
        fetch: &JsValue,
        signal: &JsValue,
        timeout_ms: f64,
        then: &JsValue,
    ) -> Promise;
}

/// The options `checkMediaLink` takes.
const OPTIONS: [&str; 3] = ["type", "fetch", "signal"];

/// The standalone check's time limit, both requests included: the client's default `timeoutMs`.
/// (`send`'s `preflightMedia` uses the client's `timeoutMs`.)
const TIMEOUT_MS: f64 = 30_000.0;

/// Checks a media link before any send spends a request on it, by its headers only: a `HEAD`
/// (then a `GET` of the first byte when the HEAD is refused or says too little). The link must be
/// public HTTPS, answer 2xx, with a Content-Type `type` accepts and a size within its limit.
/// Resolves to `{ mimeType, size }`; rejects with `INVALID_MEDIA` listing the issues,
/// `INVALID_ARGUMENT` for bad options, `NETWORK`, `TIMEOUT` (30 s) or `ABORTED`.
#[wasm_bindgen(js_name = checkMediaLink, unchecked_return_type = "Promise<MediaLinkInfo>")]
pub fn check_media_link(
    #[wasm_bindgen(unchecked_param_type = "string")] link: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckMediaLinkOptions")] options: JsValue,
) -> Promise {
    match start_export(&link, &options) {
        Ok(promise) => promise,
        Err(err) => Promise::reject(&JsValue::from(ThrownError::from(err))),
    }
}

fn start_export(link: &JsValue, options: &JsValue) -> Result<Promise, Error> {
    check_options(options, "checkMediaLink", &OPTIONS)?;
    let kind = match prop(options, "type") {
        v if v.is_undefined() || v.is_null() => {
            return Err(invalid_argument(
                "checkMediaLink(link, { type }) needs options.type: image, video, audio, document or sticker",
            ))
        }
        v => v.as_string().and_then(|t| MediaKind::parse(&t)).ok_or_else(|| {
            invalid_argument("options.type must be image, video, audio, document or sticker")
        })?,
    };
    let fetch = opt_function(options, "fetch")?.map_or(JsValue::UNDEFINED, JsValue::from);
    let signal = signal_of(options)?;
    let link = link_text(link)?;
    let check = LinkCheck::new(&link, kind, false)?;
    Ok(start(
        check,
        &fetch,
        &signal,
        TIMEOUT_MS,
        &JsValue::UNDEFINED,
    ))
}

/// The link argument as text: a string, refused before it is copied when it cannot be within
/// [`LINK_MAX`] characters.
fn link_text(link: &JsValue) -> Result<String, Error> {
    let Some(text) = link.dyn_ref::<JsString>() else {
        return Err(invalid_argument(format!(
            "checkMediaLink takes the link as a string, not {}",
            type_name(link)
        )));
    };
    if text.length() as usize > LINK_MAX.saturating_mul(2) {
        // More UTF-16 units than LINK_MAX characters can take: refused uncopied.
        return Err(link_too_long());
    }
    Ok(String::from(text))
}

/// `options.signal` (`undefined` when none): an `AbortSignal` (anything with `addEventListener`).
fn signal_of(options: &JsValue) -> Result<JsValue, Error> {
    let signal = prop(options, "signal");
    if signal.is_undefined() || signal.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !prop(&signal, "addEventListener").is_function() {
        return Err(invalid_argument("options.signal must be an AbortSignal"));
    }
    Ok(signal)
}

/// Starts the requests for `check` with `fetch` (a function, or `undefined` for the global one)
/// and `signal` (or `undefined`). The promise resolves to `{ mimeType, size }` — or, when `then`
/// is a function, to what `then()` returns once the check has passed — or rejects with the
/// `SendexaError`.
fn start(
    check: LinkCheck,
    fetch: &JsValue,
    signal: &JsValue,
    timeout_ms: f64,
    then: &JsValue,
) -> Promise {
    let link = check.link().to_string();
    // `decide(input, status, text)`: `text` is an answer's Content-Type, Content-Length,
    // Content-Range and URL joined by newlines (which no header value nor URL holds), or a
    // network failure's words. Returns the result, `undefined` to ask for the first byte, or the
    // SendexaError for the driver to throw.
    let decide = Closure::<dyn FnMut(u32, u16, String) -> JsValue>::new(
        move |input: u32, status: u16, text: String| {
            let mut headers = text.split('\n').map(|h| Some(h).filter(|h| !h.is_empty()));
            let mut next = || headers.next().flatten();
            let step = match input {
                HEAD | RANGE => check.answer(
                    if input == HEAD {
                        Method::Head
                    } else {
                        Method::Range
                    },
                    &Answer {
                        status,
                        content_type: next(),
                        content_length: next(),
                        content_range: next(),
                        url: next(),
                    },
                ),
                NETWORK => Err(check.failure(Failure::Network(&text))),
                TIMEOUT => Err(check.failure(Failure::Timeout(timeout_ms.ceil() as u64))),
                _ => Err(check.failure(Failure::Aborted)),
            };
            match step {
                Ok(Step::Done(info)) => info_to_js(&info),
                // The core asks again only after a HEAD; the driver asks only once more.
                Ok(Step::AskRange) => JsValue::UNDEFINED,
                Err(err) => to_js_error(&err).into(),
            }
        },
    );
    // The JavaScript function owns the closure from here: freed when it is garbage-collected.
    drive(
        &decide.into_js_value(),
        &link,
        fetch,
        signal,
        timeout_ms,
        then,
    )
}

// `decide`'s inputs (media-link.js names them alike).
const HEAD: u32 = 0;
const RANGE: u32 = 1;
const NETWORK: u32 = 2;
const TIMEOUT: u32 = 3;

/// `{ mimeType, size }`.
fn info_to_js(info: &MediaInfo) -> JsValue {
    let obj = Object::new();
    set(&obj, "mimeType", &JsValue::from_str(&info.mime_type));
    let size = info
        .size
        .map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64));
    set(&obj, "size", &size);
    obj.into()
}

/// `send`'s `preflightMedia`: the check of a media message's `link`; `None` for any other message
/// (and for media sent by `id`). Loopback links pass only with `allow_loopback` (the client's
/// `baseUrl` is loopback). A link that fails before any request is the error here.
pub(crate) fn preflight(message: &Value, allow_loopback: bool) -> Result<Option<LinkCheck>, Error> {
    let Some(kind) = message
        .get("type")
        .and_then(Value::as_str)
        .and_then(MediaKind::parse)
    else {
        return Ok(None);
    };
    let Some(link) = message
        .get(kind.as_str())
        .and_then(|media| media.get("link"))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    LinkCheck::new(link, kind, allow_loopback).map(Some)
}

/// Runs `check` (with the client's `fetch`, the call's `signal` and the client's timeout), then
/// `next` — the send's own call — once it has passed: the promise of `next`'s result, or rejected
/// with the check's `SendexaError` (and `next` never runs).
pub(crate) fn then_send(
    check: LinkCheck,
    fetch: &JsValue,
    signal: &JsValue,
    timeout_ms: f64,
    next: impl FnOnce() -> Promise + 'static,
) -> Promise {
    // Freed when JavaScript collects it, whether or not it ran.
    let next = Closure::once(move || JsValue::from(next())).into_js_value();
    start(check, fetch, signal, timeout_ms, &next)
}
