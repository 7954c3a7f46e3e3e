//! # sendexa-whatsapp
//!
//! WhatsApp messaging through the Sendexa WhatsApp Business API, compiled to WebAssembly for every
//! JavaScript runtime (Node, Cloudflare Workers, Deno, Bun, browsers).
//!
//! The crate has three layers (see `ARCHITECTURE.md`):
//!
//! - [`engine`]: every decision — validation, payload models, phone metadata, policies, the
//!   client's call loop and webhook handling as sans-IO state machines. Pure Rust, no JavaScript.
//!   (Named `engine`, not `core`, so that it never shadows Rust's own `core`.)
//! - `bindings`: the `#[wasm_bindgen]` exports; converts JavaScript values at the edge and turns
//!   [`engine::Error`] into the JavaScript `SendexaError`.
//! - The I/O (fetch, timers, signals, promises): a small JavaScript driver shipped with the crate
//!   (`src/bindings/driver.js`) that runs the engine's machines.
//!
//! ```
//! use sendexa_whatsapp::engine;
//! assert!(!engine::VERSION.is_empty());
//! ```
#![deny(missing_docs)]
// A panic in wasm kills the module instance for every later call, so library code may not panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod engine;

mod bindings;
