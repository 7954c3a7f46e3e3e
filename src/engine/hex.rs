//! Hex digits, written once: a byte as two digits, for signatures (lowercase), JSON's `\u00XX`
//! escapes (lowercase) and percent-encoding (uppercase). Uses std only.
//!
//! ```
//! let mut out = String::new();
//! sendexa_whatsapp::engine::hex::push_lower(&mut out, 0xab);
//! sendexa_whatsapp::engine::hex::push_upper(&mut out, 0x0f);
//! assert_eq!(out, "ab0F");
//! ```

const LOWER: &[u8; 16] = b"0123456789abcdef";
const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `byte` as two lowercase hex digits.
pub fn push_lower(out: &mut String, byte: u8) {
    push(out, byte, LOWER);
}

/// Appends `byte` as two uppercase hex digits.
pub fn push_upper(out: &mut String, byte: u8) {
    push(out, byte, UPPER);
}

fn push(out: &mut String, byte: u8, digits: &[u8; 16]) {
    // A nibble is below 16: `get` never misses.
    for nibble in [byte >> 4, byte & 0x0f] {
        if let Some(&h) = digits.get(usize::from(nibble)) {
            out.push(char::from(h));
        }
    }
}
