//! `normalizePhone`, `parsePhone`, `isValidPhone`, `validatePhones`: the JavaScript face of
//! [`core::phone`](crate::core::phone).
//!
//! Arguments arrive as `JsValue` and are checked here, so a wrong type is a `SendexaError`:
//! a non-string `input` is `WA001` with reason `NOT_A_NUMBER` (it cannot be a phone number; in
//! `validatePhones` it is one invalid entry, not a throw), a `defaultRegion` that is neither a
//! string nor `undefined`/`null` is `INVALID_ARGUMENT`.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::error::{set, JsError};
use crate::core::phone::{self, PhoneError, PhoneErrorReason, PhoneNumber};
use crate::core::Error;

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

#[wasm_bindgen]
extern "C" {
    /// One `validatePhones` entry, filled property by property: a plain property set per field
    /// (no `Reflect.set` wrapper) with strings decoded in the same call, since crossing the
    /// boundary is most of the cost of a bulk check.
    #[wasm_bindgen(extends = Object)]
    type Entry;
    #[wasm_bindgen(method, setter)]
    fn set_input(this: &Entry, value: &JsValue);
    #[wasm_bindgen(method, setter)]
    fn set_valid(this: &Entry, value: bool);
    #[wasm_bindgen(method, setter)]
    fn set_digits(this: &Entry, value: &str);
    #[wasm_bindgen(method, setter)]
    fn set_e164(this: &Entry, value: &str);
    #[wasm_bindgen(method, setter)]
    fn set_region(this: &Entry, value: &JsValue);
    #[wasm_bindgen(method, setter)]
    fn set_reason(this: &Entry, value: &JsValue);
}

fn region_arg(default_region: &Option<JsValue>) -> Result<Option<String>, Error> {
    match default_region {
        None => Ok(None),
        Some(v) if v.is_undefined() || v.is_null() => Ok(None),
        Some(v) => v
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
        let kind = input.js_typeof().as_string().unwrap_or_default();
        PhoneError::new(
            PhoneErrorReason::NotANumber,
            format!("A phone number must be a string, such as \"+233244000000\"; got {kind}"),
        )
    })
}

fn parse(input: &JsValue, default_region: &Option<JsValue>) -> Result<PhoneNumber, Error> {
    let region = region_arg(default_region)?;
    let input = input_arg(input)?;
    Ok(phone::parse(&input, region.as_deref())?)
}

/// The API form of a phone number: country code and national number, digits only
/// (`"233244000000"`). Throws `SendexaError` with code `WA001` and a `reason` when it is not valid.
#[wasm_bindgen(js_name = normalizePhone)]
pub fn normalize_phone(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: Option<JsValue>,
) -> Result<String, JsError> {
    Ok(parse(&input, &default_region)?.digits())
}

/// Parses and validates a phone number; throws like `normalizePhone`.
#[wasm_bindgen(js_name = parsePhone, unchecked_return_type = "ParsedPhone")]
pub fn parse_phone(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let n = parse(&input, &default_region)?;
    let obj = Object::new();
    set(&obj, "e164", &JsValue::from_str(&n.e164()));
    set(&obj, "digits", &JsValue::from_str(&n.digits()));
    set(
        &obj,
        "countryCode",
        &JsValue::from_f64(f64::from(n.country_code)),
    );
    set(
        &obj,
        "nationalNumber",
        &JsValue::from_str(&n.national_number),
    );
    set(&obj, "region", &JsValue::from_str(n.region));
    if let Some(t) = n.number_type {
        set(&obj, "type", &JsValue::from_str(t.as_str()));
    }
    Ok(obj.into())
}

/// Whether a phone number is valid. Never throws.
#[wasm_bindgen(js_name = isValidPhone)]
pub fn is_valid_phone(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
    #[wasm_bindgen(js_name = defaultRegion, unchecked_optional_param_type = "string | null")]
    default_region: Option<JsValue>,
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
    default_region: Option<JsValue>,
) -> Result<Array, JsError> {
    let region = region_arg(&default_region)?;
    if !Array::is_array(&inputs) {
        return Err(Error::InvalidArgument {
            message: "validatePhones takes an array of phone numbers".into(),
        }
        .into());
    }
    let inputs: Array = inputs.unchecked_into();
    // The region and reason strings are made once per call, not once per number: every
    // JavaScript string made here is a copy out of wasm memory.
    // A list, not a map: a batch holds few distinct regions, and a map would cost the .wasm more.
    let mut names: Vec<(&'static str, JsValue)> = Vec::new();
    let mut name = |s: &'static str| -> JsValue {
        if let Some((_, v)) = names.iter().find(|(k, _)| std::ptr::eq(*k, s)) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        names.push((s, v.clone()));
        v
    };
    let out = Array::new_with_length(inputs.length());
    let mut e164 = String::with_capacity(17);
    for (i, value) in inputs.iter().enumerate() {
        let entry: Entry = Object::new().unchecked_into();
        entry.set_input(&value);
        let result = match value.as_string() {
            Some(s) => phone::check(&s, region.as_deref()),
            None => Err(PhoneErrorReason::NotANumber),
        };
        match result {
            Ok(n) => {
                entry.set_valid(true);
                e164.clear();
                e164.push('+');
                e164.push_str(&n.digits());
                entry.set_digits(&e164[1..]);
                entry.set_e164(&e164);
                entry.set_region(&name(n.region));
            }
            Err(reason) => {
                entry.set_valid(false);
                entry.set_reason(&name(reason.as_str()));
            }
        }
        out.set(i as u32, entry.into());
    }
    Ok(out)
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use js_sys::Reflect;
    use wasm_bindgen_test::*;

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn thrown(result: Result<JsValue, JsError>) -> JsValue {
        match result {
            Ok(v) => panic!("expected a throw, got {v:?}"),
            Err(e) => e.into(),
        }
    }

    #[wasm_bindgen_test]
    fn normalize_and_parse() {
        let gh = Some(JsValue::from_str("GH"));
        assert_eq!(
            normalize_phone("+233 24 400 0000".into(), None)
                .ok()
                .as_deref(),
            Some("233244000000")
        );
        assert_eq!(
            normalize_phone("024 400 0000".into(), gh.clone())
                .ok()
                .as_deref(),
            Some("233244000000")
        );
        let p = parse_phone("(+233) 244 000 000".into(), Some(JsValue::UNDEFINED))
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
        let e = thrown(parse_phone("+233 24".into(), None));
        assert!(e.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("WA001"));
        assert_eq!(get(&e, "reason").as_string().as_deref(), Some("TOO_SHORT"));
        let e = thrown(parse_phone(JsValue::from_f64(233244000000.0), None));
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("WA001"));
        assert_eq!(
            get(&e, "reason").as_string().as_deref(),
            Some("NOT_A_NUMBER")
        );
        let e = thrown(parse_phone(
            "0244000000".into(),
            Some(JsValue::from_f64(1.0)),
        ));
        assert_eq!(
            get(&e, "code").as_string().as_deref(),
            Some("INVALID_ARGUMENT")
        );
    }

    #[wasm_bindgen_test]
    fn is_valid_never_throws() {
        assert!(is_valid_phone("+233244000000".into(), None));
        assert!(!is_valid_phone("+233".into(), None));
        assert!(!is_valid_phone(JsValue::NULL, None));
        assert!(!is_valid_phone(
            Object::new().into(),
            Some(Object::new().into())
        ));
        assert!(!is_valid_phone("\u{0}🙂".into(), Some("ZZ".into())));
    }

    #[wasm_bindgen_test]
    fn validate_many_in_order() {
        let inputs: Array = ["+233 24 400 0000", "nope", "024 400 0000"]
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect();
        inputs.push(&JsValue::from_f64(5.0));
        let out = validate_phones(inputs.into(), Some("GH".into()))
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
            validate_phones(big.into(), None).ok().map(|a| a.length()),
            Some(5000)
        );
        assert!(validate_phones(JsValue::from_str("+233244000000"), None).is_err());
    }
}
