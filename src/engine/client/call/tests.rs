//! The call machine driven natively: every fault mode, fed as made-up answers.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::engine::client::endpoint;
use crate::engine::client::limiter::Limits;
use crate::engine::client::response::Headers;
use crate::engine::json::parse;

fn status_call(config: Config) -> Call {
    let req = endpoint::status("exa_wa_1").unwrap();
    Call::new(Rc::new(config), req, None, Some("exa_wa_1".into()))
}

fn send_call(config: Config, body: &str) -> Call {
    let msg = parse(body).unwrap();
    Call::new(Rc::new(config), endpoint::send(&msg), Some(msg), None)
}

const TEXT: &str = r#"{"to":"233244000000","type":"text","text":{"body":"Hi"}}"#;
const SENT: &str = r#"{"success":true,"data":{"messageId":"exa_wa_9","status":"sent"}}"#;

fn answer(status: u16, body: &str) -> Input {
    Input::Answer(
        Response {
            status,
            body: body.into(),
            ..Default::default()
        },
        50.0,
    )
}

fn code(step: Step) -> String {
    match step {
        Step::Fail(err) => err.code().to_string(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn a_send_goes_out_and_reads_its_answer() {
    let mut call = send_call(Config::default(), TEXT);
    assert!(matches!(call.step(Input::Go, 0.0, 0.5), Step::Fetch));
    match call.step(answer(200, SENT), 10.0, 0.5) {
        Step::Done(v) => {
            assert_eq!(v.get("messageId").and_then(Value::as_str), Some("exa_wa_9"));
            assert_eq!(v.get("to").and_then(Value::as_str), Some("233244000000"));
        }
        other => panic!("{other:?}"),
    }
    assert!(call.is_finished());
    // A driver that goes on gets an error, never a panic.
    assert_eq!(code(call.step(Input::Slept, 20.0, 0.5)), "INTERNAL");
}

#[test]
fn a_5xx_send_is_an_unknown_outcome_after_one_attempt_but_a_read_is_retried() {
    let mut send = send_call(Config::default(), TEXT);
    send.step(Input::Go, 0.0, 0.5);
    assert_eq!(
        code(send.step(answer(503, "{}"), 1.0, 0.5)),
        "OUTCOME_UNKNOWN"
    );

    let mut status = status_call(Config::default());
    status.step(Input::Go, 0.0, 0.5);
    let Step::Wait(ms) = status.step(answer(503, "{}"), 1.0, 0.5) else {
        panic!("a read is retried");
    };
    assert!((0.0..=500.0).contains(&ms));
    assert!(matches!(status.step(Input::Slept, 300.0, 0.5), Step::Fetch));
    status.step(answer(503, "{}"), 301.0, 0.5);
    status.step(Input::Slept, 900.0, 0.5);
    // maxRetries 2: the third answer is the last.
    assert_eq!(
        code(status.step(answer(503, "{}"), 901.0, 0.5)),
        "SERVER_ERROR"
    );
}

#[test]
fn failures_without_an_answer_follow_the_retry_rules() {
    let timeout = || Input::Broken(Failure::Timeout);
    let mut send = send_call(Config::default(), TEXT);
    send.step(Input::Go, 0.0, 0.5);
    assert_eq!(code(send.step(timeout(), 1.0, 0.5)), "OUTCOME_UNKNOWN");

    let mut status = status_call(Config::default());
    status.step(Input::Go, 0.0, 0.5);
    assert!(matches!(status.step(timeout(), 1.0, 0.5), Step::Wait(_)));
    status.step(Input::Slept, 2.0, 0.5);
    let network = Input::Broken(Failure::Network("fetch failed".into()));
    assert!(matches!(status.step(network, 3.0, 0.5), Step::Wait(_)));

    // An abort in flight is never retried, and says the API may have acted.
    let mut status = status_call(Config::default());
    status.step(Input::Go, 0.0, 0.5);
    match status.step(Input::Broken(Failure::Aborted), 1.0, 0.5) {
        Step::Fail(err) => {
            assert_eq!(err.code(), "ABORTED");
            assert!(err.to_string().contains("in flight"), "{err}");
        }
        other => panic!("{other:?}"),
    }

    let mut send = send_call(Config::default(), TEXT);
    send.step(Input::Go, 0.0, 0.5);
    let too_large = Failure::TooLarge {
        status: 200,
        request_id: Some("req_1".into()),
    };
    assert_eq!(
        code(send.step(Input::Broken(too_large), 1.0, 0.5)),
        "OUTCOME_UNKNOWN"
    );
}

#[test]
fn the_timeout_message_names_the_setting_as_a_whole_number() {
    let config = Config {
        policy: RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        },
        timeout_ms: 1500,
        ..Config::default()
    };
    let mut status = status_call(config);
    status.step(Input::Go, 0.0, 0.5);
    match status.step(Input::Broken(Failure::Timeout), 1.0, 0.5) {
        Step::Fail(err) => assert!(err.to_string().contains("within 1500 ms"), "{err}"),
        other => panic!("{other:?}"),
    }
}

fn one_per_second() -> Rc<RefCell<RateLimiter>> {
    let mut limits = Limits::none();
    limits.set("status", vec![(1, 1000.0)]);
    Rc::new(RefCell::new(RateLimiter::new(limits)))
}

#[test]
fn the_builtin_limiter_makes_a_call_wait_and_an_abort_gives_the_slot_back() {
    // Two calls at 0 and a third at 10, with the second abandoned or not: the third's wait.
    let third_wait = |abandon: bool| {
        let config = Rc::new(Config {
            limiting: Limiting::Builtin(one_per_second()),
            ..Config::default()
        });
        let new = || {
            let req = endpoint::status("exa_wa_1").unwrap();
            Call::new(config.clone(), req, None, Some("exa_wa_1".into()))
        };
        let mut first = new();
        assert!(matches!(first.step(Input::Go, 0.0, 0.5), Step::Fetch));
        let mut second = new();
        let Step::Wait(ms) = second.step(Input::Go, 0.0, 0.5) else {
            panic!("the second call in the same second waits");
        };
        assert!(ms >= 1000.0, "{ms}");
        if abandon {
            assert_eq!(code(second.step(Input::Aborted, 10.0, 0.5)), "ABORTED");
        }
        let mut third = new();
        let Step::Wait(ms) = third.step(Input::Go, 10.0, 0.5) else {
            panic!("the third call waits");
        };
        assert!(matches!(
            third.step(Input::Slept, 10.0 + ms, 0.5),
            Step::Fetch
        ));
        ms
    };
    let (kept, given_back) = (third_wait(false), third_wait(true));
    assert!(given_back < kept, "{given_back} >= {kept}");
}

#[test]
fn a_custom_limiter_is_asked_and_told() {
    let config = Config {
        limiting: Limiting::Custom,
        ..Config::default()
    };
    let mut call = status_call(config);
    assert!(matches!(
        call.step(Input::Go, 0.0, 0.5),
        Step::Acquire("status")
    ));
    assert!(matches!(call.step(Input::Acquired, 1.0, 0.5), Step::Fetch));
    let limited = Response {
        status: 429,
        headers: Headers {
            retry_after: Some("2".into()),
            ..Headers::default()
        },
        body: "{}".into(),
    };
    match call.step(Input::Answer(limited, 40.0), 41.0, 0.5) {
        Step::Report(key, info) => {
            assert_eq!((key, info.status), ("status", 429));
            assert_eq!(info.retry_after_ms, Some(2000.0));
            assert_eq!(info.latency_ms, Some(40.0));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(call.step(Input::Go, 42.0, 0.5), Step::Wait(ms) if ms == 2000.0));
    assert!(matches!(
        call.step(Input::Slept, 2100.0, 0.5),
        Step::Acquire("status")
    ));
    let detail = Input::AcquireFailed("quota store down".into());
    match call.step(detail, 2101.0, 0.5) {
        Step::Fail(err) => {
            assert_eq!(err.code(), "RATE_LIMITER_FAILED");
            assert!(err.to_string().contains("quota store down"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_free_form_send_checks_the_window_first() {
    const DAY: f64 = 24.0 * 3600.0 * 1000.0;
    let book = Rc::new(RefCell::new(WindowBook::new()));
    book.borrow_mut().set("233244000000", 0.0, 0.0);
    let memory = || Config {
        window: WindowSource::Memory(book.clone()),
        ..Config::default()
    };
    // Open window: the send goes.
    let mut call = send_call(memory(), TEXT);
    assert!(matches!(call.step(Input::Go, DAY / 2.0, 0.5), Step::Fetch));
    // Closed: refused before any request.
    let mut call = send_call(memory(), TEXT);
    assert_eq!(code(call.step(Input::Go, DAY * 1.5, 0.5)), "WA003");
    // A template is never checked.
    let template = r#"{"to":"233244000000","type":"template","template":{"name":"hi","language":{"code":"en"}}}"#;
    let mut call = send_call(memory(), template);
    assert!(matches!(call.step(Input::Go, DAY * 3.0, 0.5), Step::Fetch));

    // A custom store is read through the driver, under the normalised number.
    let custom = Config {
        window: WindowSource::Custom,
        strict_window: true,
        ..Config::default()
    };
    let mut call = send_call(
        custom,
        r#"{"to":"+233 24 400 0000","type":"text","text":{"body":"Hi"}}"#,
    );
    match call.step(Input::Go, 0.0, 0.5) {
        Step::ReadWindow(to) => assert_eq!(to, "233244000000"),
        other => panic!("{other:?}"),
    }
    assert_eq!(code(call.step(Input::Window(None), 1.0, 0.5)), "WA003");
}

#[test]
fn errors_leave_the_secrets_out() {
    let config = Config {
        secrets: vec!["s3cr3t-token".into()],
        ..Config::default()
    };
    let mut call = status_call(config);
    call.step(Input::Go, 0.0, 0.5);
    let body =
        r#"{"success":false,"error":{"code":"UNAUTHORIZED","message":"bad token s3cr3t-token"}}"#;
    match call.step(answer(401, body), 1.0, 0.5) {
        Step::Fail(err) => {
            let text = err.to_string();
            assert!(
                !text.contains("s3cr3t-token") && text.contains("[redacted]"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_abort_before_the_request_says_nothing_was_sent() {
    let mut call = send_call(Config::default(), TEXT);
    match call.step(Input::Aborted, 0.0, 0.5) {
        Step::Fail(err) => assert!(err.to_string().contains("before any request"), "{err}"),
        other => panic!("{other:?}"),
    }
}
