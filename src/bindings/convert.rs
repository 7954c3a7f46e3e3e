//! Conversions between JavaScript values and the core's types, shared by every export.

use js_sys::{Array, ArrayBuffer, Function, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::json::{self, Value};
use crate::core::Error;

/// `obj[key]`, or `undefined` when `obj` is not an object or the getter throws.
pub(crate) fn prop(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The bytes of a string (UTF-8), `Uint8Array`, `ArrayBuffer` or other typed-array view; `None`
/// for anything else.
pub(crate) fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = value.as_string() {
        return Some(text.into_bytes());
    }
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Some(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(buffer).to_vec());
    }
    if ArrayBuffer::is_view(value) {
        let buffer: ArrayBuffer = prop(value, "buffer").unchecked_into();
        let offset = prop(value, "byteOffset").as_f64().unwrap_or(0.0) as u32;
        let length = prop(value, "byteLength").as_f64().unwrap_or(0.0) as u32;
        return Some(Uint8Array::new_with_byte_offset_and_length(&buffer, offset, length).to_vec());
    }
    None
}

/// An `INVALID_ARGUMENT` error: the caller passed something of the wrong kind.
pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
    Error::InvalidArgument {
        message: message.into(),
    }
}

/// A JavaScript value as core JSON, through `JSON.stringify` (which drops functions and
/// `undefined`, and makes `__proto__` keys plain data). `undefined` and `null` are `Null`.
pub(crate) fn json_from_js(value: &JsValue, what: &str) -> Result<Value, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value).map_err(|_| Error::InvalidArgument {
        message: format!(
            "{what} cannot be read as JSON data: is it cyclic, or does it hold a BigInt?"
        ),
    })?;
    match text.as_string() {
        None => Ok(Value::Null),
        Some(text) => json::parse(&text).map_err(|e| Error::InvalidArgument {
            message: format!("{what} cannot be used: {e}"),
        }),
    }
}

/// Core JSON as a JavaScript value, through `JSON.parse`.
pub(crate) fn json_to_js(value: &Value) -> Result<JsValue, Error> {
    JSON::parse(&value.to_json()).map_err(|_| Error::Internal {
        message: "the SDK produced JSON that JavaScript could not parse".into(),
    })
}

/// Calls `target[method](...args)` and awaits the result when it is a promise (or a thenable),
/// for user-supplied stores and limiters whose methods may be sync or async.
pub(crate) async fn call_and_await(
    target: &JsValue,
    method: &str,
    args: &Array,
) -> Result<JsValue, JsValue> {
    let function: Function = prop(target, method)
        .dyn_into()
        .map_err(|_| JsValue::from_str(&format!("the store has no {method}() method")))?;
    let result = function.apply(target, args)?;
    if result.has_type::<Promise>() || prop(&result, "then").is_function() {
        JsFuture::from(Promise::resolve(&result)).await
    } else {
        Ok(result)
    }
}
