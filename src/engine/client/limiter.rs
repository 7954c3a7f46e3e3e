//! Client-side rate limiting: calls wait their turn instead of earning a 429.
//!
//! Each endpoint key (`send`, `status`, …) has windows with the documented limits (reference
//! §10: send 80/s, 3,000/min, 100,000/day; status 200/s, 5,000/min; resend 20/s, 500/min;
//! number checks 300/min, 50,000/day; template creation 100/day). [`RateLimiter::reserve`]
//! books the earliest moment a call may go and returns how long to wait, so queued calls go
//! in order and none is refused.
//!
//! Why not a plain token bucket: a bucket of capacity L refilled at L/W lets 2·L calls through in
//! some window of length W (a full bucket, then a window's refill), and a server that counts a
//! sliding window, as the draft docs say Sendexa does, refuses half of them. So each window here
//! counts calls in `SLOTS` slots of W/`SLOTS`, each with the time of its last call, and admits a
//! call only when fewer than L calls are in slots whose last call is less than W plus a margin
//! before it: any L+1 calls then leave at least W + margin apart. (Taking a slot's calls to be at
//! its last one, rather than rounding the span out to whole slots, gives back up to two slots, 2%
//! of the rate of a window of a second.)
//!
//! The margin is there because the server counts *arrivals*: a call that left late (a busy event
//! loop, a slow network path) and the L-th call after it that left on time can arrive less than
//! W apart although they left more than W apart. Arrival lag is at most the round trip, so the
//! margin is the longest round trip among the key's last 64 answers (100 ms before any answer,
//! at least one slot, at most W/4). On a quick network that costs 1–3% of the rate.
//! Windows of a second or less also pace calls (one every W/L after a burst of L/4), so a burst
//! reaches the server spread out rather than as one clump.
//!
//! The limiter learns from answers ([`RateLimiter::observe`]): a 429's `Retry-After` holds the
//! key back until then; `X-RateLimit-Limit` below the configured limit for the same window
//! lowers it; `X-RateLimit-Remaining: 0` when this limiter has not itself used the window up
//! (someone else shares the key) holds the key back until `X-RateLimit-Reset`.
//!
//! ```
//! use sendexa_whatsapp::engine::client::limiter::{Limits, RateLimiter};
//!
//! let mut limits = Limits::documented();
//! limits.set("templates", vec![(2, 60_000.0)]); // 2 per minute, for the example
//! let mut limiter = RateLimiter::new(limits);
//! assert_eq!(limiter.reserve("templates", 0.0), 0.0);
//! assert_eq!(limiter.reserve("templates", 0.0), 0.0);
//! let wait = limiter.reserve("templates", 0.0); // the third waits for the first to leave the window
//! assert!(wait > 60_000.0 && wait <= 63_000.0);
//! assert_eq!(limiter.reserve("numbers", 0.0), 0.0); // keys without limits never wait
//! ```

use std::collections::{HashMap, VecDeque};

use crate::engine::error::Error;
use crate::engine::json::Value;
use crate::engine::options::unknown_option;

use super::response::RateInfo;

/// Slots per window.
pub const SLOTS: i64 = 100;

/// The most margin slots: a quarter of the window.
const MAX_EXTRA: i64 = SLOTS / 4;

/// One slot of a window: its index, its calls, and the time of the last of them.
type Slot = (i64, u64, f64);

/// The margin before any round trip has been measured.
pub const INITIAL_MARGIN_MS: f64 = 100.0;

/// Round trips remembered per key for the margin.
const LATENCY_SAMPLES: usize = 64;

const SECOND: f64 = 1000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// The window names accepted in overrides, and their lengths.
pub const WINDOW_NAMES: [(&str, f64); 4] = [
    ("perSecond", SECOND),
    ("perMinute", MINUTE),
    ("perHour", HOUR),
    ("perDay", DAY),
];

/// The endpoint keys limits are kept under ([`super::endpoint::Endpoint::limit_key`]): the only
/// keys `rateLimit` overrides take.
pub const LIMIT_KEYS: [&str; 9] = [
    "send",
    "status",
    "resend",
    "templates",
    "templateCreate",
    "templateDelete",
    "numbersCheck",
    "numbersBulkCheck",
    "numbers",
];

/// Limits per endpoint key: `(limit, window_ms)` pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits(Vec<(String, Vec<(u64, f64)>)>);

impl Limits {
    /// No limits at all.
    pub fn none() -> Self {
        Limits(Vec::new())
    }

    /// The documented live limits (reference §10).
    pub fn documented() -> Self {
        let mut l = Limits::none();
        l.set("send", vec![(80, SECOND), (3_000, MINUTE), (100_000, DAY)]);
        l.set("status", vec![(200, SECOND), (5_000, MINUTE)]);
        l.set("resend", vec![(20, SECOND), (500, MINUTE)]);
        l.set("numbersCheck", vec![(300, MINUTE), (50_000, DAY)]);
        l.set("templateCreate", vec![(100, DAY)]);
        l
    }

    /// Replaces a key's windows (an empty list removes its limits).
    pub fn set(&mut self, key: &str, windows: Vec<(u64, f64)>) {
        self.0.retain(|(k, _)| k != key);
        if !windows.is_empty() {
            self.0.push((key.to_string(), windows));
        }
    }

    /// A key's windows.
    pub fn get(&self, key: &str) -> &[(u64, f64)] {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, w)| w.as_slice())
            .unwrap_or(&[])
    }

    /// The documented limits with overrides applied, from the client's `rateLimit` option:
    /// `{ send: { perSecond: 1000, perMinute: false }, status: false, templates: { perMinute: 60 } }`.
    /// A key or window set to `false`/`null` is removed; a number replaces the limit.
    pub fn with_overrides(overrides: &Value) -> Result<Self, Error> {
        let mut limits = Limits::documented();
        let bad = |message: String| Error::InvalidArgument { message };
        let Value::Object(keys) = overrides else {
            return Err(bad(
                "options.rateLimit must be false, an object of limits, or a limiter with acquire()"
                    .into(),
            ));
        };
        for (key, spec) in keys {
            if !LIMIT_KEYS.contains(&key.as_str()) {
                return Err(unknown_option(key, "options.rateLimit", &LIMIT_KEYS));
            }
            match spec {
                Value::Null | Value::Bool(false) => limits.set(key, Vec::new()),
                Value::Object(windows) => {
                    let mut current: Vec<(u64, f64)> = limits.get(key).to_vec();
                    for (name, value) in windows {
                        let Some((_, ms)) = WINDOW_NAMES.iter().find(|(n, _)| n == name) else {
                            let names: Vec<&str> = WINDOW_NAMES.iter().map(|(n, _)| *n).collect();
                            return Err(unknown_option(
                                name,
                                &format!("options.rateLimit.{key}"),
                                &names,
                            ));
                        };
                        current.retain(|(_, w)| w != ms);
                        match value {
                            Value::Null | Value::Bool(false) => {}
                            Value::Number(n) if n.as_u64().is_some_and(|v| v > 0) => {
                                current.push((n.as_u64().unwrap_or(1), *ms));
                            }
                            _ => {
                                return Err(bad(format!(
                                    "options.rateLimit.{key}.{name} must be a positive integer, or false to remove the limit"
                                )))
                            }
                        }
                    }
                    current.sort_by(|a, b| a.1.total_cmp(&b.1));
                    limits.set(key, current);
                }
                _ => {
                    return Err(bad(format!(
                        "options.rateLimit.{key} must be an object such as {{ perSecond: 80 }}, or false"
                    )))
                }
            }
        }
        Ok(limits)
    }
}

/// One window of one key: slot counts (past and booked) and, for short windows, pacing.
#[derive(Debug, Clone)]
struct Window {
    limit: u64,
    window_ms: f64,
    slot_ms: f64,
    /// Ascending by slot, only non-empty slots.
    slots: VecDeque<Slot>,
    /// Pacing (GCRA): the theoretical arrival time of the next call, and the burst tolerance.
    pace: Option<(f64, f64, f64)>, // (interval_ms, tolerance_ms, tat)
    /// No call can be booked before this (the last booking's time): a search starts here.
    floor: f64,
}

impl Window {
    fn new(limit: u64, window_ms: f64) -> Self {
        let limit = limit.max(1);
        let pace = (window_ms <= SECOND).then(|| {
            let interval = window_ms / limit as f64;
            let burst = (limit / 4).max(1) as f64;
            (interval, (burst - 1.0) * interval, f64::NEG_INFINITY)
        });
        Window {
            limit,
            window_ms,
            slot_ms: window_ms / SLOTS as f64,
            slots: VecDeque::new(),
            pace,
            floor: f64::NEG_INFINITY,
        }
    }

    fn slot(&self, t: f64) -> i64 {
        (t / self.slot_ms).floor() as i64
    }

    /// How far apart a call and the L-th after it must leave: the window plus the margin, which
    /// is at least a slot and at most a quarter of the window.
    fn span(&self, margin_ms: f64) -> f64 {
        let most = self.slot_ms * MAX_EXTRA as f64;
        self.window_ms + margin_ms.max(self.slot_ms).min(most)
    }

    /// The calls that count against one at `t` (those in slots up to `t`'s whose last call is
    /// less than `span` before `t`), and the soonest moment one of those slots stops counting.
    fn counted(&self, t: f64, span: f64) -> (u64, f64) {
        let s = self.slot(t);
        self.slots
            .iter()
            .take_while(|(i, _, _)| *i <= s)
            .map(|(_, n, last)| (*n, last + span))
            .filter(|(_, until)| *until > t)
            .fold((0, f64::INFINITY), |(total, soonest), (n, until)| {
                (total.saturating_add(n), soonest.min(until))
            })
    }

    /// The earliest time at or after `t` this window admits a call.
    fn earliest(&self, t: f64, margin_ms: f64) -> f64 {
        let span = self.span(margin_ms);
        let mut t = t.max(self.floor);
        if let Some((_, tolerance, tat)) = self.pace {
            t = t.max(tat - tolerance);
        }
        // Bounded: each step moves past the slot that stops counting first, so one step per slot
        // in the span at most.
        for _ in 0..100_000 {
            let (count, soonest) = self.counted(t, span);
            if count < self.limit || !soonest.is_finite() {
                return t;
            }
            t = soonest;
        }
        t
    }

    fn book(&mut self, t: f64) {
        let s = self.slot(t);
        match self.slots.iter_mut().find(|(i, _, _)| *i == s) {
            Some((_, n, last)) => {
                *n = n.saturating_add(1);
                *last = last.max(t);
            }
            None => {
                let at = self
                    .slots
                    .iter()
                    .position(|(i, _, _)| *i > s)
                    .unwrap_or(self.slots.len());
                self.slots.insert(at, (s, 1, t));
            }
        }
        if let Some((interval, _, tat)) = &mut self.pace {
            *tat = tat.max(t) + *interval;
        }
        self.floor = self.floor.max(t);
    }

    fn unbook(&mut self, t: f64) {
        let s = self.slot(t);
        // The slot's last call stays as it was: the others in it are taken to be that late.
        if let Some(entry) = self.slots.iter_mut().find(|(i, _, _)| *i == s) {
            entry.1 = entry.1.saturating_sub(1);
        }
        self.slots.retain(|(_, n, _)| *n > 0);
        // The floor was a shortcut valid only while calls are never taken back.
        self.floor = f64::NEG_INFINITY;
    }

    /// Drops slots too old to matter at `now`.
    fn prune(&mut self, now: f64) {
        let oldest = self
            .slot(now)
            .saturating_sub(SLOTS)
            .saturating_sub(MAX_EXTRA);
        while self.slots.front().is_some_and(|(i, _, _)| *i < oldest) {
            self.slots.pop_front();
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Key {
    windows: Vec<Window>,
    /// Held back until then by what the server said.
    blocked_until: f64,
    /// The last round trips, newest last.
    latencies: VecDeque<f64>,
}

impl Key {
    /// The margin: the longest recent round trip (see the module docs).
    fn margin(&self) -> f64 {
        if self.latencies.is_empty() {
            return INITIAL_MARGIN_MS;
        }
        self.latencies.iter().copied().fold(0.0, f64::max)
    }
}

/// Token-bucket-like limiter per endpoint key; see the module docs.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limits: Limits,
    keys: HashMap<String, Key>,
}

impl RateLimiter {
    /// A limiter with these limits.
    pub fn new(limits: Limits) -> Self {
        RateLimiter {
            limits,
            keys: HashMap::new(),
        }
    }

    fn key(&mut self, key: &str) -> &mut Key {
        if !self.keys.contains_key(key) {
            let windows = self
                .limits
                .get(key)
                .iter()
                .map(|(limit, ms)| Window::new(*limit, *ms))
                .collect();
            self.keys.insert(
                key.to_string(),
                Key {
                    windows,
                    blocked_until: 0.0,
                    latencies: VecDeque::new(),
                },
            );
        }
        // Just inserted when missing; the fallback is never taken but keeps this panic-free.
        self.keys.entry(key.to_string()).or_default()
    }

    /// Books the earliest moment at or after `now` that a call under `key` may go, and returns
    /// the wait in milliseconds (0: go now).
    pub fn reserve(&mut self, key: &str, now: f64) -> f64 {
        let now = if now.is_finite() { now } else { 0.0 };
        let k = self.key(key);
        let mut t = now.max(k.blocked_until);
        for w in &mut k.windows {
            w.prune(now);
        }
        let margin = k.margin();
        // Each window may push the time past a point another window had free: repeat until
        // all agree (a few rounds at most).
        for _ in 0..16 {
            let next = k
                .windows
                .iter()
                .fold(t, |t, w| t.max(w.earliest(t, margin)));
            if next == t {
                break;
            }
            t = next;
        }
        for w in &mut k.windows {
            w.book(t);
        }
        t - now
    }

    /// Gives back a booking made for time `at` (the call was abandoned before it went).
    pub fn cancel(&mut self, key: &str, at: f64) {
        if let Some(k) = self.keys.get_mut(key) {
            for w in &mut k.windows {
                w.unbook(at);
            }
        }
    }

    /// Learns from an answer's status and rate-limit headers.
    pub fn observe(&mut self, key: &str, info: &RateInfo, now: f64) {
        let k = self.key(key);
        if let Some(ms) = info.latency_ms.filter(|ms| ms.is_finite() && *ms >= 0.0) {
            if k.latencies.len() >= LATENCY_SAMPLES {
                k.latencies.pop_front();
            }
            k.latencies.push_back(ms);
        }
        if info.status == 429 {
            if let Some(ms) = info.retry_after_ms {
                k.blocked_until = k.blocked_until.max(now + ms.min(DAY));
            }
        }
        let Some(window_ms) = info.window_ms.filter(|w| *w > 0.0 && *w <= 7.0 * DAY) else {
            return;
        };
        if let Some(limit) = info.limit.filter(|l| *l > 0) {
            let count = k.windows.len();
            match k
                .windows
                .iter_mut()
                .find(|w| (w.window_ms - window_ms).abs() < 1.0)
            {
                Some(w) if limit < w.limit => {
                    let slots = std::mem::take(&mut w.slots);
                    *w = Window {
                        slots,
                        ..Window::new(limit, window_ms)
                    };
                }
                Some(_) => {}
                None if count < 6 => k.windows.push(Window::new(limit, window_ms)),
                None => {}
            }
        }
        if info.remaining == Some(0) {
            // Explained by our own calls? Then our windows already hold the next one back.
            let ours = k
                .windows
                .iter()
                .find(|w| (w.window_ms - window_ms).abs() < 1.0)
                .map(|w| (w.counted(now, w.span(0.0)).0, w.limit));
            let shared = match ours {
                Some((used, limit)) => used < limit,
                None => true,
            };
            if shared {
                let until = match info.reset_ms {
                    Some(reset) if reset > now && reset <= now + window_ms + SECOND => {
                        reset.min(now + window_ms)
                    }
                    _ => now + window_ms,
                };
                k.blocked_until = k.blocked_until.max(until);
            }
        }
    }

    /// The configured limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::json::parse;

    /// Books `n` calls that all ask at `now`; returns their start times.
    fn burst(l: &mut RateLimiter, key: &str, n: usize, now: f64) -> Vec<f64> {
        (0..n).map(|_| now + l.reserve(key, now)).collect()
    }

    /// The most calls any half-open interval `(t - window, t]` holds.
    fn max_in_window(times: &[f64], window: f64) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut best = 0;
        let mut lo = 0;
        for hi in 0..sorted.len() {
            while sorted[hi] - sorted[lo] >= window {
                lo += 1;
            }
            best = best.max(hi - lo + 1);
        }
        best
    }

    fn with_latency(l: &mut RateLimiter, key: &str, ms: f64) {
        let info = RateInfo {
            status: 200,
            latency_ms: Some(ms),
            ..RateInfo::default()
        };
        l.observe(key, &info, 0.0);
    }

    #[test]
    fn a_burst_of_500_sends_never_exceeds_80_in_any_second_even_with_100ms_of_lag() {
        let mut l = RateLimiter::new(Limits::documented());
        let times = burst(&mut l, "send", 500, 10_000.0);
        assert!(max_in_window(&times, 1000.0) <= 80);
        // Before any round trip is known, the margin is 100 ms: any 81 calls are more than
        // 1,100 ms apart, so arrival lag up to 100 ms cannot bunch them into one second.
        assert!(max_in_window(&times, 1100.0) <= 80);
        let last = times.iter().cloned().fold(0.0, f64::max) - 10_000.0;
        // 6 windows of 80, each 1,100 ms: the 481st call leaves at 6.6 s, the 500th soon after.
        assert!((6600.0..7200.0).contains(&last), "{last}");
        // Paced: no more than 20 go at the very same moment.
        let same = times.iter().filter(|t| **t == 10_000.0).count();
        assert_eq!(same, 20);
    }

    #[test]
    fn the_margin_follows_the_longest_recent_round_trip() {
        let mut limits = Limits::none();
        limits.set("send", vec![(80, SECOND)]);
        for (latency, window) in [
            (5.0, 1010.0),
            (60.0, 1060.0),
            (180.0, 1180.0),
            (5000.0, 1250.0),
        ] {
            let mut l = RateLimiter::new(limits.clone());
            with_latency(&mut l, "send", 1.0);
            with_latency(&mut l, "send", latency);
            let times = burst(&mut l, "send", 400, 0.0);
            assert!(max_in_window(&times, window) <= 80, "{latency} ms");
            assert!(
                max_in_window(&times, window + 30.0) > 80,
                "{latency} ms: margin too large"
            );
        }
        // Only the last 64 round trips count.
        let mut l = RateLimiter::new(limits);
        with_latency(&mut l, "send", 200.0);
        for _ in 0..64 {
            with_latency(&mut l, "send", 2.0);
        }
        assert!(max_in_window(&burst(&mut l, "send", 400, 0.0), 1060.0) > 80);
    }

    #[test]
    fn steady_throughput_is_within_5_percent_of_the_limit() {
        let mut limits = Limits::none();
        limits.set("send", vec![(1000, SECOND)]);
        let mut l = RateLimiter::new(limits);
        // Round trips of a few milliseconds, as on a quick network.
        with_latency(&mut l, "send", 4.0);
        let mut now = 0.0;
        let mut times = Vec::new();
        // A caller that always has 32 calls waiting, like sendBulk.
        for _ in 0..20_000 {
            let t = now + l.reserve("send", now);
            times.push(t);
            now = (t - 20.0).max(now);
        }
        // The calls of 10 whole seconds in the steady state (they go in bursts as the window frees
        // slots, so a span from one call to another would depend on where in a burst each is).
        let rate = times
            .iter()
            .filter(|t| (5000.0..15_000.0).contains(*t))
            .count() as f64
            / 10.0;
        assert!((950.0..=1000.0).contains(&rate), "{rate}");
        assert!(max_in_window(&times, 1000.0) <= 1000);
    }

    #[test]
    fn minute_and_day_windows_hold_sustained_traffic() {
        let mut limits = Limits::none();
        limits.set("send", vec![(80, SECOND), (3000, MINUTE)]);
        let mut l = RateLimiter::new(limits);
        let times = burst(&mut l, "send", 3100, 0.0);
        assert!(max_in_window(&times, MINUTE) <= 3000);
        assert!(max_in_window(&times, SECOND) <= 80);
        // The 3,001st waits for the first minute to pass.
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        assert!(sorted[3000] >= MINUTE, "{}", sorted[3000]);
        let mut limits = Limits::none();
        limits.set("templateCreate", vec![(100, DAY)]);
        let mut l = RateLimiter::new(limits);
        let times = burst(&mut l, "templateCreate", 101, 0.0);
        assert!(times[..100].iter().all(|t| *t == 0.0));
        assert!(times[100] >= DAY);
    }

    #[test]
    fn later_callers_get_later_times_and_time_frees_slots() {
        let mut limits = Limits::none();
        limits.set("k", vec![(2, MINUTE)]);
        limits.set("paced", vec![(2, SECOND)]);
        let mut l = RateLimiter::new(limits);
        assert_eq!(l.reserve("k", 0.0), 0.0);
        assert_eq!(l.reserve("k", 0.0), 0.0);
        let third = l.reserve("k", 0.0);
        assert!(third > MINUTE);
        // Much later, the window is empty again.
        assert_eq!(l.reserve("k", 10.0 * MINUTE), 0.0);
        // Short windows pace: 2 per second go half a second apart.
        assert_eq!(l.reserve("paced", 0.0), 0.0);
        assert_eq!(l.reserve("paced", 0.0), 500.0);
        assert!(l.reserve("paced", 0.0) > 1000.0);
        // Keys are independent.
        assert_eq!(l.reserve("other", 0.0), 0.0);
    }

    #[test]
    fn cancelled_bookings_free_their_place() {
        let mut limits = Limits::none();
        limits.set("k", vec![(1, MINUTE)]);
        let mut l = RateLimiter::new(limits);
        assert_eq!(l.reserve("k", 0.0), 0.0);
        let wait = l.reserve("k", 0.0);
        assert!(wait >= MINUTE);
        l.cancel("k", wait);
        l.cancel("k", 0.0);
        assert_eq!(l.reserve("k", 1.0), 0.0);
    }

    #[test]
    fn a_429_retry_after_holds_the_key_back() {
        let mut l = RateLimiter::new(Limits::none());
        let info = RateInfo {
            status: 429,
            retry_after_ms: Some(2000.0),
            ..RateInfo::default()
        };
        l.observe("send", &info, 100.0);
        assert_eq!(l.reserve("send", 100.0), 2000.0);
        assert_eq!(l.reserve("send", 2100.0), 0.0);
        assert_eq!(l.reserve("status", 100.0), 0.0);
    }

    #[test]
    fn a_lower_server_limit_is_adopted() {
        let mut l = RateLimiter::new(Limits::documented());
        let info = RateInfo {
            status: 200,
            limit: Some(5),
            remaining: Some(4),
            window_ms: Some(1000.0),
            ..RateInfo::default()
        };
        l.observe("send", &info, 0.0);
        let times = burst(&mut l, "send", 20, 0.0);
        assert!(max_in_window(&times, 1000.0) <= 5);
        // A higher one is not: the documented limits stay the ceiling.
        let mut l = RateLimiter::new(Limits::documented());
        let info = RateInfo {
            status: 200,
            limit: Some(500),
            window_ms: Some(1000.0),
            ..RateInfo::default()
        };
        l.observe("send", &info, 0.0);
        assert!(max_in_window(&burst(&mut l, "send", 200, 0.0), 1000.0) <= 80);
        // An unknown window is added.
        let mut l = RateLimiter::new(Limits::none());
        let info = RateInfo {
            status: 200,
            limit: Some(3),
            window_ms: Some(10_000.0),
            ..RateInfo::default()
        };
        l.observe("numbers", &info, 0.0);
        assert!(max_in_window(&burst(&mut l, "numbers", 10, 0.0), 10_000.0) <= 3);
    }

    #[test]
    fn remaining_zero_holds_back_only_when_someone_else_used_the_window() {
        // Our own 80 calls explain it: no extra wait beyond the windows.
        let mut l = RateLimiter::new(Limits::documented());
        burst(&mut l, "send", 80, 0.0);
        let info = RateInfo {
            status: 200,
            limit: Some(80),
            remaining: Some(0),
            reset_ms: Some(2000.0),
            window_ms: Some(1000.0),
            ..RateInfo::default()
        };
        l.observe("send", &info, 50.0);
        let wait = l.reserve("send", 50.0);
        assert!(wait < 1100.0, "{wait}");
        // Another isolate used it: wait for the reset (capped at one window).
        let mut l = RateLimiter::new(Limits::documented());
        l.reserve("send", 0.0);
        l.observe("send", &info, 50.0);
        assert_eq!(l.reserve("send", 50.0), 1000.0);
        // An implausible reset (another clock) waits one window at most.
        let mut l = RateLimiter::new(Limits::documented());
        let far = RateInfo {
            reset_ms: Some(1e15),
            ..info.clone()
        };
        l.observe("send", &far, 50.0);
        assert_eq!(l.reserve("send", 50.0), 1000.0);
    }

    #[test]
    fn overrides_replace_remove_and_add_windows() {
        let v = parse(r#"{"send":{"perSecond":1000,"perMinute":false,"perDay":null},"status":false,"templates":{"perMinute":60}}"#).unwrap();
        let l = Limits::with_overrides(&v).unwrap();
        assert_eq!(l.get("send"), &[(1000, SECOND)]);
        assert!(l.get("status").is_empty());
        assert_eq!(l.get("templates"), &[(60, MINUTE)]);
        assert_eq!(l.get("resend"), &[(20, SECOND), (500, MINUTE)]);
        for bad in [
            r#"{"send":{"perWeek":1}}"#,
            r#"{"send":{"perSecond":0}}"#,
            r#"{"send":{"perSecond":1.5}}"#,
            r#"{"send":3}"#,
            "[]",
        ] {
            assert_eq!(
                Limits::with_overrides(&parse(bad).unwrap())
                    .unwrap_err()
                    .code(),
                "INVALID_ARGUMENT",
                "{bad}"
            );
        }
        // Unknown endpoint keys and windows name the nearest valid one.
        let err =
            Limits::with_overrides(&parse(r#"{"sned":{"perSecond":1}}"#).unwrap()).unwrap_err();
        assert!(
            err.to_string().starts_with(r#"unknown option "sned" (did you mean "send"?); options.rateLimit takes send, status"#),
            "{err}"
        );
        let err =
            Limits::with_overrides(&parse(r#"{"send":{"persecond":1}}"#).unwrap()).unwrap_err();
        assert!(
            err.to_string().starts_with(r#"unknown option "persecond" (did you mean "perSecond"?); options.rateLimit.send takes"#),
            "{err}"
        );
        for key in LIMIT_KEYS {
            let v = parse(&format!(r#"{{"{key}":{{"perMinute":5}}}}"#)).unwrap();
            let limits = Limits::with_overrides(&v).unwrap();
            assert!(limits.get(key).contains(&(5, MINUTE)), "{key}");
        }
    }

    #[test]
    fn odd_clock_values_do_not_panic() {
        let mut l = RateLimiter::new(Limits::documented());
        for now in [f64::NAN, f64::INFINITY, -1e18, 0.0, 1e18] {
            let wait = l.reserve("send", now);
            assert!(wait.is_finite() || now.is_infinite(), "{now} {wait}");
        }
    }
}
