//! [`check_media`]: a media item `{ type, mimeType?, size?, filename?, link?, animated? }` (and,
//! when given, the file's first bytes) against the limits for its type, one step a function.

use super::kind::{mime_for_filename, normalise_mime, MediaKind};
use super::link;
use super::sniff::{mime_compatible, sniff, Sniffed, OLE_GENERIC};
use crate::engine::error::{Error, Issue, IssueList};
use crate::engine::json::Quoted;
use crate::engine::json::Value;

const CHECK_FIELDS: [&str; 6] = ["type", "mimeType", "size", "filename", "link", "animated"];

/// A media item's fields as read, then as settled by the checks.
struct Item {
    kind: Option<MediaKind>,
    /// `mimeType` as declared, then its checked essence, else the type the names or bytes say.
    mime: Option<String>,
    size: Option<u64>,
    filename: Option<String>,
    link: Option<String>,
    animated: Option<bool>,
}

/// Checks a media item `{ type, mimeType?, size?, filename?, link?, animated? }` (and, when
/// given, the file's first bytes) against the limits for its type.
///
/// Returns the normalised item, with `mimeType` filled in from the bytes, the file name or the
/// link when not declared, and `maxSize`, the limit that applies. Fails with
/// [`Error::InvalidMedia`] listing every issue; a declared type that the bytes contradict is one.
pub fn check_media(input: &Value, bytes: Option<&[u8]>) -> Result<Value, Error> {
    let Some(members) = input.as_object() else {
        return Err(Error::InvalidMedia {
            issues: vec![Issue::new(
                "",
                "INVALID_TYPE",
                format!(
                    "the media item must be an object, not {}",
                    input.type_name()
                ),
            )],
        });
    };
    let mut issues = IssueList::default();
    for (key, _) in members {
        if !CHECK_FIELDS.contains(&key.as_str()) {
            issues.issue(
                key.as_str(),
                "UNKNOWN_FIELD",
                format!(
                    "{key} is not a media field (expected one of {})",
                    CHECK_FIELDS.join(", ")
                ),
            );
        }
    }
    let mut item = read(&mut issues, input);
    item.mime = item
        .mime
        .take()
        .and_then(|raw| declared_mime(&mut issues, item.kind, &raw));
    mime_from_names(&mut issues, &mut item);
    if let Some(bytes) = bytes {
        match sniff(bytes) {
            None => issues.issue(
                "bytes",
                "MISMATCH",
                format!(
                    "the bytes are not a file format WhatsApp accepts{}",
                    item.kind
                        .map(|k| format!(" for {}", k.as_str()))
                        .unwrap_or_default()
                ),
            ),
            Some(found) => sniffed(&mut issues, &mut item, &found),
        }
    }
    let max = limits(&mut issues, &item);
    if !issues.is_empty() {
        return Err(Error::InvalidMedia {
            issues: issues.into_issues(),
        });
    }
    Ok(to_value(item, max))
}

/// Reads each field, reporting those of the wrong type, a bad link and a bad file name.
fn read(issues: &mut IssueList, input: &Value) -> Item {
    let kind = kind_of(issues, input.get("type"));
    let mime = optional_text(issues, input, "mimeType");
    let filename = optional_text(issues, input, "filename");
    let link = optional_text(issues, input, "link");
    let size = size_of(issues, input.get("size"));
    let animated = match input.get("animated") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            issues.issue(
                "animated",
                "INVALID_TYPE",
                format!("animated must be a boolean, not {}", other.type_name()),
            );
            None
        }
    };
    if let Some(link) = &link {
        if let Err((code, message)) = link::check_media_link(link) {
            issues.issue("link", code, message);
        }
    }
    if let Some(name) = &filename {
        check_filename(issues, "filename", name);
    }
    Item {
        kind,
        mime,
        size,
        filename,
        link,
        animated,
    }
}

fn kind_of(issues: &mut IssueList, v: Option<&Value>) -> Option<MediaKind> {
    match v {
        None | Some(Value::Null) => {
            issues.issue(
                "type",
                "REQUIRED",
                "type is required: image, video, audio, document or sticker",
            );
            None
        }
        Some(Value::String(s)) => {
            let kind = MediaKind::parse(s);
            if kind.is_none() {
                issues.issue("type", "INVALID_VALUE", format!("type {s} is not a media type; use image, video, audio, document or sticker", s = Quoted(s)));
            }
            kind
        }
        Some(other) => {
            issues.issue(
                "type",
                "INVALID_TYPE",
                format!("type must be a string, not {}", other.type_name()),
            );
            None
        }
    }
}

/// A string field, or `None` when absent, `null` or (with an issue) not a string.
fn optional_text(issues: &mut IssueList, input: &Value, key: &str) -> Option<String> {
    match input.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            issues.issue(
                key,
                "INVALID_TYPE",
                format!("{key} must be a string, not {}", other.type_name()),
            );
            None
        }
    }
}

fn size_of(issues: &mut IssueList, v: Option<&Value>) -> Option<u64> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => {
                issues.issue("size", "EMPTY", "size is 0: the file is empty");
                None
            }
            Some(s) => Some(s),
            None => {
                issues.issue(
                    "size",
                    "INVALID_VALUE",
                    format!("size must be a whole number of bytes, not {n}"),
                );
                None
            }
        },
        Some(other) => {
            issues.issue(
                "size",
                "INVALID_TYPE",
                format!("size must be a number of bytes, not {}", other.type_name()),
            );
            None
        }
    }
}

/// The declared `mimeType`'s essence, checked against the kind (and Ogg's codec).
pub(super) fn declared_mime(
    issues: &mut IssueList,
    kind: Option<MediaKind>,
    raw: &str,
) -> Option<String> {
    let (essence, params) = normalise_mime(raw);
    if let (Some(kind), true) = (kind, !essence.is_empty()) {
        if !kind.mime_types().contains(&essence.as_str()) {
            issues.issue(
                "mimeType",
                "UNSUPPORTED_TYPE",
                format!(
                    "{essence} is not accepted for {}; use {}",
                    kind.as_str(),
                    kind.mime_types().join(", ")
                ),
            );
        }
    }
    if essence == "audio/ogg" {
        if let Some(codecs) = params.as_deref().and_then(|p| {
            p.split(';')
                .find_map(|kv| kv.trim().strip_prefix("codecs="))
        }) {
            if codecs.trim_matches('"') != "opus" {
                issues.issue(
                    "mimeType",
                    "UNSUPPORTED_CODEC",
                    "Ogg audio must use the Opus codec",
                );
            }
        }
    }
    if essence.is_empty() {
        issues.issue("mimeType", "EMPTY", "mimeType is empty");
        return None;
    }
    Some(essence)
}

/// The file name (or the link's last path segment) says the type when it was not declared, and
/// must agree with it when it was.
fn mime_from_names(issues: &mut IssueList, item: &mut Item) {
    let named = item.filename.as_deref().and_then(mime_for_filename);
    if let (Some(m), Some(n)) = (&item.mime, named) {
        if !mime_compatible(m, n) {
            issues.issue(
                "filename",
                "MISMATCH",
                format!("the file name's extension means {n}, but mimeType is {m}"),
            );
        }
    }
    if item.mime.is_some() {
        return;
    }
    item.mime = named
        .or_else(|| {
            let path = item.link.as_deref()?.split(['?', '#']).next()?;
            mime_for_filename(path.rsplit('/').next()?)
        })
        .map(str::to_string);
    if let (Some(kind), Some(m)) = (item.kind, &item.mime) {
        if !kind.mime_types().contains(&m.as_str()) {
            issues.issue(
                if named.is_some() { "filename" } else { "link" },
                "UNSUPPORTED_TYPE",
                format!(
                    "the file extension means {m}, which is not accepted for {}; use {}",
                    kind.as_str(),
                    kind.mime_types().join(", ")
                ),
            );
        }
    }
}

/// What the bytes say (`found`) against the kind, the type, the codec and `animated`.
fn sniffed(issues: &mut IssueList, item: &mut Item, found: &Sniffed) {
    if let Some(kind) = item.kind {
        let fits_kind = kind
            .mime_types()
            .iter()
            .any(|m| mime_compatible(m, found.mime_type));
        if !fits_kind {
            issues.issue(
                "bytes",
                "MISMATCH",
                format!(
                    "the bytes are {}, which is not accepted for {}",
                    found.mime_type,
                    kind.as_str()
                ),
            );
        } else if let Some(m) = &item.mime {
            if !mime_compatible(m, found.mime_type) {
                issues.issue(
                    "bytes",
                    "MISMATCH",
                    format!(
                        "the bytes are {}, but the declared type is {m}",
                        found.mime_type
                    ),
                );
            }
        }
    }
    if let Some(codec) = found.codec.filter(|c| *c != "opus") {
        issues.issue(
            "bytes",
            "UNSUPPORTED_CODEC",
            format!("the Ogg audio uses {codec}; WhatsApp plays only Opus"),
        );
    }
    if let (Some(declared), Some(actual)) = (item.animated, found.animated) {
        if declared != actual {
            issues.issue(
                "animated",
                "MISMATCH",
                format!("animated is {declared}, but the bytes say {actual}"),
            );
        }
    }
    item.animated = item.animated.or(found.animated);
    if item.mime.is_none() && found.mime_type != OLE_GENERIC {
        item.mime = Some(found.mime_type.to_string());
    }
}

/// The size limit for the kind (`maxSize`), with the size and a document's file name checked.
fn limits(issues: &mut IssueList, item: &Item) -> Option<u64> {
    let kind = item.kind?;
    let limit = kind.max_bytes(item.animated.unwrap_or(false));
    if kind == MediaKind::Document && item.filename.is_none() {
        issues.issue(
            "filename",
            "REQUIRED",
            "filename is required for documents (the recipient sees it)",
        );
    }
    if let Some(size) = item.size.filter(|s| *s > limit) {
        let hint = if kind == MediaKind::Sticker && item.animated.is_none() {
            " (the static sticker limit; pass animated: true for an animated sticker, limit 500000)"
        } else {
            ""
        };
        issues.push(
            Issue::new(
                "size",
                "TOO_LARGE",
                format!(
                    "size is {size} bytes; the limit for {} is {limit}{hint}",
                    kind.as_str()
                ),
            )
            .with_limit(limit),
        );
    }
    Some(limit)
}

fn to_value(item: Item, max: Option<u64>) -> Value {
    let mut out = Value::Object(Vec::new());
    if let Some(kind) = item.kind {
        out.set("type", Value::from(kind.as_str()));
    }
    if let Some(m) = item.mime {
        out.set("mimeType", Value::from(m));
    }
    if let Some(s) = item.size {
        out.set("size", Value::from(s));
    }
    if let Some(f) = item.filename {
        out.set("filename", Value::from(f));
    }
    if let Some(l) = item.link {
        out.set("link", Value::from(l));
    }
    if let Some(a) = item.animated {
        out.set("animated", Value::Bool(a));
    }
    if let Some(m) = max {
        out.set("maxSize", Value::from(m));
    }
    out
}

/// A document file name: not empty, no control characters, no path separators.
pub(crate) fn check_filename(issues: &mut IssueList, path: &str, name: &str) {
    if name.trim().is_empty() {
        issues.push(Issue::new(
            path,
            "EMPTY",
            format!("{path} must not be empty"),
        ));
    } else if name
        .chars()
        .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        issues.push(Issue::new(
            path,
            "INVALID_VALUE",
            format!(
                "{path} must be a bare file name without path separators or control characters"
            ),
        ));
    }
}
