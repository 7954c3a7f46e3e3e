//! One API call as a state machine: check the window, acquire a rate-limit slot, send the
//! request, interpret the answer, retry or finish, wait. Sans-IO, in the manner of h11 and
//! quinn-proto: the machine never fetches, sleeps or reads a clock. Its driver (in the package,
//! `src/bindings/driver.js`) does what each [`Step`] asks and feeds back what happened as an
//! [`Input`], with the time and a random number; the tests below drive it with made-up answers.
//!
//! ```
//! use std::rc::Rc;
//! use sendexa_whatsapp::engine::client::call::{Call, Config, Input, Step};
//! use sendexa_whatsapp::engine::client::{endpoint, response::Response};
//!
//! let config = Rc::new(Config::default());
//! let mut call = Call::new(config, endpoint::status("exa_wa_1").unwrap(), None, Some("exa_wa_1".into()));
//! assert!(matches!(call.step(Input::Go, 0.0, 0.5), Step::Fetch));
//! let answer = Response { status: 200, body: r#"{"data":{"messageId":"exa_wa_1","status":"delivered"}}"#.into(), ..Default::default() };
//! match call.step(Input::Answer(answer, 120.0), 120.0, 0.5) {
//!     Step::Done(v) => assert_eq!(v.get("status").and_then(|s| s.as_str()), Some("delivered")),
//!     other => panic!("{other:?}"),
//! }
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use std::collections::VecDeque;

use super::endpoint::{self, Endpoint, Request, TemplateQuery};
use super::limiter::RateLimiter;
use super::response::{self, Context, RateInfo, Response};
use super::retry::{self, Decision, RetryPolicy};
use super::window::{self, WindowBook};
use super::{next_template_query, redact, MAX_TEMPLATE_PAGES, RESPONSE_MAX_DEFAULT};
use crate::engine::error::Error;
use crate::engine::json::Value;

/// Which limiter gates the calls.
#[derive(Default)]
pub enum Limiting {
    /// No client-side limiting.
    #[default]
    Off,
    /// The built-in limiter (shared with JavaScript as a `RateLimiter`).
    Builtin(Rc<RefCell<RateLimiter>>),
    /// A user's `RateLimiterLike`: the driver calls its `acquire` and `report`.
    Custom,
}

/// Where the 24-hour window is read.
#[derive(Default)]
pub enum WindowSource {
    /// No local check.
    #[default]
    Off,
    /// The in-memory store, read here.
    Memory(Rc<RefCell<WindowBook>>),
    /// A user's `WindowStore`: the driver calls its `get`.
    Custom,
}

/// What every call of one client shares.
pub struct Config {
    /// The retry settings.
    pub policy: RetryPolicy,
    /// Per attempt, for the timeout's message.
    pub timeout_ms: u64,
    /// The most bytes of an answer read, for the too-large error.
    pub max_response_bytes: usize,
    /// The limiter.
    pub limiting: Limiting,
    /// The window store.
    pub window: WindowSource,
    /// Refuse free-form sends with no window record.
    pub strict_window: bool,
    /// The token and key material, scrubbed from every error text.
    pub secrets: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            policy: RetryPolicy::default(),
            timeout_ms: 30_000,
            max_response_bytes: RESPONSE_MAX_DEFAULT,
            limiting: Limiting::Off,
            window: WindowSource::Off,
            strict_window: false,
            secrets: Vec::new(),
        }
    }
}

/// Why a fetch produced no response.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The timeout fired first.
    Timeout,
    /// The caller's signal fired while the request was in flight.
    Aborted,
    /// The runtime's own error, as text.
    Network(String),
    /// The answer was larger than `max_response_bytes`; reading stopped there.
    TooLarge {
        /// The answer's HTTP status.
        status: u16,
        /// Its `X-Request-Id`, when it had one.
        request_id: Option<String>,
    },
}

/// What the driver reports.
#[derive(Debug)]
pub enum Input {
    /// Start, or carry on after a [`Step::Report`].
    Go,
    /// The custom window store's answer: the recipient's last inbound time, if any.
    Window(Option<f64>),
    /// The custom limiter's `acquire` resolved.
    Acquired,
    /// The custom limiter's `acquire` failed, with the runtime's error text.
    AcquireFailed(String),
    /// The wait of [`Step::Wait`] is over.
    Slept,
    /// The whole answer, and how long it took (ms, request to last byte).
    Answer(Response, f64),
    /// The request produced no answer.
    Broken(Failure),
    /// The caller's signal fired before the request went out (during a wait or an acquire, or
    /// before the call began).
    Aborted,
}

impl Input {
    /// The input's name, for errors (names only: no float is ever formatted in the .wasm).
    fn name(&self) -> &'static str {
        match self {
            Input::Go => "Go",
            Input::Window(_) => "Window",
            Input::Acquired => "Acquired",
            Input::AcquireFailed(_) => "AcquireFailed",
            Input::Slept => "Slept",
            Input::Answer(..) => "Answer",
            Input::Broken(_) => "Broken",
            Input::Aborted => "Aborted",
        }
    }
}

/// What the driver must do next.
#[derive(Debug)]
pub enum Step {
    /// Ask the custom window store for the last inbound time of this recipient, then
    /// [`Input::Window`].
    ReadWindow(String),
    /// Call the custom limiter's `acquire(key, { signal })`, then [`Input::Acquired`] (or
    /// [`Input::AcquireFailed`]).
    Acquire(&'static str),
    /// Send the request (with the call's timeout and byte cap), then [`Input::Answer`] or
    /// [`Input::Broken`].
    Fetch,
    /// Wait this many milliseconds (abortable), then [`Input::Slept`].
    Wait(f64),
    /// Give the custom limiter's `report(key, info)` this answer's limits (advice: its failure
    /// is ignored), then [`Input::Go`].
    Report(&'static str, RateInfo),
    /// The call succeeded with this result.
    Done(Value),
    /// The call failed with this error.
    Fail(Error),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Start,
    ReadingWindow,
    Acquiring,
    /// Waiting for the built-in limiter's slot booked at this time.
    SlotWait(f64),
    Fetching,
    /// The answer was reported to the custom limiter; this is what follows.
    Reported,
    Backoff,
    Finished,
}

/// One call: its request, what it sent, and where it is.
pub struct Call {
    config: Rc<Config>,
    request: Request,
    /// The message sent (`send`), for the result's `to` and `type` and the window check.
    message: Option<Value>,
    /// The id asked about, for results that leave it out.
    id: Option<String>,
    attempt: u32,
    state: State,
    /// The outcome of the last answer, held while the custom limiter hears about it.
    pending: Option<Result<Value, Error>>,
}

impl Call {
    /// A call of `request`; `message` is the validated message of a send (its window is checked
    /// first), `id` the resource asked about.
    pub fn new(
        config: Rc<Config>,
        request: Request,
        message: Option<Value>,
        id: Option<String>,
    ) -> Self {
        Call {
            config,
            request,
            message,
            id,
            attempt: 0,
            state: State::Start,
            pending: None,
        }
    }

    /// The request (the same on every attempt).
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The endpoint's rate-limit key.
    pub fn limit_key(&self) -> &'static str {
        self.request.endpoint.limit_key()
    }

    /// Whether the call has ended (a [`Step::Done`] or [`Step::Fail`] was given).
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Takes what the driver reports and says what to do next. `now` is the time (ms since the
    /// epoch), `random` a uniform number in `[0, 1)` for the backoff's jitter.
    pub fn step(&mut self, input: Input, now: f64, random: f64) -> Step {
        let step = self.advance(input, now, random);
        if matches!(step, Step::Done(_) | Step::Fail(_)) {
            self.state = State::Finished;
            // What was sent is no longer needed; a finished call holds nothing big.
            self.message = None;
            self.request.body = None;
        }
        step
    }

    fn advance(&mut self, input: Input, now: f64, random: f64) -> Step {
        let endpoint = self.request.endpoint;
        if let Input::Aborted = input {
            if let State::SlotWait(at) = self.state {
                if let Limiting::Builtin(limiter) = &self.config.limiting {
                    limiter.borrow_mut().cancel(endpoint.limit_key(), at);
                }
            }
            return Step::Fail(aborted(endpoint, false));
        }
        match (self.state, input) {
            (State::Finished, _) => Step::Fail(Error::Internal {
                message: "the call had already ended".into(),
            }),
            (State::Start, _) => self.check_window(now),
            (State::ReadingWindow, Input::Window(last)) => self.window_read(last, now),
            (State::Acquiring, Input::Acquired) | (State::SlotWait(_), Input::Slept) => {
                self.state = State::Fetching;
                Step::Fetch
            }
            (State::Acquiring, Input::AcquireFailed(detail)) => Step::Fail(Error::LimiterFailed {
                message: format!(
                    "The rate limiter's acquire(\"{}\") failed, so nothing was sent: {detail}",
                    endpoint.limit_key()
                ),
            }),
            (State::Fetching, Input::Answer(answer, _))
                if answer.body.len() > self.config.max_response_bytes =>
            {
                let request_id = answer.headers.request_id;
                let err = self.failure(Failure::TooLarge {
                    status: answer.status,
                    request_id,
                });
                self.after(Err(err), random)
            }
            (State::Fetching, Input::Answer(answer, latency_ms)) => {
                self.answered(&answer, latency_ms, now, random)
            }
            (State::Fetching, Input::Broken(failure)) => {
                let err = self.failure(failure);
                self.after(Err(err), random)
            }
            (State::Reported, Input::Go) => match self.pending.take() {
                Some(result) => self.after(result, random),
                None => self.acquire(now),
            },
            (State::Backoff, Input::Slept) => {
                self.attempt = self.attempt.saturating_add(1);
                self.acquire(now)
            }
            (_, input) => Step::Fail(Error::Internal {
                message: format!("the call's driver reported {} out of turn", input.name()),
            }),
        }
    }

    /// A free-form send first checks the recipient's 24-hour window.
    fn check_window(&mut self, now: f64) -> Step {
        let Some(to) = self.window_recipient() else {
            return self.acquire(now);
        };
        match &self.config.window {
            WindowSource::Off => self.acquire(now),
            WindowSource::Memory(book) => {
                let last = book.borrow().get(&to);
                self.window_read(last, now)
            }
            WindowSource::Custom => {
                self.state = State::ReadingWindow;
                Step::ReadWindow(to)
            }
        }
    }

    /// The recipient whose window a send must check: none for templates and other calls.
    fn window_recipient(&self) -> Option<String> {
        let message = self.message.as_ref()?;
        if matches!(self.config.window, WindowSource::Off) {
            return None;
        }
        let kind = message.get("type").and_then(Value::as_str).unwrap_or("");
        if kind == "template" {
            return None;
        }
        let to = message.get("to").and_then(Value::as_str)?;
        Some(crate::engine::phone::normalize(to, None).unwrap_or_else(|_| to.to_string()))
    }

    fn window_read(&mut self, last: Option<f64>, now: f64) -> Step {
        let message = self.message.as_ref();
        let kind = message
            .and_then(|m| m.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let to = self.window_recipient().unwrap_or_default();
        match window::check(kind, &to, last, now, self.config.strict_window) {
            Ok(()) => self.acquire(now),
            Err(err) => Step::Fail(err),
        }
    }

    /// Asks the limiter for a slot: at once, after a wait, or through the driver.
    fn acquire(&mut self, now: f64) -> Step {
        let key = self.limit_key();
        match &self.config.limiting {
            Limiting::Off => {
                self.state = State::Fetching;
                Step::Fetch
            }
            Limiting::Builtin(limiter) => {
                let wait = limiter.borrow_mut().reserve(key, now);
                if wait > 0.0 {
                    self.state = State::SlotWait(now + wait);
                    Step::Wait(wait)
                } else {
                    self.state = State::Fetching;
                    Step::Fetch
                }
            }
            Limiting::Custom => {
                self.state = State::Acquiring;
                Step::Acquire(key)
            }
        }
    }

    fn answered(&mut self, answer: &Response, latency_ms: f64, now: f64, random: f64) -> Step {
        let key = self.limit_key();
        let ctx = Context {
            message: self.message.as_ref(),
            id: self.id.as_deref(),
        };
        let result = response::interpret(self.request.endpoint, &ctx, answer, now);
        let info = || RateInfo {
            latency_ms: Some(latency_ms),
            ..answer.rate_info(now)
        };
        match &self.config.limiting {
            Limiting::Off => self.after(result, random),
            Limiting::Builtin(limiter) => {
                limiter.borrow_mut().observe(key, &info(), now);
                self.after(result, random)
            }
            Limiting::Custom => {
                self.pending = Some(result);
                self.state = State::Reported;
                Step::Report(key, info())
            }
        }
    }

    /// The error a fetch failure is (an abort in flight fails at once: it is never retried).
    fn failure(&self, failure: Failure) -> Error {
        let endpoint = self.request.endpoint;
        let what = endpoint.what();
        match failure {
            Failure::Aborted => aborted(endpoint, true),
            Failure::Timeout => Error::Timeout {
                message: format!(
                    "No answer to {what} within {} ms (timeoutMs).",
                    self.config.timeout_ms
                ),
            },
            Failure::Network(detail) => Error::Network {
                message: format!("Could not reach the Sendexa API for {what}: {detail}."),
            },
            Failure::TooLarge { status, request_id } => Error::ResponseTooLarge {
                status,
                limit: self.config.max_response_bytes,
                request_id,
            },
        }
    }

    /// What follows an attempt's outcome: the result, the error, or a wait and another attempt.
    fn after(&mut self, result: Result<Value, Error>, random: f64) -> Step {
        let err = match result {
            Ok(value) => return Step::Done(value),
            Err(err @ Error::Aborted { .. }) => return Step::Fail(err),
            Err(err) => err,
        };
        let endpoint = self.request.endpoint;
        match retry::decide(&self.config.policy, endpoint, self.attempt, err, random) {
            Decision::Fail(err) => Step::Fail(redact(err, &self.config.secrets)),
            Decision::Retry { delay_ms } => {
                self.state = State::Backoff;
                Step::Wait(delay_ms)
            }
        }
    }
}

/// What a driver runs: one call, or calls composed (the pages of [`TemplatePages`]).
pub trait Machine {
    /// Takes what happened and says what to do next (see [`Call::step`]).
    fn step(&mut self, input: Input, now: f64, random: f64) -> Step;
    /// Shows `f` the request a [`Step::Fetch`] asks for.
    fn with_request(&self, f: &mut dyn FnMut(&Request));
}

impl Machine for Call {
    fn step(&mut self, input: Input, now: f64, random: f64) -> Step {
        Call::step(self, input, now, random)
    }
    fn with_request(&self, f: &mut dyn FnMut(&Request)) {
        f(&self.request)
    }
}

/// `listAllTemplates`: templates one at a time, fetching the next page when the last one is used
/// up, each page a [`Call`]. Every run ends with [`Step::Done`] of `{ value, done }`, an iterator
/// result.
pub struct TemplatePages {
    config: Rc<Config>,
    /// The next page's query; `None` after the last page.
    query: Option<TemplateQuery>,
    pages: u32,
    buffer: VecDeque<Value>,
    /// The page being fetched.
    call: Option<(Call, TemplateQuery)>,
}

impl TemplatePages {
    /// The pages of `query`.
    pub fn new(config: Rc<Config>, query: TemplateQuery) -> Self {
        TemplatePages {
            config,
            query: Some(query),
            pages: 0,
            buffer: VecDeque::new(),
            call: None,
        }
    }

    /// The next result when it needs no request: a buffered template, or the end.
    pub fn ready(&mut self) -> Option<Value> {
        if let Some(item) = self.buffer.pop_front() {
            return Some(iterator_result(item, false));
        }
        let ended = self.query.is_none() || self.pages >= MAX_TEMPLATE_PAGES;
        ended.then(|| iterator_result(Value::Null, true))
    }

    /// Stops: no more pages, nothing buffered.
    pub fn stop(&mut self) {
        self.query = None;
        self.buffer.clear();
    }
}

/// `{ value, done: false }`, or `{ done: true }` (the value `undefined`).
fn iterator_result(value: Value, done: bool) -> Value {
    if done {
        return Value::object([("done", Value::Bool(true))]);
    }
    Value::object([("value", value), ("done", Value::Bool(false))])
}

impl Machine for TemplatePages {
    fn step(&mut self, input: Input, now: f64, random: f64) -> Step {
        let step = match self.call.as_mut() {
            Some((call, _)) => call.step(input, now, random),
            None => {
                if let Some(result) = self.ready() {
                    return Step::Done(result);
                }
                let Some(query) = self.query.take() else {
                    return Step::Done(iterator_result(Value::Null, true));
                };
                self.pages = self.pages.saturating_add(1);
                let request = endpoint::list_templates(&query);
                let mut call = Call::new(self.config.clone(), request, None, None);
                let first = call.step(input, now, random);
                self.call = Some((call, query));
                first
            }
        };
        match step {
            Step::Done(page) => {
                let Some((_, query)) = self.call.take() else {
                    return Step::Done(iterator_result(Value::Null, true));
                };
                self.query = next_template_query(&query, &page);
                if let Some(Value::Array(list)) = page.get("templates") {
                    self.buffer.extend(list.iter().cloned());
                }
                // The next template, or (an empty page that says "more") the next page.
                self.step(Input::Go, now, random)
            }
            Step::Fail(err) => {
                self.call = None;
                Step::Fail(err)
            }
            other => other,
        }
    }

    fn with_request(&self, f: &mut dyn FnMut(&Request)) {
        if let Some((call, _)) = &self.call {
            f(&call.request)
        }
    }
}

/// The error of a call aborted by the caller's signal.
pub fn aborted(endpoint: Endpoint, in_flight: bool) -> Error {
    let tail = if in_flight {
        " while the request was in flight: the API may have acted on it (for a send, the message may have been sent)."
    } else {
        " before any request was sent."
    };
    Error::Aborted {
        message: format!("{} was aborted{tail}", endpoint.what()),
    }
}

#[cfg(test)]
mod tests;
