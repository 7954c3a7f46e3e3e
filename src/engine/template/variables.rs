//! The one scanner of `{{…}}` variables in a template's text, used by the definition check and by
//! the parameter check, so both read a text the same way.
//!
//! Meta's rule: a positional variable is a number (`{{1}}`, spaces inside the braces allowed); a
//! named one (`parameter_format: "NAMED"`) uses lowercase letters, digits and underscores only
//! (`{{first_name}}`). `{{First_Name}}` is neither: the definition check refuses it, and the
//! parameter check does not count it as a variable.
//!
//! ```
//! use sendexa_whatsapp::engine::template::variables::{scan, Variable};
//!
//! let found: Vec<_> = scan("Hi {{ 1 }}, {{first_name}} {{First_Name}} {{2").collect();
//! assert_eq!(found, [
//!     Variable::Positional { digits: "1", number: Some(1) },
//!     Variable::Named("first_name"),
//!     Variable::Malformed("First_Name"),
//!     Variable::Unclosed,
//! ]);
//! ```

use crate::engine::text::split_once;

/// One `{{…}}` in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variable<'a> {
    /// `{{1}}`: its digits, and its number (`None` when there are too many digits for one).
    Positional {
        /// The digits between the braces.
        digits: &'a str,
        /// Their value, when it fits a `u64`.
        number: Option<u64>,
    },
    /// `{{first_name}}`: a name by Meta's rule ([`is_name`]).
    Named(&'a str),
    /// Anything else between the braces (trimmed): `{{First_Name}}`, `{{a b}}`, `{{}}`.
    Malformed(&'a str),
    /// A `{{` with no `}}` after it; the scan ends there.
    Unclosed,
}

/// Whether `s` is a name Meta allows for a named variable or parameter: lowercase ASCII letters,
/// digits and underscores, not empty.
pub fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The variables in `text`, in order.
pub fn scan(text: &str) -> impl Iterator<Item = Variable<'_>> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let (_, after) = split_once(rest?, "{{")?;
        let Some((inner, next)) = split_once(after, "}}") else {
            rest = None;
            return Some(Variable::Unclosed);
        };
        rest = Some(next);
        let inner = inner.trim();
        Some(
            if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                Variable::Positional {
                    digits: inner,
                    number: inner.parse().ok(),
                }
            } else if is_name(inner) {
                Variable::Named(inner)
            } else {
                Variable::Malformed(inner)
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_each_kind() {
        let all: Vec<_> =
            scan("{{1}} {{ 22 }} {{99999999999999999999999}} {{a_1}} {{A}} {{a b}} {{ }} {{x")
                .collect();
        assert_eq!(
            all,
            [
                Variable::Positional {
                    digits: "1",
                    number: Some(1)
                },
                Variable::Positional {
                    digits: "22",
                    number: Some(22)
                },
                Variable::Positional {
                    digits: "99999999999999999999999",
                    number: None
                },
                Variable::Named("a_1"),
                Variable::Malformed("A"),
                Variable::Malformed("a b"),
                Variable::Malformed(""),
                Variable::Unclosed,
            ]
        );
        assert_eq!(scan("no variables }} {").count(), 0);
        assert!(is_name("first_name") && is_name("x2") && !is_name("First_Name") && !is_name(""));
    }
}
