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
//! events to JavaScript in their [`Located::wire`] form, and JavaScript's own `JSON.parse` of the
//! body fills the payloads in.
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

use crate::engine::json::{self, Number, Value};

use crate::engine::time::parse_timestamp_ms;

/// A status update of a message the business sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEvent {
    /// The event name as sent (`message.delivered`), when the body had one.
    pub event: Option<String>,
    /// Sendexa's message id (`exa_wa_…`), when given.
    pub message_id: Option<String>,
    /// Meta's message id (`wamid.…`), when given.
    pub wamid: Option<String>,
    /// `pending`, `sent`, `delivered`, `read`, `failed`, `deleted`, or another status, lowercased.
    pub status: String,
    /// The recipient's number, as sent.
    pub recipient: Option<String>,
    /// When it happened, as sent.
    pub timestamp: Option<String>,
    /// [`timestamp`](Self::timestamp) in milliseconds since the epoch, when it parses.
    pub timestamp_ms: Option<f64>,
    /// For `failed`: the error code (`WA002`, `INVALID_NUMBER`, Meta's `131026`, …).
    pub error_code: Option<String>,
    /// For `failed`: the error's message.
    pub error_message: Option<String>,
    /// The status object as received.
    pub raw: Value,
}

/// A media attachment of an inbound message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundMedia {
    /// The media id, to download it through the API.
    pub id: Option<String>,
    /// A download URL, when the body gives one.
    pub url: Option<String>,
    /// The MIME type.
    pub mime_type: Option<String>,
    /// The caption.
    pub caption: Option<String>,
    /// The file name (documents).
    pub filename: Option<String>,
}

/// A reply to interactive buttons or a list, or a template's quick-reply button.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundReply {
    /// `button` (reply buttons and template quick replies) or `list`.
    pub kind: &'static str,
    /// The id of the chosen button or row (the payload, for template buttons).
    pub id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// The row's description (lists).
    pub description: Option<String>,
}

/// A location an inbound message shares.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundLocation {
    /// Latitude in degrees, as written (`Number::as_f64` reads it).
    pub latitude: Number,
    /// Longitude in degrees, as written.
    pub longitude: Number,
    /// The place's name.
    pub name: Option<String>,
    /// The place's address.
    pub address: Option<String>,
}

/// A message a WhatsApp user sent to the business. It opens (or renews) the 24-hour window.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// The event name as sent, when the body had one.
    pub event: Option<String>,
    /// Sendexa's id for the message, when given.
    pub message_id: Option<String>,
    /// Meta's id (`wamid.…`), when given.
    pub wamid: Option<String>,
    /// The sender's number.
    pub from: String,
    /// The sender's profile name, when given.
    pub contact_name: Option<String>,
    /// `text`, `image`, `video`, `audio`, `document`, `sticker`, `location`, `contacts`,
    /// `interactive`, `button`, or another type as sent.
    pub message_type: String,
    /// The text, for text messages.
    pub text: Option<String>,
    /// The attachment, for media messages.
    pub media: Option<InboundMedia>,
    /// The location, for location messages.
    pub location: Option<InboundLocation>,
    /// The shared contacts, as sent.
    pub contacts: Option<Value>,
    /// The button or list choice, for replies.
    pub reply: Option<InboundReply>,
    /// The id of the message this one replies to (Sendexa's, else Meta's), when it is a reply.
    pub context_message_id: Option<String>,
    /// When it was sent, as sent.
    pub timestamp: Option<String>,
    /// [`timestamp`](Self::timestamp) in milliseconds since the epoch, when it parses.
    pub timestamp_ms: Option<f64>,
    /// The message object as received.
    pub raw: Value,
}

/// One event from a webhook body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A status update of an outbound message.
    Status(Box<StatusEvent>),
    /// An inbound message.
    Message(Box<InboundMessage>),
    /// Anything else, kept whole.
    Unknown {
        /// The event name, when the body had one.
        event: Option<String>,
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
pub fn parse_events(body: &str) -> Result<Vec<Event>, WebhookParseError> {
    let value = json::parse(body).map_err(WebhookParseError)?;
    let mut located = locate_events(&value);
    for (event, path) in located.events.iter_mut().zip(&located.paths) {
        if let Some(raw) = value_at(&value, path) {
            event.set_raw(raw.clone());
        }
    }
    Ok(located.events)
}

/// The events of a parsed body, each with its `raw` left `null`, and the path from the top of the
/// body to each one's payload.
#[derive(Debug, Default)]
pub struct Located {
    /// The events, in order, `raw` left `null`.
    pub events: Vec<Event>,
    /// The path to the payload of the event at the same index.
    pub paths: Vec<Vec<PathStep>>,
}

impl Located {
    fn push(&mut self, event: Event, path: &[PathStep]) {
        self.events.push(event);
        self.paths.push(path.to_vec());
    }

    /// The events as JavaScript receives them from a caller that parses the body itself (driver.js
    /// `webhookEvents`): each `raw` as the path of its payload in `body` (left out when that is
    /// `null`, like every member), and a message's `text` as the path of its string within the
    /// payload ([`text_path`]). The caller puts its own parse's values in their place.
    pub fn wire(&self, body: &Value) -> Vec<Value> {
        let mut wire = Vec::with_capacity(self.events.len());
        for (event, path) in self.events.iter().zip(&self.paths) {
            let payload = value_at(body, path).filter(|raw| !raw.is_null());
            let raw = match payload {
                Some(_) => Value::Array(
                    path.iter()
                        .map(|step| match step {
                            PathStep::Key(key) => Value::from(*key),
                            PathStep::Index(i) => Value::from(*i as u64),
                        })
                        .collect(),
                ),
                None => Value::Null,
            };
            let mut value = event.to_value_with_raw(raw);
            // A message's text, up to 4,096 characters, crosses as a path too.
            if let (Some(payload), Event::Message(_)) = (payload, event) {
                if let Some(keys) = text_path(payload) {
                    let keys = keys.iter().map(|key| Value::from(*key)).collect();
                    value.set("text", Value::Array(keys));
                }
            }
            wire.push(value);
        }
        wire
    }
}

/// The events of a parsed body and where their payloads are. A caller that parses the body itself
/// (JavaScript, whose `JSON.parse` builds objects faster than any copy out of wasm) takes each
/// `raw` from its own parse by the path, instead of having it copied and written out here.
pub fn locate_events(value: &Value) -> Located {
    let mut located = Located::default();
    let mut path = Vec::new();
    if let Some(items) = value.as_array() {
        // A batch: each element is an envelope of its own (never nested further).
        for (i, item) in items.iter().enumerate() {
            path.push(PathStep::Index(i));
            collect_envelope(item, &mut path, &mut located);
            path.pop();
        }
    } else {
        collect_envelope(value, &mut path, &mut located);
    }
    located
}

/// The value at `path` under `value`, when there is one.
pub fn value_at<'v>(value: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    path.iter().try_fold(value, |at, step| match step {
        PathStep::Key(key) => at.get(key),
        PathStep::Index(i) => at.index(*i),
    })
}

fn collect_envelope(value: &Value, path: &mut Vec<PathStep>, events: &mut Located) {
    if value.get("entry").and_then(Value::as_array).is_some() {
        collect_meta(value, path, events);
        return;
    }
    let event =
        str_at(value, &["event"]).or_else(|| str_at(value, &["type"]).filter(|t| t.contains('.')));
    // `{event, data: {...}, timestamp}`: the data object is the payload; the envelope's timestamp
    // stands in when the payload has none.
    match value.get("data") {
        Some(data @ Value::Object(_)) => {
            let time = str_at(value, &["timestamp"]).or_else(|| str_at(value, &["created_at"]));
            path.push(PathStep::Key("data"));
            events.push(classify(data, event, time), path);
            path.pop();
        }
        _ => events.push(classify(value, event, None), path),
    }
}

/// The elements of the array at `value[key]`; none when it is missing or not an array.
fn items<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Meta's Cloud API webhook: statuses and messages inside entry[].changes[].value.
fn collect_meta(value: &Value, path: &mut Vec<PathStep>, events: &mut Located) {
    use PathStep::{Index, Key};
    let base = path.len();
    for (e, entry) in items(value, "entry").iter().enumerate() {
        for (c, change) in items(entry, "changes").iter().enumerate() {
            let Some(inner) = change.get("value") else {
                continue;
            };
            path.truncate(base);
            path.extend([Key("entry"), Index(e), Key("changes"), Index(c)]);
            let before = events.events.len();
            let names = inner.get("contacts").and_then(Value::as_array);
            for key in ["statuses", "messages"] {
                for (i, item) in items(inner, key).iter().enumerate() {
                    let event = if key == "statuses" {
                        classify(item, None, None)
                    } else {
                        inbound_meta(item, names)
                    };
                    path.extend([Key("value"), Key(key), Index(i)]);
                    events.push(event, path);
                    path.truncate(base.saturating_add(4));
                }
            }
            if events.events.len() == before {
                let unknown = Event::Unknown {
                    event: str_at(change, &["field"]),
                    raw: Value::Null,
                };
                events.push(unknown, path);
            }
        }
    }
    path.truncate(base);
}

/// One of Meta's inbound messages; Meta names the sender in `value.contacts[]` by `wa_id`.
fn inbound_meta(message: &Value, names: Option<&Vec<Value>>) -> Event {
    let mut event = classify(message, Some("message.received".into()), None);
    if let Event::Message(m) = &mut event {
        m.contact_name = m.contact_name.take().or_else(|| {
            names?
                .iter()
                .find(|c| str_at(c, &["wa_id"]).as_deref() == Some(m.from.as_str()))
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

fn classify(payload: &Value, event: Option<String>, envelope_time: Option<String>) -> Event {
    let name = event.as_deref().map(str::to_ascii_lowercase);
    let status_from_name = name
        .as_deref()
        .and_then(|n| n.strip_prefix("message."))
        .filter(|s| STATUS_WORDS.contains(s))
        .map(str::to_string);
    let is_inbound_name = name.as_deref().is_some_and(|n| INBOUND_EVENTS.contains(&n));
    let status = str_at(payload, &["status"]).map(|s| s.to_ascii_lowercase());
    let from = str_at(payload, &["from"]);

    if is_inbound_name || (name.is_none() && status.is_none() && from.is_some()) {
        if let Some(from) = from {
            return Event::Message(Box::new(inbound(payload, from, event, envelope_time)));
        }
    } else if let Some(status) = status.or(status_from_name) {
        return Event::Status(Box::new(status_event(
            payload,
            status,
            event,
            envelope_time,
        )));
    }
    Event::Unknown {
        event,
        raw: Value::Null,
    }
}

fn status_event(
    payload: &Value,
    status: String,
    event: Option<String>,
    envelope_time: Option<String>,
) -> StatusEvent {
    let (message_id, wamid) = ids(payload);
    // Errors come as `error: {code, message}` (Sendexa), `errors: [{code, title, message}]` (Meta)
    // or a flat `errorCode` (status records).
    let error = payload
        .get("error")
        .filter(|e| matches!(e, Value::Object(_)))
        .or_else(|| payload.get("errors").and_then(|e| e.index(0)));
    let error_code = error
        .and_then(|e| str_at(e, &["code"]))
        .or_else(|| str_at(payload, &["errorCode"]))
        .or_else(|| str_at(payload, &["error_code"]))
        .or_else(|| str_at(payload, &["error"]));
    let error_message = error
        .and_then(|e| str_at(e, &["message"]).or_else(|| str_at(e, &["title"])))
        .or_else(|| str_at(payload, &["errorMessage"]));
    let timestamp = str_at(payload, &["timestamp"]).or(envelope_time);
    StatusEvent {
        event,
        message_id,
        wamid,
        status,
        recipient: str_at(payload, &["to"])
            .or_else(|| str_at(payload, &["recipient"]))
            .or_else(|| str_at(payload, &["recipient_id"])),
        timestamp_ms: timestamp.as_deref().and_then(parse_timestamp_ms),
        timestamp,
        error_code,
        error_message,
        raw: Value::Null,
    }
}

fn inbound(
    payload: &Value,
    from: String,
    event: Option<String>,
    envelope_time: Option<String>,
) -> InboundMessage {
    let (message_id, wamid) = ids(payload);
    let mut message_type = str_at(payload, &["type"]).unwrap_or_default();
    let text = TEXT_AT.iter().find_map(|path| str_at(payload, path));
    if message_type.is_empty() {
        message_type = if text.is_some() {
            "text".into()
        } else {
            "unknown".into()
        };
    }
    let media = ["image", "video", "audio", "document", "sticker"]
        .iter()
        .find_map(|kind| payload.get(kind).filter(|m| matches!(m, Value::Object(_))))
        .map(|m| InboundMedia {
            id: str_at(m, &["id"]),
            url: str_at(m, &["url"]).or_else(|| str_at(m, &["link"])),
            mime_type: str_at(m, &["mime_type"]).or_else(|| str_at(m, &["mimeType"])),
            caption: str_at(m, &["caption"]),
            filename: str_at(m, &["filename"]),
        });
    let location = payload.get("location").and_then(|l| {
        Some(InboundLocation {
            latitude: number_at(l, "latitude")?,
            longitude: number_at(l, "longitude")?,
            name: str_at(l, &["name"]),
            address: str_at(l, &["address"]),
        })
    });
    let timestamp = str_at(payload, &["timestamp"]).or(envelope_time);
    InboundMessage {
        event,
        message_id,
        wamid,
        from,
        contact_name: str_at(payload, &["contact", "name"])
            .or_else(|| str_at(payload, &["profile", "name"])),
        message_type,
        text,
        media,
        location,
        contacts: payload
            .get("contacts")
            .filter(|c| c.as_array().is_some())
            .cloned(),
        reply: reply(payload),
        context_message_id: str_at(payload, &["context", "messageId"])
            .or_else(|| str_at(payload, &["context", "message_id"]))
            .or_else(|| str_at(payload, &["context", "wamid"]))
            .or_else(|| str_at(payload, &["context", "id"])),
        timestamp_ms: timestamp.as_deref().and_then(parse_timestamp_ms),
        timestamp,
        raw: Value::Null,
    }
}

/// Button and list replies in the shapes seen: `interactive.button_reply{id,title}`,
/// `interactive.list_reply{id,title,description}`, and Meta's template `button{payload,text}`.
fn reply(payload: &Value) -> Option<InboundReply> {
    let interactive = payload.get("interactive");
    let choice = |kind: &'static str, key: &str| {
        let r = interactive?.get(key)?;
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
            let b = payload.get("button")?;
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
fn ids(payload: &Value) -> (Option<String>, Option<String>) {
    let mut message_id = None;
    let mut wamid = str_at(payload, &["wamid"]);
    for key in ["messageId", "message_id", "id"] {
        if let Some(id) = str_at(payload, &[key]) {
            if id.starts_with("wamid.") {
                wamid.get_or_insert(id);
            } else {
                message_id.get_or_insert(id);
            }
        }
    }
    (message_id, wamid)
}

/// The value at a path of object keys.
fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |at, key| at.get(key))
}

/// A non-empty string, or a number's text.
fn as_text(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s),
        Value::Number(n) => Some(n.as_str()),
        _ => None,
    }
}

/// The string at a path of object keys. Numbers are given as their text (Meta sends timestamps
/// as strings, others as numbers), so callers need not care which.
fn str_at(value: &Value, path: &[&str]) -> Option<String> {
    at(value, path).and_then(as_text).map(str::to_string)
}

/// Where an inbound message's text is looked for in its payload, in order.
const TEXT_AT: [&[&str]; 2] = [&["text", "body"], &["text"]];

/// The path, within an inbound message's payload, of the string its `text` was taken from; `None`
/// when it has no text, or when the text is a number's (given as a string, unlike the number
/// itself). A caller holding its own parse of the body takes the text from there.
pub fn text_path(payload: &Value) -> Option<&'static [&'static str]> {
    let path = TEXT_AT
        .iter()
        .copied()
        .find(|path| at(payload, path).and_then(as_text).is_some())?;
    matches!(at(payload, path), Some(Value::String(_))).then_some(path)
}

/// A number, or a string holding one (`"5.6037"`), kept as written.
fn number_at(value: &Value, key: &str) -> Option<Number> {
    match value.get(key)? {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => Number::parse(s.trim()),
        _ => None,
    }
}

/// A time in ms as a whole number (a fraction of a millisecond is dropped).
fn opt_num(value: Option<f64>) -> Value {
    value
        .and_then(|ms| Number::from_integer_f64(ms.trunc()))
        .map_or(Value::Null, Value::Number)
}

/// An object's members, in order. What is not known (`None`, `null`) is left out, so the
/// JavaScript objects have only what is known; the keys are distinct literals.
struct Members(Vec<(String, Value)>);

impl Members {
    fn new() -> Self {
        Members(Vec::with_capacity(12))
    }

    fn put(&mut self, key: &str, value: Value) -> &mut Self {
        if !value.is_null() {
            self.0.push((key.to_string(), value));
        }
        self
    }

    fn text(&mut self, key: &str, value: &Option<String>) -> &mut Self {
        if let Some(text) = value {
            self.0.push((key.to_string(), Value::from(text.as_str())));
        }
        self
    }

    fn done(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.0))
    }
}

impl Event {
    /// The payload as received.
    pub fn raw(&self) -> &Value {
        match self {
            Event::Status(s) => &s.raw,
            Event::Message(m) => &m.raw,
            Event::Unknown { raw, .. } => raw,
        }
    }

    fn set_raw(&mut self, value: Value) {
        match self {
            Event::Status(s) => s.raw = value,
            Event::Message(m) => m.raw = value,
            Event::Unknown { raw, .. } => *raw = value,
        }
    }

    /// The event as the JSON object JavaScript receives (`kind` is the discriminant).
    pub fn to_value(&self) -> Value {
        self.to_value_with_raw(self.raw().clone())
    }

    /// [`to_value`](Self::to_value) with `raw` as given instead of the event's own (left out
    /// when `null`, like every member).
    pub fn to_value_with_raw(&self, raw: Value) -> Value {
        let mut o = Members::new();
        match self {
            Event::Status(s) => o
                .put("kind", "status".into())
                .text("event", &s.event)
                .text("messageId", &s.message_id)
                .text("wamid", &s.wamid)
                .put("status", s.status.as_str().into())
                .text("recipient", &s.recipient)
                .text("timestamp", &s.timestamp)
                .put("timestampMs", opt_num(s.timestamp_ms))
                .text("errorCode", &s.error_code)
                .text("errorMessage", &s.error_message),
            Event::Message(m) => {
                let media = m.media.as_ref().map_or(Value::Null, |media| {
                    Members::new()
                        .text("id", &media.id)
                        .text("url", &media.url)
                        .text("mimeType", &media.mime_type)
                        .text("caption", &media.caption)
                        .text("filename", &media.filename)
                        .done()
                });
                let location = m.location.as_ref().map_or(Value::Null, |l| {
                    Members::new()
                        .put("latitude", Value::Number(l.latitude.clone()))
                        .put("longitude", Value::Number(l.longitude.clone()))
                        .text("name", &l.name)
                        .text("address", &l.address)
                        .done()
                });
                let reply = m.reply.as_ref().map_or(Value::Null, |r| {
                    Members::new()
                        .put("kind", r.kind.into())
                        .text("id", &r.id)
                        .text("title", &r.title)
                        .text("description", &r.description)
                        .done()
                });
                o.put("kind", "message".into())
                    .text("event", &m.event)
                    .text("messageId", &m.message_id)
                    .text("wamid", &m.wamid)
                    .put("from", m.from.as_str().into())
                    .text("contactName", &m.contact_name)
                    .put("type", m.message_type.as_str().into())
                    .text("text", &m.text)
                    .put("media", media)
                    .put("location", location)
                    .put("contacts", m.contacts.clone().unwrap_or(Value::Null))
                    .put("reply", reply)
                    .text("contextMessageId", &m.context_message_id)
                    .text("timestamp", &m.timestamp)
                    .put("timestampMs", opt_num(m.timestamp_ms))
            }
            Event::Unknown { event, .. } => o.put("kind", "unknown".into()).text("event", event),
        }
        .put("raw", raw)
        .done()
    }
}

#[cfg(test)]
mod tests;
