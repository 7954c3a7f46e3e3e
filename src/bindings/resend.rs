//! `planResend`: reads `state` and `now`, asks [`engine::client::resend`](crate::engine::client::resend),
//! and gives the plan back as a plain object.

use js_sys::{Date, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{invalid_argument, prop};
use super::error::set;
use super::error::ThrownError;
use crate::engine::client::resend::{self, Plan, State, Time};
use crate::engine::Error;

#[wasm_bindgen(typescript_custom_section)]
const RESEND_TYPES: &'static str = r#"
/** What is known of a message, for `planResend`. */
export interface ResendState {
  /** The status from `status()` or a webhook event; only `"failed"` is resent. */
  status: "pending" | "sent" | "delivered" | "read" | "failed" | "deleted" | (string & {});
  /** The failure's code from `status()` or the `message.failed` event (`WA003`, …). */
  errorCode?: string | null;
  /** Resends already made (0 by default): a whole number. */
  attempts?: number | null;
  /** When the original message was sent: ms since the epoch, an ISO 8601 string or a `Date`. Resends end 48 h later. */
  sentAt?: number | string | Date | null;
  /** When it failed (the schedule counts from here; from `now` when absent): ms, ISO 8601 or a `Date`. */
  failedAt?: number | string | Date | null;
}

/** Why `planResend` says not to resend. */
export type ResendStopReason = "NOT_FAILED" | "WINDOW_CLOSED" | "MEDIA" | "NOT_RESENDABLE" | "LIMIT" | "EXPIRED";

/** Resend at `at` (ms since the epoch, never before `now`); this is resend number `attempt` (1–5). */
export interface ResendPlanResend { action: "resend"; at: number; attempt: number }

/**
 * Do not resend. `NOT_FAILED`: the status is not `failed`; `WINDOW_CLOSED` (WA003): send an approved
 * template instead; `MEDIA` (WA004): make the link public HTTPS, then send anew; `NOT_RESENDABLE`
 * (WA001, WA002, WA006): resending cannot help; `LIMIT`: 5 resends made; `EXPIRED`: the resend would
 * fall more than 48 h after `sentAt`.
 */
export interface ResendPlanStop { action: "stop"; reason: ResendStopReason }

export type ResendPlan = ResendPlanResend | ResendPlanStop;
"#;

/// Whether and when to resend a failed message, by Sendexa's rules: at most 5 resends within
/// 48 hours of `sentAt`, at `failedAt` + 1 m, 5 m, 15 m, 30 m, 1 h. Returns
/// `{ action: "resend", at, attempt }` or `{ action: "stop", reason }`. `now` (ms)
/// defaults to the clock. Throws `INVALID_ARGUMENT` for a `state` that is not an object, has an
/// unknown key, a non-string status, a negative or fractional `attempts`, or a time that cannot
/// be read.
#[wasm_bindgen(js_name = planResend, unchecked_return_type = "ResendPlan")]
pub fn plan_resend(
    #[wasm_bindgen(unchecked_param_type = "ResendState")] state: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | null")] now: JsValue,
) -> Result<JsValue, ThrownError> {
    let state = state_from_js(&state)?;
    // A `now` that is not a number is NaN, which the core refuses.
    let now = if is_absent(&now) {
        Date::now()
    } else {
        now.as_f64().unwrap_or(f64::NAN)
    };
    Ok(plan_to_js(resend::plan(&state, now)?))
}

fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

fn state_from_js(state: &JsValue) -> Result<State, Error> {
    let Some(object) = state.dyn_ref::<Object>().filter(|_| state.is_object()) else {
        return Err(invalid_argument(
            "planResend(state) takes an object: { status, errorCode?, attempts?, sentAt?, failedAt? }",
        ));
    };
    let keys = super::objects::own_keys(object).map_err(|_| {
        invalid_argument("planResend(state) could not read its state: listing its keys threw")
    })?;
    resend::check_state_keys(keys.iter())?;
    // A status that is not a string, or attempts that are not a number, cross as values the
    // core refuses with the message that names them (empty, NaN).
    let status = prop(state, "status").as_string().unwrap_or_default();
    let error_code = match prop(state, "errorCode") {
        v if is_absent(&v) => None,
        v => Some(
            v.as_string()
                .ok_or_else(|| invalid_argument("state.errorCode must be a string"))?,
        ),
    };
    let attempts = match prop(state, "attempts") {
        v if is_absent(&v) => None,
        v => Some(v.as_f64().unwrap_or(f64::NAN)),
    };
    Ok(State {
        status,
        error_code,
        attempts,
        sent_at: time_from_js(&prop(state, "sentAt"), "sentAt")?,
        failed_at: time_from_js(&prop(state, "failedAt"), "failedAt")?,
    })
}

/// A time given as ms, text or a `Date` (an invalid `Date` gives NaN, which the core refuses).
fn time_from_js(value: &JsValue, name: &str) -> Result<Option<Time>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    if let Some(ms) = value.as_f64() {
        return Ok(Some(Time::Ms(ms)));
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(Time::Text(text)));
    }
    if let Some(date) = value.dyn_ref::<Date>() {
        return Ok(Some(Time::Ms(date.get_time())));
    }
    Err(invalid_argument(format!(
        "state.{name} must be a time: ms, an ISO 8601 string or a Date"
    )))
}

fn plan_to_js(plan: Plan) -> JsValue {
    let obj = Object::new();
    match plan {
        Plan::Resend { at, attempt } => {
            set(&obj, "action", &JsValue::from_str("resend"));
            set(&obj, "at", &JsValue::from_f64(at));
            set(&obj, "attempt", &JsValue::from_f64(f64::from(attempt)));
        }
        Plan::Stop(reason) => {
            set(&obj, "action", &JsValue::from_str("stop"));
            set(&obj, "reason", &JsValue::from_str(reason.as_str()));
        }
    }
    obj.into()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use js_sys::{Reflect, JSON};
    use wasm_bindgen_test::*;

    fn js(source: &str) -> JsValue {
        js_sys::Function::new_no_args(&format!("return ({source})"))
            .call0(&JsValue::UNDEFINED)
            .unwrap()
    }

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The plan as JSON text, for whole-object comparisons.
    fn planned(state: &str, now: JsValue) -> String {
        let plan = plan_resend(js(state), now).unwrap_or_else(|e| {
            let e: JsValue = e.into();
            panic!("{state}: threw {:?}", get(&e, "message"))
        });
        JSON::stringify(&plan).unwrap().as_string().unwrap()
    }

    fn refusal(state: &str, now: JsValue) -> String {
        match plan_resend(js(state), now) {
            Ok(v) => panic!("{state}: expected a throw, got {v:?}"),
            Err(e) => {
                let e: JsValue = e.into();
                assert_eq!(get(&e, "code"), "INVALID_ARGUMENT", "{state}");
                assert_eq!(get(&e, "name"), "SendexaError");
                get(&e, "message").as_string().unwrap()
            }
        }
    }

    #[wasm_bindgen_test]
    fn plans_a_resend_on_the_schedule() {
        let now = JsValue::from_f64(1_705_314_660_000.0);
        assert_eq!(
            planned(
                r#"{ status: "failed", errorCode: "WA005", attempts: 1, sentAt: "2024-01-15T10:30:00Z", failedAt: 1705314660000 }"#,
                now.clone()
            ),
            r#"{"action":"resend","at":1705314960000,"attempt":2}"#
        );
        // A Date, nulls for absent fields, and no attempts.
        assert_eq!(
            planned(
                r#"{ status: "failed", errorCode: null, attempts: undefined, sentAt: null, failedAt: new Date(1705314660000) }"#,
                now.clone()
            ),
            r#"{"action":"resend","at":1705314720000,"attempt":1}"#
        );
    }

    #[wasm_bindgen_test]
    fn now_defaults_to_the_clock() {
        let before = Date::now();
        let plan = plan_resend(js(r#"{ status: "failed" }"#), JsValue::UNDEFINED)
            .map_err(JsValue::from)
            .unwrap();
        let at = get(&plan, "at").as_f64().unwrap();
        assert!(
            at >= before + 60_000.0 && at <= Date::now() + 60_000.0,
            "{at}"
        );
        assert_eq!(get(&plan, "attempt"), 1.0);
        // null is the clock too.
        assert!(plan_resend(js(r#"{ status: "failed" }"#), JsValue::NULL).is_ok());
    }

    #[wasm_bindgen_test]
    fn stops_with_every_reason() {
        let now = JsValue::from_f64(1_705_314_660_000.0);
        for (state, reason) in [
            (r#"{ status: "delivered" }"#, "NOT_FAILED"),
            (
                r#"{ status: "failed", errorCode: "WA003" }"#,
                "WINDOW_CLOSED",
            ),
            (r#"{ status: "failed", errorCode: "WA004" }"#, "MEDIA"),
            (
                r#"{ status: "failed", errorCode: "WA002" }"#,
                "NOT_RESENDABLE",
            ),
            (r#"{ status: "failed", attempts: 5 }"#, "LIMIT"),
            (
                r#"{ status: "failed", sentAt: "2024-01-13T10:30:00Z", failedAt: "2024-01-15T10:00:00Z" }"#,
                "EXPIRED",
            ),
        ] {
            let plan = plan_resend(js(state), now.clone())
                .map_err(JsValue::from)
                .unwrap();
            assert_eq!(get(&plan, "action"), "stop", "{state}");
            assert_eq!(get(&plan, "reason"), reason, "{state}");
            assert!(get(&plan, "at").is_undefined());
        }
    }

    #[wasm_bindgen_test]
    fn bad_input_throws_invalid_argument() {
        let now = JsValue::from_f64(0.0);
        assert!(refusal("undefined", now.clone()).contains("takes an object"));
        assert!(refusal(r#""failed""#, now.clone()).contains("takes an object"));
        assert!(refusal("{}", now.clone()).contains("state.status must be"));
        assert!(refusal("{ status: 3 }", now.clone()).contains("state.status must be"));
        assert!(
            refusal(r#"{ status: "failed", errorCode: 3 }"#, now.clone())
                .contains("state.errorCode")
        );
        assert!(
            refusal(r#"{ status: "failed", attempts: -1 }"#, now.clone())
                .contains("state.attempts")
        );
        assert!(
            refusal(r#"{ status: "failed", attempts: 1.5 }"#, now.clone())
                .contains("state.attempts")
        );
        assert!(
            refusal(r#"{ status: "failed", attempts: "2" }"#, now.clone())
                .contains("state.attempts")
        );
        assert!(
            refusal(r#"{ status: "failed", attempts: NaN }"#, now.clone())
                .contains("state.attempts")
        );
        assert!(
            refusal(r#"{ status: "failed", sentAt: "last week" }"#, now.clone())
                .contains("state.sentAt")
        );
        assert!(refusal(
            r#"{ status: "failed", failedAt: new Date("x") }"#,
            now.clone()
        )
        .contains("state.failedAt"));
        assert!(
            refusal(r#"{ status: "failed", failedAt: {} }"#, now.clone())
                .contains("state.failedAt")
        );
        assert!(
            refusal(r#"{ status: "failed", error_code: "WA003" }"#, now.clone())
                .contains(r#"unknown option "error_code" (did you mean "errorCode"?); planResend(state) takes status, errorCode"#)
        );
        assert!(
            refusal(r#"{ status: "failed" }"#, JsValue::from_str("now")).contains("now must be")
        );
        assert!(
            refusal(r#"{ status: "failed" }"#, JsValue::from_f64(f64::NAN)).contains("now must be")
        );
    }
}
