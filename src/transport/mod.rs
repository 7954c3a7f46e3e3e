//! The only module that calls `fetch`, reads the clock, sleeps or draws random numbers.
//!
//! - `fetch` is the runtime's global one, looked up on `globalThis` at each call (so a fetch
//!   installed later, by a test or a polyfill, is used) and called with `this = globalThis`,
//!   never `window.fetch`: the same code runs in Node, workerd, Deno, Bun and browsers. A
//!   `fetch` passed in the client's options replaces it.
//! - Every call has a timeout: an `AbortController` whose `abort` a `setTimeout` fires, covering
//!   the headers *and* the body. A caller's `AbortSignal` aborts the same controller. The fetch
//!   is also raced against the controller's `abort` event, so a custom `fetch` that ignores
//!   `signal` still cannot hang a call.
//! - The answer is read as a stream (`response.body.getReader()`) into wasm memory, and reading
//!   stops at the call's `max_bytes`: past it (or when `Content-Length` already says so) the
//!   stream is cancelled and the call fails [`Failure::TooLarge`], so a wrong `baseUrl` or a
//!   misbehaving proxy cannot make the instance's memory, which never shrinks, grow past the cap.
//!   A `fetch` from the options whose answer has no stream is read with `text()` and its length
//!   checked before it is copied into wasm.
//! - No Rust closures cross into JavaScript: timers and listeners get the Promise's own
//!   `resolve` or the controller's bound `abort`, so nothing leaks when a call ends early.
//!
//! (Not compiled natively: `wasm_bindgen` imports only exist in wasm. The policies it serves
//! are in [`crate::core::client`]; this is exercised by the client suite in every runtime.)
//!
//! ```
//! // The transport's contract, in the core's terms: a `Response` with status, headers, body.
//! let r = sendexa_whatsapp::core::client::response::Response { status: 200, ..Default::default() };
//! assert_eq!(r.status, 200);
//! ```

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::client::response::{Headers, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The longest delay `setTimeout` honours (larger ones fire at once in every runtime).
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A uniform random number in `[0, 1)`, for jitter (not for secrets).
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Why a fetch produced no response.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The timeout fired first.
    Timeout,
    /// The caller's signal fired.
    Aborted,
    /// The runtime's own error, as text.
    Network(String),
    /// The answer was larger than the call's `max_bytes`; reading stopped there.
    TooLarge {
        /// The answer's HTTP status.
        status: u16,
        /// Its `X-Request-Id`, when it had one.
        request_id: Option<String>,
    },
}

/// One HTTP call.
pub struct Call<'a> {
    /// `GET`, `POST`, `DELETE`.
    pub method: &'static str,
    /// The full URL.
    pub url: &'a str,
    /// The `Authorization` header value.
    pub authorization: &'a str,
    /// The JSON body.
    pub body: Option<&'a str>,
    /// The timeout, in milliseconds.
    pub timeout_ms: f64,
    /// The caller's `AbortSignal`, if any.
    pub signal: Option<&'a JsValue>,
    /// The most bytes of the answer's body to read (the client's `maxResponseBytes`).
    pub max_bytes: usize,
}

/// Why an exchange ended without a response.
enum Broken {
    /// Aborted (by the timer or the caller: [`fetch`] tells which).
    Aborted,
    /// The runtime's error, as text.
    Error(String),
    /// The body was larger than the cap.
    TooLarge(u16, Option<String>),
}

impl From<Option<String>> for Broken {
    fn from(e: Option<String>) -> Self {
        e.map_or(Broken::Aborted, Broken::Error)
    }
}

/// Property names and constants, made into JavaScript strings once: every call reads a dozen
/// of them, and creating a JavaScript string from wasm memory each time was a measurable share
/// of the client's overhead.
struct Keys {
    aborted: JsValue,
    abort: JsValue,
    add_listener: JsValue,
    remove_listener: JsValue,
    fetch: JsValue,
    status: JsValue,
    headers: JsValue,
    get: JsValue,
    text: JsValue,
    method: JsValue,
    body: JsValue,
    signal: JsValue,
    authorization: JsValue,
    accept: JsValue,
    content_type: JsValue,
    json: JsValue,
    /// The response headers read, in the order of [`read_headers`].
    header_names: [JsValue; 8],
}

impl Keys {
    fn new() -> Self {
        let s = JsValue::from_str;
        Keys {
            aborted: s("aborted"),
            abort: s("abort"),
            add_listener: s("addEventListener"),
            remove_listener: s("removeEventListener"),
            fetch: s("fetch"),
            status: s("status"),
            headers: s("headers"),
            get: s("get"),
            text: s("text"),
            method: s("method"),
            body: s("body"),
            signal: s("signal"),
            authorization: s("authorization"),
            accept: s("accept"),
            content_type: s("content-type"),
            json: s("application/json"),
            header_names: [
                s("x-request-id"),
                s("retry-after"),
                s("content-type"),
                s("x-ratelimit-limit"),
                s("x-ratelimit-remaining"),
                s("x-ratelimit-reset"),
                s("x-ratelimit-window"),
                s("content-length"),
            ],
        }
    }
}

thread_local! {
    static KEYS: Keys = Keys::new();
}

fn keys<R>(f: impl FnOnce(&Keys) -> R) -> R {
    KEYS.with(f)
}

fn get(target: &JsValue, key: &JsValue) -> JsValue {
    if !target.is_object() && !target.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, key).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, key: &JsValue, value: &JsValue) {
    let _ = Reflect::set(target, key, value);
}

/// Calls `target[method](...args)`; `None` when it is not a function or it throws.
fn call(target: &JsValue, method: &JsValue, args: &[&JsValue]) -> Option<JsValue> {
    let function: Function = get(target, method).dyn_into().ok()?;
    match args {
        [] => function.call0(target).ok(),
        [a] => function.call1(target, a).ok(),
        [a, b] => function.call2(target, a, b).ok(),
        _ => {
            let args: Array = args.iter().copied().collect();
            function.apply(target, &args).ok()
        }
    }
}

/// Whether an `AbortSignal` has fired.
pub fn is_aborted(signal: Option<&JsValue>) -> bool {
    signal.is_some_and(|s| keys(|k| get(s, &k.aborted)).is_truthy())
}

/// `signal.addEventListener("abort", listener)` (or `removeEventListener`).
fn listen(signal: &JsValue, listener: &JsValue, add: bool) {
    keys(|k| {
        let method = if add {
            &k.add_listener
        } else {
            &k.remove_listener
        };
        let _ = call(signal, method, &[&k.abort, listener]);
    });
}

/// The function to use: the one from the options, else the global `fetch`.
fn fetch_function(custom: Option<&Function>) -> Result<Function, Failure> {
    if let Some(f) = custom {
        return Ok(f.clone());
    }
    keys(|k| get(&js_sys::global(), &k.fetch))
        .dyn_into()
        .map_err(|_| {
            Failure::Network(
                "this runtime has no global fetch: pass one in the client's options (fetch)".into(),
            )
        })
}

/// A promise that resolves when `signal` fires (at once if it already has).
fn when_aborted(signal: &JsValue) -> Promise {
    let signal = signal.clone();
    Promise::new(&mut |resolve, _reject| {
        if is_aborted(Some(&signal)) {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        } else {
            listen(&signal, &resolve, true);
        }
    })
}

/// Awaits `promise`; with `abort`, unless `abort` settles first. `Err(None)` for the abort,
/// `Err(Some(e))` for a rejection.
async fn settle(promise: Promise, abort: Option<&Promise>) -> Result<JsValue, Option<JsValue>> {
    let promise = match abort {
        Some(abort) => Promise::race(&Array::of2(&promise, abort)),
        None => promise,
    };
    JsFuture::from(promise).await.map_err(Some)
}

/// Sends one request and reads the whole answer (status, headers, body text).
pub async fn fetch(custom: Option<&Function>, call_spec: &Call<'_>) -> Result<Response, Failure> {
    if is_aborted(call_spec.signal) {
        return Err(Failure::Aborted);
    }
    let fetch = fetch_function(custom)?;
    let controller = web_sys::AbortController::new()
        .map_err(|_| Failure::Network("this runtime has no AbortController".into()))?;
    let signal: JsValue = controller.signal().into();
    let controller_js: JsValue = controller.into();
    let abort: Function = keys(|k| get(&controller_js, &k.abort))
        .dyn_into::<Function>()
        .map_err(|_| Failure::Network("AbortController has no abort()".into()))?
        .bind0(&controller_js);

    let timer = set_timeout(&abort, call_spec.timeout_ms.clamp(0.0, MAX_TIMER_MS));
    if let Some(caller) = call_spec.signal {
        listen(caller, &abort, true);
    }
    // The runtimes' own fetch honours `signal` for headers and body alike; a fetch passed in
    // the options might not, so only then is each step also raced against the abort.
    let aborted = custom.map(|_| when_aborted(&signal));

    let outcome = exchange(&fetch, call_spec, &signal, aborted.as_ref()).await;

    clear_timeout(&timer);
    if let Some(caller) = call_spec.signal {
        listen(caller, &abort, false);
    }
    match outcome {
        Ok(response) => Ok(response),
        Err(Broken::TooLarge(status, request_id)) => Err(Failure::TooLarge { status, request_id }),
        // Who aborted decides what it means: the caller, or the timer.
        Err(_) if is_aborted(call_spec.signal) => Err(Failure::Aborted),
        Err(_) if is_aborted(Some(&signal)) => Err(Failure::Timeout),
        Err(Broken::Error(e)) => Err(Failure::Network(e)),
        Err(Broken::Aborted) => Err(Failure::Network("the request was aborted".into())),
    }
}

/// The response headers the core reads, and the body's declared length (`Content-Length`, which
/// the transport checks against the cap before reading).
fn read_headers(response: &JsValue) -> (Headers, Option<u64>) {
    keys(|k| {
        let raw = get(response, &k.headers);
        let get_fn = get(&raw, &k.get).dyn_into::<Function>().ok();
        let read = |i: usize| -> Option<String> {
            let f = get_fn.as_ref()?;
            f.call1(&raw, k.header_names.get(i)?).ok()?.as_string()
        };
        let headers = Headers {
            request_id: read(0),
            retry_after: read(1),
            content_type: read(2),
            rate_limit: read(3),
            rate_remaining: read(4),
            rate_reset: read(5),
            rate_window: read(6),
        };
        (headers, read(7).and_then(|v| v.trim().parse::<u64>().ok()))
    })
}

/// The request and the body read.
async fn exchange(
    fetch: &Function,
    spec: &Call<'_>,
    signal: &JsValue,
    aborted: Option<&Promise>,
) -> Result<Response, Broken> {
    let init = Object::new();
    let headers = Object::new();
    keys(|k| {
        set(&init, &k.method, &JsValue::from_str(spec.method));
        set(
            &headers,
            &k.authorization,
            &JsValue::from_str(spec.authorization),
        );
        set(&headers, &k.accept, &k.json);
        if let Some(body) = spec.body {
            set(&headers, &k.content_type, &k.json);
            set(&init, &k.body, &JsValue::from_str(body));
        }
        set(&init, &k.headers, &headers);
        set(&init, &k.signal, signal);
    });

    let started = fetch
        .call2(&js_sys::global(), &JsValue::from_str(spec.url), &init)
        .map_err(|e| Broken::Error(describe(&e)))?;
    let response = settle(Promise::resolve(&started), aborted)
        .await
        .map_err(|e| Broken::from(e.map(|e| describe(&e))))?;
    let status = keys(|k| get(&response, &k.status))
        .as_f64()
        .filter(|s| (100.0..=599.0).contains(s));
    let Some(status) = status else {
        // The abort won the race (or a custom fetch gave something that is not a Response).
        return Err(if is_aborted(Some(signal)) {
            Broken::Aborted
        } else {
            Broken::Error("fetch resolved to something that is not a Response".into())
        });
    };
    let status = status as u16;
    let (headers, declared) = read_headers(&response);
    let too_large = || Broken::TooLarge(status, headers.request_id.clone());
    let body = read_body(&response, declared, spec.max_bytes, signal, aborted)
        .await
        .map_err(|e| match e {
            Read::TooLarge => too_large(),
            Read::Failed(e) => e,
        })?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Why a body was not read.
enum Read {
    TooLarge,
    Failed(Broken),
}

/// Calls `promise.catch(Boolean)`: a promise nobody awaits (a stream's `cancel()`) must not
/// reject unhandled. `Boolean` is a global that never throws, so no Rust closure is needed.
fn ignore_rejection(promise: &JsValue) {
    let noop = get(&js_sys::global(), &JsValue::from_str("Boolean"));
    let _ = call(promise, &JsValue::from_str("catch"), &[&noop]);
}

/// The body as text, at most `max` bytes of it: read from `response.body` chunk by chunk (the
/// stream is cancelled as soon as the cap is passed, or at once when `Content-Length` says it
/// will be); from `text()` when there is no stream (a custom fetch's answer), checking the
/// string's length before it is copied into wasm memory. `declared` is its `Content-Length`.
async fn read_body(
    response: &JsValue,
    declared: Option<u64>,
    max: usize,
    signal: &JsValue,
    aborted: Option<&Promise>,
) -> Result<String, Read> {
    let failed = |what: &str, e: Option<JsValue>| match e {
        Some(e) if !is_aborted(Some(signal)) => Read::Failed(Broken::Error(format!(
            "the response body could not be read: {what}{}",
            describe(&e)
        ))),
        _ => Read::Failed(Broken::Aborted),
    };
    let stream = get(response, &JsValue::from_str("body"));
    if declared.is_some_and(|n| n > max as u64) {
        if stream.is_object() {
            if let Some(p) = call(&stream, &JsValue::from_str("cancel"), &[]) {
                ignore_rejection(&p);
            }
        }
        return Err(Read::TooLarge);
    }
    let reader = if stream.is_object() {
        call(&stream, &JsValue::from_str("getReader"), &[])
    } else {
        None
    };
    let Some(reader) = reader else {
        // No stream: a `null` body (204, HEAD; `text()` is "") or a custom fetch's own object.
        let text = keys(|k| call(response, &k.text, &[]))
            .ok_or_else(|| failed("it has no text() ", None))?;
        let text = settle(Promise::resolve(&text), aborted)
            .await
            .map_err(|e| failed("", e))?;
        let Some(js) = text.dyn_ref::<js_sys::JsString>() else {
            return Err(failed("it is not text ", None));
        };
        // UTF-16 units never outnumber UTF-8 bytes: a string this long is over the cap.
        if js.length() as usize > max {
            return Err(Read::TooLarge);
        }
        let body = String::from(js);
        return if body.len() > max {
            Err(Read::TooLarge)
        } else {
            Ok(body)
        };
    };
    let mut bytes: Vec<u8> = Vec::with_capacity(declared.map_or(0, |n| n as usize).min(max));
    let (done_key, value_key) = (JsValue::from_str("done"), JsValue::from_str("value"));
    loop {
        let next = call(&reader, &JsValue::from_str("read"), &[])
            .ok_or_else(|| failed("its reader has no read() ", None))?;
        let chunk = settle(Promise::resolve(&next), aborted)
            .await
            .map_err(|e| failed("", e))?;
        if get(&chunk, &done_key).is_truthy() {
            break;
        }
        let Ok(part) = get(&chunk, &value_key).dyn_into::<js_sys::Uint8Array>() else {
            return Err(failed("a chunk is not bytes ", None));
        };
        let start = bytes.len();
        let end = start.saturating_add(part.length() as usize);
        if end > max {
            if let Some(p) = call(&reader, &JsValue::from_str("cancel"), &[]) {
                ignore_rejection(&p);
            }
            return Err(Read::TooLarge);
        }
        if end > bytes.capacity() {
            // Grow by doubling, but never past the cap: memory stays within `max`.
            let target = bytes.capacity().saturating_mul(2).max(end).min(max);
            bytes.reserve_exact(target.saturating_sub(start));
        }
        bytes.resize(end, 0);
        if let Some(slot) = bytes.get_mut(start..end) {
            part.copy_to(slot);
        }
    }
    // As `Response.text()` decodes: UTF-8, invalid sequences replaced, a leading BOM dropped.
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A runtime error as one line: its message, and its cause's (`fetch failed (other side closed)`).
pub fn describe(err: &JsValue) -> String {
    let named = |v: &JsValue, key: &str| get(v, &JsValue::from_str(key));
    let message = named(err, "message")
        .as_string()
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into());
    let cause = named(err, "cause");
    let detail = named(&cause, "message")
        .as_string()
        .or_else(|| named(&cause, "code").as_string())
        .filter(|d| !d.is_empty() && !message.contains(d.as_str()));
    let line = match detail {
        Some(detail) => format!("{message} ({detail})"),
        None => message,
    };
    line.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// Waits `ms` milliseconds; `Err(())` when `signal` fires first.
pub async fn sleep(ms: f64, signal: Option<&JsValue>) -> Result<(), ()> {
    if is_aborted(signal) {
        return Err(());
    }
    if ms.is_nan() || ms <= 0.0 {
        return Ok(());
    }
    let mut timer = JsValue::UNDEFINED;
    let mut resolver: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = set_timeout(&resolve, ms.min(MAX_TIMER_MS));
        if let Some(s) = signal {
            listen(s, &resolve, true);
        }
        resolver = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(s), Some(resolve)) = (signal, &resolver) {
        listen(s, resolve, false);
    }
    if is_aborted(signal) {
        Err(())
    } else {
        Ok(())
    }
}
