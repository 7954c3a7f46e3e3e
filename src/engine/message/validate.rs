//! The walk over a wire-shaped message: one function per object, each adding issues to [`Ctx`].

use super::limits as lim;
use crate::engine::error::IssueList;
use crate::engine::fields::{
    array, at, boolean, join, keys, media, object, text, trimmed, unknown, utf16_len,
};
use crate::engine::json::Quoted;
use crate::engine::json::Value;
use crate::engine::media::{link, MediaKind};
use crate::engine::phone::{self, PhoneError};
use crate::engine::template;

/// Every message `type` the SDK knows: the seven live ones, then the draft-documented extras.
pub(crate) const TYPES: [&str; 11] = [
    "text",
    "image",
    "video",
    "audio",
    "document",
    "interactive",
    "template",
    "location",
    "contacts",
    "sticker",
    "reaction",
];

const TOP_FIELDS: [&str; 5] = [
    "to",
    "type",
    "context",
    "messaging_product",
    "recipient_type",
];

/// The normalised copy of `message`, with issues added to `ctx`, and the recipient's error when
/// `to` is not a phone number.
pub(crate) fn message(
    ctx: &mut IssueList,
    message: &Value,
    template_def: Option<&Value>,
) -> (Normalised, Option<PhoneError>) {
    let mut out = Normalised::default();
    let Some(members) = message.as_object() else {
        ctx.issue(
            "",
            "INVALID_TYPE",
            format!("a message must be an object, not {}", message.type_name()),
        );
        return (out, None);
    };
    let bad_phone = recipient(ctx, message.get("to"), &mut out);
    let ty = message_type(ctx, message.get("type"));
    envelope(ctx, message, members, ty);
    if let Some(ty) = ty {
        if template_def.is_some() && ty != "template" {
            ctx.issue(
                "type",
                "INVALID_VALUE",
                "a template definition was given, but the message is not a template message",
            );
        }
        content(ctx, message, ty, template_def, &mut out);
    }
    (out, bad_phone)
}

/// What validation changes in a valid message; everything else is returned as given.
#[derive(Debug, Default)]
pub(crate) struct Normalised {
    /// `to` in its API form.
    to: Option<String>,
    /// A template's language given as a bare code, sent as `{ code }`.
    language: Option<String>,
}

impl Normalised {
    /// Makes the changes in `message`, the one validated.
    pub(crate) fn apply(self, message: &mut Value) {
        if let Some(to) = self.to {
            message.set("to", Value::String(to));
        }
        if let (Some(code), Some(template)) = (self.language, message.get_mut("template")) {
            template.set(
                "language",
                Value::Object(vec![("code".into(), Value::String(code))]),
            );
        }
    }
}

/// `to`, normalised into `out`; the phone error when it is not a number.
fn recipient(ctx: &mut IssueList, to: Option<&Value>, out: &mut Normalised) -> Option<PhoneError> {
    match to {
        None => ctx.issue(
            "to",
            "REQUIRED",
            "to is required: the recipient's phone number",
        ),
        Some(Value::String(s)) => match phone::normalize(s, None) {
            Ok(digits) => out.to = Some(digits),
            Err(e) => return super::bad_phone(ctx, e),
        },
        Some(other) => ctx.issue(
            "to",
            "INVALID_TYPE",
            format!("to must be a string, not {}", other.type_name()),
        ),
    }
    None
}

/// The message `type`, when it is one of [`TYPES`].
fn message_type<'a>(ctx: &mut IssueList, v: Option<&'a Value>) -> Option<&'a str> {
    match v {
        None => {
            ctx.issue("type", "REQUIRED", "type is required");
            None
        }
        Some(Value::String(s)) if TYPES.contains(&s.as_str()) => Some(s.as_str()),
        Some(Value::String(s)) => {
            ctx.issue(
                "type",
                "INVALID_VALUE",
                format!(
                    "type {s} is not a message type; use one of {}",
                    TYPES.join(", "),
                    s = Quoted(s)
                ),
            );
            None
        }
        Some(other) => {
            ctx.issue(
                "type",
                "INVALID_TYPE",
                format!("type must be a string, not {}", other.type_name()),
            );
            None
        }
    }
}

/// The top-level fields around the content: no unknown ones, `context`, `messaging_product`
/// and `recipient_type`.
fn envelope(ctx: &mut IssueList, message: &Value, members: &[(String, Value)], ty: Option<&str>) {
    for (key, _) in members {
        let k = key.as_str();
        if TOP_FIELDS.contains(&k) || Some(k) == ty {
            continue;
        }
        if let (true, Some(ty)) = (TYPES.contains(&k), ty) {
            ctx.issue(
                k,
                "UNKNOWN_FIELD",
                format!("{k} does not belong in a message of type {ty}; remove it"),
            );
        } else if !TYPES.contains(&k) {
            unknown(ctx, "", k);
        }
    }
    if let Some(c) = object(ctx, message.get("context"), "context", false) {
        keys(ctx, c, "context", &["message_id"]);
        text(
            ctx,
            c.get("message_id"),
            "context.message_id",
            true,
            usize::MAX,
        );
    }
    if let Some(v) = message.get("messaging_product") {
        if v.as_str() != Some("whatsapp") {
            ctx.issue(
                "messaging_product",
                "INVALID_VALUE",
                "messaging_product must be \"whatsapp\" (or left out)",
            );
        }
    }
    if let Some(v) = message.get("recipient_type") {
        if v.as_str() != Some("individual") {
            ctx.issue(
                "recipient_type",
                "INVALID_VALUE",
                "recipient_type must be \"individual\" (or left out)",
            );
        }
    }
}

/// The content object of a message of type `ty` (an array for `contacts`).
fn content(
    ctx: &mut IssueList,
    message: &Value,
    ty: &str,
    template_def: Option<&Value>,
    out: &mut Normalised,
) {
    if ty == "contacts" {
        if let Some(list) = array(ctx, message.get("contacts"), "contacts", true) {
            contacts(ctx, list);
        }
        return;
    }
    let Some(body) = object(ctx, message.get(ty), ty, true) else {
        return;
    };
    match ty {
        "text" => text_object(ctx, body),
        "interactive" => interactive(ctx, body),
        "template" => {
            out.language = template::parameters::validate(ctx, body, template_def);
        }
        "location" => location(ctx, body),
        "reaction" => reaction(ctx, body),
        _ => {
            if let Some(kind) = MediaKind::parse(ty) {
                media(ctx, body, ty, kind, Some(lim::CAPTION));
            }
        }
    }
}

fn text_object(ctx: &mut IssueList, t: &Value) {
    keys(ctx, t, "text", &["body", "preview_url"]);
    text(ctx, t.get("body"), "text.body", true, lim::TEXT_BODY);
    boolean(ctx, t.get("preview_url"), "text.preview_url");
}

#[inline(never)]
fn interactive(ctx: &mut IssueList, i: &Value) {
    keys(
        ctx,
        i,
        "interactive",
        &["type", "header", "body", "footer", "action"],
    );
    let ty = match i.get("type") {
        None => {
            ctx.issue(
                "interactive.type",
                "REQUIRED",
                "interactive.type is required: button, list or cta_url",
            );
            None
        }
        Some(Value::String(s)) if matches!(s.as_str(), "button" | "list" | "cta_url") => {
            Some(s.as_str())
        }
        Some(Value::String(s)) => {
            ctx.issue(
                "interactive.type",
                "INVALID_VALUE",
                format!(
                    "interactive.type {s} is not supported; use button, list or cta_url",
                    s = Quoted(s)
                ),
            );
            None
        }
        Some(other) => {
            ctx.issue(
                "interactive.type",
                "INVALID_TYPE",
                format!(
                    "interactive.type must be a string, not {}",
                    other.type_name()
                ),
            );
            None
        }
    };
    if let Some(h) = object(ctx, i.get("header"), "interactive.header", false) {
        header(ctx, h, ty == Some("list"));
    }
    let body_max = if ty == Some("list") {
        lim::LIST_BODY
    } else {
        lim::INTERACTIVE_BODY
    };
    if let Some(b) = object(ctx, i.get("body"), "interactive.body", true) {
        keys(ctx, b, "interactive.body", &["text"]);
        text(ctx, b.get("text"), "interactive.body.text", true, body_max);
    }
    if let Some(f) = object(ctx, i.get("footer"), "interactive.footer", false) {
        keys(ctx, f, "interactive.footer", &["text"]);
        text(
            ctx,
            f.get("text"),
            "interactive.footer.text",
            true,
            lim::FOOTER_TEXT,
        );
    }
    let Some(action) = object(ctx, i.get("action"), "interactive.action", true) else {
        return;
    };
    match ty {
        Some("button") => buttons(ctx, action),
        Some("list") => list(ctx, action),
        Some("cta_url") => cta_url(ctx, action),
        _ => {}
    }
}

fn header(ctx: &mut IssueList, h: &Value, text_only: bool) {
    const P: &str = "interactive.header";
    let ty = match h.get("type") {
        None => {
            ctx.issue(
                "interactive.header.type",
                "REQUIRED",
                "interactive.header.type is required: text, image, video or document",
            );
            None
        }
        Some(Value::String(s)) => match s.as_str() {
            "text" => Some("text"),
            "image" | "video" | "document" if text_only => {
                ctx.issue(
                    "interactive.header.type",
                    "INVALID_VALUE",
                    "a list message's header must be text",
                );
                None
            }
            "image" | "video" | "document" => Some(s.as_str()),
            _ => {
                ctx.issue(
                    "interactive.header.type",
                    "INVALID_VALUE",
                    format!(
                        "interactive.header.type {s} is not text, image, video or document",
                        s = Quoted(s)
                    ),
                );
                None
            }
        },
        Some(other) => {
            ctx.issue(
                "interactive.header.type",
                "INVALID_TYPE",
                format!(
                    "interactive.header.type must be a string, not {}",
                    other.type_name()
                ),
            );
            None
        }
    };
    match ty {
        Some("text") => {
            keys(ctx, h, P, &["type", "text"]);
            text(
                ctx,
                h.get("text"),
                "interactive.header.text",
                true,
                lim::HEADER_TEXT,
            );
        }
        Some(t) => {
            keys(ctx, h, P, &["type", t]);
            let path = join(P, t);
            if let (Some(m), Some(kind)) = (object(ctx, h.get(t), &path, true), MediaKind::parse(t))
            {
                media(ctx, m, &path, kind, None);
            }
        }
        None => keys(ctx, h, P, &["type", "text", "image", "video", "document"]),
    }
}

fn buttons(ctx: &mut IssueList, action: &Value) {
    const P: &str = "interactive.action.buttons";
    keys(ctx, action, "interactive.action", &["buttons"]);
    let Some(items) = array(ctx, action.get("buttons"), P, true) else {
        return;
    };
    if items.is_empty() {
        ctx.limit(
            P,
            "TOO_FEW",
            "interactive.action.buttons needs at least 1 button".into(),
            1,
        );
    }
    if items.len() > lim::MAX_BUTTONS {
        ctx.limit(
            P,
            "TOO_MANY",
            format!(
                "{} reply buttons; the limit is {}",
                items.len(),
                lim::MAX_BUTTONS
            ),
            lim::MAX_BUTTONS,
        );
    }
    let mut ids: Vec<&str> = Vec::new();
    let mut titles: Vec<&str> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        reply_button(ctx, item, &at(P, n), &mut ids, &mut titles);
    }
}

/// One reply button `{ type: "reply", reply: { id, title } }`; ids and titles unique.
fn reply_button<'a>(
    ctx: &mut IssueList,
    item: &'a Value,
    path: &str,
    ids: &mut Vec<&'a str>,
    titles: &mut Vec<&'a str>,
) {
    let Some(button) = object(ctx, Some(item), path, true) else {
        return;
    };
    keys(ctx, button, path, &["type", "reply"]);
    let tpath = join(path, "type");
    match button.get("type") {
        None => ctx.issue(
            &tpath,
            "REQUIRED",
            format!("{tpath} is required: \"reply\""),
        ),
        Some(v) if v.as_str() == Some("reply") => {}
        Some(_) => ctx.issue(
            &tpath,
            "INVALID_VALUE",
            format!("{tpath} must be \"reply\""),
        ),
    }
    let rpath = join(path, "reply");
    let Some(reply) = object(ctx, button.get("reply"), &rpath, true) else {
        return;
    };
    keys(ctx, reply, &rpath, &["id", "title"]);
    let id_path = join(&rpath, "id");
    let id = text(ctx, reply.get("id"), &id_path, true, lim::BUTTON_ID);
    trimmed(ctx, id, &id_path);
    unique(ctx, ids, id, &id_path, |id| {
        format!(
            "button id {id} is used twice; ids must be unique",
            id = Quoted(id)
        )
    });
    let title_path = join(&rpath, "title");
    let title = text(
        ctx,
        reply.get("title"),
        &title_path,
        true,
        lim::BUTTON_TITLE,
    );
    trimmed(ctx, title, &title_path);
    unique(ctx, titles, title, &title_path, |title| {
        format!(
            "button title {title} is used twice; titles must be unique",
            title = Quoted(title)
        )
    });
}

/// Adds `value` to `seen`, with a `DUPLICATE` issue (`message`) when it is there already.
fn unique<'a>(
    ctx: &mut IssueList,
    seen: &mut Vec<&'a str>,
    value: Option<&'a str>,
    path: &str,
    message: impl Fn(&str) -> String,
) {
    if let Some(value) = value {
        if seen.contains(&value) {
            ctx.issue(path, "DUPLICATE", message(value));
        }
        seen.push(value);
    }
}

fn list(ctx: &mut IssueList, action: &Value) {
    const P: &str = "interactive.action.sections";
    keys(ctx, action, "interactive.action", &["button", "sections"]);
    text(
        ctx,
        action.get("button"),
        "interactive.action.button",
        true,
        lim::LIST_BUTTON,
    );
    let Some(sections) = array(ctx, action.get("sections"), P, true) else {
        return;
    };
    if sections.is_empty() {
        ctx.limit(P, "TOO_FEW", "a list needs at least 1 section".into(), 1);
    }
    if sections.len() > lim::MAX_SECTIONS {
        ctx.limit(
            P,
            "TOO_MANY",
            format!(
                "{} sections; the limit is {}",
                sections.len(),
                lim::MAX_SECTIONS
            ),
            lim::MAX_SECTIONS,
        );
    }
    let mut total_rows = 0usize;
    let mut ids: Vec<&str> = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        let rows = list_section(ctx, section, &at(P, s), sections.len() > 1, &mut ids);
        total_rows = total_rows.saturating_add(rows);
    }
    if total_rows > lim::MAX_ROWS {
        ctx.limit(
            P,
            "TOO_MANY",
            format!(
                "{total_rows} rows in total; the limit is {} across all sections",
                lim::MAX_ROWS
            ),
            lim::MAX_ROWS,
        );
    }
}

/// One list section (its title required when there are `several`); returns its row count.
fn list_section<'a>(
    ctx: &mut IssueList,
    section: &'a Value,
    spath: &str,
    several: bool,
    ids: &mut Vec<&'a str>,
) -> usize {
    let Some(section) = object(ctx, Some(section), spath, true) else {
        return 0;
    };
    keys(ctx, section, spath, &["title", "rows"]);
    let title_path = join(spath, "title");
    match section.get("title") {
        None if several => ctx.issue(
            &title_path,
            "REQUIRED",
            format!("{title_path} is required when a list has more than one section"),
        ),
        v => {
            text(ctx, v, &title_path, false, lim::SECTION_TITLE);
        }
    }
    let rows_path = join(spath, "rows");
    let Some(rows) = array(ctx, section.get("rows"), &rows_path, true) else {
        return 0;
    };
    if rows.is_empty() {
        ctx.limit(
            &rows_path,
            "TOO_FEW",
            format!("{rows_path} needs at least 1 row"),
            1,
        );
    }
    for (r, row) in rows.iter().enumerate() {
        list_row(ctx, row, &at(&rows_path, r), ids);
    }
    rows.len()
}

/// One list row `{ id, title, description? }`; ids unique across sections.
fn list_row<'a>(ctx: &mut IssueList, row: &'a Value, rpath: &str, ids: &mut Vec<&'a str>) {
    let Some(row) = object(ctx, Some(row), rpath, true) else {
        return;
    };
    keys(ctx, row, rpath, &["id", "title", "description"]);
    let id_path = join(rpath, "id");
    let id = text(ctx, row.get("id"), &id_path, true, lim::ROW_ID);
    unique(ctx, ids, id, &id_path, |id| {
        format!(
            "row id {id} is used twice; row ids must be unique across sections",
            id = Quoted(id)
        )
    });
    text(
        ctx,
        row.get("title"),
        &join(rpath, "title"),
        true,
        lim::ROW_TITLE,
    );
    text(
        ctx,
        row.get("description"),
        &join(rpath, "description"),
        false,
        lim::ROW_DESCRIPTION,
    );
}

fn cta_url(ctx: &mut IssueList, action: &Value) {
    const P: &str = "interactive.action";
    keys(ctx, action, P, &["name", "parameters"]);
    match action.get("name") {
        None => ctx.issue(
            "interactive.action.name",
            "REQUIRED",
            "interactive.action.name is required: \"cta_url\"",
        ),
        Some(v) if v.as_str() == Some("cta_url") => {}
        Some(_) => ctx.issue(
            "interactive.action.name",
            "INVALID_VALUE",
            "interactive.action.name must be \"cta_url\"",
        ),
    }
    let Some(params) = object(
        ctx,
        action.get("parameters"),
        "interactive.action.parameters",
        true,
    ) else {
        return;
    };
    keys(
        ctx,
        params,
        "interactive.action.parameters",
        &["display_text", "url"],
    );
    text(
        ctx,
        params.get("display_text"),
        "interactive.action.parameters.display_text",
        true,
        lim::CTA_DISPLAY_TEXT,
    );
    let upath = "interactive.action.parameters.url";
    if let Some(url) = text(ctx, params.get("url"), upath, true, usize::MAX) {
        if !url.is_empty() {
            if let Err((code, message)) = link::check_https_link(url) {
                ctx.issue(upath, code, message);
            }
        }
    }
}

#[inline(never)]
fn location(ctx: &mut IssueList, l: &Value) {
    keys(
        ctx,
        l,
        "location",
        &["latitude", "longitude", "name", "address"],
    );
    // Bounds as integers, so the message prints them without float formatting.
    for (key, bound) in [("latitude", 90u32), ("longitude", 180)] {
        let path = join("location", key);
        match l.get(key) {
            None => ctx.issue(&path, "REQUIRED", format!("{path} is required")),
            Some(Value::Number(n)) => {
                let (f, limit) = (n.as_f64(), f64::from(bound));
                if !(-limit..=limit).contains(&f) {
                    ctx.issue(
                        &path,
                        "INVALID_VALUE",
                        format!("{path} must be between -{bound} and {bound}"),
                    );
                }
            }
            Some(other) => ctx.issue(
                &path,
                "INVALID_TYPE",
                format!("{path} must be a number, not {}", other.type_name()),
            ),
        }
    }
    text(ctx, l.get("name"), "location.name", false, usize::MAX);
    text(ctx, l.get("address"), "location.address", false, usize::MAX);
}

/// An object whose fields are all optional strings, with `required` among them required.
fn strings(
    ctx: &mut IssueList,
    v: Option<&Value>,
    path: &str,
    allowed: &[&str],
    required: &[&str],
) {
    if let Some(o) = object(ctx, v, path, false) {
        keys(ctx, o, path, allowed);
        for key in allowed {
            text(
                ctx,
                o.get(key),
                &join(path, key),
                required.contains(key),
                usize::MAX,
            );
        }
    }
}

/// `contacts` is an array at the message's top level, so it is checked from here.
#[inline(never)]
pub(crate) fn contacts(ctx: &mut IssueList, list: &[Value]) {
    if list.is_empty() {
        ctx.limit(
            "contacts",
            "TOO_FEW",
            "contacts needs at least 1 contact".into(),
            1,
        );
    }
    for (n, contact) in list.iter().enumerate() {
        let path = at("contacts", n);
        if let Some(c) = object(ctx, Some(contact), &path, true) {
            contact_card(ctx, c, &path);
        }
    }
}

/// One contact card: `name` (with `formatted_name`), `org`, lists of phones, emails, urls and
/// addresses, and a `birthday`.
fn contact_card(ctx: &mut IssueList, c: &Value, path: &str) {
    keys(
        ctx,
        c,
        path,
        &[
            "addresses",
            "birthday",
            "emails",
            "name",
            "org",
            "phones",
            "urls",
        ],
    );
    let npath = join(path, "name");
    if object(ctx, c.get("name"), &npath, true).is_some() {
        strings(
            ctx,
            c.get("name"),
            &npath,
            &[
                "formatted_name",
                "first_name",
                "last_name",
                "middle_name",
                "suffix",
                "prefix",
            ],
            &["formatted_name"],
        );
    }
    strings(
        ctx,
        c.get("org"),
        &join(path, "org"),
        &["company", "department", "title"],
        &[],
    );
    for (key, fields) in [
        ("phones", &["phone", "type", "wa_id"][..]),
        ("emails", &["email", "type"][..]),
        ("urls", &["url", "type"][..]),
        (
            "addresses",
            &[
                "street",
                "city",
                "state",
                "zip",
                "country",
                "country_code",
                "type",
            ][..],
        ),
    ] {
        let apath = join(path, key);
        if let Some(items) = array(ctx, c.get(key), &apath, false) {
            for (i, item) in items.iter().enumerate() {
                let ipath = at(&apath, i);
                if object(ctx, Some(item), &ipath, true).is_some() {
                    strings(ctx, Some(item), &ipath, fields, &[]);
                }
            }
        }
    }
    let bpath = join(path, "birthday");
    if let Some(b) = text(ctx, c.get("birthday"), &bpath, false, usize::MAX) {
        if !is_date(b) {
            ctx.issue(
                &bpath,
                "INVALID_FORMAT",
                format!("{bpath} must be a date as YYYY-MM-DD"),
            );
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok()).unwrap_or(0);
    b.len() == 10
        && digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
}

#[inline(never)]
fn reaction(ctx: &mut IssueList, r: &Value) {
    keys(ctx, r, "reaction", &["message_id", "emoji"]);
    text(
        ctx,
        r.get("message_id"),
        "reaction.message_id",
        true,
        usize::MAX,
    );
    match r.get("emoji") {
        None => ctx.issue(
            "reaction.emoji",
            "REQUIRED",
            "reaction.emoji is required (\"\" removes a reaction)",
        ),
        Some(Value::String(e)) if e.is_empty() => {}
        Some(Value::String(e)) => {
            let ascii = e.chars().filter(char::is_ascii).count();
            let plausible =
                ascii <= 1 && ascii < e.chars().count() && !e.chars().any(char::is_whitespace);
            let n = utf16_len(e);
            if n > lim::REACTION_EMOJI {
                ctx.limit(
                    "reaction.emoji",
                    "TOO_LONG",
                    format!(
                        "reaction.emoji is {n} UTF-16 units; one emoji is at most {}",
                        lim::REACTION_EMOJI
                    ),
                    lim::REACTION_EMOJI,
                );
            } else if !plausible {
                ctx.issue(
                    "reaction.emoji",
                    "INVALID_VALUE",
                    "reaction.emoji must be a single emoji, or \"\" to remove the reaction",
                );
            }
        }
        Some(other) => ctx.issue(
            "reaction.emoji",
            "INVALID_TYPE",
            format!("reaction.emoji must be a string, not {}", other.type_name()),
        ),
    }
}
