//! Builders: the convenience constructors behind `textMessage`, `buttonsMessage`, … They map
//! the friendly argument shapes (camelCase options, strings for headers and footers, `{ id,
//! title }` buttons) to the wire shape, then run the same validation as [`validate_message`],
//! so whatever a builder returns passes `validateMessage` unchanged.
//!
//! Arguments are JSON [`Value`]s so a wrong type becomes an issue, not a crash. Options whose
//! value is `null` are treated as not given (`header: cond ? h : null` is a common JavaScript
//! idiom); unknown option names are issues at `options.<name>`.
//!
//! [`validate_message`]: super::validate_message

use crate::engine::error::{Error, IssueList};
use crate::engine::json::Value;
use crate::engine::media::MediaKind;
use crate::engine::options::check_keys;
use crate::engine::phone::ValidNumber;

/// The options object, checked: `None` when absent, an issue when not an object, and
/// `INVALID_ARGUMENT` naming an unknown key and the nearest valid one (the options contract of
/// [`crate::engine::options`]).
fn options<'a>(
    ctx: &mut IssueList,
    options: &'a Value,
    what: &str,
    allowed: &[&str],
) -> Result<Option<&'a Value>, Error> {
    match options {
        Value::Null => Ok(None),
        Value::Object(members) => {
            check_keys(members.iter().map(|(k, _)| k.as_str()), what, allowed)?;
            Ok(Some(options))
        }
        other => {
            ctx.issue(
                "options",
                "INVALID_TYPE",
                format!("options must be an object, not {}", other.type_name()),
            );
            Ok(None)
        }
    }
}

/// Option `key`, treating `null` as absent.
fn opt<'a>(o: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    o.and_then(|o| o.get(key)).filter(|v| !v.is_null())
}

/// `{ to, type, <type>: body, context? }`; a missing `to` stays missing so validation says so.
fn envelope(to: &Value, ty: &str, body: Value, reply_to: Option<&Value>) -> Value {
    let mut m = Value::Object(Vec::with_capacity(4));
    if !to.is_null() {
        m.set("to", to.clone());
    }
    m.set("type", Value::from(ty));
    m.set(ty, body);
    if let Some(id) = reply_to {
        m.set("context", Value::object([("message_id", id.clone())]));
    }
    m
}

fn finish(ctx: IssueList, message: Value) -> Result<Value, Error> {
    super::check(ctx, message, None)
}

/// `textMessage(to, body, { previewUrl?, replyTo? })`.
pub fn text_message(to: &Value, body: &Value, opts: &Value) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let o = options(&mut ctx, opts, "textMessage", &["previewUrl", "replyTo"])?;
    let mut text = Value::object([("body", body.clone())]);
    if body.is_null() {
        text = Value::Object(Vec::new());
    }
    if let Some(p) = opt(o, "previewUrl") {
        text.set("preview_url", p.clone());
    }
    finish(ctx, envelope(to, "text", text, opt(o, "replyTo")))
}

/// The common call of [`text_message`] (a string `to` and body, no options) without building the
/// message: the recipient when `{ to, type: "text", text: { body } }` is valid for a body of
/// `body_utf16_len` UTF-16 units (its API form is `to`), `None` when it is not (then
/// [`text_message`] says why). The bindings use it to build the object in JavaScript around the
/// caller's own body string; a test checks it agrees with [`text_message`].
pub fn text_message_recipient(to: &str, body_utf16_len: usize) -> Option<ValidNumber> {
    if !units_fit(body_utf16_len, super::limits::TEXT_BODY) {
        return None;
    }
    crate::engine::phone::check(to, None).ok()
}

/// `imageMessage` / `videoMessage` / `audioMessage` / `documentMessage` (and stickers):
/// `media` is `{ link }`, `{ id }`, or a string (a URL when it contains `:` or `/`, else a media
/// id); options `caption` (image, video, document), `filename` (document), `replyTo`.
pub fn media_message(
    kind: MediaKind,
    to: &Value,
    media: &Value,
    opts: &Value,
) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let allowed: &[&str] = match kind {
        MediaKind::Image | MediaKind::Video => &["caption", "replyTo"],
        MediaKind::Document => &["caption", "filename", "replyTo"],
        MediaKind::Audio | MediaKind::Sticker => &["replyTo"],
    };
    let what = match kind {
        MediaKind::Image => "imageMessage",
        MediaKind::Video => "videoMessage",
        MediaKind::Document => "documentMessage",
        MediaKind::Audio => "audioMessage",
        MediaKind::Sticker => "stickerMessage",
    };
    let o = options(&mut ctx, opts, what, allowed)?;
    let mut body = match media {
        Value::String(s) if s.contains([':', '/']) => Value::object([("link", media.clone())]),
        Value::String(_) => Value::object([("id", media.clone())]),
        Value::Null => Value::Object(Vec::new()),
        other => other.clone(),
    };
    for key in ["caption", "filename"] {
        if let Some(v) = opt(o, key) {
            body.set(key, v.clone());
        }
    }
    finish(ctx, envelope(to, kind.as_str(), body, opt(o, "replyTo")))
}

/// `"text"` → `{ type: "text", text }`; objects are already wire headers.
fn header(v: &Value) -> Value {
    match v {
        Value::String(_) => Value::object([("type", Value::from("text")), ("text", v.clone())]),
        other => other.clone(),
    }
}

/// `"text"` → `{ text }`; other values are used as they are.
fn text_object(v: &Value) -> Value {
    match v {
        Value::Object(_) => v.clone(),
        _ => Value::object([("text", v.clone())]),
    }
}

/// `{ type, header?, body, footer?, action }` from the common spec fields.
fn interactive(ty: &str, spec: Option<&Value>, action: Value) -> Value {
    let mut i = Value::Object(Vec::with_capacity(5));
    i.set("type", Value::from(ty));
    if let Some(h) = opt(spec, "header") {
        i.set("header", header(h));
    }
    if let Some(b) = opt(spec, "body") {
        i.set("body", text_object(b));
    }
    if let Some(f) = opt(spec, "footer") {
        i.set("footer", text_object(f));
    }
    i.set("action", action);
    i
}

fn spec<'a>(
    ctx: &mut IssueList,
    spec: &'a Value,
    what: &str,
    allowed: &[&str],
) -> Result<Option<&'a Value>, Error> {
    if spec.is_null() {
        ctx.issue("options", "REQUIRED", "the message content is required");
    }
    options(ctx, spec, what, allowed)
}

/// `buttonsMessage(to, { body, buttons, header?, footer?, replyTo? })`; each button is
/// `{ id, title }` or a string used as both.
pub fn buttons_message(to: &Value, spec_value: &Value) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let s = spec(
        &mut ctx,
        spec_value,
        "buttonsMessage",
        &["body", "buttons", "header", "footer", "replyTo"],
    )?;
    let buttons = match opt(s, "buttons") {
        Some(Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|b| {
                    let reply = match b {
                        Value::String(_) => {
                            Value::object([("id", b.clone()), ("title", b.clone())])
                        }
                        Value::Object(_) if b.get("reply").is_none() => b.clone(),
                        _ => return b.clone(),
                    };
                    Value::object([("type", Value::from("reply")), ("reply", reply)])
                })
                .collect(),
        ),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    let action = if buttons.is_null() {
        Value::Object(Vec::new())
    } else {
        Value::object([("buttons", buttons)])
    };
    finish(
        ctx,
        envelope(
            to,
            "interactive",
            interactive("button", s, action),
            opt(s, "replyTo"),
        ),
    )
}

/// `listMessage(to, { body, button, sections, header?, footer?, replyTo? })`; sections are in
/// the wire shape `[{ title?, rows: [{ id, title, description? }] }]`.
pub fn list_message(to: &Value, spec_value: &Value) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let s = spec(
        &mut ctx,
        spec_value,
        "listMessage",
        &["body", "button", "sections", "header", "footer", "replyTo"],
    )?;
    let mut action = Value::Object(Vec::with_capacity(2));
    for key in ["button", "sections"] {
        if let Some(v) = opt(s, key) {
            action.set(key, v.clone());
        }
    }
    finish(
        ctx,
        envelope(
            to,
            "interactive",
            interactive("list", s, action),
            opt(s, "replyTo"),
        ),
    )
}

use crate::engine::fields::units_fit;
pub use crate::engine::fields::ABSENT;

/// The common call of [`list_message`] without building the message: the recipient when the spec
/// the shape describes is valid (its API form is `to`), `None` when it is not or the shape is
/// malformed (then [`list_message`] says why). The bindings use it for specs of plain strings, no
/// `replyTo` and a string header if any, whose text never crosses into wasm: `shape` holds UTF-16
/// lengths ([`ABSENT`] for an optional field left out), `ids` the row ids, each ended by a NUL.
///
/// `shape`: body, button, header, footer, the section count; per section its title and row
/// count; per row its id, title and description. The rules are [`list_message`]'s (the limits of
/// [`super::limits`]); a test checks the two agree on every spec it generates.
pub fn list_message_recipient(to: &str, shape: &[u32], ids: &str) -> Option<ValidNumber> {
    use super::limits as lim;
    // A required text of 1..=max units, or an optional one absent or so.
    let text = |units: u32, max: usize| units_fit(units as usize, max);
    let optional = |units: u32, max: usize| units == ABSENT || text(units, max);
    let mut words = shape.iter().copied();
    let mut next = || words.next();
    let [body, button, header, footer, sections] = [next()?, next()?, next()?, next()?, next()?];
    let mut ok = text(body, lim::LIST_BODY)
        && text(button, lim::LIST_BUTTON)
        && optional(header, lim::HEADER_TEXT)
        && optional(footer, lim::FOOTER_TEXT)
        && sections >= 1
        && sections as usize <= lim::MAX_SECTIONS;
    let mut ids = ids.split_terminator('\0');
    let mut seen: [&str; lim::MAX_ROWS] = [""; lim::MAX_ROWS];
    let mut rows_total = 0usize;
    for _ in 0..sections {
        let (title, rows) = (next()?, next()?);
        ok &= if sections > 1 {
            text(title, lim::SECTION_TITLE)
        } else {
            optional(title, lim::SECTION_TITLE)
        };
        ok &= rows >= 1;
        for _ in 0..rows {
            let [id_units, title, description] = [next()?, next()?, next()?];
            let id = ids.next()?;
            ok &= text(id_units, lim::ROW_ID)
                && text(title, lim::ROW_TITLE)
                && optional(description, lim::ROW_DESCRIPTION);
            // Over ten rows in all, or an id seen before: not valid.
            let before = seen.get(..rows_total).unwrap_or(&seen);
            if before.contains(&id) || rows_total >= lim::MAX_ROWS {
                ok = false;
            } else if let Some(slot) = seen.get_mut(rows_total) {
                *slot = id;
            }
            rows_total = rows_total.saturating_add(1);
        }
    }
    if !ok || next().is_some() || ids.next().is_some() {
        return None;
    }
    crate::engine::phone::check(to, None).ok()
}

/// `ctaUrlMessage(to, { body, displayText, url, header?, footer?, replyTo? })`.
pub fn cta_url_message(to: &Value, spec_value: &Value) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let s = spec(
        &mut ctx,
        spec_value,
        "ctaUrlMessage",
        &["body", "displayText", "url", "header", "footer", "replyTo"],
    )?;
    let mut params = Value::Object(Vec::with_capacity(2));
    if let Some(v) = opt(s, "displayText") {
        params.set("display_text", v.clone());
    }
    if let Some(v) = opt(s, "url") {
        params.set("url", v.clone());
    }
    let action = Value::object([("name", Value::from("cta_url")), ("parameters", params)]);
    finish(
        ctx,
        envelope(
            to,
            "interactive",
            interactive("cta_url", s, action),
            opt(s, "replyTo"),
        ),
    )
}

/// `templateMessage(to, { name, language, components?, replyTo? })`; `language` as `"en_US"` or
/// `{ code: "en_US" }` (sent as the latter); components in the wire shape.
pub fn template_message(to: &Value, spec_value: &Value) -> Result<Value, Error> {
    let mut ctx = IssueList::default();
    let s = spec(
        &mut ctx,
        spec_value,
        "templateMessage",
        &["name", "language", "components", "replyTo"],
    )?;
    let mut t = Value::Object(Vec::with_capacity(3));
    for key in ["name", "language", "components"] {
        if let Some(v) = opt(s, key) {
            t.set(key, v.clone());
        }
    }
    finish(ctx, envelope(to, "template", t, opt(s, "replyTo")))
}

/// The common call of [`template_message`] without building the message: the recipient when the
/// template a shape describes is valid (its API form is `to`), `None` when it is not or the shape is
/// malformed (then [`template_message`] says why). The bindings use it for specs with a bare
/// `language` code, string-valued parameters (`text`, `payload`, `coupon_code`) and no
/// `parameter_name` or `replyTo`, whose parameter values never cross into wasm: `strings` holds the
/// name, the language and any button index given as a string, each ended by a NUL; `shape` is
/// described at `template::parameters::shape_valid`, which checks it with the rules of the
/// general path's check. A test checks the two agree on every spec it generates.
pub fn template_message_recipient(to: &str, shape: &[u32], strings: &str) -> Option<ValidNumber> {
    let mut strings = strings.split_terminator('\0');
    let (name, language) = (strings.next()?, strings.next()?);
    let mut words = shape.iter().copied();
    let valid =
        crate::engine::template::parameters::shape_valid(name, language, &mut words, &mut strings)?;
    if !valid || words.next().is_some() || strings.next().is_some() {
        return None;
    }
    crate::engine::phone::check(to, None).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// That a shortcut answered as the builder did: the builder's recipient when it built the
    /// message, nothing when it refused (`counts`: how many of each).
    fn agree(
        built: Result<Value, Error>,
        quick: Option<ValidNumber>,
        spec: &Value,
        counts: &mut [usize; 2],
    ) {
        let want = built
            .as_ref()
            .ok()
            .map(|m| m.get("to").and_then(Value::as_str));
        let quick = quick.map(|n| n.digits());
        assert_eq!(quick.as_deref(), want.flatten(), "{}", spec.to_json());
        counts[usize::from(built.is_err())] += 1;
    }

    /// A string of `units` UTF-16 units: ASCII, or two-unit emoji (four UTF-8 bytes each) when
    /// `wide`, so byte and unit counts disagree.
    fn text_of(units: u32, wide: bool) -> String {
        if wide && units % 2 == 0 {
            "😀".repeat(units as usize / 2)
        } else {
            "a".repeat(units as usize)
        }
    }

    /// The shortcut the bindings take for `listMessage(to, spec)` answers exactly as the builder,
    /// on random specs around every limit (lengths one under, at and over, missing and empty
    /// fields, 0 to 11 sections and rows, repeated ids), and on malformed shapes.
    #[test]
    fn list_message_recipient_agrees_with_list_message() {
        let mut rng = crate::engine::test_rng::Rng::new(18);
        let recipients = [
            "+233 24 400 0000",
            "024 400 0000",
            "+233 24 400",
            "+1 (415) 555-2671",
        ];
        let mut counts = [0, 0];
        for case in 0..20_000 {
            let wide = rng.below(2) == 0;
            // A length near `max` (or any), or ABSENT when `optional`.
            let units = |rng: &mut crate::engine::test_rng::Rng, max: u32, optional: bool| {
                let picks = [1, 2, max, max + 1, 0, max - 1];
                let at = rng.below(if optional { 9 } else { 8 });
                match at {
                    0..=5 => picks[at],
                    6 if optional => ABSENT,
                    _ => 1 + rng.below(max as usize) as u32,
                }
            };
            let mut spec = Value::Object(Vec::new());
            let mut shape = Vec::new();
            let mut ids = String::new();
            for (key, max, optional) in [
                ("body", 4096, false),
                ("button", 20, false),
                ("header", 60, true),
                ("footer", 60, true),
            ] {
                let n = if rng.below(4) == 0 {
                    units(&mut rng, max, optional)
                } else {
                    1 + rng.below(max as usize) as u32
                };
                shape.push(n);
                if n != ABSENT {
                    spec.set(key, Value::from(text_of(n, wide)));
                }
            }
            let sections = if rng.below(8) == 0 {
                rng.below(12)
            } else {
                1 + rng.below(3)
            };
            shape.push(sections as u32);
            let mut list = Vec::new();
            for _ in 0..sections {
                let mut section = Value::Object(Vec::new());
                let title = if rng.below(4) == 0 {
                    units(&mut rng, 24, true)
                } else {
                    1 + rng.below(24) as u32
                };
                shape.push(title);
                if title != ABSENT {
                    section.set("title", Value::from(text_of(title, wide)));
                }
                let rows = if rng.below(8) == 0 {
                    rng.below(12)
                } else {
                    1 + rng.below(4)
                };
                shape.push(rows as u32);
                let mut items = Vec::new();
                for _ in 0..rows {
                    // Mostly unique; now and then one from a small pool (repeats), empty or long.
                    let id = match rng.below(40) {
                        0..=3 => rng.pick(&["a", "b", "", "\u{e9}t\u{e9}"]).to_string(),
                        4 => text_of(199 + rng.below(3) as u32, wide),
                        n => format!("row{n}-{}", items.len()),
                    };
                    let title = if rng.below(4) == 0 {
                        units(&mut rng, 24, false)
                    } else {
                        1 + rng.below(24) as u32
                    };
                    let description = if rng.below(4) == 0 {
                        units(&mut rng, 72, true)
                    } else {
                        ABSENT
                    };
                    shape.extend([
                        crate::engine::message::utf16_len(&id) as u32,
                        title,
                        description,
                    ]);
                    ids.push_str(&id);
                    ids.push('\0');
                    let mut row = Value::object([
                        ("id", Value::from(id.as_str())),
                        ("title", Value::from(text_of(title, wide))),
                    ]);
                    if description != ABSENT {
                        row.set("description", Value::from(text_of(description, wide)));
                    }
                    items.push(row);
                }
                section.set("rows", Value::Array(items));
                list.push(section);
            }
            spec.set("sections", Value::Array(list));
            let to = recipients[case % recipients.len()];
            let quick = list_message_recipient(to, &shape, &ids);
            agree(
                list_message(&Value::from(to), &spec),
                quick,
                &spec,
                &mut counts,
            );
            // A shape cut short, one word too many, or one id too few or too many is malformed.
            let digits = |shape: &[u32], ids: &str| list_message_recipient(to, shape, ids);
            assert!(digits(&shape[..shape.len() - 1], &ids).is_none());
            assert!(digits(&[&shape[..], &[1]].concat(), &ids).is_none());
            if !ids.is_empty() {
                let last = ids[..ids.len() - 1].rfind('\0').map_or(0, |at| at + 1);
                assert!(digits(&shape, &ids[..last]).is_none());
                assert!(digits(&shape, &format!("{ids}x\0")).is_none());
            }
        }
        assert!(
            counts.iter().all(|n| *n > 2_000),
            "valid, invalid: {counts:?}"
        );
    }

    /// The shortcut the bindings take for `templateMessage(to, spec)` answers exactly as the
    /// builder, on random templates: names and languages good and bad, 0 to 4 components of every
    /// kind (repeated, with and without sub-types, indexes as numbers and strings, in and out of
    /// range, repeated), 0 to 3 parameters of each string type, values around every limit.
    #[test]
    fn template_message_recipient_agrees_with_template_message() {
        use crate::engine::template::parameters::INDEX_IS_STRING;
        let mut rng = crate::engine::test_rng::Rng::new(1812);
        let mut counts = [0, 0];
        let lengths = [
            1, 2, 14, 15, 16, 59, 60, 61, 1023, 1024, 1025, 32_768, 32_769, 0,
        ];
        for case in 0..20_000 {
            let wide = rng.below(2) == 0;
            let name = match rng.below(12) {
                0 => "Order_Update".to_string(),
                1 => String::new(),
                2 => "a".repeat(512 + rng.below(2)),
                _ => "order_update".to_string(),
            };
            let language = match rng.below(12) {
                0 => "",
                1 => "xx_XX",
                2 => "EN_us",
                3 => "en",
                _ => "en_US",
            };
            let mut spec = Value::object([
                ("name", Value::from(name.as_str())),
                ("language", Value::from(language)),
            ]);
            let mut shape = Vec::new();
            let mut strings = format!("{name}\0{language}\0");
            let count = rng.below(6);
            if count == 5 {
                shape.push(ABSENT);
            } else {
                shape.push(count as u32);
                let mut components = Vec::new();
                for _ in 0..count {
                    // Mostly one of each kind in order (the common template), now and then any.
                    let kind = if rng.below(4) == 0 {
                        rng.below(3)
                    } else {
                        components.len().min(2)
                    };
                    let kind_name = ["header", "body", "button"][kind];
                    let mut component = Value::object([("type", Value::from(kind_name))]);
                    let (mut sub_type, mut index) = (ABSENT, ABSENT);
                    if kind == 2 || rng.below(20) == 0 {
                        if rng.below(10) > 0 {
                            sub_type = rng.below(3) as u32;
                            component.set(
                                "sub_type",
                                Value::from(["quick_reply", "url", "copy_code"][sub_type as usize]),
                            );
                        }
                        match rng.below(10) {
                            0 => {}
                            1..=3 => {
                                let text = rng.pick(&["0", "1", "2", "9", "10", "a", ""]);
                                index = INDEX_IS_STRING;
                                strings.push_str(text);
                                strings.push('\0');
                                component.set("index", Value::from(text));
                            }
                            _ => {
                                let range = if rng.below(10) == 0 { 12 } else { 3 };
                                index = rng.below(range) as u32;
                                component.set("index", Value::from(u64::from(index)));
                            }
                        }
                    }
                    let params = if rng.below(8) == 0 {
                        rng.below(4)
                    } else {
                        1 + (kind == 1) as usize * rng.below(3)
                    };
                    shape.extend([kind as u32, sub_type, index, params as u32]);
                    let mut list = Vec::new();
                    for _ in 0..params {
                        // The type the component takes, mostly.
                        let ty = match (kind, sub_type) {
                            _ if rng.below(10) == 0 => rng.below(3),
                            (2, 0) => 1,
                            (2, 2) => 2,
                            _ => 0,
                        };
                        let units = if rng.below(3) == 0 {
                            lengths[rng.below(lengths.len())]
                        } else {
                            1 + rng.below(15) as u32
                        };
                        shape.extend([ty as u32, units]);
                        let ty_name = ["text", "payload", "coupon_code"][ty];
                        list.push(Value::object([
                            ("type", Value::from(ty_name)),
                            (ty_name, Value::from(text_of(units, wide))),
                        ]));
                    }
                    component.set("parameters", Value::Array(list));
                    components.push(component);
                }
                spec.set("components", Value::Array(components));
            }
            let to = ["+233 24 400 0000", "+233 24 400"][usize::from(case % 5 == 0)];
            let quick = template_message_recipient(to, &shape, &strings);
            agree(
                template_message(&Value::from(to), &spec),
                quick,
                &spec,
                &mut counts,
            );
            // A shape cut short or one word too many, and a string too few or too many, are malformed.
            assert!(template_message_recipient(to, &shape[..shape.len() - 1], &strings).is_none());
            assert!(
                template_message_recipient(to, &[&shape[..], &[1]].concat(), &strings).is_none()
            );
            assert!(template_message_recipient(to, &shape, &format!("{strings}x\0")).is_none());
        }
        assert!(
            counts.iter().all(|n| *n > 2_000),
            "valid, invalid: {counts:?}"
        );
    }

    /// The shortcut the bindings take for `textMessage(to, body)` answers exactly as the builder.
    #[test]
    fn text_message_recipient_agrees_with_text_message() {
        let recipients = [
            "+233 24 400 0000",
            "233244000000",
            "+1 (415) 555-2671",
            "024 400 0000",
            "+233 24 400",
            "+44 7400 123456 ext 1",
            "",
            "+",
            "++233244000000",
            "+999 123 456",
            "+233 ２４ 400 0000",
        ];
        let bodies = [
            String::new(),
            "Hi".to_string(),
            "é".repeat(4096),
            "a".repeat(4096),
            "a".repeat(4097),
            "😀".repeat(2048),
            "😀".repeat(2049),
        ];
        for to in recipients {
            for body in &bodies {
                let units = crate::engine::message::utf16_len(body);
                let built =
                    text_message(&Value::from(to), &Value::from(body.as_str()), &Value::Null);
                let quick = text_message_recipient(to, units).map(|n| n.digits());
                match built {
                    Ok(message) => assert_eq!(
                        quick.as_deref(),
                        message.get("to").and_then(Value::as_str),
                        "{to:?} with {units} units"
                    ),
                    Err(_) => assert_eq!(quick, None, "{to:?} with {units} units"),
                }
            }
        }
    }
}
