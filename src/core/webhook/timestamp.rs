//! Timestamps in webhook headers and payloads: ISO 8601 (`2024-01-15T10:30:00Z`,
//! `2024-01-15T10:30:00.250+02:00`) or Unix time as a number (seconds; values of 10^11 and above
//! are taken as milliseconds, since no webhook is dated before 1973 or after 5138).
//!
//! ```
//! use sendexa_whatsapp::core::webhook::timestamp::parse_timestamp_ms;
//! assert_eq!(parse_timestamp_ms("2024-01-15T10:30:00Z"), Some(1_705_314_600_000.0));
//! assert_eq!(parse_timestamp_ms("1705314600"), Some(1_705_314_600_000.0));
//! assert_eq!(parse_timestamp_ms("yesterday"), None);
//! ```

/// Milliseconds since the Unix epoch for an ISO 8601 date-time or a Unix timestamp, or `None`.
pub fn parse_timestamp_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let value: f64 = text.parse().ok()?;
        return Some(if value >= 1e11 { value } else { value * 1000.0 });
    }
    parse_iso8601_ms(text)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; a space may stand for the `T`.
fn parse_iso8601_ms(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let digits = |start: usize, len: usize| -> Option<i64> {
        let slice = bytes.get(start..start.checked_add(len)?)?;
        slice.iter().try_fold(0i64, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
        })
    };
    let expect = |at: usize, what: &[u8]| bytes.get(at).is_some_and(|b| what.contains(b));
    let year = digits(0, 4)?;
    let month = digits(5, 2)?;
    let day = digits(8, 2)?;
    let hour = digits(11, 2)?;
    let minute = digits(14, 2)?;
    let second = digits(17, 2)?;
    if !(expect(4, b"-")
        && expect(7, b"-")
        && expect(10, b"Tt ")
        && expect(13, b":")
        && expect(16, b":"))
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut fraction_ms = 0.0;
    if expect(at, b".,") {
        let start = at + 1;
        let mut end = start;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == start {
            return None;
        }
        let fraction: f64 = format!("0.{}", text.get(start..end)?).parse().ok()?;
        fraction_ms = fraction * 1000.0;
        at = end;
    }
    let offset_minutes = match bytes.get(at) {
        Some(b'Z' | b'z') if at + 1 == bytes.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(at + 1, 2)?;
            let (minutes, end) = if expect(at + 3, b":") {
                (digits(at + 4, 2)?, at + 6)
            } else {
                (digits(at + 3, 2)?, at + 5)
            };
            if end != bytes.len() || hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds as f64 * 1000.0 + fraction_ms)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        assert_eq!(parse_timestamp_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_timestamp_ms("2024-02-29T23:59:59.5Z"),
            Some(1_709_251_199_500.0)
        );
        assert_eq!(
            parse_timestamp_ms("2024-01-15T12:30:00+02:00"),
            parse_timestamp_ms("2024-01-15T10:30:00Z")
        );
        assert_eq!(
            parse_timestamp_ms("2024-01-15T05:30:00-0500"),
            parse_timestamp_ms("2024-01-15T10:30:00Z")
        );
        assert_eq!(
            parse_timestamp_ms("2024-01-15 10:30:00Z"),
            Some(1_705_314_600_000.0)
        );
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(parse_timestamp_ms("1705314600"), Some(1_705_314_600_000.0));
        assert_eq!(
            parse_timestamp_ms("1705314600000"),
            Some(1_705_314_600_000.0)
        );
        assert_eq!(
            parse_timestamp_ms(" 1705314600.5 "),
            Some(1_705_314_600_500.0)
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-15T10:30:00",
            "2024-01-15T10:30:00Zjunk",
            "2024-01-15T10:30:00.Z",
            "2024-01-15T24:00:00Z",
            "2024-1-15T10:30:00Z",
            "1.2.3",
            "٢٠٢٤-01-15T10:30:00Z",
        ] {
            assert_eq!(parse_timestamp_ms(bad), None, "{bad:?}");
        }
    }
}
