//! A template message's components against the template's definition (as `listTemplates`
//! returns it): name, language, status, the header's format, each text's variables (read by the
//! one scanner, [`super::variables`]) and each button. Every issue here is a
//! [`IssueList::mismatch`], so a message whose only problems are these fails `INVALID_TEMPLATE`.

use super::variables::{scan, Variable};
use crate::engine::error::{Issue, IssueList};
use crate::engine::fields::{at, join};
use crate::engine::json::Quoted;
use crate::engine::json::Value;
use crate::engine::media::MediaKind;
use crate::engine::text::contains;

/// What a component of the message supplies.
pub(super) struct Component<'a> {
    /// Its index in `template.components`.
    pub(super) index: usize,
    pub(super) kind: &'a str,
    pub(super) sub_type: Option<&'a str>,
    pub(super) button_index: Option<u64>,
    pub(super) params: &'a [Value],
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

/// `template.components[i]`, the path of the message's component `m`.
fn component_path(m: &Component<'_>) -> String {
    at("template.components", m.index)
}

/// Checks the message's components against the definition's.
pub(super) fn check_against(
    ctx: &mut IssueList,
    def: &Value,
    name: Option<&str>,
    code: Option<&str>,
    comps: &[Component<'_>],
) {
    check_identity(ctx, def, name, code);
    let def_components = def
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let find_def = |kind: &str| def_components.iter().find(|c| upper(c.get("type")) == kind);
    let find_msg = |kind: &str| comps.iter().find(|c| c.kind == kind);
    check_header(ctx, find_def("HEADER"), find_msg("header"));
    let body_text = find_def("BODY")
        .and_then(|b| b.get("text"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    check_vars(ctx, "BODY", "body", &variables(body_text), find_msg("body"));
    let def_buttons = find_def("BUTTONS")
        .and_then(|b| b.get("buttons"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    check_buttons(ctx, def_buttons, comps);
}

/// The template's name and language, and that it is approved.
fn check_identity(ctx: &mut IssueList, def: &Value, name: Option<&str>, code: Option<&str>) {
    if let (Some(want), Some(got)) = (def.get("name").and_then(Value::as_str), name) {
        if want != got {
            mismatch(
                ctx,
                "template.name",
                "NAME_MISMATCH",
                format!(
                    "the message names template {got}, but the definition is {want}",
                    got = Quoted(got),
                    want = Quoted(want)
                ),
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
                format!(
                    "the message asks for language {got}, but the definition is {want}",
                    got = Quoted(got),
                    want = Quoted(want)
                ),
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
}

/// The header: text with variables, or a media format needing one parameter of that type.
fn check_header(ctx: &mut IssueList, def: Option<&Value>, msg: Option<&Component<'_>>) {
    let Some(h) = def else {
        if let Some(m) = msg {
            mismatch(
                ctx,
                &component_path(m),
                "UNEXPECTED_COMPONENT",
                "the template has no header; remove the header component".into(),
            );
        }
        return;
    };
    let format = match upper(h.get("format")) {
        f if f.is_empty() => "TEXT".to_string(),
        f => f,
    };
    if format == "TEXT" {
        let vars = variables(h.get("text").and_then(Value::as_str).unwrap_or_default());
        check_vars(ctx, "HEADER", "header", &vars, msg);
        return;
    }
    let Some(kind) = MediaKind::parse(&format.to_ascii_lowercase()) else {
        return;
    };
    let want = kind.as_str();
    let Some(m) = msg else {
        mismatch(ctx, "template.components", "MISSING_COMPONENT", format!("the template's header is {format}; add a header component with one {want} parameter"));
        return;
    };
    let got = m
        .params
        .first()
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str);
    if let Some(got) = got.filter(|g| *g != want) {
        let path = join(&at(&join(&component_path(m), "parameters"), 0), "type");
        mismatch(
            ctx,
            &path,
            "FORMAT_MISMATCH",
            format!("the template's header is {format}; the parameter must be {want}, not {got}"),
        );
    }
}

/// Buttons, by position in the definition's BUTTONS list; then button components with an index
/// the definition does not have.
fn check_buttons(ctx: &mut IssueList, def_buttons: &[Value], comps: &[Component<'_>]) {
    for (n, b) in def_buttons.iter().enumerate() {
        let msg = comps
            .iter()
            .find(|c| c.kind == "button" && c.button_index == Some(n as u64));
        check_button(ctx, n, b, msg);
    }
    for m in comps.iter().filter(|c| c.kind == "button") {
        if let Some(i) = m.button_index {
            if i as usize >= def_buttons.len() {
                mismatch(
                    ctx,
                    &join(&component_path(m), "index"),
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

/// The definition's button `n` (`b`) against the message's component for it, if any.
fn check_button(ctx: &mut IssueList, n: usize, b: &Value, msg: Option<&Component<'_>>) {
    let btype = upper(b.get("type"));
    let (sub, required) = match btype.as_str() {
        "URL" => (
            "url",
            b.get("url")
                .and_then(Value::as_str)
                .is_some_and(|u| contains(u, "{{")),
        ),
        "QUICK_REPLY" => ("quick_reply", false),
        "COPY_CODE" => ("copy_code", true),
        _ => {
            if let Some(m) = msg {
                mismatch(
                    ctx,
                    &component_path(m),
                    "UNEXPECTED_COMPONENT",
                    format!(
                        "button {n} is {btype}, which takes no parameters; remove this component"
                    ),
                );
            }
            return;
        }
    };
    match msg {
        None if required => mismatch(
            ctx,
            "template.components",
            "MISSING_COMPONENT",
            format!("button {n} ({btype}) needs a button component with sub_type {sub}, index {n} and one parameter", sub = Quoted(sub)),
        ),
        None => {}
        Some(m) => {
            if m.sub_type.is_some() && m.sub_type != Some(sub) {
                mismatch(
                    ctx,
                    &join(&component_path(m), "sub_type"),
                    "FORMAT_MISMATCH",
                    format!("button {n} is {btype}; its component's sub_type must be {sub}", sub = Quoted(sub)),
                );
            } else if btype == "URL" && !required {
                mismatch(ctx, &component_path(m), "UNEXPECTED_COMPONENT", format!("button {n}'s URL has no variable; remove this component"));
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
            mismatch(ctx, &ppath, "MISSING_PARAMETER", format!("the template's {def_name} uses {{{{{name}}}}}; add a parameter with parameter_name {quoted}", quoted = Quoted(name)));
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
