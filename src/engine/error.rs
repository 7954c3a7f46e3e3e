//! The one error type of the SDK.
//!
//! Every failure the library can report is a variant of [`Error`]. The bindings layer turns it into
//! the JavaScript `SendexaError` with the stable [`Error::code`]; the codes are a public contract
//! (documented in `ERRORS.md`), so a variant's code never changes once released.
//!
//! ```
//! use sendexa_whatsapp::engine::error::{Error, Issue};
//!
//! let err = Error::InvalidMessage {
//!     issues: vec![Issue::new("text.body", "TOO_LONG", "text.body is 4097 characters; the limit is 4096").with_limit(4096)],
//! };
//! assert_eq!(err.code(), "INVALID_MESSAGE");
//! assert!(!err.is_retryable());
//! assert_eq!(err.issues()[0].path, "text.body");
//! ```

use std::fmt;

use super::json::Value;
use sendexa_phone::PhoneError;

/// One problem found while validating user input.
///
/// Validation reports every problem at once, each with the JSON path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where the problem is, as a JSON path: `interactive.action.sections[1].rows[0].title`.
    pub path: String,
    /// A stable machine-readable code for the problem, such as `TOO_LONG` or `REQUIRED`.
    pub code: &'static str,
    /// A sentence a person can act on.
    pub message: String,
    /// The limit that was exceeded, when the problem is a limit.
    pub limit: Option<u64>,
}

impl Issue {
    /// An issue at `path` with a code and a message, and no limit. Both are cut to
    /// [`ISSUE_TEXT_MAX`] characters: messages quote the offending value, and a pasted megabyte
    /// must not end up in the error, nor in logs.
    pub fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: clip(path.into(), ISSUE_TEXT_MAX),
            code,
            message: clip(message.into(), ISSUE_TEXT_MAX),
            limit: None,
        }
    }

    /// The same issue, naming the limit it broke.
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// The longest path or message an [`Issue`] keeps, in characters.
pub const ISSUE_TEXT_MAX: usize = 300;

/// `text` when it has at most `max` characters; else its first and last `max / 2` around a `…`
/// (so "`<value>` is not a …" keeps its explanation, and "… not `<value>`" its value's end).
pub fn clip(text: String, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text;
    }
    let head = max.checked_div(2).unwrap_or(0);
    let tail = max.saturating_sub(head);
    let mut short: String = text.chars().take(head).collect();
    short.push('…');
    short.extend(text.chars().skip(count.saturating_sub(tail)));
    short
}

/// The most issues one error lists. Past it, one more issue (`MORE_ISSUES`) says how many others
/// were found: a message with a million-entry array must not cost a million issues (seconds of
/// work, and WebAssembly memory the instance never gives back).
pub const MAX_ISSUES: usize = 100;

/// Issues collected while a value is checked: the first [`MAX_ISSUES`] are listed, the rest
/// only counted, and [`IssueList::into_issues`] ends the list with a `MORE_ISSUES` entry saying
/// how many were left out.
#[derive(Debug, Default)]
pub struct IssueList {
    listed: Vec<Issue>,
    more: usize,
    mismatches: usize,
}

impl IssueList {
    /// Adds `issue`, unless [`MAX_ISSUES`] are listed already: then it is only counted. Returns
    /// whether it was listed.
    pub fn push(&mut self, issue: Issue) -> bool {
        if self.listed.len() < MAX_ISSUES {
            self.listed.push(issue);
            true
        } else {
            self.more = self.more.saturating_add(1);
            false
        }
    }

    /// Adds an issue at `path` with a code and a message.
    pub fn issue(&mut self, path: &str, code: &'static str, message: impl Into<String>) {
        self.push(Issue::new(path, code, message));
    }

    /// Adds an issue that breaks a numeric `limit`.
    pub fn limit(&mut self, path: &str, code: &'static str, message: String, limit: usize) {
        self.push(Issue::new(path, code, message).with_limit(limit as u64));
    }

    /// Adds `issue` as a mismatch with a definition passed in (a template's), rather than a fault
    /// in the value's own shape; [`IssueList::only_mismatches`] tells the two apart.
    pub fn mismatch(&mut self, issue: Issue) {
        if self.push(issue) {
            self.mismatches = self.mismatches.saturating_add(1);
        }
    }

    /// Whether issues were listed and every one of them is a [`IssueList::mismatch`].
    pub fn only_mismatches(&self) -> bool {
        !self.listed.is_empty() && self.mismatches == self.listed.len()
    }

    /// The issues listed so far (at most [`MAX_ISSUES`]).
    pub fn listed(&self) -> &[Issue] {
        &self.listed
    }

    /// Whether no issue was found.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// Every listed issue, then a `MORE_ISSUES` entry when some were left out.
    pub fn into_issues(self) -> Vec<Issue> {
        let IssueList {
            mut listed, more, ..
        } = self;
        if more > 0 {
            listed.push(Issue::new(
                "",
                "MORE_ISSUES",
                format!(
                    "{more} more problem{} found and not listed (the first {MAX_ISSUES} are)",
                    if more == 1 { "" } else { "s" }
                ),
            ));
        }
        listed
    }
}

/// How a failure bears on repeating the call ([`Error::retry_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The API said it did not act, and to come back later (429, `WA005`): any call may be
    /// repeated, even a send.
    Refused,
    /// Nobody knows whether the API acted (timeout, network, 5xx, an unreadable 2xx): reads are
    /// repeated; a call with an effect becomes `OUTCOME_UNKNOWN` instead.
    Unknown,
    /// A definite answer that repeating unchanged will not change (4xx, validation, abort, and
    /// `OUTCOME_UNKNOWN` itself, which must not be repeated blindly).
    Final,
}

impl RetryKind {
    /// `refused`, `unknown` or `final`, as `ERRORS.md` lists it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryKind::Refused => "refused",
            RetryKind::Unknown => "unknown",
            RetryKind::Final => "final",
        }
    }
}

/// An error returned by the Sendexa API (a non-2xx response with a readable body).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The API's code (`WA003`, `INVALID_TEMPLATE`, …) or, when it gave none, one derived from the status.
    pub code: String,
    /// The API's message, or a description of the status when it gave none.
    pub message: String,
    /// The API's request id, when it sent one.
    pub request_id: Option<String>,
    /// Seconds to wait before trying again, when the API said so.
    pub retry_after: Option<f64>,
    /// The API's field errors (`errors[]`), as issues: `path` is the API's `field`.
    pub issues: Vec<Issue>,
    /// The error body as the API sent it (JSON), for fields this SDK does not read.
    pub body: Option<Value>,
}

impl ApiError {
    /// An error with a status, code and message, and nothing else known.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
            retry_after: None,
            issues: Vec::new(),
            body: None,
        }
    }
}

/// Everything that can go wrong in the SDK.
///
/// Each variant maps to one stable [`code`](Error::code); new variants may be added in minor
/// releases, so match with a wildcard arm.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A phone number that cannot be a WhatsApp recipient. Code `WA001`, the API's own code for it.
    InvalidPhone(PhoneError),
    /// A message (or builder call) whose only problem is its recipient: code `WA001` like
    /// [`Error::InvalidPhone`], with the phone error's reason, and the issue at path `to` listed
    /// in `issues` as for every other validation error.
    InvalidRecipient {
        /// Why the number is not a recipient.
        phone: PhoneError,
        /// The issues found: the one at `to`.
        issues: Vec<Issue>,
    },
    /// A message that the API would reject. Code `INVALID_MESSAGE`; never worth retrying unchanged.
    InvalidMessage {
        /// Every problem found, not just the first.
        issues: Vec<Issue>,
    },
    /// A media item outside the limits for its type. Code `INVALID_MEDIA`.
    InvalidMedia {
        /// Every problem found.
        issues: Vec<Issue>,
    },
    /// A template definition, or template parameters that do not fit the template. Code `INVALID_TEMPLATE`.
    InvalidTemplate {
        /// Every problem found.
        issues: Vec<Issue>,
    },
    /// An argument of the wrong kind was passed to an SDK function (a number where an object was
    /// expected, a missing option). Code `INVALID_ARGUMENT`.
    InvalidArgument {
        /// What was wrong, naming the argument.
        message: String,
    },
    /// A webhook delivery whose signature or timestamp does not verify. Code `INVALID_SIGNATURE`;
    /// the body must not be trusted.
    InvalidSignature {
        /// Which check failed.
        message: String,
    },
    /// A webhook body that is not JSON. Code `INVALID_WEBHOOK`.
    InvalidWebhook {
        /// What was wrong, and where.
        message: String,
    },
    /// The API answered with an error. The code is the API's own (`WA001`…`WA006`, …) or one
    /// derived from the HTTP status (`UNAUTHORIZED`, `RATE_LIMITED`, …). Boxed: it is the
    /// largest variant, and every `Result` in the crate carries an `Error`.
    Api(Box<ApiError>),
    /// A fault inside the SDK itself; please report it. Code `INTERNAL`.
    Internal {
        /// What failed.
        message: String,
    },
    /// No answer arrived within the client's `timeoutMs`. Code `TIMEOUT`.
    Timeout {
        /// What timed out, and after how long.
        message: String,
    },
    /// The request never got an HTTP answer: DNS, connection refused or reset, TLS, CORS.
    /// Code `NETWORK`.
    Network {
        /// What the runtime said, without credentials.
        message: String,
    },
    /// The API answered with a body the SDK cannot read (not JSON, cut short, an HTML error
    /// page, or JSON without the expected fields). Code `INVALID_RESPONSE`; the status is kept.
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong with it.
        message: String,
        /// The request id from the `X-Request-Id` header, when there was one.
        request_id: Option<String>,
    },
    /// The API's answer was larger than the client's `maxResponseBytes`: reading stopped at the
    /// cap (the rest was never read, nor kept). Code `INVALID_RESPONSE`, reason `TOO_LARGE`; a
    /// call with an effect becomes `OUTCOME_UNKNOWN` with reason `TOO_LARGE`.
    ResponseTooLarge {
        /// The HTTP status of the answer.
        status: u16,
        /// The cap, in bytes (`maxResponseBytes`).
        limit: usize,
        /// The request id from the `X-Request-Id` header, when there was one.
        request_id: Option<String>,
    },
    /// The caller's `AbortSignal` fired. Code `ABORTED`.
    Aborted {
        /// What was interrupted.
        message: String,
    },
    /// A call that must not be repeated blindly (a send, a resend, a template creation) may or
    /// may not have taken effect: it timed out, the connection failed, or the API answered 5xx
    /// or unreadably. Code `OUTCOME_UNKNOWN`; never retried automatically. `cause` is what
    /// happened; the message says how to find out.
    OutcomeUnknown {
        /// The failure behind it (`TIMEOUT`, `NETWORK`, `SERVER_ERROR`, `INVALID_RESPONSE`, …).
        cause: Box<Error>,
        /// The whole sentence, with how to find out.
        message: String,
    },
    /// A free-form message to a recipient whose 24-hour window is closed, stopped before any
    /// request. Code `WA003`, the API's code for the same refusal.
    WindowClosed {
        /// Whose window, and since when.
        message: String,
    },
    /// A pluggable rate limiter (`options.rateLimit.acquire`) threw or rejected; no request was
    /// sent. Code `RATE_LIMITER_FAILED`.
    LimiterFailed {
        /// What the limiter said.
        message: String,
    },
    /// The client was constructed with credentials in a browser page. Code `BROWSER_NOT_ALLOWED`.
    BrowserNotAllowed {
        /// Why, and what to do instead.
        message: String,
    },
}

impl Error {
    /// The stable code that JavaScript sees as `SendexaError.code`.
    pub fn code(&self) -> &str {
        match self {
            Error::InvalidPhone(_) | Error::InvalidRecipient { .. } => "WA001",
            Error::InvalidMessage { .. } => "INVALID_MESSAGE",
            Error::InvalidMedia { .. } => "INVALID_MEDIA",
            Error::InvalidTemplate { .. } => "INVALID_TEMPLATE",
            Error::InvalidArgument { .. } => "INVALID_ARGUMENT",
            Error::InvalidSignature { .. } => "INVALID_SIGNATURE",
            Error::InvalidWebhook { .. } => "INVALID_WEBHOOK",
            Error::Api(api) => &api.code,
            Error::Internal { .. } => "INTERNAL",
            Error::Timeout { .. } => "TIMEOUT",
            Error::Network { .. } => "NETWORK",
            Error::InvalidResponse { .. } | Error::ResponseTooLarge { .. } => "INVALID_RESPONSE",
            Error::Aborted { .. } => "ABORTED",
            Error::OutcomeUnknown { .. } => "OUTCOME_UNKNOWN",
            Error::WindowClosed { .. } => "WA003",
            Error::LimiterFailed { .. } => "RATE_LIMITER_FAILED",
            Error::BrowserNotAllowed { .. } => "BROWSER_NOT_ALLOWED",
        }
    }

    /// A finer reason under the code: the phone error's reason for `WA001`, the cause's code
    /// for `OUTCOME_UNKNOWN`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::InvalidPhone(phone) | Error::InvalidRecipient { phone, .. } => {
                Some(phone.reason.as_str())
            }
            Error::ResponseTooLarge { .. } => Some("TOO_LARGE"),
            Error::OutcomeUnknown { cause, .. } => Some(cause.reason().unwrap_or(cause.code())),
            _ => None,
        }
    }

    /// The validation issues behind this error (empty for errors that are not about input).
    pub fn issues(&self) -> &[Issue] {
        match self {
            Error::InvalidMessage { issues }
            | Error::InvalidRecipient { issues, .. }
            | Error::InvalidMedia { issues }
            | Error::InvalidTemplate { issues } => issues,
            Error::Api(api) => &api.issues,
            _ => &[],
        }
    }

    /// The HTTP status, when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::InvalidResponse { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Error::OutcomeUnknown { cause, .. } => cause.status(),
            _ => None,
        }
    }

    /// The API's request id, when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::InvalidResponse { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            Error::OutcomeUnknown { cause, .. } => cause.request_id(),
            _ => None,
        }
    }

    /// Seconds to wait before trying again, when known.
    pub fn retry_after(&self) -> Option<f64> {
        match self {
            Error::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// The API's parsed error body, when it sent JSON.
    pub fn body(&self) -> Option<&Value> {
        match self {
            Error::Api(api) => api.body.as_ref(),
            _ => None,
        }
    }

    /// How this failure bears on repeating the call: the one source of retryability, used by the
    /// client's retry policy ([`crate::engine::client::retry::decide`]) and listed per code in
    /// `ERRORS.md` (a test checks the two agree).
    pub fn retry_kind(&self) -> RetryKind {
        match self {
            Error::Api(api) => {
                if api.status == 429
                    || matches!(
                        api.code.as_str(),
                        "WA005" | "RATE_LIMITED" | "RATE_LIMIT_EXCEEDED"
                    )
                {
                    RetryKind::Refused
                } else if api.status >= 500 {
                    RetryKind::Unknown
                } else {
                    RetryKind::Final
                }
            }
            Error::Timeout { .. } | Error::Network { .. } => RetryKind::Unknown,
            Error::InvalidResponse { status, .. } => {
                if *status == 429 {
                    RetryKind::Refused
                } else if *status >= 500 || (200..300).contains(status) {
                    RetryKind::Unknown
                } else {
                    RetryKind::Final
                }
            }
            // Unread, like an unreadable answer: nobody knows what it said.
            Error::ResponseTooLarge { status, .. } => {
                if *status == 429 {
                    RetryKind::Refused
                } else {
                    RetryKind::Unknown
                }
            }
            _ => RetryKind::Final,
        }
    }

    /// Whether the same call may succeed if repeated later, unchanged: [`Error::retry_kind`] is
    /// not [`RetryKind::Final`]. (Whether it is *safe* to repeat is another matter: a call with
    /// an effect is repeated only when [`RetryKind::Refused`]; see `OUTCOME_UNKNOWN`.)
    pub fn is_retryable(&self) -> bool {
        self.retry_kind() != RetryKind::Final
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidPhone(phone) | Error::InvalidRecipient { phone, .. } => {
                write!(f, "{phone}")
            }
            Error::InvalidMessage { issues } => write_issues(f, "The message is invalid", issues),
            Error::InvalidMedia { issues } => write_issues(f, "The media is invalid", issues),
            Error::InvalidTemplate { issues } => write_issues(f, "The template is invalid", issues),
            Error::InvalidArgument { message }
            | Error::InvalidSignature { message }
            | Error::InvalidWebhook { message }
            | Error::Internal { message }
            | Error::Timeout { message }
            | Error::Network { message }
            | Error::InvalidResponse { message, .. }
            | Error::Aborted { message }
            | Error::OutcomeUnknown { message, .. }
            | Error::WindowClosed { message }
            | Error::LimiterFailed { message }
            | Error::BrowserNotAllowed { message } => f.write_str(message),
            Error::Api(api) => f.write_str(&api.message),
            Error::ResponseTooLarge { status, limit, .. } => write!(
                f,
                "The API's answer (HTTP {status}) is larger than maxResponseBytes ({limit} bytes): reading stopped there. Is baseUrl the Sendexa API? Raise maxResponseBytes if its answers are that large."
            ),
        }
    }
}

/// `"<lead>: <first issue> (and N more problems)"`: the first issue says what to fix, `issues` has all.
fn write_issues(f: &mut fmt::Formatter<'_>, lead: &str, issues: &[Issue]) -> fmt::Result {
    match issues {
        [] => f.write_str(lead),
        [only] => write!(f, "{lead}: {}", only.message),
        [first, rest @ ..] => write!(
            f,
            "{lead}: {} (and {} more problem{}; see error.issues)",
            first.message,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

impl std::error::Error for Error {}

impl From<PhoneError> for Error {
    fn from(err: PhoneError) -> Self {
        Error::InvalidPhone(err)
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_lists_keep_the_first_hundred_and_count_the_rest() {
        let mut list = IssueList::default();
        for i in 0..MAX_ISSUES {
            assert!(list.push(Issue::new(format!("x[{i}]"), "EMPTY", "empty")));
        }
        assert!(!list.push(Issue::new("y", "EMPTY", "empty")));
        list.limit("z", "TOO_LONG", "long".into(), 5);
        assert_eq!(list.listed().len(), MAX_ISSUES);
        let issues = list.into_issues();
        assert_eq!(issues.len(), MAX_ISSUES + 1);
        let last = issues.last().unwrap();
        assert_eq!((last.path.as_str(), last.code), ("", "MORE_ISSUES"));
        assert!(
            last.message.starts_with("2 more problems"),
            "{}",
            last.message
        );
        assert_eq!(IssueList::default().into_issues(), Vec::new());
    }

    #[test]
    fn message_names_first_issue_and_counts_the_rest() {
        let err = Error::InvalidMessage {
            issues: vec![
                Issue::new("to", "REQUIRED", "to is required"),
                Issue::new("type", "REQUIRED", "type is required"),
                Issue::new("text", "REQUIRED", "text is required"),
            ],
        };
        assert_eq!(
            err.to_string(),
            "The message is invalid: to is required (and 2 more problems; see error.issues)"
        );
        assert_eq!(err.issues().len(), 3);
    }

    #[test]
    fn api_errors_keep_status_code_and_retry_hint() {
        let err: Error = ApiError {
            request_id: Some("req_1".into()),
            retry_after: Some(2.0),
            ..ApiError::new(429, "RATE_LIMITED", "Too many requests")
        }
        .into();
        assert_eq!(err.code(), "RATE_LIMITED");
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.request_id(), Some("req_1"));
        assert_eq!(err.retry_after(), Some(2.0));
        assert!(err.is_retryable());
        assert!(!Error::InvalidArgument {
            message: "x".into()
        }
        .is_retryable());
    }

    /// ERRORS.md lists, per code, the same retry kind as [`Error::retry_kind`]: for every code a
    /// row names, representative errors of that code have a kind the row's last cell states.
    #[test]
    fn errors_md_lists_each_codes_retry_kind() {
        let doc = include_str!("../../ERRORS.md");
        // (code, last cell) of every table row whose code cell is a `CODE`.
        let rows: Vec<(String, String)> = doc
            .lines()
            .filter(|l| l.starts_with("| "))
            .filter_map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
                let code = cells.iter().take(2).find_map(|c| {
                    let c = c.strip_prefix('`')?;
                    Some(c.get(..c.find('`')?)?.to_string())
                })?;
                Some((code, cells.last()?.to_string()))
            })
            .collect();
        assert!(rows.len() >= 30, "{rows:?}");
        let text = |m: &str| m.to_string();
        let api = |status: u16, code: &str| -> Error { ApiError::new(status, code, "x").into() };
        let response = |status: u16| Error::InvalidResponse {
            status,
            message: text("x"),
            request_id: None,
        };
        let phone = PhoneError::new(crate::engine::phone::PhoneErrorReason::TooShort, "x");
        let cases: Vec<Error> = vec![
            Error::InvalidPhone(phone.clone()),
            Error::InvalidRecipient {
                phone,
                issues: Vec::new(),
            },
            api(400, "WA001"),
            api(404, "WA002"),
            api(400, "WA003"),
            api(400, "WA004"),
            api(429, "WA005"),
            api(400, "WA005"),
            api(403, "WA006"),
            Error::InvalidMessage { issues: Vec::new() },
            Error::InvalidMedia { issues: Vec::new() },
            Error::InvalidTemplate { issues: Vec::new() },
            Error::InvalidWebhook { message: text("x") },
            Error::InvalidSignature { message: text("x") },
            Error::InvalidArgument { message: text("x") },
            Error::Internal { message: text("x") },
            Error::OutcomeUnknown {
                cause: Box::new(response(502)),
                message: text("x"),
            },
            Error::Timeout { message: text("x") },
            Error::Network { message: text("x") },
            response(200),
            response(502),
            response(429),
            response(400),
            Error::ResponseTooLarge {
                status: 200,
                limit: 1,
                request_id: None,
            },
            Error::ResponseTooLarge {
                status: 429,
                limit: 1,
                request_id: None,
            },
            Error::Aborted { message: text("x") },
            Error::LimiterFailed { message: text("x") },
            Error::BrowserNotAllowed { message: text("x") },
            Error::WindowClosed { message: text("x") },
            api(400, "BAD_REQUEST"),
            api(401, "UNAUTHORIZED"),
            api(403, "FORBIDDEN"),
            api(404, "NOT_FOUND"),
            api(409, "CONFLICT"),
            api(413, "PAYLOAD_TOO_LARGE"),
            api(415, "UNSUPPORTED_MEDIA_TYPE"),
            api(422, "UNPROCESSABLE"),
            api(429, "RATE_LIMITED"),
            api(500, "SERVER_ERROR"),
            api(503, "SERVER_ERROR"),
            api(418, "HTTP_ERROR"),
        ];
        for err in &cases {
            let kind = err.retry_kind().as_str();
            let listed: Vec<&(String, String)> =
                rows.iter().filter(|(c, _)| c == err.code()).collect();
            assert!(!listed.is_empty(), "{} is not in ERRORS.md", err.code());
            for (code, cell) in listed {
                assert!(
                    cell.contains(kind),
                    "{code}: ERRORS.md says {cell:?}, retry_kind is {kind}"
                );
            }
            assert_eq!(err.is_retryable(), kind != "final", "{}", err.code());
        }
        // Every code ERRORS.md lists is covered above, so a new row needs a case here.
        for (code, _) in &rows {
            assert!(cases.iter().any(|e| e.code() == code), "no case for {code}");
        }
        // The kinds themselves.
        assert_eq!(api(429, "WA005").retry_kind(), RetryKind::Refused);
        assert_eq!(response(200).retry_kind(), RetryKind::Unknown);
        assert_eq!(response(404).retry_kind(), RetryKind::Final);
    }

    #[test]
    fn a_too_large_answer_is_invalid_response_too_large_and_an_unknown_outcome_for_a_send() {
        let err = Error::ResponseTooLarge {
            status: 200,
            limit: 4_194_304,
            request_id: Some("req_3".into()),
        };
        assert_eq!(
            (err.code(), err.reason(), err.status(), err.request_id()),
            (
                "INVALID_RESPONSE",
                Some("TOO_LARGE"),
                Some(200),
                Some("req_3")
            )
        );
        assert!(err.to_string().contains("4194304 bytes"), "{err}");
        assert_eq!(err.retry_kind(), RetryKind::Unknown);
        let unknown = crate::engine::client::retry::outcome_unknown(
            crate::engine::client::endpoint::Endpoint::Send,
            err,
        );
        assert_eq!(
            (unknown.code(), unknown.reason(), unknown.status()),
            ("OUTCOME_UNKNOWN", Some("TOO_LARGE"), Some(200))
        );
    }

    #[test]
    fn outcome_unknown_keeps_the_cause_status_and_request_id() {
        let cause = Error::InvalidResponse {
            status: 502,
            message: "html".into(),
            request_id: Some("req_2".into()),
        };
        let err = Error::OutcomeUnknown {
            cause: Box::new(cause),
            message: "may have been sent".into(),
        };
        assert_eq!(err.code(), "OUTCOME_UNKNOWN");
        assert_eq!(err.reason(), Some("INVALID_RESPONSE"));
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.request_id(), Some("req_2"));
        assert!(!err.is_retryable());
        assert_eq!(err.to_string(), "may have been sent");
    }
}
