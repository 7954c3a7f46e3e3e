//! Tests of the phone module: spellings, reasons, conformance over the whole metadata, robustness
//! on arbitrary strings, and the differential test against libphonenumber (Python port).

use super::*;

fn ok(input: &str, region: Option<&str>) -> PhoneNumber {
    match parse(input, region) {
        Ok(n) => n,
        Err(e) => panic!("{input:?} ({region:?}): {e}"),
    }
}

fn reason(input: &str, region: Option<&str>) -> &'static str {
    match parse(input, region) {
        Ok(n) => panic!("{input:?} should fail, got {n:?}"),
        Err(e) => e.reason.as_str(),
    }
}

#[test]
fn the_metadata_decodes() {
    let t = tables::tables().expect("metadata.bin decodes");
    assert_eq!(t.territories.len(), 254);
    assert_eq!(t.for_code(1).len(), 25);
    assert_eq!(t.main_for_code(44).map(|t| t.id), Some("GB"));
    // A damaged segment would decode as dead rows, failing every number that reaches it.
    assert!(t.segments_decode(), "every segment of rows decodes whole");
}

#[test]
fn accepted_spellings() {
    for input in [
        "+233 24 400 0000",
        "+233-24-400-0000",
        "(+233) 244 000 000",
        "00233244000000",
        "233244000000",
        "  +233.24.400.0000 ",
        "+233/24/400/0000",
        "+233 (0) 24 400 0000",
    ] {
        let n = ok(input, None);
        assert_eq!(n.digits(), "233244000000", "{input}");
        assert_eq!(n.e164(), "+233244000000");
        assert_eq!(n.region, "GH");
        assert_eq!(n.number_type, Some(NumberType::Mobile));
    }
    assert_eq!(
        normalize("024 400 0000", Some("GH")).as_deref(),
        Ok("233244000000")
    );
    assert_eq!(
        normalize("024 400 0000", Some("gh")).as_deref(),
        Ok("233244000000")
    );
    // The region's own calling code without "+", and an international number with a default region.
    assert_eq!(
        normalize("233244000000", Some("GH")).as_deref(),
        Ok("233244000000")
    );
    assert_eq!(
        normalize("447400123456", Some("GH")).as_deref(),
        Ok("447400123456")
    );
    assert_eq!(
        normalize("011 44 7400 123456", Some("US")).as_deref(),
        Ok("447400123456")
    );
}

#[test]
fn shared_calling_codes_resolve_their_region() {
    assert_eq!(ok("+1 212 555 0123", None).region, "US");
    assert_eq!(ok("+1 416 555 0123", None).region, "CA");
    assert_eq!(ok("+1 441 234 5678", None).region, "BM");
    assert_eq!(ok("+7 912 345 6789", None).region, "RU");
    assert_eq!(ok("+7 701 234 5678", None).region, "KZ");
    assert_eq!(ok("+44 20 7946 0958", None).region, "GB");
    assert_eq!(ok("+800 1234 5678", None).region, "001");
    // Trunk prefix transformations: Argentina's mobile "15", the NANP's 7-digit local numbers.
    assert_eq!(ok("011 15 2345 6789", Some("AR")).digits(), "5491123456789");
    assert_eq!(ok("234 5678", Some("BM")).digits(), "14412345678");
}

#[test]
fn reasons() {
    assert_eq!(reason("", None), "NOT_A_NUMBER");
    assert_eq!(reason("abc", None), "NOT_A_NUMBER");
    assert_eq!(reason("+233 24 CALL ME", None), "NOT_A_NUMBER");
    assert_eq!(reason("++233244000000", None), "NOT_A_NUMBER");
    assert_eq!(reason("+233 24+4000000", None), "NOT_A_NUMBER");
    assert_eq!(reason("+233 24 400 0000 ext. 12", None), "NOT_A_NUMBER");
    assert_eq!(reason("+233 24 400 0000 x12", None), "NOT_A_NUMBER");
    assert_eq!(reason("+233 24 400 0000#12", None), "NOT_A_NUMBER");
    assert_eq!(reason("+٢٣٣٢٤٤٠٠٠٠٠٠", None), "NOT_A_NUMBER");
    assert_eq!(reason("+999 1234 5678", None), "INVALID_COUNTRY_CODE");
    assert_eq!(reason("0244000000", None), "INVALID_COUNTRY_CODE");
    assert_eq!(reason("0244000000", Some("XX")), "INVALID_COUNTRY_CODE");
    assert_eq!(reason("+233 24 400", None), "TOO_SHORT");
    assert_eq!(reason("+233 24 400 000 000", None), "TOO_LONG");
    assert_eq!(reason("+1 234 567 890 123 456 789", None), "TOO_LONG");
    assert_eq!(reason("+233 24 400 00000", None), "TOO_LONG");
    assert_eq!(reason("+49 30 1", None), "INVALID_LENGTH");
    assert_eq!(reason("+233 24", None), "TOO_SHORT");
    assert_eq!(reason("+1 011 555 0123", None), "INVALID_FOR_REGION");
    assert!(!is_valid("+1 011 555 0123", None));
    let e = parse("+999 1234", None).unwrap_err();
    assert!(e.message.contains("+999 1234"), "{}", e.message);
}

/// Every example number of every territory and type in the XML is valid, in its own region, with its type.
#[test]
fn every_example_number_is_valid_with_its_region_and_type() {
    let xml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/PhoneNumberMetadata.xml"
    ))
    .expect("data/PhoneNumberMetadata.xml");
    let mut checked = 0;
    let mut failures = Vec::new();
    for territory in xml.split("<territory ").skip(1) {
        let attr = |name: &str| -> String {
            let key = format!(" {name}=\"");
            let head = &territory[..territory.find('>').unwrap_or(0)];
            let head = format!(" {head}");
            head.find(&key)
                .map(|i| {
                    let rest = &head[i + key.len()..];
                    rest[..rest.find('"').unwrap_or(0)].to_string()
                })
                .unwrap_or_default()
        };
        let (id, cc) = (attr("id"), attr("countryCode"));
        for (tag, want) in [
            ("fixedLine", "FIXED_LINE"),
            ("mobile", "MOBILE"),
            ("tollFree", "TOLL_FREE"),
            ("premiumRate", "PREMIUM_RATE"),
            ("sharedCost", "SHARED_COST"),
            ("personalNumber", "PERSONAL_NUMBER"),
            ("voip", "VOIP"),
            ("pager", "PAGER"),
            ("uan", "UAN"),
            ("voicemail", "VOICEMAIL"),
        ] {
            let Some(start) = territory.find(&format!("<{tag}>")) else {
                continue;
            };
            let body = &territory[start
                ..territory[start..]
                    .find(&format!("</{tag}>"))
                    .map_or(start, |e| start + e)];
            let Some(ex) = body.find("<exampleNumber>") else {
                continue;
            };
            let ex = &body[ex + 15..];
            let example = &ex[..ex.find('<').unwrap_or(0)];
            let input = format!("+{cc}{example}");
            checked += 1;
            match parse(&input, None) {
                Ok(n) => {
                    let got = n.number_type.map_or("", NumberType::as_str);
                    // FIXED_LINE_OR_MOBILE is the right answer for both where the patterns overlap.
                    let type_ok = got == want
                        || (got == "FIXED_LINE_OR_MOBILE"
                            && (want == "FIXED_LINE" || want == "MOBILE"));
                    // A number valid in several regions of a shared code (+1 800, +39 06 698 for VA)
                    // is libphonenumber's first region's; it must still be valid in its own.
                    let own = parse::type_in_region(n.country_code, example, &id)
                        .map_or("", NumberType::as_str);
                    let region_ok =
                        n.region == id || own == want || (own == "FIXED_LINE_OR_MOBILE" && type_ok);
                    if !region_ok || !type_ok || n.national_number != example {
                        failures.push(format!(
                            "{id} {tag} {input}: got {} {got} {}",
                            n.region, n.national_number
                        ));
                    }
                }
                Err(e) => failures.push(format!("{id} {tag} {input}: {e}")),
            }
        }
    }
    assert!(checked > 1000, "only {checked} example numbers found");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A small deterministic generator (xorshift), so the robustness test needs no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Nothing panics: arbitrary strings (unicode, separators, huge, empty), with and without regions.
#[test]
fn arbitrary_strings_never_panic() {
    let alphabet: Vec<char> =
        "0123456789012345678901234567890123456789+-. /()#xXe;*٣𝟘\u{a0}\u{0}é中🙂\t\n"
            .chars()
            .collect();
    let regions = [
        None,
        Some("GH"),
        Some("US"),
        Some("AR"),
        Some("BR"),
        Some("JP"),
        Some("GB"),
        Some("x"),
        Some(""),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..100_000 {
        let len = match rng.below(10) {
            0 => rng.below(400),
            _ => rng.below(24),
        };
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let region = regions[rng.below(regions.len())];
        let _ = parse(&s, region);
        let digits: String = (0..rng.below(22))
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        for prefix in ["+", "00", "011", "0", ""] {
            if let Ok(n) = parse(&format!("{prefix}{digits}"), region) {
                assert!(n.e164().len() <= 16, "{n:?}");
                assert!(is_valid(&n.e164(), None), "{n:?} does not round-trip");
            }
        }
    }
    assert!(parse(&"9".repeat(1 << 20), None).is_err());
    assert!(parse(&"+".repeat(1000), None).is_err());
    assert!(parse("", Some(&"Z".repeat(10_000))).is_err());
}

/// Disagreements with libphonenumber that are decisions, not bugs: the E.164 limit of 15 digits,
/// which libphonenumber does not apply (it accepts 14-digit national numbers after a 2- or
/// 3-digit calling code where its patterns allow them).
fn explained(row: &[&str]) -> Option<&'static str> {
    let e164_digits = row.get(3).map_or(0, |e| e.len().saturating_sub(1));
    if row.get(2) == Some(&"1") && e164_digits > 15 {
        return Some("over 15 digits (E.164): rejected by design");
    }
    None
}

/// Differential test against PyPI `phonenumbers` 9.0.35 on ≥ 100,000 generated numbers.
///
/// Needs the corpus from `tools/phonegen/oracle/setup.sh` (target/phone-oracle.tsv, or the path
/// in `PHONE_ORACLE_TSV`); run with `cargo test --lib phone -- --ignored`.
#[test]
#[ignore = "needs the corpus from tools/phonegen/oracle/setup.sh"]
fn agrees_with_libphonenumber() {
    let path = std::env::var("PHONE_ORACLE_TSV").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/phone-oracle.tsv").to_string()
    });
    let corpus = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run tools/phonegen/oracle/setup.sh first"));
    let (mut total, mut agree, mut valid) = (0usize, 0usize, 0usize);
    let mut explained_count: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut unexplained = Vec::new();
    for line in corpus.lines() {
        let row: Vec<&str> = line.split('\t').collect();
        let [input, region, want_valid, want_e164, want_region, want_type] = row[..] else {
            panic!("bad corpus line {line:?}")
        };
        total += 1;
        let region_arg = (!region.is_empty()).then_some(region);
        let got = parse(input, region_arg);
        let same = match (&got, want_valid) {
            (Ok(n), "1") => {
                n.e164() == want_e164
                    && n.region == want_region
                    && n.number_type.map_or("", NumberType::as_str) == want_type
            }
            (Err(_), "0") => true,
            _ => false,
        };
        valid += usize::from(want_valid == "1");
        if same {
            agree += 1;
        } else if let Some(why) = explained(&row) {
            *explained_count.entry(why).or_default() += 1;
        } else {
            unexplained.push(format!("{line}  => ours: {got:?}"));
        }
    }
    let rate = agree as f64 / total as f64;
    eprintln!(
        "phone differential: {agree}/{total} agree ({:.4}%), {valid} valid per libphonenumber; explained: {explained_count:?}",
        rate * 100.0
    );
    assert!(total >= 100_000, "corpus has only {total} numbers");
    assert!(rate >= 0.999, "agreement {rate} under 99.9%");
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Native throughput of `is_valid` over the corpus (run with `--ignored --nocapture`, in release).
#[test]
#[ignore = "a measurement, not a check"]
fn measure_validations_per_second() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/phone-oracle.tsv");
    let corpus = std::fs::read_to_string(path).unwrap_or_default();
    let inputs: Vec<&str> = corpus
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|s| s.starts_with('+'))
        .collect();
    assert!(
        !inputs.is_empty(),
        "run tools/phonegen/oracle/setup.sh first"
    );
    let _ = is_valid(inputs[0], None);
    let start = std::time::Instant::now();
    let mut valid = 0;
    for _ in 0..5 {
        valid += inputs.iter().filter(|s| is_valid(s, None)).count();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = inputs.len() * 5;
    eprintln!(
        "is_valid: {n} calls in {secs:.3} s = {:.0}/s ({valid} valid)",
        n as f64 / secs
    );
}
