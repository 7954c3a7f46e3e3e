//! Phone parsing: never panics; whatever parses is valid again in its E.164 form, with the same digits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendexa_whatsapp::engine::phone;

const REGIONS: [Option<&str>; 6] = [None, Some("GH"), Some("US"), Some("GB"), Some("BR"), Some("zz")];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let input = String::from_utf8_lossy(rest);
    let region = REGIONS[usize::from(selector) % REGIONS.len()];
    if let Ok(number) = phone::parse(&input, region) {
        let again = phone::parse(&number.e164(), None).expect("a parsed number's E.164 form parses");
        assert_eq!(again.digits(), number.digits());
        assert!(phone::is_valid(&number.e164(), None));
    }
});
