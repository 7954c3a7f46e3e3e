//! Webhook signatures: HMAC-SHA256 of the raw body bytes, compared in constant time.
//!
//! The signature header is `X-Signature: sha256=<hex>` (live docs) or `X-Sendexa-Signature: <hex>`
//! (drafts and the official SDKs); the `sha256=` prefix is optional and the hex may be either case.
//! The signed bytes are the body exactly as received: re-serialising parsed JSON changes escapes of
//! non-ASCII text, `/` and `@` and breaks the signature, which is the commonest webhook bug.
//!
//! ```
//! use sendexa_whatsapp::engine::webhook::signature::{sign_hex, verify_signature};
//!
//! let body = br#"{"event":"message.delivered"}"#;
//! let header = format!("sha256={}", sign_hex(b"whsec", body));
//! assert!(verify_signature(body, Some(&header), b"whsec").is_ok());
//! assert!(verify_signature(body, Some(&header), b"other").is_err());
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::engine::time::parse_timestamp_ms;

/// Why a webhook delivery failed verification. Every case means "do not trust this body".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyFailure {
    /// No signature header, or an empty one.
    MissingSignature,
    /// A signature header that is not 64 hex digits (with an optional `sha256=`): truncated,
    /// another algorithm, or two headers joined by a comma.
    MalformedSignature,
    /// A well-formed signature that does not match the body and secret.
    Mismatch,
    /// A timestamp tolerance was asked for, but the delivery has no timestamp header.
    MissingTimestamp,
    /// The timestamp header is neither ISO 8601 nor Unix time.
    MalformedTimestamp,
    /// The timestamp is further from now than the tolerance: a replay, or a badly wrong clock.
    OutsideTolerance,
}

impl VerifyFailure {
    /// A sentence for logs and for `SendexaError.message`.
    pub fn describe(self) -> &'static str {
        match self {
            VerifyFailure::MissingSignature => "The webhook has no X-Signature (or X-Sendexa-Signature) header.",
            VerifyFailure::MalformedSignature => {
                "The webhook's signature header is not sha256=<64 hex digits>."
            }
            VerifyFailure::Mismatch => {
                "The webhook's signature does not match: check the secret, and verify the raw body bytes, not re-serialised JSON."
            }
            VerifyFailure::MissingTimestamp => {
                "The webhook has no X-Timestamp header, and a timestamp tolerance is set."
            }
            VerifyFailure::MalformedTimestamp => "The webhook's X-Timestamp is neither ISO 8601 nor Unix time.",
            VerifyFailure::OutsideTolerance => {
                "The webhook's X-Timestamp is outside the tolerance: a replay, or a wrong clock."
            }
        }
    }
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail; the fallback keeps the library panic-free.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()))
}

/// The HMAC-SHA256 of `body` under `secret`.
pub fn hmac_sha256(secret: &[u8], body: &[u8]) -> [u8; 32] {
    let mut m = mac(secret);
    m.update(body);
    m.finalize().into_bytes().into()
}

/// The lowercase hex HMAC-SHA256 of `body` under `secret`: what the sender puts after `sha256=`.
pub fn sign_hex(secret: &[u8], body: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for byte in hmac_sha256(secret, body) {
        crate::engine::hex::push_lower(&mut out, byte);
    }
    out
}

#[inline(always)]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.wrapping_sub(b'0')),
        // Setting bit 5 lowers `A`–`F`; no byte outside either range lands in `a`–`f`.
        _ => match b | 0x20 {
            lower @ b'a'..=b'f' => Some(lower.wrapping_sub(b'a' - 10)),
            _ => None,
        },
    }
}

/// The 32 bytes of a `[sha256=]<64 hex>` header value.
fn decode_signature(header: &str) -> Result<[u8; 32], VerifyFailure> {
    let value = header.trim();
    if value.is_empty() {
        return Err(VerifyFailure::MissingSignature);
    }
    let hex = match value.split_at_checked(7) {
        Some((prefix, rest)) if prefix.eq_ignore_ascii_case("sha256=") => rest,
        _ => value,
    };
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return Err(VerifyFailure::MalformedSignature);
    }
    let mut out = [0u8; 32];
    let mut bad = false;
    // A plain loop over pairs: iterator adapters and calls per digit are not inlined in the
    // size-optimised .wasm, and this runs on every delivery.
    for (i, byte) in out.iter_mut().enumerate() {
        let high = hex.get(i << 1).copied().and_then(hex_value);
        let low = hex.get((i << 1) | 1).copied().and_then(hex_value);
        match (high, low) {
            (Some(high), Some(low)) => *byte = (high << 4) | low,
            _ => bad = true,
        }
    }
    if bad {
        return Err(VerifyFailure::MalformedSignature);
    }
    Ok(out)
}

/// Checks `signature_header` (the header's value, `None` when absent) against `body` and `secret`.
/// The comparison is constant-time.
pub fn verify_signature(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &[u8],
) -> Result<(), VerifyFailure> {
    verify_digest(&hmac_sha256(secret, body), signature_header)
}

/// Checks `signature_header` against `digest`, the HMAC-SHA256 of the body under the secret that
/// the host computed (a runtime's native HMAC; see `hostDigest` in `bindings/driver.js`). The
/// header's forms and the constant-time comparison are [`verify_signature`]'s.
pub fn verify_digest(
    digest: &[u8; 32],
    signature_header: Option<&str>,
) -> Result<(), VerifyFailure> {
    let expected = decode_signature(signature_header.ok_or(VerifyFailure::MissingSignature)?)?;
    if same_digest(&expected, digest) {
        Ok(())
    } else {
        Err(VerifyFailure::Mismatch)
    }
}

/// Whether two digests are equal, in time that does not depend on where they differ.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Opaque to the optimiser, so the loop above cannot become an early exit.
    std::hint::black_box(difference) == 0
}

/// Checks that the delivery's timestamp header is within `tolerance_seconds` of `now_ms`
/// (milliseconds since the epoch, passed in by the caller: the core never reads the clock).
pub fn check_timestamp(
    timestamp_header: Option<&str>,
    now_ms: f64,
    tolerance_seconds: f64,
) -> Result<(), VerifyFailure> {
    let header = timestamp_header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(VerifyFailure::MissingTimestamp)?;
    let sent_ms = parse_timestamp_ms(header).ok_or(VerifyFailure::MalformedTimestamp)?;
    if (now_ms - sent_ms).abs() > tolerance_seconds * 1000.0 {
        return Err(VerifyFailure::OutsideTolerance);
    }
    Ok(())
}

/// What a delivery carries that verification looks at.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    /// The raw body bytes, exactly as received.
    pub body: &'a [u8],
    /// The signature header's value (`X-Signature`, else `X-Sendexa-Signature`), if any.
    pub signature: Option<&'a str>,
    /// The `X-Timestamp` header's value, if any.
    pub timestamp: Option<&'a str>,
}

/// Verifies a delivery: the signature always; the timestamp only when `tolerance_seconds` is given.
pub fn verify(
    delivery: Delivery<'_>,
    secret: &[u8],
    tolerance_seconds: Option<f64>,
    now_ms: f64,
) -> Result<(), VerifyFailure> {
    let digest = hmac_sha256(secret, delivery.body);
    verify_headers(
        &digest,
        delivery.signature,
        delivery.timestamp,
        tolerance_seconds,
        now_ms,
    )
}

/// [`verify`] for a body whose HMAC-SHA256 under the secret the host computed: checks the
/// signature header against `digest` ([`verify_digest`]) and, when `tolerance_seconds` is given,
/// the timestamp header.
pub fn verify_headers(
    digest: &[u8; 32],
    signature_header: Option<&str>,
    timestamp_header: Option<&str>,
    tolerance_seconds: Option<f64>,
    now_ms: f64,
) -> Result<(), VerifyFailure> {
    verify_digest(digest, signature_header)?;
    if let Some(tolerance) = tolerance_seconds {
        check_timestamp(timestamp_header, now_ms, tolerance)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_are_read_as_char_reads_them() {
        for b in 0..=u8::MAX {
            let want = char::from(b).to_digit(16).map(|d| d as u8);
            assert_eq!(hex_value(b), want, "byte {b:#04x}");
        }
    }

    // RFC 4231 test case 2.
    #[test]
    fn matches_rfc_4231() {
        assert_eq!(
            sign_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn accepts_prefix_and_either_case() {
        let body = "{\"text\":\"Akwaaba 👋 — café / a@b\"}".as_bytes();
        let hex = sign_hex(b"s3cret", body);
        for header in [
            hex.clone(),
            format!("sha256={hex}"),
            format!("SHA256={}", hex.to_uppercase()),
            format!("  sha256={hex} "),
        ] {
            assert_eq!(
                verify_signature(body, Some(&header), b"s3cret"),
                Ok(()),
                "{header}"
            );
        }
    }

    #[test]
    fn rejects_every_bad_header() {
        let body = b"{}";
        let hex = sign_hex(b"k", body);
        let cases = [
            (None, VerifyFailure::MissingSignature),
            (Some(String::new()), VerifyFailure::MissingSignature),
            (
                Some(hex[..63].to_string()),
                VerifyFailure::MalformedSignature,
            ),
            (
                Some(format!("sha1={hex}")),
                VerifyFailure::MalformedSignature,
            ),
            (
                Some(format!("{hex}, {hex}")),
                VerifyFailure::MalformedSignature,
            ),
            (
                Some(format!("{}g", &hex[..63])),
                VerifyFailure::MalformedSignature,
            ),
            (Some(sign_hex(b"other", body)), VerifyFailure::Mismatch),
        ];
        for (header, want) in cases {
            assert_eq!(
                verify_signature(body, header.as_deref(), b"k"),
                Err(want),
                "{header:?}"
            );
        }
        // One changed byte of the body.
        assert_eq!(
            verify_signature(b"{ }", Some(&hex), b"k"),
            Err(VerifyFailure::Mismatch)
        );
    }

    #[test]
    fn timestamp_tolerance() {
        let now = 1_705_314_600_000.0;
        assert_eq!(
            check_timestamp(Some("2024-01-15T10:30:00Z"), now, 300.0),
            Ok(())
        );
        assert_eq!(check_timestamp(Some("1705314400"), now, 300.0), Ok(()));
        assert_eq!(
            check_timestamp(Some("2024-01-15T10:20:00Z"), now, 300.0),
            Err(VerifyFailure::OutsideTolerance)
        );
        assert_eq!(
            check_timestamp(None, now, 300.0),
            Err(VerifyFailure::MissingTimestamp)
        );
        assert_eq!(
            check_timestamp(Some("soon"), now, 300.0),
            Err(VerifyFailure::MalformedTimestamp)
        );
    }

    /// Random headers, bodies and timestamps never panic, and never verify by accident.
    #[test]
    fn random_input_never_panics() {
        let mut seed: u64 = 0x51_9e_d0_0d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const ALPHABET: &[u8] = b"0123456789abcdefABCDEF=sha256 ,\xff\x00-:TZ.+";
        for _ in 0..20_000 {
            let body: Vec<u8> = (0..next() % 64).map(|_| next() as u8).collect();
            let header: String = (0..next() % 80)
                .map(|_| char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize]))
                .collect();
            let delivery = Delivery {
                body: &body,
                signature: Some(&header),
                timestamp: Some(&header),
            };
            assert!(verify(delivery, b"k", Some(300.0), 0.0).is_err());
        }
    }

    #[test]
    fn verify_checks_timestamp_only_when_asked() {
        let body = b"{}";
        let sig = sign_hex(b"k", body);
        let delivery = Delivery {
            body,
            signature: Some(&sig),
            timestamp: None,
        };
        assert_eq!(verify(delivery, b"k", None, 0.0), Ok(()));
        assert_eq!(
            verify(delivery, b"k", Some(300.0), 0.0),
            Err(VerifyFailure::MissingTimestamp)
        );
    }

    /// A digest the host computed is judged exactly as one computed here: the same header forms,
    /// the same failures, and a digest one bit off is a mismatch wherever the bit is.
    #[test]
    fn a_host_digest_is_judged_like_our_own() {
        let body = "{\"text\":\"Akwaaba 👋\"}".as_bytes();
        let digest = hmac_sha256(b"k", body);
        let hex = sign_hex(b"k", body);
        for header in [
            None,
            Some(String::new()),
            Some(hex.clone()),
            Some(format!("SHA256={}", hex.to_uppercase())),
            Some(format!("sha256={}", &hex[..62])),
            Some(sign_hex(b"other", body)),
        ] {
            assert_eq!(
                verify_digest(&digest, header.as_deref()),
                verify_signature(body, header.as_deref(), b"k"),
                "{header:?}"
            );
        }
        for bit in 0..256 {
            let mut off = digest;
            off[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                verify_digest(&off, Some(&hex)),
                Err(VerifyFailure::Mismatch)
            );
        }
        let delivery = Delivery {
            body,
            signature: Some(&hex),
            timestamp: Some("1705314600"),
        };
        for tolerance in [None, Some(300.0), Some(1.0)] {
            assert_eq!(
                verify_headers(
                    &digest,
                    delivery.signature,
                    delivery.timestamp,
                    tolerance,
                    1_705_314_700_000.0
                ),
                verify(delivery, b"k", tolerance, 1_705_314_700_000.0)
            );
        }
    }
}
