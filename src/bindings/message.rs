//! Message builders, `validateMessage`, `checkMedia` and `sniffMedia` for JavaScript.
//!
//! Values cross the boundary once as JSON text: `JSON.stringify` on the way in (it drops
//! functions and `undefined`, calls `toJSON`, and turns `__proto__`/`constructor` own keys into
//! plain data), [`engine::json`](crate::engine::json) to parse, the core to validate, and
//! `JSON.parse` on the way out (which makes fresh plain objects whose `__proto__` keys, if any,
//! are own data properties). Cyclic values, BigInts and throwing getters become a
//! `SendexaError` with code `INVALID_ARGUMENT`, never a raw exception.

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{check_options, invalid_argument, json_from_js, json_to_js};
use super::error::ThrownError;
use super::objects;
use crate::engine::json::Value;
use crate::engine::media::{self, MediaKind};
use crate::engine::message;
use crate::engine::Error;

/// At most this many leading bytes are copied into wasm for sniffing: enough for every
/// signature and for the ZIP entry names of Office files, without copying a 100 MB document.
const SNIFF_BYTES: u32 = 1 << 20;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A media file by public HTTPS `link` or by uploaded media `id` (exactly one). */
export type MediaRef = { link: string; id?: never } | { id: string; link?: never };
/** Threads a message as a reply to `message_id` (a `wamid.…`). */
export interface MessageContext { message_id: string }
/** Fields every message may carry. */
export interface MessageBase {
  /** Recipient: country code and number, digits only (`"233244000000"`); builders normalise it. */
  to: string;
  context?: MessageContext;
  messaging_product?: "whatsapp";
  recipient_type?: "individual";
}
export interface TextMessage extends MessageBase { type: "text"; text: { body: string; preview_url?: boolean } }
export interface ImageMessage extends MessageBase { type: "image"; image: MediaRef & { caption?: string } }
export interface VideoMessage extends MessageBase { type: "video"; video: MediaRef & { caption?: string } }
export interface AudioMessage extends MessageBase { type: "audio"; audio: MediaRef }
export interface DocumentMessage extends MessageBase { type: "document"; document: MediaRef & { caption?: string; filename: string } }
export interface StickerMessage extends MessageBase { type: "sticker"; sticker: MediaRef }
export type InteractiveHeader =
  | { type: "text"; text: string }
  | { type: "image"; image: MediaRef }
  | { type: "video"; video: MediaRef }
  | { type: "document"; document: MediaRef & { filename?: string } };
export interface ReplyButton { type: "reply"; reply: { id: string; title: string } }
export interface ListRow { id: string; title: string; description?: string }
export interface ListSection { title?: string; rows: ListRow[] }
export type Interactive =
  | { type: "button"; header?: InteractiveHeader; body: { text: string }; footer?: { text: string }; action: { buttons: ReplyButton[] } }
  | { type: "list"; header?: { type: "text"; text: string }; body: { text: string }; footer?: { text: string }; action: { button: string; sections: ListSection[] } }
  | { type: "cta_url"; header?: InteractiveHeader; body: { text: string }; footer?: { text: string }; action: { name: "cta_url"; parameters: { display_text: string; url: string } } };
export interface InteractiveMessage extends MessageBase { type: "interactive"; interactive: Interactive }
export type TemplateParameter = (
  | { type: "text"; text: string }
  | { type: "currency"; currency: { fallback_value: string; code: string; amount_1000: number } }
  | { type: "date_time"; date_time: { fallback_value: string } }
  | { type: "image"; image: MediaRef }
  | { type: "video"; video: MediaRef }
  | { type: "document"; document: MediaRef & { filename?: string } }
  | { type: "payload"; payload: string }
  | { type: "coupon_code"; coupon_code: string }
) & { parameter_name?: string };
export type TemplateComponent =
  | { type: "header" | "body"; parameters: TemplateParameter[] }
  | { type: "button"; sub_type: "quick_reply" | "url" | "copy_code"; index: number | string; parameters: TemplateParameter[] };
export interface TemplateLanguage { code: string; policy?: "deterministic" }
/** As sent: `language` is always `{ code }`. */
export interface TemplateMessage extends MessageBase { type: "template"; template: { name: string; language: TemplateLanguage; components?: TemplateComponent[] } }
/** As accepted: `language` may also be a bare code such as `"en_US"`. */
export interface TemplateMessageInput extends MessageBase { type: "template"; template: { name: string; language: string | TemplateLanguage; components?: TemplateComponent[] } }
export interface LocationMessage extends MessageBase { type: "location"; location: { latitude: number; longitude: number; name?: string; address?: string } }
export interface Contact {
  name: { formatted_name: string; first_name?: string; last_name?: string; middle_name?: string; suffix?: string; prefix?: string };
  phones?: Array<{ phone?: string; type?: string; wa_id?: string }>;
  emails?: Array<{ email?: string; type?: string }>;
  urls?: Array<{ url?: string; type?: string }>;
  addresses?: Array<{ street?: string; city?: string; state?: string; zip?: string; country?: string; country_code?: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  /** `YYYY-MM-DD`. */
  birthday?: string;
}
export interface ContactsMessage extends MessageBase { type: "contacts"; contacts: Contact[] }
export interface ReactionMessage extends MessageBase { type: "reaction"; reaction: { message_id: string; emoji: string } }
/** Any message `POST /v1/whatsapp/send` takes, in its wire shape. */
export type WhatsAppMessage =
  | TextMessage | ImageMessage | VideoMessage | AudioMessage | DocumentMessage | StickerMessage
  | InteractiveMessage | TemplateMessage | LocationMessage | ContactsMessage | ReactionMessage;
/** What `validateMessage` accepts. */
export type WhatsAppMessageInput = Exclude<WhatsAppMessage, TemplateMessage> | TemplateMessageInput;
/** A template as `listTemplates` returns it (only the fields the check reads). */
export interface TemplateDefinition {
  name?: string;
  language?: string;
  status?: string;
  components: Array<{ type: string; format?: string; text?: string; buttons?: Array<{ type: string; text?: string; url?: string }> }>;
}
export interface ValidateOptions {
  /** Check the template parameters against this definition (counts, names, header format, buttons). */
  template?: TemplateDefinition;
}
export interface ReplyOptions { /** Reply to this message (`wamid.…`): sets `context.message_id`. */ replyTo?: string }
export interface TextOptions extends ReplyOptions { previewUrl?: boolean }
export interface CaptionOptions extends ReplyOptions { caption?: string }
export interface DocumentOptions extends CaptionOptions { filename?: string }
/** A URL string (contains `:` or `/`), a media id string, or `{ link }` / `{ id }`. */
export type MediaInput = string | MediaRef;
export interface ButtonsSpec extends ReplyOptions {
  body: string;
  /** 1–3 buttons; a string is used as both id and title. */
  buttons: Array<string | { id: string; title: string }>;
  header?: string | InteractiveHeader;
  footer?: string;
}
export interface ListSpec extends ReplyOptions { body: string; button: string; sections: ListSection[]; header?: string | { type: "text"; text: string }; footer?: string }
export interface CtaUrlSpec extends ReplyOptions { body: string; displayText: string; url: string; header?: string | InteractiveHeader; footer?: string }
export interface TemplateSpec extends ReplyOptions { name: string; language: string | TemplateLanguage; components?: TemplateComponent[] }
export type MediaType = "image" | "video" | "audio" | "document" | "sticker";
export interface MediaCheckInput {
  type: MediaType;
  mimeType?: string;
  /** Bytes. */
  size?: number;
  filename?: string;
  link?: string;
  /** Stickers: animated WebP (limit 500 KB instead of 100 KB). */
  animated?: boolean;
  /** The file or its first bytes: its format must agree with the declared type. */
  bytes?: Uint8Array | ArrayBuffer;
}
/** What `checkMedia` returns: the input's fields (without `bytes`) and the type's size limit. */
export interface MediaCheck extends Omit<MediaCheckInput, "bytes"> {
  /** The size limit in bytes for this type. */
  maxSize: number;
}
export interface SniffResult { mimeType: string; type: MediaType; animated?: boolean; codec?: string }
"#;

fn out(result: Result<Value, Error>) -> Result<JsValue, ThrownError> {
    let v = result?;
    Ok(json_to_js(&v)?)
}

/// Checks any message object and returns the normalised copy (`to` in the API form, template
/// `language` as `{ code }`). Throws `SendexaError` (`INVALID_MESSAGE`, `INVALID_TEMPLATE`,
/// or `WA001` when `to` is the only problem) listing every issue.
#[wasm_bindgen(js_name = validateMessage, unchecked_return_type = "WhatsAppMessage")]
pub fn validate_message(
    #[wasm_bindgen(unchecked_param_type = "WhatsAppMessageInput")] message: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: Option<JsValue>,
) -> Result<JsValue, ThrownError> {
    let msg = json_from_js(&message, "the message")?;
    let options = options.unwrap_or(JsValue::UNDEFINED);
    check_options(&options, "validateMessage", &["template"])?;
    let opts = json_from_js(&options, "options")?;
    let template = opts.get("template").filter(|t| !t.is_null());
    out(message::validate_owned(msg, template))
}

/// A text message. Options: `previewUrl`, `replyTo`.
#[wasm_bindgen(js_name = textMessage, unchecked_return_type = "TextMessage")]
pub fn text_message(
    #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "TextOptions")] options: Option<JsValue>,
) -> Result<JsValue, ThrownError> {
    // The common call (strings, no options) skips the JSON round trip (see quick_text_message);
    // anything else, or any problem, takes the general path, which reports every issue.
    if options.is_none() {
        if let Some(message) = objects::quick_text_message(&to, &body) {
            return Ok(message);
        }
    }
    let (to, body) = (json_from_js(&to, "to")?, json_from_js(&body, "body")?);
    let opts = keyed_json(&options.unwrap_or(JsValue::UNDEFINED), "options")?;
    out(message::text_message(&to, &body, &opts))
}

/// A builder's options or spec as JSON, with each own key whose value `JSON.stringify` drops
/// (`undefined`, a function) kept, as `null`. The builders take `null` for "not given", so
/// `{ caption: undefined }` is still no caption, while a misspelt key (`{ captoin: caption }`) is
/// refused whether or not its value happens to be `undefined`. A value with `toJSON` is what that
/// gives. One call to objects.js, which answers `""` in the usual case (no such key).
fn keyed_json(value: &JsValue, what: &str) -> Result<Value, Error> {
    let mut json = json_from_js(value, what)?;
    if let (Value::Object(_), Some(object)) = (&json, value.dyn_ref::<Object>()) {
        // Keys that cannot be read (a getter or a Proxy's trap threw) leave the JSON as it is.
        if let Ok(keys) = objects::dropped_keys(object) {
            for key in keys.iter() {
                json.set(key, Value::Null);
            }
        }
    }
    Ok(json)
}

fn media_message(
    kind: MediaKind,
    to: JsValue,
    media: JsValue,
    options: Option<JsValue>,
) -> Result<JsValue, ThrownError> {
    let (to, media) = (json_from_js(&to, "to")?, json_from_js(&media, "media")?);
    let opts = keyed_json(&options.unwrap_or(JsValue::UNDEFINED), "options")?;
    out(message::media_message(kind, &to, &media, &opts))
}

/// Declares builder exports that differ only in their names, types and what they build (one
/// wrapper each is what wasm-bindgen needs; the work is in the function each one calls). The
/// media builders take options; the spec builders do not.
macro_rules! builder_exports {
    () => {};
    ($(#[doc = $doc:tt])* $name:ident $js:tt -> $ret:tt ($second:tt, $opts:tt) => $build:expr; $($rest:tt)*) => {
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
        pub fn $name(
            #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
            #[wasm_bindgen(unchecked_param_type = $second)] second: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = $opts)] options: Option<JsValue>,
        ) -> Result<JsValue, ThrownError> {
            ($build)(to, second, options)
        }
        builder_exports!($($rest)*);
    };
    ($(#[doc = $doc:tt])* $name:ident $js:tt -> $ret:tt ($second:tt) => $build:expr; $($rest:tt)*) => {
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
        pub fn $name(
            #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
            #[wasm_bindgen(unchecked_param_type = $second)] second: JsValue,
        ) -> Result<JsValue, ThrownError> {
            ($build)(to, second)
        }
        builder_exports!($($rest)*);
    };
}

builder_exports! {
    /// An image message (JPEG/PNG ≤ 5 MB). Options: `caption`, `replyTo`.
    image_message "imageMessage" -> "ImageMessage" ("MediaInput", "CaptionOptions")
        => |to, media, options| media_message(MediaKind::Image, to, media, options);
    /// A video message (MP4/3GPP ≤ 16 MB). Options: `caption`, `replyTo`.
    video_message "videoMessage" -> "VideoMessage" ("MediaInput", "CaptionOptions")
        => |to, media, options| media_message(MediaKind::Video, to, media, options);
    /// An audio message (AAC/AMR/MP3/MP4/Ogg Opus ≤ 16 MB). Options: `replyTo`.
    audio_message "audioMessage" -> "AudioMessage" ("MediaInput", "ReplyOptions")
        => |to, media, options| media_message(MediaKind::Audio, to, media, options);
    /// A document message (≤ 100 MB; `filename` required). Options: `filename`, `caption`, `replyTo`.
    document_message "documentMessage" -> "DocumentMessage" ("MediaInput", "DocumentOptions")
        => |to, media, options| media_message(MediaKind::Document, to, media, options);
    /// An interactive message with 1–3 reply buttons.
    buttons_message "buttonsMessage" -> "InteractiveMessage" ("ButtonsSpec")
        => |to, spec| spec_message(to, spec, message::buttons_message);
    /// An interactive list message (≤ 10 rows in total).
    list_message "listMessage" -> "InteractiveMessage" ("ListSpec")
        => |to, spec| match objects::quick_list_message(&to, &spec) {
            Some(message) => Ok(message),
            None => spec_message(to, spec, message::list_message),
        };
    /// An interactive call-to-action URL button message.
    cta_url_message "ctaUrlMessage" -> "InteractiveMessage" ("CtaUrlSpec")
        => |to, spec| spec_message(to, spec, message::cta_url_message);
    /// A template message; `language` as `"en_US"` or `{ code: "en_US" }` (sent as the latter).
    template_message "templateMessage" -> "TemplateMessage" ("TemplateSpec")
        => |to, spec| match objects::quick_template_message(&to, &spec) {
            Some(message) => Ok(message),
            None => spec_message(to, spec, message::template_message),
        };
}

fn spec_message(
    to: JsValue,
    spec: JsValue,
    build: fn(&Value, &Value) -> Result<Value, Error>,
) -> Result<JsValue, ThrownError> {
    let (to, spec) = (
        json_from_js(&to, "to")?,
        keyed_json(&spec, "the message content")?,
    );
    out(build(&to, &spec))
}

/// The first [`SNIFF_BYTES`] of a `Uint8Array` or `ArrayBuffer`, or `None` for other values.
fn leading_bytes(v: &JsValue) -> Option<Vec<u8>> {
    let array = if let Some(a) = v.dyn_ref::<Uint8Array>() {
        a.clone()
    } else if let Some(b) = v.dyn_ref::<ArrayBuffer>() {
        Uint8Array::new(b)
    } else {
        return None;
    };
    let end = array.length().min(SNIFF_BYTES);
    Some(array.subarray(0, end).to_vec())
}

/// Checks a media item against the limits for its type (and, given `bytes`, that the file is
/// what it claims to be). Returns the normalised item with `maxSize`; throws `INVALID_MEDIA`.
#[wasm_bindgen(js_name = checkMedia, unchecked_return_type = "MediaCheck")]
pub fn check_media(
    #[wasm_bindgen(unchecked_param_type = "MediaCheckInput")] input: JsValue,
) -> Result<JsValue, ThrownError> {
    let mut bytes = None;
    let mut item = input.clone();
    if let Some(obj) = input.dyn_ref::<Object>() {
        let b = Reflect::get(obj, &JsValue::from_str("bytes")).unwrap_or(JsValue::UNDEFINED);
        if !b.is_undefined() && !b.is_null() {
            bytes =
                Some(leading_bytes(&b).ok_or_else(|| {
                    invalid_argument("bytes must be a Uint8Array or an ArrayBuffer")
                })?);
        }
        // A shallow copy without `bytes`, so a large buffer is never turned into JSON.
        if !b.is_undefined() && !input.is_array() {
            let copy = Object::assign(&Object::new(), obj);
            let _ = Reflect::delete_property(&copy, &JsValue::from_str("bytes"));
            item = copy.into();
        }
    }
    let value = json_from_js(&item, "the media item")?;
    out(media::check_media(&value, bytes.as_deref()))
}

/// Identifies a file's format from its first bytes: `{ mimeType, type }`, or `null` when it is
/// not a format WhatsApp accepts.
#[wasm_bindgen(js_name = sniffMedia, unchecked_return_type = "SniffResult | null")]
pub fn sniff_media(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
) -> Result<JsValue, ThrownError> {
    let data = leading_bytes(&bytes).ok_or_else(|| {
        ThrownError::from(invalid_argument(
            "sniffMedia takes a Uint8Array or an ArrayBuffer",
        ))
    })?;
    match media::sniff(&data) {
        Some(found) => Ok(json_to_js(&media::sniff_to_value(&found))?),
        None => Ok(JsValue::NULL),
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
