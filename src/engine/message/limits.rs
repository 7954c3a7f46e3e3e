//! The documented limits a message must keep, each with its source (a template's are in
//! [`crate::engine::template::limits`]).
//!
//! Lengths are counted in UTF-16 code units, as JavaScript's `string.length` and the API's JSON
//! clients count them: an emoji outside the Basic Multilingual Plane counts 2. That is the safe
//! reading, since it is never smaller than a count of code points or graphemes.
//!
//! Source keys (see `shared/spec/sendexa-whatsapp-api-reference.md` §0): **D-WA** is the live
//! overview developers.sendexa.co/whatsapp; **R-SEND** the older draft `docs/whatsapp/send.mdx`;
//! **Meta** the WhatsApp Cloud API reference that Sendexa relays to (interactive and template
//! objects), used where no Sendexa page gives the limit.

/// Text `body`: 4,096. Source: D-WA ("Text messages up to 4096 characters").
pub const TEXT_BODY: usize = 4096;
/// Media `caption` (image, video, document): 1,024. Source: R-SEND.
pub const CAPTION: usize = 1024;
/// Interactive `body.text` for buttons and CTA URL: 1,024. Source: Meta interactive object.
pub const INTERACTIVE_BODY: usize = 1024;
/// Interactive `body.text` for lists: 4,096. Source: Meta interactive object (list messages).
pub const LIST_BODY: usize = 4096;
/// Interactive `header.text`: 60. Source: Meta interactive object.
pub const HEADER_TEXT: usize = 60;
/// Interactive `footer.text`: 60. Source: Meta interactive object.
pub const FOOTER_TEXT: usize = 60;
/// Reply buttons per message: 1–3. Source: D-WA ("≤ 3 reply buttons"), R-SEND.
pub const MAX_BUTTONS: usize = 3;
/// Reply button `title`: 20. Source: R-SEND.
pub const BUTTON_TITLE: usize = 20;
/// Reply button `id`: 256. Source: Meta reply button object.
pub const BUTTON_ID: usize = 256;
/// List `action.button` label: 20. Source: Meta list action object.
pub const LIST_BUTTON: usize = 20;
/// List sections: 1–10. Source: R-SEND ("≤ 10 sections").
pub const MAX_SECTIONS: usize = 10;
/// List rows in total, across all sections: 10. Source: D-WA ("list ≤ 10 rows") and Meta, which
/// counts rows per message, not per section.
pub const MAX_ROWS: usize = 10;
/// Section `title`: 24. Source: Meta section object.
pub const SECTION_TITLE: usize = 24;
/// Row `id`: 200. Source: Meta row object.
pub const ROW_ID: usize = 200;
/// Row `title`: 24. Source: R-SEND.
pub const ROW_TITLE: usize = 24;
/// Row `description`: 72. Source: R-SEND.
pub const ROW_DESCRIPTION: usize = 72;
/// CTA URL `display_text`: 20. Source: Meta `cta_url` interactive object.
pub const CTA_DISPLAY_TEXT: usize = 20;
/// Reaction `emoji`: 32 UTF-16 units, room for the longest ZWJ sequences (our bound; Meta
/// documents "a single emoji").
pub const REACTION_EMOJI: usize = 32;
