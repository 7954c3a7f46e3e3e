//! The `#[wasm_bindgen]` exports: the thin layer between JavaScript and the [`engine`](crate::engine).
//! Uses `engine`, wasm-bindgen and js-sys; the I/O is its JavaScript drivers' (`driver.js`).
//!
//! Each export takes JavaScript values, converts them inside the function (so a wrong type becomes
//! a `SendexaError`, not a wasm-bindgen exception), calls the core and converts the answer back.

#[cfg(feature = "client")]
mod client;
mod convert;
#[cfg(feature = "client")]
mod driver;
mod error;
#[cfg(feature = "client")]
mod media_link;
mod message;
mod objects;
mod phone;
// A test hook, compiled into the wasm test suites only: never part of the package.
#[cfg(test)]
mod probe;
#[cfg(feature = "client")]
mod resend;
#[cfg(feature = "client")]
mod stores;
#[cfg(feature = "webhooks")]
mod webhook;

use wasm_bindgen::prelude::*;

/// The SDK's version, as published on npm.
#[wasm_bindgen]
pub fn version() -> String {
    crate::engine::VERSION.to_string()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn version_is_the_crate_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
