//! # sendexa-whatsapp
//!
//! WhatsApp messaging through the Sendexa WhatsApp Business API, compiled to WebAssembly for every
//! JavaScript runtime (Node, Cloudflare Workers, Deno, Bun, browsers).
//!
//! The crate has three layers (see `ARCHITECTURE.md`):
//!
//! - [`core`]: validation, payload models, phone metadata, policies. Pure Rust, no JavaScript.
//! - `bindings`: the `#[wasm_bindgen]` exports; converts JavaScript values at the edge and turns
//!   [`core::Error`] into the JavaScript `SendexaError`.
//!   The client's I/O (fetch, timers, signals) is a small JavaScript driver shipped with it
//!   (`src/bindings/driver.js`), which runs the core's sans-IO call machines.
//!
//! ```
//! use sendexa_whatsapp::core;
//! assert!(!core::VERSION.is_empty());
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

pub mod core;

mod bindings;
