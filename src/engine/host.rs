//! Hosts: IPv4 and IPv6 literals decoded as the WHATWG URL standard decodes them (`127.1`,
//! `0x7f.0.0.1`, `2130706433`, `[::ffff:127.0.0.1]`), and the one rule for which hosts are
//! public, loopback or otherwise out of the public internet's reach. Uses std only.
//!
//! A media link must be public ([`crate::engine::media::link`]); a base URL may use `http:` only on
//! loopback ([`crate::engine::client::endpoint::base_url`]).
//!
//! ```
//! use sendexa_whatsapp::engine::host::is_loopback;
//! assert!(is_loopback("localhost") && is_loopback("127.0.0.1") && is_loopback("[::1]"));
//! assert!(is_loopback("127.1") && is_loopback("[::ffff:127.0.0.1]"));
//! assert!(!is_loopback("127.0.0.1.evil.com") && !is_loopback("api.localhost") && !is_loopback("10.0.0.1"));
//! ```

use crate::engine::text::{contains, split_once};

/// Whether `host` (a URL's host, lowercase or not, IPv6 in brackets) is this machine:
/// `localhost`, 127.0.0.0/8 in any form a URL parser accepts, or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    matches!(classify_host(host), HostKind::Loopback(_))
}

/// DNS limits (RFC 1035 §2.3.4): a name of at most 253 characters (255 octets on the wire), each
/// label at most 63. No server can be reached at a longer name.
pub(crate) const MAX_HOST_NAME: usize = 253;
pub(crate) const MAX_HOST_LABEL: usize = 63;

/// What a URL's host is.
pub(crate) enum HostKind {
    /// A name or address on the public internet.
    Public,
    /// `localhost`, or an address of this machine (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104): why.
    Loopback(&'static str),
    /// Any other host the public internet cannot reach (private, link-local, reserved…): why.
    NonPublic(&'static str),
    /// Not a host.
    Invalid,
    /// A host name longer than DNS allows.
    TooLong,
}

/// What `host` (a URL's host, IPv6 in brackets) is, read as the WHATWG URL standard reads it.
pub(crate) fn classify_host(host: &str) -> HostKind {
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return HostKind::Invalid;
        };
        return match parse_ipv6(inner) {
            Some(addr) => classify_v6(addr),
            None => HostKind::Invalid,
        };
    }
    // Hosts are case-insensitive; percent-escapes could hide anything, so they are refused.
    if host.contains(['%', '<', '>', '^', '|', '"', '`', '{', '}', '[', ']']) {
        return HostKind::Invalid;
    }
    let lower = host.to_ascii_lowercase();
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    if name.is_empty() || name.split('.').any(str::is_empty) {
        return HostKind::Invalid;
    }
    // Checked on ASCII names only: an internationalised name's length is that of its punycode form.
    if name.is_ascii()
        && (name.len() > MAX_HOST_NAME || name.split('.').any(|label| label.len() > MAX_HOST_LABEL))
    {
        return HostKind::TooLong;
    }
    if name == "localhost" {
        return HostKind::Loopback("localhost");
    }
    // Names under .localhost (RFC 6761) need not resolve to loopback everywhere: never public,
    // never loopback.
    if name.ends_with(".localhost") {
        return HostKind::NonPublic("localhost");
    }
    // WHATWG: a host whose last label is numeric is an IPv4 address (or invalid).
    let last = name.rsplit('.').next().unwrap_or(name);
    let numeric_last = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .or_else(|| last.strip_prefix("0X"))
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())));
    if numeric_last {
        return match parse_ipv4(name) {
            Some(addr) => classify_v4(addr),
            None => HostKind::Invalid,
        };
    }
    HostKind::Public
}

/// WHATWG IPv4 parsing: 1–4 dot-separated parts, each decimal, octal (leading 0) or hex (0x);
/// the last part fills the remaining bytes.
fn parse_ipv4(host: &str) -> Option<u32> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(4);
    for part in &parts {
        let n = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            if hex.is_empty() {
                0
            } else {
                u64::from_str_radix(hex, 16).ok()?
            }
        } else if let Some(octal) = part.strip_prefix('0').filter(|o| !o.is_empty()) {
            u64::from_str_radix(octal, 8).ok()?
        } else {
            part.parse::<u64>().ok()?
        };
        numbers.push(n);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    // The last part fills the bytes the others leave: 4 parts, 1 byte; 1 part, all 4.
    let last_bits: u32 = match init.len() {
        0 => 32,
        1 => 24,
        2 => 16,
        _ => 8,
    };
    if *last >= 1u64 << last_bits {
        return None;
    }
    // Each leading part (at most 255) has its own byte, above the last part's bits: `|` adds.
    let mut addr: u64 = *last;
    for (&n, shift) in init.iter().zip([24u32, 16, 8]) {
        addr |= n << shift;
    }
    u32::try_from(addr).ok()
}

fn classify_v4(addr: u32) -> HostKind {
    let [a, b, c, _] = addr.to_be_bytes();
    let why = match (a, b, c) {
        (0, _, _) => "an unspecified address (0.0.0.0/8)",
        (10, _, _) => "a private address (10.0.0.0/8)",
        (100, 64..=127, _) => "a shared address (100.64.0.0/10)",
        (127, _, _) => return HostKind::Loopback("a loopback address (127.0.0.0/8)"),
        (169, 254, _) => "a link-local address (169.254.0.0/16)",
        (172, 16..=31, _) => "a private address (172.16.0.0/12)",
        (192, 0, 0) => "a reserved address (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation address",
        (192, 168, _) => "a private address (192.168.0.0/16)",
        (198, 18..=19, _) => "a benchmarking address (198.18.0.0/15)",
        (224..=239, _, _) => "a multicast address",
        (240..=255, _, _) => "a reserved address (240.0.0.0/4)",
        _ => return HostKind::Public,
    };
    HostKind::NonPublic(why)
}

/// RFC 4291 text form, with `::` and an optional trailing dotted IPv4; zone ids are refused.
fn parse_ipv6(text: &str) -> Option<[u16; 8]> {
    if text.contains('%') {
        return None;
    }
    let (head, tail) = match split_once(text, "::") {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    };
    let parse_groups = |s: &str, allow_v4: bool| -> Option<Vec<u16>> {
        let mut out = Vec::new();
        if s.is_empty() {
            return Some(out);
        }
        let mut pieces = s.split(':').peekable();
        while let Some(piece) = pieces.next() {
            let is_last = pieces.peek().is_none();
            if allow_v4 && is_last && piece.contains('.') {
                let octets: Vec<&str> = piece.split('.').collect();
                if octets.len() != 4 {
                    return None;
                }
                let mut bytes = [0u8; 4];
                for (slot, o) in bytes.iter_mut().zip(&octets) {
                    if o.is_empty()
                        || o.len() > 3
                        || !o.bytes().all(|b| b.is_ascii_digit())
                        || (o.len() > 1 && o.starts_with('0'))
                    {
                        return None;
                    }
                    *slot = o.parse::<u8>().ok()?;
                }
                let [a, b, c, d] = bytes;
                out.push(u16::from_be_bytes([a, b]));
                out.push(u16::from_be_bytes([c, d]));
            } else {
                if piece.is_empty() || piece.len() > 4 {
                    return None;
                }
                out.push(u16::from_str_radix(piece, 16).ok()?);
            }
        }
        Some(out)
    };
    let mut groups = [0u16; 8];
    match tail {
        None => {
            // Exactly 8 groups, or not an address.
            groups = parse_groups(head, true)?.try_into().ok()?;
        }
        Some(tail) => {
            if contains(tail, "::") {
                return None;
            }
            let h = parse_groups(head, false)?;
            let t = parse_groups(tail, true)?;
            if h.len().saturating_add(t.len()) > 7 {
                return None;
            }
            // The head from the start, the tail against the end; `::` is the zeros between.
            for (slot, g) in groups.iter_mut().zip(&h) {
                *slot = *g;
            }
            for (slot, g) in groups.iter_mut().rev().zip(t.iter().rev()) {
                *slot = *g;
            }
        }
    }
    Some(groups)
}

fn classify_v6(g: [u16; 8]) -> HostKind {
    let embedded_v4 = (u32::from(g[6]) << 16) | u32::from(g[7]);
    let why = match g {
        [0, 0, 0, 0, 0, 0, 0, 0] => "the unspecified address (::)",
        [0, 0, 0, 0, 0, 0, 0, 1] => return HostKind::Loopback("the loopback address (::1)"),
        // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
        // addresses reach the embedded IPv4 address.
        [0, 0, 0, 0, 0, 0xffff, _, _]
        | [0, 0, 0, 0, 0, 0, _, _]
        | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => {
            return classify_v4(embedded_v4);
        }
        [a, ..] if a & 0xfe00 == 0xfc00 => "a unique local address (fc00::/7)",
        [a, ..] if a & 0xffc0 == 0xfe80 => "a link-local address (fe80::/10)",
        [a, ..] if a & 0xffc0 == 0xfec0 => "a site-local address (fec0::/10)",
        [a, ..] if a & 0xff00 == 0xff00 => "a multicast address (ff00::/8)",
        [0x2001, 0x0db8, ..] => "a documentation address (2001:db8::/32)",
        _ => return HostKind::Public,
    };
    HostKind::NonPublic(why)
}
