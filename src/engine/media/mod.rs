//! Media rules: formats and sizes per message type, `check_media`, link checks, format sniffing,
//! and `checkMediaLink`'s decisions on a link's answer (`preflight`). Uses `engine::{error, json, host}`.
//!
//! Sizes are in bytes with decimal units (5 MB = 5,000,000 bytes): the sources say "MB" without
//! saying which, and the decimal reading is the smaller, so a file that passes here passes
//! under either reading.
//!
//! ```
//! use sendexa_whatsapp::engine::json::parse;
//! use sendexa_whatsapp::engine::media::{check_media, sniff};
//!
//! let info = check_media(&parse(r#"{"type":"image","mimeType":"image/png","size":1000}"#).unwrap(), None).unwrap();
//! assert_eq!(info.get("maxSize").and_then(|v| v.as_u64()), Some(5_000_000));
//! let err = check_media(&parse(r#"{"type":"image","mimeType":"image/gif","size":6000000}"#).unwrap(), None).unwrap_err();
//! assert_eq!(err.issues().len(), 2);
//! assert_eq!(sniff(b"%PDF-1.7\n").map(|s| s.mime_type), Some("application/pdf"));
//! ```

mod check;
mod kind;
pub mod link;
// checkMediaLink's decisions: the client's (the messages build has no I/O, and no use for them).
#[cfg(feature = "client")]
pub mod preflight;
pub mod sniff;

pub(crate) use check::check_filename;
pub use check::check_media;
pub use kind::{
    mime_for_filename, MediaKind, MAX_ANIMATED_STICKER_BYTES, MAX_AUDIO_BYTES, MAX_DOCUMENT_BYTES,
    MAX_IMAGE_BYTES, MAX_STATIC_STICKER_BYTES, MAX_VIDEO_BYTES,
};
pub use sniff::{mime_compatible, sniff, sniff_to_value, Sniffed};

#[cfg(test)]
mod tests {
    use super::sniff::fixtures;
    use super::*;
    use crate::engine::json::{parse, Value};

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
