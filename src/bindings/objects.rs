//! The JavaScript half of the hot exports (`objects.js`): result objects assembled in one call on
//! the JavaScript side, around strings the caller passed in, instead of a crossing per property.

use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    /// The UTF-16 length of `value` when it is a well-formed string, else -1 (nothing is copied into
    /// wasm).
    #[wasm_bindgen(js_name = stringLength)]
    pub(crate) fn string_length(value: &JsValue) -> i32;

    /// `{ to, type: "text", text: { body } }` around the caller's `body`.
    #[wasm_bindgen(js_name = textMessageObject)]
    pub(crate) fn text_message_object(to: &str, body: &JsValue) -> JsValue;

    /// `[text, lengths]`: every string of `inputs` concatenated, and per input its UTF-16 length
    /// (-1: not a string).
    #[wasm_bindgen(js_name = joinStrings)]
    pub(crate) fn join_strings(inputs: &Array) -> Array;

    /// `validatePhones`' entries: see `objects.js` for the encoding.
    #[wasm_bindgen(js_name = phoneValidations)]
    pub(crate) fn phone_validations(
        inputs: &Array,
        lengths: &[u8],
        digits: &str,
        names: &[u16],
        table: &str,
    ) -> Array;
}
