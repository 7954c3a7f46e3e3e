//! Message validation over arbitrary JSON: never panics, and its output validates to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendexa_whatsapp::engine::{json, message};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse(&String::from_utf8_lossy(data)) else { return };
    if let Ok(normalised) = message::validate_message(&value, None) {
        assert_eq!(message::validate_message(&normalised, None).as_ref(), Ok(&normalised));
    }
    // The same value as a template definition must not panic either.
    let _ = message::validate_message(&value, Some(&value));
});
