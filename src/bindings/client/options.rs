//! `new Sendexa(options)` and the per-call options: read from JavaScript, checked, and turned into
//! the core's [`Config`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::super::convert::{check_options, invalid_argument, opt_function, prop};
use super::super::error::set;
use super::super::stores::{limits_from, MemoryWindowStore};
use crate::engine::client::call::{Config, Limiting, WindowSource};
use crate::engine::client::endpoint::{self, ResendStyle};
use crate::engine::client::limiter::RateLimiter as CoreLimiter;
use crate::engine::client::retry::RetryPolicy;
use crate::engine::client::{RESPONSE_MAX_DEFAULT, RESPONSE_MAX_MAX, RESPONSE_MAX_MIN};
use crate::engine::{options, Error};

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

pub(super) fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// The most characters any string option takes (a token is the longest): longer strings are
/// refused before they are copied into wasm memory, which never shrinks.
const OPTION_STRING_MAX: usize = endpoint::AUTHORIZATION_MAX;

/// Whether `v` is a string too long for any option or id: more UTF-16 units than `max`
/// characters can take. Read from JavaScript, without copying the string.
pub(super) fn too_long(v: &JsValue, max: usize) -> bool {
    v.dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| s.length() as usize > max.saturating_mul(2))
}

/// An optional string option.
pub(super) fn opt_string(options: &JsValue, key: &str) -> Result<Option<String>, Error> {
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
pub(super) fn opt_number(
    options: &JsValue,
    key: &str,
    min: f64,
    max: f64,
) -> Result<Option<f64>, Error> {
    let v = prop(options, key);
    if is_absent(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= min && n <= max => Ok(Some(n)),
        // The bounds are whole numbers: printed as integers (no float formatting in the .wasm).
        _ => Err(invalid_argument(format!(
            "options.{key} must be a number from {} to {}",
            min as i64, max as i64
        ))),
    }
}

/// A bulk call's `options.concurrency`, by the one rule of [`options::concurrency`].
pub(super) fn opt_concurrency(options: &JsValue) -> Result<u32, Error> {
    let v = prop(options, "concurrency");
    if is_absent(&v) {
        return options::concurrency(None);
    }
    options::concurrency(Some(v.as_f64().unwrap_or(f64::NAN)))
}

pub(super) fn opt_bool(options: &JsValue, key: &str) -> Result<Option<bool>, Error> {
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
pub(super) fn in_browser() -> bool {
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

/// The caller's `AbortSignal` from per-call options (`undefined` when none), checked for shape.
pub(super) fn signal_of(options: &JsValue) -> Result<JsValue, Error> {
    let signal = prop(options, "signal");
    if is_absent(&signal) {
        return Ok(JsValue::UNDEFINED);
    }
    if !prop(&signal, "addEventListener").is_function() {
        return Err(invalid_argument("options.signal must be an AbortSignal"));
    }
    Ok(signal)
}

/// A client's settings, read from `new Sendexa(options)`.
pub(super) struct Settings {
    pub base_url: Rc<str>,
    pub config: Rc<Config>,
    /// What the driver shares between calls: `{ fetch, limiter, window, authorization,
    /// timeoutMs, maxBytes }` (see driver.js).
    pub io: JsValue,
    /// The window store as JavaScript sees it (`windowStore`), or `undefined`.
    pub window_store: JsValue,
    pub resend_style: ResendStyle,
    pub default_region: Option<String>,
}

/// Reads and checks every option of `new Sendexa(options)`.
pub(super) fn settings(options: &JsValue) -> Result<Settings, Error> {
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
    // The credentials after any "Basic " prefixes (str::trim_start_matches with a string pattern
    // would bring core's substring searcher into the .wasm: see engine::text).
    let mut credentials = authorization.as_str();
    while let Some(rest) = credentials.strip_prefix("Basic ") {
        credentials = rest;
    }
    secrets.push(credentials.to_string());

    let base_url = endpoint::base_url(
        opt_string(options, "baseUrl")?
            .as_deref()
            .unwrap_or(endpoint::DEFAULT_BASE_URL),
    )?;
    let timeout_ms = opt_number(options, "timeoutMs", 1.0, 2_147_483_647.0)?.unwrap_or(30_000.0);
    let policy = retry_policy(options)?;
    let fetch = match prop(options, "fetch") {
        f if is_absent(&f) => JsValue::UNDEFINED,
        f => f
            .dyn_into::<Function>()
            .map_err(|_| invalid_argument("options.fetch must be a function"))?
            .into(),
    };
    let (limiting, limiter_js) = limiter(options)?;
    let (window, window_store, custom_window) = window(options)?;
    let max_response_bytes = opt_whole(
        options,
        "maxResponseBytes",
        RESPONSE_MAX_MIN as u64,
        RESPONSE_MAX_MAX as u64,
    )?
    .map_or(RESPONSE_MAX_DEFAULT, |n| n as usize);
    let resend_style = match opt_string(options, "resendStyle")?.as_deref() {
        None | Some("body") => ResendStyle::Body,
        Some("path") => ResendStyle::Path,
        Some(_) => {
            return Err(invalid_argument(
                "options.resendStyle must be \"body\" or \"path\"",
            ))
        }
    };
    let io = Object::new();
    set(&io, "fetch", &fetch);
    set(&io, "limiter", &limiter_js);
    set(&io, "window", &custom_window);
    set(&io, "authorization", &JsValue::from_str(&authorization));
    set(&io, "timeoutMs", &JsValue::from_f64(timeout_ms));
    set(
        &io,
        "maxBytes",
        &JsValue::from_f64(max_response_bytes as f64),
    );
    let config = Config {
        policy,
        // Whole milliseconds, for the timeout's message.
        timeout_ms: timeout_ms.ceil() as u64,
        max_response_bytes,
        limiting,
        window,
        strict_window: opt_bool(options, "strictWindow")?.unwrap_or(false),
        secrets,
    };
    Ok(Settings {
        base_url: base_url.into(),
        config: Rc::new(config),
        io: io.into(),
        window_store,
        resend_style,
        default_region: opt_string(options, "defaultRegion")?,
    })
}

/// A whole-number option within `[min, max]`.
fn opt_whole(options: &JsValue, key: &str, min: u64, max: u64) -> Result<Option<u64>, Error> {
    match opt_number(options, key, min as f64, max as f64)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 => Ok(Some(n as u64)),
        Some(_) => Err(invalid_argument(format!(
            "options.{key} must be a whole number from {min} to {max}"
        ))),
    }
}

/// `maxRetries` and `retry`.
fn retry_policy(options: &JsValue) -> Result<RetryPolicy, Error> {
    let mut policy = RetryPolicy::default();
    if let Some(n) = opt_whole(options, "maxRetries", 0, 10)? {
        policy.max_retries = n as u32;
    }
    let retry = prop(options, "retry");
    if is_absent(&retry) {
        return Ok(policy);
    }
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
    Ok(policy)
}

/// `rateLimit`: off, the built-in limiter, or a user's (also given to the driver).
fn limiter(options: &JsValue) -> Result<(Limiting, JsValue), Error> {
    let v = prop(options, "rateLimit");
    if v.as_bool() == Some(false) {
        return Ok((Limiting::Off, JsValue::UNDEFINED));
    }
    if prop(&v, "acquire").is_function() {
        opt_function(&v, "report").map_err(|_| {
            invalid_argument("options.rateLimit.report must be a function when given")
        })?;
        return Ok((Limiting::Custom, v));
    }
    let limiter = CoreLimiter::new(limits_from(&v)?);
    Ok((
        Limiting::Builtin(Rc::new(RefCell::new(limiter))),
        JsValue::UNDEFINED,
    ))
}

/// `window`: off, a new `MemoryWindowStore`, or a user's store. Also the store as JavaScript sees
/// it, and the one the driver reads (a user's).
fn window(options: &JsValue) -> Result<(WindowSource, JsValue, JsValue), Error> {
    let v = prop(options, "window");
    if v.as_bool() == Some(false) {
        return Ok((WindowSource::Off, JsValue::UNDEFINED, JsValue::UNDEFINED));
    }
    if is_absent(&v) {
        let store = MemoryWindowStore::new();
        let book = store.book.clone();
        return Ok((
            WindowSource::Memory(book),
            JsValue::from(store),
            JsValue::UNDEFINED,
        ));
    }
    if prop(&v, "get").is_function() && prop(&v, "set").is_function() {
        return Ok((WindowSource::Custom, v.clone(), v));
    }
    Err(invalid_argument("options.window must be a window store with get(phone) and set(phone, ms), such as a MemoryWindowStore or a Map, or false"))
}
