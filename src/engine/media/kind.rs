//! The media kinds (the message types that carry a file), their size limits and MIME types, and
//! the MIME type a file name's extension means. Uses std only.

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
pub(crate) fn normalise_mime(raw: &str) -> (String, Option<String>) {
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
