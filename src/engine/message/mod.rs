//! Message payloads: validation, normalisation and builders for every type `send` takes.
//! Uses `engine::{error, json, fields, media, phone, options, template}`.
//!
//! [`validate_message`] accepts any message in the wire shape (`{ to, type, <type>: {…} }`),
//! checks it against every documented limit ([`limits`]) and returns the normalised copy. It
//! reports **all** problems at once, each an [`Issue`](crate::engine::Issue) with the JSON path
//! of the field (`interactive.action.sections[1].rows[0].title`) and a stable code:
//!
//! | code | meaning |
//! | --- | --- |
//! | `REQUIRED` | a required field is missing |
//! | `INVALID_TYPE` | the field has the wrong JSON type (`null` included) |
//! | `INVALID_VALUE` | not one of the accepted values, or out of range |
//! | `EMPTY` | an empty string, array or file |
//! | `TOO_LONG` / `TOO_MANY` / `TOO_FEW` | a limit (`limit` says which) |
//! | `DUPLICATE` | an id or title that must be unique is not |
//! | `WHITESPACE` | leading or trailing spaces where the API refuses them |
//! | `UNKNOWN_FIELD` | a field the API does not take (see below) |
//! | `CONFLICT` | fields that exclude each other, such as `link` with `id` |
//! | `INVALID_PHONE` | `to` is not a phone number (the message says why) |
//! | `INVALID_URL` / `UNREACHABLE_URL` | not an absolute `https:` URL / a host the API cannot reach |
//! | `INVALID_FORMAT`, `UNKNOWN_LANGUAGE` | template name or language |
//! | `MORE_ISSUES` | the last entry when more than `MAX_ISSUES` (100) problems were found: how many more |
//! | `PARAMETER_COUNT`, `MISSING_PARAMETER`, `UNKNOWN_PARAMETER`, `MISSING_COMPONENT`, `UNEXPECTED_COMPONENT`, `FORMAT_MISMATCH`, `NAME_MISMATCH`, `LANGUAGE_MISMATCH`, `NOT_APPROVED` | parameters that do not fit the template definition passed in |
//!
//! Decisions, documented for users in the TypeScript docs too:
//!
//! - **Lengths** count UTF-16 code units (see [`limits`]).
//! - **Unknown fields are rejected** (`UNKNOWN_FIELD`), not dropped or passed on: a misspelt
//!   `captoin` or a camelCase `previewUrl` would otherwise be sent and ignored, or rejected by
//!   the API after costing a request. Common mistakes get a hint (`url` → `link`). Keys such as
//!   `__proto__` and `constructor` are ordinary unknown fields: they never reach an object's
//!   prototype because the input is data ([`Value`]) and the output is built by `JSON.parse`.
//! - **Normalisation**: `to` becomes the API form (`"233244000000"`); a template `language`
//!   given as `"en_US"` becomes `{ "code": "en_US" }`, the form of Sendexa's official SDKs (the
//!   live docs do not show it; the older draft's bare string is the outlier). Everything else is
//!   returned as given, members in the order given.
//! - **Media** goes by `link` (what all three official SDKs send) or `id`, never both; a `link`
//!   must be absolute `https:` with a public host ([`crate::engine::media::link`]).
//! - **Errors**: `WA001` ([`Error::InvalidRecipient`], with `reason` and the issue at `to`) when
//!   `to` is the only problem;
//!   `INVALID_TEMPLATE` when the only problems are mismatches with the template definition;
//!   otherwise `INVALID_MESSAGE` with every issue.
//!
//! ```
//! use sendexa_whatsapp::engine::json::parse;
//! use sendexa_whatsapp::engine::message::{validate_message, text_message};
//! use sendexa_whatsapp::engine::json::Value;
//!
//! let msg = text_message(&Value::from("+233 24 400 0000"), &Value::from("Hi"), &Value::Null).unwrap();
//! assert_eq!(msg.to_json(), r#"{"to":"233244000000","type":"text","text":{"body":"Hi"}}"#);
//! assert_eq!(validate_message(&msg, None).unwrap(), msg);
//!
//! let bad = parse(r#"{"to":"233244000000","type":"text","text":{"body":""}}"#).unwrap();
//! let err = validate_message(&bad, None).unwrap_err();
//! assert_eq!((err.code(), err.issues()[0].path.as_str()), ("INVALID_MESSAGE", "text.body"));
//! ```

pub mod build;
pub mod limits;
mod validate;

pub use crate::engine::fields::utf16_len;
pub use build::{
    buttons_message, cta_url_message, list_message, media_message, template_message, text_message,
};

use crate::engine::error::{Error, IssueList};
use crate::engine::json::Value;
use crate::engine::phone::PhoneError;

/// Checks `message` and returns its normalised copy, or every problem found.
///
/// `template`, when given, is the template's definition as `listTemplates` returns it
/// (`{ name, language, status, components: [{ type: "BODY", text: "Hi {{1}}" }, …] }`); the
/// message's parameters are then checked against it.
pub fn validate_message(message: &Value, template: Option<&Value>) -> Result<Value, Error> {
    validate_owned(message.clone(), template)
}

/// [`validate_message`] of a message the caller gives up: normalised in place rather than copied.
pub fn validate_owned(message: Value, template: Option<&Value>) -> Result<Value, Error> {
    if let Some(def) = template {
        if def.get("components").and_then(Value::as_array).is_none() {
            return Err(Error::InvalidArgument {
                message: "options.template must be a template definition with a components array, as listTemplates returns it".into(),
            });
        }
    }
    check(IssueList::default(), message, template)
}

/// Walks `message`, adding to `issues` (which may hold a builder's already), and gives the answer:
/// the normalised copy, `WA001` when `to` is the only problem, `INVALID_TEMPLATE` when every
/// problem is a mismatch with `template`, else `INVALID_MESSAGE`.
pub(crate) fn check(
    mut issues: IssueList,
    mut message: Value,
    template: Option<&Value>,
) -> Result<Value, Error> {
    let (normalised, phone) = validate::message(&mut issues, &message, template);
    if issues.is_empty() {
        normalised.apply(&mut message);
        return Ok(message);
    }
    if let (Some(phone), [only]) = (phone, issues.listed()) {
        if only.path == "to" {
            return Err(Error::InvalidRecipient {
                phone,
                issues: issues.into_issues(),
            });
        }
    }
    if issues.only_mismatches() {
        return Err(Error::InvalidTemplate {
            issues: issues.into_issues(),
        });
    }
    Err(Error::InvalidMessage {
        issues: issues.into_issues(),
    })
}

/// `to` is not a phone number: the issue at `to`, and the error kept for `WA001`.
pub(crate) fn bad_phone(issues: &mut IssueList, err: PhoneError) -> Option<PhoneError> {
    issues.issue("to", "INVALID_PHONE", err.message.clone());
    Some(err)
}

#[cfg(test)]
mod tests;
