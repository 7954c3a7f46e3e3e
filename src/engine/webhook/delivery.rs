//! One webhook delivery handled, as a sans-IO state machine (`handleWebhook`): read the body
//! under its cap, verify the signature, parse the events, skip a delivery already handled, record
//! inbound senders in the window store, hand each event to `onEvent`, and answer. The package's
//! JavaScript driver reads the body, calls the stores and `onEvent`, and builds the `Response`.
//!
//! ```
//! use sendexa_whatsapp::engine::webhook::delivery::{Handling, Input, Settings, Step};
//! use sendexa_whatsapp::engine::webhook::signature::sign_hex;
//!
//! let body = br#"{"event":"message.delivered","messageId":"exa_wa_1","status":"delivered"}"#;
//! let signature = format!("sha256={}", sign_hex(b"whsec", body));
//! let settings = Settings { secret: b"whsec".to_vec(), signature: Some(signature), ..Settings::default() };
//! let mut handling = Handling::new(settings);
//! assert!(matches!(handling.step(Input::Go, 0.0), Step::ReadBody(1_048_576)));
//! assert!(matches!(handling.step(Input::Body(body.to_vec()), 0.0), Step::Event(_)));
//! match handling.step(Input::Done, 0.0) {
//!     Step::Respond(status, body) => assert_eq!((status, body.to_json().as_str()), (200, r#"{"received":1}"#)),
//!     other => panic!("{other:?}"),
//! }
//! ```

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};

use super::event::{locate_events, Event, WebhookParseError};
use super::signature::{self, Delivery};
use crate::engine::error::Error;
use crate::engine::json::{Tape, Value};

/// The default of `maxBodyBytes`: 1 MiB, Fastify's default body limit. Sendexa's deliveries are a
/// few kilobytes.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1_048_576;

/// The default dedupe store: the most recent delivery ids, bounded so memory stays flat.
#[derive(Debug, Default)]
pub struct RecentIds {
    order: VecDeque<String>,
    seen: HashSet<String>,
}

/// How many delivery ids [`RecentIds`] keeps.
pub const RECENT_IDS: usize = 10_000;

impl RecentIds {
    /// Whether `id` was handled.
    pub fn contains(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// Records `id`, forgetting the oldest past [`RECENT_IDS`].
    pub fn insert(&mut self, id: String) {
        if self.seen.insert(id.clone()) {
            self.order.push_back(id);
            if self.order.len() > RECENT_IDS {
                if let Some(oldest) = self.order.pop_front() {
                    self.seen.remove(&oldest);
                }
            }
        }
    }
}

/// Where handled delivery ids are kept.
#[derive(Debug, Default)]
pub enum Dedupe {
    /// Not deduplicated.
    Off,
    /// The in-memory default (shared by every handler of the instance).
    #[default]
    Default,
    /// A user's `DedupeStore`: the driver calls its `has` and `add`.
    Custom,
}

/// What one delivery is handled with.
#[derive(Debug)]
pub struct Settings {
    /// The signing secret.
    pub secret: Vec<u8>,
    /// `toleranceSeconds`.
    pub tolerance_seconds: Option<f64>,
    /// `maxBodyBytes`.
    pub max_body_bytes: u64,
    /// The request's `Content-Length`, when it declared one.
    pub declared_length: Option<u64>,
    /// The signature header (`X-Signature`, else `X-Sendexa-Signature`).
    pub signature: Option<String>,
    /// `X-Timestamp`.
    pub timestamp: Option<String>,
    /// `X-Webhook-ID`, else `X-Sendexa-Delivery-ID`.
    pub delivery_id: Option<String>,
    /// The dedupe store.
    pub dedupe: Dedupe,
    /// Whether a window store was given.
    pub window: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secret: Vec::new(),
            tolerance_seconds: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            declared_length: None,
            signature: None,
            timestamp: None,
            delivery_id: None,
            dedupe: Dedupe::Off,
            window: false,
        }
    }
}

/// What the driver reports.
#[derive(Debug)]
pub enum Input {
    /// Start.
    Go,
    /// The whole body, within the cap.
    Body(Vec<u8>),
    /// The body passed the cap while it was read (reading stopped there).
    BodyTooLarge,
    /// The body could not be read (already read, or not a Request).
    Unreadable(String),
    /// The dedupe store's answer to [`Step::Has`] (a failing store answers `false`).
    Seen(bool),
    /// The last step's work succeeded.
    Done,
    /// The last step's work threw or rejected, with the error's message.
    Failed(String),
}

impl Input {
    /// The input's name, for errors (a body is never formatted).
    fn name(&self) -> &'static str {
        match self {
            Input::Go => "Go",
            Input::Body(_) => "Body",
            Input::BodyTooLarge => "BodyTooLarge",
            Input::Unreadable(_) => "Unreadable",
            Input::Seen(_) => "Seen",
            Input::Done => "Done",
            Input::Failed(_) => "Failed",
        }
    }
}

/// What the driver must do next.
#[derive(Debug)]
pub enum Step {
    /// Read the request's body, stopping past this many bytes; then [`Input::Body`] (or
    /// [`Input::BodyTooLarge`], [`Input::Unreadable`]).
    ReadBody(u64),
    /// Ask the dedupe store whether it has this id; then [`Input::Seen`].
    Has(String),
    /// `window.set(phone, atMs)`; then [`Input::Done`] or [`Input::Failed`].
    SetWindow(String, f64),
    /// `onEvent(event)`, awaited; then [`Input::Done`] or [`Input::Failed`]. The event is in its
    /// record form ([`super::wire`]): the driver fills in `raw`, and a message's text, from its
    /// own parse of the body.
    Event(String),
    /// Add the id to the dedupe store (a failure only risks one repeat delivery); then any input.
    Add(String),
    /// Answer with this status and JSON body.
    Respond(u16, Value),
    /// Throw this error (a programming error, such as a body already read).
    Fail(Error),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Start,
    Reading,
    AskingDedupe,
    /// The window store is recording event `n`'s sender.
    Window(usize),
    /// `onEvent` has event `n`.
    Handing(usize),
    Adding,
    Finished,
}

/// One delivery being handled.
#[derive(Debug)]
pub struct Handling {
    settings: Settings,
    state: State,
    /// Per event, for an inbound message, its sender and when it was sent (for the window store).
    senders: Vec<Option<(String, Option<f64>)>>,
    /// The events as they cross to the driver ([`super::event::Located::write_records`]).
    wire: Vec<String>,
}

impl Handling {
    /// A delivery to handle with `settings`.
    pub fn new(settings: Settings) -> Self {
        Handling {
            settings,
            state: State::Start,
            senders: Vec::new(),
            wire: Vec::new(),
        }
    }

    /// Takes what the driver reports and says what to do next; `now` is the time in ms.
    pub fn step(&mut self, input: Input, now: f64) -> Step {
        let step = self.advance(input, now);
        if matches!(step, Step::Respond(..) | Step::Fail(_)) {
            self.state = State::Finished;
            self.senders = Vec::new();
            self.wire = Vec::new();
        }
        step
    }

    fn advance(&mut self, input: Input, now: f64) -> Step {
        match (self.state, input) {
            (State::Start, _) => {
                let max = self.settings.max_body_bytes;
                if self.settings.declared_length.is_some_and(|n| n > max) {
                    return too_large(max);
                }
                self.state = State::Reading;
                Step::ReadBody(max)
            }
            (State::Reading, Input::Body(body)) => self.received(&body, now),
            (State::Reading, Input::BodyTooLarge) => too_large(self.settings.max_body_bytes),
            (State::Reading, Input::Unreadable(message)) => {
                Step::Fail(Error::InvalidArgument { message })
            }
            (State::AskingDedupe, Input::Seen(true)) => duplicate(),
            (State::AskingDedupe, Input::Seen(false)) => self.event(0, now),
            (State::Window(n), Input::Done) => self.hand(n),
            (State::Handing(n), Input::Done) => self.event(n.saturating_add(1), now),
            (State::Window(_), Input::Failed(why)) => {
                failed(&format!("the window store failed: {why}"))
            }
            (State::Handing(_), Input::Failed(why)) => failed(&format!("onEvent failed: {why}")),
            (State::Adding, _) => self.answer(),
            (_, input) => Step::Fail(Error::Internal {
                message: format!("the webhook driver reported {} out of turn", input.name()),
            }),
        }
    }

    /// The body arrived: verify, parse, and look the delivery up.
    fn received(&mut self, body: &[u8], now: f64) -> Step {
        let s = &self.settings;
        let delivery = Delivery {
            body,
            signature: s.signature.as_deref(),
            timestamp: s.timestamp.as_deref(),
        };
        if let Err(failure) = signature::verify(delivery, &s.secret, s.tolerance_seconds, now) {
            return Step::Respond(401, error_body("INVALID_SIGNATURE", failure.describe()));
        }
        let parsed = std::str::from_utf8(body)
            .map_err(|_| Error::InvalidWebhook {
                message: "The webhook body is not UTF-8 text.".into(),
            })
            .and_then(|text| Tape::parse(text).map_err(|e| WebhookParseError(e).into()));
        let tape = match parsed {
            Ok(tape) => tape,
            Err(err) => return Step::Respond(400, error_body(err.code(), &err.to_string())),
        };
        let located = locate_events(tape.root());
        self.wire = (0..located.events.len())
            .map(|n| {
                let mut wire = String::new();
                located.write_records(n, &mut wire);
                wire
            })
            .collect();
        self.senders = located
            .events
            .iter()
            .map(|event| match event {
                Event::Message(m) => Some((m.from.to_string(), m.timestamp_ms)),
                _ => None,
            })
            .collect();
        let Some(id) = self.settings.delivery_id.clone() else {
            return self.event(0, now);
        };
        let seen = match &self.settings.dedupe {
            Dedupe::Off => false,
            Dedupe::Default => DEFAULT_DEDUPE.with(|d| d.borrow().contains(&id)),
            Dedupe::Custom => {
                self.state = State::AskingDedupe;
                return Step::Has(id);
            }
        };
        if seen {
            duplicate()
        } else {
            self.event(0, now)
        }
    }

    /// Event `n`: first its sender into the window store (an inbound message, when there is a
    /// store), then to `onEvent`; after the last, the delivery is recorded and answered.
    fn event(&mut self, n: usize, now: f64) -> Step {
        let Some(sender) = self.senders.get(n) else {
            return self.record();
        };
        if let (Some((from, sent_ms)), true) = (sender, self.settings.window) {
            // The window runs from when the user wrote, never from the future.
            let at = sent_ms.filter(|t| *t <= now).unwrap_or(now);
            self.state = State::Window(n);
            return Step::SetWindow(from.clone(), at);
        }
        self.hand(n)
    }

    fn hand(&mut self, n: usize) -> Step {
        let Some(wire) = self.wire.get_mut(n) else {
            return self.record();
        };
        self.state = State::Handing(n);
        // Each event is handed once: moved out, not copied.
        Step::Event(std::mem::take(wire))
    }

    fn record(&mut self) -> Step {
        let Some(id) = self.settings.delivery_id.clone() else {
            return self.answer();
        };
        match &self.settings.dedupe {
            Dedupe::Off => {}
            Dedupe::Default => DEFAULT_DEDUPE.with(|d| d.borrow_mut().insert(id)),
            Dedupe::Custom => {
                self.state = State::Adding;
                return Step::Add(id);
            }
        }
        self.answer()
    }

    fn answer(&self) -> Step {
        let received = self.senders.len() as u64;
        Step::Respond(200, Value::object([("received", Value::from(received))]))
    }
}

thread_local! {
    static DEFAULT_DEDUPE: RefCell<RecentIds> = RefCell::new(RecentIds::default());
}

fn error_body(code: &str, message: &str) -> Value {
    Value::object([(
        "error",
        Value::object([
            ("code", Value::from(code)),
            ("message", Value::from(message)),
        ]),
    )])
}

fn too_large(max: u64) -> Step {
    let message = format!(
        "The webhook body is larger than maxBodyBytes ({max} bytes); raise maxBodyBytes if your deliveries are really this large."
    );
    Step::Respond(413, error_body("PAYLOAD_TOO_LARGE", &message))
}

fn duplicate() -> Step {
    let body = Value::object([
        ("received", Value::from(0u64)),
        ("duplicate", Value::Bool(true)),
    ]);
    Step::Respond(200, body)
}

fn failed(message: &str) -> Step {
    Step::Respond(500, error_body("HANDLER_FAILED", message))
}

#[cfg(test)]
mod tests;
