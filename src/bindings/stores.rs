//! `MemoryWindowStore` and `RateLimiter`: the client's default window store and rate limiter,
//! exported so that several clients (or a Durable Object serving several isolates) can share one.
//!
//! ```js
//! const limiter = new RateLimiter({ send: { perSecond: 40 } });
//! const waitMs = limiter.reserve("send"); // books a slot; a Durable Object can answer this
//! const store = new MemoryWindowStore();
//! store.set("+233 24 400 0000", Date.now()); // what handleWebhook does for inbound messages
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::convert::{check_options, invalid_argument, json_from_js, prop};
use super::driver::wait_for_slot;
use super::error::ThrownError;
use crate::engine::client::limiter::{Limits, RateLimiter as CoreLimiter, LIMIT_KEYS};
use crate::engine::client::response::RateInfo;
use crate::engine::client::window::WindowBook;
use crate::engine::json::Value;
use crate::engine::{phone, Error};

#[wasm_bindgen(typescript_custom_section)]
const STORE_TYPES: &'static str = r#"
/** The endpoint keys a rate limiter counts calls under. */
export type RateLimitKey = "send" | "status" | "resend" | "templates" | "templateCreate" | "templateDelete" | "numbersCheck" | "numbersBulkCheck" | "numbers";
/** Limits of one key; a window set to `false` or `null` is removed. */
export interface RateLimitWindows {
  perSecond?: number | false | null;
  perMinute?: number | false | null;
  perHour?: number | false | null;
  perDay?: number | false | null;
}
/**
 * Overrides of the documented limits (send 80/s, 3,000/min, 100,000/day; status 200/s,
 * 5,000/min; resend 20/s, 500/min; numbersCheck 300/min, 50,000/day; templateCreate 100/day).
 * A key set to `false` has no limit.
 */
export type RateLimitOverrides = { [K in RateLimitKey]?: RateLimitWindows | false | null };
/** What an answer said about the limits, for `report`. */
export interface RateLimitInfo {
  status: number;
  limit?: number;
  remaining?: number;
  /** `X-RateLimit-Reset` as epoch milliseconds. */
  resetMs?: number;
  windowMs?: number;
  retryAfterMs?: number;
  /** The round trip, request to the answer's headers: the limiter keeps its margin above it. */
  latencyMs?: number;
}
/**
 * A pluggable limiter: `acquire` resolves when a call under `key` may go (it should queue, not
 * fail). `report`, when present, hears every answer's limits. Share one across isolates by
 * answering `acquire` from a Durable Object that owns a `RateLimiter` (see `reserve`).
 */
export interface RateLimiterLike {
  acquire(key: RateLimitKey, options?: { signal?: AbortSignal }): void | Promise<void>;
  report?(key: RateLimitKey, info: RateLimitInfo): unknown;
}

/** The default window store: last inbound time per recipient, in memory (entries older than 48 h are dropped). */
export class MemoryWindowStore implements WindowStore {
  constructor();
  /** The last inbound time (epoch ms) of `phone` (any spelling of the number), or `undefined`. */
  get(phone: string): number | undefined;
  /** Records an inbound message; the latest time is kept. */
  set(phone: string, lastInboundMs: number): void;
  delete(phone: string): boolean;
  readonly size: number;
  free(): void;
}

/** The built-in limiter (documented limits, or overrides); share one instance between clients, or serve `reserve` from a Durable Object. */
export class RateLimiter implements RateLimiterLike {
  constructor(overrides?: RateLimitOverrides | false);
  /** Resolves when a call under `key` may go (queued in order); rejects `ABORTED` when the signal fires. */
  acquire(key: RateLimitKey, options?: { signal?: AbortSignal }): Promise<void>;
  /** Books the next slot and returns the milliseconds to wait for it (0: go now). */
  reserve(key: RateLimitKey, nowMs?: number): number;
  /** Learns from an answer's limits (429 Retry-After, X-RateLimit-*, round trip). */
  report(key: RateLimitKey, info: RateLimitInfo, nowMs?: number): void;
  /** The limits in force. */
  limits(): RateLimitOverrides;
  free(): void;
}
"#;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Normalises a phone key to digits when it is a phone number, so `+233 24…` and `23324…`
/// are one recipient.
fn phone_key(phone: &JsValue) -> Result<String, Error> {
    let text = phone
        .as_string()
        .ok_or_else(|| invalid_argument("phone must be a string"))?;
    Ok(phone::normalize(&text, None).unwrap_or_else(|_| text.trim().to_string()))
}

/// The default window store: the last inbound message time per recipient, in memory, entries
/// older than 48 hours dropped from time to time. Implements `WindowStore`; pass it to
/// `handleWebhook({ window })` (or use `client.windowStore`) so inbound messages open windows.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct MemoryWindowStore {
    pub(crate) book: Rc<RefCell<WindowBook>>,
}

impl Default for MemoryWindowStore {
    fn default() -> Self {
        MemoryWindowStore::new()
    }
}

#[wasm_bindgen]
impl MemoryWindowStore {
    /// An empty store.
    #[wasm_bindgen(constructor)]
    pub fn new() -> MemoryWindowStore {
        MemoryWindowStore {
            book: Rc::new(RefCell::new(WindowBook::new())),
        }
    }

    /// The last inbound time (epoch ms) recorded for `phone`, or `undefined`.
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] phone: JsValue,
    ) -> Result<Option<f64>, ThrownError> {
        let key = phone_key(&phone)?;
        Ok(self.book.borrow().get(&key))
    }

    /// Records an inbound message from `phone` at `lastInboundMs` (the latest time is kept).
    pub fn set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] phone: JsValue,
        #[wasm_bindgen(js_name = lastInboundMs)] last_inbound_ms: f64,
    ) -> Result<(), ThrownError> {
        let key = phone_key(&phone)?;
        self.book.borrow_mut().set(&key, last_inbound_ms, now_ms());
        Ok(())
    }

    /// Forgets `phone`; `true` when it was recorded.
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] phone: JsValue,
    ) -> Result<bool, ThrownError> {
        let key = phone_key(&phone)?;
        Ok(self.book.borrow_mut().delete(&key))
    }

    /// How many recipients are recorded.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.book.borrow().len()).unwrap_or(u32::MAX)
    }
}

/// The built-in rate limiter with the documented limits (or overrides). Every client has its
/// own unless one is passed as `rateLimit`; pass one instance to several clients to share it.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct RateLimiter {
    pub(crate) inner: Rc<RefCell<CoreLimiter>>,
}

/// The limits from an overrides value (`undefined`/`null`: the documented ones; `false`: none).
pub(crate) fn limits_from(overrides: &JsValue) -> Result<Limits, Error> {
    if overrides.is_undefined() || overrides.is_null() {
        return Ok(Limits::documented());
    }
    if overrides.as_bool() == Some(false) {
        return Ok(Limits::none());
    }
    Limits::with_overrides(&json_from_js(overrides, "the rate limits")?)
}

/// A `RateInfo` from the JavaScript object `report` receives.
fn info_from(info: &JsValue) -> RateInfo {
    let num = |k: &str| prop(info, k).as_f64().filter(|v| v.is_finite());
    let int = |k: &str| num(k).filter(|v| *v >= 0.0).map(|v| v as u64);
    RateInfo {
        status: num("status").map_or(0, |s| s.clamp(0.0, 999.0) as u16),
        limit: int("limit"),
        remaining: int("remaining"),
        reset_ms: num("resetMs"),
        window_ms: num("windowMs"),
        retry_after_ms: num("retryAfterMs"),
        latency_ms: num("latencyMs"),
    }
}

fn key_arg(key: &JsValue) -> Result<String, Error> {
    key.as_string()
        .filter(|k| !k.is_empty() && k.len() <= 64)
        .ok_or_else(|| invalid_argument("key must be a rate-limit key such as \"send\""))
}

#[wasm_bindgen]
impl RateLimiter {
    /// A limiter with the documented limits, changed by `overrides` (`false`: no limits).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "RateLimitOverrides | false")]
        overrides: JsValue,
    ) -> Result<RateLimiter, ThrownError> {
        Ok(RateLimiter {
            inner: Rc::new(RefCell::new(CoreLimiter::new(limits_from(&overrides)?))),
        })
    }

    /// Resolves when a call under `key` may go, queuing behind earlier ones. Rejects with
    /// `ABORTED` if `options.signal` fires first (and gives the slot back).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn acquire(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RateLimitKey")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ signal?: AbortSignal }")]
        options: JsValue,
    ) -> Promise {
        let booked = check_options(&options, "acquire", &["signal"]).and_then(|()| {
            let key = key_arg(&key)?;
            let now = now_ms();
            let wait = self.inner.borrow_mut().reserve(&key, now);
            Ok((key, now + wait, wait))
        });
        let (key, at, wait) = match booked {
            Ok(booked) => booked,
            Err(err) => return Promise::reject(&ThrownError::from(err).into()),
        };
        if wait <= 0.0 {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let inner = self.inner.clone();
        let give_back = move || inner.borrow_mut().cancel(&key, at);
        let give_back = Closure::<dyn FnMut()>::new(give_back).into_js_value();
        let error = ThrownError::from(Error::Aborted {
            message: "The wait for a rate-limit slot was aborted.".into(),
        });
        let signal = prop(&options, "signal");
        wait_for_slot(wait, &signal, &give_back, &error.into())
    }

    /// Books the next slot for `key` and returns how many milliseconds to wait for it (0: go
    /// now). For sharing across isolates: a Durable Object answers `reserve`, the isolate sleeps.
    /// `nowMs` defaults to `Date.now()`.
    pub fn reserve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RateLimitKey")] key: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: Option<f64>,
    ) -> Result<f64, ThrownError> {
        let key = key_arg(&key)?;
        let now = now_ms
            .filter(|n| n.is_finite())
            .unwrap_or_else(js_sys::Date::now);
        Ok(self.inner.borrow_mut().reserve(&key, now))
    }

    /// Learns from an answer: a 429's `retryAfterMs` holds `key` back; a lower `limit` for a
    /// `windowMs` is adopted; `remaining: 0` not explained by this limiter's own calls waits for
    /// `resetMs`.
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RateLimitKey")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RateLimitInfo")] info: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: Option<f64>,
    ) -> Result<(), ThrownError> {
        let key = key_arg(&key)?;
        let now = now_ms
            .filter(|n| n.is_finite())
            .unwrap_or_else(js_sys::Date::now);
        self.inner
            .borrow_mut()
            .observe(&key, &info_from(&info), now);
        Ok(())
    }

    /// The limits in force, per key: `{ send: { perSecond: 80, … }, … }`.
    #[wasm_bindgen(unchecked_return_type = "RateLimitOverrides")]
    pub fn limits(&self) -> Result<JsValue, ThrownError> {
        let inner = self.inner.borrow();
        let members: Vec<(String, Value)> = LIMIT_KEYS
            .iter()
            .filter_map(|k| {
                let windows = inner.limits().get(k);
                if windows.is_empty() {
                    return None;
                }
                let obj = windows
                    .iter()
                    .filter_map(|(limit, ms)| {
                        let name = crate::engine::client::limiter::WINDOW_NAMES
                            .iter()
                            .find(|(_, w)| w == ms)?
                            .0;
                        Some((name.to_string(), Value::from(*limit)))
                    })
                    .collect();
                Some((k.to_string(), Value::Object(obj)))
            })
            .collect();
        Ok(super::convert::json_to_js(&Value::Object(members))?)
    }
}
