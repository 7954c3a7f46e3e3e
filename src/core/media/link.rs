//! Checks a media or button URL without a URL crate.
//!
//! Only what the API needs is parsed: scheme, authority (host and port) and the rest. Host rules
//! follow the WHATWG URL standard where it matters for safety: IPv4 literals in any of the forms a
//! browser-grade parser accepts (`127.1`, `0x7f.0.0.1`, `2130706433`) are decoded before the
//! private-range check, so a loopback address cannot slip through in disguise.

/// What is wrong with a URL: an issue code and a sentence.
pub type LinkProblem = (&'static str, String);

/// Whether the URL may be given to the API as a media `link`: absolute `https:`, no credentials,
/// a host that is not `localhost` nor a private, loopback, link-local or otherwise non-public IP
/// literal (Meta's servers fetch the file, so such hosts fail with WA004 at send time).
pub fn check_media_link(url: &str) -> Result<(), LinkProblem> {
    let host = check_https(url)?;
    match classify_host(host) {
        HostKind::Public => Ok(()),
        HostKind::Invalid => Err(("INVALID_URL", format!("{url:?} has an invalid host"))),
        HostKind::TooLong => Err(too_long(url)),
        HostKind::NonPublic(why) => Err((
            "UNREACHABLE_URL",
            format!("{url:?} points to {why}; the API downloads media from the public internet, so use a public HTTPS URL"),
        )),
    }
}

/// Whether the URL is an absolute `https:` URL with a valid host (for CTA buttons, which the
/// recipient's phone opens, so private hosts are not the API's concern).
pub fn check_https_link(url: &str) -> Result<(), LinkProblem> {
    let host = check_https(url)?;
    match classify_host(host) {
        HostKind::Invalid => Err(("INVALID_URL", format!("{url:?} has an invalid host"))),
        HostKind::TooLong => Err(too_long(url)),
        _ => Ok(()),
    }
}

fn too_long(url: &str) -> LinkProblem {
    (
        "INVALID_URL",
        format!("{url:?} has a host name longer than DNS allows ({MAX_HOST_NAME} characters, {MAX_HOST_LABEL} between dots)"),
    )
}

/// DNS limits (RFC 1035 §2.3.4): a name of at most 253 characters (255 octets on the wire), each
/// label at most 63. No server can be reached at a longer name.
const MAX_HOST_NAME: usize = 253;
const MAX_HOST_LABEL: usize = 63;

/// The host of an absolute `https://` URL, or the problem.
fn check_https(url: &str) -> Result<&str, LinkProblem> {
    if url.is_empty() {
        return Err(("EMPTY", "the URL is empty".to_string()));
    }
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err((
            "INVALID_URL",
            format!(
                "{url:?} contains spaces, control characters or backslashes; percent-encode them"
            ),
        ));
    }
    let Some((scheme, after_scheme)) = url.split_once(':') else {
        return Err((
            "INVALID_URL",
            format!("{url:?} is not an absolute URL; it must start with https://"),
        ));
    };
    if !scheme.eq_ignore_ascii_case("https") {
        let lower = scheme.to_ascii_lowercase();
        let valid_scheme = !lower.is_empty()
            && lower.starts_with(|c: char| c.is_ascii_alphabetic())
            && lower
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        return Err(if valid_scheme {
            (
                "INVALID_URL",
                format!("{url:?} uses {lower}:; only https: URLs are accepted"),
            )
        } else {
            (
                "INVALID_URL",
                format!("{url:?} is not an absolute URL; it must start with https://"),
            )
        });
    }
    let Some(rest) = after_scheme.strip_prefix("//") else {
        return Err(("INVALID_URL", format!("{url:?} must have // after https:")));
    };
    // The first piece of a split always exists: `rest` up to the first `/`, `?` or `#`.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if authority.contains('@') {
        return Err((
            "INVALID_URL",
            format!("{url:?} contains credentials (user@host); use a URL without them"),
        ));
    }
    // Split off the port: the last ':' outside an IPv6 literal's brackets.
    let (host, port) = if authority.starts_with('[') {
        // `]` is one byte, so the host ends right after it (`saturating_add` never saturates).
        match authority
            .find(']')
            .and_then(|close| authority.split_at_checked(close.saturating_add(1)))
        {
            Some((host, after)) => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None if after.is_empty() => (authority, None),
                None => return Err(("INVALID_URL", format!("{url:?} has an invalid host"))),
            },
            None => return Err(("INVALID_URL", format!("{url:?} has an invalid host"))),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        let valid = port.is_empty()
            || (port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| p <= 65535));
        if !valid {
            return Err(("INVALID_URL", format!("{url:?} has an invalid port")));
        }
    }
    if host.is_empty() {
        return Err(("INVALID_URL", format!("{url:?} has no host")));
    }
    Ok(host)
}

enum HostKind {
    Public,
    NonPublic(&'static str),
    Invalid,
    /// A host name longer than DNS allows.
    TooLong,
}

fn classify_host(host: &str) -> HostKind {
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
    if name == "localhost" || name.ends_with(".localhost") {
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
        (127, _, _) => "a loopback address (127.0.0.0/8)",
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
    let (head, tail) = match text.split_once("::") {
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
            if tail.contains("::") {
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
        [0, 0, 0, 0, 0, 0, 0, 1] => "the loopback address (::1)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_https_urls_pass() {
        for url in [
            "https://example.com/a.jpg",
            "HTTPS://Example.COM:443/a.jpg?x=1#f",
            "https://cdn.example.com.",
            "https://8.8.8.8/x.png",
            "https://[2606:4700::1111]/x",
            "https://[::ffff:8.8.8.8]/x",
            "https://xn--bcher-kva.example/x",
            "https://bücher.example/x",
            "https://example.com:/x",
            "https://1.example/x",
        ] {
            assert_eq!(check_media_link(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn non_public_hosts_fail() {
        for url in [
            "https://localhost/x",
            "https://LOCALHOST./x",
            "https://api.localhost/x",
            "https://127.0.0.1/x",
            "https://127.1/x",
            "https://2130706433/x",
            "https://0x7f.0.0.1/x",
            "https://0177.0.0.1/x",
            "https://10.1.2.3/x",
            "https://172.16.0.1/x",
            "https://172.31.255.255/x",
            "https://192.168.1.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/x",
            "https://0.0.0.0/x",
            "https://224.0.0.1/x",
            "https://255.255.255.255/x",
            "https://[::1]/x",
            "https://[::]/x",
            "https://[0:0:0:0:0:0:0:1]/x",
            "https://[fe80::1]/x",
            "https://[fd00::1]/x",
            "https://[fc00::1]:8443/x",
            "https://[::ffff:127.0.0.1]/x",
            "https://[::ffff:7f00:1]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://[64:ff9b::192.168.0.1]/x",
            "https://[ff02::1]/x",
        ] {
            assert_eq!(
                check_media_link(url).map_err(|e| e.0),
                Err("UNREACHABLE_URL"),
                "{url}"
            );
        }
        // Neighbours of the private ranges are public.
        for url in [
            "https://172.32.0.1/x",
            "https://11.0.0.1/x",
            "https://192.169.0.1/x",
            "https://100.128.0.1/x",
        ] {
            assert_eq!(check_media_link(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn malformed_or_non_https_urls_fail() {
        for url in [
            "http://example.com/x",
            "ftp://example.com/x",
            "example.com/x.jpg",
            "/x.jpg",
            "https:example.com",
            "https:/example.com",
            "https://",
            "https:///x",
            "https://user:pw@example.com/x",
            "https://example.com:99999/x",
            "https://example.com:8a/x",
            "https://exa mple.com/x",
            "https://example.com/a b",
            "https://example.com\\x",
            "https://[::1/x",
            "https://[1:2:3:4:5:6:7:8:9]/x",
            "https://[1::2::3]/x",
            "https://[fe80::1%25eth0]/x",
            "https://256.0.0.1/x",
            "https://1.2.3.4.5/x",
            "https://0x/x",
            "https://a..b/x",
            "https://ex%41mple.com/x",
            "javascript:alert(1)",
            "",
        ] {
            assert!(check_media_link(url).is_err(), "{url}");
        }
    }

    /// DNS limits: a label of 63 characters and a name of 253 pass, one more fails, with the reason.
    #[test]
    fn host_names_within_dns_limits() {
        let label = |n: usize| "a".repeat(n);
        let name = |len: usize| {
            // Labels of 63 and dots, then a last label making `len` characters in all.
            let mut name = String::new();
            while name.len() + 64 < len {
                name.push_str(&label(63));
                name.push('.');
            }
            name.push_str(&label(len - name.len()));
            name
        };
        assert_eq!(name(253).len(), 253);
        for host in [
            format!("{}.com", label(63)),
            name(253),
            format!("{}.", name(253)),
        ] {
            assert_eq!(
                check_media_link(&format!("https://{host}/x.jpg")),
                Ok(()),
                "{host}"
            );
        }
        for host in [format!("{}.com", label(64)), name(254)] {
            let url = format!("https://{host}/x.jpg");
            let (code, message) = check_media_link(&url).unwrap_err();
            assert_eq!(code, "INVALID_URL");
            assert!(message.contains("longer than DNS allows"), "{message}");
            assert!(check_https_link(&url).is_err());
        }
    }

    #[test]
    fn cta_links_only_need_https() {
        assert_eq!(check_https_link("https://localhost/x"), Ok(()));
        assert!(check_https_link("http://example.com").is_err());
    }
}
