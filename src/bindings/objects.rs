//! The JavaScript half of the hot exports (`objects.js`): result objects assembled in one call on
//! the JavaScript side, around strings the caller passed in, instead of a crossing per property.

use std::sync::atomic::{AtomicBool, Ordering};

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::engine::message;
use crate::engine::phone::ValidNumber;

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    /// The UTF-16 length of `value` when it is a well-formed string, else -1 (nothing is copied into
    /// wasm).
    #[wasm_bindgen(js_name = stringLength)]
    fn string_length(value: &JsValue) -> i32;

    /// Gives `objects.js` this instance's memory, which `asciiInto` and `textMessageAt` use.
    #[wasm_bindgen(js_name = shareMemory)]
    fn share_memory(memory: &JsValue);

    /// Copies `value` into wasm memory at `address` when it is a string of at most `capacity`
    /// ASCII characters, and returns its length; else -1 (and nothing is written).
    #[wasm_bindgen(js_name = asciiInto)]
    fn ascii_into(value: &JsValue, address: usize, capacity: usize) -> i32;

    /// `{ to, type: "text", text: { body } }` around the caller's `body`, `to` being the `len`
    /// ASCII digits at `address`.
    #[wasm_bindgen(js_name = textMessageAt)]
    fn text_message_at(address: usize, len: usize, body: &JsValue) -> JsValue;

    /// `listMessage`'s draft and shape for the quick path (see `objects.js`), or `undefined`.
    #[wasm_bindgen(js_name = listDraft)]
    fn list_draft(
        spec: &JsValue,
        address: usize,
        capacity: usize,
        ids_address: usize,
        ids_capacity: usize,
    ) -> JsValue;

    /// `templateMessage`'s draft and shape for the quick path (see `objects.js`), or `undefined`.
    #[wasm_bindgen(js_name = templateDraft)]
    fn template_draft(
        spec: &JsValue,
        address: usize,
        capacity: usize,
        strings_address: usize,
        strings_capacity: usize,
    ) -> JsValue;

    /// `draft` with `to` set to the `len` ASCII digits at `address`.
    #[wasm_bindgen(js_name = withRecipient)]
    fn with_recipient(draft: &JsValue, address: usize, len: usize) -> JsValue;

    /// The `len` ASCII characters at `address`, as a string.
    #[wasm_bindgen(js_name = asciiAt)]
    fn ascii_at(address: usize, len: usize) -> JsValue;

    /// `parsePhone`'s result object, the API form being the `len` ASCII digits at `address`, the
    /// first of them `country_code`'s.
    #[wasm_bindgen(js_name = parsedPhone)]
    fn parsed_phone_at(
        address: usize,
        len: usize,
        country_code: u16,
        region: &str,
        number_type: &str,
    ) -> JsValue;

    /// Every string of `inputs` joined by NULs, each input that is not a string or holds a NUL
    /// (neither can be a phone number) as an empty string.
    #[wasm_bindgen(js_name = joinStrings)]
    pub(crate) fn join_strings(inputs: &Array) -> String;

    /// The own enumerable keys of `object`, each after a NUL (`""` for none). `Err` when reading
    /// them threw (a Proxy's trap): caught here, as a throw through wasm frames would skip their
    /// clean-up.
    #[wasm_bindgen(catch, js_name = ownKeys)]
    fn own_keys_joined(object: &js_sys::Object) -> Result<String, JsValue>;

    /// The own keys of `object` whose values `JSON.stringify` drops, each after a NUL (`""` for
    /// none, or when `object` has `toJSON`). `Err` when reading them threw.
    #[wasm_bindgen(catch, js_name = droppedKeys)]
    fn dropped_keys_joined(object: &js_sys::Object) -> Result<String, JsValue>;

    /// `validatePhones`' entries: see `objects.js` for the encoding.
    #[wasm_bindgen(js_name = phoneValidations)]
    fn phone_validations_at(inputs: &Array, entries: &[u32], digits: &str) -> Array;
}

/// Own enumerable keys of an object, read in one call rather than a crossing per key: each after
/// a NUL, a NUL inside a key sent as U+2400 (objects.js `keyPart`), so every key is one part.
pub(crate) struct OwnKeys(String);

impl OwnKeys {
    /// The keys, in `Object.keys` order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\0').skip(1)
    }
}

/// The own enumerable keys of `object`; `Err` when listing them threw (a Proxy's trap).
pub(crate) fn own_keys(object: &js_sys::Object) -> Result<OwnKeys, JsValue> {
    own_keys_joined(object).map(OwnKeys)
}

/// The own keys of `object` whose values `JSON.stringify` drops (none when it has `toJSON`);
/// `Err` when reading them threw.
pub(crate) fn dropped_keys(object: &js_sys::Object) -> Result<OwnKeys, JsValue> {
    dropped_keys_joined(object).map(OwnKeys)
}

/// The longest recipient spelling the quick path copies (`"+233 (0)24 400 0000"` is 19); longer
/// or non-ASCII ones take the general path, which handles any string.
const QUICK_RECIPIENT_MAX: usize = 48;

/// `to` copied by JavaScript into `buffer` (on the caller's stack), when it is a string of at most
/// [`QUICK_RECIPIENT_MAX`] ASCII characters.
fn recipient_into<'b>(to: &JsValue, buffer: &'b mut [u8; QUICK_RECIPIENT_MAX]) -> Option<&'b str> {
    share_memory_once();
    // JavaScript writes through this address; it escapes here, so the reads below see the bytes.
    let len = ascii_into(to, buffer.as_mut_ptr() as usize, buffer.len());
    std::str::from_utf8(buffer.get(..usize::try_from(len).ok()?)?).ok()
}

/// `textMessage(to, body)`'s common call in three small crossings and no allocation: the body's
/// length is read in JavaScript (it is all a text body's rules need, and the body itself is never
/// copied), `to` is copied straight into a buffer on the stack, and the object is assembled in
/// JavaScript from the validated number. `None` when anything is not as simple (not strings, a
/// long or non-ASCII `to`) or not valid: the general path then builds the message or says why.
pub(crate) fn quick_text_message(to: &JsValue, body: &JsValue) -> Option<JsValue> {
    let body_units = usize::try_from(string_length(body)).ok()?;
    let mut input = [0u8; QUICK_RECIPIENT_MAX];
    let to = recipient_into(to, &mut input)?;
    let number = message::build::text_message_recipient(to, body_units)?;
    let digits = number.digits_str();
    Some(text_message_at(
        digits.as_ptr() as usize,
        digits.len(),
        body,
    ))
}

/// Shape words a quick path takes: a list of 10 sections and 10 rows needs 2 + 5 + 20 + 30; a
/// template of a header, a body of 20 parameters and 3 buttons, 2 + 1 + 6 + 44 + 18.
const SHAPE_WORDS: usize = 96;
/// Bytes of strings a quick path takes (a list's ten ids of up to 200 ASCII characters fit).
const SHAPE_STRING_BYTES: usize = 2048;

/// A JavaScript function that reads a builder's spec once: it writes the spec's shape and strings
/// into the two buffers (address and capacity of each) and answers the drafted message, or
/// `undefined` when the spec is not one its quick path takes.
type Draft = fn(&JsValue, usize, usize, usize, usize) -> JsValue;
/// The core's check of a shape: the recipient when the message is valid.
type ShapeCheck = fn(&str, &[u32], &str) -> Option<ValidNumber>;

/// `listMessage(to, spec)`'s common call without a JSON round trip (see [`quick_message`]).
pub(crate) fn quick_list_message(to: &JsValue, spec: &JsValue) -> Option<JsValue> {
    quick_message(to, spec, list_draft, message::build::list_message_recipient)
}

/// `templateMessage(to, spec)`'s common call without a JSON round trip (see [`quick_message`]).
pub(crate) fn quick_template_message(to: &JsValue, spec: &JsValue) -> Option<JsValue> {
    quick_message(
        to,
        spec,
        template_draft,
        message::build::template_message_recipient,
    )
}

/// A builder's common call without a JSON round trip: JavaScript (`draft`) reads the spec once,
/// writing its lengths, counts and the few strings the rules read into buffers on this stack and
/// drafting the message object around the caller's strings; the core checks the shape (`check`:
/// the builder's rules) and `to`. `None` when the spec is not plain data or not valid: the general
/// path then builds the message or says why.
fn quick_message(to: &JsValue, spec: &JsValue, draft: Draft, check: ShapeCheck) -> Option<JsValue> {
    share_memory_once();
    let mut shape = [0u32; SHAPE_WORDS];
    let mut strings = [0u8; SHAPE_STRING_BYTES];
    // JavaScript writes through these addresses; they escape here, so the reads below see it.
    let message = draft(
        spec,
        shape.as_mut_ptr() as usize,
        shape.len(),
        strings.as_mut_ptr() as usize,
        strings.len(),
    );
    if message.is_undefined() {
        return None;
    }
    let [words, string_bytes] = [shape[0] as usize, shape[1] as usize];
    let shape = shape.get(2..words.checked_add(2)?)?;
    let strings = std::str::from_utf8(strings.get(..string_bytes)?).ok()?;
    let mut input = [0u8; QUICK_RECIPIENT_MAX];
    let number = check(recipient_into(to, &mut input)?, shape, strings)?;
    let digits = number.digits_str();
    Some(with_recipient(
        &message,
        digits.as_ptr() as usize,
        digits.len(),
    ))
}

/// The API form of a valid number as a JavaScript string (`"233244000000"`), made on the
/// JavaScript side from the digits in wasm memory.
pub(crate) fn phone_digits(number: &ValidNumber) -> JsValue {
    share_memory_once();
    let digits = number.digits_str();
    ascii_at(digits.as_ptr() as usize, digits.len())
}

/// `parsePhone`'s `{ e164, digits, countryCode, nationalNumber, region, type }` for a valid number.
pub(crate) fn parsed_phone(number: &ValidNumber) -> JsValue {
    share_memory_once();
    let digits = number.digits_str();
    parsed_phone_at(
        digits.as_ptr() as usize,
        digits.len(),
        number.country_code,
        number.region,
        number.number_type.as_str(),
    )
}

/// `validatePhones`' entries, from two words per input: the address of its name (a region or a
/// reason: `&'static str`s, which `objects.js` reads from memory once each and keeps), then the
/// number of digits its API form takes in `digits` (0: invalid) `<< 8 |` the name's length.
pub(crate) fn phone_validations(inputs: &Array, entries: &[u32], digits: &str) -> Array {
    share_memory_once();
    phone_validations_at(inputs, entries, digits)
}

/// The address of a string that lives as long as the instance, as `objects.js` reads it.
pub(crate) fn static_address(name: &'static str) -> u32 {
    name.as_ptr() as u32
}

/// Shares this instance's memory with `objects.js` on first use.
fn share_memory_once() {
    static SHARED: AtomicBool = AtomicBool::new(false);
    if !SHARED.load(Ordering::Relaxed) {
        share_memory(&wasm_bindgen::memory());
        SHARED.store(true, Ordering::Relaxed);
    }
}
