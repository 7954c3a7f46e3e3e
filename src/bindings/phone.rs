//! `normalizePhone`, `parsePhone`, `isValidPhone`, `validatePhones`: the JavaScript face of
//! [`engine::phone`](crate::engine::phone).
//!
//! Arguments arrive as `JsValue` and are checked here, so a wrong type is a `SendexaError`:
//! a non-string `input` is `WA001` with reason `NOT_A_NUMBER` (it cannot be a phone number; in
//! `validatePhones` it is one invalid entry, not a throw), a `defaultRegion` that is neither a
//! string nor `undefined`/`null` is `INVALID_ARGUMENT`.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::error::ThrownError;
use super::objects;
use crate::engine::phone::{self, PhoneError, PhoneErrorReason, ValidNumber};
use crate::engine::Error;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Why a phone number was rejected (`SendexaError.reason` when `code` is `"WA001"`). */
export type PhoneErrorReason =
  | "NOT_A_NUMBER" | "INVALID_COUNTRY_CODE" | "TOO_SHORT" | "TOO_LONG" | "INVALID_LENGTH" | "INVALID_FOR_REGION";

/** The kind of line, from libphonenumber's metadata. */
export type PhoneNumberType =
  | "FIXED_LINE" | "MOBILE" | "FIXED_LINE_OR_MOBILE" | "TOLL_FREE" | "PREMIUM_RATE" | "SHARED_COST"
  | "VOIP" | "PERSONAL_NUMBER" | "PAGER" | "UAN" | "VOICEMAIL";

/** A valid phone number, as `parsePhone` returns it. */
export interface ParsedPhone {
  /** `"+233244000000"` */
  e164: string;
  /** Country code and national number, the API form: `"233244000000"` */
  digits: string;
  /** `233` */
  countryCode: number;
  /** The national significant number, without trunk prefix: `"244000000"` */
  nationalNumber: string;
  /** ISO 3166 region (`"GH"`), or `"001"` for non-geographic codes such as +800. */
  region: string;
  /** The kind of line, when the metadata tells. */
  type?: PhoneNumberType;
}

/** One entry of `validatePhones`, in input order. */
export interface PhoneValidation {
  /** The input as given. */
  input: unknown;
  valid: boolean;
  /** The API form, when valid. */
  digits?: string;
  /** The E.164 form, when valid. */
  e164?: string;
  /** The region, when valid. */
  region?: string;
  /** Why not, when invalid. */
  reason?: PhoneErrorReason;
}
"#;

fn region_arg(default_region: &JsValue) -> Result<Option<String>, Error> {
    match default_region {
        v if v.is_undefined() || v.is_null() => Ok(None),
        v => v
            .as_string()
            .map(Some)
            .ok_or_else(|| Error::InvalidArgument {
                message:
                    "defaultRegion must be an ISO 3166 region code such as \"GH\", or undefined"
                        .into(),
            }),
    }
}

fn input_arg(input: &JsValue) -> Result<String, PhoneError> {
    input.as_string().ok_or_else(|| {
        let mut message =
            String::from("A phone number must be a string, such as \"+233244000000\"; got ");
        message.push_str(&input.js_typeof().as_string().unwrap_or_default());
        PhoneError::new(PhoneErrorReason::NotANumber, message)
    })
}

/// The body of `normalizePhone` and `parsePhone`, which differ only in what they make of a valid
/// number (one body, not one inlined into each export).
#[inline(never)]
fn parsed(
    input: &JsValue,
    default_region: &JsValue,
    answer: fn(&ValidNumber) -> JsValue,
) -> Result<JsValue, ThrownError> {
    let parse = || -> Result<ValidNumber, Error> {
        let region = region_arg(default_region)?;
        let input = input_arg(input)?;
        Ok(phone::parse_valid(&input, region.as_deref())?)
    };
    Ok(answer(&parse()?))
}

/// The API form of a phone number: country code and national number, digits only
/// (`"233244000000"`). Throws `SendexaError` with code `WA001` and a `reason` when it is not valid.
#[wasm_bindgen(js_name = normalizePhone, unchecked_return_type = "string")]
pub fn normalize_phone(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: JsValue,
) -> Result<JsValue, ThrownError> {
    parsed(&input, &default_region, objects::phone_digits)
}

/// Parses and validates a phone number; throws like `normalizePhone`.
#[wasm_bindgen(js_name = parsePhone, unchecked_return_type = "ParsedPhone")]
pub fn parse_phone(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: JsValue,
) -> Result<JsValue, ThrownError> {
    parsed(&input, &default_region, objects::parsed_phone)
}

/// Whether a phone number is valid. Never throws.
#[wasm_bindgen(js_name = isValidPhone)]
pub fn is_valid_phone(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: JsValue,
) -> bool {
    let Ok(region) = region_arg(&default_region) else {
        return false;
    };
    match input.as_string() {
        Some(s) => phone::is_valid(&s, region.as_deref()),
        None => false,
    }
}

/// Validates many phone numbers in one call: one entry per input, in order,
/// `{ input, valid, digits?, e164?, region?, reason? }`. Throws `INVALID_ARGUMENT` only when
/// `inputs` is not an array or `defaultRegion` is not a string.
#[wasm_bindgen(js_name = validatePhones, unchecked_return_type = "PhoneValidation[]")]
pub fn validate_phones(
    #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string>")] inputs: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: JsValue,
) -> Result<Array, ThrownError> {
    let region = region_arg(&default_region)?;
    if !Array::is_array(&inputs) {
        return Err(Error::InvalidArgument {
            message: "validatePhones takes an array of phone numbers".into(),
        }
        .into());
    }
    let inputs: Array = inputs.unchecked_into();
    // The checks run here; the entry objects are built in JavaScript in one call (`objects.js`),
    // since a crossing per property would cost more than the checks.
    let count = inputs.length() as usize;
    let mut entries: Vec<u32> = Vec::with_capacity(count.saturating_mul(2));
    let mut digits = String::with_capacity(count.saturating_mul(12));
    // The inputs cross in one copy too, joined by NULs (see `joinStrings`).
    for input in objects::join_strings(&inputs).split('\0').take(count) {
        let result = phone::check(input, region.as_deref());
        let before = digits.len();
        let name = match result {
            Ok(n) => {
                n.write_digits(&mut digits);
                n.region
            }
            Err(reason) => reason.as_str(),
        };
        entries.push(objects::static_address(name));
        // At most 15 digits (or the check would have failed) and a name of a few letters.
        entries.push((digits.len().saturating_sub(before) << 8 | name.len()) as u32);
    }
    Ok(objects::phone_validations(&inputs, &entries, &digits))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use js_sys::{Object, Reflect};
    use wasm_bindgen_test::*;

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn thrown(result: Result<JsValue, ThrownError>) -> JsValue {
        match result {
            Ok(v) => panic!("expected a throw, got {v:?}"),
            Err(e) => e.into(),
        }
    }

    #[wasm_bindgen_test]
    fn normalize_and_parse() {
        let gh = JsValue::from_str("GH");
        assert_eq!(
            normalize_phone("+233 24 400 0000".into(), JsValue::UNDEFINED)
                .ok()
                .and_then(|v| v.as_string())
                .as_deref(),
            Some("233244000000")
        );
        assert_eq!(
            normalize_phone("024 400 0000".into(), gh.clone())
                .ok()
                .and_then(|v| v.as_string())
                .as_deref(),
            Some("233244000000")
        );
        let p = parse_phone("(+233) 244 000 000".into(), JsValue::UNDEFINED)
            .ok()
            .unwrap_or_default();
        assert_eq!(
            get(&p, "e164").as_string().as_deref(),
            Some("+233244000000")
        );
        assert_eq!(
            get(&p, "digits").as_string().as_deref(),
            Some("233244000000")
        );
        assert_eq!(get(&p, "countryCode").as_f64(), Some(233.0));
        assert_eq!(
            get(&p, "nationalNumber").as_string().as_deref(),
            Some("244000000")
        );
        assert_eq!(get(&p, "region").as_string().as_deref(), Some("GH"));
        assert_eq!(get(&p, "type").as_string().as_deref(), Some("MOBILE"));
    }

    #[wasm_bindgen_test]
    fn errors_are_sendexa_errors() {
        let e = thrown(parse_phone("+233 24".into(), JsValue::UNDEFINED));
        assert!(e.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("WA001"));
        assert_eq!(get(&e, "reason").as_string().as_deref(), Some("TOO_SHORT"));
        let e = thrown(parse_phone(
            JsValue::from_f64(233244000000.0),
            JsValue::UNDEFINED,
        ));
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("WA001"));
        assert_eq!(
            get(&e, "reason").as_string().as_deref(),
            Some("NOT_A_NUMBER")
        );
        let e = thrown(parse_phone("0244000000".into(), JsValue::from_f64(1.0)));
        assert_eq!(
            get(&e, "code").as_string().as_deref(),
            Some("INVALID_ARGUMENT")
        );
    }

    #[wasm_bindgen_test]
    fn is_valid_never_throws() {
        assert!(is_valid_phone("+233244000000".into(), JsValue::UNDEFINED));
        assert!(!is_valid_phone("+233".into(), JsValue::UNDEFINED));
        assert!(!is_valid_phone(JsValue::NULL, JsValue::UNDEFINED));
        assert!(!is_valid_phone(Object::new().into(), Object::new().into()));
        assert!(!is_valid_phone("\u{0}🙂".into(), "ZZ".into()));
    }

    #[wasm_bindgen_test]
    fn validate_many_in_order() {
        let inputs: Array = ["+233 24 400 0000", "nope", "024 400 0000"]
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect();
        inputs.push(&JsValue::from_f64(5.0));
        let out = validate_phones(inputs.into(), "GH".into())
            .ok()
            .unwrap_or_default();
        assert_eq!(out.length(), 4);
        let first = out.get(0);
        assert_eq!(get(&first, "valid").as_bool(), Some(true));
        assert_eq!(
            get(&first, "digits").as_string().as_deref(),
            Some("233244000000")
        );
        assert_eq!(
            get(&first, "e164").as_string().as_deref(),
            Some("+233244000000")
        );
        assert_eq!(get(&first, "region").as_string().as_deref(), Some("GH"));
        assert!(get(&first, "reason").is_undefined());
        assert_eq!(get(&out.get(1), "valid").as_bool(), Some(false));
        assert_eq!(
            get(&out.get(1), "reason").as_string().as_deref(),
            Some("NOT_A_NUMBER")
        );
        assert_eq!(
            get(&out.get(1), "input").as_string().as_deref(),
            Some("nope")
        );
        assert_eq!(get(&out.get(2), "valid").as_bool(), Some(true));
        assert_eq!(
            get(&out.get(3), "reason").as_string().as_deref(),
            Some("NOT_A_NUMBER")
        );
        let big: Array = (0..5000)
            .map(|i| JsValue::from_str(&format!("+23324400{i:04}")))
            .collect();
        assert_eq!(
            validate_phones(big.into(), JsValue::UNDEFINED)
                .ok()
                .map(|a| a.length()),
            Some(5000)
        );
        assert!(validate_phones(JsValue::from_str("+233244000000"), JsValue::UNDEFINED).is_err());
    }

    /// The batch crosses as one string cut at NULs: inputs with accents, emoji, a lone surrogate,
    /// a NUL of their own and non-strings between valid numbers must not shift the cuts, and
    /// every entry must answer as `isValidPhone` does.
    #[wasm_bindgen_test]
    fn validate_many_agrees_with_single_checks_across_non_ascii() {
        let surrogate: JsValue = js_sys::JsString::from_char_code1(0xD800).into();
        let values = [
            JsValue::from_str("é+233 24 400 0000"),
            JsValue::from_str("+233 24 400 0000"),
            JsValue::from_str("😀"),
            JsValue::from_str("+1 415 555 2671"),
            surrogate,
            JsValue::from_str("+44 7400 123456"),
            JsValue::from_str(""),
            JsValue::NULL,
            JsValue::from_str("+233 ２４ 400 0000"),
            JsValue::from_str("+233 24 400 0000\u{a0}"),
            JsValue::from_str("😀😀+49 30 123456"),
            JsValue::from_str("+49 30 123456"),
            JsValue::from_str("+233 24\0+49 30 123456"),
            JsValue::from_str("\0"),
            JsValue::from_str("+1 415 555 2671"),
        ];
        let inputs: Array = values.iter().collect();
        let out = validate_phones(inputs.into(), JsValue::UNDEFINED)
            .ok()
            .unwrap_or_default();
        assert_eq!(out.length() as usize, values.len());
        let mut valid = 0;
        for (i, value) in values.iter().enumerate() {
            let entry = out.get(i as u32);
            let single = is_valid_phone(value.clone(), JsValue::UNDEFINED);
            assert_eq!(get(&entry, "valid").as_bool(), Some(single), "entry {i}");
            if single {
                valid += 1;
                let digits = get(&entry, "digits").as_string().unwrap_or_default();
                let expected = value
                    .as_string()
                    .and_then(|s| phone::normalize(&s, None).ok());
                assert_eq!(Some(digits), expected, "entry {i}");
            }
        }
        assert_eq!(valid, 6);
    }
}
