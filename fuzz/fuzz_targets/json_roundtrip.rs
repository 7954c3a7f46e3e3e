//! The JSON parser: never panics; whatever parses serialises and re-parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendexa_whatsapp::engine::json;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = json::parse(&String::from_utf8_lossy(data)) {
        assert_eq!(json::parse(&value.to_json()).as_ref(), Ok(&value));
    }
});
