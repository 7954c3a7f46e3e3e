//! Checks a media or button URL without a URL crate.
//!
//! Only what the API needs is parsed: scheme, authority (host and port) and the rest. Host rules
//! follow the WHATWG URL standard where it matters for safety: IPv4 literals in any of the forms a
//! browser-grade parser accepts (`127.1`, `0x7f.0.0.1`, `2130706433`) are decoded before the
//! private-range check, so a loopback address cannot slip through in disguise
//! ([`crate::engine::host`]).

use crate::engine::host::{classify_host, HostKind, MAX_HOST_LABEL, MAX_HOST_NAME};
use crate::engine::json::Quoted;

/// What is wrong with a URL: an issue code and a sentence.
pub type LinkProblem = (&'static str, String);

/// Whether the URL may be given to the API as a media `link`: absolute `https:`, no credentials,
/// a host that is not `localhost` nor a private, loopback, link-local or otherwise non-public IP
/// literal (Meta's servers fetch the file, so such hosts fail with WA004 at send time).
pub fn check_media_link(url: &str) -> Result<(), LinkProblem> {
    let host = check_https(url)?;
    match classify_host(host) {
        HostKind::Public => Ok(()),
        HostKind::Invalid => Err(("INVALID_URL", format!("{url} has an invalid host", url = Quoted(url)))),
        HostKind::TooLong => Err(too_long(url)),
        HostKind::NonPublic(why) | HostKind::Loopback(why) => Err((
            "UNREACHABLE_URL",
            format!("{url} points to {why}; the API downloads media from the public internet, so use a public HTTPS URL", url = Quoted(url)),
        )),
    }
}

/// [`check_media_link`]; with `allow_loopback`, also `http:` and `https:` URLs whose host is this
/// machine ([`is_loopback_url`]), so that a local server — the sandbox — can serve media to a client
/// pointed at it. Private and other non-public hosts stay refused.
pub fn check_media_link_with(url: &str, allow_loopback: bool) -> Result<(), LinkProblem> {
    let checked = check_media_link(url);
    if checked.is_err() && allow_loopback && is_loopback_url(url) {
        return Ok(());
    }
    checked
}

/// Whether `url` is an `http:` or `https:` URL whose host is this machine, by
/// [`crate::engine::host`]'s one loopback rule (`localhost`, 127.0.0.0/8, `[::1]`: the hosts a
/// client's `baseUrl` may reach over `http:`).
pub fn is_loopback_url(url: &str) -> bool {
    let rest = ["https:", "http:"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .and_then(|_| url.get(scheme.len()..))
    });
    rest.is_some_and(|rest| {
        check_https(&format!("https:{rest}"))
            .is_ok_and(|host| matches!(classify_host(host), HostKind::Loopback(_)))
    })
}

/// Whether the URL is an absolute `https:` URL with a valid host (for CTA buttons, which the
/// recipient's phone opens, so private hosts are not the API's concern).
pub fn check_https_link(url: &str) -> Result<(), LinkProblem> {
    let host = check_https(url)?;
    match classify_host(host) {
        HostKind::Invalid => Err((
            "INVALID_URL",
            format!("{url} has an invalid host", url = Quoted(url)),
        )),
        HostKind::TooLong => Err(too_long(url)),
        _ => Ok(()),
    }
}

fn too_long(url: &str) -> LinkProblem {
    (
        "INVALID_URL",
        format!("{url} has a host name longer than DNS allows ({MAX_HOST_NAME} characters, {MAX_HOST_LABEL} between dots)", url = Quoted(url)),
    )
}

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
                "{url} contains spaces, control characters or backslashes; percent-encode them",
                url = Quoted(url)
            ),
        ));
    }
    let Some((scheme, after_scheme)) = url.split_once(':') else {
        return Err((
            "INVALID_URL",
            format!(
                "{url} is not an absolute URL; it must start with https://",
                url = Quoted(url)
            ),
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
                format!(
                    "{url} uses {lower}:; only https: URLs are accepted",
                    url = Quoted(url)
                ),
            )
        } else {
            (
                "INVALID_URL",
                format!(
                    "{url} is not an absolute URL; it must start with https://",
                    url = Quoted(url)
                ),
            )
        });
    }
    let Some(rest) = after_scheme.strip_prefix("//") else {
        return Err((
            "INVALID_URL",
            format!("{url} must have // after https:", url = Quoted(url)),
        ));
    };
    // The first piece of a split always exists: `rest` up to the first `/`, `?` or `#`.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host_of(url, authority)
}

/// The host of a URL's `authority` (`host[:port]`, `[v6][:port]`), or the problem.
fn host_of<'a>(url: &str, authority: &'a str) -> Result<&'a str, LinkProblem> {
    if authority.contains('@') {
        return Err((
            "INVALID_URL",
            format!(
                "{url} contains credentials (user@host); use a URL without them",
                url = Quoted(url)
            ),
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
                None => {
                    return Err((
                        "INVALID_URL",
                        format!("{url} has an invalid host", url = Quoted(url)),
                    ))
                }
            },
            None => {
                return Err((
                    "INVALID_URL",
                    format!("{url} has an invalid host", url = Quoted(url)),
                ))
            }
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
            return Err((
                "INVALID_URL",
                format!("{url} has an invalid port", url = Quoted(url)),
            ));
        }
    }
    if host.is_empty() {
        return Err((
            "INVALID_URL",
            format!("{url} has no host", url = Quoted(url)),
        ));
    }
    Ok(host)
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
    fn loopback_links_only_when_allowed() {
        for url in [
            "http://127.0.0.1:4010/media/a.jpg",
            "https://localhost/a.jpg",
            "HTTP://[::1]:8080/a.jpg",
            "http://0x7f.0.0.1/a.jpg",
        ] {
            assert_eq!(check_media_link_with(url, true), Ok(()), "{url}");
            assert!(check_media_link(url).is_err(), "{url}");
        }
        for (url, code) in [
            ("http://example.com/a.jpg", "INVALID_URL"),
            ("ftp://127.0.0.1/a.jpg", "INVALID_URL"),
            ("http://10.0.0.1/a.jpg", "INVALID_URL"),
            ("https://10.0.0.1/a.jpg", "UNREACHABLE_URL"),
            ("https://api.localhost/a.jpg", "UNREACHABLE_URL"),
            ("http://user@127.0.0.1/a.jpg", "INVALID_URL"),
        ] {
            assert_eq!(
                check_media_link_with(url, true).map_err(|e| e.0),
                Err(code),
                "{url}"
            );
        }
        assert_eq!(
            check_media_link_with("https://example.com/a.jpg", true),
            Ok(())
        );
    }

    #[test]
    fn loopback_urls() {
        for url in [
            "http://127.0.0.1:4010",
            "http://localhost:4010/api",
            "https://[::1]",
            "http://127.1",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://api.sendexa.co",
            "https://127.0.0.1.evil.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "http://api.localhost",
            "",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }

    #[test]
    fn cta_links_only_need_https() {
        assert_eq!(check_https_link("https://localhost/x"), Ok(()));
        assert!(check_https_link("http://example.com").is_err());
    }
}
