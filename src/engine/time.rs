//! Dates and times, read from text into epoch milliseconds; the one copy of the calendar
//! arithmetic. Uses std only.
//!
//! Timestamps in webhook headers and payloads and in `planResend`'s state: ISO 8601
//! (`2024-01-15T10:30:00Z`, `2024-01-15T10:30:00.250+02:00`) or Unix time as a number (seconds;
//! values of 10^11 and above are taken as milliseconds, since no webhook is dated before 1973 or
//! after 5138). HTTP dates (`Retry-After`): [`http_date_ms`].
//!
//! ```
//! use sendexa_whatsapp::engine::time::parse_timestamp_ms;
//! assert_eq!(parse_timestamp_ms("2024-01-15T10:30:00Z"), Some(1_705_314_600_000.0));
//! assert_eq!(parse_timestamp_ms("1705314600"), Some(1_705_314_600_000.0));
//! assert_eq!(parse_timestamp_ms("yesterday"), None);
//! ```

use crate::engine::text::split_once;

/// Milliseconds since the Unix epoch for an ISO 8601 date-time or a Unix timestamp, or `None`.
pub fn parse_timestamp_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let value = crate::engine::json::parse_f64(text)?;
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
            let digit = char::from(b).to_digit(10)?;
            acc.checked_mul(10)?.checked_add(i64::from(digit))
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
    // What follows the seconds: an optional fraction, then the zone, then nothing.
    let mut rest = bytes.get(19..)?;
    let mut fraction_ms = 0.0;
    if let [b'.' | b',', after_point @ ..] = rest {
        let len = after_point
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let (fraction, after) = after_point.split_at_checked(len)?;
        if fraction.is_empty() {
            return None;
        }
        let fraction =
            crate::engine::json::parse_f64(&format!("0.{}", std::str::from_utf8(fraction).ok()?))?;
        fraction_ms = fraction * 1000.0;
        rest = after;
    }
    let two_digits = |high: u8, low: u8| {
        let digit = |b: u8| char::from(b).to_digit(10).map(i64::from);
        digit(high)?.checked_mul(10)?.checked_add(digit(low)?)
    };
    let offset_minutes = match *rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let hours = two_digits(h1, h2)?;
            let minutes = two_digits(m1, m2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours.checked_mul(60)?.checked_add(minutes)?;
            if sign == b'+' {
                total
            } else {
                total.checked_neg()?
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day)?;
    let seconds = seconds_since_epoch(days, hour, minute, second)?
        .checked_sub(offset_minutes.checked_mul(60)?)?;
    Some(seconds as f64 * 1000.0 + fraction_ms)
}

/// An IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`) as epoch milliseconds.
pub fn http_date_ms(text: &str) -> Option<f64> {
    let rest = split_once(text, ", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, zone] = parts.as_slice() else {
        return None;
    };
    if *zone != "GMT" {
        return None;
    }
    const MONTHS: [(&str, i64); 12] = [
        ("Jan", 1),
        ("Feb", 2),
        ("Mar", 3),
        ("Apr", 4),
        ("May", 5),
        ("Jun", 6),
        ("Jul", 7),
        ("Aug", 8),
        ("Sep", 9),
        ("Oct", 10),
        ("Nov", 11),
        ("Dec", 12),
    ];
    let month = MONTHS.iter().find(|(name, _)| name == month)?.1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    let seconds = seconds_since_epoch(days, *h, *m, *s)?;
    Some(seconds.checked_mul(1000)? as f64)
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`);
/// `None` for a year too far out for `i64` arithmetic.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    // Years start in March, so that February's leap day is the year's last.
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = month.checked_add(9)? % 12;
    let doy = mp.checked_mul(153)?.checked_add(2)? / 5;
    let doy = doy.checked_add(day)?.checked_sub(1)?;
    let doe = yoe
        .checked_mul(365)?
        .checked_add(yoe / 4)?
        .checked_sub(yoe / 100)?
        .checked_add(doy)?;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
}

/// Seconds since the epoch of a day ([`days_from_civil`]) and a time of day; `None` on overflow.
pub(crate) fn seconds_since_epoch(days: i64, hour: i64, minute: i64, second: i64) -> Option<i64> {
    days.checked_mul(86_400)?
        .checked_add(hour.checked_mul(3_600)?)?
        .checked_add(minute.checked_mul(60)?)?
        .checked_add(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_far_out_are_none_not_an_overflow() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(i64::MAX, 3, 1), None);
        assert_eq!(days_from_civil(i64::MIN, 1, 1), None);
        assert_eq!(seconds_since_epoch(i64::MAX / 1000, 0, 0, 0), None);
        assert_eq!(
            http_date_ms("Wed, 21 Oct 99999999999999999 07:28:00 GMT"),
            None
        );
        assert_eq!(
            http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(1_445_412_480_000.0)
        );
    }

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
