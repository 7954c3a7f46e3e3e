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
//! - `transport`: the only module that calls `fetch`.
//!
//! ```
//! use sendexa_whatsapp::core;
//! assert!(!core::VERSION.is_empty());
//! ```
#![deny(missing_docs)]

pub mod core;

mod bindings;
mod transport;
