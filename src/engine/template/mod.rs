//! Templates: the definition check, the parameter check, the `{{var}}` scanner, limits, languages.
//! Uses `engine::{error, json, fields, media}`; `engine::message` uses it, never the other way.
//!
//! | module | what |
//! | --- | --- |
//! | [`definition`] | a definition checked before `createTemplate` ([`validate_definition`]) |
//! | `parameters` | a template message's `template` object and its components' parameters |
//! | `matching` | those components against the definition passed in (`INVALID_TEMPLATE`) |
//! | [`variables`] | the one scanner of `{{1}}` and `{{name}}` |
//! | [`limits`] | the one table of template limits |
//! | [`locales`] | the template languages |
//!
//! The two checks read a text's variables with the same scanner, so a definition one accepts is
//! one the other understands: `{{first_name}}` is a named variable in both, `{{First_Name}}` in
//! neither (Meta's rule: lowercase letters, digits and underscores).

pub mod definition;
pub mod limits;
pub mod locales;
mod matching;
pub(crate) mod parameters;
pub mod variables;

pub use definition::validate_definition;

#[cfg(test)]
mod tests;
