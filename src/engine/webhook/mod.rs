//! Webhooks: signature verification over the raw body bytes, typed events, and one delivery's
//! handling as a state machine (`delivery`). Uses `engine::{error, json, time, hex}`, `hmac`, `sha2`.
//!
//! ```
//! use sendexa_whatsapp::engine::webhook::{signature, event};
//!
//! let body = br#"{"event":"message.received","from":"233244000000","type":"text","text":{"body":"Hi"}}"#;
//! let header = format!("sha256={}", signature::sign_hex(b"secret", body));
//! let delivery = signature::Delivery { body, signature: Some(&header), timestamp: None };
//! assert!(signature::verify(delivery, b"secret", None, 0.0).is_ok());
//! let events = event::parse_events(std::str::from_utf8(body).unwrap()).unwrap();
//! assert!(matches!(events[0], event::Event::Message(_)));
//! ```

#[cfg(feature = "webhooks")]
pub mod delivery;
pub mod event;
#[cfg(feature = "webhooks")]
pub mod signature;
pub mod wire;

use super::error::Error;

#[cfg(feature = "webhooks")]
impl From<signature::VerifyFailure> for Error {
    fn from(failure: signature::VerifyFailure) -> Self {
        Error::InvalidSignature {
            message: failure.describe().to_string(),
        }
    }
}

impl From<event::WebhookParseError> for Error {
    fn from(err: event::WebhookParseError) -> Self {
        Error::InvalidWebhook {
            message: format!("The webhook body is not valid JSON: {}.", err.0),
        }
    }
}
