//! The calls that make many requests: `sendBulk`, `checkNumbers` and `listAllTemplates`. The
//! driver runs them (`each`, `after`); which request goes next and what the answers add up to
//! are the core's ([`CheckRun`], [`TemplatePages`]).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::super::convert::{
    check_options, invalid_argument, json_from_js, json_to_js, opt_function, prop,
};
use super::super::driver;
use super::super::error::{set, ThrownError};
use super::options::{opt_concurrency, opt_string, signal_of};
use super::{rejected, Inner};
use crate::engine::client::bulk::{CheckPlan, CheckRun};
use crate::engine::client::call::{self, Call, Input, Machine, Step, TemplatePages};
use crate::engine::client::endpoint::{Endpoint, Request, TemplateQuery, BULK_CHECK_MAX};
use crate::engine::json::Value;
use crate::engine::Error;

const CHECK_NUMBERS_OPTIONS: [&str; 4] = ["signal", "onProgress", "concurrency", "defaultRegion"];
const SEND_BULK_OPTIONS: [&str; 3] = ["signal", "concurrency", "onProgress"];

/// Calls `on_progress` with `{ done, total, … }`; a throwing callback is ignored (no outcome may
/// be lost to it).
fn progress(on_progress: &Option<Function>, fields: &[(&str, u32)]) {
    if let Some(f) = on_progress {
        let p = Object::new();
        for (key, value) in fields {
            set(&p, key, &JsValue::from(*value));
        }
        let _ = f.call1(&JsValue::UNDEFINED, &p);
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `sendBulk`: every message through `send`, `concurrency` at a time, one outcome each.
pub(super) fn send_bulk(
    inner: &Rc<Inner>,
    messages: JsValue,
    options: &JsValue,
) -> Result<Promise, Error> {
    let messages: Array = messages
        .dyn_into()
        .map_err(|_| invalid_argument("sendBulk takes an array of messages"))?;
    check_options(options, "sendBulk", &SEND_BULK_OPTIONS)?;
    let signal = signal_of(options)?;
    let concurrency = opt_concurrency(options)?;
    let on_progress = opt_function(options, "onProgress")?;
    let total = messages.length();
    let call_options = Object::new();
    if !signal.is_undefined() {
        set(&call_options, "signal", &signal);
    }
    let client = inner.clone();
    let start = move |i: u32| -> JsValue {
        let signal = prop(&call_options, "signal");
        if signal.is_object() && prop(&signal, "aborted").is_truthy() {
            return rejected(call::aborted(Endpoint::Send, false)).into();
        }
        super::promised(client.send(&messages.get(i), &call_options)).into()
    };
    let start = Closure::<dyn FnMut(u32) -> JsValue>::new(start).into_js_value();
    let settled = on_progress.map_or(JsValue::UNDEFINED, |f| {
        let f = Some(f);
        let report = move |succeeded: u32, failed: u32| {
            let done = succeeded.saturating_add(failed);
            let fields = [
                ("done", done),
                ("total", total),
                ("succeeded", succeeded),
                ("failed", failed),
            ];
            progress(&f, &fields);
        };
        Closure::<dyn FnMut(u32, u32)>::new(report).into_js_value()
    });
    Ok(driver::each(
        total,
        concurrency,
        &start,
        &settled,
        &JsValue::UNDEFINED,
    ))
}

/// One chunk of a bulk check: its call, whose answer (or error) goes into the run.
struct ChunkCall {
    call: Call,
    run: Rc<RefCell<CheckRun>>,
    index: usize,
    on_progress: Rc<Option<Function>>,
}

impl Machine for ChunkCall {
    fn step(&mut self, input: Input, now: f64, random: f64) -> Step {
        match self.call.step(input, now, random) {
            Step::Done(answer) => {
                let done = self.run.borrow_mut().record(self.index, Ok(answer));
                let total = self.run.borrow().total();
                if let Some(done) = done {
                    progress(
                        &self.on_progress,
                        &[("done", count(done)), ("total", count(total))],
                    );
                }
                Step::Done(Value::Null)
            }
            Step::Fail(err) => {
                self.run.borrow_mut().record(self.index, Err(err.clone()));
                Step::Fail(err)
            }
            step => step,
        }
    }

    fn with_request(&self, f: &mut dyn FnMut(&Request)) {
        self.call.with_request(f)
    }
}

/// `checkNumbers`: the numbers normalised, deduplicated and checked in chunks of 1,000.
pub(super) fn check_numbers(
    inner: &Rc<Inner>,
    phones: &JsValue,
    options: &JsValue,
) -> Result<Promise, Error> {
    check_options(options, "checkNumbers", &CHECK_NUMBERS_OPTIONS)?;
    let signal = signal_of(options)?;
    let Value::Array(inputs) = json_from_js(phones, "phones")? else {
        return Err(invalid_argument(
            "checkNumbers takes an array of phone numbers",
        ));
    };
    let region = match opt_string(options, "defaultRegion")? {
        Some(r) => Some(r),
        None => inner.default_region.clone(),
    };
    let concurrency = opt_concurrency(options)?;
    let on_progress = Rc::new(opt_function(options, "onProgress")?);
    let run = CheckRun::new(CheckPlan::new(&inputs, region.as_deref(), BULK_CHECK_MAX));
    let chunks = count(run.chunk_count());
    let run = Rc::new(RefCell::new(run));

    let (client, shared, notify) = (inner.clone(), run.clone(), on_progress.clone());
    let start = move |_: u32| -> JsValue {
        let Some((index, request)) = shared.borrow_mut().take() else {
            return JsValue::UNDEFINED;
        };
        let chunk = ChunkCall {
            call: Call::new(client.config.clone(), request, None, None),
            run: shared.clone(),
            index,
            on_progress: notify.clone(),
        };
        driver::drive(chunk, client.base_url.clone(), &client.io, &signal).into()
    };
    let start = Closure::<dyn FnMut(u32) -> JsValue>::new(start).into_js_value();
    let finish = move |_outcomes: JsValue| -> Result<JsValue, JsValue> {
        let (done, total) = (run.borrow().done(), run.borrow().total());
        progress(
            &on_progress,
            &[("done", count(done)), ("total", count(total))],
        );
        let answer = run.borrow_mut().finish();
        answer
            .and_then(|v| json_to_js(&v))
            .map_err(|e| ThrownError::from(e).into())
    };
    let finish =
        Closure::<dyn FnMut(JsValue) -> Result<JsValue, JsValue>>::new(finish).into_js_value();
    Ok(driver::each(
        chunks,
        concurrency,
        &start,
        &JsValue::UNDEFINED,
        &finish,
    ))
}

/// The pages of `listAllTemplates`, shared by the iterator's calls (one runs at a time).
struct SharedPages(Rc<RefCell<TemplatePages>>);

impl Machine for SharedPages {
    fn step(&mut self, input: Input, now: f64, random: f64) -> Step {
        self.0.borrow_mut().step(input, now, random)
    }

    fn with_request(&self, f: &mut dyn FnMut(&Request)) {
        self.0.borrow().with_request(f)
    }
}

/// Pages of `listAllTemplates`, as an async iterator.
// Declared by hand in the TypeScript section: the generated class would name
// `Symbol.dispose`, which only TypeScript's esnext lib knows.
#[wasm_bindgen(skip_typescript)]
pub struct TemplateIterator {
    inner: Rc<Inner>,
    pages: Rc<RefCell<TemplatePages>>,
    signal: JsValue,
    /// The previous `next()`'s promise: calls are served one after another.
    last: RefCell<JsValue>,
}

impl TemplateIterator {
    /// The iterator over `query`'s pages, as JavaScript sees it.
    pub(super) fn start(inner: &Rc<Inner>, query: TemplateQuery, signal: JsValue) -> JsValue {
        let pages = TemplatePages::new(inner.config.clone(), query);
        let iterator = TemplateIterator {
            inner: inner.clone(),
            pages: Rc::new(RefCell::new(pages)),
            signal,
            last: RefCell::new(JsValue::UNDEFINED),
        };
        let value = JsValue::from(iterator);
        make_async_iterable(&value);
        value
    }
}

#[wasm_bindgen]
impl TemplateIterator {
    /// The next template, fetching the next page when needed.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Template, undefined>>")]
    pub fn next(&self) -> Promise {
        let (inner, pages, signal) = (self.inner.clone(), self.pages.clone(), self.signal.clone());
        let mut once = Some(move || -> Promise {
            let ready = pages.borrow_mut().ready();
            match ready {
                Some(result) => match json_to_js(&result) {
                    Ok(js) => Promise::resolve(&js),
                    Err(err) => rejected(err),
                },
                None => driver::drive(
                    SharedPages(pages),
                    inner.base_url.clone(),
                    &inner.io,
                    &signal,
                ),
            }
        });
        let start = move || -> JsValue { once.take().map_or(JsValue::UNDEFINED, |f| f().into()) };
        let start = Closure::<dyn FnMut() -> JsValue>::new(start).into_js_value();
        let previous = self.last.replace(JsValue::UNDEFINED);
        let promise = driver::after(&previous, &start);
        *self.last.borrow_mut() = promise.clone().into();
        promise
    }

    /// Stops the iteration (`break` in `for await` calls this).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<Template, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.pages.borrow_mut().stop();
        let result = Object::new();
        set(&result, "value", &JsValue::UNDEFINED);
        set(&result, "done", &JsValue::TRUE);
        Promise::resolve(&JsValue::from(result))
    }
}

/// Makes `TemplateIterator` instances async-iterable: `[Symbol.asyncIterator]` must return the
/// iterator itself, which is exactly what `Object.prototype.valueOf` does for an object.
fn make_async_iterable(instance: &JsValue) {
    let Ok(proto) = Reflect::get_prototype_of(instance) else {
        return;
    };
    let key: JsValue = js_sys::Symbol::async_iterator().into();
    if Reflect::has(&proto, &key).unwrap_or(true) {
        return;
    }
    let object_ctor = prop(&js_sys::global().into(), "Object");
    let value_of = prop(&prop(&object_ctor, "prototype"), "valueOf");
    let _ = Reflect::set(&proto, &key, &value_of);
}
