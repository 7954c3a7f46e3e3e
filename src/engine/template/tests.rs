//! The definition check and the parameter check read variables alike.

use crate::engine::json::{parse, Value};
use crate::engine::message::validate_message;
use crate::engine::template::validate_definition;

/// `{{…}}` spellings, and whether Meta takes each as a named variable.
const CASES: [(&str, bool); 9] = [
    ("first_name", true),
    (" first_name ", true),
    ("order_2", true),
    ("x", true),
    ("First_Name", false),
    ("firstName", false),
    ("FIRST", false),
    ("first-name", false),
    ("first name", false),
];

fn definition(var: &str) -> Value {
    let text = format!("Hi {{{{{var}}}}}");
    Value::object([
        ("name", Value::from("greeting")),
        ("category", Value::from("UTILITY")),
        ("language", Value::from("en")),
        ("status", Value::from("APPROVED")),
        ("parameter_format", Value::from("NAMED")),
        (
            "components",
            Value::Array(vec![Value::object([
                ("type", Value::from("BODY")),
                ("text", Value::from(text.as_str())),
            ])]),
        ),
    ])
}

fn message(params: &str) -> Value {
    parse(&format!(
        r#"{{"to":"233244000000","type":"template","template":{{"name":"greeting","language":"en"{params}}}}}"#
    ))
    .unwrap()
}

#[test]
fn both_checks_take_a_named_variable_by_metas_rule() {
    for (var, named) in CASES {
        let def = definition(var);
        // The definition check accepts exactly the valid names…
        let checked = validate_definition(&def);
        assert_eq!(
            checked.is_ok(),
            named,
            "definition with {{{{{var}}}}}: {checked:?}"
        );
        // …and the parameter check counts exactly those as variables the message must fill.
        let bare = validate_message(&message(""), Some(&def));
        if named {
            let err = bare.unwrap_err();
            assert_eq!(err.code(), "INVALID_TEMPLATE", "{var}");
            assert_eq!(err.issues()[0].code, "MISSING_COMPONENT", "{var}");
            let filled = message(&format!(
                r#","components":[{{"type":"body","parameters":[{{"type":"text","parameter_name":"{}","text":"Ama"}}]}}]"#,
                var.trim()
            ));
            assert!(validate_message(&filled, Some(&def)).is_ok(), "{var}");
        } else {
            assert!(bare.is_ok(), "{{{{{var}}}}} is not a variable: {bare:?}");
        }
    }
}
