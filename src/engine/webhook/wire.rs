//! Events written out: as JSON ([`Event::to_json`]), or as the records JavaScript decodes.
//!
//! The bindings hand events to JavaScript as *records* rather than JSON: `JSON.parse` of an event
//! object costs several times what splitting a string and setting its members does. A record
//! stream is parts separated by `\0`; each part is a type character, a key character (`'0'` plus
//! the key's index in [`KEYS`]) and the value:
//!
//! | type | value |
//! | --- | --- |
//! | `s` | a string, as it is (a key of `kind` starts the next event) |
//! | `n` | a number's JSON text |
//! | `j` | JSON text: a string holding `\0`, or the shared contacts |
//! | `p` | a path from the top of the body, steps separated by `\x01` (empty: the body itself) |
//! | `{` / `}` | a nested object opens under the key / closes |
//!
//! JSON text never holds a raw `\0`, and a string that does is written as JSON, so `\0` only ever
//! separates parts. Paths name the payload (`raw`) and a message's text: the caller takes them
//! from its own parse of the body.
//!
//! ```
//! use sendexa_whatsapp::engine::json::Tape;
//! use sendexa_whatsapp::engine::webhook::event::locate_events;
//!
//! let tape = Tape::parse(r#"{"event":"message.read","messageId":"exa_wa_1","status":"read"}"#).unwrap();
//! let located = locate_events(tape.root());
//! assert_eq!(
//!     located.wire_records(),
//!     "s0status\0s1message.read\0s2exa_wa_1\0s4read\0pN"
//! );
//! ```

use super::event::{text_path, Event, Located, PathStep, Text};
use crate::engine::json::{self, write_string, Number, Value};

/// The keys of the event objects, in the order of their codes (a key's code is `'0'` plus its
/// index). JavaScript receives this list from the bindings, so the two never differ.
pub const KEYS: [&str; 31] = [
    "kind",
    "event",
    "messageId",
    "wamid",
    "status",
    "recipient",
    "timestamp",
    "timestampMs",
    "errorCode",
    "errorMessage",
    "from",
    "contactName",
    "type",
    "text",
    "media",
    "id",
    "url",
    "mimeType",
    "caption",
    "filename",
    "location",
    "latitude",
    "longitude",
    "name",
    "address",
    "contacts",
    "reply",
    "title",
    "description",
    "contextMessageId",
    "raw",
];

/// A key of [`KEYS`], by its index.
#[derive(Debug, Clone, Copy)]
enum Key {
    Kind,
    Event,
    MessageId,
    Wamid,
    Status,
    Recipient,
    Timestamp,
    TimestampMs,
    ErrorCode,
    ErrorMessage,
    From,
    ContactName,
    Type,
    Text,
    Media,
    Id,
    Url,
    MimeType,
    Caption,
    Filename,
    Location,
    Latitude,
    Longitude,
    Name,
    Address,
    Contacts,
    Reply,
    Title,
    Description,
    ContextMessageId,
    Raw,
}

/// How an event is written: as JSON or as records, which its [`Source`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Json,
    Records,
}

/// Where `raw` and a message's text come from.
enum Source<'a> {
    /// Written as they are, in JSON: `raw` the payload (left out when `null`), the text the
    /// event's own.
    Values(&'a Value),
    /// Written as paths from the top of the body, in records (`raw` left out when `None`).
    Paths {
        raw: Option<&'a [PathStep]>,
        text: Option<&'static [&'static str]>,
    },
}

/// One event's members being written, in order. What is not known (`None`) is left out, so the
/// JavaScript objects have only what is known.
struct Writer<'o> {
    out: &'o mut String,
    form: Form,
    /// JSON: whether the object being written has no member yet.
    empty: bool,
}

impl Writer<'_> {
    /// Starts member `key` of type `kind` (records) and returns where its value goes.
    fn member(&mut self, key: Key, kind: char) -> &mut String {
        match self.form {
            Form::Json => {
                if !self.empty {
                    self.out.push(',');
                }
                self.empty = false;
                write_string(
                    KEYS.get(key as usize).copied().unwrap_or_default(),
                    self.out,
                );
                self.out.push(':');
            }
            Form::Records => {
                if !self.out.is_empty() {
                    self.out.push('\0');
                }
                self.out.push(kind);
                // Below 31 + 48: always an ASCII digit or letter.
                self.out.push(char::from(b'0'.saturating_add(key as u8)));
            }
        }
        self.out
    }

    fn string(&mut self, key: Key, value: &str) -> &mut Self {
        if self.form == Form::Records && !value.contains('\0') {
            self.member(key, 's').push_str(value);
        } else {
            write_string(value, self.member(key, 'j'));
        }
        self
    }

    fn text(&mut self, key: Key, value: &Option<Text<'_>>) -> &mut Self {
        if let Some(text) = value {
            self.string(key, text);
        }
        self
    }

    /// A number's JSON text.
    fn number(&mut self, key: Key, value: &Number) -> &mut Self {
        self.member(key, 'n').push_str(value.as_str());
        self
    }

    /// A time in ms as a whole number (a fraction of a millisecond is dropped).
    fn ms(&mut self, key: Key, value: Option<f64>) -> &mut Self {
        if let Some(ms) = value.and_then(|ms| Number::from_integer_f64(ms.trunc())) {
            self.number(key, &ms);
        }
        self
    }

    fn value(&mut self, key: Key, value: &Value) -> &mut Self {
        value.write_json(self.member(key, 'j'));
        self
    }

    /// A path, in records only (JSON carries values, never paths).
    fn path(&mut self, key: Key, steps: impl Iterator<Item = PathStep>) -> &mut Self {
        let out = self.member(key, 'p');
        for (i, step) in steps.enumerate() {
            if i > 0 {
                out.push('\x01');
            }
            match step {
                // Keys are the SDK's own literals: no control characters.
                PathStep::Key(key) => out.push_str(key),
                PathStep::Index(i) => out.push_str(&i.to_string()),
            }
        }
        self
    }

    /// A nested object, its members written by `write`.
    fn object(&mut self, key: Key, write: impl FnOnce(&mut Self)) -> &mut Self {
        self.member(key, '{');
        match self.form {
            Form::Json => {
                self.out.push('{');
                self.empty = true;
                write(self);
                self.out.push('}');
                self.empty = false;
            }
            Form::Records => {
                write(self);
                self.member(key, '}');
            }
        }
        self
    }
}

impl Event<'_> {
    /// The event as the JSON object JavaScript receives (`kind` is the discriminant).
    pub fn to_value(&self) -> Value {
        json::parse(&self.to_json()).unwrap_or(Value::Null)
    }

    /// The JSON text of [`to_value`](Self::to_value).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(Source::Values(self.raw()), &mut out);
        out
    }

    fn write(&self, source: Source<'_>, out: &mut String) {
        let form = match source {
            Source::Values(_) => Form::Json,
            Source::Paths { .. } => Form::Records,
        };
        if form == Form::Json {
            out.push('{');
        }
        let mut o = Writer {
            out,
            form,
            empty: true,
        };
        match self {
            Event::Status(s) => o
                .string(Key::Kind, "status")
                .text(Key::Event, &s.event)
                .text(Key::MessageId, &s.message_id)
                .text(Key::Wamid, &s.wamid)
                .string(Key::Status, &s.status)
                .text(Key::Recipient, &s.recipient)
                .text(Key::Timestamp, &s.timestamp)
                .ms(Key::TimestampMs, s.timestamp_ms)
                .text(Key::ErrorCode, &s.error_code)
                .text(Key::ErrorMessage, &s.error_message),
            Event::Message(m) => {
                o.string(Key::Kind, "message")
                    .text(Key::Event, &m.event)
                    .text(Key::MessageId, &m.message_id)
                    .text(Key::Wamid, &m.wamid)
                    .string(Key::From, &m.from)
                    .text(Key::ContactName, &m.contact_name)
                    .string(Key::Type, &m.message_type);
                match &source {
                    // A message's text, up to 4,096 characters, crosses as a path too.
                    Source::Paths {
                        raw: Some(raw),
                        text: Some(keys),
                    } => {
                        let keys = keys.iter().map(|key| PathStep::Key(key));
                        o.path(Key::Text, raw.iter().copied().chain(keys));
                    }
                    _ => {
                        o.text(Key::Text, &m.text);
                    }
                }
                if let Some(media) = &m.media {
                    o.object(Key::Media, |o| {
                        o.text(Key::Id, &media.id)
                            .text(Key::Url, &media.url)
                            .text(Key::MimeType, &media.mime_type)
                            .text(Key::Caption, &media.caption)
                            .text(Key::Filename, &media.filename);
                    });
                }
                if let Some(l) = &m.location {
                    o.object(Key::Location, |o| {
                        o.number(Key::Latitude, &l.latitude)
                            .number(Key::Longitude, &l.longitude)
                            .text(Key::Name, &l.name)
                            .text(Key::Address, &l.address);
                    });
                }
                if let Some(contacts) = &m.contacts {
                    o.value(Key::Contacts, contacts);
                }
                if let Some(r) = &m.reply {
                    o.object(Key::Reply, |o| {
                        o.string(Key::Kind, r.kind)
                            .text(Key::Id, &r.id)
                            .text(Key::Title, &r.title)
                            .text(Key::Description, &r.description);
                    });
                }
                o.text(Key::ContextMessageId, &m.context_message_id)
                    .text(Key::Timestamp, &m.timestamp)
                    .ms(Key::TimestampMs, m.timestamp_ms)
            }
            Event::Unknown { event, .. } => o.string(Key::Kind, "unknown").text(Key::Event, event),
        };
        match source {
            Source::Values(Value::Null) | Source::Paths { raw: None, .. } => {}
            Source::Values(raw) => {
                o.value(Key::Raw, raw);
            }
            Source::Paths {
                raw: Some(path), ..
            } => {
                o.path(Key::Raw, path.iter().copied());
            }
        }
        if form == Form::Json {
            o.out.push('}');
        }
    }
}

impl Located<'_> {
    /// Event `n` as records (see the module documentation), appended to `out`: `raw` as the path
    /// of its payload in the body (left out when that is `null`, like every member), and a
    /// message's text as the path of the string it came from ([`text_path`]). The caller puts its
    /// own parse's values in their place.
    pub fn write_records(&self, n: usize, out: &mut String) {
        let (Some(event), Some(payload), Some(path)) =
            (self.events.get(n), self.payloads.get(n), self.paths.get(n))
        else {
            return;
        };
        let payload = Some(*payload).filter(|raw| !raw.is_null());
        let text = match (payload, event) {
            (Some(payload), Event::Message(_)) => text_path(payload),
            _ => None,
        };
        let raw = payload.map(|_| path.as_slice());
        event.write(Source::Paths { raw, text }, out);
    }

    /// Every event's records, one stream.
    pub fn wire_records(&self) -> String {
        let mut out = String::with_capacity(self.events.len().saturating_mul(320));
        for n in 0..self.events.len() {
            self.write_records(n, &mut out);
        }
        out
    }
}
