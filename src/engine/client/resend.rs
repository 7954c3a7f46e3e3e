//! When to resend a failed message, by Sendexa's resend rules (API reference §5): at most
//! [`MAX_RESENDS`] resends per message, all within [`RESEND_WINDOW_MS`] (48 hours) of the original
//! send, on the suggested schedule of 1, 5, 15, 30 and 60 minutes after the failure; a closed
//! 24-hour window needs a template first and a media error a fixed link first, and some failures
//! are never worth a resend.
//!
//! [`plan`] is `planResend` in JavaScript. It reads no clock: the caller passes `now`.
//!
//! ```
//! use sendexa_whatsapp::engine::client::resend::{plan, Plan, State, StopReason, Time};
//!
//! let failed = State {
//!     status: "failed".into(),
//!     error_code: Some("WA005".into()),
//!     attempts: Some(1.0),
//!     sent_at: Some(Time::Text("2024-01-15T10:30:00Z".into())),
//!     failed_at: Some(Time::Ms(1_705_314_660_000.0)),
//! };
//! // The second resend: 5 minutes after the failure.
//! assert_eq!(
//!     plan(&failed, 1_705_314_670_000.0).unwrap(),
//!     Plan::Resend { at: 1_705_314_960_000.0, attempt: 2 }
//! );
//!
//! let closed = State { error_code: Some("WA003".into()), ..failed };
//! assert_eq!(plan(&closed, 0.0).unwrap(), Plan::Stop(StopReason::WindowClosed));
//! ```

use crate::engine::error::{clip, Error};
use crate::engine::json::Quoted;
use crate::engine::options;
use crate::engine::time::parse_timestamp_ms;

/// The most resends Sendexa makes of one message.
pub const MAX_RESENDS: u32 = 5;

/// How long after the original send a resend may still happen: 48 hours, in milliseconds.
pub const RESEND_WINDOW_MS: f64 = 48.0 * 3_600_000.0;

/// The suggested delay before each resend, after the failure: 1 m, 5 m, 15 m, 30 m, 1 h (ms).
/// Entry `n - 1` is the delay of the `n`th resend.
pub const SCHEDULE_MS: [f64; MAX_RESENDS as usize] =
    [60_000.0, 300_000.0, 900_000.0, 1_800_000.0, 3_600_000.0];

/// The keys of `planResend`'s `state` object; any other key is refused.
pub const STATE_KEYS: [&str; 5] = ["status", "errorCode", "attempts", "sentAt", "failedAt"];

/// The latest (and, negated, earliest) time a JavaScript `Date` can hold: 8.64 × 10^15 ms.
const MAX_TIME_MS: f64 = 8.64e15;

/// A time as the caller gave it: milliseconds since the epoch, or text (ISO 8601 such as
/// `2024-01-15T10:30:00Z`, or the Unix seconds a webhook may carry, see [`parse_timestamp_ms`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Time {
    /// Milliseconds since the Unix epoch.
    Ms(f64),
    /// An ISO 8601 date-time or Unix timestamp text.
    Text(String),
}

/// What is known of a message: `planResend`'s `state`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The message's status, as `status()` or a webhook event gives it (`failed`, `delivered`, …).
    pub status: String,
    /// The failure's error code (`WA003`, …), when there is one.
    pub error_code: Option<String>,
    /// How many resends were already made; `None` is 0. Must be a whole number ≥ 0.
    pub attempts: Option<f64>,
    /// When the original message was sent: resends end 48 hours later.
    pub sent_at: Option<Time>,
    /// When it failed: the schedule counts from here (from `now` when absent).
    pub failed_at: Option<Time>,
}

/// Why no resend should be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The status is not `failed`: there is nothing to resend.
    NotFailed,
    /// `WA003`: the 24-hour window is closed; send an approved template instead.
    WindowClosed,
    /// `WA004`: the media could not be downloaded; fix the link, then send again.
    Media,
    /// `WA001`, `WA002` or `WA006`: a bad number, a number not on WhatsApp, a blocked account.
    NotResendable,
    /// [`MAX_RESENDS`] resends were already made.
    Limit,
    /// The resend would fall more than 48 hours after the original send.
    Expired,
}

impl StopReason {
    /// The reason's stable name, as `planResend` gives it (`"WINDOW_CLOSED"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::NotFailed => "NOT_FAILED",
            StopReason::WindowClosed => "WINDOW_CLOSED",
            StopReason::Media => "MEDIA",
            StopReason::NotResendable => "NOT_RESENDABLE",
            StopReason::Limit => "LIMIT",
            StopReason::Expired => "EXPIRED",
        }
    }
}

/// What to do about a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plan {
    /// Resend it at `at` (ms since the epoch); this is resend number `attempt` (1 to 5).
    Resend {
        /// When, in milliseconds since the epoch; never earlier than `now`.
        at: f64,
        /// `attempts + 1`.
        attempt: u32,
    },
    /// Do not resend it.
    Stop(StopReason),
}

/// Decides whether and when to resend a message, at time `now_ms`.
///
/// In order: a status other than `failed` is [`StopReason::NotFailed`]; `WA003`, `WA004` and
/// `WA001`/`WA002`/`WA006` stop with their reasons; 5 resends already made is
/// [`StopReason::Limit`]. Otherwise resend number `attempts + 1` is due at `failed_at` (or
/// `now_ms`) plus its [`SCHEDULE_MS`] step, or at `now_ms` if that is later, unless that falls
/// more than 48 hours after `sent_at` ([`StopReason::Expired`]). Without `sent_at`, `failed_at`
/// stands in for it, since a message fails only after it is sent: a resend more than 48 hours
/// after the failure is surely too late. Other error codes, and none, follow the schedule.
///
/// Errors (`INVALID_ARGUMENT`): an empty status, an attempt count that is negative, fractional or
/// not finite, a time that cannot be read or lies outside what a JavaScript `Date` can hold.
pub fn plan(state: &State, now_ms: f64) -> Result<Plan, Error> {
    if !now_ms.is_finite() || now_ms.abs() > MAX_TIME_MS {
        return Err(invalid(
            "now must be milliseconds since the epoch, a finite number",
        ));
    }
    let status = state.status.trim();
    if status.is_empty() {
        return Err(invalid(
            "state.status must be the message's status from status() or a webhook event, such as \"failed\"",
        ));
    }
    let attempts = attempts_of(state.attempts)?;
    let sent_at = time_of(state.sent_at.as_ref(), "sentAt")?;
    let failed_at = time_of(state.failed_at.as_ref(), "failedAt")?;

    if !status.eq_ignore_ascii_case("failed") {
        return Ok(Plan::Stop(StopReason::NotFailed));
    }
    let code = state.error_code.as_deref().map(str::trim).unwrap_or("");
    let is = |name: &str| code.eq_ignore_ascii_case(name);
    if is("WA003") {
        return Ok(Plan::Stop(StopReason::WindowClosed));
    }
    if is("WA004") {
        return Ok(Plan::Stop(StopReason::Media));
    }
    if is("WA001") || is("WA002") || is("WA006") {
        return Ok(Plan::Stop(StopReason::NotResendable));
    }
    let Some(step) = usize::try_from(attempts)
        .ok()
        .and_then(|made| SCHEDULE_MS.get(made))
    else {
        return Ok(Plan::Stop(StopReason::Limit));
    };
    let at = (failed_at.unwrap_or(now_ms) + step).max(now_ms);
    if let Some(start) = sent_at.or(failed_at) {
        if at > start + RESEND_WINDOW_MS {
            return Ok(Plan::Stop(StopReason::Expired));
        }
    }
    Ok(Plan::Resend {
        at,
        // `attempts` indexes SCHEDULE_MS, so it is below 5 and this cannot overflow.
        attempt: attempts.saturating_add(1),
    })
}

/// Refuses a key of `state` that is not one of [`STATE_KEYS`], as every options object of the SDK
/// refuses one ([`options::check_keys`]: the key, the nearest valid one, the list).
pub fn check_state_keys<'k>(keys: impl IntoIterator<Item = &'k str>) -> Result<(), Error> {
    options::check_keys(keys, "planResend(state)", &STATE_KEYS)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidArgument {
        message: message.into(),
    }
}

/// The resends already made, as a count.
fn attempts_of(attempts: Option<f64>) -> Result<u32, Error> {
    let Some(n) = attempts else { return Ok(0) };
    // The number itself is not shown: formatting floats would add kilobytes to the .wasm.
    let what = if !n.is_finite() {
        "not a finite number"
    } else if n < 0.0 {
        "negative"
    } else if n.fract() != 0.0 {
        "fractional"
    } else {
        ""
    };
    if !what.is_empty() {
        return Err(invalid(format!(
            "state.attempts must be the number of resends made, a whole number from 0; it is {what}"
        )));
    }
    // Anything from MAX_RESENDS up is the limit; the saturating cast keeps huge counts there.
    Ok(n.min(f64::from(u32::MAX)) as u32)
}

/// A time in milliseconds since the epoch.
fn time_of(time: Option<&Time>, name: &str) -> Result<Option<f64>, Error> {
    let ms = match time {
        None => return Ok(None),
        Some(Time::Ms(ms)) => Some(*ms),
        Some(Time::Text(text)) => parse_timestamp_ms(text),
    };
    match ms {
        Some(ms) if ms.is_finite() && ms.abs() <= MAX_TIME_MS => Ok(Some(ms)),
        _ => {
            let given = match time {
                Some(Time::Text(text)) => Quoted(&clip(text.clone(), 40)).to_string(),
                Some(Time::Ms(ms)) if ms.is_finite() => "a number outside a Date's range".into(),
                _ => "a number that is not finite".into(),
            };
            Err(invalid(format!(
                "state.{name} must be ms since the epoch or an ISO 8601 time such as \"2024-01-15T10:30:00Z\", not {given}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: f64 = 60_000.0;
    const HOUR: f64 = 3_600_000.0;
    /// 2024-01-15T10:30:00Z.
    const SENT: f64 = 1_705_314_600_000.0;

    fn failed(code: Option<&str>, attempts: f64) -> State {
        State {
            status: "failed".into(),
            error_code: code.map(String::from),
            attempts: Some(attempts),
            sent_at: Some(Time::Ms(SENT)),
            failed_at: Some(Time::Ms(SENT + MIN)),
        }
    }

    fn code_of(result: Result<Plan, Error>) -> String {
        match result {
            Err(e) => format!("{}: {e}", e.code()),
            Ok(p) => panic!("expected an error, got {p:?}"),
        }
    }

    #[test]
    fn follows_the_schedule_from_the_failure() {
        let failed_at = SENT + MIN;
        for (made, step) in [(0, 1.0), (1, 5.0), (2, 15.0), (3, 30.0), (4, 60.0)] {
            let p = plan(&failed(Some("WA005"), f64::from(made)), failed_at).unwrap();
            assert_eq!(
                p,
                Plan::Resend {
                    at: failed_at + step * MIN,
                    attempt: made + 1
                },
                "after {made} resends"
            );
        }
    }

    #[test]
    fn at_is_never_earlier_than_now() {
        // The failure was 10 minutes ago: the 1-minute step is already past.
        let now = SENT + 11.0 * MIN;
        assert_eq!(
            plan(&failed(None, 0.0), now).unwrap(),
            Plan::Resend {
                at: now,
                attempt: 1
            }
        );
        // Exactly at the step: the step's time.
        let now = SENT + 2.0 * MIN;
        assert_eq!(
            plan(&failed(None, 0.0), now).unwrap(),
            Plan::Resend {
                at: now,
                attempt: 1
            }
        );
        assert_eq!(
            plan(&failed(None, 0.0), now - 1.0).unwrap(),
            Plan::Resend {
                at: now,
                attempt: 1
            }
        );
    }

    #[test]
    fn without_failed_at_the_schedule_counts_from_now() {
        let state = State {
            failed_at: None,
            ..failed(None, 2.0)
        };
        assert_eq!(
            plan(&state, SENT + HOUR).unwrap(),
            Plan::Resend {
                at: SENT + HOUR + 15.0 * MIN,
                attempt: 3
            }
        );
        // Nor sentAt: nothing bounds it.
        let bare = State {
            status: "failed".into(),
            error_code: None,
            attempts: None,
            sent_at: None,
            failed_at: None,
        };
        assert_eq!(
            plan(&bare, 5.0).unwrap(),
            Plan::Resend {
                at: 5.0 + MIN,
                attempt: 1
            }
        );
    }

    #[test]
    fn only_failed_messages_are_resent() {
        for status in [
            "delivered",
            "sent",
            "read",
            "pending",
            "deleted",
            "undelivered",
        ] {
            let state = State {
                status: status.into(),
                ..failed(Some("WA005"), 0.0)
            };
            assert_eq!(
                plan(&state, SENT).unwrap(),
                Plan::Stop(StopReason::NotFailed),
                "{status}"
            );
        }
        let upper = State {
            status: " FAILED ".into(),
            ..failed(None, 0.0)
        };
        assert!(matches!(
            plan(&upper, SENT).unwrap(),
            Plan::Resend { attempt: 1, .. }
        ));
        // NOT_FAILED comes first, even past the limit.
        let read = State {
            status: "read".into(),
            ..failed(None, 9.0)
        };
        assert_eq!(
            plan(&read, SENT).unwrap(),
            Plan::Stop(StopReason::NotFailed)
        );
    }

    #[test]
    fn error_codes_that_stop() {
        for (code, reason) in [
            ("WA003", StopReason::WindowClosed),
            ("wa003", StopReason::WindowClosed),
            ("WA004", StopReason::Media),
            ("WA001", StopReason::NotResendable),
            ("WA002", StopReason::NotResendable),
            (" WA006", StopReason::NotResendable),
        ] {
            assert_eq!(
                plan(&failed(Some(code), 0.0), SENT).unwrap(),
                Plan::Stop(reason),
                "{code}"
            );
        }
        // A code's reason comes before the limit.
        assert_eq!(
            plan(&failed(Some("WA003"), 5.0), SENT).unwrap(),
            Plan::Stop(StopReason::WindowClosed)
        );
    }

    #[test]
    fn other_codes_follow_the_schedule() {
        for code in ["WA005", "131026", "SERVER_ERROR", "", "WA0031"] {
            assert_eq!(
                plan(&failed(Some(code), 0.0), SENT + MIN).unwrap(),
                Plan::Resend {
                    at: SENT + 2.0 * MIN,
                    attempt: 1
                },
                "{code:?}"
            );
        }
    }

    #[test]
    fn five_resends_is_the_limit() {
        assert!(matches!(
            plan(&failed(None, 4.0), SENT).unwrap(),
            Plan::Resend { attempt: 5, .. }
        ));
        for made in [5.0, 6.0, 1e300] {
            assert_eq!(
                plan(&failed(None, made), SENT).unwrap(),
                Plan::Stop(StopReason::Limit),
                "{made}"
            );
        }
    }

    #[test]
    fn resends_end_48_hours_after_the_send() {
        let window_end = SENT + 48.0 * HOUR;
        // Failed 47 h 59 m after the send: the 1-minute step lands exactly on the end, allowed.
        let state = State {
            failed_at: Some(Time::Ms(window_end - MIN)),
            ..failed(None, 0.0)
        };
        assert_eq!(
            plan(&state, window_end - MIN).unwrap(),
            Plan::Resend {
                at: window_end,
                attempt: 1
            }
        );
        // One millisecond later is too late.
        assert_eq!(
            plan(&state, window_end + 1.0).unwrap(),
            Plan::Stop(StopReason::Expired)
        );
        // The fifth resend's hour pushes it past the end.
        let state = State {
            failed_at: Some(Time::Ms(window_end - 30.0 * MIN)),
            ..failed(None, 4.0)
        };
        assert_eq!(
            plan(&state, window_end - 30.0 * MIN).unwrap(),
            Plan::Stop(StopReason::Expired)
        );
        // The fourth's 30 minutes still fit.
        let state = State {
            failed_at: Some(Time::Ms(window_end - 30.0 * MIN)),
            ..failed(None, 3.0)
        };
        assert_eq!(
            plan(&state, window_end - 30.0 * MIN).unwrap(),
            Plan::Resend {
                at: window_end,
                attempt: 4
            }
        );
    }

    #[test]
    fn without_sent_at_the_failure_bounds_the_window() {
        let state = State {
            sent_at: None,
            failed_at: Some(Time::Ms(SENT)),
            ..failed(None, 0.0)
        };
        assert!(matches!(
            plan(&state, SENT + 47.0 * HOUR).unwrap(),
            Plan::Resend { .. }
        ));
        assert_eq!(
            plan(&state, SENT + 48.0 * HOUR + 1.0).unwrap(),
            Plan::Stop(StopReason::Expired)
        );
    }

    #[test]
    fn times_may_be_iso_text_or_webhook_seconds() {
        let state = State {
            sent_at: Some(Time::Text("2024-01-15T10:30:00Z".into())),
            failed_at: Some(Time::Text("2024-01-15T12:31:00+02:00".into())),
            ..failed(None, 1.0)
        };
        assert_eq!(
            plan(&state, 0.0).unwrap(),
            Plan::Resend {
                at: SENT + 6.0 * MIN,
                attempt: 2
            }
        );
        let state = State {
            failed_at: Some(Time::Text("1705314660".into())),
            ..state
        };
        assert_eq!(
            plan(&state, 0.0).unwrap(),
            Plan::Resend {
                at: SENT + 6.0 * MIN,
                attempt: 2
            }
        );
    }

    #[test]
    fn bad_input_is_invalid_argument() {
        for attempts in [-1.0, 1.5, f64::NAN, f64::INFINITY] {
            let m = code_of(plan(&failed(None, attempts), SENT));
            assert!(
                m.starts_with("INVALID_ARGUMENT") && m.contains("state.attempts"),
                "{m}"
            );
        }
        for text in ["yesterday", "", "2024-02-30T00:00:00Z", "2024-01-15"] {
            let state = State {
                sent_at: Some(Time::Text(text.into())),
                ..failed(None, 0.0)
            };
            let m = code_of(plan(&state, SENT));
            assert!(
                m.starts_with("INVALID_ARGUMENT")
                    && m.contains("state.sentAt")
                    && m.contains("ISO 8601"),
                "{m}"
            );
        }
        for ms in [f64::NAN, f64::NEG_INFINITY, 9e15] {
            let state = State {
                failed_at: Some(Time::Ms(ms)),
                ..failed(None, 0.0)
            };
            let m = code_of(plan(&state, SENT));
            assert!(m.contains("state.failedAt"), "{m}");
        }
        for now in [f64::NAN, f64::INFINITY, -9e15] {
            assert!(code_of(plan(&failed(None, 0.0), now)).contains("now must be"));
        }
        let empty = State {
            status: "  ".into(),
            ..failed(None, 0.0)
        };
        assert!(code_of(plan(&empty, SENT)).contains("state.status must be the message's status"));
        // Bad input is refused even when the answer would not need it.
        let bad_time_not_failed = State {
            status: "delivered".into(),
            sent_at: Some(Time::Text("soon".into())),
            ..failed(None, 0.0)
        };
        assert!(code_of(plan(&bad_time_not_failed, SENT)).contains("state.sentAt"));
    }

    #[test]
    fn unknown_keys_are_refused_with_the_list() {
        assert!(check_state_keys(STATE_KEYS).is_ok());
        for (key, hint) in [
            ("error_code", r#" (did you mean "errorCode"?)"#),
            ("attempt", r#" (did you mean "attempts"?)"#),
            ("messageId", ""),
            ("", ""),
            ("Status", r#" (did you mean "status"?)"#),
        ] {
            let err = check_state_keys(["status", key]).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT");
            assert_eq!(
                err.to_string(),
                format!(
                    "unknown option {key:?}{hint}; planResend(state) takes status, errorCode, attempts, sentAt, failedAt"
                )
            );
        }
        let long = "x".repeat(500);
        assert!(
            check_state_keys([long.as_str()])
                .unwrap_err()
                .to_string()
                .len()
                < 200
        );
    }

    #[test]
    fn reasons_have_stable_names() {
        let all = [
            StopReason::NotFailed,
            StopReason::WindowClosed,
            StopReason::Media,
            StopReason::NotResendable,
            StopReason::Limit,
            StopReason::Expired,
        ];
        let names: Vec<&str> = all.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "NOT_FAILED",
                "WINDOW_CLOSED",
                "MEDIA",
                "NOT_RESENDABLE",
                "LIMIT",
                "EXPIRED"
            ]
        );
    }
}
