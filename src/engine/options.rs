//! The one contract of every options object the SDK takes: an unknown key is an
//! `INVALID_ARGUMENT` that names the key and, when one is close, the valid key it was probably
//! meant to be; a callback that is not a function and a bulk `concurrency` out of its bounds are
//! refused the same way everywhere.
//!
//! ```
//! use sendexa_whatsapp::engine::options::{check_keys, nearest};
//!
//! assert_eq!(nearest("signl", &["signal", "template", "validate"]), Some("signal"));
//! let err = check_keys(["signl"], "send", &["signal", "template", "validate"]).unwrap_err();
//! assert_eq!(err.code(), "INVALID_ARGUMENT");
//! assert!(err.to_string().starts_with(r#"unknown option "signl" (did you mean "signal"?)"#));
//! ```

use crate::engine::error::{clip, Error};

/// The bulk calls' (`sendBulk`, `checkNumbers`) requests in flight at once, when not given.
pub const CONCURRENCY_DEFAULT: u32 = 8;
/// The most requests in flight at once a bulk call takes (`options.concurrency`).
pub const CONCURRENCY_MAX: u32 = 32;

/// The edit distance between `a` and `b`, in characters: insertions, deletions, substitutions
/// and transpositions of two neighbours (`sned` → `send`) each cost 1 (the optimal string
/// alignment distance). Inputs longer than 64 characters are compared on their first 64: option
/// names are short, and a pasted megabyte must not cost a quadratic walk.
pub fn edit_distance(a: &str, b: &str) -> usize {
    const MAX: usize = 64;
    let a: Vec<char> = a.chars().take(MAX).collect();
    let b: Vec<char> = b.chars().take(MAX).collect();
    // Rows of the table: `row[j]` is the distance between a[..i] and b[..j]; `before` is the
    // row above it (for transpositions).
    let mut before: Vec<usize> = Vec::new();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut next = Vec::with_capacity(row.len());
        next.push(i.saturating_add(1));
        for (j, cb) in b.iter().enumerate() {
            let at = |r: &[usize], k: usize| r.get(k).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != cb);
            let mut best = at(&row, j)
                .saturating_add(cost)
                .min(at(&row, j.saturating_add(1)).saturating_add(1))
                .min(at(&next, j).saturating_add(1));
            let swapped = i > 0
                && j > 0
                && a.get(i.wrapping_sub(1)) == Some(cb)
                && b.get(j.wrapping_sub(1)) == Some(ca);
            if swapped {
                best = best.min(at(&before, j.wrapping_sub(1)).saturating_add(1));
            }
            next.push(best);
        }
        before = std::mem::replace(&mut row, next);
    }
    row.last().copied().unwrap_or(0)
}

/// The valid key `key` most probably meant: the same name in another case, else one it begins or
/// ends (4 characters at least: `tolerance` → `toleranceSeconds`), else the nearest by
/// [`edit_distance`] if it is at most a third of the longer name (at least 1, at most 3) — a typo,
/// not another word. Ties go to the first in `valid`.
pub fn nearest<'a>(key: &str, valid: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = valid.iter().find(|v| v.eq_ignore_ascii_case(key)) {
        return Some(same);
    }
    // A key cut short or run on (`tolerance` for `toleranceSeconds`).
    if key.chars().count() >= 4 {
        let prefix = valid
            .iter()
            .find(|v| v.starts_with(key) || key.starts_with(**v));
        if let Some(name) = prefix {
            return Some(name);
        }
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in valid {
        let distance = edit_distance(key, candidate);
        let longer = key.chars().count().max(candidate.chars().count());
        let allowed = (longer / 3).clamp(1, 3);
        if distance <= allowed && best.map_or(true, |(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// The error for an unknown key of `what`'s options (`what` like `"send"` or `"new Sendexa"`):
/// `unknown option "signl" (did you mean "signal"?); send takes signal, template, validate`.
pub fn unknown_option(key: &str, what: &str, valid: &[&str]) -> Error {
    let hint = nearest(key, valid)
        .map(|n| format!(" (did you mean \"{n}\"?)"))
        .unwrap_or_default();
    let takes = if valid.is_empty() {
        format!("{what} takes no options")
    } else {
        format!("{what} takes {}", valid.join(", "))
    };
    Error::InvalidArgument {
        message: format!(
            "unknown option \"{}\"{hint}; {takes}",
            clip(key.to_string(), 60)
        ),
    }
}

/// `Ok` when every key is in `valid`; else the error for the first one that is not.
pub fn check_keys<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    what: &str,
    valid: &[&str],
) -> Result<(), Error> {
    match keys.into_iter().find(|k| !valid.contains(k)) {
        Some(key) => Err(unknown_option(key, what, valid)),
        None => Ok(()),
    }
}

/// The error for an option that must be a function and is not (`got` is the value's type).
pub fn not_a_function(path: &str, got: &str) -> Error {
    Error::InvalidArgument {
        message: format!("{path} must be a function, not {got}"),
    }
}

/// A bulk call's `options.concurrency`: `None` gives [`CONCURRENCY_DEFAULT`]; else a whole number
/// from 1 to [`CONCURRENCY_MAX`], the same rule for `sendBulk` and `checkNumbers`.
pub fn concurrency(given: Option<f64>) -> Result<u32, Error> {
    match given {
        None => Ok(CONCURRENCY_DEFAULT),
        Some(n) if n.fract() == 0.0 && (1.0..=f64::from(CONCURRENCY_MAX)).contains(&n) => {
            Ok(n as u32)
        }
        Some(_) => Err(Error::InvalidArgument {
            message: format!(
                "options.concurrency must be a whole number from 1 to {CONCURRENCY_MAX} (default {CONCURRENCY_DEFAULT})"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        for (a, b, d) in [
            ("", "", 0),
            ("signal", "signal", 0),
            ("signl", "signal", 1),
            ("signal", "sginal", 1),
            ("sned", "send", 1),
            ("ab", "ba", 1),
            ("abc", "ca", 3),
            ("signals", "signal", 1),
            ("kitten", "sitting", 3),
            ("", "abc", 3),
            ("abc", "", 3),
            ("Signal", "signal", 1),
            ("ß", "ss", 2),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a:?} {b:?}");
            assert_eq!(edit_distance(b, a), d, "{b:?} {a:?}");
        }
        // Long inputs are cut, so this stays fast and bounded.
        let long = "x".repeat(1_000_000);
        assert_eq!(edit_distance(&long, "signal"), 64);
    }

    #[test]
    fn nearest_suggests_typos_and_case_slips_not_other_words() {
        let send = ["signal", "template", "validate"];
        assert_eq!(nearest("signl", &send), Some("signal"));
        assert_eq!(nearest("SIGNAL", &send), Some("signal"));
        assert_eq!(nearest("tempalte", &send), Some("template"));
        assert_eq!(nearest("validat", &send), Some("validate"));
        assert_eq!(nearest("timeout", &send), None);
        assert_eq!(nearest("x", &send), None);
        assert_eq!(nearest("", &send), None);
        let client = ["timeoutMs", "maxRetries", "baseUrl"];
        assert_eq!(nearest("timeout", &client), Some("timeoutMs"));
        assert_eq!(nearest("baseURL", &client), Some("baseUrl"));
        assert_eq!(nearest("maxRetry", &client), Some("maxRetries"));
        assert_eq!(nearest("anything", &[]), None);
        let verify = ["body", "headers", "secret", "toleranceSeconds"];
        assert_eq!(nearest("tolerance", &verify), Some("toleranceSeconds"));
        assert_eq!(nearest("secretKey", &verify), Some("secret"));
        assert_eq!(nearest("sec", &verify), None);
    }

    #[test]
    fn unknown_keys_name_the_key_the_nearest_and_the_valid_ones() {
        let err = check_keys(
            ["signal", "signl"],
            "send",
            &["signal", "template", "validate"],
        )
        .unwrap_err();
        assert_eq!(err.code(), "INVALID_ARGUMENT");
        assert_eq!(
            err.to_string(),
            r#"unknown option "signl" (did you mean "signal"?); send takes signal, template, validate"#
        );
        let err = check_keys(["zzz"], "status", &["signal"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"unknown option "zzz"; status takes signal"#
        );
        assert!(check_keys(["signal"], "status", &["signal"]).is_ok());
        assert!(check_keys([], "status", &[]).is_ok());
        let err = check_keys(["a"], "f", &[]).unwrap_err();
        assert_eq!(err.to_string(), r#"unknown option "a"; f takes no options"#);
        // A huge key is clipped in the message.
        let huge = "k".repeat(100_000);
        let err = check_keys([huge.as_str()], "f", &["signal"]).unwrap_err();
        assert!(err.to_string().chars().count() < 120, "{err}");
    }

    #[test]
    fn concurrency_has_one_rule() {
        assert_eq!(concurrency(None).unwrap(), CONCURRENCY_DEFAULT);
        assert_eq!(concurrency(Some(1.0)).unwrap(), 1);
        assert_eq!(concurrency(Some(32.0)).unwrap(), CONCURRENCY_MAX);
        for bad in [0.0, -1.0, 33.0, 2.5, f64::NAN, f64::INFINITY] {
            let err = concurrency(Some(bad)).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
            assert!(err.to_string().contains("from 1 to 32"), "{err}");
        }
    }
}
