//! From a string to a validated [`ValidNumber`], following libphonenumber's `parse` and
//! `isValidNumber` step by step (the Java method names are in the comments), over [`tables`].

use super::tables::{self, Tables, Territory};
use super::{NumberType, PhoneError, PhoneErrorReason as Reason, ValidNumber};

/// libphonenumber gives up on national numbers longer than this.
const MAX_NSN: usize = 17;
/// E.164: at most 15 digits, calling code included.
const MAX_E164: usize = 15;
/// More characters than any spelling of a phone number needs (libphonenumber's limit too).
const MAX_INPUT: usize = 250;
/// The most digits an input may hold: a national number with room for an IDD (up to 4 digits)
/// and a trunk prefix. Anything longer is never a number.
const MAX_DIGITS: usize = MAX_NSN + 5;

/// Digit values (0..=9) on the stack: checking a number allocates nothing. Room for
/// [`MAX_DIGITS`] and what a national-prefix transform rule adds.
#[derive(Clone, Copy)]
struct Digits {
    buf: [u8; 32],
    len: usize,
}

impl Digits {
    const EMPTY: Digits = Digits {
        buf: [0; 32],
        len: 0,
    };

    /// `None` (and nothing added) when full.
    fn push(&mut self, d: u8) -> Option<()> {
        *self.buf.get_mut(self.len)? = d;
        self.len = self.len.checked_add(1)?;
        Some(())
    }

    /// `None` (and nothing added) when `digits` do not fit.
    fn extend(&mut self, digits: &[u8]) -> Option<()> {
        let end = self.len.checked_add(digits.len())?;
        self.buf.get_mut(self.len..end)?.copy_from_slice(digits);
        self.len = end;
        Some(())
    }

    fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// How the calling code was given (libphonenumber's `CountryCodeSource`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Plus,
    Idd,
    /// Bare digits read as calling code + national number (no default region, or the fallback).
    International,
    /// A national number of the default region.
    Default,
}

/// Why a string was rejected, before any message is written: checking many numbers (`is_valid`,
/// `validatePhones`) never formats one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Failure {
    pub reason: Reason,
    pub why: &'static str,
}

fn fail(reason: Reason, why: &'static str) -> Failure {
    Failure { reason, why }
}

/// The `why` of a default region that is no region of the metadata.
const UNKNOWN_REGION: &str =
    "the default region is not a known region code (use ISO 3166, such as \"GH\")";

/// The error a person reads: the reason, the input (at most 40 characters of it, so a pasted
/// megabyte does not end up in logs) and why.
fn error(failure: Failure, input: &str) -> PhoneError {
    let shown = first_chars(input, 40);
    let more = if shown.len() < input.len() { "…" } else { "" };
    let parts = [
        "\"",
        shown,
        more,
        "\" is not a valid phone number: ",
        failure.why,
    ];
    let mut message = String::new();
    for part in parts {
        message.push_str(part);
    }
    PhoneError::new(failure.reason, message)
}

/// `s` without its leading and trailing ASCII whitespace (what surrounds a pasted region code).
fn trim(s: &str) -> &str {
    let mut bytes = s.as_bytes();
    while let [b, rest @ ..] = bytes {
        if !b.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., b] = bytes {
        if !b.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    // Only ASCII bytes were cut: what is left is still UTF-8.
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// The first `n` characters of `s` (all of it when shorter).
fn first_chars(s: &str, n: usize) -> &str {
    // Every byte but a UTF-8 continuation byte (0b10xx_xxxx) starts a character.
    let end = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| b & 0xc0 != 0x80)
        .nth(n)
        .map_or(s.len(), |(at, _)| at);
    s.get(..end).unwrap_or(s)
}

/// [`check`], with the message written.
pub(super) fn parse(input: &str, default_region: Option<&str>) -> Result<ValidNumber, PhoneError> {
    check(input, default_region).map_err(|f| error(f, input))
}

/// [`parse`] without the message: the reason and a static explanation.
pub(super) fn check(input: &str, default_region: Option<&str>) -> Result<ValidNumber, Failure> {
    let Some(tables) = tables::tables() else {
        return Err(fail(
            Reason::NotANumber,
            "the phone metadata failed to load",
        ));
    };
    let region = match default_region.map(trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => match tables.region(r) {
            Some(t) => Some(t),
            None => return Err(fail(Reason::InvalidCountryCode, UNKNOWN_REGION)),
        },
    };
    let (plus, digits) = scan(input)?;
    let first = parse_digits(tables, plus, digits.as_slice(), region);
    // Our own leniency, beyond libphonenumber: with a default region, digits that are not a valid
    // national number of it but are a valid number when read with a calling code first
    // ("447911123456" with "GH") are taken as international.
    match (&first, region) {
        (Err(_), Some(_)) if !plus => match parse_digits(tables, false, digits.as_slice(), None) {
            Ok(n) => Ok(n),
            Err(_) => first,
        },
        _ => first,
    }
}

/// Reads the characters: a leading `+`, ASCII digits and separators. Returns (has plus, digits as 0..=9).
fn scan(input: &str) -> Result<(bool, Digits), Failure> {
    if input.len() > MAX_INPUT {
        return Err(fail(Reason::TooLong, "it is longer than any phone number"));
    }
    let mut plus = false;
    let mut digits = Digits::EMPTY;
    // Every digit counts, kept or not: past MAX_DIGITS the answer is TOO_LONG, unless a later
    // character makes it not a number at all.
    let mut count = 0usize;
    for (i, c) in input.char_indices() {
        match c {
            '0'..='9' => {
                count = count.saturating_add(1);
                let _ = digits.push(super::digit_value(c as u8));
            }
            '+' | '\u{FF0B}' if !plus && count == 0 => plus = true,
            '+' | '\u{FF0B}' => {
                return Err(fail(
                    Reason::NotANumber,
                    "a \"+\" may only start the number",
                ))
            }
            '-' | '.' | '/' | '(' | ')' | '[' | ']' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() => {}
            '#' | ';' | ',' | '*' => {
                return Err(fail(
                    Reason::NotANumber,
                    "extensions and dialling codes are not supported",
                ))
            }
            // Other scripts' digits, by their Unicode blocks (Arabic-Indic, extended Arabic-Indic,
            // Devanagari, Bengali, full-width): named ranges rather than `char::is_numeric`,
            // whose Unicode tables would cost the .wasm more than the rest of this function.
            '\u{660}'..='\u{669}'
            | '\u{6F0}'..='\u{6F9}'
            | '\u{966}'..='\u{96F}'
            | '\u{9E6}'..='\u{9EF}'
            | '\u{FF10}'..='\u{FF19}' => {
                return Err(fail(
                    Reason::NotANumber,
                    "only the ASCII digits 0-9 are accepted",
                ))
            }
            c if c.is_ascii_alphabetic() => {
                let rest = input.as_bytes().get(i..).unwrap_or_default();
                let starts = |word: &[u8]| {
                    rest.get(..word.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(word))
                };
                let why = if count > 0 && (starts(b"ext") || starts(b"x") || starts(b"doblado")) {
                    "extensions are not supported"
                } else {
                    "it contains letters"
                };
                return Err(fail(Reason::NotANumber, why));
            }
            _ => {
                return Err(fail(
                    Reason::NotANumber,
                    "it contains characters other than digits, separators and a leading \"+\"",
                ))
            }
        }
    }
    if count == 0 {
        return Err(fail(Reason::NotANumber, "it has no digits"));
    }
    if count > MAX_DIGITS {
        return Err(fail(Reason::TooLong, "it has more than 15 digits"));
    }
    Ok((plus, digits))
}

fn parse_digits(
    tables: &Tables,
    plus: bool,
    digits: &[u8],
    region: Option<&Territory>,
) -> Result<ValidNumber, Failure> {
    // Room for the national numbers that a national-prefix transform rule rewrites.
    let (mut rewritten, mut rewritten_again) = (Digits::EMPTY, Digits::EMPTY);
    // maybeStripInternationalPrefixAndNormalize
    let (source, rest): (Source, &[u8]) = if plus {
        (Source::Plus, digits)
    } else if let Some(region) = region {
        match strip_idd(region.idd, digits) {
            Some(rest) => (Source::Idd, rest),
            None => (Source::Default, digits),
        }
    } else if let Some(rest) = digits.strip_prefix(&[0, 0][..]) {
        (Source::Idd, rest)
    } else if let Some(rest) = digits.strip_prefix(&[0, 1, 1][..]) {
        (Source::Idd, rest)
    } else {
        (Source::International, digits)
    };

    // maybeExtractCountryCode
    let (cc, mut national, metadata): (u16, &[u8], &Territory) = if source != Source::Default {
        if rest.len() <= 2 {
            return Err(fail(
                Reason::TooShort,
                "too few digits after the international prefix",
            ));
        }
        let Some((cc, len)) = extract_country_code(tables, rest) else {
            let why = if source == Source::International {
                "it does not start with a country calling code (give a default region for national numbers)"
            } else {
                "the country calling code is not assigned"
            };
            return Err(fail(Reason::InvalidCountryCode, why));
        };
        let Some(main) = tables.main_for_code(cc) else {
            return Err(fail(
                Reason::InvalidCountryCode,
                "the country calling code is not assigned",
            ));
        };
        (cc, rest.get(len..).unwrap_or_default(), main)
    } else {
        // `Default` implies a region.
        let Some(region) = region else {
            return Err(fail(Reason::InvalidCountryCode, "no country calling code"));
        };
        let cc = region.country_code;
        let mut national = rest;
        let (head, after) = rest
            .split_at_checked(super::code_len(cc))
            .unwrap_or_default();
        if head
            .iter()
            .fold(0u16, |v, d| v.wrapping_mul(10).wrapping_add(u16::from(*d)))
            == cc
        {
            // The default region's own calling code without a "+": keep the shorter reading when
            // it is the better number (libphonenumber's rule).
            let stripped =
                strip_national_prefix(tables, region, after, &mut rewritten).unwrap_or(after);
            if (!tables.matches_general_pattern(region, rest)
                && tables.matches_general_pattern(region, stripped))
                || test_length(region, rest.len()) == Length::TooLong
            {
                national = stripped;
            }
        }
        (cc, national, region)
    };

    let too_short = || fail(Reason::TooShort, "the national number is too short");
    if national.len() < 2 {
        return Err(too_short());
    }
    // parseHelper: strip the national (trunk) prefix when what is left is still a possible length.
    if let Some(stripped) = strip_national_prefix(tables, metadata, national, &mut rewritten_again)
    {
        if !matches!(
            test_length(metadata, stripped.len()),
            Length::TooShort | Length::LocalOnly | Length::Invalid
        ) {
            national = stripped;
        }
    }
    if national.len() < 2 {
        return Err(too_short());
    }
    // The calling code has 1 to 3 digits.
    let cc_len = super::code_len(cc);
    let too_long = || fail(Reason::TooLong, "it has more than 15 digits");
    if national.len() > MAX_NSN || cc_len.saturating_add(national.len()) > MAX_E164 {
        return Err(too_long());
    }

    // isValidNumber: getRegionCodeForNumber, then isValidNumberForRegion.
    let regions = tables.for_code(cc);
    let mut found: Option<(&Territory, u16)> = None;
    if let [t] = regions {
        found = Some((t, tables.classify(t, national)));
    } else {
        for t in regions {
            let label = tables.classify(t, national);
            if t.has_leading_digits() {
                if label & tables::LEADING_DIGITS != 0 {
                    found = Some((t, label));
                    break;
                }
            } else if number_type(label).is_some() {
                found = Some((t, label));
                break;
            }
        }
    }
    if let Some((t, label)) = found {
        if let Some(number_type) = number_type(label) {
            return ValidNumber::new(cc, national, t.id, number_type).ok_or_else(too_long);
        }
    }
    // isPossibleNumberWithReason, against the calling code's main region, for the reason.
    let main = tables.main_for_code(cc).unwrap_or(metadata);
    Err(match test_length(main, national.len()) {
        Length::TooShort => fail(Reason::TooShort, "too few digits for that country"),
        Length::TooLong => fail(Reason::TooLong, "too many digits for that country"),
        Length::Invalid | Length::LocalOnly => fail(
            Reason::InvalidLength,
            "no number of that country has that many digits",
        ),
        Length::Possible => fail(
            Reason::InvalidForRegion,
            "the country does not assign numbers like it",
        ),
    })
}

/// extractCountryCode: the first 1 to 3 digits that are an assigned calling code.
fn extract_country_code(tables: &Tables, digits: &[u8]) -> Option<(u16, usize)> {
    if digits.first() == Some(&0) {
        return None;
    }
    let mut cc = 0u16;
    for (len, d) in (1..=3).zip(digits) {
        // At most 3 digits: `cc` stays below 1000.
        cc = cc.checked_mul(10)?.checked_add(u16::from(*d))?;
        if !tables.for_code(cc).is_empty() {
            return Some((cc, len));
        }
    }
    None
}

/// parsePrefixAsIdd: strips the region's international prefix unless a 0 follows it.
fn strip_idd<'a>(idd: &[u8], digits: &'a [u8]) -> Option<&'a [u8]> {
    if idd.is_empty() {
        return None;
    }
    let (end, _) = tables::looking_at(idd, digits)?;
    let rest = digits.get(end..)?;
    if rest.first() == Some(&0) {
        return None;
    }
    Some(rest)
}

/// maybeStripNationalPrefixAndCarrierCode: the number without its national prefix (and carrier
/// code), transformed as the metadata says, or `None` when nothing is stripped.
fn strip_national_prefix<'a>(
    tables: &Tables,
    t: &Territory,
    number: &'a [u8],
    rewritten: &'a mut Digits,
) -> Option<&'a [u8]> {
    if number.is_empty() || t.national_prefix.is_empty() {
        return None;
    }
    let (end, slots) = tables::looking_at(t.national_prefix, number)?;
    let viable = |n: &[u8]| tables.matches_general_pattern(t, n);
    let viable_original = viable(number);
    let groups = usize::from(t.national_prefix_groups);
    // Java's group(0) is the whole match, never null.
    let last_group_set = groups == 0 || matches!(group(&slots, groups), Some([_, Some(_)]));
    let rest = number.get(end..)?;
    let result = if t.transform.is_empty() || !last_group_set {
        rest
    } else {
        // Matcher.replaceFirst(transformRule): the rule with $n expanded, then the rest. The
        // generator wrote each `$n` as the byte 0x60 + n, the digits as themselves.
        let out = rewritten;
        for b in t.transform {
            if b & 0x60 == 0x60 {
                if let Some([Some(s), Some(e)]) = group(&slots, usize::from(b & 0x0f)) {
                    out.extend(number.get(*s..*e)?)?;
                }
            } else {
                out.push(super::digit_value(*b))?;
            }
        }
        out.extend(rest)?;
        out.as_slice()
    };
    if viable_original && !viable(result) {
        return None;
    }
    Some(result)
}

/// The start and end slots of capture group `g`.
fn group(slots: &tables::Captures, g: usize) -> Option<&[Option<usize>]> {
    slots.chunks_exact(2).nth(g)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

/// testNumberLength against the general description's possible lengths.
#[inline(never)]
fn test_length(t: &Territory, len: usize) -> Length {
    let lengths = t.lengths;
    // The highest possible length; none at all when `lengths` is 0.
    let Some(max) = lengths.checked_ilog2() else {
        return Length::Invalid;
    };
    let bit = |mask: u32| len < 32 && mask >> len & 1 == 1;
    if bit(t.local_only) {
        return Length::LocalOnly;
    }
    let min = lengths.trailing_zeros() as usize;
    let max = max as usize;
    if len < min {
        Length::TooShort
    } else if len > max {
        Length::TooLong
    } else if bit(lengths) {
        Length::Possible
    } else {
        Length::Invalid
    }
}

/// getNumberTypeHelper, from a state label; `None` is libphonenumber's UNKNOWN (not valid).
fn number_type(label: u16) -> Option<NumberType> {
    use tables::*;
    use NumberType::*;
    // By label bit, 1..=10: the first that matches wins, except that a fixed line that is also a
    // mobile number is both.
    static BY_BIT: [NumberType; 10] = [
        PremiumRate,
        TollFree,
        SharedCost,
        Voip,
        PersonalNumber,
        Pager,
        Uan,
        Voicemail,
        FixedLine,
        Mobile,
    ];
    if label & GENERAL == 0 {
        return None;
    }
    let bit = (label & NUMBER_TYPES).trailing_zeros();
    if bit == FIXED_LINE.trailing_zeros() && label & MOBILE != 0 {
        return Some(FixedLineOrMobile);
    }
    // No type at all: bit 16, past the table.
    BY_BIT
        .get(usize::try_from(bit).ok()?.checked_sub(1)?)
        .copied()
}

/// isValidNumberForRegion: the type of national number `nsn` in region `id` with calling code `cc`.
#[cfg(test)]
pub(super) fn type_in_region(cc: u16, nsn: &str, id: &str) -> Option<NumberType> {
    let tables = tables::tables()?;
    let t = tables.for_code(cc).iter().find(|t| t.id == id)?;
    let digits: Vec<u8> = nsn.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    number_type(tables.classify(t, &digits))
}
