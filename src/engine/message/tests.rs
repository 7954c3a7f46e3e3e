//! Table-driven tests of validation, limits and builders.

use super::*;
use crate::engine::json::{parse, Value};
use crate::engine::media::MediaKind;
use crate::engine::test_rng::Rng;

const TO: &str = "233244000000";

fn json(text: &str) -> Value {
    match parse(text) {
        Ok(v) => v,
        Err(e) => panic!("bad test JSON {text}: {e}"),
    }
}

fn issues(v: &Value) -> Vec<(String, &'static str)> {
    match validate_message(v, None) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .issues()
            .iter()
            .map(|i| (i.path.clone(), i.code))
            .collect(),
    }
}

fn s(v: &str) -> Value {
    Value::from(v)
}

/// For every type: a valid message validates to exactly the expected wire JSON.
/// An error's issues as `(path, code)` pairs, in order.
fn paths_and_codes(err: &Error) -> Vec<(&str, &'static str)> {
    err.issues()
        .iter()
        .map(|i| (i.path.as_str(), i.code))
        .collect()
}

#[test]
fn every_type_validates_to_its_wire_json() {
    let cases = [
        // (input, expected output)
        (
            r#"{"to":"+233 24 400 0000","type":"text","text":{"body":"Order #123 confirmed","preview_url":true}}"#,
            r#"{"to":"233244000000","type":"text","text":{"body":"Order #123 confirmed","preview_url":true}}"#,
        ),
        (
            r#"{"to":"233244000000","type":"image","image":{"link":"https://cdn.example.com/a.jpg","caption":"Hi"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"video","video":{"id":"1234567890"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"audio","audio":{"link":"https://cdn.example.com/a.ogg"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"document","document":{"link":"https://cdn.example.com/r.pdf","filename":"r.pdf","caption":"Invoice"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"sticker","sticker":{"id":"99"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"button","body":{"text":"Proceed?"},"action":{"buttons":[{"type":"reply","reply":{"id":"yes","title":"Yes"}}]}}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"list","header":{"type":"text","text":"Menu"},"body":{"text":"Pick"},"footer":{"text":"f"},"action":{"button":"Open","sections":[{"title":"A","rows":[{"id":"a1","title":"One","description":"d"}]},{"title":"B","rows":[{"id":"b1","title":"Two"}]}]}}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"cta_url","header":{"type":"image","image":{"link":"https://example.com/h.png"}},"body":{"text":"See"},"action":{"name":"cta_url","parameters":{"display_text":"Open","url":"https://example.com/o?id=1"}}}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"template","template":{"name":"order_confirmation","language":"en_US","components":[{"type":"body","parameters":[{"type":"text","text":"Ama"}]}]}}"#,
            r#"{"to":"233244000000","type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Ama"}]}]}}"#,
        ),
        (
            r#"{"to":"233244000000","type":"location","location":{"latitude":5.6037,"longitude":-0.187,"name":"Accra","address":"Ring Rd"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"contacts","contacts":[{"name":{"formatted_name":"Kofi Mensah","first_name":"Kofi"},"phones":[{"phone":"+233244000001","type":"CELL"}],"emails":[{"email":"k@example.com"}],"birthday":"1990-05-01","org":{"company":"Sendexa"}}]}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"reaction","reaction":{"message_id":"wamid.X","emoji":"👍🏽"}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"reaction","reaction":{"message_id":"wamid.X","emoji":""}}"#,
            "",
        ),
        (
            r#"{"to":"233244000000","type":"text","context":{"message_id":"wamid.Y"},"text":{"body":"reply"},"messaging_product":"whatsapp","recipient_type":"individual"}"#,
            "",
        ),
    ];
    for (input, expected) in cases {
        let expected = if expected.is_empty() { input } else { expected };
        match validate_message(&json(input), None) {
            Ok(v) => assert_eq!(v.to_json(), expected),
            Err(e) => panic!("{input}\n{e:?}"),
        }
    }
}

/// Builders produce the wire JSON byte for byte.
#[test]
fn builders_produce_wire_json() {
    let none = Value::Null;
    let cases: Vec<(Result<Value, Error>, &str)> = vec![
        (
            text_message(
                &s("+233244000000"),
                &s("Hello"),
                &json(r#"{"previewUrl":true}"#),
            ),
            r#"{"to":"233244000000","type":"text","text":{"body":"Hello","preview_url":true}}"#,
        ),
        (
            text_message(
                &s(TO),
                &s("Re"),
                &json(r#"{"replyTo":"wamid.1","previewUrl":null}"#),
            ),
            r#"{"to":"233244000000","type":"text","text":{"body":"Re"},"context":{"message_id":"wamid.1"}}"#,
        ),
        (
            media_message(
                MediaKind::Image,
                &s(TO),
                &s("https://example.com/a.png"),
                &json(r#"{"caption":"c"}"#),
            ),
            r#"{"to":"233244000000","type":"image","image":{"link":"https://example.com/a.png","caption":"c"}}"#,
        ),
        (
            media_message(MediaKind::Video, &s(TO), &s("123"), &none),
            r#"{"to":"233244000000","type":"video","video":{"id":"123"}}"#,
        ),
        (
            media_message(MediaKind::Audio, &s(TO), &json(r#"{"id":"9"}"#), &none),
            r#"{"to":"233244000000","type":"audio","audio":{"id":"9"}}"#,
        ),
        (
            media_message(
                MediaKind::Document,
                &s(TO),
                &json(r#"{"link":"https://example.com/r.pdf"}"#),
                &json(r#"{"filename":"r.pdf"}"#),
            ),
            r#"{"to":"233244000000","type":"document","document":{"link":"https://example.com/r.pdf","filename":"r.pdf"}}"#,
        ),
        (
            buttons_message(
                &s(TO),
                &json(
                    r#"{"body":"Proceed?","buttons":[{"id":"yes","title":"Yes"},"No"],"header":"Hi","footer":"f"}"#,
                ),
            ),
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"button","header":{"type":"text","text":"Hi"},"body":{"text":"Proceed?"},"footer":{"text":"f"},"action":{"buttons":[{"type":"reply","reply":{"id":"yes","title":"Yes"}},{"type":"reply","reply":{"id":"No","title":"No"}}]}}}"#,
        ),
        (
            list_message(
                &s(TO),
                &json(
                    r#"{"body":"Pick","button":"Open","sections":[{"rows":[{"id":"1","title":"One"}]}]}"#,
                ),
            ),
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},"action":{"button":"Open","sections":[{"rows":[{"id":"1","title":"One"}]}]}}}"#,
        ),
        (
            cta_url_message(
                &s(TO),
                &json(r#"{"body":"See","displayText":"Open","url":"https://example.com"}"#),
            ),
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"cta_url","body":{"text":"See"},"action":{"name":"cta_url","parameters":{"display_text":"Open","url":"https://example.com"}}}}"#,
        ),
        (
            template_message(
                &s(TO),
                &json(r#"{"name":"hello_world","language":"en_US"}"#),
            ),
            r#"{"to":"233244000000","type":"template","template":{"name":"hello_world","language":{"code":"en_US"}}}"#,
        ),
    ];
    for (got, want) in cases {
        match got {
            Ok(v) => {
                assert_eq!(v.to_json(), want);
                // Property: builder output passes validateMessage unchanged.
                assert_eq!(validate_message(&v, None).as_ref(), Ok(&v));
            }
            Err(e) => panic!("{want}\n{e:?}"),
        }
    }
}

/// Every limit: the value at the limit passes, limit + 1 fails at the right path with the code.
#[test]
fn every_limit_at_and_over() {
    fn msg(ty: &str, body: &str) -> String {
        format!(r#"{{"to":"{TO}","type":"{ty}","{ty}":{body}}}"#)
    }
    let x = |n: usize| "x".repeat(n);
    let button = |id: &str, title: &str| {
        format!(r#"{{"type":"reply","reply":{{"id":"{id}","title":"{title}"}}}}"#)
    };
    let buttons = |list: Vec<String>| {
        msg(
            "interactive",
            &format!(
                r#"{{"type":"button","body":{{"text":"b"}},"action":{{"buttons":[{}]}}}}"#,
                list.join(",")
            ),
        )
    };
    let list = |button: &str, sections: String| {
        msg(
            "interactive",
            &format!(
                r#"{{"type":"list","body":{{"text":"b"}},"action":{{"button":"{button}","sections":[{sections}]}}}}"#
            ),
        )
    };
    let rows = |n: usize, start: usize| {
        (start..start + n)
            .map(|i| format!(r#"{{"id":"r{i}","title":"t"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let section = |title: &str, rows: String| format!(r#"{{"title":"{title}","rows":[{rows}]}}"#);
    let row = |id: &str, title: &str, desc: &str| {
        list(
            "b",
            section(
                "s",
                format!(r#"{{"id":"{id}","title":"{title}","description":"{desc}"}}"#),
            ),
        )
    };
    let interactive_button = |header: &str, body: &str, footer: &str| {
        msg(
            "interactive",
            &format!(
                r#"{{"type":"button","header":{{"type":"text","text":"{header}"}},"body":{{"text":"{body}"}},"footer":{{"text":"{footer}"}},"action":{{"buttons":[{}]}}}}"#,
                button("a", "A")
            ),
        )
    };
    let cta = |text: &str| {
        msg(
            "interactive",
            &format!(
                r#"{{"type":"cta_url","body":{{"text":"b"}},"action":{{"name":"cta_url","parameters":{{"display_text":"{text}","url":"https://e.com"}}}}}}"#
            ),
        )
    };
    let template = |name: &str| {
        msg(
            "template",
            &format!(r#"{{"name":"{name}","language":"en"}}"#),
        )
    };
    let coupon = |code: &str| {
        msg(
            "template",
            &format!(
                r#"{{"name":"t","language":"en","components":[{{"type":"button","sub_type":"copy_code","index":0,"parameters":[{{"type":"coupon_code","coupon_code":"{code}"}}]}}]}}"#
            ),
        )
    };
    let header_param = |text: &str| {
        msg(
            "template",
            &format!(
                r#"{{"name":"t","language":"en","components":[{{"type":"header","parameters":[{{"type":"text","text":"{text}"}}]}}]}}"#
            ),
        )
    };

    // (limit, the message with n of the limited thing, its path, the code past the limit)
    type Case<'a> = (
        usize,
        Box<dyn Fn(usize) -> String + 'a>,
        &'static str,
        &'static str,
    );
    let caption = |ty: &'static str, extra: &'static str| {
        move |n: usize| msg(ty, &format!(r#"{{"id":"1",{extra}"caption":"{}"}}"#, x(n)))
    };
    let list_body = |n: usize| {
        let sections = section("s", rows(1, 0));
        let body = format!(r#"{{"text":"{}"}}"#, x(n));
        msg(
            "interactive",
            &format!(
                r#"{{"type":"list","body":{body},"action":{{"button":"b","sections":[{sections}]}}}}"#
            ),
        )
    };
    let n_buttons = |n: usize| {
        buttons(
            (0..n)
                .map(|i| button(&format!("i{i}"), &format!("t{i}")))
                .collect(),
        )
    };
    // Rows count in total across sections: 5 + 5 passes, 5 + 6 fails.
    let n_rows = |n: usize| {
        let two = format!(
            "{},{}",
            section("a", rows(5, 0)),
            section("b", rows(n - 5, 5))
        );
        list("b", two)
    };
    // One case a line: `limit path CODE => the message with n of the limited thing;`.
    macro_rules! cases {
        ($($limit:literal $path:literal $code:ident => $make:expr;)*) => {
            vec![$(($limit, Box::new($make) as Box<dyn Fn(usize) -> String + '_>, $path, stringify!($code))),*]
        };
    }
    let cases: Vec<Case> = cases! {
        4096 "text.body" TOO_LONG => |n| msg("text", &format!(r#"{{"body":"{}"}}"#, x(n)));
        1024 "image.caption" TOO_LONG => caption("image", "");
        1024 "video.caption" TOO_LONG => caption("video", "");
        1024 "document.caption" TOO_LONG => caption("document", r#""filename":"a.pdf","#);
        60 "interactive.header.text" TOO_LONG => |n| interactive_button(&x(n), "b", "f");
        1024 "interactive.body.text" TOO_LONG => |n| interactive_button("h", &x(n), "f");
        60 "interactive.footer.text" TOO_LONG => |n| interactive_button("h", "b", &x(n));
        3 "interactive.action.buttons" TOO_MANY => n_buttons;
        20 "interactive.action.buttons[0].reply.title" TOO_LONG => |n| buttons(vec![button("a", &x(n))]);
        256 "interactive.action.buttons[0].reply.id" TOO_LONG => |n| buttons(vec![button(&x(n), "t")]);
        20 "interactive.action.button" TOO_LONG => |n| list(&x(n), section("s", rows(1, 0)));
        10 "interactive.action.sections" TOO_MANY => n_rows;
        24 "interactive.action.sections[0].title" TOO_LONG => |n| list("b", section(&x(n), rows(1, 0)));
        200 "interactive.action.sections[0].rows[0].id" TOO_LONG => |n| row(&x(n), "t", "d");
        24 "interactive.action.sections[0].rows[0].title" TOO_LONG => |n| row("i", &x(n), "d");
        72 "interactive.action.sections[0].rows[0].description" TOO_LONG => |n| row("i", "t", &x(n));
        4096 "interactive.body.text" TOO_LONG => list_body;
        20 "interactive.action.parameters.display_text" TOO_LONG => |n| cta(&x(n));
        512 "template.name" TOO_LONG => |n| template(&x(n));
        15 "template.components[0].parameters[0].coupon_code" TOO_LONG => |n| coupon(&x(n));
        60 "template.components[0].parameters[0].text" TOO_LONG => |n| header_param(&x(n));
    };
    // Sections: 10 pass; 11 sections need 11 rows, so both the section and the row limit trip.
    let ten = list(
        "b",
        (0..10)
            .map(|i| section(&format!("s{i}"), rows(1, i)))
            .collect::<Vec<_>>()
            .join(","),
    );
    assert_eq!(issues(&json(&ten)), vec![]);
    let eleven = list(
        "b",
        (0..11)
            .map(|i| section(&format!("s{i}"), rows(1, i)))
            .collect::<Vec<_>>()
            .join(","),
    );
    let err = validate_message(&json(&eleven), None).unwrap_err();
    assert_eq!(err.issues().len(), 2);
    assert!(err.issues()[0].message.starts_with("11 sections"));
    assert_eq!(
        (err.issues()[0].path.as_str(), err.issues()[0].limit),
        ("interactive.action.sections", Some(10))
    );
    for (limit, make, path, code) in cases {
        let (ok, over) = (make(limit), make(limit + 1));
        assert_eq!(issues(&json(&ok)), vec![], "at limit {path}");
        let err = validate_message(&json(&over), None).unwrap_err();
        let found: Vec<_> = err
            .issues()
            .iter()
            .map(|i| (i.path.as_str(), i.code, i.limit))
            .collect();
        assert_eq!(
            found,
            vec![(path, code, Some(limit as u64))],
            "over limit {path}"
        );
        assert_eq!(err.code(), "INVALID_MESSAGE");
    }
}

#[test]
fn lengths_count_utf16_units() {
    // 2048 emoji are 4096 UTF-16 units: at the limit. One more character goes over.
    let body = "😀".repeat(2048);
    let ok = json(&format!(
        r#"{{"to":"{TO}","type":"text","text":{{"body":"{body}"}}}}"#
    ));
    assert!(validate_message(&ok, None).is_ok());
    let over = json(&format!(
        r#"{{"to":"{TO}","type":"text","text":{{"body":"{body}a"}}}}"#
    ));
    assert_eq!(issues(&over), vec![("text.body".into(), "TOO_LONG")]);
    assert_eq!(utf16_len("é😀"), 3);
}

#[test]
fn minimums_uniqueness_and_whitespace() {
    let b = |buttons: &str| {
        json(&format!(
            r#"{{"to":"{TO}","type":"interactive","interactive":{{"type":"button","body":{{"text":"b"}},"action":{{"buttons":{buttons}}}}}}}"#
        ))
    };
    assert_eq!(
        issues(&b("[]")),
        vec![("interactive.action.buttons".into(), "TOO_FEW")]
    );
    assert_eq!(
        issues(&b(
            r#"[{"type":"reply","reply":{"id":"a","title":"Yes"}},{"type":"reply","reply":{"id":"a","title":"Yes"}}]"#
        )),
        vec![
            ("interactive.action.buttons[1].reply.id".into(), "DUPLICATE"),
            (
                "interactive.action.buttons[1].reply.title".into(),
                "DUPLICATE"
            )
        ]
    );
    assert_eq!(
        issues(&b(
            r#"[{"type":"reply","reply":{"id":" a","title":"Yes "}},{"type":"reply","reply":{"id":"","title":"x"}}]"#
        )),
        vec![
            (
                "interactive.action.buttons[0].reply.id".into(),
                "WHITESPACE"
            ),
            (
                "interactive.action.buttons[0].reply.title".into(),
                "WHITESPACE"
            ),
            ("interactive.action.buttons[1].reply.id".into(), "EMPTY"),
        ]
    );
    // Lists: titles required with more than one section; row ids unique across sections.
    let l = json(&format!(
        r#"{{"to":"{TO}","type":"interactive","interactive":{{"type":"list","body":{{"text":"b"}},"action":{{"button":"b","sections":[{{"rows":[{{"id":"1","title":"a"}}]}},{{"title":"B","rows":[{{"id":"1","title":"b"}}]}},{{"title":"C","rows":[]}}]}}}}}}"#
    ));
    assert_eq!(
        issues(&l),
        vec![
            ("interactive.action.sections[0].title".into(), "REQUIRED"),
            (
                "interactive.action.sections[1].rows[0].id".into(),
                "DUPLICATE"
            ),
            ("interactive.action.sections[2].rows".into(), "TOO_FEW"),
        ]
    );
}

#[test]
fn collects_every_issue_with_paths() {
    let m = json(
        r#"{"to":"abc","type":"interactive","interactive":{"type":"list","header":{"type":"image","image":{"id":"1"}},"body":{"text":""},"action":{"button":"","sections":[{"rows":[{"id":"1"}]}]}},"extra":1}"#,
    );
    let err = validate_message(&m, None).unwrap_err();
    assert_eq!(err.code(), "INVALID_MESSAGE");
    let got = paths_and_codes(&err);
    assert_eq!(
        got,
        vec![
            ("to", "INVALID_PHONE"),
            ("extra", "UNKNOWN_FIELD"),
            ("interactive.header.type", "INVALID_VALUE"),
            ("interactive.body.text", "EMPTY"),
            ("interactive.action.button", "EMPTY"),
            ("interactive.action.sections[0].rows[0].title", "REQUIRED"),
        ]
    );
}

/// `(code, reason, [(path, code)])` of an error.
fn shape(err: &Error) -> (String, Option<String>, Vec<(String, &'static str)>) {
    (
        err.code().to_string(),
        err.reason().map(str::to_string),
        err.issues()
            .iter()
            .map(|i| (i.path.clone(), i.code))
            .collect(),
    )
}

#[test]
fn bad_phone_alone_is_wa001() {
    let err = validate_message(
        &json(r#"{"to":"12","type":"text","text":{"body":"x"}}"#),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "WA001");
    let err = text_message(&s("nope"), &s("x"), &Value::Null).unwrap_err();
    assert_eq!(err.code(), "WA001");
    let err = text_message(&s("nope"), &s(""), &Value::Null).unwrap_err();
    assert_eq!(err.code(), "INVALID_MESSAGE");
    assert_eq!(err.issues()[0].path, "to");
}

/// A bad `to` is an issue at path `to` every time: alone (code `WA001`, with the phone's reason)
/// or among others (`INVALID_MESSAGE`), from `validateMessage`, every builder, and the template
/// check against a definition.
#[test]
fn a_bad_recipient_is_always_an_issue_at_to() {
    let to_only = |err: Error, what: &str| {
        let (code, reason, issues) = shape(&err);
        assert_eq!(code, "WA001", "{what}");
        assert_eq!(reason.as_deref(), Some("TOO_SHORT"), "{what}");
        assert_eq!(issues, vec![("to".to_string(), "INVALID_PHONE")], "{what}");
        assert_eq!(err.to_string(), err.issues()[0].message, "{what}");
    };
    let with_others = |err: Error, what: &str| {
        let (code, _, issues) = shape(&err);
        assert_eq!(code, "INVALID_MESSAGE", "{what}");
        assert!(issues.len() >= 2, "{what}: {issues:?}");
        assert_eq!(issues[0], ("to".to_string(), "INVALID_PHONE"), "{what}");
    };
    let bad = s("12345");
    let msg = |to: &str, body: &str| {
        json(&format!(
            r#"{{"to":"{to}","type":"text","text":{{"body":"{body}"}}}}"#
        ))
    };
    to_only(
        validate_message(&msg("12345", "hi"), None).unwrap_err(),
        "validateMessage",
    );
    with_others(
        validate_message(&msg("12345", ""), None).unwrap_err(),
        "validateMessage",
    );

    to_only(
        text_message(&bad, &s("hi"), &Value::Null).unwrap_err(),
        "text",
    );
    with_others(
        text_message(&bad, &s(""), &Value::Null).unwrap_err(),
        "text",
    );
    for kind in [
        MediaKind::Image,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Sticker,
    ] {
        let link = s("https://example.com/a");
        to_only(
            media_message(kind, &bad, &link, &Value::Null).unwrap_err(),
            kind.as_str(),
        );
        let http = s("http://example.com/a");
        with_others(
            media_message(kind, &bad, &http, &Value::Null).unwrap_err(),
            kind.as_str(),
        );
    }
    let doc = json(r#"{"filename":"a.pdf"}"#);
    let link = s("https://example.com/a.pdf");
    to_only(
        media_message(MediaKind::Document, &bad, &link, &doc).unwrap_err(),
        "document",
    );
    with_others(
        media_message(MediaKind::Document, &bad, &link, &Value::Null).unwrap_err(),
        "document",
    );

    let buttons = json(r#"{"body":"b","buttons":["Yes","No"]}"#);
    to_only(buttons_message(&bad, &buttons).unwrap_err(), "buttons");
    with_others(
        buttons_message(&bad, &json(r#"{"body":"b","buttons":[]}"#)).unwrap_err(),
        "buttons",
    );
    let list =
        json(r#"{"body":"b","button":"Pick","sections":[{"rows":[{"id":"1","title":"One"}]}]}"#);
    to_only(list_message(&bad, &list).unwrap_err(), "list");
    with_others(
        list_message(&bad, &json(r#"{"body":"b","button":"Pick","sections":[]}"#)).unwrap_err(),
        "list",
    );
    let cta = json(r#"{"body":"b","displayText":"Open","url":"https://example.com"}"#);
    to_only(cta_url_message(&bad, &cta).unwrap_err(), "cta_url");
    with_others(
        cta_url_message(
            &bad,
            &json(r#"{"body":"b","displayText":"Open","url":"ftp://x"}"#),
        )
        .unwrap_err(),
        "cta_url",
    );
    let tpl = json(r#"{"name":"hello","language":"en"}"#);
    to_only(template_message(&bad, &tpl).unwrap_err(), "template");
    with_others(
        template_message(&bad, &json(r#"{"name":"Hello World","language":"en"}"#)).unwrap_err(),
        "template",
    );

    // Against a definition: to alone stays WA001; to with mismatches is INVALID_MESSAGE with all.
    let def = json(
        r#"{"name":"hello","language":"en","status":"APPROVED","components":[{"type":"BODY","text":"Hi {{1}}"}]}"#,
    );
    let tmsg = |params: &str| {
        json(&format!(
            r#"{{"to":"12345","type":"template","template":{{"name":"hello","language":"en","components":[{{"type":"body","parameters":{params}}}]}}}}"#
        ))
    };
    to_only(
        validate_message(&tmsg(r#"[{"type":"text","text":"Ama"}]"#), Some(&def)).unwrap_err(),
        "template definition",
    );
    let err = validate_message(&tmsg("[]"), Some(&def)).unwrap_err();
    with_others(err.clone(), "template definition");
    assert!(
        err.issues().iter().any(|i| i.code == "PARAMETER_COUNT"),
        "{:?}",
        err.issues()
    );
}

/// Every validation error lists at least one issue, each with a path that names a field (or the
/// root, "", for a value of the wrong type), whatever the input.
#[test]
fn validation_errors_always_list_their_issues() {
    let inputs = [
        "null",
        "1",
        "\"x\"",
        "[]",
        "{}",
        r#"{"to":"1"}"#,
        r#"{"to":1,"type":"text"}"#,
        r#"{"to":"12345","type":"text","text":{"body":"hi"}}"#,
        r#"{"to":"12345","type":"nope"}"#,
        r#"{"to":"+233244000000","type":"image","image":{}}"#,
    ];
    for text in inputs {
        let v = json(text);
        let err = validate_message(&v, None).unwrap_err();
        assert!(!err.issues().is_empty(), "validateMessage {text}: {err}");
        let err = text_message(&v, &v, &Value::Null).unwrap_err();
        assert!(!err.issues().is_empty(), "textMessage {text}: {err}");
        let err = crate::engine::template::validate_definition(&v).unwrap_err();
        assert!(
            !err.issues().is_empty(),
            "validate_definition {text}: {err}"
        );
        let err = crate::engine::media::check_media(&v, None).unwrap_err();
        assert!(!err.issues().is_empty(), "check_media {text}: {err}");
    }
}

#[test]
fn media_rules() {
    let m = |body: &str| json(&format!(r#"{{"to":"{TO}","type":"image","image":{body}}}"#));
    assert_eq!(
        issues(&m(r#"{"link":"https://a.com/x","id":"1"}"#)),
        vec![("image".into(), "CONFLICT")]
    );
    assert_eq!(issues(&m(r#"{}"#)), vec![("image.link".into(), "REQUIRED")]);
    assert_eq!(
        issues(&m(r#"{"link":"http://a.com/x"}"#)),
        vec![("image.link".into(), "INVALID_URL")]
    );
    assert_eq!(
        issues(&m(r#"{"link":"https://192.168.0.10/x"}"#)),
        vec![("image.link".into(), "UNREACHABLE_URL")]
    );
    assert_eq!(
        issues(&m(r#"{"url":"https://a.com/x"}"#)),
        vec![
            ("image.url".into(), "UNKNOWN_FIELD"),
            ("image.link".into(), "REQUIRED")
        ]
    );
    assert_eq!(
        issues(&m(r#"{"id":"1","filename":"a.png"}"#)),
        vec![("image.filename".into(), "UNKNOWN_FIELD")]
    );
    let d = json(&format!(
        r#"{{"to":"{TO}","type":"document","document":{{"id":"1"}}}}"#
    ));
    assert_eq!(issues(&d), vec![("document.filename".into(), "REQUIRED")]);
    let a = json(&format!(
        r#"{{"to":"{TO}","type":"audio","audio":{{"id":"1","caption":"no"}}}}"#
    ));
    assert_eq!(issues(&a), vec![("audio.caption".into(), "UNKNOWN_FIELD")]);
}

#[test]
fn unknown_fields_and_prototype_keys_are_rejected() {
    let m = json(&format!(
        r#"{{"to":"{TO}","type":"text","text":{{"body":"x","__proto__":{{"admin":true}},"constructor":{{"prototype":{{}}}}}},"image":{{}}}}"#
    ));
    assert_eq!(
        issues(&m),
        vec![
            ("image".into(), "UNKNOWN_FIELD"),
            ("text.__proto__".into(), "UNKNOWN_FIELD"),
            ("text.constructor".into(), "UNKNOWN_FIELD")
        ]
    );
    let m = json(&format!(
        r#"{{"to":"{TO}","type":"text","text":{{"body":"x","previewUrl":true}}}}"#
    ));
    let err = validate_message(&m, None).unwrap_err();
    assert!(err.issues()[0].message.contains("preview_url"));
}

#[test]
fn wrong_shapes_never_panic_and_say_so() {
    for (input, want) in [
        ("null", vec![("", "INVALID_TYPE")]),
        ("[]", vec![("", "INVALID_TYPE")]),
        ("{}", vec![("to", "REQUIRED"), ("type", "REQUIRED")]),
        (
            r#"{"to":1,"type":"fax"}"#,
            vec![("to", "INVALID_TYPE"), ("type", "INVALID_VALUE")],
        ),
        (
            r#"{"to":"233244000000","type":"text"}"#,
            vec![("text", "REQUIRED")],
        ),
        (
            r#"{"to":"233244000000","type":"text","text":"hi"}"#,
            vec![("text", "INVALID_TYPE")],
        ),
        (
            r#"{"to":"233244000000","type":"text","text":{"body":null}}"#,
            vec![("text.body", "INVALID_TYPE")],
        ),
        (
            r#"{"to":"233244000000","type":"contacts","contacts":{}}"#,
            vec![("contacts", "INVALID_TYPE")],
        ),
        (
            r#"{"to":"233244000000","type":"contacts","contacts":[{"name":{},"birthday":"1990-13-01"}]}"#,
            vec![
                ("contacts[0].name.formatted_name", "REQUIRED"),
                ("contacts[0].birthday", "INVALID_FORMAT"),
            ],
        ),
        (
            r#"{"to":"233244000000","type":"location","location":{"latitude":91,"longitude":"0"}}"#,
            vec![
                ("location.latitude", "INVALID_VALUE"),
                ("location.longitude", "INVALID_TYPE"),
            ],
        ),
        (
            r#"{"to":"233244000000","type":"reaction","reaction":{"message_id":"w","emoji":"ok"}}"#,
            vec![("reaction.emoji", "INVALID_VALUE")],
        ),
        (
            r#"{"to":"233244000000","type":"text","text":{"body":"x"},"context":{}}"#,
            vec![("context.message_id", "REQUIRED")],
        ),
        (
            r#"{"to":"233244000000","type":"interactive","interactive":{"type":"cta_url","body":{"text":"b"},"action":{"name":"x","parameters":{"display_text":"d","url":"http://e.com"}}}}"#,
            vec![
                ("interactive.action.name", "INVALID_VALUE"),
                ("interactive.action.parameters.url", "INVALID_URL"),
            ],
        ),
    ] {
        let got = issues(&json(input));
        let want: Vec<(String, &str)> = want.into_iter().map(|(p, c)| (p.to_string(), c)).collect();
        assert_eq!(got, want, "{input}");
    }
}

#[test]
fn template_rules() {
    let t = |body: &str| {
        json(&format!(
            r#"{{"to":"{TO}","type":"template","template":{body}}}"#
        ))
    };
    assert_eq!(
        issues(&t(r#"{"name":"Hello-World","language":"en-US"}"#)),
        vec![
            ("template.name".into(), "INVALID_FORMAT"),
            ("template.language".into(), "UNKNOWN_LANGUAGE")
        ]
    );
    let err =
        validate_message(&t(r#"{"name":"a","language":{"code":"pt-br"}}"#), None).unwrap_err();
    assert!(err.issues()[0].message.contains("pt_BR"));
    // `{code}` is kept as given; a bare string becomes `{code}`.
    let v = validate_message(
        &t(r#"{"name":"a","language":{"code":"en","policy":"deterministic"}}"#),
        None,
    )
    .unwrap();
    assert_eq!(
        v.get("template")
            .and_then(|t| t.get("language"))
            .map(Value::to_json),
        Some(r#"{"code":"en","policy":"deterministic"}"#.into())
    );
    assert_eq!(
        issues(&t(
            r#"{"name":"a","language":"en","components":[{"type":"BODY","parameters":[]},{"type":"button","sub_type":"url","index":10,"parameters":[{"type":"payload","payload":"p"}]},{"type":"body","parameters":[{"type":"text","text":"x","parameter_name":"n"},{"type":"currency","currency":{"fallback_value":"$1","code":"usd","amount_1000":1.5}}]}]}"#
        )),
        vec![
            ("template.components[0].type".into(), "INVALID_VALUE"),
            ("template.components[1].index".into(), "INVALID_VALUE"),
            (
                "template.components[1].parameters[0].type".into(),
                "INVALID_VALUE"
            ),
            (
                "template.components[2].parameters[1].currency.code".into(),
                "INVALID_FORMAT"
            ),
            (
                "template.components[2].parameters[1].currency.amount_1000".into(),
                "INVALID_VALUE"
            ),
            ("template.components[2].parameters".into(), "INVALID_VALUE"),
        ]
    );
    // Every parameter type in its place.
    let all = t(r#"{"name":"promo","language":"en_GB","components":[
        {"type":"header","parameters":[{"type":"document","document":{"link":"https://e.com/a.pdf","filename":"a.pdf"}}]},
        {"type":"body","parameters":[{"type":"text","text":"Ama"},{"type":"currency","currency":{"fallback_value":"GHS 10","code":"GHS","amount_1000":10000}},{"type":"date_time","date_time":{"fallback_value":"May 1"}}]},
        {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP"}]},
        {"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"abc"}]},
        {"type":"button","sub_type":"copy_code","index":2,"parameters":[{"type":"coupon_code","coupon_code":"SAVE10"}]}]}"#);
    assert_eq!(issues(&all), vec![]);
}

fn definition() -> Value {
    json(
        r#"{"id":"tpl_wa_1","name":"order_update","status":"APPROVED","language":"en","components":[
        {"type":"HEADER","format":"IMAGE"},
        {"type":"BODY","text":"Hi {{1}}, order {{2}} ships {{3}}."},
        {"type":"FOOTER","text":"Thanks"},
        {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://x.example/{{1}}"},{"type":"QUICK_REPLY","text":"Stop"},{"type":"PHONE_NUMBER","text":"Call","phone_number":"+233244000000"}]}]}"#,
    )
}

#[test]
fn parameters_checked_against_the_definition() {
    let good = json(&format!(
        r#"{{"to":"{TO}","type":"template","template":{{"name":"order_update","language":"en","components":[
        {{"type":"header","parameters":[{{"type":"image","image":{{"link":"https://e.com/a.jpg"}}}}]}},
        {{"type":"body","parameters":[{{"type":"text","text":"Ama"}},{{"type":"text","text":"N1"}},{{"type":"text","text":"today"}}]}},
        {{"type":"button","sub_type":"url","index":0,"parameters":[{{"type":"text","text":"abc"}}]}}]}}}}"#
    ));
    let def = definition();
    assert!(validate_message(&good, Some(&def)).is_ok());

    let bad = json(&format!(
        r#"{{"to":"{TO}","type":"template","template":{{"name":"order_updates","language":"en_US","components":[
        {{"type":"header","parameters":[{{"type":"video","video":{{"id":"1"}}}}]}},
        {{"type":"body","parameters":[{{"type":"text","text":"Ama"}},{{"type":"text","text":"N1"}}]}},
        {{"type":"button","sub_type":"url","index":2,"parameters":[{{"type":"text","text":"abc"}}]}}]}}}}"#
    ));
    let err = validate_message(&bad, Some(&def)).unwrap_err();
    assert_eq!(err.code(), "INVALID_TEMPLATE");
    let got: Vec<_> = err
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.code, i.limit))
        .collect();
    assert_eq!(
        got,
        vec![
            ("template.name", "NAME_MISMATCH", None),
            ("template.language", "LANGUAGE_MISMATCH", None),
            (
                "template.components[0].parameters[0].type",
                "FORMAT_MISMATCH",
                None
            ),
            (
                "template.components[1].parameters",
                "PARAMETER_COUNT",
                Some(3)
            ),
            ("template.components", "MISSING_COMPONENT", None),
            ("template.components[2]", "UNEXPECTED_COMPONENT", None),
        ]
    );
    // A message-shape problem as well makes it INVALID_MESSAGE, still with every issue.
    let mut worse = bad.clone();
    if let Some(t) = worse.get_mut("template") {
        t.set("extra", Value::Null);
    }
    let err = validate_message(&worse, Some(&def)).unwrap_err();
    assert_eq!((err.code(), err.issues().len()), ("INVALID_MESSAGE", 7));

    // Named variables.
    let named_def = json(
        r#"{"name":"n","components":[{"type":"BODY","text":"Hi {{first_name}}, code {{code}}"}]}"#,
    );
    let named = |params: &str| {
        json(&format!(
            r#"{{"to":"{TO}","type":"template","template":{{"name":"n","language":"en","components":[{{"type":"body","parameters":{params}}}]}}}}"#
        ))
    };
    assert!(validate_message(&named(r#"[{"type":"text","parameter_name":"code","text":"1"},{"type":"text","parameter_name":"first_name","text":"A"}]"#), Some(&named_def)).is_ok());
    let err = validate_message(
        &named(r#"[{"type":"text","parameter_name":"first","text":"A"}]"#),
        Some(&named_def),
    )
    .unwrap_err();
    let got = paths_and_codes(&err);
    assert_eq!(
        got,
        vec![
            ("template.components[0].parameters", "MISSING_PARAMETER"),
            ("template.components[0].parameters", "MISSING_PARAMETER"),
            (
                "template.components[0].parameters[0].parameter_name",
                "UNKNOWN_PARAMETER"
            ),
        ]
    );
    // No body variables, but parameters sent; a non-approved template.
    let plain =
        json(r#"{"name":"n","status":"PENDING","components":[{"type":"BODY","text":"Hello"}]}"#);
    let err =
        validate_message(&named(r#"[{"type":"text","text":"A"}]"#), Some(&plain)).unwrap_err();
    let got = paths_and_codes(&err);
    assert_eq!(
        got,
        vec![
            ("template.name", "NOT_APPROVED"),
            ("template.components[0].parameters", "PARAMETER_COUNT")
        ]
    );
    // A definition that is not one is an argument error.
    assert_eq!(
        validate_message(&good, Some(&json("{}")))
            .unwrap_err()
            .code(),
        "INVALID_ARGUMENT"
    );
}

/// Random JSON biased towards message-like shapes: real keys, near-limit strings, wrong types.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    const KEYS: [&str; 40] = [
        "to",
        "type",
        "text",
        "body",
        "image",
        "link",
        "id",
        "caption",
        "filename",
        "interactive",
        "header",
        "footer",
        "action",
        "buttons",
        "reply",
        "title",
        "sections",
        "rows",
        "description",
        "button",
        "name",
        "parameters",
        "display_text",
        "url",
        "template",
        "language",
        "code",
        "components",
        "sub_type",
        "index",
        "parameter_name",
        "currency",
        "location",
        "latitude",
        "contacts",
        "reaction",
        "emoji",
        "context",
        "message_id",
        "__proto__",
    ];
    const STRINGS: [&str; 14] = [
        "233244000000",
        "text",
        "image",
        "interactive",
        "template",
        "button",
        "list",
        "cta_url",
        "reply",
        "https://e.com/a.png",
        "en_US",
        "body",
        "",
        " x ",
    ];
    match rng.below(if depth > 6 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.below(30) as u64),
        3 | 4 => {
            if rng.below(4) == 0 {
                Value::from("x".repeat(rng.below(5000)))
            } else {
                Value::from(rng.pick(&STRINGS))
            }
        }
        5 => Value::Array(
            (0..rng.below(5))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::object(
            (0..rng.below(6)).map(|_| (rng.pick(&KEYS).to_string(), random_value(rng, depth + 1))),
        ),
    }
}

#[test]
fn random_messages_never_panic_and_valid_ones_are_stable() {
    let mut rng = Rng::new(0x5EED_1234_ABCD_0001);
    let def = definition();
    let mut valid = 0;
    for i in 0..20_000 {
        let mut v = random_value(&mut rng, 0);
        if i % 2 == 0 {
            // Give half of them a plausible envelope so validation goes deep.
            let ty = rng.pick(&validate::TYPES);
            let body = random_value(&mut rng, 1);
            v = Value::object([
                ("to", Value::from(TO)),
                ("type", Value::from(ty)),
                (ty, body),
            ]);
        }
        let template = if i % 3 == 0 { Some(&def) } else { None };
        if let Ok(out) = validate_message(&v, template) {
            valid += 1;
            // Idempotent: the normalised copy validates to itself.
            assert_eq!(validate_message(&out, template).as_ref(), Ok(&out));
        }
        // The builders never panic on arbitrary arguments either.
        let a = random_value(&mut rng, 2);
        let b = random_value(&mut rng, 2);
        for out in [
            text_message(&a, &b, &Value::Null),
            media_message(MediaKind::Document, &Value::from(TO), &a, &b),
            buttons_message(&Value::from(TO), &a),
            list_message(&Value::from(TO), &b),
            cta_url_message(&Value::from(TO), &a),
            template_message(&Value::from(TO), &b),
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(validate_message(&out, None).as_ref(), Ok(&out));
        }
    }
    assert!(valid > 0);
}

/// Property: random valid builder inputs give output that validates unchanged.
#[test]
fn builder_output_always_validates_unchanged() {
    let mut rng = Rng::new(42);
    let word = |rng: &mut Rng, max: usize| {
        let n = 1 + rng.below(max);
        (0..n)
            .map(|i| {
                if i % 7 == 3 {
                    '😀'
                } else {
                    char::from(b'a' + (rng.below(26) as u8))
                }
            })
            .collect::<String>()
    };
    for _ in 0..2_000 {
        let n = 1 + rng.below(3);
        let buttons: Vec<Value> = (0..n)
            .map(|i| {
                Value::object([
                    ("id", Value::from(format!("id{i}"))),
                    ("title", Value::from(format!("{i}{}", word(&mut rng, 8)))),
                ])
            })
            .collect();
        let spec = Value::object([
            ("body", Value::from(word(&mut rng, 500))),
            ("buttons", Value::Array(buttons)),
            ("footer", Value::from(word(&mut rng, 30))),
        ]);
        let out = buttons_message(&Value::from(TO), &spec).unwrap();
        assert_eq!(validate_message(&out, None).as_ref(), Ok(&out));

        let sections = 1 + rng.below(3);
        let mut id = 0;
        let sections: Vec<Value> = (0..sections)
            .map(|s| {
                let rows: Vec<Value> = (0..1 + rng.below(3))
                    .map(|_| {
                        id += 1;
                        Value::object([
                            ("id", Value::from(format!("r{id}"))),
                            ("title", Value::from(word(&mut rng, 12))),
                        ])
                    })
                    .collect();
                Value::object([
                    ("title", Value::from(format!("s{s}"))),
                    ("rows", Value::Array(rows)),
                ])
            })
            .collect();
        let spec = Value::object([
            ("body", Value::from(word(&mut rng, 2000))),
            ("button", Value::from(word(&mut rng, 10))),
            ("sections", Value::Array(sections)),
        ]);
        let out = list_message(&Value::from(TO), &spec).unwrap();
        assert_eq!(validate_message(&out, None).as_ref(), Ok(&out));

        let out = text_message(
            &Value::from(TO),
            &Value::from(word(&mut rng, 2000)),
            &Value::Null,
        )
        .unwrap();
        assert_eq!(validate_message(&out, None).as_ref(), Ok(&out));
    }
}
