//! When a failed call is tried again, after how long, and when it must not be.
//!
//! - **Idempotent calls** (status, template reads and deletes, number checks and lists) are
//!   retried on 429, 5xx, timeouts, network errors and unreadable answers, up to `maxRetries`.
//! - **Calls with an effect** (send, resend, template creation) are retried only when the API
//!   said it did not accept them: 429 or `WA005`. After a timeout, a network error, a 5xx or an
//!   unreadable 2xx the API may have acted, so they fail with `OUTCOME_UNKNOWN` instead: no
//!   idempotency key is documented, and a blind retry could message someone twice.
//! - The wait is the API's `Retry-After` when it gives one (a wait longer than
//!   `maxRetryAfterMs` is handed to the caller rather than slept through), otherwise exponential
//!   backoff with full jitter: a uniform random wait in `[0, min(maxDelayMs, baseMs · 2^attempt)]`,
//!   so many clients that failed together do not retry together.
//!
//! ```
//! use sendexa_whatsapp::engine::client::endpoint::Endpoint;
//! use sendexa_whatsapp::engine::client::retry::{decide, Decision, RetryPolicy};
//! use sendexa_whatsapp::engine::Error;
//!
//! let policy = RetryPolicy::default();
//! let timeout = || Error::Timeout { message: "timed out".into() };
//! // A status lookup that timed out is tried again after a jittered wait…
//! assert!(matches!(decide(&policy, Endpoint::Status, 0, timeout(), 0.5), Decision::Retry { .. }));
//! // …a send is not: its outcome is unknown.
//! match decide(&policy, Endpoint::Send, 0, timeout(), 0.5) {
//!     Decision::Fail(err) => assert_eq!(err.code(), "OUTCOME_UNKNOWN"),
//!     other => panic!("{other:?}"),
//! }
//! ```

use crate::engine::error::{Error, RetryKind as Kind};

use super::endpoint::{Endpoint, Repeat};

/// The retry settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (the client's `maxRetries`, default 2).
    pub max_retries: u32,
    /// The backoff's base: the first retry waits up to this long (default 500 ms).
    pub base_ms: f64,
    /// The backoff's cap (default 20 s).
    pub max_delay_ms: f64,
    /// A `Retry-After` longer than this is not slept through: the error goes to the caller
    /// with `retryAfter` set (default 60 s).
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_ms: 500.0,
            max_delay_ms: 20_000.0,
            max_retry_after_ms: 60_000.0,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry {
        /// Milliseconds to wait.
        delay_ms: f64,
    },
    /// Give up with this error.
    Fail(Error),
}

/// Decides what follows attempt number `attempt` (0 for the first) of a call to `endpoint`
/// that failed with `err`. `random` is a uniform number in `[0, 1)` for the jitter.
pub fn decide(
    policy: &RetryPolicy,
    endpoint: Endpoint,
    attempt: u32,
    err: Error,
    random: f64,
) -> Decision {
    let kind = err.retry_kind();
    let may_retry = match (endpoint.repeat(), kind) {
        (_, Kind::Final) => false,
        (_, Kind::Refused) => true,
        (Repeat::Idempotent, Kind::Unknown) => true,
        (Repeat::OnlyWhenRefused, Kind::Unknown) => {
            return Decision::Fail(outcome_unknown(endpoint, err))
        }
    };
    if !may_retry || attempt >= policy.max_retries {
        return Decision::Fail(err);
    }
    match err.retry_after() {
        Some(seconds) => {
            let ms = seconds * 1000.0;
            if ms > policy.max_retry_after_ms {
                Decision::Fail(err)
            } else {
                Decision::Retry { delay_ms: ms }
            }
        }
        None => Decision::Retry {
            delay_ms: backoff_ms(policy, attempt, random),
        },
    }
}

/// Full jitter: uniform in `[0, min(cap, base · 2^attempt)]`.
pub fn backoff_ms(policy: &RetryPolicy, attempt: u32, random: f64) -> f64 {
    let ceiling = (policy.base_ms * 2f64.powi(attempt.min(30) as i32)).min(policy.max_delay_ms);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (ceiling * random).max(0.0)
}

/// `OUTCOME_UNKNOWN` for a call with an effect that may or may not have taken it.
pub fn outcome_unknown(endpoint: Endpoint, cause: Error) -> Error {
    let why = cause.to_string();
    let why = why.trim_end_matches('.');
    let request = cause
        .request_id()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default();
    let message = match endpoint {
        Endpoint::Resend => format!(
            "The resend may or may not have started{request}: {why}. It was not repeated, \
             because a second call could start a second attempt. Check status(messageId) or \
             wait for the message's webhook before resending again."
        ),
        Endpoint::CreateTemplate => format!(
            "The template may or may not have been created{request}: {why}. It was not \
             repeated; check with listTemplates({{ name }}) before creating it again."
        ),
        _ => format!(
            "The API may have accepted this message{request}: {why}. It was not sent again, \
             because a second send could deliver it twice. To find out, wait for its webhook \
             (message.sent or message.failed) or ask Sendexa with the request id; send it again \
             only once you know it was not accepted, and use resend(messageId) if it failed."
        ),
    };
    Error::OutcomeUnknown {
        cause: Box::new(cause),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::error::ApiError;

    fn api(status: u16, code: &str, retry_after: Option<f64>) -> Error {
        ApiError {
            retry_after,
            ..ApiError::new(status, code, "x")
        }
        .into()
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn idempotent_calls_retry_on_transient_failures_only() {
        for err in [
            api(429, "WA005", None),
            api(500, "SERVER_ERROR", None),
            api(503, "SERVICE_UNAVAILABLE", None),
            Error::Timeout {
                message: "t".into(),
            },
            Error::Network {
                message: "n".into(),
            },
            Error::InvalidResponse {
                status: 200,
                message: "m".into(),
                request_id: None,
            },
            Error::InvalidResponse {
                status: 502,
                message: "m".into(),
                request_id: None,
            },
        ] {
            let code = err.code().to_string();
            assert!(
                matches!(
                    decide(&policy(), Endpoint::Status, 0, err, 0.5),
                    Decision::Retry { .. }
                ),
                "{code}"
            );
        }
        for err in [
            api(400, "WA001", None),
            api(401, "UNAUTHORIZED", None),
            api(404, "MESSAGE_NOT_FOUND", None),
            api(409, "CONFLICT", None),
            Error::InvalidResponse {
                status: 400,
                message: "m".into(),
                request_id: None,
            },
            Error::Aborted {
                message: "a".into(),
            },
        ] {
            let code = err.code().to_string();
            match decide(&policy(), Endpoint::Status, 0, err, 0.5) {
                Decision::Fail(e) => assert_eq!(e.code(), code),
                other => panic!("{code}: {other:?}"),
            }
        }
    }

    #[test]
    fn sends_retry_only_when_refused_and_otherwise_report_an_unknown_outcome() {
        assert!(matches!(
            decide(&policy(), Endpoint::Send, 0, api(429, "WA005", Some(1.0)), 0.5),
            Decision::Retry { delay_ms } if delay_ms == 1000.0
        ));
        // A WA005 code refuses whatever the status.
        assert!(matches!(
            decide(&policy(), Endpoint::Send, 1, api(400, "WA005", None), 0.5),
            Decision::Retry { .. }
        ));
        for endpoint in [Endpoint::Send, Endpoint::Resend, Endpoint::CreateTemplate] {
            for err in [
                api(500, "SERVER_ERROR", None),
                api(503, "SERVICE_UNAVAILABLE", Some(1.0)),
                Error::Timeout {
                    message: "The request timed out after 30000 ms.".into(),
                },
                Error::Network {
                    message: "reset".into(),
                },
                Error::InvalidResponse {
                    status: 200,
                    message: "cut".into(),
                    request_id: Some("req_1".into()),
                },
                Error::InvalidResponse {
                    status: 502,
                    message: "html".into(),
                    request_id: None,
                },
            ] {
                let cause = err.code().to_string();
                match decide(&policy(), endpoint, 0, err, 0.5) {
                    Decision::Fail(e) => {
                        assert_eq!(e.code(), "OUTCOME_UNKNOWN");
                        assert_eq!(e.reason(), Some(cause.as_str()));
                        assert!(!e.to_string().contains(".."), "{e}");
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
        // A definite refusal stays what it is.
        match decide(&policy(), Endpoint::Send, 0, api(400, "WA003", None), 0.5) {
            Decision::Fail(e) => assert_eq!(e.code(), "WA003"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_outcome_unknown_message_says_how_to_find_out() {
        let e = outcome_unknown(
            Endpoint::Send,
            Error::InvalidResponse {
                status: 200,
                message: "The body was cut.".into(),
                request_id: Some("req_7".into()),
            },
        );
        let text = e.to_string();
        assert!(
            text.contains("req_7") && text.contains("webhook") && text.contains("resend"),
            "{text}"
        );
        assert_eq!(e.status(), Some(200));
        assert!(outcome_unknown(
            Endpoint::Resend,
            Error::Network {
                message: "x".into()
            }
        )
        .to_string()
        .contains("status(messageId)"));
        assert!(outcome_unknown(
            Endpoint::CreateTemplate,
            Error::Network {
                message: "x".into()
            }
        )
        .to_string()
        .contains("listTemplates"));
    }

    #[test]
    fn retries_stop_at_max_retries() {
        let p = RetryPolicy {
            max_retries: 2,
            ..policy()
        };
        assert!(matches!(
            decide(&p, Endpoint::Status, 1, api(500, "S", None), 0.1),
            Decision::Retry { .. }
        ));
        assert!(matches!(
            decide(&p, Endpoint::Status, 2, api(500, "S", None), 0.1),
            Decision::Fail(_)
        ));
        let none = RetryPolicy {
            max_retries: 0,
            ..policy()
        };
        assert!(matches!(
            decide(&none, Endpoint::Send, 0, api(429, "WA005", None), 0.1),
            Decision::Fail(_)
        ));
    }

    #[test]
    fn retry_after_is_honoured_unless_too_long() {
        let p = policy();
        assert_eq!(
            decide(&p, Endpoint::Status, 0, api(503, "S", Some(2.5)), 0.0),
            Decision::Retry { delay_ms: 2500.0 }
        );
        match decide(
            &p,
            Endpoint::Status,
            0,
            api(429, "WA005", Some(3600.0)),
            0.0,
        ) {
            Decision::Fail(e) => assert_eq!(e.retry_after(), Some(3600.0)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_cap() {
        let p = RetryPolicy {
            base_ms: 100.0,
            max_delay_ms: 1000.0,
            ..policy()
        };
        assert_eq!(backoff_ms(&p, 0, 0.0), 0.0);
        assert_eq!(backoff_ms(&p, 0, 1.0), 100.0);
        assert_eq!(backoff_ms(&p, 1, 0.5), 100.0);
        assert_eq!(backoff_ms(&p, 3, 1.0), 800.0);
        assert_eq!(backoff_ms(&p, 4, 1.0), 1000.0);
        assert_eq!(backoff_ms(&p, 400, 1.0), 1000.0);
        assert_eq!(backoff_ms(&p, 2, f64::NAN), 200.0);
        // Spread: over many draws the waits cover the whole range.
        let mut seed = 12345u64;
        let mut draws: Vec<f64> = (0..1000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                backoff_ms(&p, 2, (seed >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect();
        draws.sort_by(f64::total_cmp);
        assert!(draws[0] < 10.0 && draws[999] > 390.0 && draws[999] <= 400.0);
        assert!((draws[500] - 200.0).abs() < 30.0);
    }
}
