//! `checkNumbers` for any count: numbers normalised once, duplicates checked once, chunks of at
//! most 1,000 (the bulk-check limit), and one answer per input, in input order.
//!
//! Inputs that are not phone numbers never reach the API (a single bad entry makes the API
//! refuse the whole chunk with `WA001`): they come back as `{ valid: false, isWhatsApp: false,
//! error }`.
//!
//! ```
//! use sendexa_whatsapp::engine::client::bulk::CheckPlan;
//! use sendexa_whatsapp::engine::json::Value;
//!
//! let inputs: Vec<Value> = ["+233 24 400 0000", "233244000000", "nope"].iter().map(|s| Value::from(*s)).collect();
//! let plan = CheckPlan::new(&inputs, None, 1000);
//! assert_eq!(plan.chunks, vec![vec!["233244000000".to_string()]]);
//! ```

use std::collections::HashMap;

use crate::engine::json::Value;
use crate::engine::{phone, Error};

use super::endpoint::{Request, BULK_CHECK_MAX};

/// One input and what normalising it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The input, as given (strings) or as JSON text.
    pub input: Value,
    /// Its digits, or why it is not a phone number: `(code, reason, message)`.
    pub digits: Result<String, (String, String)>,
}

/// The work of a bulk check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckPlan {
    /// One per input, in order.
    pub entries: Vec<Entry>,
    /// Distinct valid numbers, in first-seen order, at most `chunk` per request.
    pub chunks: Vec<Vec<String>>,
}

impl CheckPlan {
    /// Normalises `inputs` (with `region` for national forms) and splits the distinct valid
    /// numbers into chunks of at most `chunk` (capped at 1,000).
    pub fn new(inputs: &[Value], region: Option<&str>, chunk: usize) -> Self {
        let chunk = chunk.clamp(1, BULK_CHECK_MAX);
        let mut seen: HashMap<String, ()> = HashMap::new();
        let mut distinct: Vec<String> = Vec::new();
        let entries = inputs
            .iter()
            .map(|input| {
                let digits = match input.as_str() {
                    Some(text) => phone::normalize(text, region)
                        .map_err(|e| (e.reason.as_str().to_string(), e.message.clone())),
                    None => Err((
                        "NOT_A_NUMBER".to_string(),
                        format!("expected a phone number string, not {}", input.type_name()),
                    )),
                };
                if let Ok(d) = &digits {
                    if seen.insert(d.clone(), ()).is_none() {
                        distinct.push(d.clone());
                    }
                }
                Entry {
                    input: input.clone(),
                    digits,
                }
            })
            .collect();
        let chunks = distinct.chunks(chunk).map(<[String]>::to_vec).collect();
        CheckPlan { entries, chunks }
    }

    /// How many inputs a set of chunks answers (all inputs whose number is in them).
    pub fn inputs_in(&self, numbers: &[String]) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(&e.digits, Ok(d) if numbers.contains(d)))
            .count()
    }

    /// How many inputs were not phone numbers (answered without a request).
    pub fn invalid_count(&self) -> usize {
        self.entries.iter().filter(|e| e.digits.is_err()).count()
    }

    /// The final answer from the API's per-number results (`{ phone, isWhatsApp, type?, … }`,
    /// as `response` shapes them): `{ results, total, registered, notRegistered, invalid }`.
    /// A number the API left out of its answer is reported `isWhatsApp: false` with an error.
    pub fn merge(&self, answers: &[Value]) -> Value {
        let by_phone: HashMap<&str, &Value> = answers
            .iter()
            .filter_map(|a| Some((a.get("phone")?.as_str()?, a)))
            .collect();
        let mut registered = 0u64;
        let mut invalid = 0u64;
        let results: Vec<Value> = self
            .entries
            .iter()
            .map(|entry| {
                let mut members: Vec<(String, Value)> = vec![("input".into(), entry.input.clone())];
                match &entry.digits {
                    Ok(d) => {
                        members.push(("phone".into(), Value::from(d.as_str())));
                        members.push(("valid".into(), Value::Bool(true)));
                        match by_phone.get(d.as_str()) {
                            Some(answer) => {
                                let yes =
                                    answer.get("isWhatsApp").and_then(Value::as_bool) == Some(true);
                                registered = registered.saturating_add(u64::from(yes));
                                members.push(("isWhatsApp".into(), Value::Bool(yes)));
                                for key in ["type", "displayName"] {
                                    if let Some(v) = answer.get(key) {
                                        members.push((key.into(), v.clone()));
                                    }
                                }
                            }
                            None => {
                                members.push(("isWhatsApp".into(), Value::Bool(false)));
                                members.push((
                                    "error".into(),
                                    error(
                                        "MISSING",
                                        "the API's answer did not include this number",
                                    ),
                                ));
                            }
                        }
                    }
                    Err((reason, message)) => {
                        invalid = invalid.saturating_add(1);
                        members.push(("valid".into(), Value::Bool(false)));
                        members.push(("isWhatsApp".into(), Value::Bool(false)));
                        members.push(("error".into(), error_with_reason("WA001", reason, message)));
                    }
                }
                Value::Object(members)
            })
            .collect();
        let total = results.len() as u64;
        Value::object([
            ("results", Value::Array(results)),
            ("total", Value::from(total)),
            ("registered", Value::from(registered)),
            (
                "notRegistered",
                Value::from(total.saturating_sub(registered)),
            ),
            ("invalid", Value::from(invalid)),
        ])
    }
}

/// The answers of a group of bulk-check requests run at once, in chunk order, from the slots
/// each request fills when it ends. The first failed request, in chunk order, fails the group.
///
/// Every request fills its slot before the group is awaited to its end, so an empty slot is a
/// fault in the SDK: [`Error::Internal`], never an answer silently missing.
pub fn chunk_answers(slots: Vec<Option<Result<Value, Error>>>) -> Result<Vec<Value>, Error> {
    let mut answers = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Some(Ok(answer)) => answers.push(answer),
            Some(Err(err)) => return Err(err),
            None => {
                return Err(Error::Internal {
                    message: "a bulk-check request ended without a result".into(),
                })
            }
        }
    }
    Ok(answers)
}

/// A bulk check in progress: which chunk goes next, and the answers so far. Chunks go out in
/// order, any number at once; after a failed one no further chunk goes, and [`CheckRun::finish`]
/// gives the first failure in chunk order.
pub struct CheckRun {
    plan: CheckPlan,
    slots: Vec<Option<Result<Value, Error>>>,
    next: usize,
    failed: bool,
    /// Inputs answered so far (those that were not numbers count from the start).
    done: usize,
}

impl CheckRun {
    /// The run of `plan`.
    pub fn new(plan: CheckPlan) -> Self {
        let done = plan.invalid_count();
        CheckRun {
            slots: vec![None; plan.chunks.len()],
            plan,
            next: 0,
            failed: false,
            done,
        }
    }

    /// The next chunk's index and request, or `None` when none is left (or one failed).
    pub fn take(&mut self) -> Option<(usize, Request)> {
        if self.failed {
            return None;
        }
        let chunk = self.plan.chunks.get(self.next)?;
        let index = self.next;
        self.next = self.next.saturating_add(1);
        Some((index, super::endpoint::bulk_check(chunk)))
    }

    /// Records chunk `index`'s outcome; after a success, the number of inputs answered so far
    /// when some are still to come (for `onProgress`).
    pub fn record(&mut self, index: usize, result: Result<Value, Error>) -> Option<usize> {
        let ok = result.is_ok();
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Some(result);
        }
        if !ok {
            self.failed = true;
            return None;
        }
        let answered = self
            .plan
            .chunks
            .get(index)
            .map_or(0, |c| self.plan.inputs_in(c));
        self.done = self.done.saturating_add(answered);
        (self.done < self.total()).then_some(self.done)
    }

    /// The number of inputs.
    pub fn total(&self) -> usize {
        self.plan.entries.len()
    }

    /// Inputs answered so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// The chunks to run (for the pool's size).
    pub fn chunk_count(&self) -> usize {
        self.plan.chunks.len()
    }

    /// The whole answer, once every chunk taken has been recorded: one entry per input, in input
    /// order, and the raw answers in `raw`.
    pub fn finish(&mut self) -> Result<Value, Error> {
        let slots = std::mem::take(&mut self.slots);
        let mut answers: Vec<Value> = Vec::new();
        let mut raws: Vec<Value> = Vec::new();
        for value in chunk_answers(slots)? {
            if let Some(list) = value.get("results").and_then(Value::as_array) {
                answers.extend(list.iter().cloned());
            }
            raws.push(value.get("raw").cloned().unwrap_or(Value::Null));
        }
        let mut out = self.plan.merge(&answers);
        out.set("raw", Value::Array(raws));
        Ok(out)
    }
}

fn error(code: &str, message: &str) -> Value {
    Value::object([
        ("code", Value::from(code)),
        ("message", Value::from(message)),
    ])
}

fn error_with_reason(code: &str, reason: &str, message: &str) -> Value {
    Value::object([
        ("code", Value::from(code)),
        ("reason", Value::from(reason)),
        ("message", Value::from(message)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    #[test]
    fn chunk_answers_keep_order_and_an_empty_slot_is_internal() {
        let answers = chunk_answers(vec![Some(Ok(s("a"))), Some(Ok(s("b")))]);
        assert_eq!(answers, Ok(vec![s("a"), s("b")]));
        let failed = Error::Timeout {
            message: "slow".into(),
        };
        let first_failure = chunk_answers(vec![Some(Ok(s("a"))), Some(Err(failed.clone())), None]);
        assert_eq!(first_failure, Err(failed));
        let err = chunk_answers(vec![Some(Ok(s("a"))), None]).unwrap_err();
        assert_eq!(err.code(), "INTERNAL");
        assert!(err.to_string().contains("without a result"), "{err}");
    }

    #[test]
    fn inputs_are_normalised_deduplicated_and_chunked() {
        let inputs: Vec<Value> = (0..2500)
            .map(|i| s(&format!("+23324{:07}", i % 2100)))
            .collect();
        let plan = CheckPlan::new(&inputs, None, 1000);
        assert_eq!(plan.entries.len(), 2500);
        assert_eq!(
            plan.chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![1000, 1000, 100]
        );
        assert_eq!(plan.inputs_in(&plan.chunks[2]), 100);
        // Duplicates 2100..2499 map onto 0..399, which are in the first chunk.
        assert_eq!(plan.inputs_in(&plan.chunks[0]), 1400);
        assert_eq!(CheckPlan::new(&inputs, None, 5000).chunks.len(), 3);
        assert_eq!(CheckPlan::new(&inputs, None, 0).chunks[0].len(), 1);
    }

    #[test]
    fn merge_answers_every_input_in_order() {
        let inputs = vec![
            s("024 400 0000"),
            s("bad"),
            Value::from(5u64),
            s("+233 24 400 0000"),
            s("233500000005"),
        ];
        let plan = CheckPlan::new(&inputs, Some("GH"), 1000);
        assert_eq!(plan.invalid_count(), 2);
        let answers = vec![crate::engine::json::parse(
            r#"{"phone":"233244000000","isWhatsApp":true,"type":"individual"}"#,
        )
        .unwrap()];
        let out = plan.merge(&answers);
        let results = out.get("results").and_then(Value::as_array).unwrap();
        assert_eq!(results.len(), 5);
        assert_eq!(results[0].get("isWhatsApp"), Some(&Value::Bool(true)));
        assert_eq!(results[0].get("input"), Some(&s("024 400 0000")));
        assert_eq!(results[1].get("valid"), Some(&Value::Bool(false)));
        assert_eq!(
            results[1].get("error").and_then(|e| e.get("code")),
            Some(&s("WA001"))
        );
        assert_eq!(
            results[2].get("error").and_then(|e| e.get("reason")),
            Some(&s("NOT_A_NUMBER"))
        );
        assert_eq!(results[3].get("type"), Some(&s("individual")));
        assert_eq!(
            results[4].get("error").and_then(|e| e.get("code")),
            Some(&s("MISSING"))
        );
        assert_eq!(out.get("registered").and_then(Value::as_u64), Some(2));
        assert_eq!(out.get("notRegistered").and_then(Value::as_u64), Some(3));
        assert_eq!(out.get("invalid").and_then(Value::as_u64), Some(2));
    }
}
