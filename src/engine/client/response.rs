//! Reading the API's answers: results in one shape from the live and the draft bodies, and every
//! non-2xx answer as an [`Error`].
//!
//! Parsing is lenient (reference §12.2): unknown fields are ignored, enums stay open strings
//! (message statuses lowercased, template and number enums uppercased, since both spellings
//! occur), and every result keeps the whole body as `raw`. A 2xx body that is not JSON, or lacks
//! the one field a result cannot do without (a send's `messageId`), is `INVALID_RESPONSE`.

use crate::engine::error::{ApiError, Error, Issue};
use crate::engine::json::{self, parse_f64, Number, Value};
use crate::engine::text::find;

use super::endpoint::Endpoint;
use crate::engine::time::http_date_ms;

/// The response headers the client reads (names are case-insensitive in HTTP; the transport
/// looks them up).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers {
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// `Retry-After`: seconds or an HTTP date.
    pub retry_after: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `X-RateLimit-Limit`.
    pub rate_limit: Option<String>,
    /// `X-RateLimit-Remaining`.
    pub rate_remaining: Option<String>,
    /// `X-RateLimit-Reset` (Unix seconds).
    pub rate_reset: Option<String>,
    /// `X-RateLimit-Window` (seconds).
    pub rate_window: Option<String>,
}

/// An HTTP answer as the transport received it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers the client reads.
    pub headers: Headers,
    /// The body, as text.
    pub body: String,
}

/// What the rate-limit headers of an answer say, for the limiter to learn from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateInfo {
    /// The HTTP status.
    pub status: u16,
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`, as epoch milliseconds.
    pub reset_ms: Option<f64>,
    /// `X-RateLimit-Window`, in milliseconds.
    pub window_ms: Option<f64>,
    /// `Retry-After` (header, else the body's `retry_after`), in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// The round trip, request to the answer's headers (the transport measures it).
    pub latency_ms: Option<f64>,
}

impl Response {
    /// The rate-limit facts of this answer.
    pub fn rate_info(&self, now_ms: f64) -> RateInfo {
        let h = &self.headers;
        let int = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<u64>().ok());
        let seconds = |v: &Option<String>| {
            v.as_deref()
                .and_then(parse_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
        };
        let retry_after = retry_after_seconds(self, None, now_ms);
        RateInfo {
            status: self.status,
            limit: int(&h.rate_limit),
            remaining: int(&h.rate_remaining),
            reset_ms: seconds(&h.rate_reset).map(|s| s * 1000.0),
            window_ms: seconds(&h.rate_window).map(|s| s * 1000.0),
            retry_after_ms: retry_after.map(|s| s * 1000.0),
            latency_ms: None,
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What a call sent, for results whose body leaves fields out (the draft shapes do).
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The message sent (`send`), for `to` and `type`.
    pub message: Option<&'a Value>,
    /// The id asked about (`status`, `resend`, template lookups).
    pub id: Option<&'a str>,
}

/// Interprets an answer: the result for a 2xx, the error otherwise. `now_ms` dates a
/// `Retry-After` given as an HTTP date.
pub fn interpret(
    endpoint: Endpoint,
    ctx: &Context<'_>,
    response: &Response,
    now_ms: f64,
) -> Result<Value, Error> {
    let parsed = parse_body(&response.body);
    if !response.is_success() {
        return Err(error_from(response, parsed.as_ref(), now_ms));
    }
    let Some(body) = parsed else {
        // An empty 2xx is a success with nothing to read; only delete can live with that.
        if endpoint == Endpoint::DeleteTemplate && response.body.trim().is_empty() {
            return delete_result(&Value::Null, ctx).map_err(|m| unreadable(response, &m.0));
        }
        return Err(unreadable(response, "is not JSON"));
    };
    if !matches!(body, Value::Object(_)) {
        return Err(unreadable(response, "is JSON but not an object"));
    }
    if body.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(error_from(response, Some(&body), now_ms));
    }
    let result = match endpoint {
        Endpoint::Send => send_result(&body, ctx),
        Endpoint::Status => status_result(&body, ctx),
        Endpoint::Resend => resend_result(&body, ctx, response.status),
        Endpoint::ListTemplates => templates_page(&body),
        Endpoint::CreateTemplate | Endpoint::GetTemplate => template_result(&body),
        Endpoint::DeleteTemplate => delete_result(&body, ctx),
        Endpoint::CheckNumber => check_result(&body),
        Endpoint::BulkCheck => bulk_check_result(&body),
        Endpoint::ListNumbers => numbers_result(&body),
    };
    result.map_err(|missing| unreadable(response, &missing.0))
}

/// A required field was missing from a 2xx body: says which.
struct Missing(String);

fn missing(what: &str) -> Missing {
    Missing(format!("has no {what}"))
}

fn parse_body(text: &str) -> Option<Value> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return None;
    }
    json::parse(text).ok()
}

/// `INVALID_RESPONSE` for an answer whose body cannot be read.
fn unreadable(response: &Response, why: &str) -> Error {
    let kind = response
        .headers
        .content_type
        .as_deref()
        .map(|t| t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty());
    let mut message = format!(
        "The API answered HTTP {} with a body that {why}",
        response.status
    );
    if let Some(kind) = kind {
        message.push_str(&format!(" ({kind})"));
    }
    if let Some(title) = html_title(&response.body) {
        message.push_str(&format!(": \"{title}\""));
    } else if response.body.trim().is_empty() {
        message.push_str(": the body is empty");
    }
    message.push_str(". A proxy, a load balancer or an outage may be in the way; try again later.");
    Error::InvalidResponse {
        status: response.status,
        message,
        request_id: response.headers.request_id.clone(),
    }
}

/// The `<title>` of an HTML error page, short and printable.
fn html_title(body: &str) -> Option<String> {
    // The first 4 KiB, cut at a character boundary (0 always is one).
    let cut = (0..=body.len().min(4096))
        .rev()
        .find(|&i| body.is_char_boundary(i))
        .unwrap_or(0);
    let lower = body.get(..cut)?.to_ascii_lowercase();
    let start = find(&lower, "<title>")?.checked_add("<title>".len())?;
    let end = start.checked_add(find(lower.get(start..)?, "</title>")?)?;
    let title: String = body
        .get(start..end)?
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The error for a non-2xx answer (or a 2xx saying `success: false`).
///
/// `code` is the body's `code` ?? string `error` ?? `error.code` ?? `details.code` ?? one
/// derived from the status; `requestId` is `requestId` ?? `request_id` ?? `X-Request-Id`;
/// `retryAfter` is the `Retry-After` header ?? `details.retry_after` ?? `retry_after`.
pub fn error_from(response: &Response, body: Option<&Value>, now_ms: f64) -> Error {
    let status = response.status;
    let object = body.filter(|b| matches!(b, Value::Object(_)));
    let Some(body) = object else {
        if status == 429 {
            // A proxy's rate-limit page: still a refusal, still worth honouring Retry-After.
            return ApiError {
                request_id: response.headers.request_id.clone(),
                retry_after: retry_after_seconds(response, None, now_ms),
                ..ApiError::new(429, "RATE_LIMITED", "Rate limit exceeded (HTTP 429)")
            }
            .into();
        }
        return unreadable(response, "is not JSON");
    };
    let error_obj = body.get("error").filter(|e| matches!(e, Value::Object(_)));
    let details = body
        .get("details")
        .filter(|d| matches!(d, Value::Object(_)));
    let code = text(body, "code")
        .or_else(|| text(body, "error"))
        .or_else(|| error_obj.and_then(|e| text(e, "code")))
        .or_else(|| details.and_then(|d| text(d, "code")))
        .map(str::to_string)
        .unwrap_or_else(|| code_for_status(status).to_string());
    let message = text(body, "message")
        .or_else(|| error_obj.and_then(|e| text(e, "message")))
        .map(|m| {
            m.chars()
                .filter(|c| !c.is_control())
                .take(500)
                .collect::<String>()
        })
        .unwrap_or_else(|| describe_status(status));
    let request_id = text(body, "requestId")
        .or_else(|| text(body, "request_id"))
        .map(str::to_string)
        .or_else(|| response.headers.request_id.clone());
    let errors = body
        .get("errors")
        .or_else(|| details.and_then(|d| d.get("errors")))
        .and_then(Value::as_array);
    let issues = errors
        .map(|list| list.iter().filter_map(issue_of).collect())
        .unwrap_or_default();
    ApiError {
        status,
        code,
        message,
        request_id,
        retry_after: retry_after_seconds(response, Some(body), now_ms),
        issues,
        body: Some(body.clone()),
    }
    .into()
}

/// One of the API's `errors[]` items (`{ field, message, code? }`) as an [`Issue`]. Issue codes
/// are a closed set, so the API's own code is kept only when it is one of the WA codes;
/// the message carries the rest.
fn issue_of(item: &Value) -> Option<Issue> {
    let path = text(item, "field")
        .or_else(|| text(item, "path"))
        .unwrap_or("");
    let message = text(item, "message")?;
    let code = match text(item, "code") {
        Some("WA001") => "WA001",
        Some("WA002") => "WA002",
        Some("WA003") => "WA003",
        Some("WA004") => "WA004",
        Some("WA005") => "WA005",
        Some("WA006") => "WA006",
        _ => "INVALID_VALUE",
    };
    let message = if path.is_empty() {
        message.to_string()
    } else {
        format!("{path} {message}")
    };
    Some(Issue::new(path, code, message))
}

/// The SDK's code for a status when the body gives none.
pub fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        409 => "CONFLICT",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE",
        429 => "RATE_LIMITED",
        500..=599 => "SERVER_ERROR",
        _ => "HTTP_ERROR",
    }
}

fn describe_status(status: u16) -> String {
    let what = match status {
        400 => "the request was refused as invalid",
        401 => "the credentials are missing or wrong (check the token)",
        402 => "the account's balance is too low",
        403 => "the credentials may not do this, or the account is blocked",
        404 => "not found",
        409 => "it conflicts with the current state",
        429 => "too many requests; slow down",
        500..=599 => "the API failed; try again later",
        _ => "the API refused the request",
    };
    format!("HTTP {status}: {what}")
}

/// `Retry-After` in seconds: the header (seconds or an HTTP date), else the body's
/// `details.retry_after` or `retry_after`. Negative or absurd values are ignored.
fn retry_after_seconds(response: &Response, body: Option<&Value>, now_ms: f64) -> Option<f64> {
    let from_header = response.headers.retry_after.as_deref().and_then(|v| {
        let v = v.trim();
        match parse_f64(v) {
            Some(s) => Some(s),
            None => http_date_ms(v).map(|at| ((at - now_ms) / 1000.0).max(0.0)),
        }
    });
    let from_body = || {
        let body = body?;
        body.get("details")
            .and_then(|d| d.get("retry_after"))
            .or_else(|| body.get("retry_after"))
            .or_else(|| body.get("retryAfter"))
            .and_then(Value::as_f64)
    };
    from_header
        .or_else(from_body)
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0 * 7.0)
}

// ---- lenient field access ----

/// A non-empty string member.
fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The first of several keys holding a non-empty string (or a number, as its text).
fn first_text(v: &Value, keys: &[&str]) -> Option<Value> {
    keys.iter().find_map(|k| match v.get(k)? {
        Value::String(s) if !s.is_empty() => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    })
}

fn first_number(v: &Value, keys: &[&str]) -> Option<Value> {
    keys.iter().find_map(|k| match v.get(k)? {
        n @ Value::Number(_) => Some(n.clone()),
        Value::String(s) => Number::parse(s.trim()).map(Value::Number),
        _ => None,
    })
}

fn first_bool(v: &Value, keys: &[&str]) -> Option<bool> {
    keys.iter().find_map(|k| match v.get(k)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

fn lower(v: Option<Value>) -> Option<Value> {
    v.map(|v| match v {
        Value::String(s) => Value::String(s.to_ascii_lowercase()),
        other => other,
    })
}

fn upper(v: Option<Value>) -> Option<Value> {
    v.map(|v| match v {
        Value::String(s) => Value::String(s.to_ascii_uppercase()),
        other => other,
    })
}

/// `body.data` when it is an object, else the body itself (the flat draft shapes).
fn data_of(body: &Value) -> &Value {
    match body.get("data") {
        Some(d @ Value::Object(_)) => d,
        _ => body,
    }
}

/// An object under construction: members in order, absent values skipped.
struct Obj(Vec<(String, Value)>);

impl Obj {
    fn new() -> Self {
        Obj(Vec::new())
    }
    fn put(mut self, key: &str, value: Value) -> Self {
        self.0.push((key.to_string(), value));
        self
    }
    fn opt(self, key: &str, value: Option<Value>) -> Self {
        match value {
            Some(v) if !v.is_null() => self.put(key, v),
            _ => self,
        }
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn wamid_of(data: &Value, message_id: Option<&Value>) -> Value {
    let from_id =
        first_text(data, &["id"]).filter(|v| v.as_str().is_some_and(|s| s.starts_with("wamid.")));
    from_id
        .or_else(|| first_text(data, &["wamid"]))
        .or_else(|| {
            message_id
                .filter(|m| m.as_str().is_some_and(|s| s.starts_with("wamid.")))
                .cloned()
        })
        .unwrap_or(Value::Null)
}

fn send_result(body: &Value, ctx: &Context<'_>) -> Result<Value, Missing> {
    let data = data_of(body);
    let message_id = first_text(data, &["messageId", "message_id"])
        .or_else(|| first_text(body, &["messageId", "message_id"]))
        .ok_or_else(|| missing("messageId"))?;
    // What the message named, when it is text: a message sent with `validate: false` may hold
    // anything there, and the result's `to` and `type` are strings or null.
    let sent = |key: &str| {
        ctx.message
            .and_then(|m| m.get(key))
            .filter(|v| v.as_str().is_some())
            .cloned()
    };
    let to = first_text(data, &["to", "recipient"])
        .or_else(|| sent("to"))
        .unwrap_or(Value::Null);
    let kind = first_text(data, &["type"])
        .or_else(|| sent("type"))
        .unwrap_or(Value::Null);
    let status = lower(first_text(data, &["status"])).unwrap_or_else(|| Value::from("sent"));
    Ok(Obj::new()
        .put("wamid", wamid_of(data, Some(&message_id)))
        .put("messageId", message_id)
        .put("status", status)
        .put("to", to)
        .put("type", kind)
        .opt(
            "cost",
            first_number(data, &["cost"]).or_else(|| first_number(body, &["cost"])),
        )
        .opt(
            "currency",
            first_text(data, &["currency"]).or_else(|| first_text(body, &["currency"])),
        )
        .opt(
            "timestamp",
            first_text(data, &["timestamp", "sentAt", "sent_at"]),
        )
        .opt(
            "conversation",
            data.get("conversation")
                .or_else(|| body.get("conversation"))
                .cloned(),
        )
        .put("raw", body.clone())
        .done())
}

fn status_result(body: &Value, ctx: &Context<'_>) -> Result<Value, Missing> {
    let data = data_of(body);
    let message_id = first_text(data, &["messageId", "message_id"])
        .or_else(|| ctx.id.map(Value::from))
        .ok_or_else(|| missing("messageId"))?;
    let status = lower(first_text(data, &["status"])).ok_or_else(|| missing("status"))?;
    let error = data.get("error").filter(|e| matches!(e, Value::Object(_)));
    let error_code = first_text(data, &["errorCode", "error_code"])
        .or_else(|| error.and_then(|e| first_text(e, &["code"])));
    let error_message = first_text(data, &["errorMessage", "error_message"])
        .or_else(|| error.and_then(|e| first_text(e, &["message"])));
    Ok(Obj::new()
        .put("wamid", wamid_of(data, Some(&message_id)))
        .put("messageId", message_id)
        .put("status", status)
        .opt("to", first_text(data, &["to", "recipient"]))
        .opt("type", first_text(data, &["type"]))
        .opt("sentAt", first_text(data, &["sentAt", "sent_at"]))
        .opt(
            "deliveredAt",
            first_text(data, &["deliveredAt", "delivered_at"]),
        )
        .opt("readAt", first_text(data, &["readAt", "read_at"]))
        .opt("failedAt", first_text(data, &["failedAt", "failed_at"]))
        .opt("errorCode", error_code)
        .opt("errorMessage", error_message)
        .opt("cost", first_number(data, &["cost"]))
        .opt(
            "originalMessageId",
            first_text(data, &["originalMessageId", "original_message_id"]),
        )
        .opt(
            "resendAttempt",
            first_number(data, &["resendAttempt", "resend_attempt"]),
        )
        .put("raw", body.clone())
        .done())
}

fn resend_result(body: &Value, ctx: &Context<'_>, status: u16) -> Result<Value, Missing> {
    let data = data_of(body);
    let message_id =
        first_text(data, &["messageId", "message_id"]).ok_or_else(|| missing("messageId"))?;
    let original = first_text(data, &["originalMessageId", "original_message_id"])
        .or_else(|| ctx.id.map(Value::from))
        .unwrap_or(Value::Null);
    let state = lower(first_text(data, &["status"]))
        .unwrap_or_else(|| Value::from(if status == 202 { "pending" } else { "sent" }));
    Ok(Obj::new()
        .put("messageId", message_id)
        .put("originalMessageId", original)
        .put("status", state)
        // 202: the API accepted the resend and will attempt it later.
        .put("scheduled", Value::Bool(status == 202))
        .opt("wamid", first_text(data, &["wamid"]))
        .opt("to", first_text(data, &["to"]))
        .opt(
            "resendAttempt",
            first_number(data, &["resendAttempt", "resend_attempt"]),
        )
        .opt("cost", first_number(data, &["cost"]))
        .opt(
            "deliveredAt",
            first_text(data, &["deliveredAt", "delivered_at"]),
        )
        .put("raw", body.clone())
        .done())
}

/// One template in one shape, from the live (camelCase) or draft (snake_case) form.
pub fn template_of(t: &Value) -> Option<Value> {
    if !matches!(t, Value::Object(_)) {
        return None;
    }
    let id = first_text(t, &["id", "templateId", "template_id"]);
    let name = first_text(t, &["name"]);
    if id.is_none() && name.is_none() {
        return None;
    }
    let language = match t.get("language") {
        Some(Value::Object(_)) => t.get("language").and_then(|l| first_text(l, &["code"])),
        _ => first_text(t, &["language"]),
    };
    Some(
        Obj::new()
            .put("id", id.unwrap_or(Value::Null))
            .put("name", name.unwrap_or(Value::Null))
            .put(
                "status",
                upper(first_text(t, &["status"])).unwrap_or(Value::Null),
            )
            .put(
                "category",
                upper(first_text(t, &["category"])).unwrap_or(Value::Null),
            )
            .put("language", language.unwrap_or(Value::Null))
            .put(
                "components",
                t.get("components")
                    .filter(|c| matches!(c, Value::Array(_)))
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new())),
            )
            .opt(
                "qualityScore",
                upper(first_text(t, &["qualityScore", "quality_score"])),
            )
            .opt(
                "rejectedReason",
                first_text(t, &["rejectedReason", "rejected_reason"]),
            )
            .opt(
                "usageCount",
                first_number(t, &["usageCount", "usage_count"]),
            )
            .opt("createdAt", first_text(t, &["createdAt", "created_at"]))
            .opt("updatedAt", first_text(t, &["updatedAt", "updated_at"]))
            .opt("approvedAt", first_text(t, &["approvedAt", "approved_at"]))
            .put("raw", t.clone())
            .done(),
    )
}

fn template_result(body: &Value) -> Result<Value, Missing> {
    let item = match (body.get("data"), body.get("template")) {
        (Some(d @ Value::Object(_)), _) => d,
        (_, Some(t @ Value::Object(_))) => t,
        _ => body,
    };
    let mut out = template_of(item).ok_or_else(|| missing("template"))?;
    out.set("raw", body.clone());
    Ok(out)
}

fn templates_page(body: &Value) -> Result<Value, Missing> {
    // Live: data{templates[], total, page, pageSize}. Draft: data[] + pagination{…}.
    let (list, meta) = match body.get("data") {
        Some(Value::Array(items)) => (items, body.get("pagination").unwrap_or(&Value::Null)),
        Some(d @ Value::Object(_)) => match d.get("templates") {
            Some(Value::Array(items)) => (items, d),
            _ => return Err(missing("templates list")),
        },
        _ => match body.get("templates") {
            Some(Value::Array(items)) => (items, body.get("pagination").unwrap_or(body)),
            _ => return Err(missing("templates list")),
        },
    };
    let templates: Vec<Value> = list.iter().filter_map(template_of).collect();
    let count = templates.len() as u64;
    let num = |keys: &[&str]| first_number(meta, keys).and_then(|n| n.as_u64());
    let total = num(&["total"]);
    let limit = num(&["pageSize", "page_size", "limit"]);
    let offset = num(&["offset"]);
    let page = num(&["page"]).or_else(|| match (offset, limit) {
        (Some(o), Some(l)) => o.checked_div(l)?.checked_add(1),
        _ => None,
    });
    let offset = offset.or_else(|| match (page, limit) {
        (Some(p), Some(l)) => p.saturating_sub(1).checked_mul(l),
        _ => None,
    });
    let has_more = first_bool(meta, &["hasMore", "has_more"]).unwrap_or(match (total, offset) {
        (Some(t), Some(o)) => o.saturating_add(count) < t,
        // Without totals: a full page may have a successor; an empty or short one has not.
        _ => limit.is_some_and(|l| count > 0 && count >= l),
    });
    Ok(Obj::new()
        .put("templates", Value::Array(templates))
        .opt("total", total.map(Value::from))
        .opt("page", page.map(Value::from))
        .opt("pageSize", limit.map(Value::from))
        .opt("offset", offset.map(Value::from))
        .put("hasMore", Value::Bool(has_more && count > 0))
        .put("raw", body.clone())
        .done())
}

fn delete_result(body: &Value, ctx: &Context<'_>) -> Result<Value, Missing> {
    let data = data_of(body);
    let id = first_text(data, &["id"])
        .or_else(|| ctx.id.map(Value::from))
        .unwrap_or(Value::Null);
    Ok(Obj::new()
        .put("id", id)
        .opt("name", first_text(data, &["name"]))
        .put("deleted", Value::Bool(true))
        .put("raw", body.clone())
        .done())
}

fn number_check_of(v: &Value) -> Option<Value> {
    let phone = first_text(v, &["phone", "phoneNumber", "phone_number"])?;
    let is_whatsapp = first_bool(
        v,
        &["isWhatsApp", "is_whatsapp", "isWhatsapp", "registered"],
    )?;
    Some(
        Obj::new()
            .put("phone", phone)
            .put("isWhatsApp", Value::Bool(is_whatsapp))
            .opt(
                "displayName",
                first_text(v, &["displayName", "display_name"]),
            )
            .opt("type", lower(first_text(v, &["type"])))
            .done(),
    )
}

fn check_result(body: &Value) -> Result<Value, Missing> {
    let mut out = number_check_of(data_of(body)).ok_or_else(|| missing("phone and isWhatsApp"))?;
    out.set("raw", body.clone());
    Ok(out)
}

fn bulk_check_result(body: &Value) -> Result<Value, Missing> {
    let data = data_of(body);
    let list = data
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("results"))?;
    let results: Vec<Value> = list.iter().filter_map(number_check_of).collect();
    Ok(Obj::new()
        .put("results", Value::Array(results))
        .put("raw", body.clone())
        .done())
}

fn numbers_result(body: &Value) -> Result<Value, Missing> {
    let data = data_of(body);
    let list = match (data.get("numbers"), body.get("data")) {
        (Some(Value::Array(items)), _) => items,
        (_, Some(Value::Array(items))) => items,
        _ => return Err(missing("numbers")),
    };
    let numbers: Vec<Value> = list
        .iter()
        .filter(|n| matches!(n, Value::Object(_)))
        .map(|n| {
            Obj::new()
                .put("id", first_text(n, &["id"]).unwrap_or(Value::Null))
                .put(
                    "phone",
                    first_text(n, &["phone", "phoneNumber", "phone_number"]).unwrap_or(Value::Null),
                )
                .opt(
                    "displayName",
                    first_text(n, &["displayName", "display_name"]),
                )
                .opt(
                    "verifiedName",
                    first_text(n, &["verifiedName", "verified_name"]),
                )
                .opt("status", upper(first_text(n, &["status"])))
                .opt(
                    "qualityRating",
                    upper(first_text(n, &["qualityRating", "quality_rating"])),
                )
                .opt(
                    "messagingLimit",
                    upper(first_text(n, &["messagingLimit", "messaging_limit"])),
                )
                .opt("webhookUrl", first_text(n, &["webhookUrl", "webhook_url"]))
                .opt(
                    "connectedAt",
                    first_text(n, &["connectedAt", "connected_at"]),
                )
                .put("raw", n.clone())
                .done()
        })
        .collect();
    let total = first_number(data, &["total"]).unwrap_or_else(|| Value::from(numbers.len() as u64));
    Ok(Obj::new()
        .put("numbers", Value::Array(numbers))
        .put("total", total)
        .put("raw", body.clone())
        .done())
}

#[cfg(test)]
mod tests;
