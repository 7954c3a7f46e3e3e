use super::*;
use crate::engine::webhook::wire;

fn one(body: &str) -> Event<'static> {
    let mut events = parse_events(body).expect("valid JSON");
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

fn status(body: &str) -> StatusEvent<'static> {
    match one(body) {
        Event::Status(s) => *s,
        other => panic!("not a status: {other:?}"),
    }
}

fn message(body: &str) -> InboundMessage<'static> {
    match one(body) {
        Event::Message(m) => *m,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn live_flat_status_with_event() {
    let s = status(
        r#"{"event":"message.delivered","messageId":"exa_wa_1","wamid":"wamid.A","to":"233244000000","type":"text","status":"delivered","timestamp":"2024-01-15T10:30:03Z","cost":1}"#,
    );
    assert_eq!(s.status, "delivered");
    assert_eq!(s.message_id.as_deref(), Some("exa_wa_1"));
    assert_eq!(s.wamid.as_deref(), Some("wamid.A"));
    assert_eq!(s.recipient.as_deref(), Some("233244000000"));
    assert_eq!(s.timestamp_ms, Some(1_705_314_603_000.0));
}

#[test]
fn live_flat_status_without_event_and_upper_case() {
    let s = status(
        r#"{"messageId":"MSG-1","recipient":"233541234567","status":"DELIVERED","cost":0.05}"#,
    );
    assert_eq!(s.status, "delivered");
    assert_eq!(s.event, None);
    assert_eq!(s.recipient.as_deref(), Some("233541234567"));
}

#[test]
fn draft_envelope_failed_with_error() {
    let s = status(
        r#"{"event":"message.failed","data":{"messageId":"wamid.B","to":"233500000002","status":"failed","error":{"code":"INVALID_NUMBER","message":"Not on WhatsApp","provider_code":"131026"}},"timestamp":"2024-01-15T10:30:00Z"}"#,
    );
    assert_eq!(s.event.as_deref(), Some("message.failed"));
    assert_eq!(s.message_id, None);
    assert_eq!(s.wamid.as_deref(), Some("wamid.B"));
    assert_eq!(s.error_code.as_deref(), Some("INVALID_NUMBER"));
    assert_eq!(s.error_message.as_deref(), Some("Not on WhatsApp"));
}

#[test]
fn status_word_from_the_event_name_when_the_payload_has_none() {
    let s = status(
        r#"{"event":"message.sent","data":{"messageId":"exa_wa_2"},"timestamp":1705314600}"#,
    );
    assert_eq!(s.status, "sent");
    assert_eq!(s.timestamp.as_deref(), Some("1705314600"));
    assert_eq!(s.timestamp_ms, Some(1_705_314_600_000.0));
}

#[test]
fn marketing_envelope() {
    let s = status(
        r#"{"id":"evt_1","event":"message.read","created_at":"2025-01-01T00:00:00Z","api_version":"2025-01","data":{"messageId":"exa_wa_3","status":"read"},"signature":"sha256=00"}"#,
    );
    assert_eq!(s.status, "read");
    assert_eq!(s.timestamp.as_deref(), Some("2025-01-01T00:00:00Z"));
}

#[test]
fn inbound_text_with_reply_context_and_non_ascii() {
    let m = message(
        r#"{"event":"message.received","messageId":"exa_wa_in_1","wamid":"wamid.C","from":"233244000000","type":"text","text":{"body":"Médaase 🙏 / yes@once"},"timestamp":"2024-01-15T10:31:00Z","contact":{"name":"Ama","phone":"233244000000"},"context":{"messageId":"exa_wa_1","wamid":"wamid.A"}}"#,
    );
    assert_eq!(m.from, "233244000000");
    assert_eq!(m.message_type, "text");
    assert_eq!(m.text.as_deref(), Some("Médaase 🙏 / yes@once"));
    assert_eq!(m.contact_name.as_deref(), Some("Ama"));
    assert_eq!(m.context_message_id.as_deref(), Some("exa_wa_1"));
}

#[test]
fn inbound_media_and_replies_in_draft_shapes() {
    let m = message(
        r#"{"event":"message.received","data":{"messageId":"wamid.D","from":"233244000000","type":"image","image":{"id":"m1","url":"https://x/y.jpg","mime_type":"image/jpeg","caption":"receipt"}}}"#,
    );
    let media = m.media.expect("media");
    assert_eq!(media.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(media.caption.as_deref(), Some("receipt"));

    let m = message(
        r#"{"event":"interactive.list_reply","data":{"messageId":"wamid.E","from":"233244000000","type":"interactive","interactive":{"list_reply":{"id":"row_2","title":"Tomorrow","description":"9-12"}},"context":{"messageId":"wamid.F"}}}"#,
    );
    let reply = m.reply.expect("reply");
    assert_eq!((reply.kind, reply.id.as_deref()), ("list", Some("row_2")));
    assert_eq!(reply.description.as_deref(), Some("9-12"));
    assert_eq!(m.context_message_id.as_deref(), Some("wamid.F"));
}

#[test]
fn meta_cloud_api_shape() {
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp",
        "contacts":[{"profile":{"name":"Kofi"},"wa_id":"233200000001"}],
        "messages":[
          {"from":"233200000001","id":"wamid.G","timestamp":"1705314600","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"yes","title":"Yes"}}},
          {"from":"233200000001","id":"wamid.H","timestamp":"1705314601","type":"location","location":{"latitude":5.6037,"longitude":-0.187,"name":"Accra"}},
          {"from":"233200000001","id":"wamid.I","timestamp":"1705314602","type":"button","button":{"payload":"STOP","text":"Stop promotions"}}
        ],
        "statuses":[{"id":"wamid.J","status":"failed","timestamp":"1705314603","recipient_id":"233200000002","errors":[{"code":131026,"title":"Message undeliverable"}]}]
    }}]}]}"#;
    let events = parse_events(body).unwrap();
    assert_eq!(events.len(), 4);
    let Event::Status(s) = &events[0] else {
        panic!()
    };
    assert_eq!(s.wamid.as_deref(), Some("wamid.J"));
    assert_eq!(s.error_code.as_deref(), Some("131026"));
    assert_eq!(s.error_message.as_deref(), Some("Message undeliverable"));
    assert_eq!(s.recipient.as_deref(), Some("233200000002"));
    let Event::Message(m) = &events[1] else {
        panic!()
    };
    assert_eq!(m.contact_name.as_deref(), Some("Kofi"));
    assert_eq!(
        m.reply.as_ref().map(|r| (r.kind, r.id.as_deref())),
        Some(("button", Some("yes")))
    );
    assert_eq!(m.timestamp_ms, Some(1_705_314_600_000.0));
    let Event::Message(m) = &events[2] else {
        panic!()
    };
    assert_eq!(
        m.location.as_ref().map(|l| l.latitude.as_f64()),
        Some(5.6037)
    );
    let Event::Message(m) = &events[3] else {
        panic!()
    };
    assert_eq!(m.reply.as_ref().and_then(|r| r.id.as_deref()), Some("STOP"));
}

#[test]
fn batches_and_unknown_events_pass_through() {
    let events = parse_events(
        r#"[{"event":"template.approved","data":{"id":"tpl_wa_1"}},{"event":"message.read","messageId":"exa_wa_4","status":"read"},42]"#,
    )
    .unwrap();
    assert_eq!(events.len(), 3);
    assert!(
        matches!(&events[0], Event::Unknown { event: Some(e), .. } if e == "template.approved")
    );
    assert!(matches!(&events[1], Event::Status(_)));
    assert!(matches!(&events[2], Event::Unknown { event: None, .. }));
}

#[test]
fn malformed_json_is_an_error_and_empty_objects_are_unknown() {
    assert!(parse_events("{\"event\":").is_err());
    assert!(parse_events("").is_err());
    assert!(matches!(one("{}"), Event::Unknown { .. }));
}

#[test]
fn to_value_leaves_out_unknown_fields() {
    let s = one(r#"{"event":"message.read","messageId":"exa_wa_5","status":"read"}"#);
    assert_eq!(
        s.to_value().to_json(),
        r#"{"kind":"status","event":"message.read","messageId":"exa_wa_5","status":"read","raw":{"event":"message.read","messageId":"exa_wa_5","status":"read"}}"#
    );
}

/// Checks what `parseWebhook` relies on when it takes each `raw` from JavaScript's own parse of
/// the body: every event's path leads to exactly the payload `parse_events` gives as its `raw`, and
/// no payload lies inside another (no two events may share an object).
/// What driver.js's `eventsOf` makes of records (see `wire`), `document` being its parse of the
/// body.
fn decode_records(records: &str, document: &Value) -> Vec<Value> {
    let mut events: Vec<Value> = Vec::new();
    let mut nested: Option<(String, Value)> = None;
    for part in records.split('\0').filter(|_| !records.is_empty()) {
        let mut chars = part.chars();
        let (kind, code) = (chars.next().unwrap(), chars.next().unwrap());
        let key = wire::KEYS[(code as usize) - 48].to_string();
        let text = chars.as_str();
        let value = match kind {
            's' => Value::from(text),
            'n' => Value::Number(json::Number::parse(text).expect("a number")),
            'j' => json::parse(text).expect("JSON"),
            'p' if text.is_empty() => document.clone(),
            'p' => text
                .split('\x01')
                .try_fold(document, |at, step| match step.parse::<usize>() {
                    Ok(i) if at.as_array().is_some() => at.index(i),
                    _ => at.get(step),
                })
                .expect("every path leads somewhere")
                .clone(),
            '{' => {
                nested = Some((key, Value::Object(Vec::new())));
                continue;
            }
            '}' => {
                let (key, object) = nested.take().expect("an open object");
                events.last_mut().unwrap().set(&key, object);
                continue;
            }
            other => panic!("unknown part type {other:?} in {records:?}"),
        };
        match &mut nested {
            Some((_, object)) => object.set(&key, value),
            None if key == "kind" => events.push(Value::object([(key, value)])),
            None => events.last_mut().unwrap().set(&key, value),
        }
    }
    events
}

/// The value at `path` under `value`, when there is one: the path as JavaScript walks it.
fn value_at<'v>(value: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    path.iter().try_fold(value, |at, step| match step {
        PathStep::Key(key) => at.get(key),
        PathStep::Index(i) => at.index(*i),
    })
}

fn assert_located(body: &str) {
    let Ok(tape) = Tape::parse(body) else {
        return;
    };
    let (root, value) = (tape.root(), json::parse(body).unwrap());
    let located = locate_events(root);
    let events = parse_events(body).unwrap();
    assert_eq!(located.events.len(), located.paths.len(), "{body}");
    assert_eq!(located.events.len(), events.len(), "{body}");
    for (n, ((event, path), full)) in located
        .events
        .iter()
        .zip(&located.paths)
        .zip(&events)
        .enumerate()
    {
        assert!(
            event.raw().is_null(),
            "located events leave raw null: {body}"
        );
        let raw = value_at(&value, path).expect("every path leads somewhere");
        assert_eq!(raw, full.raw(), "{body} at {path:?}");
        assert_eq!(located.payloads[n].to_value(), *raw, "{body}");
        let mut with_raw = event.clone();
        with_raw.set_raw(raw.clone());
        assert_eq!(with_raw, *full, "{body}");
        // The records, read as driver.js reads them with its own parse of the body, are the event.
        let mut records = String::new();
        located.write_records(n, &mut records);
        let decoded = decode_records(&records, &value);
        assert_eq!(decoded, [full.to_value()], "{body}: {records:?}");
    }
    let all = decode_records(&located.wire_records(), &value);
    assert_eq!(
        all,
        events.iter().map(Event::to_value).collect::<Vec<_>>(),
        "{body}"
    );
    for (i, a) in located.paths.iter().enumerate() {
        for b in located.paths.iter().skip(i + 1) {
            assert!(
                !a.starts_with(b) && !b.starts_with(a),
                "{body}: {a:?} and {b:?} overlap"
            );
        }
    }
}

#[test]
fn each_payload_is_found_by_its_path() {
    use PathStep::{Index, Key};
    let meta = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"account_update","value":{}}]},{"changes":[{"value":{"statuses":[{"id":"wamid.A","status":"read"}],"messages":[{"from":"233200000001","type":"text","text":{"body":"Hi"}},{"from":"233200000002"}]}}]}]}"#;
    let tape = Tape::parse(meta).unwrap();
    let located = locate_events(tape.root());
    // entry[1].changes[0].value.<list>[i]
    let in_value = |list, i| {
        vec![
            Key("entry"),
            Index(1),
            Key("changes"),
            Index(0),
            Key("value"),
            Key(list),
            Index(i),
        ]
    };
    assert_eq!(
        located.paths,
        [
            vec![Key("entry"), Index(0), Key("changes"), Index(0)],
            in_value("statuses", 0),
            in_value("messages", 0),
            in_value("messages", 1),
        ]
    );
    let batch = r#"[{"event":"message.read","data":{"messageId":"exa_wa_4","status":"read"}},{"from":"233200000001"},null,7]"#;
    let tape = Tape::parse(batch).unwrap();
    let located = locate_events(tape.root());
    assert_eq!(
        located.paths,
        [
            vec![Index(0), Key("data")],
            vec![Index(1)],
            vec![Index(2)],
            vec![Index(3)]
        ]
    );
    for body in [
        meta,
        batch,
        r#"{"event":"message.delivered","messageId":"exa_wa_1","status":"delivered"}"#,
        r#"{"id":"evt_1","event":"message.sent","created_at":"2024-01-15T10:30:00Z","data":{"messageId":"exa_wa_2"}}"#,
        r#"{"event":"message.sent","data":[1,2]}"#,
        "null",
        "[]",
        r#"{"entry":[{"changes":[{"value":{"statuses":[],"messages":[]}},{"field":"x"}]}]}"#,
        // Every kind of member the records carry, strings holding their separators, escaped keys.
        r#"[{"from":"233200000001","type":"interactive","interactive":{"list_reply":{"id":"row\u0000 1","title":"T","description":"D"}},"contacts":[{"name":{"formatted_name":"A\u0000"}}],"context":{"id":"wamid.B"},"timestamp":"1705314660"},{"from":"233200000001","image":{"id":"m1","mime_type":"image/jpeg","caption":"c\u0000d\u0001"},"text":"\u0000"},{"st\u0061tus":"FAILED","error":{"code":"WA002","message":"x\u0001y"},"to":"233200000002","location":{"latitude":"5.6","longitude":-0.187}}]"#,
    ] {
        assert_located(body);
    }
}

#[test]
fn text_path_names_the_string_the_text_came_from() {
    let path = |body: &str| text_path(Tape::parse(body).unwrap().root());
    assert_eq!(
        path(r#"{"text":{"body":"Hi"}}"#),
        Some(&["text", "body"][..])
    );
    assert_eq!(path(r#"{"text":"Hi"}"#), Some(&["text"][..]));
    assert_eq!(path(r#"{"text":{"body":""}}"#), None);
    // A number's text is a string only in the event: there is no string to take it from.
    assert_eq!(path(r#"{"text":{"body":12}}"#), None);
    assert_eq!(path(r#"{"text":12}"#), None);
    assert_eq!(path(r#"{"from":"233200000001"}"#), None);
}

/// A seeded generator of random JSON and random bytes: parsing never panics.
#[test]
fn random_input_never_panics() {
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const PIECES: [&str; 24] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"event\"",
        "\"message.read\"",
        "\"status\"",
        "\"from\"",
        "\"data\"",
        "\"entry\"",
        "\"changes\"",
        "\"value\"",
        "\"messages\"",
        "\"statuses\"",
        "1",
        "-0.5e3",
        "null",
        "true",
        "\"\\ud800\"",
        "\"é\"",
        "\"interactive\"",
        "\"location\"",
    ];
    for _ in 0..20_000 {
        let len = next() % 40;
        let mut body = String::new();
        for _ in 0..len {
            body.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        let _ = parse_events(&body);
        assert_located(&body);
        let bytes: Vec<u8> = (0..next() % 64).map(|_| next() as u8).collect();
        let _ = parse_events(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn escaped_keys_and_values_read_as_their_text() {
    let s = status(r#"{"st\u0061tus":"RE\u0041D","messageId":"exa_wa_\u00e9","to":"233"}"#);
    assert_eq!(
        (&*s.status, s.message_id.as_deref()),
        ("read", Some("exa_wa_é"))
    );
    // A repeated key: the last value, as JSON.parse keeps it.
    assert_eq!(
        status(r#"{"status":"sent","status":"read"}"#).status,
        "read"
    );
}

#[test]
fn field_indexes_name_their_keys() {
    let at = |i: usize| FIELD_KEYS[i];
    let all = |r: Range<usize>| FIELD_KEYS[r].to_vec();
    assert_eq!(
        [
            at(STATUS),
            at(FROM),
            at(WAMID),
            at(TYPE),
            at(TEXT),
            at(LOCATION),
            at(TIMESTAMP)
        ],
        [
            "status",
            "from",
            "wamid",
            "type",
            "text",
            "location",
            "timestamp"
        ]
    );
    assert_eq!(
        [
            at(CONTACT),
            at(PROFILE),
            at(CONTACTS),
            at(INTERACTIVE),
            at(BUTTON),
            at(CONTEXT)
        ],
        [
            "contact",
            "profile",
            "contacts",
            "interactive",
            "button",
            "context"
        ]
    );
    assert_eq!(
        [at(ERROR), at(ERRORS), at(ERROR_MESSAGE)],
        ["error", "errors", "errorMessage"]
    );
    assert_eq!(all(IDS), ["messageId", "message_id", "id"]);
    assert_eq!(
        all(MEDIA),
        ["image", "video", "audio", "document", "sticker"]
    );
    assert_eq!(all(RECIPIENTS), ["to", "recipient", "recipient_id"]);
    assert_eq!(all(ERROR_CODES), ["errorCode", "error_code"]);
}
