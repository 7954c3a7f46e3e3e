//! Every limit on a template: its definition (checked before `createTemplate`) and the parameters
//! a template message fills it with. Lengths count UTF-16 code units, as
//! [`crate::engine::message::limits`] explains.
//!
//! Sources (keys as in `crate::engine::message::limits`): **Meta** the WhatsApp Cloud API's message
//! templates and template parameter objects; **R-TPL** the draft's template rules (reference §6.2).

/// Template `name`: 512, `[a-z0-9_]`. Source: Meta message templates ("lowercase alphanumeric
/// characters and underscores", 512 characters); R-TPL ("lowercase with underscores").
pub const NAME_MAX: usize = 512;
/// A definition's `language` code: 16 characters (the longest locale is 6; our bound).
pub const LANGUAGE_MAX: usize = 16;
/// A definition's BODY text: 1,024. Source: R-TPL.
pub const BODY_MAX: usize = 1024;
/// Distinct variables in a definition's BODY: 10. Source: R-TPL (draft rule).
pub const BODY_VARIABLES_MAX: usize = 10;
/// A definition's TEXT header or FOOTER: 60. Source: R-TPL, Meta.
pub const HEADER_FOOTER_MAX: usize = 60;
/// Buttons in a definition's BUTTONS: 1–3. Source: R-TPL.
pub const BUTTONS_MAX: usize = 3;
/// A definition button's `text`: 25. Source: R-TPL.
pub const BUTTON_TEXT_MAX: usize = 25;
/// A definition URL button's `url`: 2,000 (our bound).
pub const BUTTON_URL_MAX: usize = 2000;
/// A definition PHONE_NUMBER button's `phone_number`: 20 (our bound; E.164 is at most 16 with `+`).
pub const BUTTON_PHONE_MAX: usize = 20;
/// An enum value in a definition (`category`, a component `type`, …): 64 (our bound).
pub const CHOICE_MAX: usize = 64;
/// Header `text` parameter: 60. Source: Meta template parameter object.
pub const HEADER_PARAM_MAX: usize = 60;
/// Body `text` parameter when other components are sent too: 1,024. Source: Meta template
/// parameter object.
pub const BODY_PARAM_MAX: usize = 1024;
/// Body `text` parameter when the body is the only component: 32,768. Source: Meta.
pub const BODY_ONLY_PARAM_MAX: usize = 32_768;
/// Copy-code button `coupon_code`: 15. Source: Meta template button parameter object.
pub const COUPON_CODE_MAX: usize = 15;
