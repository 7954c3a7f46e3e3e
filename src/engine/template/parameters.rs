//! Template messages: the `template` object itself, and its parameters checked against a
//! template definition (the check that catches Meta's error 132000 before sending).

use super::limits as lim;
use super::locales;
use super::matching::{check_against, Component};
use super::variables::is_name;
use crate::engine::error::IssueList;
use crate::engine::fields::{
    array, at, join, keys, media, object, text, units_fit, wrong_type, ABSENT,
};
use crate::engine::json::Quoted;
use crate::engine::json::Value;
use crate::engine::media::MediaKind;

/// Validates `template`; returns its language code when it was given bare (`"en_US"`), to be sent
/// as `{ "code": … }`.
#[inline(never)]
pub(crate) fn validate(ctx: &mut IssueList, t: &Value, def: Option<&Value>) -> Option<String> {
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
    // A bare code is sent as `{ code }` (the caller makes the change).
    let bare = code.filter(|_| matches!(t.get("language"), Some(Value::String(_))));
    let components = array(ctx, t.get("components"), "template.components", false).unwrap_or(&[]);
    let parsed = components_of(ctx, components);
    if let Some(def) = def {
        check_against(ctx, def, name, code, &parsed);
    }
    bare.map(str::to_string)
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
            .map(|s| format!("; did you mean {s}?", s = Quoted(s)))
            .unwrap_or_default();
        ctx.issue(
            path,
            "UNKNOWN_LANGUAGE",
            format!(
                "{code} is not a WhatsApp template language{hint}",
                code = Quoted(code)
            ),
        );
        return None;
    }
    Some(code)
}

/// Every parameter field a parameter may carry, whatever its type: its value types (a header's
/// six first), then `type` and `parameter_name`.
const PARAMETER_FIELDS: [&str; 10] = [
    "text",
    "currency",
    "date_time",
    "image",
    "video",
    "document",
    "payload",
    "coupon_code",
    "type",
    "parameter_name",
];

/// The parameter types a header takes: text, currency, date and time, and the three media.
const HEADER_TYPES: &[&str] = PARAMETER_FIELDS.split_at(6).0;

/// The message's components, each checked; those whose `type` is unusable are left out.
fn components_of<'a>(ctx: &mut IssueList, components: &'a [Value]) -> Vec<Component<'a>> {
    let mut out: Vec<Component<'a>> = Vec::new();
    let only_body = components.len() == 1;
    for (i, c) in components.iter().enumerate() {
        let path = at("template.components", i);
        let Some(c) = object(ctx, Some(c), &path, true) else {
            continue;
        };
        let Some(kind) = component_kind(ctx, c, &join(&path, "type")) else {
            continue;
        };
        let (sub_type, button_index) = if kind == "button" {
            button_fields(ctx, c, &path, &out)
        } else {
            keys(ctx, c, &path, &["type", "parameters"]);
            if out.iter().any(|o| o.kind == kind) {
                ctx.issue(
                    &join(&path, "type"),
                    "DUPLICATE",
                    format!("a template has at most one {kind} component"),
                );
            }
            (None, None)
        };
        let params = parameters(ctx, c, &path, kind, sub_type, only_body);
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

/// A component's `type`: `header`, `body` or `button`.
fn component_kind<'a>(ctx: &mut IssueList, c: &'a Value, tpath: &str) -> Option<&'a str> {
    match c.get("type") {
        None => {
            ctx.issue(
                tpath,
                "REQUIRED",
                format!("{tpath} is required: header, body or button"),
            );
            None
        }
        Some(Value::String(s)) if matches!(s.as_str(), "header" | "body" | "button") => {
            Some(s.as_str())
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
                tpath,
                "INVALID_VALUE",
                format!(
                    "{tpath} {s} is not header, body or button{hint}",
                    s = Quoted(s)
                ),
            );
            None
        }
        Some(other) => {
            wrong_type(ctx, tpath, "a string", other);
            None
        }
    }
}

/// A button component's `sub_type` and `index` (unique among the components `before` it).
fn button_fields<'a>(
    ctx: &mut IssueList,
    c: &'a Value,
    path: &str,
    before: &[Component<'_>],
) -> (Option<&'a str>, Option<u64>) {
    keys(ctx, c, path, &["type", "sub_type", "index", "parameters"]);
    let spath = join(path, "sub_type");
    let sub_type = match c.get("sub_type") {
        None => {
            ctx.issue(
                &spath,
                "REQUIRED",
                format!("{spath} is required: quick_reply, url or copy_code"),
            );
            None
        }
        Some(Value::String(s)) if matches!(s.as_str(), "quick_reply" | "url" | "copy_code") => {
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
    let ipath = join(path, "index");
    // Meta documents the index as a number or a numeric string, 0–9.
    let index = match c.get("index") {
        None => {
            ctx.issue(
                &ipath,
                "REQUIRED",
                format!("{ipath} is required: the button's position, 0–9"),
            );
            None
        }
        Some(Value::Number(n)) if n.as_u64().is_some_and(index_in_range) => n.as_u64(),
        Some(Value::String(s)) if index_of_str(s).is_some() => index_of_str(s),
        Some(_) => {
            ctx.issue(
                &ipath,
                "INVALID_VALUE",
                format!("{ipath} must be a whole number from 0 to 9"),
            );
            None
        }
    };
    if let Some(n) = index {
        if before
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
    (sub_type, index)
}

/// A component's `parameters`: how many, of which types, named or positional (not both).
fn parameters<'a>(
    ctx: &mut IssueList,
    c: &'a Value,
    path: &str,
    kind: &str,
    sub_type: Option<&str>,
    only_body: bool,
) -> &'a [Value] {
    let ppath = join(path, "parameters");
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
    let allowed = allowed_types(kind, sub_type);
    let text_max = text_max(kind, only_body);
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
    params
}

/// Whether a button index given as a number is one: 0–9 (Meta: a number or a numeric string).
fn index_in_range(n: u64) -> bool {
    n <= 9
}

/// A button index given as a string: one ASCII digit.
fn index_of_str(s: &str) -> Option<u64> {
    match s.as_bytes() {
        [d @ b'0'..=b'9'] => Some(u64::from(d.wrapping_sub(b'0'))),
        _ => None,
    }
}

/// The longest text parameter a `kind` component takes (`only_body`: the body is the template's
/// only component).
fn text_max(kind: &str, only_body: bool) -> usize {
    match kind {
        "header" => lim::HEADER_PARAM_MAX,
        "body" if only_body => lim::BODY_ONLY_PARAM_MAX,
        "body" => lim::BODY_PARAM_MAX,
        _ => usize::MAX,
    }
}

/// The longest value of a parameter of type `ty` whose value is a string (`text`, `payload`,
/// `coupon_code`); `None` for the others.
fn string_value_max(ty: &str, text_max: usize) -> Option<usize> {
    match ty {
        "text" => Some(text_max),
        "payload" => Some(usize::MAX),
        "coupon_code" => Some(lim::COUPON_CODE_MAX),
        _ => None,
    }
}

/// The parameter types a component takes.
fn allowed_types(kind: &str, sub_type: Option<&str>) -> &'static [&'static str] {
    match (kind, sub_type) {
        ("header", _) => HEADER_TYPES,
        ("body", _) => &["text", "currency", "date_time"],
        (_, Some("quick_reply")) => &["payload"],
        (_, Some("url")) => &["text"],
        (_, Some("copy_code")) => &["coupon_code"],
        _ => &["text", "payload", "coupon_code"],
    }
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
    let ty = parameter_type(ctx, p, &join(path, "type"), allowed);
    let named = p.get("parameter_name").is_some();
    let npath = join(path, "parameter_name");
    if let Some(name) = text(ctx, p.get("parameter_name"), &npath, false, usize::MAX) {
        if !name.is_empty() && !is_name(name) {
            ctx.issue(
                &npath,
                "INVALID_FORMAT",
                "parameter_name may use only lowercase letters, digits and underscores",
            );
        }
    }
    let Some(ty) = ty else {
        keys(ctx, p, path, &PARAMETER_FIELDS);
        return named;
    };
    keys(ctx, p, path, &["type", "parameter_name", ty]);
    parameter_value(ctx, p, ty, &join(path, ty), text_max);
    named
}

/// A parameter's `type`, one of `allowed`.
fn parameter_type<'a>(
    ctx: &mut IssueList,
    p: &'a Value,
    tpath: &str,
    allowed: &[&str],
) -> Option<&'a str> {
    match p.get("type") {
        None => {
            ctx.issue(
                tpath,
                "REQUIRED",
                format!("{tpath} is required: {}", allowed.join(", ")),
            );
            None
        }
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Some(s.as_str()),
        Some(Value::String(s)) => {
            ctx.issue(
                tpath,
                "INVALID_VALUE",
                format!(
                    "{tpath} {s} is not allowed here; use {}",
                    allowed.join(", "),
                    s = Quoted(s)
                ),
            );
            None
        }
        Some(other) => {
            wrong_type(ctx, tpath, "a string", other);
            None
        }
    }
}

/// The parameter's value, at `vpath` (`…parameters[0].text`), for its type `ty`.
fn parameter_value(ctx: &mut IssueList, p: &Value, ty: &str, vpath: &str, text_max: usize) {
    if let Some(max) = string_value_max(ty, text_max) {
        text(ctx, p.get(ty), vpath, true, max);
        return;
    }
    match ty {
        "currency" => {
            if let Some(c) = object(ctx, p.get("currency"), vpath, true) {
                currency(ctx, c, vpath);
            }
        }
        "date_time" => {
            if let Some(d) = object(ctx, p.get("date_time"), vpath, true) {
                keys(ctx, d, vpath, &["fallback_value"]);
                text(
                    ctx,
                    d.get("fallback_value"),
                    &join(vpath, "fallback_value"),
                    true,
                    usize::MAX,
                );
            }
        }
        _ => {
            if let (Some(kind), Some(m)) =
                (MediaKind::parse(ty), object(ctx, p.get(ty), vpath, true))
            {
                media(ctx, m, vpath, kind, None);
            }
        }
    }
}

/// A `currency` parameter: `{ fallback_value, code (ISO 4217), amount_1000 }`.
fn currency(ctx: &mut IssueList, c: &Value, vpath: &str) {
    keys(ctx, c, vpath, &["fallback_value", "code", "amount_1000"]);
    text(
        ctx,
        c.get("fallback_value"),
        &join(vpath, "fallback_value"),
        true,
        usize::MAX,
    );
    let cpath = join(vpath, "code");
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
    let apath = join(vpath, "amount_1000");
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

/// Component kinds, sub-types and string-valued parameter types as [`shape_valid`]'s words number
/// them.
const KINDS: [&str; 3] = ["header", "body", "button"];
const SUB_TYPES: [&str; 3] = ["quick_reply", "url", "copy_code"];
const STRING_TYPES: [&str; 3] = ["text", "payload", "coupon_code"];

/// A button index word that says "the index is the next string".
pub(crate) const INDEX_IS_STRING: u32 = u32::MAX - 1;

/// Whether the template a shape describes passes [`validate`] (with no definition): the quick path
/// of `templateMessage` for a bare-code `language`, string-valued parameters and no
/// `parameter_name`, whose parameter values never cross into wasm. `None` when the shape is
/// malformed.
///
/// `shape`: the component count (or [`ABSENT`]); per component its kind, sub-type and index (an
/// index of [`INDEX_IS_STRING`] is the next of `strings`; [`ABSENT`] when not given) and its
/// parameter count; per parameter its type and its value's length in UTF-16 units.
pub(crate) fn shape_valid<'a>(
    name: &str,
    language: &str,
    shape: &mut impl Iterator<Item = u32>,
    strings: &mut impl Iterator<Item = &'a str>,
) -> Option<bool> {
    // A name is ASCII: its bytes are its UTF-16 units.
    let mut ok = is_name(name)
        && name.len() <= lim::NAME_MAX
        && !language.is_empty()
        && locales::is_template_locale(language);
    let count = shape.next()?;
    let count = if count == ABSENT { 0 } else { count };
    let mut kinds_seen = [false; 2];
    let mut indexes_seen = [false; 10];
    for _ in 0..count {
        let (kind, sub_type, index, params) =
            (shape.next()?, shape.next()?, shape.next()?, shape.next()?);
        let kind_name = *KINDS.get(kind as usize)?;
        let sub_name = SUB_TYPES.get(sub_type as usize).copied();
        if kind_name == "button" {
            let n = match index {
                INDEX_IS_STRING => index_of_str(strings.next()?),
                ABSENT => None,
                n => Some(u64::from(n)).filter(|n| index_in_range(*n)),
            };
            match n.and_then(|n| indexes_seen.get_mut(n as usize)) {
                Some(seen) if !*seen && sub_name.is_some() => *seen = true,
                _ => ok = false,
            }
        } else {
            ok &= sub_type == ABSENT && index == ABSENT;
            if let Some(seen) = kinds_seen.get_mut(kind as usize) {
                ok &= !*seen;
                *seen = true;
            }
        }
        ok &= params >= 1 && (kind_name == "body" || params <= 1);
        let allowed = allowed_types(kind_name, sub_name);
        let max = text_max(kind_name, count == 1);
        for _ in 0..params {
            let (ty, units) = (shape.next()?, shape.next()?);
            let ty = *STRING_TYPES.get(ty as usize)?;
            let value_max = string_value_max(ty, max)?;
            ok &= allowed.contains(&ty) && units_fit(units as usize, value_max);
        }
    }
    Some(ok)
}
