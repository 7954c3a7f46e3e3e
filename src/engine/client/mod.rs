//! The client's policies and its call loop, with no I/O: requests, answers, retries, rate limits,
//! the 24-hour window (`call` runs them). Uses `engine::{error, json, phone, template, time, host, hex}`.
//!
//! What to send, how to read the answer, when to retry, when to wait, and when not to send at all.
//!
//! The whole call loop is [`call`]: a sans-IO state machine that checks the window, asks the
//! [`limiter`] for a slot, asks for the request to be sent, turns the answer into a result or an
//! [`Error`] with [`response::interpret`], and asks [`retry::decide`] what follows a failure. A
//! small JavaScript driver in the package does the I/O each step asks for. Time and random numbers
//! come in as arguments, so every policy here, the loop included, is tested natively.
//!
//! | module | policy |
//! | --- | --- |
//! | [`endpoint`] | endpoints, requests, base URL (`https:` except on loopback), `Authorization` |
//! | [`response`] | live and draft bodies into one result shape with `raw`; error classification |
//! | [`retry`] | exponential backoff with full jitter, `Retry-After`, and `OUTCOME_UNKNOWN` |
//! | [`limiter`] | per-endpoint windows with the documented limits, learning from headers |
//! | [`window`] | the 24-hour window decision and the in-memory window store |
//! | [`template`] | template definitions checked before `createTemplate` (re-exported from [`crate::engine::template`]) |
//! | [`call`] | one call's loop as a state machine; `listAllTemplates`' pages |
//! | [`bulk`] | `checkNumbers` chunking, running and merging |
//! | [`resend`] | when to resend a failed message (`planResend`): Sendexa's schedule and limits |
//!
//! ```
//! use sendexa_whatsapp::engine::client::{endpoint, response::{interpret, Context, Response}};
//! use sendexa_whatsapp::engine::json::parse;
//!
//! let msg = parse(r#"{"to":"233244000000","type":"text","text":{"body":"Hi"}}"#).unwrap();
//! let req = endpoint::send(&msg);
//! assert_eq!((req.method().as_str(), req.path.as_str()), ("POST", "/v1/whatsapp/send"));
//!
//! // The draft's flat body and the live `data` envelope give the same result fields.
//! let draft = Response { status: 200, body: r#"{"success":true,"messageId":"wamid.X","status":"SENT"}"#.into(), ..Default::default() };
//! let result = interpret(req.endpoint, &Context { message: Some(&msg), id: None }, &draft, 0.0).unwrap();
//! assert_eq!(result.get("wamid").and_then(|v| v.as_str()), Some("wamid.X"));
//! assert_eq!(result.get("status").and_then(|v| v.as_str()), Some("sent"));
//! assert_eq!(result.get("to").and_then(|v| v.as_str()), Some("233244000000"));
//! ```

pub mod bulk;
pub mod call;
pub mod endpoint;
pub mod limiter;
pub mod resend;
pub mod response;
pub mod retry;
pub use crate::engine::template;
pub mod window;

use crate::engine::error::{ApiError, Error};
use crate::engine::text::{contains, replace};

/// The most bytes of an API answer the client reads by default (`maxResponseBytes`): a page of
/// 100 templates or a bulk check of 1,000 numbers is a few hundred KB.
pub const RESPONSE_MAX_DEFAULT: usize = 4 * 1024 * 1024;
/// The smallest `maxResponseBytes` a client takes.
pub const RESPONSE_MAX_MIN: usize = 1024;
/// The largest `maxResponseBytes` a client takes.
pub const RESPONSE_MAX_MAX: usize = 256 * 1024 * 1024;
use crate::engine::json::Value;
use endpoint::TemplateQuery;

/// `err` with every occurrence of the `secrets` (the token, the API key and secret) in the
/// texts it carries from outside (the API's messages, the runtime's network errors) replaced by
/// `[redacted]`, so no error can leak a credential even if a server echoes it. Secrets shorter
/// than 4 characters are left alone: they would mangle ordinary words and protect nothing.
pub fn redact(err: Error, secrets: &[String]) -> Error {
    let clean = |text: String| -> String {
        secrets.iter().filter(|s| s.len() >= 4).fold(text, |t, s| {
            if contains(&t, s) {
                replace(&t, s, "[redacted]")
            } else {
                t
            }
        })
    };
    match err {
        Error::Api(api) => {
            let api = *api;
            ApiError {
                code: clean(api.code),
                message: clean(api.message),
                request_id: api.request_id.map(&clean),
                issues: api
                    .issues
                    .into_iter()
                    .map(|mut i| {
                        i.path = clean(i.path);
                        i.message = clean(i.message);
                        i
                    })
                    .collect(),
                // The whole error body is handed to the caller as `err.body`: its strings and
                // keys too (a server or proxy that echoes the Authorization header).
                body: api.body.map(|b| redact_value(b, &clean)),
                ..api
            }
            .into()
        }
        Error::Network { message } => Error::Network {
            message: clean(message),
        },
        Error::Timeout { message } => Error::Timeout {
            message: clean(message),
        },
        Error::InvalidResponse {
            status,
            message,
            request_id,
        } => Error::InvalidResponse {
            status,
            message: clean(message),
            request_id: request_id.map(&clean),
        },
        Error::OutcomeUnknown { cause, message } => Error::OutcomeUnknown {
            cause: Box::new(redact(*cause, secrets)),
            message: clean(message),
        },
        Error::LimiterFailed { message } => Error::LimiterFailed {
            message: clean(message),
        },
        other => other,
    }
}

/// `value` with `clean` applied to every string and key in it (JSON from [`crate::engine::json::parse`]
/// nests at most 64 deep, so the recursion is bounded).
fn redact_value(value: Value, clean: &impl Fn(String) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(clean(s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| redact_value(v, clean)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (clean(k), redact_value(v, clean)))
                .collect(),
        ),
        other => other,
    }
}

/// Most pages `listAllTemplates` reads: 250 templates per account fit in 3 pages of 100, so a
/// server that always says "more" cannot keep the iterator running for ever.
pub const MAX_TEMPLATE_PAGES: u32 = 1000;

/// The query for the page after `page` (a result of `listTemplates` for `query`), or `None`
/// when it was the last.
pub fn next_template_query(query: &TemplateQuery, page: &Value) -> Option<TemplateQuery> {
    let count = page
        .get("templates")
        .and_then(Value::as_array)
        .map_or(0, Vec::len) as u64;
    if count == 0 || page.get("hasMore").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let mut next = query.clone();
    if query.offset_style() {
        let offset = page
            .get("offset")
            .and_then(Value::as_u64)
            .or(query.offset)
            .unwrap_or(0);
        next.offset = Some(offset.checked_add(count)?);
        next.limit = query
            .limit
            .or_else(|| page.get("pageSize").and_then(Value::as_u64));
    } else {
        let current = page
            .get("page")
            .and_then(Value::as_u64)
            .or(query.page)
            .unwrap_or(1);
        next.page = Some(current.checked_add(1)?);
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::json::parse;

    #[test]
    fn secrets_never_survive_in_error_texts() {
        let secrets = vec!["c2VjcmV0LXRva2Vu".to_string(), "sk".to_string()];
        let api: Error =
            ApiError::new(401, "UNAUTHORIZED", "bad token c2VjcmV0LXRva2Vu (sk)").into();
        assert_eq!(
            redact(api, &secrets).to_string(),
            "bad token [redacted] (sk)"
        );
        let unknown = Error::OutcomeUnknown {
            cause: Box::new(Error::Network {
                message: "c2VjcmV0LXRva2Vu".into(),
            }),
            message: "x c2VjcmV0LXRva2Vu".into(),
        };
        match redact(unknown, &secrets) {
            Error::OutcomeUnknown { cause, message } => {
                assert_eq!(message, "x [redacted]");
                assert_eq!(cause.to_string(), "[redacted]");
            }
            other => panic!("{other:?}"),
        }
        // The body a server sent, its request id and field paths are scrubbed too.
        let echoed = ApiError {
            request_id: Some("req c2VjcmV0LXRva2Vu".into()),
            body: Some(parse(r#"{"message":"Basic c2VjcmV0LXRva2Vu","errors":[{"field":"c2VjcmV0LXRva2Vu","n":1}]}"#).unwrap()),
            ..ApiError::new(401, "UNAUTHORIZED", "x")
        };
        match redact(echoed.into(), &secrets) {
            Error::Api(api) => {
                assert_eq!(api.request_id.as_deref(), Some("req [redacted]"));
                assert_eq!(
                    api.body.unwrap().to_json(),
                    r#"{"message":"Basic [redacted]","errors":[{"field":"[redacted]","n":1}]}"#
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pages_follow_each_other_in_both_styles() {
        let q = TemplateQuery {
            page_size: Some(2),
            ..TemplateQuery::default()
        };
        let page = parse(r#"{"templates":[{},{}],"page":1,"pageSize":2,"hasMore":true}"#).unwrap();
        assert_eq!(next_template_query(&q, &page).unwrap().page, Some(2));
        let last = parse(r#"{"templates":[{}],"page":3,"hasMore":false}"#).unwrap();
        assert_eq!(next_template_query(&q, &last), None);
        let empty = parse(r#"{"templates":[],"hasMore":true}"#).unwrap();
        assert_eq!(next_template_query(&q, &empty), None);
        let q = TemplateQuery {
            limit: Some(2),
            offset: Some(0),
            ..TemplateQuery::default()
        };
        let page = parse(r#"{"templates":[{},{}],"offset":0,"hasMore":true}"#).unwrap();
        let next = next_template_query(&q, &page).unwrap();
        assert_eq!((next.offset, next.limit), (Some(2), Some(2)));
    }
}
