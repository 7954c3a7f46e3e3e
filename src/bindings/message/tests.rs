//! Tests of the message exports, run in Node and headless Chromium (`wasm-pack test`).

use super::*;
use js_sys::JSON;
use wasm_bindgen_test::*;

fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}

fn json_of(v: &JsValue) -> String {
    JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The thrown value's `code`, and that it is a real `SendexaError` (an `Error`).
fn code_of(err: JsValue) -> String {
    assert!(err.is_instance_of::<js_sys::Error>());
    get(&err, "code").as_string().unwrap_or_default()
}

fn err_code(r: Result<JsValue, ThrownError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {}", json_of(&v)),
        Err(e) => code_of(e.into()),
    }
}

fn ok(r: Result<JsValue, ThrownError>) -> JsValue {
    match r {
        Ok(v) => v,
        Err(e) => panic!("unexpected error {}", json_of(&JsValue::from(e))),
    }
}

/// A key `JSON.stringify` would drop (value `undefined`) still counts: a misspelt option is
/// refused whatever its value, and a known one with `undefined` is "not given".
#[wasm_bindgen_test]
fn undefined_valued_keys_are_checked_not_dropped() {
    let with_undefined = |keys: &[&str], base: &str| {
        let object = js(base);
        for key in keys {
            Reflect::set(&object, &JsValue::from_str(key), &JsValue::UNDEFINED).unwrap();
        }
        object
    };
    let to = || JsValue::from_str("+233 24 400 0000");
    let link = || JsValue::from_str("https://example.com/a.jpg");
    let list = r#"{"body":"b","button":"c","sections":[{"rows":[{"id":"1","title":"t"}]}]}"#;
    for (what, result) in [
        (
            "textMessage",
            text_message(
                to(),
                "hi".into(),
                Some(with_undefined(&["previewUrll"], "{}")),
            ),
        ),
        (
            "imageMessage",
            image_message(to(), link(), Some(with_undefined(&["captoin"], "{}"))),
        ),
        (
            "listMessage",
            list_message(to(), with_undefined(&["footr"], list)),
        ),
    ] {
        assert_eq!(err_code(result), "INVALID_ARGUMENT", "{what}");
    }
    let text = ok(text_message(
        to(),
        "hi".into(),
        Some(with_undefined(&["previewUrl", "replyTo"], "{}")),
    ));
    assert_eq!(
        json_of(&text),
        r#"{"to":"233244000000","type":"text","text":{"body":"hi"}}"#
    );
    ok(image_message(
        to(),
        link(),
        Some(with_undefined(&["caption", "replyTo"], "{}")),
    ));
    ok(list_message(
        to(),
        with_undefined(&["header", "footer", "replyTo"], list),
    ));
}

/// A NUL inside a key does not split it: the error names the whole key (the NUL shown as
/// U+2400), not the fragments around it, one of which could be a known option.
#[wasm_bindgen_test]
fn a_nul_inside_a_key_is_named_whole() {
    let options = Object::new();
    Reflect::set(
        &options,
        &JsValue::from_str("previewUrl\0x"),
        &JsValue::UNDEFINED,
    )
    .unwrap();
    let thrown: JsValue =
        match text_message("+233 24 400 0000".into(), "hi".into(), Some(options.into())) {
            Ok(v) => panic!("expected an error, got {}", json_of(&v)),
            Err(e) => e.into(),
        };
    let message = get(&thrown, "message").as_string().unwrap_or_default();
    assert_eq!(code_of(thrown), "INVALID_ARGUMENT");
    assert!(message.contains("\"previewUrl\u{2400}x\""), "{message}");
}

/// `textMessage(to, body)` takes a shortcut (no options: object built in JavaScript); with an
/// empty options object it takes the general path. Both must give the same JSON, or the same
/// error code, for every kind of input.
#[wasm_bindgen_test]
fn text_shortcut_answers_as_the_general_path() {
    let surrogate: JsValue = js_sys::JsString::from_char_code1(0xD800).into();
    let recipients: Vec<JsValue> = vec![
        "+233 24 400 0000".into(),
        "024 400 0000".into(),
        "+1 (415) 555-2671".into(),
        "+233 24 400".into(),
        "+233 ２４ 400 0000".into(),
        // Longer than the shortcut copies (48), and exactly that long: valid all the same.
        format!("{:>49}", "+44 7400 123456").into(),
        format!("{:>48}", "+44 7400 123456").into(),
        JsValue::from_f64(233244000000.0),
        JsValue::NULL,
    ];
    let bodies: Vec<JsValue> = vec![
        "Your order shipped".into(),
        "".into(),
        "😀".repeat(2048).into(),
        "😀".repeat(2049).into(),
        "a".repeat(4096).into(),
        "a".repeat(4097).into(),
        surrogate,
        JsValue::from_f64(1.0),
        JsValue::UNDEFINED,
    ];
    for to in &recipients {
        for body in &bodies {
            let quick = text_message(to.clone(), body.clone(), None);
            let general = text_message(to.clone(), body.clone(), Some(Object::new().into()));
            match (quick, general) {
                (Ok(a), Ok(b)) => assert_eq!(json_of(&a), json_of(&b)),
                (Err(a), Err(b)) => {
                    assert_eq!(code_of(a.into()), code_of(b.into()), "{to:?}")
                }
                (a, b) => panic!("{to:?}: shortcut {:?}, general {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
}

/// `listMessage(to, spec)` takes a shortcut for plain specs (the shape checked by the core,
/// the object drafted in JavaScript). Every spec, plain or not, valid or not, must get the same
/// JSON, or the same error code, as from the general path.
#[wasm_bindgen_test]
fn list_shortcut_answers_as_the_general_path() {
    let specs = js_sys::Function::new_no_args(
        r#"
        const rows = (n, f = (i) => ({ id: "r" + i, title: "Row " + i })) => Array.from({ length: n }, (_, i) => f(i));
        const base = () => ({ body: "Pick a time", button: "Choose", sections: [{ title: "Tomorrow", rows: rows(3) }] });
        const throwing = base();
        Object.defineProperty(throwing, "footer", { enumerable: true, get() { throw new Error("boom"); } });
        const one = (row) => ({ body: "b", button: "c", sections: [{ rows: [row] }] });
        return [
          base(),
          { ...base(), header: "Deliveries", footer: "Reply STOP to opt out" },
          { footer: "F", ...base(), header: undefined },
          { ...base(), header: null },
          { ...base(), header: { type: "text", text: "H" } },
          { ...base(), replyTo: "wamid.X" },
          { ...base(), footr: undefined },
          { body: "b", button: "c", sections: [{ rows: rows(1) }] },
          { body: "b", button: "c", sections: [{ rows: rows(2) }, { title: "two", rows: rows(2, (i) => ({ title: "t", id: "s" + i, description: "d" })) }] },
          { body: "b", button: "c", sections: [{ title: "one", rows: rows(2) }, { title: "two", rows: rows(2, (i) => ({ id: "s" + i, title: "t" })) }] },
          { body: "b", button: "c", sections: [{ rows: rows(2) }, { rows: rows(2, (i) => ({ id: "s" + i, title: "t" })) }] },
          { body: "b", button: "c", sections: [{ title: "a", rows: rows(6) }, { title: "b", rows: rows(5, (i) => ({ id: "x" + i, title: "t" })) }] },
          { body: "b", button: "c", sections: [{ rows: [{ id: "a", title: "t" }, { id: "a", title: "u" }] }] },
          one({ id: "a\0b", title: "t" }),
          one({ id: "x".repeat(200), title: "t" }),
          one({ id: "x".repeat(201), title: "t" }),
          one({ id: "", title: "t" }),
          one({ id: "a", title: "t".repeat(25) }),
          one({ id: "a", title: "t", description: "" }),
          one({ id: "a", title: "t", description: "d".repeat(72) }),
          one({ id: "a", title: "t", description: "d".repeat(73) }),
          one({ id: "a", title: "t", description: undefined }),
          one({ id: "a", title: "t", descripton: undefined }),
          one({ id: 1, title: "t" }),
          { body: "b", button: "c", sections: [{ rows: rows(10, (i) => ({ id: "é".repeat(199) + i, title: "t" })) }] },
          { body: "b", button: "c".repeat(21), sections: [{ rows: rows(1) }] },
          { body: "", button: "c", sections: [{ rows: rows(1) }] },
          { body: "\uD800", button: "c", sections: [{ rows: rows(1) }] },
          { body: "😀".repeat(2048), button: "c", sections: [{ rows: rows(1) }] },
          { body: "😀".repeat(2049), button: "c", sections: [{ rows: rows(1) }] },
          { body: "b", button: "c", header: "h".repeat(61), sections: [{ rows: rows(1) }] },
          { body: "b", button: "c", sections: [] },
          { body: "b", button: "c", sections: [{ rows: [] }] },
          { body: "b", button: "c", sections: [{ title: 4294967295, rows: rows(1) }] },
          { body: "b", button: "c", sections: [{ title: undefined, rows: rows(1) }] },
          { body: "b", button: "c", sections: [{ rows: [, { id: "a", title: "t" }] }] },
          { body: "b", button: "c", sections: [{ rows: rows(1), titel: undefined }] },
          { body: "b", button: "c", sections: Array.from({ length: 11 }, (_, s) => ({ title: "s" + s, rows: [{ id: "i" + s, title: "t" }] })) },
          { body: "b", button: "c", sections: [{ rows: rows(11) }] },
          { body: "b", button: "c", sections: { length: 1, 0: { rows: rows(1) } } },
          Object.assign(Object.create(null), base()),
          new Proxy(base(), {}),
          throwing,
          null,
          "text",
        ];"#,
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    let recipients: Vec<JsValue> = vec![
        "+233 24 400 0000".into(),
        "+233 24 400".into(),
        "024 400 0000".into(),
        format!("{:>49}", "+44 7400 123456").into(),
        JsValue::from_f64(233244000000.0),
    ];
    let quick_taken = shortcut_agrees(
        &specs,
        &recipients,
        list_message,
        objects::quick_list_message,
        message::list_message,
    );
    // The shortcut answers the plain, valid specs (not only ever the general path).
    assert!(quick_taken >= 10, "{quick_taken}");
}

/// For every spec and recipient, that `export` (which tries `quick` first) answers as the
/// general path of `build`: the same JSON, or the same error code. How often `quick` answered.
fn shortcut_agrees(
    specs: &JsValue,
    recipients: &[JsValue],
    export: fn(JsValue, JsValue) -> Result<JsValue, ThrownError>,
    quick: fn(&JsValue, &JsValue) -> Option<JsValue>,
    build: fn(&Value, &Value) -> Result<Value, Error>,
) -> usize {
    let specs = js_sys::Array::from(specs);
    assert!(specs.length() > 40);
    let mut quick_taken = 0;
    for spec in specs.iter() {
        for to in recipients {
            let general = spec_message(to.clone(), spec.clone(), build);
            quick_taken += usize::from(quick(to, &spec).is_some());
            match (export(to.clone(), spec.clone()), general) {
                (Ok(a), Ok(b)) => assert_eq!(json_of(&a), json_of(&b)),
                (Err(a), Err(b)) => {
                    assert_eq!(code_of(a.into()), code_of(b.into()), "{}", json_of(&spec))
                }
                (a, b) => panic!(
                    "{} to {to:?}: shortcut {:?}, general {:?}",
                    json_of(&spec),
                    a.is_ok(),
                    b.is_ok()
                ),
            }
        }
    }
    quick_taken
}

/// `templateMessage(to, spec)` takes a shortcut like `listMessage`'s; every spec must get the
/// same JSON, or the same error code, as from the general path.
#[wasm_bindgen_test]
fn template_shortcut_answers_as_the_general_path() {
    let specs = js_sys::Function::new_no_args(
        r#"
        const text = (t) => ({ type: "text", text: t });
        const base = () => ({
          name: "order_update",
          language: "en_US",
          components: [
            { type: "header", parameters: [text("Order #123")] },
            { type: "body", parameters: [text("Ama"), text("Tuesday")] },
            { type: "button", sub_type: "url", index: 0, parameters: [text("abc123")] },
          ],
        });
        const body = (...parameters) => ({ name: "n", language: "en_US", components: [{ type: "body", parameters }] });
        const button = (b) => ({ name: "n", language: "en", components: [{ type: "body", parameters: [text("x")] }, b] });
        const throwing = base();
        Object.defineProperty(throwing.components[0], "parameters", { enumerable: true, get() { throw new Error("boom"); } });
        return [
          base(),
          { language: "en_US", name: "hello_world" },
          { name: "hello_world", language: "en_US", components: [] },
          { name: "hello_world", language: "en_US", components: undefined },
          { name: "hello_world", language: "en_US", components: null },
          { name: "hello_world", language: { code: "en_US" } },
          { name: "hello_world", language: "xx_XX" },
          { name: "hello_world", language: "" },
          { name: "Hello", language: "en_US" },
          { name: "", language: "en_US" },
          { name: "a".repeat(512), language: "en_US" },
          { name: "a".repeat(513), language: "en_US" },
          { name: "a\0b", language: "en_US" },
          { name: "hello_world", language: "en_US", replyTo: "wamid.X" },
          { name: "hello_world", language: "en_US", componets: undefined },
          body(text("x".repeat(32768))),
          body(text("x".repeat(32769))),
          { name: "n", language: "en_US", components: [{ type: "header", parameters: [text("h".repeat(61))] }, { type: "body", parameters: [text("x".repeat(1025))] }] },
          { name: "n", language: "en_US", components: [{ type: "header", parameters: [text("h".repeat(60))] }, { type: "body", parameters: [text("x".repeat(1024))] }] },
          { name: "n", language: "en_US", components: [{ type: "body", parameters: [text("a")] }, { type: "body", parameters: [text("b")] }] },
          { name: "n", language: "en_US", components: [{ type: "header", parameters: [text("a"), text("b")] }] },
          { name: "n", language: "en_US", components: [{ type: "HEADER", parameters: [text("a")] }] },
          { name: "n", language: "en_US", components: [{ parameters: [text("a")] }] },
          { name: "n", language: "en_US", components: [{ type: "body" }] },
          { name: "n", language: "en_US", components: [{ type: "body", parameters: [] }] },
          { name: "n", language: "en_US", components: [{ parameters: [text("a")], type: "body", sub_type: "url" }] },
          body(text("")),
          body(text("\uD800")),
          body({ type: "text", text: "a", parameter_name: "first" }),
          body({ type: "currency", currency: { fallback_value: "$1", code: "USD", amount_1000: 1000 } }),
          body({ type: "text", payload: "a" }),
          body({ text: "a", type: "text" }),
          body({ type: "text" }),
          body({ type: "text", text: 1 }),
          body({ type: "text", text: "a", extra: undefined }),
          button({ type: "button", sub_type: "quick_reply", index: "1", parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", index: "10", parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", index: 10, parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", index: -1, parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", index: 1.5, parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", index: 0, parameters: [{ type: "payload", payload: "p" }] }),
          button({ type: "button", sub_type: "quick_reply", index: 0, parameters: [{ type: "text", text: "p" }] }),
          button({ type: "button", sub_type: "copy_code", index: 0, parameters: [{ type: "coupon_code", coupon_code: "c".repeat(15) }] }),
          button({ type: "button", sub_type: "copy_code", index: 0, parameters: [{ type: "coupon_code", coupon_code: "c".repeat(16) }] }),
          button({ type: "button", sub_type: "flow", index: 0, parameters: [{ type: "payload", payload: "p" }] }),
          { ...button({ type: "button", sub_type: "url", index: 1, parameters: [text("a")] }), components: [{ type: "button", sub_type: "url", index: 1, parameters: [text("a")] }, { type: "button", sub_type: "url", index: "1", parameters: [text("b")] }] },
          Object.assign(Object.create(null), base()),
          new Proxy(base(), {}),
          throwing,
          null,
        ];"#,
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    let recipients: Vec<JsValue> = vec![
        "+233 24 400 0000".into(),
        "+233 24 400".into(),
        JsValue::from_f64(233244000000.0),
    ];
    let quick_taken = shortcut_agrees(
        &specs,
        &recipients,
        template_message,
        objects::quick_template_message,
        message::template_message,
    );
    assert!(quick_taken >= 10, "{quick_taken}");
}

/// The shortcut reads and writes wasm memory from JavaScript through a cached view; after the
/// memory grows (which detaches the old buffer) it must still read the right digits.
#[wasm_bindgen_test]
fn text_shortcut_survives_memory_growth() {
    let before = ok(text_message("+233 24 400 0000".into(), "Hi".into(), None));
    let pages = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .grow(16);
    assert!(pages > 0);
    let after = ok(text_message("+44 7400 123456".into(), "Hi".into(), None));
    assert_eq!(
        get(&before, "to").as_string().as_deref(),
        Some("233244000000")
    );
    assert_eq!(
        get(&after, "to").as_string().as_deref(),
        Some("447400123456")
    );
}

#[wasm_bindgen_test]
fn builders_return_wire_objects() {
    let v = ok(text_message(
        "+233 24 400 0000".into(),
        "Hi".into(),
        Some(js(r#"{"previewUrl":true}"#)),
    ));
    assert_eq!(
        json_of(&v),
        r#"{"to":"233244000000","type":"text","text":{"body":"Hi","preview_url":true}}"#
    );
    let v = ok(image_message(
        "233244000000".into(),
        "https://e.com/a.png".into(),
        None,
    ));
    assert_eq!(
        json_of(&v),
        r#"{"to":"233244000000","type":"image","image":{"link":"https://e.com/a.png"}}"#
    );
    let v = ok(document_message(
        "233244000000".into(),
        js(r#"{"id":"7"}"#),
        Some(js(r#"{"filename":"a.pdf"}"#)),
    ));
    assert_eq!(
        json_of(&v),
        r#"{"to":"233244000000","type":"document","document":{"id":"7","filename":"a.pdf"}}"#
    );
    let v = ok(video_message("233244000000".into(), "5".into(), None));
    assert_eq!(get(&v, "type").as_string().as_deref(), Some("video"));
    let v = ok(audio_message("233244000000".into(), "5".into(), None));
    assert_eq!(get(&v, "type").as_string().as_deref(), Some("audio"));
    let v = ok(buttons_message(
        "233244000000".into(),
        js(r#"{"body":"Go?","buttons":["Yes","No"]}"#),
    ));
    assert_eq!(
        json_of(&v),
        r#"{"to":"233244000000","type":"interactive","interactive":{"type":"button","body":{"text":"Go?"},"action":{"buttons":[{"type":"reply","reply":{"id":"Yes","title":"Yes"}},{"type":"reply","reply":{"id":"No","title":"No"}}]}}}"#
    );
    let v = ok(list_message(
        "233244000000".into(),
        js(r#"{"body":"b","button":"Open","sections":[{"rows":[{"id":"1","title":"One"}]}]}"#),
    ));
    assert_eq!(
        get(&get(&v, "interactive"), "type").as_string().as_deref(),
        Some("list")
    );
    let v = ok(cta_url_message(
        "233244000000".into(),
        js(r#"{"body":"b","displayText":"Open","url":"https://e.com"}"#),
    ));
    assert_eq!(
        json_of(&get(&get(&v, "interactive"), "action")),
        r#"{"name":"cta_url","parameters":{"display_text":"Open","url":"https://e.com"}}"#
    );
    let v = ok(template_message(
        "233244000000".into(),
        js(r#"{"name":"hello_world","language":"en_US"}"#),
    ));
    assert_eq!(
        json_of(&get(&v, "template")),
        r#"{"name":"hello_world","language":{"code":"en_US"}}"#
    );
    // Whatever a builder returns passes validateMessage unchanged.
    assert_eq!(json_of(&ok(validate_message(v.clone(), None))), json_of(&v));
}

#[wasm_bindgen_test]
fn errors_are_sendexa_errors_with_every_issue() {
    let err: JsValue = match buttons_message(
        "233244000000".into(),
        js(r#"{"body":"","buttons":["a","a","b","c"]}"#),
    ) {
        Err(e) => e.into(),
        Ok(_) => panic!("should fail"),
    };
    assert_eq!(code_of(err.clone()), "INVALID_MESSAGE");
    let issues = get(&err, "issues");
    let paths: Vec<String> = js_sys::Array::from(&issues)
        .iter()
        .map(|i| get(&i, "path").as_string().unwrap_or_default())
        .collect();
    assert_eq!(
        paths,
        vec![
            "interactive.body.text",
            "interactive.action.buttons",
            "interactive.action.buttons[1].reply.id",
            "interactive.action.buttons[1].reply.title",
        ]
    );
    let first = js_sys::Array::from(&issues).get(1);
    assert_eq!(get(&first, "limit").as_f64(), Some(3.0));
    assert_eq!(
        err_code(text_message("12".into(), "x".into(), None)),
        "WA001"
    );
    let def = js(r#"{"template":{"components":[{"type":"BODY","text":"Hi {{1}}"}]}}"#);
    let msg =
        js(r#"{"to":"233244000000","type":"template","template":{"name":"a","language":"en"}}"#);
    assert_eq!(
        err_code(validate_message(msg, Some(def))),
        "INVALID_TEMPLATE"
    );
}

/// The issue's `(path, code)` pairs of a thrown error.
fn paths_of(err: &JsValue) -> Vec<(String, String)> {
    js_sys::Array::from(&get(err, "issues"))
        .iter()
        .map(|i| {
            let text = |k| get(&i, k).as_string().unwrap_or_default();
            (text("path"), text("code"))
        })
        .collect()
}

fn thrown(r: Result<JsValue, ThrownError>) -> JsValue {
    match r {
        Ok(v) => panic!("expected an error, got {}", json_of(&v)),
        Err(e) => e.into(),
    }
}

/// `validateMessage({ to: "12345", … })` and every builder: a bad `to` alone is `WA001` with a
/// reason and the issue at `to`; among other problems it is `INVALID_MESSAGE` with `to` listed.
#[wasm_bindgen_test]
fn a_bad_recipient_is_an_issue_at_to_in_javascript() {
    let to_only = vec![("to".to_string(), "INVALID_PHONE".to_string())];
    let to = || JsValue::from_str("12345");
    let (text, bad_text) = (
        r#"{"to":"12345","type":"text","text":{"body":"hi"}}"#,
        r#"{"to":"12345","type":"text","text":{"body":""}}"#,
    );
    let (jpg, bad_jpg, bad_pdf) = (
        || JsValue::from_str("https://example.com/a.jpg"),
        || JsValue::from_str("http://example.com/a.jpg"),
        || JsValue::from_str("https://example.com/a.pdf"),
    );
    let cta = r#"{"body":"b","displayText":"Go","url":"https://example.com"}"#;
    // A bad `to` alone: WA001.
    let alone: Vec<(&str, Result<JsValue, ThrownError>)> = vec![
        ("validateMessage", validate_message(js(text), None)),
        ("textMessage", text_message(to(), "hi".into(), None)),
        ("imageMessage", image_message(to(), jpg(), None)),
        (
            "buttonsMessage",
            buttons_message(to(), js(r#"{"body":"b","buttons":["Yes"]}"#)),
        ),
        ("ctaUrlMessage", cta_url_message(to(), js(cta))),
        (
            "templateMessage",
            template_message(to(), js(r#"{"name":"hello","language":"en"}"#)),
        ),
    ];
    // A bad `to` among other problems: INVALID_MESSAGE, `to` listed first.
    let among: Vec<(&str, Result<JsValue, ThrownError>)> = vec![
        ("validateMessage+", validate_message(js(bad_text), None)),
        ("textMessage+", text_message(to(), "".into(), None)),
        ("imageMessage+", image_message(to(), bad_jpg(), None)),
        ("documentMessage+", document_message(to(), bad_pdf(), None)),
        (
            "listMessage+",
            list_message(to(), js(r#"{"body":"b","button":"x","sections":[]}"#)),
        ),
    ];
    for (what, result) in alone {
        let err = thrown(result);
        assert_eq!(code_of(err.clone()), "WA001", "{what}");
        let reason = get(&err, "reason").as_string();
        assert_eq!(reason.as_deref(), Some("TOO_SHORT"), "{what}");
        assert_eq!(paths_of(&err), to_only, "{what}");
    }
    for (what, result) in among {
        let err = thrown(result);
        let issues = paths_of(&err);
        assert_eq!(code_of(err), "INVALID_MESSAGE", "{what}");
        assert!(
            issues.len() >= 2 && issues[0] == to_only[0],
            "{what}: {issues:?}"
        );
    }
    // checkMedia lists its issues with paths, the root's included.
    let err = thrown(check_media(JsValue::from_f64(1.0)));
    assert_eq!(
        paths_of(&err),
        vec![(String::new(), "INVALID_TYPE".to_string())]
    );
}

#[wasm_bindgen_test]
fn hostile_inputs_become_sendexa_errors() {
    // Cyclic object.
    let cyclic = Object::new();
    let _ = Reflect::set(&cyclic, &"self".into(), &cyclic);
    assert_eq!(
        err_code(validate_message(cyclic.into(), None)),
        "INVALID_ARGUMENT"
    );
    // BigInt.
    let big = js_sys::BigInt::from(5u64);
    assert_eq!(
        err_code(text_message("233244000000".into(), big.into(), None)),
        "INVALID_ARGUMENT"
    );
    // Non-objects and nothing at all.
    assert_eq!(
        err_code(validate_message(JsValue::from_f64(3.0), None)),
        "INVALID_MESSAGE"
    );
    assert_eq!(
        err_code(validate_message(JsValue::UNDEFINED, None)),
        "INVALID_MESSAGE"
    );
    assert_eq!(
        err_code(validate_message(js("{}"), Some(JsValue::from_str("x")))),
        "INVALID_ARGUMENT"
    );
    // Deeper than the parser allows.
    let deep = js(&("[".repeat(100) + &"]".repeat(100)));
    assert_eq!(err_code(validate_message(deep, None)), "INVALID_ARGUMENT");
    // A lone surrogate cannot be sent.
    let lone = js(r#""\ud800""#);
    assert_eq!(
        err_code(text_message("233244000000".into(), lone, None)),
        "INVALID_ARGUMENT"
    );
    // `__proto__` from JSON.parse is an own data key: reported, and the output is untouched.
    let proto = js(
        r#"{"to":"233244000000","type":"text","text":{"body":"x"},"__proto__":{"polluted":true}}"#,
    );
    assert_eq!(err_code(validate_message(proto, None)), "INVALID_MESSAGE");
    assert!(get(&Object::new().into(), "polluted").is_undefined());
    // The module still works after all of the above.
    assert!(text_message("233244000000".into(), "ok".into(), None).is_ok());
}

#[wasm_bindgen_test]
fn check_and_sniff_media() {
    let v = ok(check_media(js(
        r#"{"type":"image","mimeType":"image/png","size":5000000}"#,
    )));
    assert_eq!(get(&v, "maxSize").as_f64(), Some(5_000_000.0));
    let err: JsValue = match check_media(js(
        r#"{"type":"image","mimeType":"image/png","size":5000001}"#,
    )) {
        Err(e) => e.into(),
        Ok(_) => panic!("should fail"),
    };
    assert_eq!(code_of(err.clone()), "INVALID_MEDIA");
    assert!(json_of(&get(&err, "issues")).contains("\"path\":\"size\""));

    let pdf = Uint8Array::from(&b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"[..]);
    let found = ok(sniff_media(pdf.clone().into()));
    assert_eq!(
        json_of(&found),
        r#"{"mimeType":"application/pdf","type":"document"}"#
    );
    assert!(ok(sniff_media(Uint8Array::from(&[0u8, 1, 2][..]).into())).is_null());
    assert!(ok(sniff_media(pdf.buffer().into())).is_object());
    assert_eq!(err_code(sniff_media("nope".into())), "INVALID_ARGUMENT");

    // Bytes that contradict the declared type.
    let input = Object::new();
    let _ = Reflect::set(&input, &"type".into(), &"image".into());
    let _ = Reflect::set(&input, &"bytes".into(), &pdf);
    assert_eq!(err_code(check_media(input.into())), "INVALID_MEDIA");
    let input = Object::new();
    let _ = Reflect::set(&input, &"type".into(), &"document".into());
    let _ = Reflect::set(&input, &"filename".into(), &"a.pdf".into());
    let _ = Reflect::set(&input, &"bytes".into(), &pdf);
    let v = ok(check_media(input.into()));
    assert_eq!(
        get(&v, "mimeType").as_string().as_deref(),
        Some("application/pdf")
    );
}
