//! Template messages: the `template` object itself, and its parameters checked against a
//! template definition (the check that catches Meta's error 132000 before sending).

use super::limits as lim;
use super::locales;
use super::variables::{is_name, scan, Variable};
use crate::core::error::{Issue, IssueList};
use crate::core::fields::{array, at, join, keys, media, object, text};
use crate::core::json::Value;
use crate::core::media::MediaKind;

/// Validates `template` and returns it normalised (`language` as `{ "code": … }`).
pub(crate) fn validate(ctx: &mut IssueList, t: &Value, def: Option<&Value>) -> Value {
    let mut out = t.clone();
    keys(ctx, t, "template", &["name", "language", "components"]);
    let name = text(ctx, t.get("name"), "template.name", true, lim::NAME_MAX);
    if let Some(name) = name {
        if !name.is_empty() && !is_name(name) {
            ctx.issue(
                "template.name",
                "INVALID_FORMAT",
                "template.name may use only lowercase letters, digits and underscores",
            );
        }
    }
    let code = language(ctx, t.get("language"));
    if let (Some(code), Some(Value::String(_))) = (code, t.get("language")) {
        out.set("language", Value::object([("code", Value::from(code))]));
    }
    let components = array(ctx, t.get("components"), "template.components", false).unwrap_or(&[]);
    let parsed = components_of(ctx, components);
    if let Some(def) = def {
        check_against(ctx, def, name, code, &parsed);
    }
    out
}

/// The language code, from `"en_US"` or `{ code: "en_US", policy?: "deterministic" }`.
fn language<'a>(ctx: &mut IssueList, v: Option<&'a Value>) -> Option<&'a str> {
    let (code, path) = match v {
        None => {
            ctx.issue(
                "template.language",
                "REQUIRED",
                "template.language is required, e.g. \"en_US\"",
            );
            return None;
        }
        Some(Value::String(s)) => (s.as_str(), "template.language"),
        Some(o @ Value::Object(_)) => {
            keys(ctx, o, "template.language", &["code", "policy"]);
            if let Some(p) = o.get("policy") {
                if p.as_str() != Some("deterministic") {
                    ctx.issue(
                        "template.language.policy",
                        "INVALID_VALUE",
                        "template.language.policy must be \"deterministic\" (or left out)",
                    );
                }
            }
            match text(
                ctx,
                o.get("code"),
                "template.language.code",
                true,
                usize::MAX,
            ) {
                Some(c) => (c, "template.language.code"),
                None => return None,
            }
        }
        Some(other) => {
            ctx.issue("template.language", "INVALID_TYPE", format!("template.language must be a string such as \"en_US\" or {{ code: \"en_US\" }}, not {}", other.type_name()));
            return None;
        }
    };
    if code.is_empty() {
        if path == "template.language" {
            ctx.issue(path, "EMPTY", "template.language must not be empty");
        }
        return None;
    }
    if !locales::is_template_locale(code) {
        let hint = locales::suggest(code)
            .map(|s| format!("; did you mean {s:?}?"))
            .unwrap_or_default();
        ctx.issue(
            path,
            "UNKNOWN_LANGUAGE",
            format!("{code:?} is not a WhatsApp template language{hint}"),
        );
        return None;
    }
    Some(code)
}

/// What a component of the message supplies.
struct Component<'a> {
    /// Its index in `template.components`.
    index: usize,
    kind: &'a str,
    sub_type: Option<&'a str>,
    button_index: Option<u64>,
    params: &'a [Value],
}

fn components_of<'a>(ctx: &mut IssueList, components: &'a [Value]) -> Vec<Component<'a>> {
    let mut out: Vec<Component<'a>> = Vec::new();
    let only_body = components.len() == 1;
    for (i, c) in components.iter().enumerate() {
        let path = at("template.components", i);
        let Some(c) = object(ctx, Some(c), &path, true) else {
            continue;
        };
        let tpath = join(&path, "type");
        let kind = match c.get("type") {
            None => {
                ctx.issue(
                    &tpath,
                    "REQUIRED",
                    format!("{tpath} is required: header, body or button"),
                );
                continue;
            }
            Some(Value::String(s)) if matches!(s.as_str(), "header" | "body" | "button") => {
                s.as_str()
            }
            Some(Value::String(s)) => {
                let hint = if matches!(
                    s.to_ascii_lowercase().as_str(),
                    "header" | "body" | "button" | "buttons"
                ) {
                    " (use lowercase header, body or button; BUTTONS is the definition's name)"
                } else {
                    ""
                };
                ctx.issue(
                    &tpath,
                    "INVALID_VALUE",
                    format!("{tpath} {s:?} is not header, body or button{hint}"),
                );
                continue;
            }
            Some(other) => {
                ctx.issue(
                    &tpath,
                    "INVALID_TYPE",
                    format!("{tpath} must be a string, not {}", other.type_name()),
                );
                continue;
            }
        };
        let (mut sub_type, mut button_index) = (None, None);
        if kind == "button" {
            keys(ctx, c, &path, &["type", "sub_type", "index", "parameters"]);
            let spath = join(&path, "sub_type");
            sub_type = match c.get("sub_type") {
                None => {
                    ctx.issue(
                        &spath,
                        "REQUIRED",
                        format!("{spath} is required: quick_reply, url or copy_code"),
                    );
                    None
                }
                Some(Value::String(s))
                    if matches!(s.as_str(), "quick_reply" | "url" | "copy_code") =>
                {
                    Some(s.as_str())
                }
                Some(_) => {
                    ctx.issue(
                        &spath,
                        "INVALID_VALUE",
                        format!("{spath} must be quick_reply, url or copy_code"),
                    );
                    None
                }
            };
            let ipath = join(&path, "index");
            // Meta documents the index as a number or a numeric string, 0–9.
            button_index = match c.get("index") {
                None => {
                    ctx.issue(
                        &ipath,
                        "REQUIRED",
                        format!("{ipath} is required: the button's position, 0–9"),
                    );
                    None
                }
                Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v <= 9) => n.as_u64(),
                Some(Value::String(s)) if s.len() == 1 && s.bytes().all(|b| b.is_ascii_digit()) => {
                    s.parse().ok()
                }
                Some(_) => {
                    ctx.issue(
                        &ipath,
                        "INVALID_VALUE",
                        format!("{ipath} must be a whole number from 0 to 9"),
                    );
                    None
                }
            };
            if let Some(n) = button_index {
                if out
                    .iter()
                    .any(|o| o.kind == "button" && o.button_index == Some(n))
                {
                    ctx.issue(
                        &ipath,
                        "DUPLICATE",
                        format!("two button components have index {n}"),
                    );
                }
            }
        } else {
            keys(ctx, c, &path, &["type", "parameters"]);
            if out.iter().any(|o| o.kind == kind) {
                ctx.issue(
                    &tpath,
                    "DUPLICATE",
                    format!("a template has at most one {kind} component"),
                );
            }
        }
        let ppath = join(&path, "parameters");
        let params = array(ctx, c.get("parameters"), &ppath, true).unwrap_or(&[]);
        if c.get("parameters")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            ctx.limit(
                &ppath,
                "TOO_FEW",
                format!("{ppath} needs at least 1 parameter (leave the component out instead)"),
                1,
            );
        }
        let allowed: &[&str] = match (kind, sub_type) {
            ("header", _) => &[
                "text",
                "currency",
                "date_time",
                "image",
                "video",
                "document",
            ],
            ("body", _) => &["text", "currency", "date_time"],
            (_, Some("quick_reply")) => &["payload"],
            (_, Some("url")) => &["text"],
            (_, Some("copy_code")) => &["coupon_code"],
            _ => &["text", "payload", "coupon_code"],
        };
        if (kind == "header" || kind == "button") && params.len() > 1 {
            ctx.limit(
                &ppath,
                "TOO_MANY",
                format!(
                    "a {kind} component takes 1 parameter; {} given",
                    params.len()
                ),
                1,
            );
        }
        let text_max = match kind {
            "header" => lim::HEADER_PARAM_MAX,
            "body" if only_body => lim::BODY_ONLY_PARAM_MAX,
            "body" => lim::BODY_PARAM_MAX,
            _ => usize::MAX,
        };
        let mut named = 0usize;
        for (p, param) in params.iter().enumerate() {
            if parameter(ctx, param, &at(&ppath, p), allowed, text_max) {
                named = named.saturating_add(1);
            }
        }
        if named > 0 && named < params.len() {
            ctx.issue(
                &ppath,
                "INVALID_VALUE",
                format!(
                    "{ppath} mixes named (parameter_name) and positional parameters; use one style"
                ),
            );
        }
        out.push(Component {
            index: i,
            kind,
            sub_type,
            button_index,
            params,
        });
    }
    out
}

/// Checks one parameter; returns whether it is named.
fn parameter(
    ctx: &mut IssueList,
    p: &Value,
    path: &str,
    allowed: &[&str],
    text_max: usize,
) -> bool {
    let Some(p) = object(ctx, Some(p), path, true) else {
        return false;
    };
    let tpath = join(path, "type");
    let ty = match p.get("type") {
        None => {
            ctx.issue(
                &tpath,
                "REQUIRED",
                format!("{tpath} is required: {}", allowed.join(", ")),
            );
            None
        }
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Some(s.as_str()),
        Some(Value::String(s)) => {
            ctx.issue(
                &tpath,
                "INVALID_VALUE",
                format!(
                    "{tpath} {s:?} is not allowed here; use {}",
                    allowed.join(", ")
                ),
            );
            None
        }
        Some(other) => {
            ctx.issue(
                &tpath,
                "INVALID_TYPE",
                format!("{tpath} must be a string, not {}", other.type_name()),
            );
            None
        }
    };
    let named = p.get("parameter_name").is_some();
    if let Some(name) = text(
        ctx,
        p.get("parameter_name"),
        &join(path, "parameter_name"),
        false,
        usize::MAX,
    ) {
        if !name.is_empty() && !is_name(name) {
            ctx.issue(
                &join(path, "parameter_name"),
                "INVALID_FORMAT",
                "parameter_name may use only lowercase letters, digits and underscores",
            );
        }
    }
    let Some(ty) = ty else {
        keys(
            ctx,
            p,
            path,
            &[
                "type",
                "parameter_name",
                "text",
                "currency",
                "date_time",
                "image",
                "video",
                "document",
                "payload",
                "coupon_code",
            ],
        );
        return named;
    };
    keys(ctx, p, path, &["type", "parameter_name", ty]);
    let vpath = join(path, ty);
    match ty {
        "text" => {
            text(ctx, p.get("text"), &vpath, true, text_max);
        }
        "payload" => {
            text(ctx, p.get("payload"), &vpath, true, usize::MAX);
        }
        "coupon_code" => {
            text(
                ctx,
                p.get("coupon_code"),
                &vpath,
                true,
                lim::COUPON_CODE_MAX,
            );
        }
        "currency" => {
            if let Some(c) = object(ctx, p.get("currency"), &vpath, true) {
                keys(ctx, c, &vpath, &["fallback_value", "code", "amount_1000"]);
                text(
                    ctx,
                    c.get("fallback_value"),
                    &join(&vpath, "fallback_value"),
                    true,
                    usize::MAX,
                );
                let cpath = join(&vpath, "code");
                if let Some(code) = text(ctx, c.get("code"), &cpath, true, usize::MAX) {
                    let iso = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
                    if !code.is_empty() && !iso {
                        ctx.issue(
                            &cpath,
                            "INVALID_FORMAT",
                            format!("{cpath} must be an ISO 4217 code such as \"GHS\""),
                        );
                    }
                }
                let apath = join(&vpath, "amount_1000");
                match c.get("amount_1000") {
                    None => ctx.issue(
                        &apath,
                        "REQUIRED",
                        format!("{apath} is required: the amount times 1000"),
                    ),
                    Some(Value::Number(n)) if n.is_integer() => {}
                    Some(_) => ctx.issue(
                        &apath,
                        "INVALID_VALUE",
                        format!("{apath} must be a whole number (the amount times 1000)"),
                    ),
                }
            }
        }
        "date_time" => {
            if let Some(d) = object(ctx, p.get("date_time"), &vpath, true) {
                keys(ctx, d, &vpath, &["fallback_value"]);
                text(
                    ctx,
                    d.get("fallback_value"),
                    &join(&vpath, "fallback_value"),
                    true,
                    usize::MAX,
                );
            }
        }
        _ => {
            if let (Some(kind), Some(m)) =
                (MediaKind::parse(ty), object(ctx, p.get(ty), &vpath, true))
            {
                media(ctx, m, &vpath, kind, None);
            }
        }
    }
    named
}

/// The variables in a definition's text: `{{1}}`, `{{ 2 }}` or `{{first_name}}`.
#[derive(Default, Debug, PartialEq)]
struct Variables {
    /// The highest positional number (Meta requires them to run 1..=n).
    positional: usize,
    /// Named variables, each once, in order of appearance.
    named: Vec<String>,
}

/// The variables of a definition's text, by the one scanner ([`scan`]): what is neither a number
/// nor a name by Meta's rule (`{{First_Name}}`) is not a variable.
fn variables(text: &str) -> Variables {
    let mut vars = Variables::default();
    for var in scan(text) {
        match var {
            Variable::Positional {
                number: Some(n), ..
            } => {
                let n = usize::try_from(n.min(1000)).unwrap_or(1000);
                vars.positional = vars.positional.max(n);
            }
            Variable::Named(name) if !vars.named.iter().any(|v| v == name) => {
                vars.named.push(name.to_string());
            }
            Variable::Unclosed => break,
            _ => {}
        }
    }
    vars
}

fn upper(v: Option<&Value>) -> String {
    v.and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn mismatch(ctx: &mut IssueList, path: &str, code: &'static str, message: String) {
    ctx.mismatch(Issue::new(path, code, message));
}

/// Checks the message's components against the definition's.
fn check_against(
    ctx: &mut IssueList,
    def: &Value,
    name: Option<&str>,
    code: Option<&str>,
    comps: &[Component<'_>],
) {
    if let (Some(want), Some(got)) = (def.get("name").and_then(Value::as_str), name) {
        if want != got {
            mismatch(
                ctx,
                "template.name",
                "NAME_MISMATCH",
                format!("the message names template {got:?}, but the definition is {want:?}"),
            );
        }
    }
    let def_lang = match def.get("language") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(o) => o.get("code").and_then(Value::as_str),
        None => None,
    };
    if let (Some(want), Some(got)) = (def_lang, code) {
        if want != got {
            mismatch(
                ctx,
                "template.language",
                "LANGUAGE_MISMATCH",
                format!("the message asks for language {got:?}, but the definition is {want:?}"),
            );
        }
    }
    if let Some(status) = def.get("status").and_then(Value::as_str) {
        if !status.eq_ignore_ascii_case("APPROVED") {
            mismatch(
                ctx,
                "template.name",
                "NOT_APPROVED",
                format!("the template's status is {status}; only APPROVED templates can be sent"),
            );
        }
    }
    let def_components = def
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let find_def = |kind: &str| def_components.iter().find(|c| upper(c.get("type")) == kind);
    let find_msg = |kind: &str| comps.iter().find(|c| c.kind == kind);

    // Header: text with variables, or a media format needing one parameter of that type.
    let header_def = find_def("HEADER");
    let header_msg = find_msg("header");
    match header_def {
        None => {
            if let Some(m) = header_msg {
                mismatch(
                    ctx,
                    &at("template.components", m.index),
                    "UNEXPECTED_COMPONENT",
                    "the template has no header; remove the header component".into(),
                );
            }
        }
        Some(h) => {
            let format = match upper(h.get("format")) {
                f if f.is_empty() => "TEXT".to_string(),
                f => f,
            };
            if format == "TEXT" {
                let vars = variables(h.get("text").and_then(Value::as_str).unwrap_or_default());
                check_vars(ctx, "HEADER", "header", &vars, header_msg);
            } else if let Some(kind) = MediaKind::parse(&format.to_ascii_lowercase()) {
                let want = kind.as_str();
                match header_msg {
                    None => mismatch(ctx, "template.components", "MISSING_COMPONENT", format!("the template's header is {format}; add a header component with one {want} parameter")),
                    Some(m) => {
                        let got = m.params.first().and_then(|p| p.get("type")).and_then(Value::as_str);
                        if got.is_some() && got != Some(want) {
                            let path = join(&at(&join(&at("template.components", m.index), "parameters"), 0), "type");
                            mismatch(ctx, &path, "FORMAT_MISMATCH", format!("the template's header is {format}; the parameter must be {want}, not {}", got.unwrap_or_default()));
                        }
                    }
                }
            }
        }
    }

    let body_def = find_def("BODY");
    let vars = variables(
        body_def
            .and_then(|b| b.get("text"))
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    check_vars(ctx, "BODY", "body", &vars, find_msg("body"));

    // Buttons: by position in the definition's BUTTONS list.
    let def_buttons = find_def("BUTTONS")
        .and_then(|b| b.get("buttons"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for (n, b) in def_buttons.iter().enumerate() {
        let btype = upper(b.get("type"));
        let msg = comps
            .iter()
            .find(|c| c.kind == "button" && c.button_index == Some(n as u64));
        let (sub, required) = match btype.as_str() {
            "URL" => (
                "url",
                b.get("url")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u.contains("{{")),
            ),
            "QUICK_REPLY" => ("quick_reply", false),
            "COPY_CODE" => ("copy_code", true),
            _ => {
                if let Some(m) = msg {
                    mismatch(ctx, &at("template.components", m.index), "UNEXPECTED_COMPONENT", format!("button {n} is {btype}, which takes no parameters; remove this component"));
                }
                continue;
            }
        };
        match msg {
            None if required => mismatch(
                ctx,
                "template.components",
                "MISSING_COMPONENT",
                format!("button {n} ({btype}) needs a button component with sub_type {sub:?}, index {n} and one parameter"),
            ),
            None => {}
            Some(m) => {
                if m.sub_type.is_some() && m.sub_type != Some(sub) {
                    mismatch(
                        ctx,
                        &join(&at("template.components", m.index), "sub_type"),
                        "FORMAT_MISMATCH",
                        format!("button {n} is {btype}; its component's sub_type must be {sub:?}"),
                    );
                } else if btype == "URL" && !required {
                    mismatch(ctx, &at("template.components", m.index), "UNEXPECTED_COMPONENT", format!("button {n}'s URL has no variable; remove this component"));
                }
            }
        }
    }
    for m in comps.iter().filter(|c| c.kind == "button") {
        if let Some(i) = m.button_index {
            if i as usize >= def_buttons.len() {
                mismatch(
                    ctx,
                    &join(&at("template.components", m.index), "index"),
                    "UNEXPECTED_COMPONENT",
                    format!(
                        "the template has {} button(s); there is no button {i}",
                        def_buttons.len()
                    ),
                );
            }
        }
    }
}

/// The message component's parameters against a text's variables.
fn check_vars(
    ctx: &mut IssueList,
    def_name: &str,
    kind: &str,
    vars: &Variables,
    msg: Option<&Component<'_>>,
) {
    let expected = vars.positional.saturating_add(vars.named.len());
    let Some(m) = msg else {
        if expected > 0 {
            ctx.mismatch(
                Issue::new("template.components", "MISSING_COMPONENT", format!("the template's {def_name} has {expected} variable(s); add a {kind} component with {expected} parameter(s)"))
                    .with_limit(expected as u64),
            );
        }
        return;
    };
    let ppath = join(&at("template.components", m.index), "parameters");
    if vars.named.is_empty() {
        if m.params.len() != expected {
            ctx.mismatch(
                Issue::new(&ppath, "PARAMETER_COUNT", format!("the template's {def_name} has {expected} variable(s); {} parameter(s) given", m.params.len()))
                    .with_limit(expected as u64),
            );
        }
        return;
    }
    let given: Vec<&str> = m
        .params
        .iter()
        .filter_map(|p| p.get("parameter_name").and_then(Value::as_str))
        .collect();
    for name in &vars.named {
        if !given.contains(&name.as_str()) {
            mismatch(ctx, &ppath, "MISSING_PARAMETER", format!("the template's {def_name} uses {{{{{name}}}}}; add a parameter with parameter_name {name:?}"));
        }
    }
    for (i, p) in m.params.iter().enumerate() {
        match p.get("parameter_name").and_then(Value::as_str) {
            Some(n) if !vars.named.iter().any(|v| v == n) => mismatch(
                ctx,
                &join(&at(&ppath, i), "parameter_name"),
                "UNKNOWN_PARAMETER",
                format!("the template's {def_name} has no variable {{{{{n}}}}}"),
            ),
            None => mismatch(ctx, &at(&ppath, i), "MISSING_PARAMETER", format!("the template's {def_name} uses named variables; give this parameter a parameter_name")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables() {
        assert_eq!(
            variables("Hi {{1}}, order {{ 2 }} of {{1}}"),
            Variables {
                positional: 2,
                named: vec![]
            }
        );
        assert_eq!(
            variables("Hi {{first_name}} {{first_name}} {{code}}"),
            Variables {
                positional: 0,
                named: vec!["first_name".into(), "code".into()]
            }
        );
        assert_eq!(variables("no vars {{ }} {{a b}} {{"), Variables::default());
        assert_eq!(variables("{{99999999999999999999999}}").positional, 0);
        assert_eq!(variables("Hi {{First_Name}}"), Variables::default());
    }
}
