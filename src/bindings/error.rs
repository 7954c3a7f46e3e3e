//! Turns [`engine::Error`](crate::engine::Error) into the JavaScript `SendexaError`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::engine::{Error, Issue};

#[wasm_bindgen(module = "/src/bindings/sendexa-error.js")]
extern "C" {
    /// The JavaScript class `SendexaError extends Error`.
    #[wasm_bindgen(extends = js_sys::Error)]
    pub type SendexaError;

    #[wasm_bindgen(constructor)]
    fn new(message: &str, options: &Object) -> SendexaError;
}

/// Sets `target[key] = value`. Setting a property on a fresh plain object cannot fail, so the
/// result is ignored rather than unwrapped (a panic would kill the module instance).
pub(crate) fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn issue_to_js(issue: &Issue) -> JsValue {
    let obj = Object::new();
    set(&obj, "path", &JsValue::from_str(&issue.path));
    set(&obj, "code", &JsValue::from_str(issue.code));
    set(&obj, "message", &JsValue::from_str(&issue.message));
    if let Some(limit) = issue.limit {
        set(&obj, "limit", &JsValue::from_f64(limit as f64));
    }
    obj.into()
}

/// Builds the `SendexaError` for `err`.
pub fn to_js_error(err: &Error) -> SendexaError {
    let options = Object::new();
    set(&options, "code", &JsValue::from_str(err.code()));
    if let Some(status) = err.status() {
        set(&options, "status", &JsValue::from_f64(f64::from(status)));
    }
    if let Some(request_id) = err.request_id() {
        set(&options, "requestId", &JsValue::from_str(request_id));
    }
    if let Some(retry_after) = err.retry_after() {
        set(&options, "retryAfter", &JsValue::from_f64(retry_after));
    }
    if let Some(reason) = err.reason() {
        set(&options, "reason", &JsValue::from_str(reason));
    }
    let issues: Array = err.issues().iter().map(issue_to_js).collect();
    set(&options, "issues", &issues);
    let js = SendexaError::new(&err.to_string(), &options);
    if let Some(body) = err.body() {
        // The API's whole error body, for fields the SDK does not read (`details`, …).
        if let Ok(body) = crate::bindings::convert::json_to_js(body) {
            set(&js, "body", &body);
        }
    }
    js
}

/// The `Err` side of every export: `Result<T, ThrownError>` makes wasm-bindgen throw the `SendexaError`.
pub struct ThrownError(SendexaError);

impl From<Error> for ThrownError {
    fn from(err: Error) -> Self {
        ThrownError(to_js_error(&err))
    }
}

impl From<ThrownError> for JsValue {
    fn from(err: ThrownError) -> Self {
        err.0.into()
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::engine::phone::{PhoneError, PhoneErrorReason};
    use crate::engine::ApiError;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    fn get(value: &JsValue, key: &str) -> JsValue {
        Reflect::get(value, &JsValue::from_str(key)).unwrap()
    }

    #[wasm_bindgen_test]
    fn validation_errors_become_sendexa_errors_with_every_issue() {
        let err = Error::InvalidMessage {
            issues: vec![
                Issue::new("to", "REQUIRED", "to is required"),
                Issue::new("text.body", "TOO_LONG", "text.body is too long").with_limit(4096),
            ],
        };
        let js: JsValue = to_js_error(&err).into();
        assert!(js.is_instance_of::<SendexaError>());
        assert!(js.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&js, "name"), "SendexaError");
        assert_eq!(get(&js, "code"), "INVALID_MESSAGE");
        assert_eq!(get(&js, "message").as_string().unwrap(), err.to_string());
        assert!(get(&js, "status").is_undefined());
        let issues: Array = get(&js, "issues").dyn_into().unwrap();
        assert_eq!(issues.length(), 2);
        assert_eq!(get(&issues.get(1), "path"), "text.body");
        assert_eq!(get(&issues.get(1), "limit"), 4096.0);
        assert!(get(&issues.get(0), "limit").is_undefined());
    }

    #[wasm_bindgen_test]
    fn api_errors_carry_status_request_id_and_retry_after() {
        let err: Error = ApiError {
            request_id: Some("req_9".into()),
            retry_after: Some(1.5),
            ..ApiError::new(429, "RATE_LIMITED", "slow down")
        }
        .into();
        let js: JsValue = to_js_error(&err).into();
        assert_eq!(get(&js, "code"), "RATE_LIMITED");
        assert_eq!(get(&js, "status"), 429.0);
        assert_eq!(get(&js, "requestId"), "req_9");
        assert_eq!(get(&js, "retryAfter"), 1.5);
    }

    #[wasm_bindgen_test]
    fn phone_errors_are_wa001_with_a_reason() {
        let err: Error = PhoneError::new(PhoneErrorReason::TooShort, "too short").into();
        let js: JsValue = JsValue::from(ThrownError::from(err));
        assert_eq!(get(&js, "code"), "WA001");
        assert_eq!(get(&js, "reason"), "TOO_SHORT");
    }
}
