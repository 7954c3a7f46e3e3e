//! Templates: a definition checked before `createTemplate` ([`definition`]), a template message's
//! parameters checked against a definition ([`parameters`]), the one `{{var}}` scanner
//! ([`variables`]), the one table of limits ([`limits`]) and the template languages ([`locales`]).
//! Uses `core::error`, `core::json`, `core::fields` and `core::media`.
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
