//! The client's reading of API answers: any status, headers and body give a result or a typed
//! error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendexa_whatsapp::engine::client::endpoint::Endpoint;
use sendexa_whatsapp::engine::client::response::{interpret, Context, Headers, Response};
use sendexa_whatsapp::engine::json::Value;

fuzz_target!(|data: &[u8]| {
    let [selector, high, low, rest @ ..] = data else { return };
    let endpoint = Endpoint::ALL[usize::from(*selector) % Endpoint::ALL.len()];
    let status = u16::from_be_bytes([*high, *low]) % 600;
    // The first line feeds every header the client reads; the rest is the body.
    let text = String::from_utf8_lossy(rest);
    let (header, body) = text.split_once('\n').unwrap_or(("", &text));
    let value = Some(header.to_string());
    let response = Response {
        status,
        headers: Headers {
            request_id: value.clone(),
            retry_after: value.clone(),
            content_type: value.clone(),
            rate_limit: value.clone(),
            rate_remaining: value.clone(),
            rate_reset: value.clone(),
            rate_window: value,
        },
        body: body.to_string(),
    };
    let message = Value::object([("to", Value::from("233244000000")), ("type", Value::from("text"))]);
    let ctx = Context { message: Some(&message), id: Some("exa_wa_1") };
    if let Err(err) = interpret(endpoint, &ctx, &response, 1.7e12) {
        let _ = (err.code(), err.to_string(), err.retry_after());
    }
    let _ = response.rate_info(1.7e12);
});
