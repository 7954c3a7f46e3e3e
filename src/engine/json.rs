//! A small JSON value type, parser and serialiser shared by the whole SDK.
//!
//! `serde_json` would add tens of kilobytes to the wasm; the SDK only needs a tree of values, a
//! strict parser and a compact writer, which is what this module is.
//!
//! - [`parse`] accepts exactly RFC 8259 JSON text (no comments, no trailing commas, no leading
//!   zeros, no control characters inside strings). It is iterative, so hostile input cannot
//!   overflow the stack, and it never panics. Containers may nest at most [`MAX_DEPTH`] (64) deep.
//! - Numbers keep the text they were parsed from, so a value re-serialises byte for byte;
//!   [`Number::as_f64`] reads them.
//! - Objects keep their members in order. A repeated key keeps the position of its first
//!   occurrence and the value of its last, which is what `JSON.parse` does.
//! - `\uD800`-style escapes of a lone surrogate are rejected: a Rust `String` cannot hold one, and
//!   silently replacing it would change the data.
//! - [`Value::to_json`] writes compact JSON escaped the way `JSON.stringify` escapes it.
//!
//! ```
//! use sendexa_whatsapp::engine::json::{parse, Value};
//!
//! let v = parse(r#"{"to":"233244000000","n":1.50,"tags":["a",null]}"#).unwrap();
//! assert_eq!(v.get("to").and_then(Value::as_str), Some("233244000000"));
//! assert_eq!(v.get("n").and_then(Value::as_f64), Some(1.5));
//! assert_eq!(v.to_json(), r#"{"to":"233244000000","n":1.50,"tags":["a",null]}"#);
//! assert!(parse("[1,]").is_err());
//! ```

use std::fmt;

mod tape;
pub use tape::{Node, Tape};

/// The deepest nesting of arrays and objects that [`parse`] accepts.
///
/// Real messages and webhook payloads nest fewer than 10 levels; 64 leaves room while bounding
/// the work (and the recursive `Drop`) for hostile input.
pub const MAX_DEPTH: usize = 64;

/// A JSON number, stored as the validated text it was written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The number's text when `text` is a valid JSON number (`-0`, `1.5e3`), else `None`.
    pub fn parse(text: &str) -> Option<Number> {
        let bytes = text.as_bytes();
        match scan_number(bytes, 0) {
            Ok(end) if end == bytes.len() => Some(Number(text.to_string())),
            _ => None,
        }
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as an `f64` (see [`parse_f64`] for the precision; infinite when out of range).
    pub fn as_f64(&self) -> f64 {
        // The text is a valid JSON number, which parse_f64 always accepts.
        parse_f64(&self.0).unwrap_or(f64::NAN)
    }

    /// The value as a `u64`, when the text is a plain non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse::<u64>().ok()
    }

    /// The value as an `i64`, when the text is a plain integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse::<i64>().ok()
    }

    /// Whether the number has no fractional part (`3`, `3.0`, `3e2` all do).
    pub fn is_integer(&self) -> bool {
        let f = self.as_f64();
        f.is_finite() && f.fract() == 0.0
    }

    /// A whole `f64` within ±2^53 as a number, printed as JavaScript prints it (no `.0`);
    /// `None` for anything else. Fractions are kept as the text they arrived as, never printed
    /// from a float: float formatting would cost the .wasm 20 KB.
    pub fn from_integer_f64(value: f64) -> Option<Number> {
        let whole = value.is_finite() && value.fract() == 0.0;
        (whole && value.abs() < 9.007_199_254_740_992e15)
            .then(|| Number((value as i64).to_string()))
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number(value.to_string())
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Number(value.to_string())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in order, keys unique.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object (`None` for other values or a missing key).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets member `key` of an object, replacing an existing value in place or appending.
    /// Does nothing on values that are not objects.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key.to_string(), value)),
            }
        }
    }

    /// Removes member `key` of an object, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        match self {
            Value::Object(members) => {
                let index = members.iter().position(|(k, _)| k == key)?;
                Some(members.remove(index).1)
            }
            _ => None,
        }
    }

    /// Element `index` of an array.
    pub fn index(&self, index: usize) -> Option<&Value> {
        self.as_array().and_then(|items| items.get(index))
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// The number as a `u64`, if this is a plain non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Vec<(String, Value)>> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The JSON type's name as a person would say it: `"null"`, `"boolean"`, `"number"`,
    /// `"string"`, `"array"`, `"object"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// An object from `(key, value)` pairs, in order. Later duplicates replace earlier ones.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Value)>) -> Value {
        let mut out = Value::Object(Vec::new());
        for (k, v) in members {
            let key: String = k.into();
            out.set(&key, v);
        }
        out
    }

    /// Compact JSON text, escaped like `JSON.stringify` (numbers as written).
    ///
    /// Recurses once per nesting level; values from [`parse`] are at most [`MAX_DEPTH`] deep.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// Appends the compact JSON text of this value to `out`.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => out.push_str(n.as_str()),
            Value::String(s) => write_string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(Number::from(n))
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// A string shown in a message the way JSON writes it: in double quotes, with `"`, `\\` and control
/// characters escaped. For the strings people type that is what `{:?}` shows, without the Unicode
/// tables and escaping code `Debug` brings into the .wasm (~2 KB gzip).
///
/// ```
/// use sendexa_whatsapp::engine::json::Quoted;
/// assert_eq!(format!("type {} is unknown", Quoted("te\"xt")), r#"type "te\"xt" is unknown"#);
/// ```
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut quoted = String::new();
        write_string(self.0, &mut quoted);
        f.write_str(&quoted)
    }
}

/// Writes `s` as a JSON string the way `JSON.stringify` does: `"` and `\` escaped, the control
/// characters with short escapes where JSON has them and `\u00xx` (lowercase hex) otherwise,
/// everything else (including `/`, U+2028 and U+2029) as is.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.reserve(s.len().saturating_add(2));
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    // Runs that need no escaping are found by a plain scan and copied whole (a byte-by-byte
    // match costs several times more in the size-optimised .wasm).
    while let Some(rest) = bytes.get(start..) {
        let i = start.saturating_add(plain_run(rest));
        let Some(&b) = bytes.get(i) else { break };
        let escape: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            _ => None,
        };
        // `i` is at an ASCII byte, so both slices fall on character boundaries.
        out.push_str(s.get(start..i).unwrap_or_default());
        match escape {
            Some(e) => out.push_str(e),
            None => {
                out.push_str("\\u00");
                crate::engine::hex::push_lower(out, b);
            }
        }
        // `i < s.len()`: never saturates.
        start = i.saturating_add(1);
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// How many leading bytes of `bytes` a JSON string holds as they are: up to the first `"`, `\\`
/// or control character (`bytes.len()` when there is none). Eight bytes at a time (SWAR): strings
/// are most of a webhook body, and a byte-by-byte scan was most of the time spent reading one.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // The lowest flagged byte of each mask is exact (borrows only flag bytes above a true one).
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0usize;
    for chunk in chunks.by_ref() {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let below_space = w.wrapping_sub(ONES.wrapping_mul(0x20)) & !w & HIGHS;
        let quote = zero_byte(w ^ ONES.wrapping_mul(u64::from(b'"')));
        let backslash = zero_byte(w ^ ONES.wrapping_mul(u64::from(b'\\')));
        let hits = below_space | quote | backslash;
        if hits != 0 {
            // trailing_zeros < 64, so the byte index is below 8.
            return at.saturating_add((hits.trailing_zeros() / 8) as usize);
        }
        at = at.saturating_add(8);
    }
    let tail = chunks.remainder();
    at.saturating_add(
        tail.iter()
            .position(|b| *b == b'"' || *b == b'\\' || *b < 0x20)
            .unwrap_or(tail.len()),
    )
}

/// Why JSON text was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What was wrong, e.g. `"expected ',' or ']'"`.
    pub message: &'static str,
    /// The byte offset in the input where the problem was found.
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON: {} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

fn err<T>(message: &'static str, offset: usize) -> Result<T, JsonError> {
    Err(JsonError { message, offset })
}

/// Exact powers of ten: every one up to 10^22 is representable in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number (`12`, `-1.5`, `2.5e3`, `+7`, `.5`, `5.`), surrounding spaces ignored; `None`
/// for anything else (no `inf`, `NaN` or hex). Exact (correctly rounded) when the digits, without
/// the point, make an integer below 2^53 and the power of ten is within ±22 (Clinger's fast path),
/// which covers every number the API, its headers and messages carry; beyond it, within a few
/// units in the last place. Written here instead of `str::parse::<f64>`, whose correctly rounded
/// algorithm and tables cost the .wasm about 20 KB.
///
/// ```
/// use sendexa_whatsapp::engine::json::parse_f64;
/// assert_eq!(parse_f64(" 1.5 "), Some(1.5));
/// assert_eq!(parse_f64("2.5e3"), Some(2500.0));
/// assert_eq!(parse_f64("-0.1"), Some(-0.1));
/// assert_eq!(parse_f64("1e400"), Some(f64::INFINITY));
/// assert_eq!(parse_f64("NaN"), None);
/// ```
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.trim().as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0;
    let mut digits = 0usize;
    let mut point = false;
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b'0'..=b'9' => {
                digits = digits.saturating_add(1);
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa
                        .saturating_mul(10)
                        .saturating_add(u64::from(b.wrapping_sub(b'0')));
                    exponent = exponent.saturating_sub(i64::from(point));
                } else if !point {
                    // Digits past u64's precision only scale the value.
                    exponent = exponent.saturating_add(1);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i = i.saturating_add(1);
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = rest.get(i) {
        let tail = rest.get(i.saturating_add(1)..)?;
        let (sign, tail) = match tail.split_first() {
            Some((b'-', t)) => (-1i64, t),
            Some((b'+', t)) => (1, t),
            _ => (1, tail),
        };
        if tail.is_empty() || !tail.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = tail.iter().fold(0i64, |e, d| {
            (e.saturating_mul(10)
                .saturating_add(i64::from(d.wrapping_sub(b'0'))))
            .min(100_000)
        });
        exponent = exponent.saturating_add(sign.saturating_mul(e));
        i = rest.len();
    }
    if i != rest.len() {
        return None;
    }
    let value = scale(mantissa as f64, exponent);
    Some(if negative { -value } else { value })
}

/// `m · 10^e`, exact when `m` < 2^53 and |e| ≤ 22.
fn scale(m: f64, e: i64) -> f64 {
    let mut value = m;
    let mut e = e;
    while e != 0 && value != 0.0 && value.is_finite() {
        let step = e.unsigned_abs().min(22);
        let power = POW10.get(step as usize).copied().unwrap_or(1e22);
        if e > 0 {
            value *= power;
            e = e.saturating_sub(step as i64);
        } else {
            value /= power;
            e = e.saturating_add(step as i64);
        }
    }
    value
}

/// Parses RFC 8259 JSON text into a [`Value`]. See the module documentation for the rules.
pub fn parse(input: &str) -> Result<Value, JsonError> {
    Tape::parse(input).map(|tape| tape.root().to_value())
}

/// The end of the JSON number starting at `start`:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn scan_number(bytes: &[u8], start: usize) -> Result<usize, JsonError> {
    let at = |i: usize| bytes.get(i).copied();
    // Only ever past a byte just read, so `i < bytes.len()` and it never saturates.
    let step = |i: usize| i.saturating_add(1);
    let digits = |mut i: usize| {
        while matches!(at(i), Some(b'0'..=b'9')) {
            i = step(i);
        }
        i
    };
    let mut i = start;
    if at(i) == Some(b'-') {
        i = step(i);
    }
    match at(i) {
        Some(b'0') => {
            i = step(i);
            if matches!(at(i), Some(b'0'..=b'9')) {
                return err("leading zero in number", i);
            }
        }
        Some(b'1'..=b'9') => i = digits(i),
        _ => return err("invalid number", i),
    }
    if at(i) == Some(b'.') {
        i = step(i);
        if !matches!(at(i), Some(b'0'..=b'9')) {
            return err("expected a digit after '.'", i);
        }
        i = digits(i);
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i = step(i);
        if matches!(at(i), Some(b'+' | b'-')) {
            i = step(i);
        }
        if !matches!(at(i), Some(b'0'..=b'9')) {
            return err("expected a digit in exponent", i);
        }
        i = digits(i);
    }
    Ok(i)
}

#[cfg(test)]
mod tests;
