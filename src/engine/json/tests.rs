//! The JSON reader and writer's tests.

use super::*;
use crate::engine::test_rng::Rng;

fn ok(text: &str) -> Value {
    match parse(text) {
        Ok(v) => v,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

/// The eight-bytes-at-a-time scan finds exactly what a byte-by-byte one does, at every
/// position of every kind of byte (ASCII, control, quote, backslash, UTF-8 high bytes).
#[test]
fn plain_run_matches_a_byte_scan() {
    let naive = |b: &[u8]| {
        b.iter()
            .position(|c| *c == b'"' || *c == b'\\' || *c < 0x20)
            .unwrap_or(b.len())
    };
    let alphabet = [
        b'a', b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xc3, 0xff, b'\n',
    ];
    for len in 0..40 {
        for hit in 0..=len {
            for special in alphabet {
                let mut bytes = vec![b'x'; len];
                if let Some(b) = bytes.get_mut(hit) {
                    *b = special;
                }
                // A second special byte later must not hide the first.
                if let Some(b) = bytes.get_mut(hit.saturating_add(3)) {
                    *b = b'"';
                }
                assert_eq!(plain_run(&bytes), naive(&bytes), "{bytes:?}");
            }
        }
    }
    // Every pair of byte values at the two ends of a word boundary (7|8) and of a step (15|16).
    for a in 0..=255u8 {
        for b in [0u8, 0x1f, 0x20, b'"', b'\\', 0x5c, 0x80, 0xff] {
            for at in [7, 15] {
                let mut bytes = [b'x'; 20];
                bytes[at] = a;
                bytes[at + 1] = b;
                assert_eq!(plain_run(&bytes), naive(&bytes), "{bytes:?}");
            }
        }
    }
}

#[test]
fn round_trips_byte_for_byte() {
    for text in [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1.50",
        "-12.5e+10",
        "1E-7",
        "123456789012345678901234567890",
        r#""""#,
        r#""a\"b\\c\n\u0001""#,
        "[]",
        "{}",
        r#"[1,[2,[3,{}]],{"a":[]}]"#,
        r#"{"z":1,"a":{"b":null}}"#,
    ] {
        assert_eq!(ok(text).to_json(), text, "{text}");
    }
}

#[test]
fn accepts_whitespace_around_tokens() {
    let v = ok(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : \"x\" } \n");
    assert_eq!(v.to_json(), r#"{"a":[1,2],"b":"x"}"#);
}

#[test]
fn rejects_what_rfc_8259_rejects() {
    for text in [
        "",
        " ",
        "[1,]",
        "{\"a\":1,}",
        "[1 2]",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "+1",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "\"abc",
        "\"a\u{1}b\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "[1] [2]",
        "{\"a\":1}}",
        "[",
        "{",
        "{\"a\":",
        "// c\n1",
        "\u{feff}1",
    ] {
        assert!(parse(text).is_err(), "{text:?} should be rejected");
    }
}

#[test]
fn decodes_escapes_and_surrogate_pairs() {
    let v = ok(r#""\u00e9\ud83d\ude00\/\b\f\t""#);
    assert_eq!(v.as_str(), Some("é😀/\u{8}\u{c}\t"));
    // Re-serialised the way JSON.stringify writes it.
    assert_eq!(v.to_json(), "\"é😀/\\b\\f\\t\"");

    // The first and last supplementary code points.
    let edges = ok(r#""\ud800\udc00\uDBFF\uDFFF""#);
    assert_eq!(edges.as_str(), Some("\u{10000}\u{10FFFF}"));
}

#[test]
fn escapes_like_json_stringify() {
    let s = Value::from("\"\\\u{0}\u{1f}\u{7f}\u{2028}</>");
    assert_eq!(s.to_json(), "\"\\\"\\\\\\u0000\\u001f\u{7f}\u{2028}</>\"");
}

#[test]
fn duplicate_keys_keep_first_position_and_last_value() {
    let v = ok(r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(v.to_json(), r#"{"a":3,"b":2}"#);
}

#[test]
fn depth_limit_is_exact() {
    let at_limit = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&at_limit).is_ok());
    let over = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    assert_eq!(
        parse(&over).unwrap_err().message,
        "nesting deeper than 64 levels"
    );
    let objects = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
    assert!(parse(&objects).is_err());
    // Far deeper input fails fast instead of overflowing the stack.
    assert!(parse(&"[".repeat(1_000_000)).is_err());
}

#[test]
fn accessors() {
    let mut v = ok(r#"{"s":"x","n":42,"f":-1.5,"b":true,"a":[1],"o":{},"z":null}"#);
    assert_eq!(v.get("s").and_then(Value::as_str), Some("x"));
    assert_eq!(v.get("n").and_then(Value::as_u64), Some(42));
    assert_eq!(v.get("f").and_then(Value::as_f64), Some(-1.5));
    assert_eq!(v.get("f").and_then(Value::as_u64), None);
    assert_eq!(v.get("b").and_then(Value::as_bool), Some(true));
    assert_eq!(
        v.get("a").and_then(|a| a.index(0)).and_then(Value::as_u64),
        Some(1)
    );
    assert!(v.get("z").is_some_and(Value::is_null));
    assert_eq!(v.get("o").map(Value::type_name), Some("object"));
    assert!(v.get("missing").is_none());
    v.set("s", Value::from("y"));
    v.set("new", Value::Bool(false));
    assert_eq!(v.remove("n"), Some(Value::from(42u64)));
    assert_eq!(
        v.to_json(),
        r#"{"s":"y","f":-1.5,"b":true,"a":[1],"o":{},"z":null,"new":false}"#
    );
}

#[test]
fn numbers() {
    assert_eq!(Number::parse("1e3").map(|n| n.as_f64()), Some(1000.0));
    assert!(Number::parse("1e3").is_some_and(|n| n.is_integer()));
    assert!(Number::parse("01").is_none());
    assert!(Number::parse("1 ").is_none());
    assert_eq!(
        Number::from_integer_f64(3.0).map(|n| n.to_string()),
        Some("3".into())
    );
    assert!(Number::from_integer_f64(0.25).is_none());
    assert!(Number::from_integer_f64(f64::NAN).is_none());
    assert_eq!(Number::from(-7i64).as_i64(), Some(-7));
    // Huge numbers parse; as_f64 saturates to infinity rather than failing.
    assert_eq!(ok("1e400").as_f64(), Some(f64::INFINITY));
}

#[test]
fn random_bytes_never_panic() {
    const ALPHABET: &[u8] = b"{}[]\",:\\/ \t\n0123456789-+.eEtrufalsn\x01ab\xc3\xa9u";
    let mut rng = Rng::new(1);
    for _ in 0..20_000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(v) = parse(&text) {
            // Whatever parses re-parses to the same value.
            assert_eq!(parse(&v.to_json()).as_ref(), Ok(&v));
        }
    }
}

#[test]
fn random_values_round_trip() {
    fn gen(rng: &mut Rng, depth: usize) -> Value {
        match rng.below(if depth > 5 { 4 } else { 6 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::from(rng.next() >> rng.below(64)),
            3 => Value::String(
                (0..rng.below(8))
                    .filter_map(|_| char::from_u32(rng.below(0x11_0000) as u32))
                    .collect(),
            ),
            4 => Value::Array((0..rng.below(4)).map(|_| gen(rng, depth + 1)).collect()),
            _ => Value::object((0..rng.below(4)).map(|i| (format!("k{i}"), gen(rng, depth + 1)))),
        }
    }
    let mut rng = Rng::new(7);
    for _ in 0..2_000 {
        let v = gen(&mut rng, 0);
        assert_eq!(parse(&v.to_json()), Ok(v));
    }
}

/// `parse_f64` agrees exactly with Rust's correctly rounded parser on the fast path (up to 15
/// significant digits, powers of ten within ±22), and within 4 units in the last place beyond.
#[test]
fn parse_f64_matches_the_correctly_rounded_parser() {
    let mut rng = Rng::new(0x05ee_df64);
    for _ in 0..20_000 {
        let digits = 1 + rng.below(18);
        let mut text: String = (0..digits)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        if rng.below(2) == 0 {
            let at = rng.below(digits + 1);
            text.insert(at, '.');
            if text == "." {
                text = "0".into();
            }
        }
        if rng.below(3) == 0 {
            let e = rng.below(60) as i64 - 30;
            text.push_str(&format!("e{e}"));
        }
        if rng.below(2) == 0 {
            text.insert(0, '-');
        }
        let want: f64 = text.parse().unwrap();
        let got = parse_f64(&text).unwrap();
        let mantissa_part = text.split('e').next().unwrap_or("");
        let significant = mantissa_part
            .trim_start_matches(['-', '0', '.'])
            .chars()
            .filter(char::is_ascii_digit)
            .count();
        let fraction = mantissa_part.split('.').nth(1).map_or(0, str::len) as i64;
        let explicit: i64 = text.split('e').nth(1).map_or(0, |e| e.parse().unwrap());
        if significant <= 15 && (explicit - fraction).abs() <= 22 {
            assert_eq!(got, want, "{text}");
        } else {
            let ulps = (got.to_bits() as i64 - want.to_bits() as i64).abs();
            assert!(ulps <= 4, "{text}: {got} vs {want} ({ulps} ulps)");
        }
    }
    for bad in [
        "", "-", ".", "e5", "1e", "1e+", "inf", "NaN", "0x10", "1.2.3", "1 2",
    ] {
        assert_eq!(parse_f64(bad), None, "{bad:?}");
    }
}
