//! Searching text for a substring, without `str`'s pattern machinery.
//!
//! `str::contains("…")`, `split_once("…")` and `find("…")` with a string pattern bring core's
//! two-way searcher into the .wasm, and with it a panic message that formats characters with
//! `Debug`, which pulls in Unicode's printable and grapheme tables: several kilobytes for the few
//! short searches the SDK makes (hosts, URLs, dates, template placeholders, engine messages).
//! These search the bytes instead, which in UTF-8 finds exactly the same matches: a match of
//! valid UTF-8 in valid UTF-8 always starts and ends on character boundaries. Character patterns
//! (`contains(':')`) use a plain byte search already and need none of this.
//!
//! ```
//! use sendexa_whatsapp::engine::text::{contains, find, replace, split_once};
//! assert_eq!(find("a::b", "::"), Some(1));
//! assert!(contains("https://x", "://"));
//! assert_eq!(split_once("Tue, 15 Jan", ", "), Some(("Tue", "15 Jan")));
//! assert_eq!(split_once("abc", "::"), None);
//! assert_eq!(replace("a-b-c", "-", "+"), "a+b+c");
//! ```

/// The byte offset of the first occurrence of `needle` in `haystack` (`Some(0)` for an empty
/// needle), as `str::find` gives it.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Whether `needle` occurs in `haystack`, as `str::contains` says.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `haystack` split around the first occurrence of `needle`, as `str::split_once` splits it.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(haystack, needle)?;
    Some((
        haystack.get(..at)?,
        haystack.get(at.checked_add(needle.len())?..)?,
    ))
}

/// `haystack` with every occurrence of `needle` replaced by `with`, as `str::replace` does; an
/// empty `needle` replaces nothing.
pub fn replace(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    let mut out = String::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some((before, after)) = split_once(rest, needle) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as `str`'s own, on text with multi-byte characters around the matches.
    #[test]
    fn answers_as_str_does() {
        let haystacks = [
            "",
            "a",
            "::",
            "a::b::c",
            "é::ü",
            "{{1}} and {{2}}",
            "日本::語",
            "ab",
            "aab",
        ];
        let needles = ["", ":", "::", "{{", "}}", "é", "本::", "ab", "b"];
        for h in haystacks {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "{h} / {n}");
                assert_eq!(contains(h, n), h.contains(n), "{h} / {n}");
                assert_eq!(split_once(h, n), h.split_once(n), "{h} / {n}");
                if !n.is_empty() {
                    assert_eq!(replace(h, n, "[x]"), h.replace(n, "[x]"), "{h} / {n}");
                }
            }
        }
    }
}
