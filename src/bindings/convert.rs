//! Conversions between JavaScript values and the core's types, shared by every export.

use crate::engine::text::contains;
use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::json::{self, Value};
use crate::engine::Error;

/// `obj[key]`, or `undefined` when `obj` is not an object or the getter throws.
pub(crate) fn prop(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The bytes of a string (UTF-8), `Uint8Array`, `ArrayBuffer` or other typed-array view; `None`
/// for anything else.
#[cfg(feature = "webhooks")]
pub(crate) fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    use js_sys::{ArrayBuffer, Uint8Array};
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

/// The options contract ([`crate::engine::options`]) for an options argument of `what`:
/// `undefined` and `null` are no options; anything but a plain object is `INVALID_ARGUMENT`, and
/// so is an own key not in `valid` (naming it and the nearest valid key).
pub(crate) fn check_options(options: &JsValue, what: &str, valid: &[&str]) -> Result<(), Error> {
    if options.is_undefined() || options.is_null() {
        return Ok(());
    }
    let Some(object) = options
        .dyn_ref::<js_sys::Object>()
        .filter(|_| options.is_object())
    else {
        return Err(invalid_argument(format!(
            "the options of {what} must be an object, not {}",
            type_name(options)
        )));
    };
    // One copy of all the keys (objects.js), not a crossing per key.
    let keys = super::objects::own_keys(object).map_err(|_| {
        invalid_argument(format!(
            "the options of {what} could not be read: listing their keys threw"
        ))
    })?;
    crate::engine::options::check_keys(keys.iter(), what, valid)
}

/// `options[key]` when it is a function; `None` when absent (`undefined` or `null`); else
/// `INVALID_ARGUMENT` (`options.onProgress must be a function, not a string`), the same refusal
/// for every callback.
#[cfg(any(feature = "client", feature = "webhooks"))]
pub(crate) fn opt_function(
    options: &JsValue,
    key: &str,
) -> Result<Option<js_sys::Function>, Error> {
    let value = prop(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.dyn_into::<js_sys::Function>().map(Some).map_err(|v| {
        crate::engine::options::not_a_function(&format!("options.{key}"), &type_name(&v))
    })
}

/// How an error message names a value's kind: `a string`, `a number`, `an array`, `null`, ….
pub(crate) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if Array::is_array(value) {
        return "an array".into();
    }
    match value.js_typeof().as_string().as_deref() {
        Some("object") => "an object".into(),
        Some("undefined") => "undefined".into(),
        Some(t @ ("string" | "number" | "boolean" | "bigint" | "symbol" | "function")) => {
            format!("a {t}")
        }
        Some(other) => other.to_string(),
        None => "a value".into(),
    }
}

/// An `INVALID_ARGUMENT` error: the caller passed something of the wrong kind.
pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
    Error::InvalidArgument {
        message: message.into(),
    }
}

/// A JavaScript value as core JSON, through `JSON.stringify` (which drops functions and
/// `undefined`, and makes `__proto__` keys plain data). `undefined` and `null` are `Null`.
///
/// Every failure is an `INVALID_ARGUMENT` that says what is wrong with the value: nested too
/// deeply (JSON.stringify runs out of stack long before the SDK's limit of [`json::MAX_DEPTH`]
/// matters), cyclic, holding a BigInt, a lone UTF-16 surrogate, or whatever a `toJSON` or getter
/// threw.
pub(crate) fn json_from_js(value: &JsValue, what: &str) -> Result<Value, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value).map_err(|e| Error::InvalidArgument {
        message: format!(
            "{what} cannot be read as JSON data: {}",
            stringify_failure(&e)
        ),
    })?;
    match text.as_string() {
        None => Ok(Value::Null),
        Some(text) => json::parse(&text).map_err(|e| Error::InvalidArgument {
            message: format!("{what} cannot be used: {}", parse_failure(&e)),
        }),
    }
}

/// Why `JSON.stringify` threw, in words (V8, SpiderMonkey and JavaScriptCore word it differently).
fn stringify_failure(err: &JsValue) -> String {
    let name = prop(err, "name").as_string().unwrap_or_default();
    let message = prop(err, "message")
        .as_string()
        .or_else(|| err.as_string())
        .unwrap_or_default();
    // ASCII lowering only: the engines' messages are English, and full Unicode case mapping
    // would add its tables to the .wasm.
    let lower = message.to_ascii_lowercase();
    if contains(&lower, "call stack") || contains(&lower, "recursion") {
        format!(
            "it is nested too deeply (JSON data may nest at most {} levels)",
            json::MAX_DEPTH
        )
    } else if contains(&lower, "circular") || contains(&lower, "cyclic") {
        "it is cyclic (an object contains itself)".into()
    } else if contains(&lower, "bigint") {
        "it holds a BigInt; use a number or a string".into()
    } else if contains(&lower, "string length") {
        "it is too large to serialise".into()
    } else {
        // A toJSON method or a getter threw: pass its words on, on one line and short.
        let text: String = format!("{name}: {message}")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        format!("reading it threw {text}")
    }
}

/// Why the SDK's parser refused what `JSON.stringify` wrote. Offsets into that text mean nothing
/// to the caller, so the two possible causes are named instead.
fn parse_failure(err: &json::JsonError) -> String {
    if contains(err.message, "surrogate") {
        "it contains a lone UTF-16 surrogate (text that is not valid Unicode, such as a string \
         cut in the middle of an emoji)"
            .into()
    } else if contains(err.message, "nesting") {
        format!(
            "it is nested too deeply (JSON data may nest at most {} levels)",
            json::MAX_DEPTH
        )
    } else {
        err.to_string()
    }
}

/// Core JSON as a JavaScript value, through `JSON.parse`.
pub(crate) fn json_to_js(value: &Value) -> Result<JsValue, Error> {
    JSON::parse(&value.to_json()).map_err(|_| Error::Internal {
        message: "the SDK produced JSON that JavaScript could not parse".into(),
    })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use js_sys::Object;
    use wasm_bindgen_test::*;

    /// The message of the error `json_from_js` gives for `value`.
    fn refusal(value: &JsValue) -> String {
        match json_from_js(value, "the message") {
            Err(Error::InvalidArgument { message }) => message,
            other => panic!("expected INVALID_ARGUMENT, got {other:?}"),
        }
    }

    /// `{ a: { a: … } }`, `depth` levels.
    fn nested(depth: usize) -> JsValue {
        let root = Object::new();
        let mut cur = root.clone();
        for _ in 0..depth {
            let next = Object::new();
            Reflect::set(&cur, &JsValue::from_str("a"), &next).unwrap();
            cur = next;
        }
        root.into()
    }

    #[wasm_bindgen_test]
    fn refusals_say_what_is_wrong() {
        // Deeper than JSON.stringify's stack, and deeper than the parser's limit only.
        for depth in [100_000, json::MAX_DEPTH + 1] {
            let m = refusal(&nested(depth));
            assert!(
                m.contains("nested too deeply") && m.contains("64"),
                "{depth}: {m}"
            );
        }
        assert!(json_from_js(&nested(json::MAX_DEPTH - 1), "x").is_ok());

        let cyclic = Object::new();
        Reflect::set(&cyclic, &JsValue::from_str("self"), &cyclic).unwrap();
        assert!(refusal(&cyclic).contains("cyclic"), "{}", refusal(&cyclic));

        let big = Object::new();
        Reflect::set(
            &big,
            &JsValue::from_str("n"),
            &js_sys::BigInt::from(7u32).into(),
        )
        .unwrap();
        assert!(refusal(&big).contains("BigInt"), "{}", refusal(&big));

        let lone: JsValue = js_sys::JsString::from_char_code1(0xD800).into();
        let m = refusal(&lone);
        assert!(
            m.contains("lone UTF-16 surrogate") && !m.contains("byte"),
            "{m}"
        );

        // A getter that throws: its words are passed on.
        let getter = js_sys::Function::new_no_args("throw new TypeError('no access\\nhere')");
        let obj = Object::new();
        let desc = Object::new();
        Reflect::set(&desc, &JsValue::from_str("get"), &getter).unwrap();
        Reflect::set(&desc, &JsValue::from_str("enumerable"), &JsValue::TRUE).unwrap();
        Object::define_property(&obj, &JsValue::from_str("x"), &desc);
        let m = refusal(&obj.into());
        assert!(m.contains("TypeError: no accesshere"), "{m}");
    }
}
