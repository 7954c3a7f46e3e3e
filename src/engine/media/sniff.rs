//! Identifies a file's format from its first bytes.
//!
//! Only the formats WhatsApp accepts are named (plus the container families a check needs to
//! recognise); anything else is `None`. Every read is bounds-checked with `get`, so truncated or
//! hostile bytes give `None`, never a panic.

use super::kind::MediaKind;
use crate::engine::json::Value;

/// What [`sniff`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The MIME type of the format found (`image/png`, `audio/ogg`, …).
    pub mime_type: &'static str,
    /// The WhatsApp message type that carries it (`sticker` for WebP).
    pub kind: MediaKind,
    /// For WebP: whether it is animated.
    pub animated: Option<bool>,
    /// For Ogg: the codec of the first stream (`opus`, `vorbis`, or `unknown`).
    pub codec: Option<&'static str>,
}

/// Legacy Office (OLE compound file) whose stream names were not in the bytes given.
pub const OLE_GENERIC: &str = "application/x-ole-storage";

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

fn found(mime_type: &'static str, kind: MediaKind) -> Option<Sniffed> {
    Some(Sniffed {
        mime_type,
        kind,
        animated: None,
        codec: None,
    })
}

/// The format of `bytes` (a whole file or its first few kilobytes), or `None` when it is not one
/// this SDK recognises.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let at = |range: std::ops::Range<usize>| bytes.get(range);
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return found("image/jpeg", MediaKind::Image);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return found("image/png", MediaKind::Image);
    }
    if bytes.starts_with(b"RIFF") && at(8..12) == Some(b"WEBP") {
        return Some(Sniffed {
            animated: Some(webp_is_animated(bytes)),
            ..found("image/webp", MediaKind::Sticker)?
        });
    }
    if at(4..8) == Some(b"ftyp") {
        return sniff_ftyp(bytes);
    }
    if bytes.starts_with(b"OggS") {
        return Some(Sniffed {
            codec: Some(ogg_codec(bytes)),
            ..found("audio/ogg", MediaKind::Audio)?
        });
    }
    if bytes.starts_with(b"#!AMR-WB\n") {
        return found("audio/amr-wb", MediaKind::Audio);
    }
    if bytes.starts_with(b"#!AMR\n") {
        return found("audio/amr", MediaKind::Audio);
    }
    if bytes.starts_with(b"ID3") {
        return found("audio/mpeg", MediaKind::Audio);
    }
    if let (Some(&b0), Some(&b1)) = (bytes.first(), bytes.get(1)) {
        // ADTS: 12-bit sync, layer 00. MPEG audio: 11-bit sync, layer != 00.
        if b0 == 0xFF && b1 & 0xF6 == 0xF0 {
            return found("audio/aac", MediaKind::Audio);
        }
        if b0 == 0xFF && b1 & 0xE0 == 0xE0 && mpeg_frame_header_valid(bytes) {
            return found("audio/mpeg", MediaKind::Audio);
        }
    }
    if bytes.starts_with(b"%PDF-") {
        return found("application/pdf", MediaKind::Document);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_office(bytes).and_then(|mime| found(mime, MediaKind::Document));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return found(ole_office(bytes), MediaKind::Document);
    }
    if is_plain_text(bytes) {
        return found("text/plain", MediaKind::Document);
    }
    None
}

/// WebP is animated when its VP8X header sets the animation flag or an ANIM chunk appears.
fn webp_is_animated(bytes: &[u8]) -> bool {
    if bytes.get(12..16) == Some(b"VP8X") {
        if let Some(flags) = bytes.get(20) {
            return flags & 0x02 != 0;
        }
    }
    false
}

/// ISO base media (MP4 family): the major brand and compatible brands of the `ftyp` box.
fn sniff_ftyp(bytes: &[u8]) -> Option<Sniffed> {
    let size = bytes
        .first_chunk::<4>()
        .map(|b| u32::from_be_bytes(*b) as usize)?;
    let end = size.clamp(16, 4096).min(bytes.len());
    let mut brands: Vec<&[u8]> = Vec::new();
    if let Some(major) = bytes.get(8..12) {
        brands.push(major);
    }
    // The compatible brands, 4 bytes each, from byte 16 to the end of the box.
    if let Some(compatible) = bytes.get(16..end) {
        brands.extend(compatible.chunks_exact(4));
    }
    let major = *brands.first()?;
    if major.starts_with(b"3g") {
        return found("video/3gpp", MediaKind::Video);
    }
    if matches!(major, b"M4A " | b"M4B " | b"M4P " | b"F4A ") {
        return found("audio/mp4", MediaKind::Audio);
    }
    if matches!(major, b"qt  ") {
        return None;
    }
    if matches!(
        major,
        b"heic" | b"heix" | b"mif1" | b"msf1" | b"avif" | b"avis"
    ) {
        return None;
    }
    found("video/mp4", MediaKind::Video)
}

/// The codec of an Ogg file's first logical stream, from its identification header.
fn ogg_codec(bytes: &[u8]) -> &'static str {
    // Page header: 27 bytes + segment table of `bytes[26]` entries, then the first packet.
    let Some(&segments) = bytes.get(26) else {
        return "unknown";
    };
    let packet = bytes
        .get(27..)
        .and_then(|rest| rest.get(usize::from(segments)..))
        .and_then(|packet| packet.get(..8));
    match packet {
        Some(b"OpusHead") => "opus",
        Some(p) if p.get(0..7) == Some(b"\x01vorbis") => "vorbis",
        Some(p) if p.get(0..5) == Some(b"\x7fFLAC") => "flac",
        _ => "unknown",
    }
}

/// A frame-sync header whose version, layer, bitrate and sample-rate fields are all legal.
fn mpeg_frame_header_valid(bytes: &[u8]) -> bool {
    let (Some(&b1), Some(&b2)) = (bytes.get(1), bytes.get(2)) else {
        return false;
    };
    let version = (b1 >> 3) & 0b11;
    let layer = (b1 >> 1) & 0b11;
    let bitrate = b2 >> 4;
    let sample_rate = (b2 >> 2) & 0b11;
    // Free-format (bitrate 0) streams are rare and would let `FF FE` (a UTF-16 byte-order mark)
    // pass as MPEG, so they are not recognised.
    version != 0b01
        && layer != 0
        && bitrate != 0
        && bitrate != 0b1111
        && sample_rate != 0b11
        && b1 != 0xFE
}

/// Office Open XML by content: a ZIP whose entries live under `word/`, `xl/` or `ppt/`.
/// Every local file header found in the bytes is read, so entries after data descriptors count.
fn zip_office(bytes: &[u8]) -> Option<&'static str> {
    let mut rest = bytes;
    // A local file header is 30 bytes, the name's length at 26, then the name.
    while let Some((header, after)) = rest.split_first_chunk::<30>() {
        if header.starts_with(b"PK\x03\x04") {
            let name_len = usize::from(u16::from_le_bytes([header[26], header[27]]));
            if let Some(name) = after.get(..name_len) {
                if name.starts_with(b"word/") {
                    return Some(DOCX);
                }
                if name.starts_with(b"xl/") {
                    return Some(XLSX);
                }
                if name.starts_with(b"ppt/") {
                    return Some(PPTX);
                }
            }
            rest = after;
        } else {
            rest = rest.get(1..).unwrap_or_default();
        }
    }
    None
}

/// Legacy Office by the names of the streams in the compound file's directory (UTF-16LE).
fn ole_office(bytes: &[u8]) -> &'static str {
    let has = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    if has("WordDocument") {
        "application/msword"
    } else if has("Workbook") || has("Book\0") {
        "application/vnd.ms-excel"
    } else if has("PowerPoint Document") {
        "application/vnd.ms-powerpoint"
    } else {
        OLE_GENERIC
    }
}

/// UTF-8 (a multi-byte character cut off at the end is fine: the bytes may be a prefix) without
/// NUL or control characters other than tab, line feed, form feed and carriage return.
fn is_plain_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.is_empty() {
        return false;
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            match body.get(..e.valid_up_to()).map(std::str::from_utf8) {
                Some(Ok(t)) => t,
                _ => return false,
            }
        }
        Err(_) => return false,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Real, small files built in code, so the sniffer is tested on what encoders write.

    /// CRC-32 (IEEE), as PNG and ZIP use it.
    pub fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &d in data {
            a = (a + u32::from(d)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }

    /// A valid 1×1 RGB PNG: signature, IHDR, IDAT (zlib with a stored block), IEND, real CRCs.
    pub fn png() -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&1u32.to_be_bytes());
        ihdr.extend_from_slice(&1u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png_chunk(&mut out, b"IHDR", &ihdr);
        let raw = [0u8, 0xFF, 0x00, 0x00]; // filter byte + one red pixel
        let mut zlib = vec![0x78, 0x01, 0x01];
        zlib.extend_from_slice(&(raw.len() as u16).to_le_bytes());
        zlib.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
        zlib.extend_from_slice(&raw);
        zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
        png_chunk(&mut out, b"IDAT", &zlib);
        png_chunk(&mut out, b"IEND", &[]);
        out
    }

    /// A baseline JPEG's structure: SOI, APP0 JFIF, DQT, SOF0, DHT, SOS, EOI.
    pub fn jpeg() -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
        out.extend_from_slice(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
        out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
        out.extend_from_slice(&[1u8; 64]);
        out.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
        ]);
        out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01]);
        out.extend_from_slice(&[0u8; 15]);
        out.push(0x00);
        out.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x00,
        ]);
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(kind);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
    }

    /// A WebP container: static (VP8L) or animated (VP8X with the animation flag, ANIM, ANMF).
    pub fn webp(animated: bool) -> Vec<u8> {
        let mut chunks = Vec::new();
        if animated {
            let mut vp8x = vec![0x02, 0, 0, 0];
            vp8x.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // canvas 1x1 (minus one)
            riff_chunk(&mut chunks, b"VP8X", &vp8x);
            riff_chunk(&mut chunks, b"ANIM", &[0, 0, 0, 0, 0, 0]);
            riff_chunk(&mut chunks, b"ANMF", &[0u8; 16]);
        } else {
            riff_chunk(
                &mut chunks,
                b"VP8L",
                &[
                    0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0x08,
                ],
            );
        }
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&((chunks.len() + 4) as u32).to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend_from_slice(&chunks);
        out
    }

    /// An ISO base media file: `ftyp` with the brands given, then an empty `mdat`.
    pub fn iso_bmff(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let mut out = Vec::new();
        let size = 16 + 4 * compatible.len();
        out.extend_from_slice(&(size as u32).to_be_bytes());
        out.extend_from_slice(b"ftyp");
        out.extend_from_slice(major);
        out.extend_from_slice(&0u32.to_be_bytes());
        for brand in compatible {
            out.extend_from_slice(*brand);
        }
        out.extend_from_slice(&8u32.to_be_bytes());
        out.extend_from_slice(b"mdat");
        out
    }

    /// The first page of an Ogg stream carrying `packet` (an OpusHead or Vorbis header), with
    /// the page CRC Ogg uses (polynomial 0x04C11DB7, no reflection).
    pub fn ogg(packet: &[u8]) -> Vec<u8> {
        let mut page = b"OggS".to_vec();
        page.push(0); // version
        page.push(0x02); // beginning of stream
        page.extend_from_slice(&0u64.to_le_bytes()); // granule
        page.extend_from_slice(&1u32.to_le_bytes()); // serial
        page.extend_from_slice(&0u32.to_le_bytes()); // sequence
        page.extend_from_slice(&0u32.to_le_bytes()); // crc placeholder
        page.push(1);
        page.push(packet.len() as u8);
        page.extend_from_slice(packet);
        let mut crc = 0u32;
        for &b in &page {
            crc ^= u32::from(b) << 24;
            for _ in 0..8 {
                crc = if crc & 0x8000_0000 != 0 {
                    (crc << 1) ^ 0x04C1_1DB7
                } else {
                    crc << 1
                };
            }
        }
        page[22..26].copy_from_slice(&crc.to_le_bytes());
        page
    }

    /// An OpusHead identification packet (RFC 7845 §5.1): mono, 48 kHz.
    pub fn opus_head() -> Vec<u8> {
        let mut p = b"OpusHead".to_vec();
        p.push(1);
        p.push(1);
        p.extend_from_slice(&312u16.to_le_bytes());
        p.extend_from_slice(&48_000u32.to_le_bytes());
        p.extend_from_slice(&0u16.to_le_bytes());
        p.push(0);
        p
    }

    /// One MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz) followed by silence.
    pub fn mp3_frame() -> Vec<u8> {
        let mut out = vec![0xFF, 0xFB, 0x90, 0x64];
        out.extend_from_slice(&[0u8; 413]);
        out
    }

    /// An ID3v2.3 tag with one TIT2 frame, then an MP3 frame.
    pub fn mp3_id3() -> Vec<u8> {
        let frame_body = b"\x00Title";
        let mut frames = b"TIT2".to_vec();
        frames.extend_from_slice(&(frame_body.len() as u32).to_be_bytes());
        frames.extend_from_slice(&[0, 0]);
        frames.extend_from_slice(frame_body);
        let mut out = b"ID3\x03\x00\x00".to_vec();
        let n = frames.len() as u32;
        out.extend_from_slice(&[
            (n >> 21) as u8 & 0x7F,
            (n >> 14) as u8 & 0x7F,
            (n >> 7) as u8 & 0x7F,
            n as u8 & 0x7F,
        ]);
        out.extend_from_slice(&frames);
        out.extend_from_slice(&mp3_frame());
        out
    }

    /// One ADTS frame (AAC LC, 44.1 kHz, stereo) holding a tiny raw block.
    pub fn aac_adts() -> Vec<u8> {
        let payload = [0x21u8, 0x10, 0x05, 0x00];
        let len = 7 + payload.len();
        let mut h = vec![0xFF, 0xF1];
        // profile LC (1), sampling index 4 (44.1 kHz), channel config 2
        h.push((1 << 6) | (4 << 2));
        h.push((2 << 6) | ((len >> 11) as u8 & 0x03));
        h.push((len >> 3) as u8);
        h.push(((len as u8 & 0x07) << 5) | 0x1F);
        h.push(0xFC);
        h.extend_from_slice(&payload);
        h
    }

    /// A minimal PDF 1.4 with catalog, pages, one page, xref table and trailer.
    pub fn pdf() -> Vec<u8> {
        let objects = [
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>\nendobj\n",
        ];
        let mut out = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for o in objects {
            offsets.push(out.len());
            out.push_str(o);
        }
        let xref = out.len();
        out.push_str("xref\n0 4\n0000000000 65535 f \n");
        for off in offsets {
            out.push_str(&format!("{off:010} 00000 n \n"));
        }
        out.push_str(&format!(
            "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ));
        out.into_bytes()
    }

    /// A stored (uncompressed) ZIP with the given entries, with local headers, central directory
    /// and end record, as a `.docx`/`.xlsx`/`.pptx` writer lays them out.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let crc = crc32(data);
            let mut common = Vec::new();
            common.extend_from_slice(&20u16.to_le_bytes()); // version needed
            common.extend_from_slice(&0u16.to_le_bytes()); // flags
            common.extend_from_slice(&0u16.to_le_bytes()); // stored
            common.extend_from_slice(&0u16.to_le_bytes()); // time
            common.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            common.extend_from_slice(&crc.to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(name.len() as u16).to_le_bytes());
            common.extend_from_slice(&0u16.to_le_bytes()); // extra
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&common);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes()); // version made by
            central.extend_from_slice(&common);
            central.extend_from_slice(&[0u8; 8]); // comment len, disk, internal attrs
            central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// An Office Open XML package: content types first, then the part under `dir`.
    pub fn ooxml(dir: &str, part: &str) -> Vec<u8> {
        let name = format!("{dir}/{part}");
        zip(&[
            ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
            ("_rels/.rels", b"<?xml version=\"1.0\"?><Relationships/>"),
            (name.as_str(), b"<?xml version=\"1.0\"?><doc/>"),
        ])
    }

    /// An OLE compound file: header sector plus a directory sector naming `stream`.
    pub fn ole(stream: &str) -> Vec<u8> {
        let mut out = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        out.resize(512, 0);
        // Directory sector: "Root Entry" then the named stream, 128-byte entries, UTF-16LE names.
        for name in ["Root Entry", stream] {
            let mut entry = vec![0u8; 128];
            let units: Vec<u8> = name
                .encode_utf16()
                .chain([0])
                .flat_map(u16::to_le_bytes)
                .collect();
            entry[..units.len()].copy_from_slice(&units);
            entry[64..66].copy_from_slice(&(units.len() as u16).to_le_bytes());
            out.extend_from_slice(&entry);
        }
        out
    }
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
        || (sniffed == OLE_GENERIC && OLE.contains(&declared))
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
    use super::fixtures::*;
    use super::*;

    fn mime(bytes: &[u8]) -> Option<&'static str> {
        sniff(bytes).map(|s| s.mime_type)
    }

    #[test]
    fn png_fixture_is_well_formed() {
        let png = png();
        // IHDR's CRC is the CRC of "IHDR" + data, as decoders check it.
        let ihdr_crc = u32::from_be_bytes([png[29], png[30], png[31], png[32]]);
        assert_eq!(ihdr_crc, crc32(&png[12..29]));
        assert!(png.ends_with(&[0xAE, 0x42, 0x60, 0x82])); // the well-known IEND CRC
    }

    #[test]
    fn recognises_real_files() {
        let cases: Vec<(Vec<u8>, &str, MediaKind)> = vec![
            (png(), "image/png", MediaKind::Image),
            (jpeg(), "image/jpeg", MediaKind::Image),
            (webp(false), "image/webp", MediaKind::Sticker),
            (
                iso_bmff(b"isom", &[b"isom", b"iso2", b"avc1", b"mp41"]),
                "video/mp4",
                MediaKind::Video,
            ),
            (
                iso_bmff(b"mp42", &[b"mp42", b"isom"]),
                "video/mp4",
                MediaKind::Video,
            ),
            (
                iso_bmff(b"3gp5", &[b"3gp5", b"isom"]),
                "video/3gpp",
                MediaKind::Video,
            ),
            (
                iso_bmff(b"M4A ", &[b"M4A ", b"mp42", b"isom"]),
                "audio/mp4",
                MediaKind::Audio,
            ),
            (ogg(&opus_head()), "audio/ogg", MediaKind::Audio),
            (mp3_frame(), "audio/mpeg", MediaKind::Audio),
            (mp3_id3(), "audio/mpeg", MediaKind::Audio),
            (aac_adts(), "audio/aac", MediaKind::Audio),
            (
                b"#!AMR\n\x3c\x48\xf5\x1f".to_vec(),
                "audio/amr",
                MediaKind::Audio,
            ),
            (pdf(), "application/pdf", MediaKind::Document),
            (ooxml("word", "document.xml"), DOCX, MediaKind::Document),
            (ooxml("xl", "workbook.xml"), XLSX, MediaKind::Document),
            (ooxml("ppt", "presentation.xml"), PPTX, MediaKind::Document),
            (
                ole("WordDocument"),
                "application/msword",
                MediaKind::Document,
            ),
            (
                ole("Workbook"),
                "application/vnd.ms-excel",
                MediaKind::Document,
            ),
            (
                ole("PowerPoint Document"),
                "application/vnd.ms-powerpoint",
                MediaKind::Document,
            ),
            (
                b"Hello, world!\r\nLine two\twith tab.\n".to_vec(),
                "text/plain",
                MediaKind::Document,
            ),
            (
                "Akwaaba — ɛyɛ\n".as_bytes().to_vec(),
                "text/plain",
                MediaKind::Document,
            ),
        ];
        for (bytes, want, kind) in cases {
            let got = sniff(&bytes);
            assert_eq!(got.map(|s| s.mime_type), Some(want), "{want}");
            assert_eq!(got.map(|s| s.kind), Some(kind), "{want}");
        }
    }

    #[test]
    fn details() {
        assert_eq!(sniff(&webp(true)).and_then(|s| s.animated), Some(true));
        assert_eq!(sniff(&webp(false)).and_then(|s| s.animated), Some(false));
        assert_eq!(
            sniff(&ogg(&opus_head())).and_then(|s| s.codec),
            Some("opus")
        );
        assert_eq!(
            sniff(&ogg(b"\x01vorbis\0\0\0\0\x02")).and_then(|s| s.codec),
            Some("vorbis")
        );
        assert_eq!(mime(&ole("Other")), Some(OLE_GENERIC));
        assert_eq!(mime(b"#!AMR-WB\n"), Some("audio/amr-wb"));
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        // A plain ZIP without Office parts, QuickTime, HEIC, binary junk, empty input.
        assert_eq!(mime(&zip(&[("a.txt", b"hi")])), None);
        assert_eq!(mime(&iso_bmff(b"qt  ", &[b"qt  "])), None);
        assert_eq!(mime(&iso_bmff(b"heic", &[b"mif1", b"heic"])), None);
        assert_eq!(mime(&[0x00, 0x01, 0x02, 0xFF]), None);
        assert_eq!(mime(&[]), None);
        assert_eq!(mime(&[0xFF]), None);
        assert_eq!(mime(b"GIF89a\x01\x00\x01\x00"), None);
    }

    #[test]
    fn text_prefix_may_cut_a_character() {
        let bytes = "héllo".as_bytes();
        assert_eq!(mime(&bytes[..2]), Some("text/plain"));
        assert_eq!(mime(b"abc\0def"), None);
        assert_eq!(mime(b"\xff\xfe\x00"), None);
    }

    #[test]
    fn every_prefix_of_every_fixture_is_safe() {
        let files = [
            png(),
            jpeg(),
            webp(true),
            ogg(&opus_head()),
            mp3_id3(),
            aac_adts(),
            pdf(),
            ooxml("word", "document.xml"),
            ole("WordDocument"),
            iso_bmff(b"isom", &[b"isom"]),
        ];
        for file in &files {
            for end in 0..=file.len() {
                let _ = sniff(&file[..end]);
            }
        }
    }
}
