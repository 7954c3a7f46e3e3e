//! `checkMediaLink`'s decisions, with no I/O: whether a media link may be asked at all, and what
//! its answer — status and headers, never the body — says about the file. The JavaScript driver
//! (`src/bindings/media-link.js`) does the requests and hands each answer here. Uses
//! `engine::{error, media}`.
//!
//! The questions, in order: HEAD; when the HEAD is refused (403, 405, 501) or its answer has no
//! usable headers (no `Content-Type`, or no length), a GET of the first byte (`Range: bytes=0-0`),
//! whose `Content-Range: bytes 0-0/N` gives the file's size N. The answer must be 2xx (206
//! included), its `Content-Type` (parameters aside, any case) one the message type accepts, its size
//! within the type's limit.
//!
//! ```
//! use sendexa_whatsapp::engine::media::preflight::{Answer, LinkCheck, Method, Step};
//! use sendexa_whatsapp::engine::media::MediaKind;
//!
//! let check = LinkCheck::new("https://cdn.example.com/a.jpg", MediaKind::Image, false).unwrap();
//! let refused = Answer { status: 405, ..Answer::default() };
//! assert_eq!(check.answer(Method::Head, &refused).unwrap(), Step::AskRange);
//! let partial = Answer {
//!     status: 206,
//!     content_type: Some("image/JPEG; charset=binary"),
//!     content_range: Some("bytes 0-0/48213"),
//!     ..Answer::default()
//! };
//! match check.answer(Method::Range, &partial).unwrap() {
//!     Step::Done(info) => assert_eq!((info.mime_type.as_str(), info.size), ("image/jpeg", Some(48213))),
//!     Step::AskRange => unreachable!(),
//! }
//! ```

use super::check::declared_mime;
use super::kind::MediaKind;
use super::link::check_media_link_with;
use crate::engine::error::{clip, Error, Issue, IssueList};

/// The longest link checked, in characters (UTF-16 units at the JavaScript boundary, where a
/// longer string is refused before it is copied into wasm memory). Generous for signed CDN URLs.
pub const LINK_MAX: usize = 8192;

/// What a link's answer says about its file: what `checkMediaLink` resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInfo {
    /// The `Content-Type`'s essence, lowercase, aliases mapped (`image/jpg` → `image/jpeg`).
    pub mime_type: String,
    /// The file's size in bytes; `None` when the server gave no length.
    pub size: Option<u64>,
}

/// How the link was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `HEAD`.
    Head,
    /// `GET` with `Range: bytes=0-0`.
    Range,
}

/// An answer's status and the headers the check reads, as the runtime gave them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Content-Length`.
    pub content_length: Option<&'a str>,
    /// `Content-Range`.
    pub content_range: Option<&'a str>,
    /// The URL that answered, after redirects (`Response.url`), when known.
    pub url: Option<&'a str>,
}

/// What to do after an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The file is fine for the type.
    Done(MediaInfo),
    /// Ask again with a GET of the first byte (only ever after a HEAD).
    AskRange,
}

/// Why no answer arrived.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure<'a> {
    /// The runtime's fetch failed (DNS, connection, TLS, CORS): its words.
    Network(&'a str),
    /// No answer within this many milliseconds.
    Timeout(u64),
    /// The caller's signal fired.
    Aborted,
}

/// One link's check: the link, already found well formed, and the type it is for.
#[derive(Debug, Clone)]
pub struct LinkCheck {
    link: String,
    kind: MediaKind,
    allow_loopback: bool,
}

impl LinkCheck {
    /// Checks `link` before any request: public `https:` by [`check_media_link_with`] (loopback
    /// hosts too with `allow_loopback`), at most [`LINK_MAX`] characters. Fails with
    /// [`Error::InvalidMedia`], the issue at path `link`.
    pub fn new(link: &str, kind: MediaKind, allow_loopback: bool) -> Result<LinkCheck, Error> {
        if link.chars().count() > LINK_MAX {
            return Err(link_too_long());
        }
        check_media_link_with(link, allow_loopback)
            .map_err(|(code, message)| media_error(Issue::new("link", code, message)))?;
        Ok(LinkCheck {
            link: link.to_string(),
            kind,
            allow_loopback,
        })
    }

    /// The link.
    pub fn link(&self) -> &str {
        &self.link
    }

    /// What the answer to `method` says: the file's type and size, a GET of the first byte to ask
    /// next, or [`Error::InvalidMedia`] with every issue found (paths `link`, `mimeType`, `size`).
    pub fn answer(&self, method: Method, answer: &Answer) -> Result<Step, Error> {
        let status = answer.status;
        // A redirect must end where the link itself could point.
        if let Some(url) = answer.url.filter(|u| !u.is_empty() && *u != self.link) {
            if let Err((code, message)) = check_media_link_with(url, self.allow_loopback) {
                return Err(media_error(Issue::new(
                    "link",
                    code,
                    format!("{} redirects: {message}", self.shown()),
                )));
            }
        }
        // HEAD refused: forbidden (a URL signed for GET only, as S3's are), not allowed, or not
        // implemented.
        if method == Method::Head && matches!(status, 403 | 405 | 501) {
            return Ok(Step::AskRange);
        }
        let content_type = answer.content_type.map(str::trim).filter(|t| !t.is_empty());
        let size = if status == 206 || status == 416 {
            answer.content_range.and_then(range_total)
        } else {
            answer.content_length.and_then(number)
        };
        if status == 416 && size == Some(0) {
            return Err(media_error(empty(self.kind)));
        }
        if !(200..=299).contains(&status) {
            return Err(media_error(Issue::new(
                "link",
                "UNAVAILABLE",
                format!(
                    "{} answered HTTP {status}; the API downloads the file with GET and would fail (WA004)",
                    self.shown()
                ),
            )));
        }
        if method == Method::Head && (content_type.is_none() || size.is_none()) {
            return Ok(Step::AskRange);
        }
        let mut issues = IssueList::default();
        let mime = match content_type {
            None => {
                issues.issue(
                    "mimeType",
                    "REQUIRED",
                    format!(
                        "{} answered without a Content-Type; {} needs one of {}",
                        self.shown(),
                        self.kind.as_str(),
                        self.kind.mime_types().join(", ")
                    ),
                );
                None
            }
            Some(raw) => declared_mime(&mut issues, Some(self.kind), raw),
        };
        // A WebP's headers do not say whether it is animated: stickers get the animated limit.
        let limit = self.kind.max_bytes(true);
        let size_issue = match size {
            Some(0) => Some(empty(self.kind)),
            Some(n) if n > limit => Some(
                Issue::new(
                    "size",
                    "TOO_LARGE",
                    format!(
                        "the file is {n} bytes; the limit for {} is {limit}",
                        self.kind.as_str()
                    ),
                )
                .with_limit(limit),
            ),
            _ => None,
        };
        if let Some(issue) = size_issue {
            issues.push(issue);
        }
        match mime {
            Some(mime_type) if issues.is_empty() => Ok(Step::Done(MediaInfo { mime_type, size })),
            _ => Err(Error::InvalidMedia {
                issues: issues.into_issues(),
            }),
        }
    }

    /// The error for a check that got no answer: `NETWORK`, `TIMEOUT` or `ABORTED`.
    pub fn failure(&self, failure: Failure) -> Error {
        match failure {
            Failure::Network(detail) => Error::Network {
                message: format!(
                    "Could not reach the media link {}: {}.",
                    self.shown(),
                    detail
                        .chars()
                        .filter(|c| !c.is_control())
                        .take(300)
                        .collect::<String>()
                ),
            },
            Failure::Timeout(ms) => Error::Timeout {
                message: format!(
                    "The media link {} did not answer within {ms} ms.",
                    self.shown()
                ),
            },
            Failure::Aborted => Error::Aborted {
                message: "The check of the media link was aborted.".into(),
            },
        }
    }

    /// The link as messages quote it: without its query and fragment (a signed URL's signature
    /// has no place in logs), at most 120 characters.
    fn shown(&self) -> String {
        let bare = self.link.split(['?', '#']).next().unwrap_or_default();
        clip(bare.to_string(), 120)
    }
}

/// The refusal of a link longer than [`LINK_MAX`] characters (`INVALID_MEDIA`, `TOO_LONG` at `link`).
pub fn link_too_long() -> Error {
    media_error(
        Issue::new(
            "link",
            "TOO_LONG",
            format!("the link is longer than {LINK_MAX} characters"),
        )
        .with_limit(LINK_MAX as u64),
    )
}

fn media_error(issue: Issue) -> Error {
    Error::InvalidMedia {
        issues: vec![issue],
    }
}

fn empty(kind: MediaKind) -> Issue {
    Issue::new(
        "size",
        "EMPTY",
        format!("the file is empty (0 bytes); no {} to send", kind.as_str()),
    )
}

/// A header's whole number (`Content-Length`), or `None`.
fn number(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The complete length in `Content-Range: bytes 0-0/N` (or `bytes */N`), or `None` (`/*`).
fn range_total(text: &str) -> Option<u64> {
    let (unit, rest) = text.trim().split_once(' ')?;
    if !unit.eq_ignore_ascii_case("bytes") {
        return None;
    }
    number(rest.rsplit_once('/')?.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://cdn.example.com/files/a.jpg?X-Amz-Signature=secret#top";

    fn check(kind: MediaKind) -> LinkCheck {
        LinkCheck::new(LINK, kind, false).unwrap()
    }

    fn head<'a>(status: u16, content_type: Option<&'a str>, length: Option<&'a str>) -> Answer<'a> {
        Answer {
            status,
            content_type,
            content_length: length,
            ..Answer::default()
        }
    }

    fn issues(result: Result<Step, Error>) -> Vec<(String, &'static str)> {
        match result {
            Err(err) => {
                assert_eq!(err.code(), "INVALID_MEDIA", "{err:?}");
                err.issues()
                    .iter()
                    .map(|i| (i.path.clone(), i.code))
                    .collect()
            }
            Ok(step) => panic!("expected INVALID_MEDIA, got {step:?}"),
        }
    }

    fn done(mime: &str, size: Option<u64>) -> Result<Step, Error> {
        Ok(Step::Done(MediaInfo {
            mime_type: mime.into(),
            size,
        }))
    }

    #[test]
    fn the_link_is_checked_before_any_request() {
        for (link, code) in [
            ("", "EMPTY"),
            ("http://cdn.example.com/a.jpg", "INVALID_URL"),
            ("ftp://cdn.example.com/a.jpg", "INVALID_URL"),
            ("https://10.0.0.1/a.jpg", "UNREACHABLE_URL"),
            ("https://127.0.0.1/a.jpg", "UNREACHABLE_URL"),
            ("http://localhost:4010/media/a.jpg", "INVALID_URL"),
            ("https://user:pw@cdn.example.com/a.jpg", "INVALID_URL"),
        ] {
            let err = LinkCheck::new(link, MediaKind::Image, false).unwrap_err();
            assert_eq!(err.code(), "INVALID_MEDIA", "{link}");
            assert_eq!(
                err.issues()
                    .iter()
                    .map(|i| (i.path.as_str(), i.code))
                    .collect::<Vec<_>>(),
                vec![("link", code)],
                "{link}"
            );
        }
        let long = format!("https://cdn.example.com/{}", "a".repeat(LINK_MAX));
        let err = LinkCheck::new(&long, MediaKind::Image, false).unwrap_err();
        assert_eq!(err.issues()[0].code, "TOO_LONG");
        assert_eq!(err.issues()[0].limit, Some(LINK_MAX as u64));
        let at_limit = format!("https://cdn.example.com/{}", "a".repeat(LINK_MAX - 24));
        assert_eq!(at_limit.chars().count(), LINK_MAX);
        assert!(LinkCheck::new(&at_limit, MediaKind::Image, false).is_ok());
        assert!(LinkCheck::new(LINK, MediaKind::Image, false).is_ok());
    }

    /// Loopback links pass only with `allow_loopback` (a client whose `baseUrl` is loopback), over
    /// http: or https:; other non-public hosts never do.
    #[test]
    fn loopback_links_only_when_allowed() {
        for link in [
            "http://127.0.0.1:4010/media/a.jpg",
            "http://localhost:4010/media/a.jpg",
            "https://[::1]/a.jpg",
            "http://127.1/a.jpg",
        ] {
            assert!(
                LinkCheck::new(link, MediaKind::Image, true).is_ok(),
                "{link}"
            );
            assert!(
                LinkCheck::new(link, MediaKind::Image, false).is_err(),
                "{link}"
            );
        }
        for (link, code) in [
            ("http://cdn.example.com/a.jpg", "INVALID_URL"),
            ("http://10.0.0.1/a.jpg", "INVALID_URL"),
            ("https://10.0.0.1/a.jpg", "UNREACHABLE_URL"),
            ("https://192.168.1.1/a.jpg", "UNREACHABLE_URL"),
            ("http://api.localhost/a.jpg", "INVALID_URL"),
            ("https://api.localhost/a.jpg", "UNREACHABLE_URL"),
            ("http://127.0.0.1.evil.com/a.jpg", "INVALID_URL"),
        ] {
            let err = LinkCheck::new(link, MediaKind::Image, true).unwrap_err();
            assert_eq!(err.issues()[0].code, code, "{link}");
        }
    }

    #[test]
    fn a_head_with_type_and_length_decides() {
        let c = check(MediaKind::Image);
        assert_eq!(
            c.answer(Method::Head, &head(200, Some("image/jpeg"), Some("48213"))),
            done("image/jpeg", Some(48213))
        );
        // Parameters, case and aliases do not matter.
        assert_eq!(
            c.answer(
                Method::Head,
                &head(200, Some(" Image/JPG; charset=binary "), Some(" 10 "))
            ),
            done("image/jpeg", Some(10))
        );
        // Any 2xx.
        assert_eq!(
            c.answer(Method::Head, &head(203, Some("image/png"), Some("5"))),
            done("image/png", Some(5))
        );
    }

    #[test]
    fn a_refused_or_unusable_head_asks_for_the_first_byte() {
        let c = check(MediaKind::Image);
        for status in [403, 405, 501] {
            assert_eq!(
                c.answer(Method::Head, &head(status, None, None)),
                Ok(Step::AskRange),
                "{status}"
            );
        }
        for answer in [
            head(200, None, Some("10")),
            head(200, Some("  "), Some("10")),
            head(200, Some("image/png"), None),
            head(200, Some("image/png"), Some("ten")),
            head(200, Some("image/png"), Some("-1")),
        ] {
            assert_eq!(
                c.answer(Method::Head, &answer),
                Ok(Step::AskRange),
                "{answer:?}"
            );
        }
        // A GET is never followed by another question.
        for status in [403, 405, 501] {
            assert_eq!(
                issues(c.answer(Method::Range, &head(status, None, None))),
                vec![("link".into(), "UNAVAILABLE")]
            );
        }
    }

    #[test]
    fn the_first_byte_gives_the_size_from_content_range() {
        let c = check(MediaKind::Video);
        let partial = |range: Option<&'static str>| Answer {
            status: 206,
            content_type: Some("video/mp4"),
            content_length: Some("1"),
            content_range: range,
            url: None,
        };
        assert_eq!(
            c.answer(Method::Range, &partial(Some("bytes 0-0/1048576"))),
            done("video/mp4", Some(1_048_576))
        );
        assert_eq!(
            c.answer(Method::Range, &partial(Some("BYTES 0-0/7"))),
            done("video/mp4", Some(7))
        );
        // No total: the size is unknown (never the 1 byte of the range).
        for range in [
            None,
            Some("bytes 0-0/*"),
            Some("items 0-0/9"),
            Some("bytes"),
        ] {
            assert_eq!(
                c.answer(Method::Range, &partial(range)),
                done("video/mp4", None),
                "{range:?}"
            );
        }
        // A server that ignores Range answers 200 with the whole length.
        assert_eq!(
            c.answer(Method::Range, &head(200, Some("video/mp4"), Some("900"))),
            done("video/mp4", Some(900))
        );
        // No length at all: the type is still checked, the size is unknown.
        assert_eq!(
            c.answer(Method::Range, &head(200, Some("video/3gpp"), None)),
            done("video/3gpp", None)
        );
    }

    #[test]
    fn non_2xx_answers_are_unavailable() {
        let c = check(MediaKind::Image);
        for status in [301, 400, 401, 404, 410, 416, 429, 500, 503, 599, 100] {
            let err = c
                .answer(Method::Head, &head(status, Some("text/html"), Some("10")))
                .unwrap_err();
            assert_eq!(
                err.issues()
                    .iter()
                    .map(|i| (i.path.as_str(), i.code))
                    .collect::<Vec<_>>(),
                vec![("link", "UNAVAILABLE")],
                "{status}"
            );
            let message = &err.issues()[0].message;
            assert!(message.contains(&status.to_string()), "{message}");
            // The signature in the query never shows.
            assert!(
                !message.contains("secret") && !message.contains('?'),
                "{message}"
            );
        }
        let err = c.answer(Method::Head, &head(404, None, None)).unwrap_err();
        assert!(
            err.issues()[0]
                .message
                .starts_with("https://cdn.example.com/files/a.jpg answered HTTP 404;"),
            "{}",
            err.issues()[0].message
        );
    }

    #[test]
    fn empty_files_are_refused() {
        let c = check(MediaKind::Document);
        assert_eq!(
            issues(c.answer(Method::Head, &head(200, Some("application/pdf"), Some("0")))),
            vec![("size".into(), "EMPTY")]
        );
        // The first byte of an empty file cannot be given: 416 with the total.
        let unsatisfiable = Answer {
            status: 416,
            content_range: Some("bytes */0"),
            ..Answer::default()
        };
        assert_eq!(
            issues(c.answer(Method::Range, &unsatisfiable)),
            vec![("size".into(), "EMPTY")]
        );
        let other = Answer {
            content_range: Some("bytes */10"),
            ..unsatisfiable
        };
        assert_eq!(
            issues(c.answer(Method::Range, &other)),
            vec![("link".into(), "UNAVAILABLE")]
        );
    }

    #[test]
    fn the_type_must_be_accepted_for_the_message_type() {
        let c = check(MediaKind::Image);
        assert_eq!(
            issues(c.answer(
                Method::Head,
                &head(200, Some("text/html; charset=utf-8"), Some("512"))
            )),
            vec![("mimeType".into(), "UNSUPPORTED_TYPE")]
        );
        assert_eq!(
            issues(c.answer(Method::Range, &head(206, None, None))),
            vec![("mimeType".into(), "REQUIRED")]
        );
        assert_eq!(
            issues(c.answer(Method::Head, &head(200, Some(";"), Some("512")))),
            vec![("mimeType".into(), "EMPTY")]
        );
        let audio = check(MediaKind::Audio);
        assert_eq!(
            audio.answer(
                Method::Head,
                &head(200, Some("audio/ogg; codecs=opus"), Some("9"))
            ),
            done("audio/ogg", Some(9))
        );
        assert_eq!(
            issues(audio.answer(
                Method::Head,
                &head(200, Some("audio/ogg; codecs=vorbis"), Some("9"))
            )),
            vec![("mimeType".into(), "UNSUPPORTED_CODEC")]
        );
        assert_eq!(
            check(MediaKind::Sticker)
                .answer(Method::Head, &head(200, Some("image/webp"), Some("1"))),
            done("image/webp", Some(1))
        );
        assert_eq!(
            issues(
                check(MediaKind::Sticker)
                    .answer(Method::Head, &head(200, Some("image/png"), Some("1")))
            ),
            vec![("mimeType".into(), "UNSUPPORTED_TYPE")]
        );
    }

    #[test]
    fn sizes_within_each_types_limit() {
        for kind in MediaKind::ALL {
            let c = check(kind);
            let mime = kind.mime_types()[0];
            let limit = kind.max_bytes(true);
            let at = limit.to_string();
            let over = (limit + 1).to_string();
            assert_eq!(
                c.answer(Method::Head, &head(200, Some(mime), Some(&at))),
                done(mime, Some(limit)),
                "{kind:?}"
            );
            let err = c
                .answer(Method::Head, &head(200, Some(mime), Some(&over)))
                .unwrap_err();
            assert_eq!(err.issues().len(), 1);
            assert_eq!(
                (
                    err.issues()[0].path.as_str(),
                    err.issues()[0].code,
                    err.issues()[0].limit
                ),
                ("size", "TOO_LARGE", Some(limit)),
                "{kind:?}"
            );
        }
        // Stickers: the animated limit, as headers cannot tell animated WebP from static.
        assert_eq!(MediaKind::Sticker.max_bytes(true), 500_000);
        // Every problem at once.
        assert_eq!(
            issues(
                check(MediaKind::Image)
                    .answer(Method::Head, &head(200, Some("image/gif"), Some("6000000")))
            ),
            vec![
                ("mimeType".into(), "UNSUPPORTED_TYPE"),
                ("size".into(), "TOO_LARGE")
            ]
        );
        // Lengths past u64 are unreadable, so unknown (a HEAD asks for the first byte).
        assert_eq!(
            check(MediaKind::Image).answer(
                Method::Head,
                &head(200, Some("image/png"), Some("99999999999999999999999"))
            ),
            Ok(Step::AskRange)
        );
    }

    #[test]
    fn redirects_must_stay_public() {
        let c = check(MediaKind::Image);
        let redirected = |url: &'static str| Answer {
            url: Some(url),
            ..head(200, Some("image/png"), Some("5"))
        };
        assert_eq!(
            c.answer(Method::Head, &redirected("https://other.example.net/b.png")),
            done("image/png", Some(5))
        );
        assert_eq!(
            c.answer(Method::Head, &redirected("")),
            done("image/png", Some(5))
        );
        for (url, code) in [
            ("http://169.254.169.254/latest/meta-data", "INVALID_URL"),
            (
                "https://169.254.169.254/latest/meta-data",
                "UNREACHABLE_URL",
            ),
            ("https://localhost/a.png", "UNREACHABLE_URL"),
        ] {
            let err = c.answer(Method::Head, &redirected(url)).unwrap_err();
            assert_eq!(err.issues()[0].code, code, "{url}");
            assert!(err.issues()[0].message.contains("redirects"), "{url}");
        }
        // A redirect to a refused host is refused before a HEAD's fallback.
        let refused = Answer {
            url: Some("https://10.0.0.1/a.png"),
            ..head(405, None, None)
        };
        assert_eq!(
            issues(c.answer(Method::Head, &refused)),
            vec![("link".into(), "UNREACHABLE_URL")]
        );
        // With loopback allowed, a local redirect is fine.
        let local =
            LinkCheck::new("http://127.0.0.1:4010/media/a.png", MediaKind::Image, true).unwrap();
        let answer = Answer {
            url: Some("http://localhost:4010/media/b.png"),
            ..head(200, Some("image/png"), Some("5"))
        };
        assert_eq!(
            local.answer(Method::Head, &answer),
            done("image/png", Some(5))
        );
    }

    #[test]
    fn failures_keep_their_codes_and_hide_the_query() {
        let c = check(MediaKind::Image);
        let network = c.failure(Failure::Network("fetch failed\n(ECONNREFUSED)"));
        assert_eq!(network.code(), "NETWORK");
        assert_eq!(
            network.to_string(),
            "Could not reach the media link https://cdn.example.com/files/a.jpg: fetch failed(ECONNREFUSED)."
        );
        let timeout = c.failure(Failure::Timeout(30000));
        assert_eq!(timeout.code(), "TIMEOUT");
        assert!(timeout.to_string().contains("within 30000 ms"));
        assert!(!timeout.to_string().contains("secret"));
        assert_eq!(c.failure(Failure::Aborted).code(), "ABORTED");
        let long = c.failure(Failure::Network(&"x".repeat(10_000)));
        assert!(long.to_string().chars().count() < 500);
    }

    #[test]
    fn header_numbers() {
        assert_eq!(number("12"), Some(12));
        assert_eq!(number(" 12 "), Some(12));
        for bad in [
            "",
            "+1",
            "1.5",
            "1e3",
            "0x10",
            "1 2",
            "99999999999999999999",
        ] {
            assert_eq!(number(bad), None, "{bad}");
        }
        assert_eq!(range_total("bytes 0-0/12"), Some(12));
        assert_eq!(range_total("bytes */0"), Some(0));
        assert_eq!(range_total(" bytes 0-0/ 12 "), Some(12));
        for bad in ["bytes 0-0/*", "bytes 0-0", "pages 0-0/2", "", "bytes"] {
            assert_eq!(range_total(bad), None, "{bad}");
        }
    }
}
