//! Field primitives: read one field of a JSON value as an object, array, string, boolean or
//! media object, adding an [`Issue`](crate::engine::error::Issue) to an [`IssueList`] when it is
//! missing, of the wrong type or too long. The message walk and the template checks both use them.
//! Uses `engine::error`, `engine::json` and `engine::media`.

use crate::engine::error::IssueList;
use crate::engine::json::Value;
use crate::engine::media::{check_filename, link, MediaKind};

/// `INVALID_TYPE` at `path`: it must be `want` ("a string", "an object", …), not what `got` is.
pub(crate) fn wrong_type(issues: &mut IssueList, path: &str, want: &str, got: &Value) {
    issues.issue(
        path,
        "INVALID_TYPE",
        format!("{path} must be {want}, not {}", got.type_name()),
    );
}

/// `parent.key`, or `key` at the root.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        let mut s = String::with_capacity(parent.len().saturating_add(1).saturating_add(key.len()));
        s.push_str(parent);
        s.push('.');
        s.push_str(key);
        s
    }
}

/// `parent[index]`.
pub(crate) fn at(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Length in UTF-16 code units, as JavaScript counts it.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Reports `key` under `parent` as unknown, with a hint for the usual mistakes.
pub(crate) fn unknown(issues: &mut IssueList, parent: &str, key: &str) {
    let path = join(parent, key);
    let hint = match key {
        "url" => "; media goes by link (or id)",
        "previewUrl" => "; the wire name is preview_url",
        "mimeType" | "mime_type" => "; the API reads the type from the file",
        "__proto__" | "constructor" | "prototype" => "",
        _ => "",
    };
    issues.issue(
        &path,
        "UNKNOWN_FIELD",
        format!("{path} is not a field the API accepts here{hint}"),
    );
}

/// Reports every member of `obj` not in `allowed`.
pub(crate) fn keys(issues: &mut IssueList, obj: &Value, path: &str, allowed: &[&str]) {
    if let Some(members) = obj.as_object() {
        for (k, _) in members {
            if !allowed.contains(&k.as_str()) {
                unknown(issues, path, k);
            }
        }
    }
}

/// `v` when it is an object; an issue when it is missing (and required) or not an object.
pub(crate) fn object<'a>(
    issues: &mut IssueList,
    v: Option<&'a Value>,
    path: &str,
    required: bool,
) -> Option<&'a Value> {
    match v {
        None if required => {
            issues.issue(path, "REQUIRED", format!("{path} is required"));
            None
        }
        None => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(other) => {
            issues.issue(
                path,
                "INVALID_TYPE",
                format!("{path} must be an object, not {}", other.type_name()),
            );
            None
        }
    }
}

/// `v` when it is an array; an issue when it is missing (and required) or not an array.
pub(crate) fn array<'a>(
    issues: &mut IssueList,
    v: Option<&'a Value>,
    path: &str,
    required: bool,
) -> Option<&'a [Value]> {
    match v {
        None if required => {
            issues.issue(path, "REQUIRED", format!("{path} is required"));
            None
        }
        None => None,
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            issues.issue(
                path,
                "INVALID_TYPE",
                format!("{path} must be an array, not {}", other.type_name()),
            );
            None
        }
    }
}

/// The word for an optional field left out, in the shapes the quick paths check
/// (`message::build::list_message_recipient`, `template::parameters::shape_valid`).
pub const ABSENT: u32 = u32::MAX;

/// Whether a text of `units` UTF-16 units passes [`text`]'s length rule, 1..=`max`: for the quick
/// paths, which are given a text's length rather than the text.
pub(crate) fn units_fit(units: usize, max: usize) -> bool {
    units != 0 && units <= max
}

/// A string of 1..=`max` UTF-16 units.
pub(crate) fn text<'a>(
    issues: &mut IssueList,
    v: Option<&'a Value>,
    path: &str,
    required: bool,
    max: usize,
) -> Option<&'a str> {
    let s = match v {
        None if required => {
            issues.issue(path, "REQUIRED", format!("{path} is required"));
            return None;
        }
        None => return None,
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            issues.issue(
                path,
                "INVALID_TYPE",
                format!("{path} must be a string, not {}", other.type_name()),
            );
            return None;
        }
    };
    if s.is_empty() {
        issues.issue(path, "EMPTY", format!("{path} must not be empty"));
        return Some(s);
    }
    // Byte length bounds the UTF-16 length from above, so most strings skip the count.
    if s.len() > max {
        let n = utf16_len(s);
        if n > max {
            issues.limit(
                path,
                "TOO_LONG",
                format!("{path} is {n} characters (UTF-16 units); the limit is {max}"),
                max,
            );
        }
    }
    Some(s)
}

pub(crate) fn boolean(issues: &mut IssueList, v: Option<&Value>, path: &str) {
    if let Some(v) = v {
        if v.as_bool().is_none() {
            issues.issue(
                path,
                "INVALID_TYPE",
                format!("{path} must be a boolean, not {}", v.type_name()),
            );
        }
    }
}

/// No leading or trailing whitespace (the API rejects it in button ids and titles).
pub(crate) fn trimmed(issues: &mut IssueList, s: Option<&str>, path: &str) {
    if let Some(s) = s {
        if !s.is_empty() && (s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace))
        {
            issues.issue(
                path,
                "WHITESPACE",
                format!("{path} must not start or end with spaces"),
            );
        }
    }
}

/// A media object (`image`, a header's `video`, a template parameter's `document`, …).
/// `caption_max` is the caption limit on a media message, which takes a caption and requires a
/// document's `filename`; `None` in headers and template parameters, which take neither.
pub(crate) fn media(
    issues: &mut IssueList,
    m: &Value,
    path: &str,
    kind: MediaKind,
    caption_max: Option<usize>,
) {
    let captioned = caption_max.is_some();
    let mut allowed: Vec<&str> = vec!["link", "id"];
    let caption = captioned
        && matches!(
            kind,
            MediaKind::Image | MediaKind::Video | MediaKind::Document
        );
    if caption {
        allowed.push("caption");
    }
    if kind == MediaKind::Document {
        allowed.push("filename");
    }
    keys(issues, m, path, &allowed);
    match (m.get("link"), m.get("id")) {
        (Some(_), Some(_)) => issues.issue(
            path,
            "CONFLICT",
            format!("{path} has both link and id; give one"),
        ),
        (None, None) => issues.issue(
            &join(path, "link"),
            "REQUIRED",
            format!("{path} needs a link (public HTTPS URL) or an id"),
        ),
        _ => {}
    }
    let link_path = join(path, "link");
    if let Some(url) = text(issues, m.get("link"), &link_path, false, usize::MAX) {
        if !url.is_empty() {
            if let Err((code, message)) = link::check_media_link(url) {
                issues.issue(&link_path, code, message);
            }
        }
    }
    let id_path = join(path, "id");
    text(issues, m.get("id"), &id_path, false, usize::MAX);
    if caption {
        text(
            issues,
            m.get("caption"),
            &join(path, "caption"),
            false,
            caption_max.unwrap_or(usize::MAX),
        );
    }
    if kind == MediaKind::Document {
        let fpath = join(path, "filename");
        // Required on document messages (R-SEND); optional on headers and parameters.
        if let Some(name) = text(issues, m.get("filename"), &fpath, captioned, usize::MAX) {
            if !name.is_empty() {
                check_filename(issues, &fpath, name);
            }
        }
    }
}
