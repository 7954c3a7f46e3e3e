//! A hidden export for tests: an internal fault of the core, forced, reaches JavaScript as a
//! `SendexaError` with code `INTERNAL`, and the module instance keeps working afterwards.

use wasm_bindgen::prelude::*;

use super::error::ThrownError;
use crate::engine::client::bulk;

/// @internal Not part of the API: a test hook that may change or go away in any release.
/// Always throws a `SendexaError` with code `INTERNAL`.
#[doc(hidden)]
#[wasm_bindgen(js_name = __internalErrorProbe)]
pub fn internal_error_probe() -> Result<(), ThrownError> {
    // The core's check that every concurrent bulk-check request left its result, given a group
    // whose only request left none: a state no real call reaches.
    bulk::chunk_answers(vec![None])?;
    Ok(())
}

#[cfg(all(test, target_arch = "wasm32", feature = "webhooks"))]
mod tests {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::bindings::error::{set, SendexaError};
    use crate::bindings::message::validate_message;
    use crate::bindings::phone::normalize_phone;
    use crate::bindings::webhook::verify_webhook;
    use crate::engine::webhook::signature::sign_hex;

    fn get(value: &JsValue, key: &str) -> JsValue {
        Reflect::get(value, &JsValue::from_str(key)).unwrap()
    }

    /// The value of an export that must not throw.
    fn ok<T>(result: Result<T, ThrownError>) -> T {
        result.map_err(JsValue::from).unwrap()
    }

    fn object(members: &[(&str, JsValue)]) -> JsValue {
        let obj = Object::new();
        for (key, value) in members {
            set(&obj, key, value);
        }
        obj.into()
    }

    #[wasm_bindgen_test]
    fn a_forced_internal_error_is_a_sendexa_error_and_the_module_keeps_working() {
        let thrown: JsValue = match internal_error_probe() {
            Ok(()) => panic!("the probe did not fail"),
            Err(err) => err.into(),
        };
        assert!(thrown.is_instance_of::<SendexaError>());
        assert!(thrown.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&thrown, "name"), "SendexaError");
        assert_eq!(get(&thrown, "code"), "INTERNAL");
        let message = get(&thrown, "message").as_string().unwrap();
        assert!(message.contains("without a result"), "{message}");
        assert!(get(&thrown, "issues").dyn_into::<js_sys::Array>().is_ok());

        // Every later call still works, the probe's included.
        for _ in 0..3 {
            assert!(internal_error_probe().is_err());
            assert_eq!(
                ok(normalize_phone(
                    JsValue::from_str("+233 24 400 0000"),
                    JsValue::UNDEFINED
                )),
                "233244000000"
            );
            let message = object(&[
                ("to", JsValue::from_str("+233 24 400 0000")),
                ("type", JsValue::from_str("text")),
                ("text", object(&[("body", JsValue::from_str("hi"))])),
            ]);
            let valid = ok(validate_message(message, None));
            assert_eq!(get(&valid, "to"), "233244000000");

            let body = r#"{"event":"message.read","status":"read"}"#;
            let secret = "whsec_probe";
            let headers = object(&[(
                "X-Signature",
                JsValue::from_str(&sign_hex(secret.as_bytes(), body.as_bytes())),
            )]);
            let options = object(&[
                ("body", JsValue::from_str(body)),
                ("headers", headers),
                ("secret", JsValue::from_str(secret)),
            ]);
            assert!(ok(verify_webhook(options)));
        }
    }
}
