//! Media rules: which formats and sizes each message type carries, link checks, and format
//! sniffing from the bytes.
//!
//! Sizes are in bytes with decimal units (5 MB = 5,000,000 bytes): the sources say "MB" without
//! saying which, and the decimal reading is the smaller, so a file that passes here passes
//! under either reading.
//!
//! ```
//! use sendexa_whatsapp::core::json::parse;
//! use sendexa_whatsapp::core::media::{check_media, sniff};
//!
//! let info = check_media(&parse(r#"{"type":"image","mimeType":"image/png","size":1000}"#).unwrap(), None).unwrap();
//! assert_eq!(info.get("maxSize").and_then(|v| v.as_u64()), Some(5_000_000));
//! let err = check_media(&parse(r#"{"type":"image","mimeType":"image/gif","size":6000000}"#).unwrap(), None).unwrap_err();
//! assert_eq!(err.issues().len(), 2);
//! assert_eq!(sniff(b"%PDF-1.7\n").map(|s| s.mime_type), Some("application/pdf"));
//! ```

pub mod link;
pub mod sniff;

pub use sniff::{sniff, Sniffed};

use crate::core::error::{Error, Issue, IssueList};
use crate::core::json::Value;

/// The message types that carry a media file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `image`: JPEG or PNG.
    Image,
    /// `video`: MP4 or 3GPP.
    Video,
    /// `audio`: AAC, AMR, MP3, MP4 audio, Ogg Opus.
    Audio,
    /// `document`: PDF, Office, plain text.
    Document,
    /// `sticker`: WebP.
    Sticker,
}

/// Image size limit: 5 MB. Source: developers.sendexa.co/whatsapp (live overview, "Supported
/// message types": JPEG/PNG ≤ 5 MB).
pub const MAX_IMAGE_BYTES: u64 = 5_000_000;
/// Video size limit: 16 MB. Source: developers.sendexa.co/whatsapp (MP4/3GPP ≤ 16 MB).
pub const MAX_VIDEO_BYTES: u64 = 16_000_000;
/// Audio size limit: 16 MB. Source: developers.sendexa.co/whatsapp (AAC/MP4/MPEG/OGG ≤ 16 MB).
pub const MAX_AUDIO_BYTES: u64 = 16_000_000;
/// Document size limit: 100 MB. Source: developers.sendexa.co/whatsapp (PDF/DOCX/XLSX… ≤ 100 MB).
pub const MAX_DOCUMENT_BYTES: u64 = 100_000_000;
/// Static sticker limit: 100 KB. Source: Meta WhatsApp Cloud API media reference ("Supported
/// media types": sticker image/webp, 100 KB static); Sendexa documents no sticker limit.
pub const MAX_STATIC_STICKER_BYTES: u64 = 100_000;
/// Animated sticker limit: 500 KB. Source: Meta WhatsApp Cloud API media reference.
pub const MAX_ANIMATED_STICKER_BYTES: u64 = 500_000;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

impl MediaKind {
    /// All kinds, in the order the docs list them.
    pub const ALL: [MediaKind; 5] = [
        MediaKind::Image,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Document,
        MediaKind::Sticker,
    ];

    /// The kind named `name` (the message `type`), if any.
    pub fn parse(name: &str) -> Option<MediaKind> {
        MediaKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The message `type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }

    /// The size limit in bytes (`animated` matters for stickers only).
    pub fn max_bytes(self, animated: bool) -> u64 {
        match self {
            MediaKind::Image => MAX_IMAGE_BYTES,
            MediaKind::Video => MAX_VIDEO_BYTES,
            MediaKind::Audio => MAX_AUDIO_BYTES,
            MediaKind::Document => MAX_DOCUMENT_BYTES,
            MediaKind::Sticker if animated => MAX_ANIMATED_STICKER_BYTES,
            MediaKind::Sticker => MAX_STATIC_STICKER_BYTES,
        }
    }

    /// The MIME types the kind accepts. Sources: developers.sendexa.co/whatsapp for image, video,
    /// audio (AAC/MP4/MPEG/OGG) and document (PDF/DOCX/XLSX…); the older draft adds AMR audio;
    /// Meta's media reference for the full document list and WebP stickers.
    pub fn mime_types(self) -> &'static [&'static str] {
        match self {
            MediaKind::Image => &["image/jpeg", "image/png"],
            MediaKind::Video => &["video/mp4", "video/3gpp"],
            MediaKind::Audio => &[
                "audio/aac",
                "audio/amr",
                "audio/mpeg",
                "audio/mp4",
                "audio/ogg",
            ],
            MediaKind::Document => &[
                "application/pdf",
                "application/msword",
                "application/vnd.ms-excel",
                "application/vnd.ms-powerpoint",
                DOCX,
                XLSX,
                PPTX,
                "text/plain",
            ],
            MediaKind::Sticker => &["image/webp"],
        }
    }
}

/// The MIME type for a file name's extension, when it is one WhatsApp accepts.
pub fn mime_for_filename(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "mp4" | "m4v" => "video/mp4",
        "3gp" | "3gpp" => "video/3gpp",
        "aac" => "audio/aac",
        "amr" => "audio/amr",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "opus" | "oga" => "audio/ogg",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "ppt" => "application/vnd.ms-powerpoint",
        "docx" => DOCX,
        "xlsx" => XLSX,
        "pptx" => PPTX,
        "txt" => "text/plain",
        _ => return None,
    })
}

/// Splits a MIME type into its lowercase essence and parameters, mapping common aliases
/// (`image/jpg`, `audio/mp3`) to their registered names.
fn normalise_mime(raw: &str) -> (String, Option<String>) {
    let lower = raw.trim().to_ascii_lowercase();
    let (essence, params) = match lower.split_once(';') {
        Some((e, p)) => (e.trim().to_string(), Some(p.trim().to_string())),
        None => (lower, None),
    };
    let essence = match essence.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg".to_string(),
        "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg" => "audio/mpeg".to_string(),
        "audio/x-m4a" | "audio/m4a" => "audio/mp4".to_string(),
        "audio/x-aac" => "audio/aac".to_string(),
        "audio/opus" => "audio/ogg".to_string(),
        _ => essence,
    };
    (essence, params)
}

/// Whether the bytes' format `sniffed` agrees with a declared MIME type: the same, or the same
/// container family (the MP4 family's brands are used loosely; an OLE file whose stream names
/// were not in the bytes matches any legacy Office type).
pub fn mime_compatible(declared: &str, sniffed: &str) -> bool {
    const MP4_FAMILY: [&str; 3] = ["video/mp4", "audio/mp4", "video/3gpp"];
    const OLE: [&str; 3] = [
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
    ];
    declared == sniffed
        || (MP4_FAMILY.contains(&declared) && MP4_FAMILY.contains(&sniffed))
        || (sniffed == sniff::OLE_GENERIC && OLE.contains(&declared))
}

const CHECK_FIELDS: [&str; 6] = ["type", "mimeType", "size", "filename", "link", "animated"];

/// Checks a media item `{ type, mimeType?, size?, filename?, link?, animated? }` (and, when
/// given, the file's first bytes) against the limits for its type.
///
/// Returns the normalised item, with `mimeType` filled in from the bytes, the file name or the
/// link when not declared, and `maxSize`, the limit that applies. Fails with
/// [`Error::InvalidMedia`] listing every issue; a declared type that the bytes contradict is one.
pub fn check_media(input: &Value, bytes: Option<&[u8]>) -> Result<Value, Error> {
    let mut issues = IssueList::default();
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
    for (key, _) in members {
        if !CHECK_FIELDS.contains(&key.as_str()) {
            issues.push(Issue::new(
                key.as_str(),
                "UNKNOWN_FIELD",
                format!(
                    "{key} is not a media field (expected one of {})",
                    CHECK_FIELDS.join(", ")
                ),
            ));
        }
    }
    let kind = match input.get("type") {
        None | Some(Value::Null) => {
            issues.push(Issue::new(
                "type",
                "REQUIRED",
                "type is required: image, video, audio, document or sticker",
            ));
            None
        }
        Some(Value::String(s)) => {
            let kind = MediaKind::parse(s);
            if kind.is_none() {
                issues.push(Issue::new("type", "INVALID_VALUE", format!("type {s:?} is not a media type; use image, video, audio, document or sticker")));
            }
            kind
        }
        Some(other) => {
            issues.push(Issue::new(
                "type",
                "INVALID_TYPE",
                format!("type must be a string, not {}", other.type_name()),
            ));
            None
        }
    };
    let text_field = |issues: &mut IssueList, key: &str| -> Option<String> {
        match input.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                issues.push(Issue::new(
                    key,
                    "INVALID_TYPE",
                    format!("{key} must be a string, not {}", other.type_name()),
                ));
                None
            }
        }
    };
    let declared_mime = text_field(&mut issues, "mimeType");
    let filename = text_field(&mut issues, "filename");
    let link = text_field(&mut issues, "link");
    let size = match input.get("size") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => {
                issues.push(Issue::new("size", "EMPTY", "size is 0: the file is empty"));
                None
            }
            Some(s) => Some(s),
            None => {
                issues.push(Issue::new(
                    "size",
                    "INVALID_VALUE",
                    format!("size must be a whole number of bytes, not {n}"),
                ));
                None
            }
        },
        Some(other) => {
            issues.push(Issue::new(
                "size",
                "INVALID_TYPE",
                format!("size must be a number of bytes, not {}", other.type_name()),
            ));
            None
        }
    };
    let mut animated = match input.get("animated") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            issues.push(Issue::new(
                "animated",
                "INVALID_TYPE",
                format!("animated must be a boolean, not {}", other.type_name()),
            ));
            None
        }
    };
    if let Some(link) = &link {
        if let Err((code, message)) = link::check_media_link(link) {
            issues.push(Issue::new("link", code, message));
        }
    }
    if let Some(name) = &filename {
        check_filename(&mut issues, "filename", name);
    }

    let mut mime: Option<String> = None;
    if let Some(raw) = &declared_mime {
        let (essence, params) = normalise_mime(raw);
        if let (Some(kind), true) = (kind, !essence.is_empty()) {
            if !kind.mime_types().contains(&essence.as_str()) {
                issues.push(Issue::new(
                    "mimeType",
                    "UNSUPPORTED_TYPE",
                    format!(
                        "{essence} is not accepted for {}; use {}",
                        kind.as_str(),
                        kind.mime_types().join(", ")
                    ),
                ));
            }
        }
        if essence == "audio/ogg" {
            if let Some(codecs) = params.as_deref().and_then(|p| {
                p.split(';')
                    .find_map(|kv| kv.trim().strip_prefix("codecs="))
            }) {
                if codecs.trim_matches('"') != "opus" {
                    issues.push(Issue::new(
                        "mimeType",
                        "UNSUPPORTED_CODEC",
                        "Ogg audio must use the Opus codec",
                    ));
                }
            }
        }
        if essence.is_empty() {
            issues.push(Issue::new("mimeType", "EMPTY", "mimeType is empty"));
        } else {
            mime = Some(essence);
        }
    }
    // The file name (or the link's last path segment) says the type when it was not declared.
    let named = filename.as_deref().and_then(mime_for_filename);
    if let (Some(m), Some(n)) = (&mime, named) {
        if !mime_compatible(m, n) {
            issues.push(Issue::new(
                "filename",
                "MISMATCH",
                format!("the file name's extension means {n}, but mimeType is {m}"),
            ));
        }
    }
    if mime.is_none() {
        mime = named
            .or_else(|| {
                let path = link.as_deref()?.split(['?', '#']).next()?;
                mime_for_filename(path.rsplit('/').next()?)
            })
            .map(str::to_string);
        if let (Some(kind), Some(m)) = (kind, &mime) {
            if !kind.mime_types().contains(&m.as_str()) {
                issues.push(Issue::new(
                    if named.is_some() { "filename" } else { "link" },
                    "UNSUPPORTED_TYPE",
                    format!(
                        "the file extension means {m}, which is not accepted for {}; use {}",
                        kind.as_str(),
                        kind.mime_types().join(", ")
                    ),
                ));
            }
        }
    }

    if let Some(bytes) = bytes {
        match sniff(bytes) {
            None => issues.issue(
                "bytes",
                "MISMATCH",
                format!(
                    "the bytes are not a file format WhatsApp accepts{}",
                    kind.map(|k| format!(" for {}", k.as_str()))
                        .unwrap_or_default()
                ),
            ),
            Some(found) => {
                if let Some(kind) = kind {
                    let fits_kind = kind
                        .mime_types()
                        .iter()
                        .any(|m| mime_compatible(m, found.mime_type));
                    if !fits_kind {
                        issues.push(Issue::new(
                            "bytes",
                            "MISMATCH",
                            format!(
                                "the bytes are {}, which is not accepted for {}",
                                found.mime_type,
                                kind.as_str()
                            ),
                        ));
                    } else if let Some(m) = &mime {
                        if !mime_compatible(m, found.mime_type) {
                            issues.push(Issue::new(
                                "bytes",
                                "MISMATCH",
                                format!(
                                    "the bytes are {}, but the declared type is {m}",
                                    found.mime_type
                                ),
                            ));
                        }
                    }
                }
                if let Some(codec) = found.codec.filter(|c| *c != "opus") {
                    issues.push(Issue::new(
                        "bytes",
                        "UNSUPPORTED_CODEC",
                        format!("the Ogg audio uses {codec}; WhatsApp plays only Opus"),
                    ));
                }
                if let (Some(declared), Some(actual)) = (animated, found.animated) {
                    if declared != actual {
                        issues.push(Issue::new(
                            "animated",
                            "MISMATCH",
                            format!("animated is {declared}, but the bytes say {actual}"),
                        ));
                    }
                }
                animated = animated.or(found.animated);
                if mime.is_none() && found.mime_type != sniff::OLE_GENERIC {
                    mime = Some(found.mime_type.to_string());
                }
            }
        }
    }

    let mut max = None;
    if let Some(kind) = kind {
        let limit = kind.max_bytes(animated.unwrap_or(false));
        max = Some(limit);
        if kind == MediaKind::Document && filename.is_none() {
            issues.push(Issue::new(
                "filename",
                "REQUIRED",
                "filename is required for documents (the recipient sees it)",
            ));
        }
        if let Some(size) = size {
            if size > limit {
                let hint = if kind == MediaKind::Sticker && animated.is_none() {
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
        }
    }
    if !issues.is_empty() {
        return Err(Error::InvalidMedia {
            issues: issues.into_issues(),
        });
    }
    let mut out = Value::Object(Vec::new());
    if let Some(kind) = kind {
        out.set("type", Value::from(kind.as_str()));
    }
    if let Some(m) = mime {
        out.set("mimeType", Value::from(m));
    }
    if let Some(s) = size {
        out.set("size", Value::from(s));
    }
    if let Some(f) = filename {
        out.set("filename", Value::from(f));
    }
    if let Some(l) = link {
        out.set("link", Value::from(l));
    }
    if let Some(a) = animated {
        out.set("animated", Value::Bool(a));
    }
    if let Some(m) = max {
        out.set("maxSize", Value::from(m));
    }
    Ok(out)
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

/// The result of [`sniff`] as the JavaScript `SniffResult`: `{ mimeType, type, animated?, codec? }`.
pub fn sniff_to_value(found: &Sniffed) -> Value {
    let mut out = Value::Object(Vec::new());
    out.set("mimeType", Value::from(found.mime_type));
    out.set("type", Value::from(found.kind.as_str()));
    if let Some(a) = found.animated {
        out.set("animated", Value::Bool(a));
    }
    if let Some(c) = found.codec {
        out.set("codec", Value::from(c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sniff::fixtures;
    use super::*;
    use crate::core::json::parse;

    fn check(json: &str, bytes: Option<&[u8]>) -> Result<Value, Vec<(String, &'static str)>> {
        let v = parse(json).unwrap_or(Value::Null);
        check_media(&v, bytes).map_err(|e| {
            e.issues()
                .iter()
                .map(|i| (i.path.clone(), i.code))
                .collect()
        })
    }

    #[test]
    fn size_limits_at_and_over() {
        for (kind, mime, limit, extra) in [
            ("image", "image/jpeg", MAX_IMAGE_BYTES, ""),
            ("video", "video/mp4", MAX_VIDEO_BYTES, ""),
            ("audio", "audio/ogg", MAX_AUDIO_BYTES, ""),
            (
                "document",
                "application/pdf",
                MAX_DOCUMENT_BYTES,
                r#","filename":"a.pdf""#,
            ),
            ("sticker", "image/webp", MAX_STATIC_STICKER_BYTES, ""),
            (
                "sticker",
                "image/webp",
                MAX_ANIMATED_STICKER_BYTES,
                r#","animated":true"#,
            ),
        ] {
            let at = format!(r#"{{"type":"{kind}","mimeType":"{mime}","size":{limit}{extra}}}"#);
            let over = format!(
                r#"{{"type":"{kind}","mimeType":"{mime}","size":{}{extra}}}"#,
                limit + 1
            );
            assert!(check(&at, None).is_ok(), "{at}");
            assert_eq!(
                check(&over, None),
                Err(vec![("size".into(), "TOO_LARGE")]),
                "{over}"
            );
            let err = check_media(&parse(&over).unwrap_or(Value::Null), None).unwrap_err();
            assert_eq!(err.issues()[0].limit, Some(limit));
            assert_eq!(err.code(), "INVALID_MEDIA");
        }
    }

    #[test]
    fn returns_normalised_info() {
        let v = check(r#"{"type":"document","filename":"Report.PDF","size":10,"link":"https://example.com/r"}"#, None).unwrap();
        assert_eq!(
            v.to_json(),
            r#"{"type":"document","mimeType":"application/pdf","size":10,"filename":"Report.PDF","link":"https://example.com/r","maxSize":100000000}"#
        );
        let v = check(
            r#"{"type":"image","mimeType":" Image/JPG ","link":"https://example.com/a.png"}"#,
            None,
        )
        .unwrap();
        assert_eq!(
            v.get("mimeType").and_then(Value::as_str),
            Some("image/jpeg")
        );
        let v = check(
            r#"{"type":"audio","link":"https://example.com/voice.opus?sig=1"}"#,
            None,
        )
        .unwrap();
        assert_eq!(v.get("mimeType").and_then(Value::as_str), Some("audio/ogg"));
    }

    #[test]
    fn reports_every_issue() {
        let got = check(
            r#"{"type":"document","mimeType":"application/zip","size":-1,"link":"http://localhost/x","extra":1}"#,
            None,
        );
        assert_eq!(
            got,
            Err(vec![
                ("extra".into(), "UNKNOWN_FIELD"),
                ("size".into(), "INVALID_VALUE"),
                ("link".into(), "INVALID_URL"),
                ("mimeType".into(), "UNSUPPORTED_TYPE"),
                ("filename".into(), "REQUIRED"),
            ])
        );
        assert_eq!(
            check(r#"{"type":"gif"}"#, None),
            Err(vec![("type".into(), "INVALID_VALUE")])
        );
        assert_eq!(check(r#"[]"#, None), Err(vec![("".into(), "INVALID_TYPE")]));
        assert_eq!(
            check(r#"{"type":"image","link":"https://10.0.0.1/a.jpg"}"#, None),
            Err(vec![("link".into(), "UNREACHABLE_URL")])
        );
        assert_eq!(
            check(
                r#"{"type":"audio","mimeType":"audio/ogg; codecs=vorbis"}"#,
                None
            ),
            Err(vec![("mimeType".into(), "UNSUPPORTED_CODEC")])
        );
        assert_eq!(
            check(
                r#"{"type":"document","mimeType":"application/pdf","filename":"a.docx"}"#,
                None
            ),
            Err(vec![("filename".into(), "MISMATCH")])
        );
        assert_eq!(
            check(r#"{"type":"image","filename":"a.webp"}"#, None),
            Err(vec![("filename".into(), "UNSUPPORTED_TYPE")])
        );
    }

    #[test]
    fn bytes_must_agree_with_the_declared_type() {
        let png = fixtures::png();
        assert!(check(r#"{"type":"image","mimeType":"image/png"}"#, Some(&png)).is_ok());
        assert_eq!(
            check(r#"{"type":"image","mimeType":"image/jpeg"}"#, Some(&png)),
            Err(vec![("bytes".into(), "MISMATCH")])
        );
        assert_eq!(
            check(r#"{"type":"video"}"#, Some(&png)),
            Err(vec![("bytes".into(), "MISMATCH")])
        );
        let pdf = fixtures::pdf();
        let v = check(r#"{"type":"document","filename":"x"}"#, Some(&pdf)).unwrap();
        assert_eq!(
            v.get("mimeType").and_then(Value::as_str),
            Some("application/pdf")
        );
        let docx = fixtures::ooxml("word", "document.xml");
        assert_eq!(
            check(r#"{"type":"document","filename":"a.xlsx"}"#, Some(&docx)),
            Err(vec![("bytes".into(), "MISMATCH")])
        );
        assert!(check(
            r#"{"type":"document","filename":"a.doc"}"#,
            Some(&fixtures::ole("WordDocument"))
        )
        .is_ok());
        let vorbis = fixtures::ogg(b"\x01vorbis\0\0\0\0\x02");
        assert_eq!(
            check(r#"{"type":"audio"}"#, Some(&vorbis)),
            Err(vec![("bytes".into(), "UNSUPPORTED_CODEC")])
        );
        assert!(check(
            r#"{"type":"audio"}"#,
            Some(&fixtures::ogg(&fixtures::opus_head()))
        )
        .is_ok());
        // An animated sticker's bytes raise its limit to 500 KB.
        let anim = fixtures::webp(true);
        let v = check(r#"{"type":"sticker","size":400000}"#, Some(&anim)).unwrap();
        assert_eq!(v.get("animated"), Some(&Value::Bool(true)));
        assert_eq!(
            check(r#"{"type":"sticker","animated":false}"#, Some(&anim)),
            Err(vec![("animated".into(), "MISMATCH")])
        );
        assert_eq!(
            check(r#"{"type":"image"}"#, Some(&[0u8, 1, 2])),
            Err(vec![("bytes".into(), "MISMATCH")])
        );
    }
}
