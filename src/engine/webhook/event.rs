//! Webhook bodies parsed into typed events.
//!
//! Sendexa's documents show several envelopes, and all are accepted (reference §8):
//!
//! - live, flat: `{ "event"?: "message.delivered", "messageId", "wamid", "to", "status", … }`;
//! - drafts and the official SDKs: `{ "event": "message.delivered", "data": { … }, "timestamp" }`,
//!   and the marketing page's `{ "id", "event", "created_at", "data", … }`;
//! - Meta's own Cloud API shape, in case it is forwarded unchanged:
//!   `{ "object": "whatsapp_business_account", "entry": [{ "changes": [{ "value": { "statuses", "messages" } }] }] }`;
//! - a JSON array of any of these.
//!
//! A body yields one event per status update or inbound message. Anything not recognised comes
//! through as [`Event::Unknown`] with its raw JSON: a new event type never becomes an error.
//!
//! [`parse_events`] gives each event its payload as `raw`. [`locate_events`] gives instead where
//! each payload sits in the body, for a caller that parses the body itself: the bindings send the
//! events to JavaScript as records ([`super::wire`]), and JavaScript's own `JSON.parse` of the body
//! fills the payloads in. Both read the body from a [`Tape`], in place.
//!
//! ```
//! use sendexa_whatsapp::engine::webhook::event::{parse_events, Event};
//!
//! let events = parse_events(r#"{"event":"message.read","messageId":"exa_wa_1","to":"233244000000","status":"read"}"#).unwrap();
//! match &events[0] {
//!     Event::Status(status) => assert_eq!(status.status, "read"),
//!     other => panic!("unexpected {other:?}"),
//! }
//! ```

use std::borrow::Cow;
use std::ops::Range;

use crate::engine::json::{self, Node, Number, Tape, Value};

use crate::engine::time::parse_timestamp_ms;

/// A string of an event: borrowed from the body it was read from where it can be (`'static`, owned,
/// in the events [`parse_events`] returns).
pub type Text<'a> = Cow<'a, str>;

/// A status update of a message the business sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEvent<'a> {
    /// The event name as sent (`message.delivered`), when the body had one.
    pub event: Option<Text<'a>>,
    /// Sendexa's message id (`exa_wa_…`), when given.
    pub message_id: Option<Text<'a>>,
    /// Meta's message id (`wamid.…`), when given.
    pub wamid: Option<Text<'a>>,
    /// `pending`, `sent`, `delivered`, `read`, `failed`, `deleted`, or another status, lowercased.
    pub status: Text<'a>,
    /// The recipient's number, as sent.
    pub recipient: Option<Text<'a>>,
    /// When it happened, as sent.
    pub timestamp: Option<Text<'a>>,
    /// [`timestamp`](Self::timestamp) in milliseconds since the epoch, when it parses.
    pub timestamp_ms: Option<f64>,
    /// For `failed`: the error code (`WA002`, `INVALID_NUMBER`, Meta's `131026`, …).
    pub error_code: Option<Text<'a>>,
    /// For `failed`: the error's message.
    pub error_message: Option<Text<'a>>,
    /// The status object as received.
    pub raw: Value,
}

/// A media attachment of an inbound message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundMedia<'a> {
    /// The media id, to download it through the API.
    pub id: Option<Text<'a>>,
    /// A download URL, when the body gives one.
    pub url: Option<Text<'a>>,
    /// The MIME type.
    pub mime_type: Option<Text<'a>>,
    /// The caption.
    pub caption: Option<Text<'a>>,
    /// The file name (documents).
    pub filename: Option<Text<'a>>,
}

/// A reply to interactive buttons or a list, or a template's quick-reply button.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundReply<'a> {
    /// `button` (reply buttons and template quick replies) or `list`.
    pub kind: &'static str,
    /// The id of the chosen button or row (the payload, for template buttons).
    pub id: Option<Text<'a>>,
    /// Its title.
    pub title: Option<Text<'a>>,
    /// The row's description (lists).
    pub description: Option<Text<'a>>,
}

/// A location an inbound message shares.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundLocation<'a> {
    /// Latitude in degrees, as written (`Number::as_f64` reads it).
    pub latitude: Number,
    /// Longitude in degrees, as written.
    pub longitude: Number,
    /// The place's name.
    pub name: Option<Text<'a>>,
    /// The place's address.
    pub address: Option<Text<'a>>,
}

/// A message a WhatsApp user sent to the business. It opens (or renews) the 24-hour window.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage<'a> {
    /// The event name as sent, when the body had one.
    pub event: Option<Text<'a>>,
    /// Sendexa's id for the message, when given.
    pub message_id: Option<Text<'a>>,
    /// Meta's id (`wamid.…`), when given.
    pub wamid: Option<Text<'a>>,
    /// The sender's number.
    pub from: Text<'a>,
    /// The sender's profile name, when given.
    pub contact_name: Option<Text<'a>>,
    /// `text`, `image`, `video`, `audio`, `document`, `sticker`, `location`, `contacts`,
    /// `interactive`, `button`, or another type as sent.
    pub message_type: Text<'a>,
    /// The text, for text messages.
    pub text: Option<Text<'a>>,
    /// The attachment, for media messages.
    pub media: Option<InboundMedia<'a>>,
    /// The location, for location messages.
    pub location: Option<InboundLocation<'a>>,
    /// The shared contacts, as sent.
    pub contacts: Option<Value>,
    /// The button or list choice, for replies.
    pub reply: Option<InboundReply<'a>>,
    /// The id of the message this one replies to (Sendexa's, else Meta's), when it is a reply.
    pub context_message_id: Option<Text<'a>>,
    /// When it was sent, as sent.
    pub timestamp: Option<Text<'a>>,
    /// [`timestamp`](Self::timestamp) in milliseconds since the epoch, when it parses.
    pub timestamp_ms: Option<f64>,
    /// The message object as received.
    pub raw: Value,
}

/// One event from a webhook body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A status update of an outbound message.
    Status(Box<StatusEvent<'a>>),
    /// An inbound message.
    Message(Box<InboundMessage<'a>>),
    /// Anything else, kept whole.
    Unknown {
        /// The event name, when the body had one.
        event: Option<Text<'a>>,
        /// The JSON as received.
        raw: Value,
    },
}

/// Why a webhook body could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookParseError(pub json::JsonError);

/// One step from the top of a webhook body down to an event's payload: a member or an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep {
    /// The member of an object with this key.
    Key(&'static str),
    /// The element of an array at this index.
    Index(usize),
}

/// Parses a webhook body into events. Only malformed JSON is an error.
pub fn parse_events(body: &str) -> Result<Vec<Event<'static>>, WebhookParseError> {
    let tape = Tape::parse(body).map_err(WebhookParseError)?;
    let mut located = locate_events(tape.root());
    for (event, payload) in located.events.iter_mut().zip(&located.payloads) {
        event.set_raw(payload.to_value());
    }
    Ok(located.events.into_iter().map(Event::into_owned).collect())
}

/// The events of a parsed body, each with its `raw` left `null`, and each one's payload: where it
/// is in the body, and the path from the top of the body to it.
#[derive(Debug, Default)]
pub struct Located<'t> {
    /// The events, in order, `raw` left `null`.
    pub events: Vec<Event<'t>>,
    /// The payload of the event at the same index.
    pub payloads: Vec<Node<'t>>,
    /// The path to the payload of the event at the same index.
    pub paths: Vec<Vec<PathStep>>,
}

impl<'t> Located<'t> {
    fn push(&mut self, event: Event<'t>, payload: Node<'t>, path: &[PathStep]) {
        self.events.push(event);
        self.payloads.push(payload);
        self.paths.push(path.to_vec());
    }
}

/// The events of a parsed body and where their payloads are. A caller that parses the body itself
/// (JavaScript, whose `JSON.parse` builds objects faster than any copy out of wasm) takes each
/// `raw` from its own parse by the path, instead of having it copied and written out here.
pub fn locate_events(body: Node<'_>) -> Located<'_> {
    let mut located = Located::default();
    let mut path = Vec::new();
    if body.is_array() {
        // A batch: each element is an envelope of its own (never nested further).
        for (i, item) in body.items().enumerate() {
            path.push(PathStep::Index(i));
            collect_envelope(item, &mut path, &mut located);
            path.pop();
        }
    } else {
        collect_envelope(body, &mut path, &mut located);
    }
    located
}

fn collect_envelope<'t>(value: Node<'t>, path: &mut Vec<PathStep>, events: &mut Located<'t>) {
    if value.get("entry").is_some_and(|entry| entry.is_array()) {
        collect_meta(value, path, events);
        return;
    }
    let event =
        str_at(value, &["event"]).or_else(|| str_at(value, &["type"]).filter(|t| t.contains('.')));
    // `{event, data: {...}, timestamp}`: the data object is the payload; the envelope's timestamp
    // stands in when the payload has none.
    match value.get("data").filter(Node::is_object) {
        Some(data) => {
            let time = str_at(value, &["timestamp"]).or_else(|| str_at(value, &["created_at"]));
            path.push(PathStep::Key("data"));
            events.push(classify(data, event, time), data, path);
            path.pop();
        }
        None => events.push(classify(value, event, None), value, path),
    }
}

/// The elements of the array at `value[key]`; none when it is missing or not an array.
fn items<'t>(value: Node<'t>, key: &str) -> impl Iterator<Item = Node<'t>> + 't {
    value.get(key).into_iter().flat_map(|list| list.items())
}

/// Meta's Cloud API webhook: statuses and messages inside entry[].changes[].value.
fn collect_meta<'t>(value: Node<'t>, path: &mut Vec<PathStep>, events: &mut Located<'t>) {
    use PathStep::{Index, Key};
    let base = path.len();
    for (e, entry) in items(value, "entry").enumerate() {
        for (c, change) in items(entry, "changes").enumerate() {
            let Some(inner) = change.get("value") else {
                continue;
            };
            path.truncate(base);
            path.extend([Key("entry"), Index(e), Key("changes"), Index(c)]);
            let before = events.events.len();
            let names = inner.get("contacts").filter(Node::is_array);
            for key in ["statuses", "messages"] {
                for (i, item) in items(inner, key).enumerate() {
                    let event = if key == "statuses" {
                        classify(item, None, None)
                    } else {
                        inbound_meta(item, names)
                    };
                    path.extend([Key("value"), Key(key), Index(i)]);
                    events.push(event, item, path);
                    path.truncate(base.saturating_add(4));
                }
            }
            if events.events.len() == before {
                let unknown = Event::Unknown {
                    event: str_at(change, &["field"]),
                    raw: Value::Null,
                };
                events.push(unknown, change, path);
            }
        }
    }
    path.truncate(base);
}

/// One of Meta's inbound messages; Meta names the sender in `value.contacts[]` by `wa_id`.
fn inbound_meta<'t>(message: Node<'t>, names: Option<Node<'t>>) -> Event<'t> {
    let mut event = classify(message, Some("message.received".into()), None);
    if let Event::Message(m) = &mut event {
        m.contact_name = m.contact_name.take().or_else(|| {
            names?
                .items()
                .find(|c| str_at(*c, &["wa_id"]).as_deref() == Some(&*m.from))
                .and_then(|c| str_at(c, &["profile", "name"]))
        });
    }
    event
}

const STATUS_WORDS: [&str; 6] = ["pending", "sent", "delivered", "read", "failed", "deleted"];
const INBOUND_EVENTS: [&str; 6] = [
    "message.received",
    "message.inbound",
    "message.reply",
    "interactive.button_reply",
    "interactive.list_reply",
    "inbound",
];

/// The members of a payload that events are read from, by their index in [`Fields`].
const FIELD_KEYS: [&str; 29] = [
    "status",
    "from",
    "wamid",
    "messageId",
    "message_id",
    "id",
    "type",
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "timestamp",
    "contact",
    "profile",
    "contacts",
    "interactive",
    "button",
    "context",
    "to",
    "recipient",
    "recipient_id",
    "error",
    "errors",
    "errorCode",
    "error_code",
    "errorMessage",
];
const STATUS: usize = 0;
const FROM: usize = 1;
const WAMID: usize = 2;
/// `messageId`, `message_id` and `id`, in that order of preference.
const IDS: Range<usize> = 3..6;
const TYPE: usize = 6;
const TEXT: usize = 7;
/// `image`, `video`, `audio`, `document` and `sticker`, in that order of preference.
const MEDIA: Range<usize> = 8..13;
const LOCATION: usize = 13;
const TIMESTAMP: usize = 14;
const CONTACT: usize = 15;
const PROFILE: usize = 16;
const CONTACTS: usize = 17;
const INTERACTIVE: usize = 18;
const BUTTON: usize = 19;
const CONTEXT: usize = 20;
/// `to`, `recipient` and `recipient_id`, in that order of preference.
const RECIPIENTS: Range<usize> = 21..24;
const ERROR: usize = 24;
const ERRORS: usize = 25;
/// `errorCode` and `error_code`, in that order of preference.
const ERROR_CODES: Range<usize> = 26..28;
const ERROR_MESSAGE: usize = 28;

/// A payload's members named in [`FIELD_KEYS`], found in one pass over it (of a repeated key, the
/// last, as `JSON.parse` keeps it): a lookup per member read would walk the payload some thirty
/// times.
struct Fields<'t>([Option<Node<'t>>; FIELD_KEYS.len()]);

impl<'t> Fields<'t> {
    fn of(payload: Node<'t>) -> Self {
        let mut fields = Fields([None; FIELD_KEYS.len()]);
        for (key, value) in payload.members() {
            let Some(key) = key.as_str() else { continue };
            let slot = FIELD_KEYS.iter().position(|k| *k == key);
            if let Some(slot) = slot.and_then(|i| fields.0.get_mut(i)) {
                *slot = Some(value);
            }
        }
        fields
    }

    fn get(&self, i: usize) -> Option<Node<'t>> {
        self.0.get(i).copied().flatten()
    }

    fn all(&self, range: Range<usize>) -> &[Option<Node<'t>>] {
        self.0.get(range).unwrap_or_default()
    }
}

/// The text of a member: a non-empty string, or a number's text.
fn text(value: Option<Node<'_>>) -> Option<Text<'_>> {
    value.and_then(as_text)
}

/// The first of `values` that has a text.
fn first_text<'t>(values: &[Option<Node<'t>>]) -> Option<Text<'t>> {
    values.iter().find_map(|value| text(*value))
}

fn classify<'t>(
    payload: Node<'t>,
    event: Option<Text<'t>>,
    envelope_time: Option<Text<'t>>,
) -> Event<'t> {
    let name = event.clone().map(lowercase);
    let status_from_name = name
        .as_deref()
        .and_then(|n| n.strip_prefix("message."))
        .filter(|s| STATUS_WORDS.contains(s))
        .map(|s| Text::Owned(s.to_string()));
    let is_inbound_name = name.as_deref().is_some_and(|n| INBOUND_EVENTS.contains(&n));
    let f = Fields::of(payload);
    let status = text(f.get(STATUS)).map(lowercase);
    let from = text(f.get(FROM));

    if is_inbound_name || (name.is_none() && status.is_none() && from.is_some()) {
        if let Some(from) = from {
            return Event::Message(Box::new(inbound(&f, from, event, envelope_time)));
        }
    } else if let Some(status) = status.or(status_from_name) {
        return Event::Status(Box::new(status_event(&f, status, event, envelope_time)));
    }
    Event::Unknown {
        event,
        raw: Value::Null,
    }
}

fn status_event<'t>(
    f: &Fields<'t>,
    status: Text<'t>,
    event: Option<Text<'t>>,
    envelope_time: Option<Text<'t>>,
) -> StatusEvent<'t> {
    let (message_id, wamid) = ids(f);
    // Errors come as `error: {code, message}` (Sendexa), `errors: [{code, title, message}]` (Meta)
    // or a flat `errorCode` (status records).
    let error = f
        .get(ERROR)
        .filter(Node::is_object)
        .or_else(|| f.get(ERRORS).and_then(|e| e.index(0)));
    let error_code = error
        .and_then(|e| str_at(e, &["code"]))
        .or_else(|| first_text(f.all(ERROR_CODES)))
        .or_else(|| text(f.get(ERROR)));
    let error_message = error
        .and_then(|e| str_at(e, &["message"]).or_else(|| str_at(e, &["title"])))
        .or_else(|| text(f.get(ERROR_MESSAGE)));
    let timestamp = text(f.get(TIMESTAMP)).or(envelope_time);
    StatusEvent {
        event,
        message_id,
        wamid,
        status,
        recipient: first_text(f.all(RECIPIENTS)),
        timestamp_ms: timestamp.as_deref().and_then(parse_timestamp_ms),
        timestamp,
        error_code,
        error_message,
        raw: Value::Null,
    }
}

fn inbound<'t>(
    f: &Fields<'t>,
    from: Text<'t>,
    event: Option<Text<'t>>,
    envelope_time: Option<Text<'t>>,
) -> InboundMessage<'t> {
    let (message_id, wamid) = ids(f);
    let mut message_type = text(f.get(TYPE)).unwrap_or_default();
    let text_value = message_text(f.get(TEXT)).and_then(|(text, _)| as_text(text));
    if message_type.is_empty() {
        message_type = if text_value.is_some() {
            "text".into()
        } else {
            "unknown".into()
        };
    }
    let media = f
        .all(MEDIA)
        .iter()
        .find_map(|m| m.filter(Node::is_object))
        .map(|m| InboundMedia {
            id: str_at(m, &["id"]),
            url: str_at(m, &["url"]).or_else(|| str_at(m, &["link"])),
            mime_type: str_at(m, &["mime_type"]).or_else(|| str_at(m, &["mimeType"])),
            caption: str_at(m, &["caption"]),
            filename: str_at(m, &["filename"]),
        });
    let location = f.get(LOCATION).and_then(|l| {
        Some(InboundLocation {
            latitude: number_at(l, "latitude")?,
            longitude: number_at(l, "longitude")?,
            name: str_at(l, &["name"]),
            address: str_at(l, &["address"]),
        })
    });
    let timestamp = text(f.get(TIMESTAMP)).or(envelope_time);
    let context = |key| f.get(CONTEXT).and_then(|c| str_at(c, &[key]));
    InboundMessage {
        event,
        message_id,
        wamid,
        from,
        contact_name: f
            .get(CONTACT)
            .and_then(|c| str_at(c, &["name"]))
            .or_else(|| f.get(PROFILE).and_then(|p| str_at(p, &["name"]))),
        message_type,
        text: text_value,
        media,
        location,
        contacts: f.get(CONTACTS).filter(Node::is_array).map(|c| c.to_value()),
        reply: reply(f),
        context_message_id: context("messageId")
            .or_else(|| context("message_id"))
            .or_else(|| context("wamid"))
            .or_else(|| context("id")),
        timestamp_ms: timestamp.as_deref().and_then(parse_timestamp_ms),
        timestamp,
        raw: Value::Null,
    }
}

/// Button and list replies in the shapes seen: `interactive.button_reply{id,title}`,
/// `interactive.list_reply{id,title,description}`, and Meta's template `button{payload,text}`.
fn reply<'t>(f: &Fields<'t>) -> Option<InboundReply<'t>> {
    let choice = |kind: &'static str, key: &str| {
        let r = f.get(INTERACTIVE)?.get(key)?;
        Some(InboundReply {
            kind,
            id: str_at(r, &["id"]),
            title: str_at(r, &["title"]),
            description: str_at(r, &["description"]),
        })
    };
    choice("button", "button_reply")
        .or_else(|| choice("list", "list_reply"))
        .or_else(|| {
            let b = f.get(BUTTON)?;
            Some(InboundReply {
                kind: "button",
                id: str_at(b, &["payload"]),
                title: str_at(b, &["text"]),
                description: None,
            })
        })
}

/// Sendexa's `messageId` and Meta's wamid. In the drafts `messageId` *is* the wamid, and Meta
/// calls it `id`, so each is sorted by its `wamid.` prefix.
fn ids<'t>(f: &Fields<'t>) -> (Option<Text<'t>>, Option<Text<'t>>) {
    let mut message_id = None;
    let mut wamid = text(f.get(WAMID));
    for id in f.all(IDS).iter().filter_map(|id| text(*id)) {
        if id.starts_with("wamid.") {
            wamid.get_or_insert(id);
        } else {
            message_id.get_or_insert(id);
        }
    }
    (message_id, wamid)
}

/// The value at a path of object keys.
fn at<'t>(value: Node<'t>, path: &[&str]) -> Option<Node<'t>> {
    path.iter().try_fold(value, |at, key| at.get(key))
}

/// A non-empty string, or a number's text.
fn as_text(value: Node<'_>) -> Option<Cow<'_, str>> {
    match value.as_str() {
        Some(s) => (!s.is_empty()).then_some(s),
        None => value.number_text().map(Cow::Borrowed),
    }
}

/// The string at a path of object keys. Numbers are given as their text (Meta sends timestamps
/// as strings, others as numbers), so callers need not care which.
fn str_at<'t>(value: Node<'t>, path: &[&str]) -> Option<Text<'t>> {
    at(value, path).and_then(as_text)
}

/// `text` with ASCII letters lowered, copied only when it has an upper-case one.
fn lowercase(text: Text<'_>) -> Text<'_> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Text::Owned(text.to_ascii_lowercase())
    } else {
        text
    }
}

/// Where an inbound message's text is, given its payload's `text` member: `text.body`, else `text`
/// itself, whichever has a text ([`as_text`]); with that node's path within the payload.
fn message_text(text: Option<Node<'_>>) -> Option<(Node<'_>, &'static [&'static str])> {
    let text = text?;
    match text.get("body").filter(|body| as_text(*body).is_some()) {
        Some(body) => Some((body, &["text", "body"])),
        None => as_text(text).is_some().then_some((text, &["text"])),
    }
}

/// The path, within an inbound message's payload, of the string its `text` was taken from; `None`
/// when it has no text, or when the text is a number's (given as a string, unlike the number
/// itself). A caller holding its own parse of the body takes the text from there.
pub fn text_path(payload: Node<'_>) -> Option<&'static [&'static str]> {
    message_text(payload.get("text"))
        .filter(|(text, _)| text.is_string())
        .map(|(_, path)| path)
}

/// A number, or a string holding one (`"5.6037"`), kept as written.
fn number_at(value: Node<'_>, key: &str) -> Option<Number> {
    let value = value.get(key)?;
    match value.number_text() {
        Some(text) => Number::parse(text),
        None => Number::parse(value.as_str()?.trim()),
    }
}

/// An optional text as an owned, `'static` one.
fn owned(text: Option<Text<'_>>) -> Option<Text<'static>> {
    text.map(|t| Text::Owned(t.into_owned()))
}

impl Event<'_> {
    /// The event with every string owned, free of the body it was read from.
    pub fn into_owned(self) -> Event<'static> {
        match self {
            Event::Status(s) => Event::Status(Box::new(StatusEvent {
                event: owned(s.event),
                message_id: owned(s.message_id),
                wamid: owned(s.wamid),
                status: Text::Owned(s.status.into_owned()),
                recipient: owned(s.recipient),
                timestamp: owned(s.timestamp),
                timestamp_ms: s.timestamp_ms,
                error_code: owned(s.error_code),
                error_message: owned(s.error_message),
                raw: s.raw,
            })),
            Event::Message(m) => Event::Message(Box::new(InboundMessage {
                event: owned(m.event),
                message_id: owned(m.message_id),
                wamid: owned(m.wamid),
                from: Text::Owned(m.from.into_owned()),
                contact_name: owned(m.contact_name),
                message_type: Text::Owned(m.message_type.into_owned()),
                text: owned(m.text),
                media: m.media.map(|media| InboundMedia {
                    id: owned(media.id),
                    url: owned(media.url),
                    mime_type: owned(media.mime_type),
                    caption: owned(media.caption),
                    filename: owned(media.filename),
                }),
                location: m.location.map(|l| InboundLocation {
                    latitude: l.latitude,
                    longitude: l.longitude,
                    name: owned(l.name),
                    address: owned(l.address),
                }),
                contacts: m.contacts,
                reply: m.reply.map(|r| InboundReply {
                    kind: r.kind,
                    id: owned(r.id),
                    title: owned(r.title),
                    description: owned(r.description),
                }),
                context_message_id: owned(m.context_message_id),
                timestamp: owned(m.timestamp),
                timestamp_ms: m.timestamp_ms,
                raw: m.raw,
            })),
            Event::Unknown { event, raw } => Event::Unknown {
                event: owned(event),
                raw,
            },
        }
    }

    /// The payload as received.
    pub fn raw(&self) -> &Value {
        match self {
            Event::Status(s) => &s.raw,
            Event::Message(m) => &m.raw,
            Event::Unknown { raw, .. } => raw,
        }
    }

    pub(super) fn set_raw(&mut self, value: Value) {
        match self {
            Event::Status(s) => s.raw = value,
            Event::Message(m) => m.raw = value,
            Event::Unknown { raw, .. } => *raw = value,
        }
    }
}

#[cfg(test)]
mod tests;
