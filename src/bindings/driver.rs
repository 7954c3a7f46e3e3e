//! The client's machines handed to their JavaScript driver (`driver.js`), which owns `fetch`,
//! timers, `AbortSignal` and promises. This module only converts: a [`Machine`] becomes a
//! JavaScript function `machine(input, a, b, t) → [step, …values]`, the driver's reports become
//! [`Input`]s, and [`Step`]s become arrays. No Rust future is involved.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::json_to_js;
use super::error::set;
use super::error::ThrownError;
use crate::engine::client::call::{Failure, Input, Machine, Step};
use crate::engine::client::response::{Headers, RateInfo, Response};
use crate::engine::Error;

#[wasm_bindgen(module = "/src/bindings/driver.js")]
extern "C" {
    /// Runs a machine to its end (see driver.js).
    #[wasm_bindgen(js_name = drive)]
    fn drive_js(machine: &JsValue, client: &JsValue, signal: &JsValue) -> Promise;
    /// Runs `start(i)` for `i` in `0..count`, `concurrency` at a time; see driver.js.
    #[wasm_bindgen(js_name = each)]
    pub(crate) fn each(
        count: u32,
        concurrency: u32,
        start: &JsValue,
        settled: &JsValue,
        finish: &JsValue,
    ) -> Promise;
    /// `previous.then(start, start)`, or `start()` when there is no previous.
    #[wasm_bindgen(js_name = after)]
    pub(crate) fn after(previous: &JsValue, start: &JsValue) -> Promise;
    /// Waits `ms` (abortable); on an abort calls `give_back` and rejects with `error`.
    #[wasm_bindgen(js_name = waitForSlot)]
    pub(crate) fn wait_for_slot(
        ms: f64,
        signal: &JsValue,
        give_back: &JsValue,
        error: &JsValue,
    ) -> Promise;
}

// The step and input codes, shared with driver.js.
const FETCH: u32 = 0;
const WAIT: u32 = 1;
const ACQUIRE: u32 = 2;
const READ_WINDOW: u32 = 3;
const REPORT: u32 = 4;
const DONE: u32 = 5;
const FAIL: u32 = 6;

const GO: u32 = 0;
const WINDOW: u32 = 1;
const ACQUIRED: u32 = 2;
const ACQUIRE_FAILED: u32 = 3;
const SLEPT: u32 = 4;
const ANSWER: u32 = 5;
const TIMEOUT: u32 = 6;
const ABORTED_IN_FLIGHT: u32 = 7;
const NETWORK: u32 = 8;
const TOO_LARGE: u32 = 9;

/// Runs `machine` with the client's shared I/O settings (`client`: see driver.js) and the
/// call's `signal`: a Promise of the result, or rejected with the `SendexaError`.
pub(crate) fn drive(
    machine: impl Machine + 'static,
    base_url: std::rc::Rc<str>,
    client: &JsValue,
    signal: &JsValue,
) -> Promise {
    drive_js(&into_function(machine, base_url), client, signal)
}

/// The machine as the function the driver calls. Once it has given its last step it holds
/// nothing; the function itself is freed when JavaScript collects it.
fn into_function(machine: impl Machine + 'static, base_url: std::rc::Rc<str>) -> JsValue {
    let mut machine = Some(machine);
    let step = move |input: u32, a: JsValue, b: JsValue, t: f64| -> Array {
        let Some(m) = machine.as_mut() else {
            return step_to_js(Step::Fail(Error::Internal {
                message: "the call had already ended".into(),
            }));
        };
        let step = m.step(
            input_from(input, a, b, t),
            js_sys::Date::now(),
            js_sys::Math::random(),
        );
        if let Step::Fetch = step {
            let mut fetch: Option<Array> = None;
            m.with_request(&mut |request| {
                let out = Array::new();
                out.push(&JsValue::from(FETCH));
                out.push(&JsValue::from_str(request.method().as_str()));
                out.push(&JsValue::from_str(&format!("{base_url}{}", request.path)));
                if let Some(body) = &request.body {
                    out.push(&JsValue::from_str(body));
                }
                fetch = Some(out);
            });
            if let Some(out) = fetch {
                return out;
            }
        }
        if matches!(step, Step::Done(_) | Step::Fail(_)) {
            machine = None;
        }
        step_to_js(step)
    };
    Closure::<dyn FnMut(u32, JsValue, JsValue, f64) -> Array>::new(step).into_js_value()
}

fn step_to_js(step: Step) -> Array {
    let code = |c: u32| JsValue::from(c);
    match step {
        Step::Fetch => {
            let err = Error::Internal {
                message: "the machine asked for a fetch without a request".into(),
            };
            Array::of2(&code(FAIL), &ThrownError::from(err).into())
        }
        Step::Wait(ms) => Array::of2(&code(WAIT), &JsValue::from_f64(ms)),
        Step::Acquire(key) => Array::of2(&code(ACQUIRE), &JsValue::from_str(key)),
        Step::ReadWindow(to) => Array::of2(&code(READ_WINDOW), &JsValue::from_str(&to)),
        Step::Report(key, info) => {
            Array::of3(&code(REPORT), &info_to_js(&info), &JsValue::from_str(key))
        }
        Step::Done(value) => match json_to_js(&value) {
            Ok(js) => Array::of2(&code(DONE), &js),
            Err(err) => Array::of2(&code(FAIL), &ThrownError::from(err).into()),
        },
        Step::Fail(err) => Array::of2(&code(FAIL), &ThrownError::from(err).into()),
    }
}

/// The driver's report as an [`Input`]. `a`, `b` and `t` depend on the code (see driver.js).
fn input_from(input: u32, a: JsValue, b: JsValue, t: f64) -> Input {
    let text = |v: &JsValue| v.as_string().unwrap_or_default();
    match input {
        GO => Input::Go,
        WINDOW => Input::Window(a.as_f64()),
        ACQUIRED => Input::Acquired,
        ACQUIRE_FAILED => Input::AcquireFailed(text(&a)),
        SLEPT => Input::Slept,
        ANSWER => {
            let (status, headers) = head(&a);
            Input::Answer(
                Response {
                    status,
                    headers,
                    body: body_text(&b),
                },
                t,
            )
        }
        TIMEOUT => Input::Broken(Failure::Timeout),
        ABORTED_IN_FLIGHT => Input::Broken(Failure::Aborted),
        NETWORK => Input::Broken(Failure::Network(text(&a))),
        TOO_LARGE => {
            let (status, headers) = head(&a);
            Input::Broken(Failure::TooLarge {
                status,
                request_id: headers.request_id,
            })
        }
        _ => Input::Aborted,
    }
}

/// Status and headers from the driver's `[status, x-request-id, retry-after, content-type,
/// x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-ratelimit-window]`.
fn head(a: &JsValue) -> (u16, Headers) {
    let Some(list) = a.dyn_ref::<Array>() else {
        return (0, Headers::default());
    };
    let at = |i: u32| list.get(i).as_string();
    let status = list
        .get(0)
        .as_f64()
        .map_or(0, |s| s.clamp(0.0, 999.0) as u16);
    let headers = Headers {
        request_id: at(1),
        retry_after: at(2),
        content_type: at(3),
        rate_limit: at(4),
        rate_remaining: at(5),
        rate_reset: at(6),
        rate_window: at(7),
    };
    (status, headers)
}

/// The body as `Response.text()` decodes it: UTF-8 with invalid sequences replaced and a leading
/// BOM dropped (the driver gives bytes from a stream, or a custom fetch's `text()` string).
fn body_text(b: &JsValue) -> String {
    if let Some(text) = b.as_string() {
        return text;
    }
    let Some(bytes) = b.dyn_ref::<js_sys::Uint8Array>() else {
        return String::new();
    };
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// `RateInfo` as the JavaScript object `report` receives.
fn info_to_js(info: &RateInfo) -> JsValue {
    let obj = Object::new();
    set(&obj, "status", &JsValue::from_f64(f64::from(info.status)));
    let fields = [
        ("limit", info.limit.map(|v| v as f64)),
        ("remaining", info.remaining.map(|v| v as f64)),
        ("resetMs", info.reset_ms),
        ("windowMs", info.window_ms),
        ("retryAfterMs", info.retry_after_ms),
        ("latencyMs", info.latency_ms),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            set(&obj, key, &JsValue::from_f64(v));
        }
    }
    obj.into()
}
