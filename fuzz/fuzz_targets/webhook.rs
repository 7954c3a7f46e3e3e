//! Webhook verification and parsing: never panics; a forged signature never verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendexa_whatsapp::engine::webhook::{event, signature};

fuzz_target!(|data: &[u8]| {
    // The first line is the signature header; the rest is the body.
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (header, body) = data.split_at(split);
    let header = String::from_utf8_lossy(header);
    let delivery = signature::Delivery { body, signature: Some(&header), timestamp: Some(&header) };
    let genuine = format!("sha256={}", signature::sign_hex(b"fuzz-secret", body));
    if header != genuine.as_str() {
        assert!(signature::verify(delivery, b"fuzz-secret", None, 0.0).is_err());
    }
    let _ = signature::verify(delivery, b"fuzz-secret", Some(300.0), 1.7e12);
    if let Ok(events) = event::parse_events(&String::from_utf8_lossy(body)) {
        for e in &events {
            let _ = e.to_value().to_json();
        }
    }
});
