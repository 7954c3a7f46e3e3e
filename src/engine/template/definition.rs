//! Checks a template definition before `POST /v1/whatsapp/templates`, so a mistake costs
//! neither a request nor one of the 100 daily creations (reference §6.2, draft rules from
//! §6.2's list).
//!
//! Rules: `name` lowercase letters, digits and `_` (≤ 512); `category` `MARKETING`, `UTILITY` or
//! `AUTHENTICATION`; `language` a WhatsApp template locale (`en`, `en_US`, …); `components` with
//! exactly one `BODY` (≤ 1,024 characters, variables `{{1}}`…`{{n}}` numbered without gaps, at
//! most 10), at most one `HEADER` (`TEXT` ≤ 60 with at most `{{1}}`, or a media format), `FOOTER`
//! (≤ 60, no variables) and `BUTTONS` (1–3 of `QUICK_REPLY`, `URL` (https, one trailing
//! `{{1}}` at most) and `PHONE_NUMBER`, text ≤ 25). Every problem is reported
//! (`INVALID_TEMPLATE` with `issues`); the result is normalised (enum values uppercased, a
//! `{ code }` language flattened). Fields this SDK does not know pass through untouched.
//!
//! ```
//! use sendexa_whatsapp::engine::template::validate_definition;
//! use sendexa_whatsapp::engine::json::parse;
//!
//! let ok = parse(r#"{"name":"order_update","category":"utility","language":"en_US",
//!   "components":[{"type":"body","text":"Hi {{1}}, order {{2}} shipped"}]}"#).unwrap();
//! let def = validate_definition(&ok).unwrap();
//! assert_eq!(def.get("category").and_then(|c| c.as_str()), Some("UTILITY"));
//!
//! let gap = parse(r#"{"name":"x","category":"UTILITY","language":"en",
//!   "components":[{"type":"BODY","text":"Hi {{1}} and {{3}}"}]}"#).unwrap();
//! let err = validate_definition(&gap).unwrap_err();
//! assert_eq!((err.code(), err.issues()[0].path.as_str()), ("INVALID_TEMPLATE", "components[0].text"));
//! ```

use super::limits::{
    BODY_MAX, BODY_VARIABLES_MAX, BUTTONS_MAX, BUTTON_PHONE_MAX, BUTTON_TEXT_MAX, BUTTON_URL_MAX,
    CHOICE_MAX, HEADER_FOOTER_MAX, LANGUAGE_MAX, NAME_MAX,
};
use super::locales;
use super::variables::{is_name, scan, Variable};
use crate::engine::error::{Error, IssueList};
use crate::engine::fields::utf16_len;
use crate::engine::json::Value;

const CATEGORIES: [&str; 3] = ["MARKETING", "UTILITY", "AUTHENTICATION"];
const HEADER_FORMATS: [&str; 5] = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];
const BUTTON_TYPES: [&str; 3] = ["QUICK_REPLY", "URL", "PHONE_NUMBER"];

/// The definition's issues, and whether it declares `parameter_format: "NAMED"`.
struct Checker {
    issues: IssueList,
    named: bool,
}

impl Checker {
    /// A required non-empty string of at most `max` UTF-16 units.
    fn text<'a>(&mut self, v: Option<&'a Value>, path: &str, max: usize) -> Option<&'a str> {
        match v {
            None => {
                self.issues
                    .issue(path, "REQUIRED", format!("{path} is required"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.issues
                    .issue(path, "EMPTY", format!("{path} must not be empty"));
                None
            }
            Some(Value::String(s)) => {
                let len = utf16_len(s);
                if len > max {
                    self.issues.limit(
                        path,
                        "TOO_LONG",
                        format!("{path} is {len} characters; the limit is {max}"),
                        max,
                    );
                }
                Some(s)
            }
            Some(other) => {
                self.issues.issue(
                    path,
                    "INVALID_TYPE",
                    format!("{path} must be a string, not {}", other.type_name()),
                );
                None
            }
        }
    }

    /// An enum member, case-insensitive; returns it uppercased.
    fn choice(&mut self, v: Option<&Value>, path: &str, allowed: &[&str]) -> Option<String> {
        let s = self.text(v, path, CHOICE_MAX)?;
        let upper = s.trim().to_ascii_uppercase();
        if allowed.contains(&upper.as_str()) {
            Some(upper)
        } else {
            self.issues.issue(
                path,
                "INVALID_VALUE",
                format!("{path} must be one of {}", allowed.join(", ")),
            );
            None
        }
    }

    /// The numbered variables in `text` (`{{1}}`, `{{ 2 }}`), reporting malformed ones; named
    /// ones (Meta's rule, [`is_name`]) pass without a number when the definition is `NAMED`.
    fn variables(&mut self, text: &str, path: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for var in scan(text) {
            let inner = match var {
                Variable::Positional {
                    number: Some(n), ..
                } => {
                    out.push(n);
                    continue;
                }
                // A name by Meta's rule (digits alone are one, too long to be a number).
                Variable::Named(_) | Variable::Positional { .. } if self.named => continue,
                Variable::Positional { digits: s, .. }
                | Variable::Named(s)
                | Variable::Malformed(s) => s,
                Variable::Unclosed => {
                    self.issues.issue(
                        path,
                        "INVALID_FORMAT",
                        format!("{path} has a {{{{ without a closing }}}}"),
                    );
                    break;
                }
            };
            self.issues.issue(
                path,
                "INVALID_FORMAT",
                format!("{path} has the variable {{{{{inner}}}}}; variables are numbered: {{{{1}}}}, {{{{2}}}}, …"),
            );
        }
        out
    }

    /// Variables must be exactly `1..=n` (repeats allowed).
    fn numbered_without_gaps(&mut self, vars: &[u64], path: &str, max: usize) {
        let mut distinct = vars.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > max {
            self.issues.limit(
                path,
                "TOO_MANY",
                format!(
                    "{path} has {} variables; the limit is {max}",
                    distinct.len()
                ),
                max,
            );
            return;
        }
        let expected: Vec<u64> = (1..=distinct.len() as u64).collect();
        if distinct != expected {
            let listed: Vec<String> = distinct.iter().map(|n| format!("{{{{{n}}}}}")).collect();
            self.issues.issue(
                path,
                "INVALID_VALUE",
                format!(
                    "{path} uses {}; variables must be numbered {{{{1}}}} to {{{{n}}}} without gaps",
                    listed.join(", ")
                ),
            );
        }
    }
}

/// Checks a template definition and returns it normalised, or `INVALID_TEMPLATE` with every issue.
pub fn validate_definition(def: &Value) -> Result<Value, Error> {
    if !matches!(def, Value::Object(_)) {
        let mut issues = IssueList::default();
        issues.issue(
            "",
            "INVALID_TYPE",
            format!(
                "createTemplate takes a template definition object {{ name, category, language, components }}, not {}",
                def.type_name()
            ),
        );
        return Err(Error::InvalidTemplate {
            issues: issues.into_issues(),
        });
    }
    let named = def
        .get("parameter_format")
        .or_else(|| def.get("parameterFormat"))
        .and_then(Value::as_str)
        .is_some_and(|f| f.eq_ignore_ascii_case("named"));
    let mut c = Checker {
        issues: IssueList::default(),
        named,
    };
    let mut out = def.clone();

    if let Some(name) = c.text(def.get("name"), "name", NAME_MAX) {
        if !is_name(name) {
            c.issues.issue(
                "name",
                "INVALID_FORMAT",
                "name may use only lowercase letters, digits and underscores",
            );
        }
    }
    if let Some(category) = c.choice(def.get("category"), "category", &CATEGORIES) {
        out.set("category", Value::from(category));
    }
    language(&mut c, def, &mut out);

    match def.get("components") {
        None => c.issues.issue(
            "components",
            "REQUIRED",
            "components is required, with one BODY component at least",
        ),
        Some(Value::Array(list)) if list.is_empty() => c.issues.issue(
            "components",
            "EMPTY",
            "components must hold one BODY component at least",
        ),
        Some(Value::Array(list)) => {
            let normalised = components(&mut c, list);
            out.set("components", Value::Array(normalised));
        }
        Some(other) => c.issues.issue(
            "components",
            "INVALID_TYPE",
            format!("components must be an array, not {}", other.type_name()),
        ),
    }

    if c.issues.listed().is_empty() {
        Ok(out)
    } else {
        Err(Error::InvalidTemplate {
            issues: c.issues.into_issues(),
        })
    }
}

/// `language`, a WhatsApp template locale (or `{ code }`), flattened into `out`.
fn language(c: &mut Checker, def: &Value, out: &mut Value) {
    let language = match def.get("language") {
        Some(Value::Object(_)) => def.get("language").and_then(|l| l.get("code")),
        other => other,
    };
    if let Some(code) = c.text(language, "language", LANGUAGE_MAX) {
        if locales::is_template_locale(code) {
            out.set("language", Value::from(code));
        } else {
            let hint = locales::suggest(code)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            c.issues.issue(
                "language",
                "UNKNOWN_LANGUAGE",
                format!("language \"{code}\" is not a WhatsApp template language{hint}"),
            );
        }
    }
}

fn components(c: &mut Checker, list: &[Value]) -> Vec<Value> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, comp) in list.iter().enumerate() {
        let path = format!("components[{i}]");
        if !matches!(comp, Value::Object(_)) {
            c.issues
                .issue(&path, "INVALID_TYPE", format!("{path} must be an object"));
            out.push(comp.clone());
            continue;
        }
        let mut norm = comp.clone();
        let type_path = format!("{path}.type");
        if let Some(kind) = c.choice(
            comp.get("type"),
            &type_path,
            &["HEADER", "BODY", "FOOTER", "BUTTONS"],
        ) {
            if seen.contains(&kind) {
                c.issues.issue(
                    &type_path,
                    "DUPLICATE",
                    format!("only one {kind} component is allowed"),
                );
            }
            norm.set("type", Value::from(kind.as_str()));
            component(c, comp, &path, &kind, &mut norm);
            seen.push(kind);
        }
        out.push(norm);
    }
    if !seen.iter().any(|k| k == "BODY") {
        c.issues.issue(
            "components",
            "MISSING_COMPONENT",
            "components must include a BODY component",
        );
    }
    out
}

/// One component of type `kind` at `path`, its normalised copy in `norm`.
fn component(c: &mut Checker, comp: &Value, path: &str, kind: &str, norm: &mut Value) {
    let text_path = format!("{path}.text");
    match kind {
        "HEADER" => {
            if let Some(format) = c.choice(
                comp.get("format"),
                &format!("{path}.format"),
                &HEADER_FORMATS,
            ) {
                if format == "TEXT" {
                    if let Some(text) = c.text(comp.get("text"), &text_path, HEADER_FOOTER_MAX) {
                        let vars = c.variables(text, &text_path);
                        if vars.len() > 1 || vars.iter().any(|n| *n != 1) {
                            c.issues.issue(
                                &text_path,
                                "INVALID_VALUE",
                                format!("{text_path} may hold one variable only, {{{{1}}}}"),
                            );
                        }
                    }
                }
                norm.set("format", Value::from(format));
            }
        }
        "BODY" => {
            if let Some(text) = c.text(comp.get("text"), &text_path, BODY_MAX) {
                let vars = c.variables(text, &text_path);
                c.numbered_without_gaps(&vars, &text_path, BODY_VARIABLES_MAX);
            }
        }
        "FOOTER" => {
            if let Some(text) = c.text(comp.get("text"), &text_path, HEADER_FOOTER_MAX) {
                if !c.variables(text, &text_path).is_empty() {
                    c.issues.issue(
                        &text_path,
                        "INVALID_VALUE",
                        format!("{text_path} may not hold variables"),
                    );
                }
            }
        }
        _ => {
            let buttons_path = format!("{path}.buttons");
            if let Some(b) = buttons(c, comp.get("buttons"), &buttons_path) {
                norm.set("buttons", Value::Array(b));
            }
        }
    }
}

fn buttons(c: &mut Checker, v: Option<&Value>, path: &str) -> Option<Vec<Value>> {
    let list = match v {
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(Value::Array(_)) => {
            c.issues.issue(
                path,
                "EMPTY",
                format!("{path} must hold 1 to {BUTTONS_MAX} buttons"),
            );
            return None;
        }
        None => {
            c.issues.issue(
                path,
                "REQUIRED",
                format!("{path} is required for a BUTTONS component"),
            );
            return None;
        }
        Some(other) => {
            c.issues.issue(
                path,
                "INVALID_TYPE",
                format!("{path} must be an array, not {}", other.type_name()),
            );
            return None;
        }
    };
    if list.len() > BUTTONS_MAX {
        c.issues.limit(
            path,
            "TOO_MANY",
            format!(
                "{path} has {} buttons; the limit is {BUTTONS_MAX}",
                list.len()
            ),
            BUTTONS_MAX,
        );
    }
    let mut out = Vec::with_capacity(list.len());
    for (j, b) in list.iter().enumerate() {
        out.push(button(c, b, &format!("{path}[{j}]")));
    }
    Some(out)
}

/// One button at `bp`, normalised.
fn button(c: &mut Checker, b: &Value, bp: &str) -> Value {
    if !matches!(b, Value::Object(_)) {
        c.issues
            .issue(bp, "INVALID_TYPE", format!("{bp} must be an object"));
        return b.clone();
    }
    let mut norm = b.clone();
    c.text(b.get("text"), &format!("{bp}.text"), BUTTON_TEXT_MAX);
    let kind = c.choice(b.get("type"), &format!("{bp}.type"), &BUTTON_TYPES);
    match kind.as_deref() {
        Some("URL") => url_button(c, b, &format!("{bp}.url")),
        Some("PHONE_NUMBER") => {
            let p = format!("{bp}.phone_number");
            if let Some(phone) = c.text(b.get("phone_number"), &p, BUTTON_PHONE_MAX) {
                let digits = phone.strip_prefix('+').unwrap_or(phone);
                if !(8..=15).contains(&digits.len())
                    || !digits.bytes().all(|d| d.is_ascii_digit())
                    || digits.starts_with('0')
                {
                    c.issues.issue(
                        &p,
                        "INVALID_PHONE",
                        format!(
                            "{p} must be a phone number with its country code, e.g. +233244000000"
                        ),
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(kind) = kind {
        norm.set("type", Value::from(kind));
    }
    norm
}

/// A URL button's `url`: absolute `https://`, with at most `{{1}}`, at its end.
fn url_button(c: &mut Checker, b: &Value, url_path: &str) {
    let Some(url) = c.text(b.get("url"), url_path, BUTTON_URL_MAX) else {
        return;
    };
    let vars = c.variables(url, url_path);
    let https = url.len() > 8
        && url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    if !https {
        c.issues.issue(
            url_path,
            "INVALID_URL",
            format!("{url_path} must be an absolute https:// URL"),
        );
    } else if match vars.as_slice() {
        [] => false,
        [1] => !url.trim_end().ends_with("}}"),
        _ => true,
    } {
        c.issues.issue(
            url_path,
            "INVALID_VALUE",
            format!("{url_path} may hold one variable, {{{{1}}}}, at its end"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::json::parse;

    fn issues(json: &str) -> Vec<(String, &'static str)> {
        match validate_definition(&parse(json).unwrap()) {
            Ok(_) => Vec::new(),
            Err(e) => {
                assert_eq!(e.code(), "INVALID_TEMPLATE");
                e.issues()
                    .iter()
                    .map(|i| (i.path.clone(), i.code))
                    .collect()
            }
        }
    }

    #[test]
    fn a_full_definition_passes_and_is_normalised() {
        let def = parse(
            r#"{"name":"order_confirmation_2","category":"utility","language":{"code":"en_US"},
          "allow_category_change":true,
          "components":[
            {"type":"header","format":"text","text":"Order {{1}}"},
            {"type":"BODY","text":"Hi {{1}}, order {{2}} of {{3}} ships {{2}}."},
            {"type":"FOOTER","text":"Reply STOP to opt out"},
            {"type":"BUTTONS","buttons":[
              {"type":"url","text":"Track","url":"https://shop.example.com/t/{{1}}"},
              {"type":"QUICK_REPLY","text":"Help"},
              {"type":"PHONE_NUMBER","text":"Call","phone_number":"+233244000000"}]}]}"#,
        )
        .unwrap();
        let out = validate_definition(&def).unwrap();
        assert_eq!(out.get("language").and_then(Value::as_str), Some("en_US"));
        assert_eq!(out.get("allow_category_change"), Some(&Value::Bool(true)));
        let comps = out.get("components").and_then(Value::as_array).unwrap();
        assert_eq!(comps[0].get("type").and_then(Value::as_str), Some("HEADER"));
        assert_eq!(comps[0].get("format").and_then(Value::as_str), Some("TEXT"));
        let first_button = comps[3].get("buttons").and_then(|b| b.index(0)).unwrap();
        assert_eq!(
            first_button.get("type").and_then(Value::as_str),
            Some("URL")
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let got = issues(
            r#"{"name":"Bad Name","category":"PROMO","language":"en-US","components":[
            {"type":"HEADER","format":"GIF"},
            {"type":"BODY","text":"Hi {{1}} {{3}}"},
            {"type":"BODY","text":"again"},
            {"type":"FOOTER","text":"no {{1}}"},
            {"type":"BUTTONS","buttons":[{"type":"URL","text":"Go","url":"http://x.example/{{1}}"},
               {"type":"URL","text":"Go","url":"https://x.example/{{1}}/{{2}}"},
               {"type":"CALL","text":"A text that is far too long for a button"},
               {"type":"QUICK_REPLY","text":"4"}]},
            {"type":"STICKER"}, 5]}"#,
        );
        let want = [
            ("name", "INVALID_FORMAT"),
            ("category", "INVALID_VALUE"),
            ("language", "UNKNOWN_LANGUAGE"),
            ("components[0].format", "INVALID_VALUE"),
            ("components[1].text", "INVALID_VALUE"),
            ("components[2].type", "DUPLICATE"),
            ("components[3].text", "INVALID_VALUE"),
            ("components[4].buttons", "TOO_MANY"),
            ("components[4].buttons[0].url", "INVALID_URL"),
            ("components[4].buttons[1].url", "INVALID_VALUE"),
            ("components[4].buttons[2].text", "TOO_LONG"),
            ("components[4].buttons[2].type", "INVALID_VALUE"),
            ("components[5].type", "INVALID_VALUE"),
            ("components[6]", "INVALID_TYPE"),
        ];
        for w in want {
            assert!(
                got.iter().any(|(p, c)| p == w.0 && *c == w.1),
                "missing {w:?} in {got:?}"
            );
        }
    }

    #[test]
    fn variables_are_numbered_from_one_without_gaps() {
        let body = |t: &str| {
            format!(
                r#"{{"name":"n","category":"UTILITY","language":"en","components":[{{"type":"BODY","text":"{t}"}}]}}"#
            )
        };
        assert!(issues(&body("Hi {{1}} and {{2}} and {{1}}")).is_empty());
        assert!(issues(&body("Hi {{ 1 }}")).is_empty());
        assert!(issues(&body("no variables")).is_empty());
        assert_eq!(
            issues(&body("Hi {{2}}")),
            vec![("components[0].text".into(), "INVALID_VALUE")]
        );
        assert_eq!(
            issues(&body("Hi {{0}} {{1}}")),
            vec![("components[0].text".into(), "INVALID_VALUE")]
        );
        assert_eq!(
            issues(&body("Hi {{name}}")),
            vec![("components[0].text".into(), "INVALID_FORMAT")]
        );
        assert_eq!(
            issues(&body("Hi {{1")),
            vec![("components[0].text".into(), "INVALID_FORMAT")]
        );
        let many: String = (1..=11).map(|n| format!("{{{{{n}}}}} ")).collect();
        assert_eq!(
            issues(&body(&many)),
            vec![("components[0].text".into(), "TOO_MANY")]
        );
        // Named parameters are allowed when the definition says so.
        let named = r#"{"name":"n","category":"UTILITY","language":"en","parameter_format":"NAMED","components":[{"type":"BODY","text":"Hi {{first_name}}"}]}"#;
        assert!(issues(named).is_empty());
    }

    #[test]
    fn required_fields_and_wrong_types() {
        let got = issues(r#"{"components":[]}"#);
        for w in [
            ("name", "REQUIRED"),
            ("category", "REQUIRED"),
            ("language", "REQUIRED"),
            ("components", "EMPTY"),
        ] {
            assert!(
                got.iter().any(|(p, c)| p == w.0 && *c == w.1),
                "{w:?} {got:?}"
            );
        }
        let got = issues(
            r#"{"name":1,"category":"UTILITY","language":"en","components":[{"type":"HEADER","format":"IMAGE"}]}"#,
        );
        assert!(got.contains(&("name".into(), "INVALID_TYPE")));
        assert!(got.contains(&("components".into(), "MISSING_COMPONENT")));
        for not_object in [Value::Null, Value::from("x"), Value::Array(Vec::new())] {
            let err = validate_definition(&not_object).unwrap_err();
            assert_eq!(err.code(), "INVALID_TEMPLATE");
            let paths: Vec<_> = err
                .issues()
                .iter()
                .map(|i| (i.path.as_str(), i.code))
                .collect();
            assert_eq!(paths, vec![("", "INVALID_TYPE")]);
        }
        let long = format!(
            r#"{{"name":"n","category":"UTILITY","language":"en","components":[{{"type":"BODY","text":"{}"}}]}}"#,
            "x".repeat(1025)
        );
        assert_eq!(
            issues(&long),
            vec![("components[0].text".into(), "TOO_LONG")]
        );
    }
}
