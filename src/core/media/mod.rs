//! Media rules: formats and sizes per message type, `check_media`, link checks, format sniffing.
//! Uses `core::{error, json, host}`.
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

mod check;
pub mod link;
pub mod sniff;

pub use check::check_media;
pub use sniff::{sniff, Sniffed};

use crate::core::error::{Issue, IssueList};
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
