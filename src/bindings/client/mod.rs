//! The `Sendexa` client class: every endpoint's arguments checked and its engine machine handed
//! to `driver.js`. Uses `engine::client`, `bindings::{convert, driver, error, stores, media_link}`.
//!
//! Each method checks its arguments, builds the call's state machine
//! ([`crate::engine::client::call`]) and hands it to the JavaScript driver (`driver.js`), whose
//! Promise it returns: the decisions are Rust's, the I/O (fetch, timers, signals) the driver's.
//! The token lives only in wasm memory and in the driver's per-client settings: the JavaScript
//! object holds a pointer, `toJSON` and `toString` leave the token out, and every error text is
//! scrubbed of it.
//!
//! ```js
//! const wa = new Sendexa({ token, baseUrl: "http://127.0.0.1:4010" });
//! const { messageId } = await wa.send(templateMessage("233244000000", { name: "hello_world", language: "en_US" }));
//! const outcomes = await wa.sendBulk(messages, { onProgress: ({ done, total }) => log(done, total) });
//! ```

mod many;
mod options;
mod types;

use std::rc::Rc;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::convert::{check_options, invalid_argument, json_from_js, prop};
use super::driver;
use super::error::set;
use super::error::ThrownError;
use super::media_link;
use crate::engine::client::call::{Call, Config, Limiting, WindowSource};
use crate::engine::client::endpoint::{self, Request, ResendStyle, TemplateQuery};
use crate::engine::client::template;
use crate::engine::json::Value;
use crate::engine::media::link;
use crate::engine::{message, phone, Error};
use options::{is_absent, opt_bool, opt_number, opt_string, signal_of, too_long};

/// The options of each method (every one also takes `signal`).
const CALL_OPTIONS: [&str; 1] = ["signal"];
const SEND_OPTIONS: [&str; 4] = ["signal", "template", "validate", "preflightMedia"];
const LIST_TEMPLATES_OPTIONS: [&str; 9] = [
    "signal", "page", "pageSize", "limit", "offset", "status", "category", "language", "name",
];

/// The client's state, shared by every call in flight.
struct Inner {
    base_url: Rc<str>,
    config: Rc<Config>,
    /// The driver's per-client settings (see driver.js).
    io: JsValue,
    window_store: JsValue,
    resend_style: ResendStyle,
    default_region: Option<String>,
}

/// The Sendexa WhatsApp client.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct Sendexa {
    inner: Rc<Inner>,
}

/// A Promise rejected with the `SendexaError` of `err`.
fn rejected(err: Error) -> Promise {
    Promise::reject(&ThrownError::from(err).into())
}

/// The Promise of `work`'s call, or rejected with its error.
fn promised(work: Result<Promise, Error>) -> Promise {
    work.unwrap_or_else(rejected)
}

impl Inner {
    /// Runs one call of `request` (`message`: a send's validated message; `id`: what it asks
    /// about).
    fn call(
        &self,
        request: Request,
        message: Option<Value>,
        id: Option<String>,
        signal: &JsValue,
    ) -> Promise {
        let call = Call::new(self.config.clone(), request, message, id);
        driver::drive(call, self.base_url.clone(), &self.io, signal)
    }

    /// A call whose options are only `signal`.
    fn simple(&self, method: &str, options: &JsValue, request: Request) -> Result<Promise, Error> {
        check_options(options, method, &CALL_OPTIONS)?;
        let signal = signal_of(options)?;
        Ok(self.call(request, None, None, &signal))
    }

    /// Validates and sends.
    fn send(&self, message: &JsValue, options: &JsValue) -> Result<Promise, Error> {
        check_options(options, "send", &SEND_OPTIONS)?;
        let signal = signal_of(options)?;
        let raw = json_from_js(message, "the message")?;
        if !matches!(raw, Value::Object(_)) {
            return Err(invalid_argument(
                "send takes a message object such as textMessage(to, body) returns",
            ));
        }
        let preflight_media = opt_bool(options, "preflightMedia")?.unwrap_or(false);
        let msg = if opt_bool(options, "validate")?.unwrap_or(true) {
            let def = prop_json(options, "template", "options.template")?;
            message::validate_message(&raw, def.as_ref())?
        } else {
            raw
        };
        let request = endpoint::send(&msg);
        // `preflightMedia`: a media message's link is checked by its headers first
        // (bindings::media_link); the send's call starts only once the check has passed.
        let loopback = link::is_loopback_url(&self.base_url);
        let check = if preflight_media {
            media_link::preflight(&msg, loopback)?
        } else {
            None
        };
        let Some(check) = check else {
            return Ok(self.call(request, Some(msg), None, &signal));
        };
        let (config, base_url, io) = (self.config.clone(), self.base_url.clone(), self.io.clone());
        let fetch = prop(&self.io, "fetch");
        let timeout_ms = self.config.timeout_ms as f64;
        let call_signal = signal.clone();
        Ok(media_link::then_send(
            check,
            &fetch,
            &signal,
            timeout_ms,
            move || {
                let call = Call::new(config, request, Some(msg), None);
                driver::drive(call, base_url, &io, &call_signal)
            },
        ))
    }

    fn id_arg(id: &JsValue, what: &str) -> Result<String, Error> {
        if too_long(id, endpoint::ID_MAX) {
            return Err(invalid_argument(format!(
                "{what} must be an id string of 1 to {} characters",
                endpoint::ID_MAX
            )));
        }
        id.as_string()
            .ok_or_else(|| invalid_argument(format!("{what} must be a string")))
    }

    /// A call about one resource named by id (`status`, `resend`, `getTemplate`,
    /// `deleteTemplate`): the id checked (`what` names it in errors), then `request` for it.
    fn by_id(
        &self,
        method: &'static str,
        id: &JsValue,
        what: &'static str,
        options: &JsValue,
        request: impl FnOnce(&str) -> Result<Request, Error>,
    ) -> Promise {
        promised((|| {
            check_options(options, method, &CALL_OPTIONS)?;
            let id = Inner::id_arg(id, what)?;
            let signal = signal_of(options)?;
            let request = request(&id)?;
            Ok(self.call(request, None, Some(id), &signal))
        })())
    }
}

/// `options[key]` as JSON, or `None` when absent.
fn prop_json(options: &JsValue, key: &str, what: &str) -> Result<Option<Value>, Error> {
    let v = super::convert::prop(options, key);
    if is_absent(&v) {
        return Ok(None);
    }
    json_from_js(&v, what).map(Some)
}

/// A `listTemplates` / `listAllTemplates` query from the options.
fn template_query(options: &JsValue, method: &str) -> Result<TemplateQuery, Error> {
    check_options(options, method, &LIST_TEMPLATES_OPTIONS)?;
    let int = |key: &str, min: f64, max: f64| -> Result<Option<u64>, Error> {
        match opt_number(options, key, min, max)? {
            Some(n) if n.fract() == 0.0 => Ok(Some(n as u64)),
            Some(_) => Err(invalid_argument(format!(
                "options.{key} must be a whole number"
            ))),
            None => Ok(None),
        }
    };
    let (page_max, offset_max) = (endpoint::PAGE_MAX as f64, endpoint::OFFSET_MAX as f64);
    let size_max = endpoint::PAGE_SIZE_MAX as f64;
    let query = TemplateQuery {
        page: int("page", 1.0, page_max)?,
        page_size: int("pageSize", 1.0, size_max)?,
        limit: int("limit", 1.0, size_max)?,
        offset: int("offset", 0.0, offset_max)?,
        status: opt_string(options, "status")?,
        category: opt_string(options, "category")?,
        language: opt_string(options, "language")?,
        name: opt_string(options, "name")?,
    };
    query.check()?;
    Ok(query)
}

#[wasm_bindgen]
impl Sendexa {
    /// A client. Throws `INVALID_ARGUMENT` for bad options and `BROWSER_NOT_ALLOWED` in a
    /// browser page without `dangerouslyAllowBrowser: true`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SendexaOptions")] options: JsValue,
    ) -> Result<Sendexa, ThrownError> {
        let s = options::settings(&options)?;
        let inner = Inner {
            base_url: s.base_url,
            config: s.config,
            io: s.io,
            window_store: s.window_store,
            resend_style: s.resend_style,
            default_region: s.default_region,
        };
        Ok(Sendexa {
            inner: Rc::new(inner),
        })
    }

    /// The API base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url.to_string()
    }

    /// The window store in use (pass it to `handleWebhook({ window })`), or `undefined` when the
    /// window check is off.
    #[wasm_bindgen(getter, js_name = windowStore, unchecked_return_type = "WindowStore | undefined")]
    pub fn window_store(&self) -> JsValue {
        self.inner.window_store.clone()
    }

    /// The settings, without credentials: what `JSON.stringify(client)` shows.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; timeoutMs: number; maxRetries: number; rateLimit: \"builtin\" | \"custom\" | \"off\"; window: \"memory\" | \"custom\" | \"off\"; credentials: \"[redacted]\" }")]
    pub fn to_json(&self) -> JsValue {
        let inner = &self.inner;
        let config = &inner.config;
        let obj = Object::new();
        set(&obj, "baseUrl", &JsValue::from_str(&inner.base_url));
        let timeout = super::convert::prop(&inner.io, "timeoutMs");
        set(&obj, "timeoutMs", &timeout);
        set(
            &obj,
            "maxRetries",
            &JsValue::from(config.policy.max_retries),
        );
        let limiter = match config.limiting {
            Limiting::Off => "off",
            Limiting::Builtin(_) => "builtin",
            Limiting::Custom => "custom",
        };
        set(&obj, "rateLimit", &JsValue::from_str(limiter));
        let window = match config.window {
            WindowSource::Off => "off",
            WindowSource::Memory(_) => "memory",
            WindowSource::Custom => "custom",
        };
        set(&obj, "window", &JsValue::from_str(window));
        set(
            &obj,
            "maxResponseBytes",
            &JsValue::from_f64(config.max_response_bytes as f64),
        );
        set(&obj, "credentials", &JsValue::from_str("[redacted]"));
        obj.into()
    }

    /// `Sendexa { baseUrl: … }`, without credentials.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("Sendexa {{ baseUrl: {} }}", self.inner.base_url)
    }

    /// Sends a message (`POST /v1/whatsapp/send`) after validating it and checking the 24-hour
    /// window. Retried only on 429/`WA005`; after a timeout, network error, 5xx or unreadable
    /// answer it rejects with `OUTCOME_UNKNOWN` rather than risk sending twice.
    #[wasm_bindgen(unchecked_return_type = "Promise<SendResult>")]
    pub fn send(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WhatsAppMessageInput")] message: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendOptions")] options: JsValue,
    ) -> Promise {
        promised(self.inner.send(&message, &options))
    }

    /// The status of a sent message (`GET /v1/whatsapp/status/{messageId}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<StatusResult>")]
    pub fn status(
        &self,
        #[wasm_bindgen(js_name = messageId, unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner.by_id(
            "status",
            &message_id,
            "messageId",
            &options,
            endpoint::status,
        )
    }

    /// Retries a failed message (`POST /v1/whatsapp/resend`). Like `send`, retried only on 429.
    #[wasm_bindgen(unchecked_return_type = "Promise<ResendResult>")]
    pub fn resend(
        &self,
        #[wasm_bindgen(js_name = messageId, unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let style = self.inner.resend_style;
        self.inner
            .by_id("resend", &message_id, "messageId", &options, |id| {
                endpoint::resend(id, style)
            })
    }

    /// One page of templates (`GET /v1/whatsapp/templates`).
    #[wasm_bindgen(js_name = listTemplates, unchecked_return_type = "Promise<TemplatePage>")]
    pub fn list_templates(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTemplatesOptions")] options: JsValue,
    ) -> Promise {
        promised((|| {
            let query = template_query(&options, "listTemplates")?;
            let signal = signal_of(&options)?;
            let request = endpoint::list_templates(&query);
            Ok(self.inner.call(request, None, None, &signal))
        })())
    }

    /// Every template, page after page: `for await (const t of client.listAllTemplates()) …`.
    #[wasm_bindgen(js_name = listAllTemplates, unchecked_return_type = "AsyncIterableIterator<Template>")]
    pub fn list_all_templates(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTemplatesOptions")] options: JsValue,
    ) -> Result<JsValue, ThrownError> {
        let query = template_query(&options, "listAllTemplates")?;
        let signal = signal_of(&options)?;
        Ok(many::TemplateIterator::start(&self.inner, query, signal))
    }

    /// Submits a template for review (`POST /v1/whatsapp/templates`) after checking it locally
    /// (`INVALID_TEMPLATE` with every issue). Retried only on 429.
    #[wasm_bindgen(js_name = createTemplate, unchecked_return_type = "Promise<Template>")]
    pub fn create_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TemplateDefinitionInput")] definition: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        promised((|| {
            check_options(&options, "createTemplate", &CALL_OPTIONS)?;
            let def = json_from_js(&definition, "the template definition")?;
            let def = template::validate_definition(&def)?;
            let request = endpoint::create_template(&def);
            self.inner.simple("createTemplate", &options, request)
        })())
    }

    /// One template (`GET /v1/whatsapp/templates/{id}`).
    #[wasm_bindgen(js_name = getTemplate, unchecked_return_type = "Promise<Template>")]
    pub fn get_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner
            .by_id("getTemplate", &id, "id", &options, endpoint::get_template)
    }

    /// Deletes a template (`DELETE /v1/whatsapp/templates/{id}`).
    #[wasm_bindgen(js_name = deleteTemplate, unchecked_return_type = "Promise<DeleteTemplateResult>")]
    pub fn delete_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.inner.by_id(
            "deleteTemplate",
            &id,
            "id",
            &options,
            endpoint::delete_template,
        )
    }

    /// Whether a number is on WhatsApp (`GET /v1/whatsapp/numbers/check`). The number is
    /// normalised first (`WA001` locally when it is not a phone number).
    #[wasm_bindgen(js_name = checkNumber, unchecked_return_type = "Promise<NumberCheck>")]
    pub fn check_number(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] phone_number: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        promised((|| {
            check_options(&options, "checkNumber", &CALL_OPTIONS)?;
            let text = phone_number
                .as_string()
                .ok_or_else(|| invalid_argument("checkNumber takes a phone number string"))?;
            let digits = phone::normalize(&text, self.inner.default_region.as_deref())?;
            let request = endpoint::check_number(&digits);
            self.inner.simple("checkNumber", &options, request)
        })())
    }

    /// Checks any number of numbers (`POST /v1/whatsapp/numbers/bulk-check`, in chunks of at
    /// most 1,000, within the rate limits): one entry per input, in input order.
    #[wasm_bindgen(js_name = checkNumbers, unchecked_return_type = "Promise<CheckNumbersResult>")]
    pub fn check_numbers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string>")] phones: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckNumbersOptions")] options: JsValue,
    ) -> Promise {
        promised(many::check_numbers(&self.inner, &phones, &options))
    }

    /// The account's WhatsApp numbers, with quality rating and messaging limit
    /// (`GET /v1/whatsapp/numbers`).
    #[wasm_bindgen(js_name = listNumbers, unchecked_return_type = "Promise<NumbersList>")]
    pub fn list_numbers(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        promised(
            self.inner
                .simple("listNumbers", &options, endpoint::list_numbers()),
        )
    }

    /// Sends many messages within the rate limits, `concurrency` at a time. Resolves (never
    /// rejects for a message's failure) to one outcome per message, in input order: each message
    /// is sent at most once, with `send`'s retry policy.
    #[wasm_bindgen(js_name = sendBulk, unchecked_return_type = "Promise<BulkOutcome[]>")]
    pub fn send_bulk(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<WhatsAppMessageInput>")]
        messages: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendBulkOptions")] options: JsValue,
    ) -> Promise {
        promised(many::send_bulk(&self.inner, messages, &options))
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::super::convert::prop;
    use super::options::in_browser;
    use super::*;
    use js_sys::Function;
    use std::cell::Cell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::*;

    const SECRET: &str = "tok_unit_SECRET_42";

    fn options(fetch: Option<&JsValue>, extra: &[(&str, JsValue)]) -> JsValue {
        let o = Object::new();
        set(&o, "token", &JsValue::from_str(SECRET));
        set(&o, "baseUrl", &JsValue::from_str("http://127.0.0.1:9"));
        set(&o, "dangerouslyAllowBrowser", &JsValue::TRUE);
        set(&o, "rateLimit", &JsValue::FALSE);
        if let Some(f) = fetch {
            set(&o, "fetch", f);
        }
        for (k, v) in extra {
            set(&o, k, v);
        }
        o.into()
    }

    /// A `fetch` that answers every call with `status` and `body`, counting the calls.
    fn fake_fetch(status: u16, body: &'static str, calls: Rc<Cell<u32>>) -> JsValue {
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |_url: JsValue, _init: JsValue| {
                calls.set(calls.get() + 1);
                let init = web_sys::ResponseInit::new();
                init.set_status(status);
                match web_sys::Response::new_with_opt_str_and_init(Some(body), &init) {
                    Ok(resp) => Promise::resolve(&resp).into(),
                    Err(e) => Promise::reject(&e).into(),
                }
            },
        )
        .into_js_value()
    }

    fn text_message() -> JsValue {
        js_sys::JSON::parse(r#"{"to":"+233 24 400 0000","type":"text","text":{"body":"Hi"}}"#)
            .unwrap_or(JsValue::NULL)
    }

    async fn settle(p: Promise) -> Result<JsValue, JsValue> {
        JsFuture::from(p).await
    }

    fn code(err: &JsValue) -> String {
        prop(err, "code").as_string().unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn options_are_checked() {
        let err = |o: JsValue| match Sendexa::new(o) {
            Ok(_) => String::from("ok"),
            Err(e) => code(&JsValue::from(e)),
        };
        assert_eq!(err(JsValue::UNDEFINED), "INVALID_ARGUMENT");
        assert_eq!(
            err(options(None, &[("timeout", JsValue::from_f64(1.0))])),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            err(options(
                None,
                &[("baseUrl", JsValue::from_str("http://example.com"))]
            )),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            err(options(None, &[("fetch", JsValue::from_str("nope"))])),
            "INVALID_ARGUMENT"
        );
        assert_eq!(err(options(None, &[])), "ok");
        // A NUL inside a key keeps it whole: "timeoutMs" before it is not taken as given.
        let Err(e) = Sendexa::new(options(None, &[("timeoutMs\0", JsValue::from_f64(5.0))])) else {
            panic!("a key with a NUL was accepted")
        };
        let e = JsValue::from(e);
        let message = prop(&e, "message").as_string().unwrap_or_default();
        assert_eq!(code(&e), "INVALID_ARGUMENT");
        assert!(message.contains("\"timeoutMs\u{2400}\""), "{message}");
    }

    #[wasm_bindgen_test]
    fn json_and_string_leave_the_token_out() {
        let Ok(client) = Sendexa::new(options(None, &[])) else {
            panic!("client")
        };
        let json = js_sys::JSON::stringify(&client.to_json())
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        assert!(
            json.contains("127.0.0.1") && !json.contains(SECRET),
            "{json}"
        );
        assert!(!client.to_string_js().contains(SECRET));
    }

    #[wasm_bindgen_test]
    fn the_default_window_store_is_shared_with_javascript() {
        let Ok(client) = Sendexa::new(options(None, &[])) else {
            panic!("client")
        };
        let store = client.window_store();
        let set_fn: Function = prop(&store, "set").dyn_into().unwrap();
        let _ = set_fn.call2(
            &store,
            &JsValue::from_str("+233 24 400 0000"),
            &JsValue::from_f64(5.0),
        );
        match &client.inner.config.window {
            WindowSource::Memory(book) => {
                assert_eq!(book.borrow().get("233244000000"), Some(5.0))
            }
            _ => panic!("not the memory store"),
        }
    }

    #[wasm_bindgen_test]
    async fn a_send_reads_the_answer_through_the_given_fetch() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(
            200,
            r#"{"success":true,"data":{"id":"wamid.A","messageId":"exa_wa_1","status":"sent","to":"233244000000","type":"text"}}"#,
            calls.clone(),
        );
        let Ok(client) = Sendexa::new(options(Some(&fetch), &[("window", JsValue::FALSE)])) else {
            panic!("client")
        };
        let result = settle(client.send(text_message(), JsValue::UNDEFINED))
            .await
            .unwrap_or(JsValue::NULL);
        assert_eq!(
            prop(&result, "messageId").as_string().as_deref(),
            Some("exa_wa_1")
        );
        assert_eq!(
            prop(&result, "wamid").as_string().as_deref(),
            Some("wamid.A")
        );
        assert_eq!(calls.get(), 1);
    }

    #[wasm_bindgen_test]
    async fn an_invalid_message_makes_no_request() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(200, "{}", calls.clone());
        let Ok(client) = Sendexa::new(options(Some(&fetch), &[])) else {
            panic!("client")
        };
        let bad = js_sys::JSON::parse(r#"{"to":"233244000000","type":"text","text":{"body":""}}"#)
            .unwrap_or(JsValue::NULL);
        let err = settle(client.send(bad, JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(code(&err), "INVALID_MESSAGE");
        assert_eq!(calls.get(), 0);
    }

    #[wasm_bindgen_test]
    async fn a_5xx_send_is_an_unknown_outcome_after_one_attempt_but_a_read_is_retried() {
        let calls = Rc::new(Cell::new(0));
        let fetch = fake_fetch(
            503,
            r#"{"success":false,"code":"SERVICE_UNAVAILABLE","message":"down"}"#,
            calls.clone(),
        );
        let retry = Object::new();
        set(&retry, "baseDelayMs", &JsValue::from_f64(0.0));
        let Ok(client) = Sendexa::new(options(
            Some(&fetch),
            &[("window", JsValue::FALSE), ("retry", retry.into())],
        )) else {
            panic!("client")
        };
        let err = settle(client.send(text_message(), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(
            (code(&err), prop(&err, "reason").as_string()),
            ("OUTCOME_UNKNOWN".into(), Some("SERVICE_UNAVAILABLE".into()))
        );
        assert!(!prop(&err, "message")
            .as_string()
            .unwrap_or_default()
            .contains(SECRET));
        assert_eq!(calls.get(), 1);
        let err = settle(client.status(JsValue::from_str("exa_wa_1"), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(code(&err), "SERVICE_UNAVAILABLE");
        assert_eq!(calls.get(), 1 + 3);
    }

    #[wasm_bindgen_test]
    fn browser_detection_matches_the_runtime() {
        let global: JsValue = js_sys::global().into();
        let node = !is_absent(&prop(&prop(&prop(&global, "process"), "versions"), "node"));
        let page = !is_absent(&prop(&global, "document"));
        if node {
            assert!(!in_browser());
        } else if page {
            assert!(in_browser());
        }
    }
}
