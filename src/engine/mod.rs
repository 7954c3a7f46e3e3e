//! The engine: every decision the SDK makes, with no JavaScript in it, one module a concern.
//! Uses std, `sendexa-phone`, `hmac` and `sha2`; never `bindings` or wasm-bindgen.
//!
//! Nothing under `engine` imports `wasm-bindgen` or `js-sys`, does I/O, reads the clock or asks
//! for randomness: the client's call loop and webhook handling are state machines that the
//! JavaScript driver feeds, with time and random numbers passed in. That keeps the engine testable
//! with a plain native `cargo test`, and the same in every runtime.
//!
//! ```
//! assert_eq!(sendexa_whatsapp::engine::VERSION, env!("CARGO_PKG_VERSION"));
//! ```

pub mod client;
pub mod error;
pub mod fields;
pub mod hex;
pub mod host;
pub mod json;
pub mod media;
pub mod message;
pub mod options;
pub mod template;
pub mod text;
pub mod time;
pub mod webhook;

#[cfg(test)]
pub(crate) mod test_rng;

/// Phone numbers: the `sendexa-phone` crate (`crates/phone`), re-exported.
pub use sendexa_phone as phone;

pub use error::{ApiError, Error, Issue, RetryKind};

/// The SDK's version, as published on npm.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
