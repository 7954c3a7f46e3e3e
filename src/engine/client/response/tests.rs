use super::*;
use crate::engine::json::parse;

fn resp(status: u16, body: &str) -> Response {
    Response {
        status,
        body: body.into(),
        ..Response::default()
    }
}

fn ok(endpoint: Endpoint, body: &str) -> Value {
    interpret(endpoint, &Context::default(), &resp(200, body), 0.0).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn send_reads_the_live_envelope() {
    let body = r#"{"success":true,"message":"WhatsApp message sent successfully",
      "data":{"id":"wamid.HBgL","messageId":"exa_wa_1","status":"sent","to":"233244000000","type":"text","cost":1,"timestamp":"2024-01-15T10:30:00Z","extra":{"x":1}},"requestId":"req_1"}"#;
    let r = ok(Endpoint::Send, body);
    assert_eq!(s(&r, "messageId"), Some("exa_wa_1"));
    assert_eq!(s(&r, "wamid"), Some("wamid.HBgL"));
    assert_eq!(s(&r, "status"), Some("sent"));
    assert_eq!(s(&r, "to"), Some("233244000000"));
    assert_eq!(s(&r, "type"), Some("text"));
    assert_eq!(r.get("cost").and_then(Value::as_f64), Some(1.0));
    assert_eq!(s(&r, "timestamp"), Some("2024-01-15T10:30:00Z"));
    assert_eq!(r.get("raw"), Some(&parse(body).unwrap()));
}

#[test]
fn send_reads_the_draft_flat_body_where_message_id_is_the_wamid() {
    let msg = parse(r#"{"to":"233501234567","type":"template"}"#).unwrap();
    let body = r#"{"success":true,"messageId":"wamid.HBgN","to":"233501234567","status":"SENT",
      "conversation":{"id":"conv_abc123","type":"business_initiated"},"cost":0.35,"currency":"GHS","request_id":"req_2"}"#;
    let r = interpret(
        Endpoint::Send,
        &Context {
            message: Some(&msg),
            id: None,
        },
        &resp(200, body),
        0.0,
    )
    .unwrap();
    assert_eq!(s(&r, "messageId"), Some("wamid.HBgN"));
    assert_eq!(s(&r, "wamid"), Some("wamid.HBgN"));
    assert_eq!(s(&r, "status"), Some("sent"));
    assert_eq!(s(&r, "type"), Some("template"));
    assert_eq!(r.get("cost").and_then(Value::as_f64), Some(0.35));
    assert_eq!(s(&r, "currency"), Some("GHS"));
    assert!(r.get("conversation").is_some());
}

#[test]
fn send_takes_to_and_type_from_the_message_only_when_they_are_text() {
    let answer = resp(200, r#"{"data":{"messageId":"exa_wa_9"}}"#);
    let result = |message: &str| {
        let msg = parse(message).unwrap();
        let ctx = Context {
            message: Some(&msg),
            id: None,
        };
        interpret(Endpoint::Send, &ctx, &answer, 0.0).unwrap()
    };
    let r = result(r#"{"to":"233244000000","type":"text"}"#);
    assert_eq!(
        (s(&r, "to"), s(&r, "type")),
        (Some("233244000000"), Some("text"))
    );
    // Sent with `validate: false`: not strings, or missing, gives null.
    for message in [
        r#"{"to":233244000000,"type":{"x":1}}"#,
        r#"{"text":{"body":"hi"}}"#,
    ] {
        let r = result(message);
        assert_eq!(r.get("to"), Some(&Value::Null), "{message}");
        assert_eq!(r.get("type"), Some(&Value::Null), "{message}");
    }
}

#[test]
fn send_without_a_message_id_is_an_invalid_response() {
    let err = interpret(
        Endpoint::Send,
        &Context::default(),
        &resp(200, r#"{"success":true,"data":{}}"#),
        0.0,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.status()), ("INVALID_RESPONSE", Some(200)));
    assert!(err.to_string().contains("messageId"));
}

#[test]
fn status_reads_failures_and_resends() {
    let r = ok(
        Endpoint::Status,
        r#"{"success":true,"data":{"messageId":"exa_wa_1","wamid":"wamid.1","status":"FAILED","to":"2","type":"text",
          "sentAt":"a","deliveredAt":null,"readAt":null,"failedAt":"b","errorCode":"WA002","error":{"code":"WA002","message":"Undeliverable"},
          "originalMessageId":"exa_wa_0","resendAttempt":2}}"#,
    );
    assert_eq!(s(&r, "status"), Some("failed"));
    assert_eq!(s(&r, "errorCode"), Some("WA002"));
    assert_eq!(s(&r, "errorMessage"), Some("Undeliverable"));
    assert_eq!(r.get("deliveredAt"), None);
    assert_eq!(s(&r, "failedAt"), Some("b"));
    assert_eq!(r.get("resendAttempt").and_then(Value::as_u64), Some(2));
    // An error object alone gives the code.
    let r = ok(
        Endpoint::Status,
        r#"{"data":{"messageId":"m","status":"failed","error":{"code":"WA004"}}}"#,
    );
    assert_eq!(s(&r, "errorCode"), Some("WA004"));
    // The id asked about fills a missing messageId.
    let r = interpret(
        Endpoint::Status,
        &Context {
            message: None,
            id: Some("exa_wa_9"),
        },
        &resp(200, r#"{"data":{"status":"read"}}"#),
        0.0,
    )
    .unwrap();
    assert_eq!(s(&r, "messageId"), Some("exa_wa_9"));
}

#[test]
fn resend_marks_202_as_scheduled() {
    let body = r#"{"success":true,"data":{"messageId":"exa_wa_resend_1","originalMessageId":"exa_wa_1","status":"pending","resendAttempt":1}}"#;
    let r = interpret(Endpoint::Resend, &Context::default(), &resp(202, body), 0.0).unwrap();
    assert_eq!(r.get("scheduled"), Some(&Value::Bool(true)));
    assert_eq!(s(&r, "originalMessageId"), Some("exa_wa_1"));
    let r = interpret(
        Endpoint::Resend,
        &Context {
            message: None,
            id: Some("exa_wa_1"),
        },
        &resp(200, r#"{"data":{"messageId":"r"}}"#),
        0.0,
    )
    .unwrap();
    assert_eq!(s(&r, "originalMessageId"), Some("exa_wa_1"));
    assert_eq!(r.get("scheduled"), Some(&Value::Bool(false)));
}

#[test]
fn template_pages_in_both_shapes() {
    let live = ok(
        Endpoint::ListTemplates,
        r#"{"success":true,"data":{"templates":[{"id":"tpl_wa_1","name":"a","status":"approved","category":"utility","language":"en","components":[],"createdAt":"c"}],"total":3,"page":1,"pageSize":1}}"#,
    );
    let t = live.get("templates").and_then(|t| t.index(0)).unwrap();
    assert_eq!(s(t, "status"), Some("APPROVED"));
    assert_eq!(s(t, "category"), Some("UTILITY"));
    assert_eq!(s(t, "createdAt"), Some("c"));
    assert!(t.get("raw").is_some());
    assert_eq!(live.get("hasMore"), Some(&Value::Bool(true)));
    assert_eq!(live.get("offset").and_then(Value::as_u64), Some(0));

    let draft = ok(
        Endpoint::ListTemplates,
        r#"{"success":true,"data":[{"id":"tmpl_1","name":"b","status":"PENDING","category":"MARKETING","language":"en_US","quality_score":"high","created_at":"d","usage_count":5}],
           "pagination":{"total":10,"limit":1,"offset":9,"has_more":false}}"#,
    );
    let t = draft.get("templates").and_then(|t| t.index(0)).unwrap();
    assert_eq!(s(t, "qualityScore"), Some("HIGH"));
    assert_eq!(s(t, "createdAt"), Some("d"));
    assert_eq!(t.get("usageCount").and_then(Value::as_u64), Some(5));
    assert_eq!(draft.get("hasMore"), Some(&Value::Bool(false)));
    assert_eq!(draft.get("page").and_then(Value::as_u64), Some(10));

    let err = interpret(
        Endpoint::ListTemplates,
        &Context::default(),
        &resp(200, r#"{"data":{"items":[]}}"#),
        0.0,
    )
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_RESPONSE");
}

#[test]
fn single_templates_in_both_shapes_and_delete() {
    let live = ok(
        Endpoint::GetTemplate,
        r#"{"data":{"id":"tpl_wa_1","name":"a","language":{"code":"en"}}}"#,
    );
    assert_eq!(s(&live, "language"), Some("en"));
    let draft = ok(
        Endpoint::CreateTemplate,
        r#"{"success":true,"template":{"id":"tmpl_1","name":"a"}}"#,
    );
    assert_eq!(s(&draft, "id"), Some("tmpl_1"));
    let del = interpret(
        Endpoint::DeleteTemplate,
        &Context {
            message: None,
            id: Some("tpl_wa_9"),
        },
        &resp(200, r#"{"success":true,"message":"Template deleted"}"#),
        0.0,
    )
    .unwrap();
    assert_eq!(s(&del, "id"), Some("tpl_wa_9"));
    let empty = interpret(
        Endpoint::DeleteTemplate,
        &Context {
            message: None,
            id: Some("x"),
        },
        &resp(204, ""),
        0.0,
    )
    .unwrap();
    assert_eq!(empty.get("deleted"), Some(&Value::Bool(true)));
}

#[test]
fn numbers() {
    let c = ok(
        Endpoint::CheckNumber,
        r#"{"data":{"phone":"233500000005","isWhatsApp":false,"displayName":null}}"#,
    );
    assert_eq!(c.get("isWhatsApp"), Some(&Value::Bool(false)));
    assert_eq!(c.get("displayName"), None);
    let b = ok(
        Endpoint::BulkCheck,
        r#"{"data":{"results":[{"phone":"1","isWhatsApp":true,"type":"Business"},{"bad":1}],"total":2}}"#,
    );
    let results = b.get("results").and_then(Value::as_array).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(s(&results[0], "type"), Some("business"));
    let n = ok(
        Endpoint::ListNumbers,
        r#"{"data":{"numbers":[{"id":"wba_num_1","phone":"233200000001","qualityRating":"green","messagingLimit":"tier_10k","status":"CONNECTED"}],"total":1}}"#,
    );
    let first = n.get("numbers").and_then(|l| l.index(0)).unwrap();
    assert_eq!(s(first, "qualityRating"), Some("GREEN"));
    assert_eq!(s(first, "messagingLimit"), Some("TIER_10K"));
    assert_eq!(n.get("total").and_then(Value::as_u64), Some(1));
    assert_eq!(
        interpret(
            Endpoint::CheckNumber,
            &Context::default(),
            &resp(200, r#"{"data":{}}"#),
            0.0
        )
        .unwrap_err()
        .code(),
        "INVALID_RESPONSE"
    );
}

#[test]
fn live_errors_keep_code_message_request_id_and_field_issues() {
    let mut r = resp(
        400,
        r#"{"success":false,"message":"24-hour window closed","code":"WA003","errors":[{"field":"type","message":"needs an open window"}],"requestId":"req_9"}"#,
    );
    r.headers.request_id = Some("req_header".into());
    let err = interpret(Endpoint::Send, &Context::default(), &r, 0.0).unwrap_err();
    assert_eq!(err.code(), "WA003");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.request_id(), Some("req_9"));
    assert_eq!(err.to_string(), "24-hour window closed");
    assert_eq!(err.issues()[0].path, "type");
    assert_eq!(err.issues()[0].message, "type needs an open window");
    assert!(err.body().is_some());
}

#[test]
fn draft_errors_read_error_request_id_and_retry_after() {
    let r = resp(
        429,
        r#"{"success":false,"error":"RATE_LIMIT_EXCEEDED","message":"slow","details":{"code":"WA005","retry_after":3},"request_id":"req_d","retry_after":3}"#,
    );
    let err = interpret(Endpoint::Send, &Context::default(), &r, 0.0).unwrap_err();
    assert_eq!(err.code(), "RATE_LIMIT_EXCEEDED");
    assert_eq!(err.request_id(), Some("req_d"));
    assert_eq!(err.retry_after(), Some(3.0));
    // error.code, then details.code, then the status.
    let e = |body: &str, status: u16| {
        interpret(
            Endpoint::Status,
            &Context::default(),
            &resp(status, body),
            0.0,
        )
        .unwrap_err()
    };
    assert_eq!(
        e(r#"{"error":{"code":"X1","message":"m1"}}"#, 400).code(),
        "X1"
    );
    assert_eq!(
        e(r#"{"error":{"code":"X1","message":"m1"}}"#, 400).to_string(),
        "m1"
    );
    assert_eq!(e(r#"{"details":{"code":"WA002"}}"#, 404).code(), "WA002");
    for (status, code) in [
        (400, "BAD_REQUEST"),
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (409, "CONFLICT"),
        (429, "RATE_LIMITED"),
        (500, "SERVER_ERROR"),
        (503, "SERVER_ERROR"),
        (418, "HTTP_ERROR"),
    ] {
        let err = e("{}", status);
        assert_eq!((err.code(), err.status()), (code, Some(status)));
        assert!(err.to_string().starts_with(&format!("HTTP {status}")));
    }
}

#[test]
fn retry_after_from_header_seconds_or_date_else_body() {
    let mut r = resp(
        503,
        r#"{"success":false,"code":"SERVICE_UNAVAILABLE","message":"x","details":{"retry_after":9}}"#,
    );
    r.headers.retry_after = Some("2".into());
    assert_eq!(
        interpret(Endpoint::Status, &Context::default(), &r, 0.0)
            .unwrap_err()
            .retry_after(),
        Some(2.0)
    );
    r.headers.retry_after = Some("Wed, 21 Oct 2015 07:28:00 GMT".into());
    let now = http_date_ms("Wed, 21 Oct 2015 07:27:30 GMT").unwrap();
    assert_eq!(
        interpret(Endpoint::Status, &Context::default(), &r, now)
            .unwrap_err()
            .retry_after(),
        Some(30.0)
    );
    r.headers.retry_after = Some("soon".into());
    assert_eq!(
        interpret(Endpoint::Status, &Context::default(), &r, 0.0)
            .unwrap_err()
            .retry_after(),
        Some(9.0)
    );
    r.headers.retry_after = Some("-5".into());
    assert_eq!(
        interpret(Endpoint::Status, &Context::default(), &r, 0.0)
            .unwrap_err()
            .retry_after(),
        None
    );
    assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
    assert_eq!(
        http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777_000.0)
    );
    assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 PST"), None);
    assert_eq!(http_date_ms("garbage"), None);
}

#[test]
fn unreadable_bodies_are_invalid_response_with_the_status() {
    let mut html = resp(
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    );
    html.headers.content_type = Some("text/html; charset=utf-8".into());
    html.headers.request_id = Some("req_h".into());
    let err = interpret(Endpoint::Status, &Context::default(), &html, 0.0).unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.request_id()),
        ("INVALID_RESPONSE", Some(502), Some("req_h"))
    );
    assert!(
        err.to_string().contains("502 Bad Gateway") && err.to_string().contains("text/html"),
        "{err}"
    );
    for (status, body) in [
        (200, "Service temporarily unavailable"),
        (200, r#"{"success":true,"data":{"mess"#),
        (200, ""),
        (200, "[1,2]"),
        (400, "oops"),
    ] {
        let err = interpret(
            Endpoint::Send,
            &Context::default(),
            &resp(status, body),
            0.0,
        )
        .unwrap_err();
        assert_eq!(
            (err.code(), err.status()),
            ("INVALID_RESPONSE", Some(status)),
            "{body}"
        );
    }
    // A 429 page without JSON is still a rate limit, with its Retry-After.
    let mut limited = resp(429, "<html>Too Many Requests</html>");
    limited.headers.retry_after = Some("4".into());
    let err = interpret(Endpoint::Send, &Context::default(), &limited, 0.0).unwrap_err();
    assert_eq!((err.code(), err.retry_after()), ("RATE_LIMITED", Some(4.0)));
    // A 2xx that says success:false is an error.
    let err = interpret(
        Endpoint::Send,
        &Context::default(),
        &resp(
            200,
            r#"{"success":false,"code":"WA006","message":"blocked"}"#,
        ),
        0.0,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.status()), ("WA006", Some(200)));
}

#[test]
fn rate_info_from_headers() {
    let mut r = resp(429, "{}");
    r.headers.rate_limit = Some("80".into());
    r.headers.rate_remaining = Some("0".into());
    r.headers.rate_reset = Some("1700000001".into());
    r.headers.rate_window = Some("1".into());
    r.headers.retry_after = Some("1".into());
    let info = r.rate_info(0.0);
    assert_eq!(info.limit, Some(80));
    assert_eq!(info.remaining, Some(0));
    assert_eq!(info.reset_ms, Some(1_700_000_001_000.0));
    assert_eq!(info.window_ms, Some(1000.0));
    assert_eq!(info.retry_after_ms, Some(1000.0));
    assert_eq!(
        resp(200, "").rate_info(0.0),
        RateInfo {
            status: 200,
            ..RateInfo::default()
        }
    );
}

#[test]
fn hostile_bodies_never_panic() {
    let bodies = [
        "",
        "{",
        "\u{feff}{}",
        "null",
        "{\"data\":[1,2,{\"id\":[]}]}",
        "{\"data\":{\"templates\":[null,1,\"x\"]}}",
        "<title>",
        "<TITLE>\u{e9}\u{e9}</title>",
        &"[".repeat(10_000),
    ];
    for body in bodies {
        for e in Endpoint::ALL {
            for status in [200, 202, 400, 429, 500] {
                let _ = interpret(e, &Context::default(), &resp(status, body), 0.0);
            }
        }
    }
}
