//! Phone numbers: E.164 parsing, normalisation and validation from libphonenumber's metadata.
//! The phone module of `sendexa-whatsapp` (there: `sendexa_whatsapp::engine::phone`), a crate of its
//! own so that it can be optimised for speed while the rest of the .wasm is optimised for size.
//!
//! ```
//! use sendexa_phone::{self as phone, NumberType, PhoneErrorReason};
//!
//! let n = phone::parse("+233 24 400 0000", None).unwrap();
//! assert_eq!((n.digits().as_str(), n.region, n.number_type), ("233244000000", "GH", Some(NumberType::Mobile)));
//! assert_eq!(phone::normalize("024 400 0000", Some("GH")).unwrap(), "233244000000");
//! assert!(!phone::is_valid("+233 24 400", None));
//! let err = phone::parse("+233 24 CALL ME", None).unwrap_err();
//! assert_eq!(err.reason, PhoneErrorReason::NotANumber);
//! ```
//!
//! A number is valid exactly when libphonenumber's `isValidNumber` says so (same metadata
//! release, v9.0.35, vendored in `data/`); the region of a shared calling code (+1, +7, +44, …)
//! and the [`NumberType`] are libphonenumber's too. `tools/phonegen` compiles the metadata into
//! `metadata.bin`: automata over the digits, minimised together for all territories, so a check
//! is a few table walks and no regex engine ships (see `tables.rs`).
//!
//! Accepted: a leading `+` (also inside a parenthesis: `(+233) 24…`), ASCII digits, the
//! separators space, `-`, `.`, `/`, `()`, `[]` and Unicode dashes and spaces; without `+`, the
//! default region's international prefix (`00`, `011`, …) or, with no default region, `00`/`011`
//! or the calling code itself (`233244000000`). Decisions beyond libphonenumber, all
//! `NOT_A_NUMBER` unless said:
//!
//! - letters (no vanity numbers), extensions (`ext. 12`, `x12`, `#12`) and `*`, `,`, `;` are rejected;
//! - digits other than ASCII `0`–`9` (Arabic-Indic, full-width, …) are rejected rather than
//!   converted, so what is validated is what the API will be sent;
//! - more than 15 digits in the E.164 form is `TOO_LONG`, even where libphonenumber's patterns
//!   allow a 14-digit national number after a 2-digit calling code;
//! - with a default region, a number without `+` that is not valid for that region is read again
//!   as if no region were given (`"447400123456"` with `"GH"` is a UK number);
//! - the default region is case-insensitive; an unknown one is `INVALID_COUNTRY_CODE`.
#![deny(missing_docs)]
// The same rule as sendexa-whatsapp's: a panic in wasm kills the module instance for every later
// call, so library code may not panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

use std::fmt;

/// Why a string is not a usable phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhoneErrorReason {
    /// Not a phone number at all: letters, no digits, a misplaced `+`.
    NotANumber,
    /// The country calling code is not assigned, or no region was given for a national number.
    InvalidCountryCode,
    /// Shorter than any number of that country.
    TooShort,
    /// Longer than any number of that country, or over 15 digits.
    TooLong,
    /// A length between the shortest and longest that the country still never uses.
    InvalidLength,
    /// The right length, but not a number the country assigns.
    InvalidForRegion,
}

impl PhoneErrorReason {
    /// The stable code, as JavaScript sees it in `SendexaError.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneErrorReason::NotANumber => "NOT_A_NUMBER",
            PhoneErrorReason::InvalidCountryCode => "INVALID_COUNTRY_CODE",
            PhoneErrorReason::TooShort => "TOO_SHORT",
            PhoneErrorReason::TooLong => "TOO_LONG",
            PhoneErrorReason::InvalidLength => "INVALID_LENGTH",
            PhoneErrorReason::InvalidForRegion => "INVALID_FOR_REGION",
        }
    }
}

/// A phone number that failed to parse or validate (`WA001`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneError {
    /// Why it failed.
    pub reason: PhoneErrorReason,
    /// A sentence a person can act on, naming the input.
    pub message: String,
}

impl PhoneError {
    /// An error with a reason and a message.
    pub fn new(reason: PhoneErrorReason, message: impl Into<String>) -> Self {
        PhoneError {
            reason,
            message: message.into(),
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PhoneError {}

/// What kind of line a number is, as libphonenumber's metadata says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberType {
    /// A fixed (landline) number.
    FixedLine,
    /// A mobile number.
    Mobile,
    /// A number the metadata cannot tell apart between fixed line and mobile (US, CA, …).
    FixedLineOrMobile,
    /// A freephone number.
    TollFree,
    /// A premium-rate number.
    PremiumRate,
    /// A shared-cost number.
    SharedCost,
    /// A voice-over-IP number.
    Voip,
    /// A personal number, routed to wherever its owner chooses.
    PersonalNumber,
    /// A pager number.
    Pager,
    /// A universal access number (a company's single number).
    Uan,
    /// A voicemail access number.
    Voicemail,
}

impl NumberType {
    /// The stable name, as JavaScript sees it in `parsePhone(..).type`: `"MOBILE"`, `"FIXED_LINE"`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "FIXED_LINE",
            NumberType::Mobile => "MOBILE",
            NumberType::FixedLineOrMobile => "FIXED_LINE_OR_MOBILE",
            NumberType::TollFree => "TOLL_FREE",
            NumberType::PremiumRate => "PREMIUM_RATE",
            NumberType::SharedCost => "SHARED_COST",
            NumberType::Voip => "VOIP",
            NumberType::PersonalNumber => "PERSONAL_NUMBER",
            NumberType::Pager => "PAGER",
            NumberType::Uan => "UAN",
            NumberType::Voicemail => "VOICEMAIL",
        }
    }
}

/// A parsed, valid phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// The country calling code, such as `233` for Ghana or `1` for the NANP.
    pub country_code: u16,
    /// The national significant number: digits only, without the national (trunk) prefix.
    pub national_number: String,
    /// The ISO 3166 region the number belongs to (`"GH"`), or `"001"` for non-geographic codes.
    pub region: &'static str,
    /// The kind of line, when the metadata says.
    pub number_type: Option<NumberType>,
}

impl PhoneNumber {
    /// Country code and national number, digits only: the form the Sendexa API takes (`"233244000000"`).
    pub fn digits(&self) -> String {
        api_form("", self.country_code, &self.national_number)
    }

    /// The E.164 form, with the `+` (`"+233244000000"`).
    pub fn e164(&self) -> String {
        api_form("+", self.country_code, &self.national_number)
    }
}

/// A valid number as [`check`] finds it: [`PhoneNumber`]'s facts without a heap allocation, so
/// checking thousands of numbers allocates nothing per number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidNumber {
    /// The country calling code.
    pub country_code: u16,
    /// The ISO 3166 region, or `"001"` for non-geographic codes.
    pub region: &'static str,
    /// The kind of line.
    pub number_type: NumberType,
    /// The API form as ASCII digits, `len` of them: the calling code's, then the national
    /// number's.
    api: [u8; 20],
    len: u8,
}

impl ValidNumber {
    /// `None` when `national` (digit values 0..=9) is longer than a national number can be.
    fn new(
        country_code: u16,
        national: &[u8],
        region: &'static str,
        number_type: NumberType,
    ) -> Option<ValidNumber> {
        let (code, cc_len) = code_digits(country_code);
        let len = cc_len.checked_add(national.len())?;
        let mut api = [0u8; 20];
        let digits = code.get(..cc_len)?.iter().chain(national);
        for (slot, d) in api.get_mut(..len)?.iter_mut().zip(digits) {
            *slot = b'0' | d;
        }
        Some(ValidNumber {
            country_code,
            region,
            number_type,
            api,
            len: u8::try_from(len).ok()?,
        })
    }

    /// The API form, country code and national number (`"233244000000"`), without a copy.
    pub fn digits_str(&self) -> &str {
        let digits = self.api.get(..usize::from(self.len)).unwrap_or_default();
        // ASCII digits only, written by `new`.
        std::str::from_utf8(digits).unwrap_or_default()
    }

    /// The national significant number (`"244000000"`).
    pub fn national_number(&self) -> &str {
        self.digits_str()
            .get(code_len(self.country_code)..)
            .unwrap_or_default()
    }

    /// Appends the API form (`"233244000000"`) to `out`.
    pub fn write_digits(&self, out: &mut String) {
        out.push_str(self.digits_str());
    }

    /// The API form (`"233244000000"`).
    pub fn digits(&self) -> String {
        self.digits_str().to_string()
    }

    /// The same number as a [`PhoneNumber`].
    pub fn to_phone_number(&self) -> PhoneNumber {
        PhoneNumber {
            country_code: self.country_code,
            national_number: self.national_number().to_string(),
            region: self.region,
            number_type: Some(self.number_type),
        }
    }
}

/// Parses and validates `input`; `default_region` (ISO 3166, such as `"GH"`) is used for national forms.
pub fn parse(input: &str, default_region: Option<&str>) -> Result<PhoneNumber, PhoneError> {
    parse_valid(input, default_region).map(|n| n.to_phone_number())
}

/// [`parse`] without the allocation of a [`PhoneNumber`]: the same answer as a [`ValidNumber`].
pub fn parse_valid(input: &str, default_region: Option<&str>) -> Result<ValidNumber, PhoneError> {
    parse::parse(input, default_region)
}

/// The API form of a valid number: country code and national number, digits only (`"233244000000"`).
pub fn normalize(input: &str, default_region: Option<&str>) -> Result<String, PhoneError> {
    Ok(parse_valid(input, default_region)?.digits())
}

/// Whether `input` is a valid phone number; never fails.
pub fn is_valid(input: &str, default_region: Option<&str>) -> bool {
    check(input, default_region).is_ok()
}

/// [`parse`] for bulk checks: the same answer, but only the reason when it fails, and nothing is
/// allocated (no error message, no strings).
pub fn check(input: &str, default_region: Option<&str>) -> Result<ValidNumber, PhoneErrorReason> {
    parse::check(input, default_region).map_err(|f| f.reason)
}

/// The ASCII character of a digit value 0..=9 (there `b'0' | d` is `b'0' + d`, without overflow).
fn digit_char(d: u8) -> char {
    char::from(b'0' | d)
}

/// The value 0..=9 of an ASCII digit `b'0'..=b'9'` (there `b & 0x0f` is `b - b'0'`, without underflow).
fn digit_value(b: u8) -> u8 {
    b & 0x0f
}

/// How many digits a calling code has (1 to 3).
fn code_len(cc: u16) -> usize {
    match cc {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

/// The digit values (0..=9) of a calling code (larger values keep their last 3), as a buffer and
/// the count used, without the formatting machinery.
fn code_digits(cc: u16) -> ([u8; 3], usize) {
    let len = code_len(cc);
    let mut digits = [0u8; 3];
    let mut rest = cc;
    for slot in digits.iter_mut().take(len).rev() {
        *slot = (rest % 10) as u8;
        rest /= 10;
    }
    (digits, len)
}

/// `prefix`, then the API form of a number: calling code and national number, digits only.
fn api_form(prefix: &str, cc: u16, national: &str) -> String {
    let mut out = String::with_capacity(16);
    out.push_str(prefix);
    let (digits, len) = code_digits(cc);
    for d in digits.iter().take(len) {
        out.push(digit_char(*d));
    }
    out.push_str(national);
    out
}

mod parse;
mod tables;

#[cfg(test)]
mod tests;
