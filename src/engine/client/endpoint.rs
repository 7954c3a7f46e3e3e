//! The endpoints, the requests the client sends to them, the base URL and the credentials.

use crate::engine::error::Error;
use crate::engine::host::is_loopback;
use crate::engine::json::Value;
use crate::engine::text::split_once;

/// The API's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.sendexa.co";

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name, as `fetch` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Every endpoint the client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v1/whatsapp/send`.
    Send,
    /// `GET /v1/whatsapp/status/{messageId}`.
    Status,
    /// `POST /v1/whatsapp/resend` (or `/resend/{messageId}`).
    Resend,
    /// `GET /v1/whatsapp/templates`.
    ListTemplates,
    /// `POST /v1/whatsapp/templates`.
    CreateTemplate,
    /// `GET /v1/whatsapp/templates/{id}`.
    GetTemplate,
    /// `DELETE /v1/whatsapp/templates/{id}`.
    DeleteTemplate,
    /// `GET /v1/whatsapp/numbers/check?phone=`.
    CheckNumber,
    /// `POST /v1/whatsapp/numbers/bulk-check`.
    BulkCheck,
    /// `GET /v1/whatsapp/numbers`.
    ListNumbers,
}

/// How a failed attempt of an endpoint may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Repeating has no effect beyond the first success (reads, deletes): retried on 429, 5xx,
    /// timeouts, network errors and unreadable answers.
    Idempotent,
    /// Each success has an effect (a message sent, a template created): retried only when the
    /// API said it did not accept the call (429 / `WA005`); any doubt is `OUTCOME_UNKNOWN`.
    OnlyWhenRefused,
}

impl Endpoint {
    /// Every endpoint, for code that must cover them all (tests, fuzzing).
    pub const ALL: [Endpoint; 10] = [
        Endpoint::Send,
        Endpoint::Status,
        Endpoint::Resend,
        Endpoint::ListTemplates,
        Endpoint::CreateTemplate,
        Endpoint::GetTemplate,
        Endpoint::DeleteTemplate,
        Endpoint::CheckNumber,
        Endpoint::BulkCheck,
        Endpoint::ListNumbers,
    ];

    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            Endpoint::Send | Endpoint::Resend | Endpoint::CreateTemplate | Endpoint::BulkCheck => {
                Method::Post
            }
            Endpoint::DeleteTemplate => Method::Delete,
            _ => Method::Get,
        }
    }

    /// The rate-limit key: the name a limiter (built-in or pluggable) counts this call under.
    /// `listTemplates` and `getTemplate` share `templates`, as the draft's 60/min "get/list"
    /// limit does.
    pub fn limit_key(self) -> &'static str {
        match self {
            Endpoint::Send => "send",
            Endpoint::Status => "status",
            Endpoint::Resend => "resend",
            Endpoint::ListTemplates | Endpoint::GetTemplate => "templates",
            Endpoint::CreateTemplate => "templateCreate",
            Endpoint::DeleteTemplate => "templateDelete",
            Endpoint::CheckNumber => "numbersCheck",
            Endpoint::BulkCheck => "numbersBulkCheck",
            Endpoint::ListNumbers => "numbers",
        }
    }

    /// How failures may be retried. A bulk check reads only, so it is idempotent although it
    /// is a POST; a resend is not (repeating one after a lost answer can start a second resend).
    pub fn repeat(self) -> Repeat {
        match self {
            Endpoint::Send | Endpoint::Resend | Endpoint::CreateTemplate => Repeat::OnlyWhenRefused,
            _ => Repeat::Idempotent,
        }
    }

    /// What the call does, for messages: "the send", "the status lookup", …
    pub fn what(self) -> &'static str {
        match self {
            Endpoint::Send => "the send",
            Endpoint::Status => "the status lookup",
            Endpoint::Resend => "the resend",
            Endpoint::ListTemplates => "the template list",
            Endpoint::CreateTemplate => "the template creation",
            Endpoint::GetTemplate => "the template lookup",
            Endpoint::DeleteTemplate => "the template deletion",
            Endpoint::CheckNumber => "the number check",
            Endpoint::BulkCheck => "the bulk number check",
            Endpoint::ListNumbers => "the number list",
        }
    }
}

/// A request ready for the transport: method, path (with query) and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Which endpoint, for retries, limits and response parsing.
    pub endpoint: Endpoint,
    /// Path and query, appended to the base URL (`/v1/whatsapp/status/exa_wa_1`).
    pub path: String,
    /// The JSON body, for POSTs.
    pub body: Option<String>,
}

impl Request {
    fn new(endpoint: Endpoint, path: String, body: Option<String>) -> Self {
        Request {
            endpoint,
            path,
            body,
        }
    }

    /// The method, from the endpoint.
    pub fn method(&self) -> Method {
        self.endpoint.method()
    }
}

/// `POST /v1/whatsapp/send` with an already validated message.
pub fn send(message: &Value) -> Request {
    Request::new(
        Endpoint::Send,
        "/v1/whatsapp/send".into(),
        Some(message.to_json()),
    )
}

/// `GET /v1/whatsapp/status/{messageId}`.
pub fn status(message_id: &str) -> Result<Request, Error> {
    let id = id_arg(message_id, "messageId")?;
    Ok(Request::new(
        Endpoint::Status,
        format!("/v1/whatsapp/status/{}", encode_component(id)),
        None,
    ))
}

/// How `resend` addresses the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResendStyle {
    /// `POST /v1/whatsapp/resend` with `{"messageId": …}`, as the live docs show.
    #[default]
    Body,
    /// `POST /v1/whatsapp/resend/{messageId}` with no body, as the official SDKs call it.
    Path,
}

/// `POST /v1/whatsapp/resend`, in either style.
pub fn resend(message_id: &str, style: ResendStyle) -> Result<Request, Error> {
    let id = id_arg(message_id, "messageId")?;
    Ok(match style {
        ResendStyle::Body => Request::new(
            Endpoint::Resend,
            "/v1/whatsapp/resend".into(),
            Some(Value::object([("messageId", Value::from(id))]).to_json()),
        ),
        ResendStyle::Path => Request::new(
            Endpoint::Resend,
            format!("/v1/whatsapp/resend/{}", encode_component(id)),
            None,
        ),
    })
}

/// The query of `listTemplates`: page style (`page`, `pageSize`, the live form) or offset
/// style (`limit`, `offset`, the draft form), and filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateQuery {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Templates per page (the API allows 1–100).
    pub page_size: Option<u64>,
    /// Offset style: templates per page.
    pub limit: Option<u64>,
    /// Offset style: how many to skip.
    pub offset: Option<u64>,
    /// `APPROVED`, `PENDING`, …
    pub status: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`.
    pub category: Option<String>,
    /// A language code.
    pub language: Option<String>,
    /// A template name.
    pub name: Option<String>,
}

/// The longest value each `listTemplates` text filter takes, in characters: a name as long as
/// a template name may be ([`crate::engine::template::limits::NAME_MAX`]), a language code, a status, a category.
pub const FILTER_MAX: [(&str, usize); 4] = [
    ("name", crate::engine::template::limits::NAME_MAX),
    ("language", crate::engine::template::limits::LANGUAGE_MAX),
    ("status", 32),
    ("category", 32),
];

/// The largest `page` of `listTemplates`.
pub const PAGE_MAX: u64 = 1_000_000_000;
/// The largest `offset` of `listTemplates`.
pub const OFFSET_MAX: u64 = 1_000_000_000_000;
/// The largest `pageSize` or `limit` of `listTemplates` (the API's own bound).
pub const PAGE_SIZE_MAX: u64 = 100;

impl TemplateQuery {
    /// Whether the offset style (`limit`/`offset`) was asked for.
    pub fn offset_style(&self) -> bool {
        self.limit.is_some() || self.offset.is_some()
    }

    /// Checks every bound: the text filters at most [`FILTER_MAX`] characters and free of
    /// control characters, `page` 1–[`PAGE_MAX`], `pageSize`/`limit` 1–[`PAGE_SIZE_MAX`],
    /// `offset` at most [`OFFSET_MAX`], and one paging style. `INVALID_ARGUMENT` otherwise.
    pub fn check(&self) -> Result<(), Error> {
        let bad = |message: String| Error::InvalidArgument { message };
        let texts = [
            ("name", &self.name),
            ("language", &self.language),
            ("status", &self.status),
            ("category", &self.category),
        ];
        for (key, value) in texts {
            let Some(value) = value else { continue };
            let max = FILTER_MAX
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0, |(_, m)| *m);
            let count = value.chars().count();
            if count == 0 || count > max || value.chars().any(char::is_control) {
                return Err(bad(format!(
                    "options.{key} must be 1 to {max} characters without control characters (it has {count})"
                )));
            }
        }
        let ranges = [
            ("page", self.page, 1, PAGE_MAX),
            ("pageSize", self.page_size, 1, PAGE_SIZE_MAX),
            ("limit", self.limit, 1, PAGE_SIZE_MAX),
            ("offset", self.offset, 0, OFFSET_MAX),
        ];
        for (key, value, min, max) in ranges {
            if value.is_some_and(|v| v < min || v > max) {
                return Err(bad(format!(
                    "options.{key} must be a whole number from {min} to {max}"
                )));
            }
        }
        if self.offset_style() && (self.page.is_some() || self.page_size.is_some()) {
            return Err(bad(
                "use either page/pageSize or limit/offset, not both".into()
            ));
        }
        Ok(())
    }
}

/// `GET /v1/whatsapp/templates?…`.
pub fn list_templates(query: &TemplateQuery) -> Request {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let numbers = [
        ("page", query.page),
        ("pageSize", query.page_size),
        ("limit", query.limit),
        ("offset", query.offset),
    ];
    for (key, value) in numbers {
        if let Some(v) = value {
            pairs.push((key, v.to_string()));
        }
    }
    let texts = [
        ("status", &query.status),
        ("category", &query.category),
        ("language", &query.language),
        ("name", &query.name),
    ];
    for (key, value) in texts {
        if let Some(v) = value {
            pairs.push((key, v.clone()));
        }
    }
    Request::new(
        Endpoint::ListTemplates,
        format!("/v1/whatsapp/templates{}", query_string(&pairs)),
        None,
    )
}

/// `POST /v1/whatsapp/templates` with an already validated definition.
pub fn create_template(definition: &Value) -> Request {
    Request::new(
        Endpoint::CreateTemplate,
        "/v1/whatsapp/templates".into(),
        Some(definition.to_json()),
    )
}

/// `GET /v1/whatsapp/templates/{id}`.
pub fn get_template(id: &str) -> Result<Request, Error> {
    let id = id_arg(id, "id")?;
    Ok(Request::new(
        Endpoint::GetTemplate,
        format!("/v1/whatsapp/templates/{}", encode_component(id)),
        None,
    ))
}

/// `DELETE /v1/whatsapp/templates/{id}`.
pub fn delete_template(id: &str) -> Result<Request, Error> {
    let id = id_arg(id, "id")?;
    Ok(Request::new(
        Endpoint::DeleteTemplate,
        format!("/v1/whatsapp/templates/{}", encode_component(id)),
        None,
    ))
}

/// `GET /v1/whatsapp/numbers/check?phone=` with a normalised phone (digits).
pub fn check_number(digits: &str) -> Request {
    Request::new(
        Endpoint::CheckNumber,
        format!(
            "/v1/whatsapp/numbers/check{}",
            query_string(&[("phone", digits.to_string())])
        ),
        None,
    )
}

/// `POST /v1/whatsapp/numbers/bulk-check` with at most [`BULK_CHECK_MAX`] normalised phones.
pub fn bulk_check(digits: &[String]) -> Request {
    let phones = Value::Array(digits.iter().map(|d| Value::from(d.as_str())).collect());
    Request::new(
        Endpoint::BulkCheck,
        "/v1/whatsapp/numbers/bulk-check".into(),
        Some(Value::object([("phones", phones)]).to_json()),
    )
}

/// The most numbers one bulk check takes (reference §7).
pub const BULK_CHECK_MAX: usize = 1000;

/// `GET /v1/whatsapp/numbers`.
pub fn list_numbers() -> Request {
    Request::new(Endpoint::ListNumbers, "/v1/whatsapp/numbers".into(), None)
}

/// The longest id (`status`, `resend`, `getTemplate`, `deleteTemplate`), in characters.
pub const ID_MAX: usize = 256;

/// An id for a path: non-empty, at most [`ID_MAX`] characters, no control characters, and not `.` or
/// `..`. It is percent-encoded into the path, so `/` or `?` cannot reach another endpoint; dots
/// are unreserved and stay as they are, and URL parsers (WHATWG's in every `fetch`) resolve a
/// `.` or `..` segment, so `status("..")` would be `GET /v1/whatsapp/` and `deleteTemplate(".")`
/// `DELETE /v1/whatsapp/templates/`.
fn id_arg<'a>(id: &'a str, what: &str) -> Result<&'a str, Error> {
    let id = id.trim();
    if id.is_empty()
        || id.len() > ID_MAX.saturating_mul(4)
        || id.chars().count() > ID_MAX
        || id.chars().any(char::is_control)
        || id == "."
        || id == ".."
    {
        return Err(Error::InvalidArgument {
            message: format!(
                "{what} must be an id string of 1 to {ID_MAX} characters (not \".\" or \"..\")"
            ),
        });
    }
    Ok(id)
}

/// `?a=1&b=x%20y`, or empty when there are no pairs.
fn query_string(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&encode_component(key));
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// Percent-encodes everything but RFC 3986's unreserved characters, as `encodeURIComponent`
/// does (minus its few extra marks), so ids and query values stay inside their slot.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            crate::engine::hex::push_upper(&mut out, byte);
        }
    }
    out
}

/// Checks a base URL and returns it without a trailing `/`.
///
/// It must be `https:`, except on loopback (`localhost`, `127.0.0.0/8`, `[::1]`) where `http:`
/// is allowed for local servers such as the sandbox: plain HTTP anywhere else would send the
/// token in clear. User info (`user:pass@`), a query or a fragment are refused.
pub fn base_url(input: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::InvalidArgument {
        message: format!("options.baseUrl {why}; e.g. \"{DEFAULT_BASE_URL}\""),
    };
    let url = input.trim();
    if url.chars().count() > BASE_URL_MAX {
        return Err(bad(&format!("is longer than {BASE_URL_MAX} characters")));
    }
    let (scheme, rest) = split_once(url, "://").ok_or_else(|| bad("must be an absolute URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(bad("must use https:"));
    }
    if rest.contains('?') || rest.contains('#') {
        return Err(bad("must not have a query or fragment"));
    }
    let (authority, path) = rest
        .find('/')
        .and_then(|i| rest.split_at_checked(i))
        .unwrap_or((rest, ""));
    if authority.contains('@') {
        return Err(bad(
            "must not contain credentials; pass token or apiKey/apiSecret",
        ));
    }
    let host = host_of(authority).ok_or_else(|| bad("has no valid host"))?;
    if scheme == "http" && !is_loopback(&host) {
        return Err(bad(
            "must use https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1])",
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain spaces"));
    }
    let path = path.trim_end_matches('/');
    Ok(format!(
        "{scheme}://{}{path}",
        authority.to_ascii_lowercase()
    ))
}

/// The host of `host[:port]` or `[v6][:port]`, lowercased; `None` when malformed.
fn host_of(authority: &str) -> Option<String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let (v6, after) = rest.split_at_checked(end)?;
        (format!("[{}]", v6.to_ascii_lowercase()), after.get(1..)?)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), p),
            None => (authority.to_ascii_lowercase(), ""),
        }
    };
    let port = port.strip_prefix(':').unwrap_or(port);
    if !port.is_empty() && (port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if host.is_empty() || host == "[]" {
        return None;
    }
    Some(host)
}

/// The longest token (after `Basic `) the client sends in its `Authorization` header, in bytes;
/// with `apiKey` + `apiSecret`, the longest base64 of `apiKey:apiSecret`.
pub const AUTHORIZATION_MAX: usize = 4096;

/// The longest `baseUrl`, in characters.
pub const BASE_URL_MAX: usize = 2048;

/// The `Authorization` header value: `Basic <token>`. `token` is the dashboard's ready token
/// (a leading `Basic ` is tolerated); otherwise base64 of `apiKey:apiSecret`.
pub fn authorization(
    token: Option<&str>,
    api_key: Option<&str>,
    api_secret: Option<&str>,
) -> Result<String, Error> {
    let bad = |message: &str| Error::InvalidArgument {
        message: message.into(),
    };
    let token = match (token, api_key, api_secret) {
        (Some(token), None, None) => {
            let token = token.trim();
            let token = token
                .strip_prefix("Basic ")
                .or_else(|| token.strip_prefix("basic "))
                .unwrap_or(token)
                .trim();
            if token.is_empty() {
                return Err(bad("options.token is empty: pass the Basic token from the Sendexa dashboard"));
            }
            token.to_string()
        }
        (None, Some(key), Some(secret)) => {
            if key.trim().is_empty() || secret.trim().is_empty() {
                return Err(bad("options.apiKey and options.apiSecret must not be empty"));
            }
            if key.contains(':') {
                return Err(bad("options.apiKey must not contain ':'"));
            }
            base64(format!("{}:{}", key.trim(), secret.trim()).as_bytes())
        }
        (Some(_), _, _) => {
            return Err(bad("pass either options.token or options.apiKey + options.apiSecret, not both"))
        }
        (None, Some(_), None) | (None, None, Some(_)) => {
            return Err(bad("options.apiKey and options.apiSecret go together: pass both"))
        }
        (None, None, None) => {
            return Err(bad("credentials are missing: pass options.token (the Basic token from the Sendexa dashboard) or options.apiKey + options.apiSecret"))
        }
    };
    // A header value must be visible ASCII: anything else would make fetch throw a TypeError
    // whose message might quote the value. And it is bounded: servers refuse header sections
    // past 8 to 16 KB, and a pasted megabyte would be copied into every request.
    if token.len() > AUTHORIZATION_MAX {
        return Err(bad(&format!(
            "the token is {} characters; a Sendexa token (or base64 of apiKey:apiSecret) is at most {AUTHORIZATION_MAX}",
            token.len()
        )));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "the token must be printable ASCII without spaces (is it pasted whole?)",
        ));
    }
    Ok(format!("Basic {token}"))
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // Six bits index the 64 letters: `get` never misses.
        let sextet = |shift: u32| {
            ALPHABET
                .get(((n >> shift) & 63) as usize)
                .map_or('=', |&c| char::from(c))
        };
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_sized_values_are_bounded() {
        // listTemplates filters: at their bound, and one past it.
        for (key, max) in FILTER_MAX {
            let mut query = TemplateQuery::default();
            let at = Some("a".repeat(max));
            let past = Some("a".repeat(max + 1));
            for (value, ok) in [
                (at, true),
                (past, false),
                (Some(String::new()), false),
                (Some("a\u{0}b".to_string()), false),
            ] {
                match key {
                    "name" => query.name = value,
                    "language" => query.language = value,
                    "status" => query.status = value,
                    _ => query.category = value,
                }
                let result = query.check();
                assert_eq!(result.is_ok(), ok, "{key} {result:?}");
                if let Err(err) = result {
                    assert_eq!(err.code(), "INVALID_ARGUMENT");
                    assert!(
                        err.to_string()
                            .starts_with(&format!("options.{key} must be 1 to {max}")),
                        "{err}"
                    );
                }
            }
        }
        // Page sizes and positions.
        let q = |page, page_size, limit, offset| TemplateQuery {
            page,
            page_size,
            limit,
            offset,
            ..Default::default()
        };
        assert!(q(Some(1), Some(100), None, None).check().is_ok());
        assert!(q(Some(PAGE_MAX), None, None, None).check().is_ok());
        assert!(q(None, None, Some(100), Some(OFFSET_MAX)).check().is_ok());
        for bad in [
            q(Some(0), None, None, None),
            q(Some(PAGE_MAX + 1), None, None, None),
            q(None, Some(101), None, None),
            q(None, Some(0), None, None),
            q(None, None, Some(101), None),
            q(None, None, None, Some(OFFSET_MAX + 1)),
            q(Some(1), None, None, Some(0)),
        ] {
            assert_eq!(
                bad.check().unwrap_err().code(),
                "INVALID_ARGUMENT",
                "{bad:?}"
            );
        }
        // Ids.
        assert!(status(&"i".repeat(ID_MAX)).is_ok());
        assert!(status(&"i".repeat(ID_MAX + 1)).is_err());
        assert!(status(&"é".repeat(ID_MAX)).is_ok());
        assert!(status(&"é".repeat(ID_MAX + 1)).is_err());
        // The Authorization header value, from a token or from a key and secret.
        assert!(authorization(Some(&"t".repeat(AUTHORIZATION_MAX)), None, None).is_ok());
        let err = authorization(Some(&"t".repeat(AUTHORIZATION_MAX + 1)), None, None).unwrap_err();
        assert!(err.to_string().contains("at most 4096"), "{err}");
        assert!(
            !err.to_string().contains("tttt"),
            "the token is not quoted: {err}"
        );
        assert!(authorization(None, Some("k"), Some(&"s".repeat(AUTHORIZATION_MAX))).is_err());
        assert!(authorization(None, Some("k"), Some(&"s".repeat(3000))).is_ok());
        // The base URL.
        let long = format!("https://api.sendexa.co/{}", "p".repeat(BASE_URL_MAX));
        assert!(base_url(&long).is_err());
        assert!(base_url(&long[..BASE_URL_MAX]).is_ok());
    }

    #[test]
    fn base_urls_must_be_https_except_on_loopback() {
        assert_eq!(
            base_url("https://api.sendexa.co/").unwrap(),
            "https://api.sendexa.co"
        );
        assert_eq!(
            base_url("HTTPS://Proxy.Example/sendexa/").unwrap(),
            "https://proxy.example/sendexa"
        );
        for ok in [
            "http://localhost:4010",
            "http://127.0.0.1:4010",
            "http://127.1.2.3",
            "http://[::1]:8080/x",
            // The one loopback rule (engine::host), as a URL parser reads the host.
            "http://127.1:4010",
            "http://[::ffff:127.0.0.1]",
            "http://[0:0:0:0:0:0:0:1]",
        ] {
            assert!(base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.sendexa.co",
            "http://127.0.0.1.evil.com",
            "http://localhost.evil.com",
            "http://api.localhost",
            "http://10.0.0.1",
            "ftp://x",
            "api.sendexa.co",
            "https://user:pass@api.sendexa.co",
            "https://api.sendexa.co?x=1",
            "https://:80",
            "https://host:port",
            "http://128.0.0.1",
            "http://[::2]",
            "",
        ] {
            let err = base_url(bad).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
        }
    }

    #[test]
    fn ids_are_encoded_into_one_path_segment() {
        let req = status("../templates?x=1").unwrap();
        assert_eq!(req.path, "/v1/whatsapp/status/..%2Ftemplates%3Fx%3D1");
        assert_eq!(req.method(), Method::Get);
        assert!(status("  ").is_err());
        assert!(status("a\nb").is_err());
        assert!(status(&"x".repeat(257)).is_err());
        // Dot segments: a URL parser would resolve them to another endpoint.
        for id in [".", "..", " .. "] {
            assert!(status(id).is_err(), "{id:?}");
            assert!(get_template(id).is_err(), "{id:?}");
            assert!(delete_template(id).is_err(), "{id:?}");
            assert!(resend(id, ResendStyle::Path).is_err(), "{id:?}");
        }
        assert_eq!(status("...").unwrap().path, "/v1/whatsapp/status/...");
    }

    #[test]
    fn resend_has_both_styles() {
        let body = resend("exa_wa_1", ResendStyle::Body).unwrap();
        assert_eq!(body.path, "/v1/whatsapp/resend");
        assert_eq!(body.body.as_deref(), Some(r#"{"messageId":"exa_wa_1"}"#));
        let path = resend("exa_wa_1", ResendStyle::Path).unwrap();
        assert_eq!(path.path, "/v1/whatsapp/resend/exa_wa_1");
        assert_eq!(path.body, None);
        assert_eq!(path.endpoint.repeat(), Repeat::OnlyWhenRefused);
    }

    #[test]
    fn template_queries_keep_both_styles_and_encode_values() {
        let q = TemplateQuery {
            page: Some(2),
            page_size: Some(50),
            status: Some("APPROVED".into()),
            name: Some("a b&c".into()),
            ..TemplateQuery::default()
        };
        assert_eq!(
            list_templates(&q).path,
            "/v1/whatsapp/templates?page=2&pageSize=50&status=APPROVED&name=a%20b%26c"
        );
        let q = TemplateQuery {
            limit: Some(10),
            offset: Some(20),
            ..TemplateQuery::default()
        };
        assert!(q.offset_style());
        assert_eq!(
            list_templates(&q).path,
            "/v1/whatsapp/templates?limit=10&offset=20"
        );
        assert_eq!(
            list_templates(&TemplateQuery::default()).path,
            "/v1/whatsapp/templates"
        );
    }

    #[test]
    fn numbers_requests() {
        assert_eq!(
            check_number("233244000000").path,
            "/v1/whatsapp/numbers/check?phone=233244000000"
        );
        let req = bulk_check(&["1".into(), "2".into()]);
        assert_eq!(req.body.as_deref(), Some(r#"{"phones":["1","2"]}"#));
        assert_eq!(req.endpoint.repeat(), Repeat::Idempotent);
        assert_eq!(list_numbers().endpoint.limit_key(), "numbers");
    }

    #[test]
    fn authorization_from_token_or_key_and_secret() {
        assert_eq!(authorization(Some("abc"), None, None).unwrap(), "Basic abc");
        assert_eq!(
            authorization(Some("Basic abc "), None, None).unwrap(),
            "Basic abc"
        );
        assert_eq!(
            authorization(None, Some("exa_key"), Some("sk_secret")).unwrap(),
            format!("Basic {}", base64(b"exa_key:sk_secret"))
        );
        for (t, k, s) in [
            (Some(""), None, None),
            (Some("a b"), None, None),
            (Some("tok\u{e9}"), None, None),
            (None, Some("k"), None),
            (None, None, Some("s")),
            (None, None, None),
            (Some("t"), Some("k"), Some("s")),
            (None, Some("a:b"), Some("s")),
        ] {
            let err = authorization(t, k, s).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT");
            // The message never repeats what was passed.
            if let Some(t) = t {
                if t.len() > 2 {
                    assert!(!err.to_string().contains(t));
                }
            }
        }
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, out) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), out);
        }
    }
}
