//! The 24-hour customer-service window, decided before a request is spent.
//!
//! WhatsApp accepts free-form (non-template) messages only within 24 hours of the recipient's
//! last message to the business; otherwise the API answers `WA003`. The client keeps the last
//! inbound time per recipient in a window store (fed by inbound webhook events) and decides:
//!
//! | message | last inbound known | decision |
//! | --- | --- | --- |
//! | template | — | always sent (templates open conversations) |
//! | free-form | within 24 h | sent |
//! | free-form | older than 24 h | `WA003` locally, no request |
//! | free-form | no record | sent, and the API decides; `WA003` locally with `strictWindow` |
//!
//! A recipient with no record goes to the API by default because the store only knows what
//! this deployment's webhooks told it: a window opened before the store existed is real.
//!
//! ```
//! use sendexa_whatsapp::engine::client::window::{check, WINDOW_MS};
//!
//! let now = 1_700_000_000_000.0;
//! assert!(check("text", "233244000000", Some(now - 3_600_000.0), now, false).is_ok());
//! assert_eq!(check("text", "233244000000", Some(now - WINDOW_MS - 1.0), now, false).unwrap_err().code(), "WA003");
//! assert!(check("template", "233244000000", None, now, true).is_ok());
//! assert!(check("text", "233244000000", None, now, false).is_ok());
//! assert!(check("text", "233244000000", None, now, true).is_err());
//! ```

use std::collections::HashMap;

use crate::engine::error::Error;

/// 24 hours in milliseconds.
pub const WINDOW_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// Decides whether a message of `kind` to `to` may go, given the recipient's last inbound time.
pub fn check(
    kind: &str,
    to: &str,
    last_inbound_ms: Option<f64>,
    now_ms: f64,
    strict: bool,
) -> Result<(), Error> {
    if kind == "template" {
        return Ok(());
    }
    let last = last_inbound_ms.filter(|t| t.is_finite());
    match last {
        Some(last) if now_ms - last < WINDOW_MS => Ok(()),
        Some(last) => {
            // Whole hours (≥ 24 here), printed as an integer.
            let hours = ((now_ms - last) / 3_600_000.0).floor() as u64;
            Err(Error::WindowClosed {
                message: format!(
                    "The 24-hour window with {to} is closed: they last wrote {hours} hours ago, so WhatsApp only accepts an approved template message (templateMessage) until they reply. Nothing was sent."
                ),
            })
        }
        None if strict => Err(Error::WindowClosed {
            message: format!(
                "No inbound message from {to} is recorded in the window store, and strictWindow is on: send an approved template message (templateMessage) first, or feed the store from your webhooks (handleWebhook with window: client.windowStore). Nothing was sent."
            ),
        }),
        None => Ok(()),
    }
}

/// The in-memory window store: last inbound time per phone (digits).
///
/// Entries older than [`KEEP_MS`] are dropped from time to time so a long-lived process stays
/// small; a dropped recipient reads as "no record", which sends to the API (or refuses with
/// `strictWindow`), so the answer to a free-form send stays `WA003` either way.
#[derive(Debug, Clone, Default)]
pub struct WindowBook {
    last: HashMap<String, f64>,
    writes: usize,
}

/// How long the in-memory store keeps an entry: two windows.
pub const KEEP_MS: f64 = 2.0 * WINDOW_MS;

impl WindowBook {
    /// An empty store.
    pub fn new() -> Self {
        WindowBook::default()
    }

    /// The last inbound time recorded for `phone`.
    pub fn get(&self, phone: &str) -> Option<f64> {
        self.last.get(phone).copied()
    }

    /// Records an inbound message from `phone` at `at_ms` (keeps the latest), and every 1,024
    /// writes drops entries older than [`KEEP_MS`] before `now_ms`.
    pub fn set(&mut self, phone: &str, at_ms: f64, now_ms: f64) {
        if !at_ms.is_finite() {
            return;
        }
        let entry = self.last.entry(phone.to_string()).or_insert(at_ms);
        *entry = entry.max(at_ms);
        // Only its remainder by 1,024 matters: wrapping keeps the rhythm.
        self.writes = self.writes.wrapping_add(1);
        if self.writes % 1024 == 0 {
            self.last.retain(|_, t| now_ms - *t < KEEP_MS);
        }
    }

    /// Forgets `phone`.
    pub fn delete(&mut self, phone: &str) -> bool {
        self.last.remove(phone).is_some()
    }

    /// How many recipients are recorded.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000_000.0;

    #[test]
    fn free_form_needs_an_open_window() {
        assert!(check("text", "1", Some(NOW), NOW, true).is_ok());
        assert!(check("image", "1", Some(NOW - WINDOW_MS + 1.0), NOW, true).is_ok());
        let err = check("text", "233244000000", Some(NOW - WINDOW_MS), NOW, false).unwrap_err();
        assert_eq!(err.code(), "WA003");
        assert_eq!(err.status(), None);
        assert!(
            err.to_string().contains("233244000000") && err.to_string().contains("24 hours ago")
        );
        assert!(check("interactive", "1", Some(f64::NAN), NOW, false).is_ok());
        assert!(check("interactive", "1", Some(f64::NAN), NOW, true).is_err());
    }

    #[test]
    fn templates_always_go() {
        assert!(check("template", "1", Some(NOW - 10.0 * WINDOW_MS), NOW, true).is_ok());
    }

    #[test]
    fn the_book_keeps_the_latest_and_forgets_the_very_old() {
        let mut book = WindowBook::new();
        book.set("a", NOW - 10.0, NOW);
        book.set("a", NOW - 1000.0, NOW);
        assert_eq!(book.get("a"), Some(NOW - 10.0));
        book.set("old", NOW - 3.0 * WINDOW_MS, NOW);
        book.set("nan", f64::NAN, NOW);
        assert_eq!(book.get("nan"), None);
        for i in 0..1100 {
            book.set(&i.to_string(), NOW, NOW);
        }
        assert_eq!(book.get("old"), None);
        assert_eq!(book.get("a"), Some(NOW - 10.0));
        assert!(book.delete("a") && !book.delete("a"));
        assert_eq!(book.len(), 1100);
    }
}
