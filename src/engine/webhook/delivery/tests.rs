//! A delivery handled natively, every branch, with made-up driver reports.

use super::*;
use crate::engine::webhook::signature::sign_hex;

const SECRET: &[u8] = b"whsec_unit";
const INBOUND: &str = r#"{"event":"message.received","from":"233244000000","type":"text","text":{"body":"Hi"},"timestamp":"1700000000"}"#;

fn signed(body: &str, id: Option<&str>, dedupe: Dedupe, window: bool) -> Handling {
    Handling::new(Settings {
        secret: SECRET.to_vec(),
        signature: Some(format!("sha256={}", sign_hex(SECRET, body.as_bytes()))),
        delivery_id: id.map(str::to_string),
        dedupe,
        window,
        ..Settings::default()
    })
}

fn respond(step: Step) -> (u16, String) {
    match step {
        Step::Respond(status, body) => (status, body.to_json()),
        other => panic!("expected an answer, got {other:?}"),
    }
}

const NOW: f64 = 1_800_000_000_000.0;

#[test]
fn an_inbound_message_opens_the_window_then_reaches_on_event() {
    let mut h = signed(INBOUND, None, Dedupe::Off, true);
    assert!(matches!(
        h.step(Input::Go, NOW),
        Step::ReadBody(DEFAULT_MAX_BODY_BYTES)
    ));
    match h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW) {
        Step::SetWindow(phone, at) => {
            assert_eq!((phone.as_str(), at), ("233244000000", 1_700_000_000_000.0))
        }
        other => panic!("{other:?}"),
    }
    match h.step(Input::Done, NOW) {
        Step::Event(event) => {
            // Records (engine::webhook::wire): `kind` first, `raw` the whole body.
            assert!(event.starts_with("s0message\0"), "{event}");
            assert!(event.ends_with("\0pN"), "{event}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        respond(h.step(Input::Done, NOW)),
        (200, r#"{"received":1}"#.into())
    );
}

#[test]
fn a_window_time_from_the_future_is_now() {
    let body = INBOUND.replace("1700000000", "1900000000");
    let mut h = signed(&body, None, Dedupe::Off, true);
    h.step(Input::Go, NOW);
    assert!(
        matches!(h.step(Input::Body(body.into_bytes()), NOW), Step::SetWindow(_, at) if at == NOW)
    );
}

#[test]
fn failures_answer_401_400_413_and_500() {
    // A wrong signature: 401, never parsed.
    let mut h = signed("{}", None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    assert_eq!(
        respond(h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW)).0,
        401
    );
    // Signed but not JSON: 400.
    let mut h = signed("not json", None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    let (status, body) = respond(h.step(Input::Body(b"not json".to_vec()), NOW));
    assert_eq!(status, 400);
    assert!(body.contains("INVALID_WEBHOOK"), "{body}");
    // Over the cap by Content-Length: 413 before reading; or while reading.
    let mut h = Handling::new(Settings {
        declared_length: Some(DEFAULT_MAX_BODY_BYTES + 1),
        ..Settings::default()
    });
    let (status, body) = respond(h.step(Input::Go, NOW));
    assert_eq!(status, 413);
    assert!(body.contains("(1048576 bytes)"), "{body}");
    let mut h = signed(INBOUND, None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    assert_eq!(respond(h.step(Input::BodyTooLarge, NOW)).0, 413);
    // onEvent throws, or the window store does: 500, so Sendexa retries.
    let mut h = signed(INBOUND, None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW);
    let (status, body) = respond(h.step(Input::Failed("boom".into()), NOW));
    assert_eq!(status, 500);
    assert!(body.contains("onEvent failed: boom"), "{body}");
    let mut h = signed(INBOUND, None, Dedupe::Off, true);
    h.step(Input::Go, NOW);
    h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW);
    let (_, body) = respond(h.step(Input::Failed("KV down".into()), NOW));
    assert!(body.contains("the window store failed: KV down"), "{body}");
    // An unreadable body is the caller's mistake: thrown.
    let mut h = signed(INBOUND, None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    match h.step(Input::Unreadable("already read".into()), NOW) {
        Step::Fail(err) => assert_eq!(err.code(), "INVALID_ARGUMENT"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_delivery_is_handled_once_per_id() {
    let id = "dlv_unit_once";
    let run = || {
        let mut h = signed(INBOUND, Some(id), Dedupe::Default, false);
        h.step(Input::Go, NOW);
        match h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW) {
            Step::Event(_) => respond(h.step(Input::Done, NOW)),
            step => respond(step),
        }
    };
    assert_eq!(run(), (200, r#"{"received":1}"#.into()));
    assert_eq!(run(), (200, r#"{"received":0,"duplicate":true}"#.into()));

    // A custom store is asked, and told after the events were handled.
    let mut h = signed(INBOUND, Some(id), Dedupe::Custom, false);
    h.step(Input::Go, NOW);
    assert!(
        matches!(h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW), Step::Has(ref i) if i == id)
    );
    assert!(matches!(h.step(Input::Seen(false), NOW), Step::Event(_)));
    assert!(matches!(h.step(Input::Done, NOW), Step::Add(ref i) if i == id));
    assert_eq!(respond(h.step(Input::Failed("ignored".into()), NOW)).0, 200);
    let mut h = signed(INBOUND, Some(id), Dedupe::Custom, false);
    h.step(Input::Go, NOW);
    h.step(Input::Body(INBOUND.as_bytes().to_vec()), NOW);
    assert_eq!(
        respond(h.step(Input::Seen(true), NOW)).1,
        r#"{"received":0,"duplicate":true}"#
    );
}

#[test]
fn the_default_store_forgets_the_oldest_past_its_size() {
    let mut ids = RecentIds::default();
    for i in 0..=RECENT_IDS {
        ids.insert(format!("id{i}"));
    }
    assert!(!ids.contains("id0"));
    assert!(ids.contains("id1") && ids.contains(&format!("id{RECENT_IDS}")));
}

#[test]
fn a_driver_out_of_turn_gets_an_error_not_a_panic() {
    let mut h = signed(INBOUND, None, Dedupe::Off, false);
    h.step(Input::Go, NOW);
    match h.step(Input::Seen(true), NOW) {
        Step::Fail(err) => assert_eq!(err.code(), "INTERNAL"),
        other => panic!("{other:?}"),
    }
}
