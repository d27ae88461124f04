//! `unsafe_predicate` trees and their three-valued (Kleene) evaluation over asset fields.
//!
//! A field is known, unknown or absent. Absent fields make comparisons false (and `ne`,
//! `not_in` true); unknown fields make every operator unknown except `missing` (true:
//! unknown data counts as missing data) and `present` (false).

use serde::Deserialize;
use serde_json::Value as Json;

use crate::snapshot::FieldValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Missing,
    Present,
    Contains,
    Gt,
    Gte,
    Lt,
    Lte,
    AnyMatch,
    ListEmpty,
}

/// A predicate as written in YAML: `{all: [...]}`, `{any: [...]}` or a condition.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Predicate {
    All {
        all: Vec<Predicate>,
    },
    Any {
        any: Vec<Predicate>,
    },
    Condition {
        field: String,
        op: Op,
        #[serde(default)]
        value: Option<Json>,
    },
}

/// The outcome of a predicate, and the fields that decided it (for a true result, the
/// conditions that held; for unknown, the conditions that could not be decided).
#[derive(Debug, PartialEq)]
pub struct Evaluation<'p> {
    pub truth: Truth,
    pub fields: Vec<&'p str>,
}

impl Predicate {
    /// Every field path the predicate reads.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Predicate::All { all: ps } | Predicate::Any { any: ps } => {
                ps.iter().flat_map(|p| p.fields()).collect()
            }
            Predicate::Condition { field, .. } => vec![field.as_str()],
        }
    }

    /// Checks the shape rules a loader must enforce; returns a message for the first
    /// problem.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Predicate::All { all: ps } | Predicate::Any { any: ps } => {
                if ps.is_empty() {
                    return Err("an `all`/`any` group must not be empty".into());
                }
                ps.iter().try_for_each(Predicate::validate)
            }
            Predicate::Condition { field, op, value } => {
                if field.is_empty() {
                    return Err("a condition needs a `field`".into());
                }
                let needs_value = !matches!(op, Op::Missing | Op::Present | Op::ListEmpty);
                if needs_value && value.is_none() {
                    return Err(format!("`{field}`: operator `{op:?}` needs a `value`"));
                }
                if matches!(op, Op::In | Op::NotIn) && !matches!(value, Some(Json::Array(_))) {
                    return Err(format!("`{field}`: `in`/`not_in` need a list `value`"));
                }
                Ok(())
            }
        }
    }

    /// Evaluates the predicate; `lookup` gives a field's value by path.
    pub fn evaluate<'p>(&'p self, lookup: &dyn Fn(&str) -> FieldValue) -> Evaluation<'p> {
        match self {
            Predicate::Condition { field, op, value } => {
                let truth = condition(*op, &lookup(field), value.as_ref());
                Evaluation {
                    truth,
                    fields: vec![field.as_str()],
                }
            }
            Predicate::All { all } => {
                let results: Vec<Evaluation> = all.iter().map(|p| p.evaluate(lookup)).collect();
                if let Some(f) = results.iter().find(|r| r.truth == Truth::False) {
                    return Evaluation {
                        truth: Truth::False,
                        fields: f.fields.clone(),
                    };
                }
                let unknown: Vec<&str> = results
                    .iter()
                    .filter(|r| r.truth == Truth::Unknown)
                    .flat_map(|r| r.fields.iter().copied())
                    .collect();
                if !unknown.is_empty() {
                    return Evaluation {
                        truth: Truth::Unknown,
                        fields: unknown,
                    };
                }
                Evaluation {
                    truth: Truth::True,
                    fields: results.into_iter().flat_map(|r| r.fields).collect(),
                }
            }
            Predicate::Any { any } => {
                let results: Vec<Evaluation> = any.iter().map(|p| p.evaluate(lookup)).collect();
                if let Some(t) = results.iter().find(|r| r.truth == Truth::True) {
                    return Evaluation {
                        truth: Truth::True,
                        fields: t.fields.clone(),
                    };
                }
                let unknown: Vec<&str> = results
                    .iter()
                    .filter(|r| r.truth == Truth::Unknown)
                    .flat_map(|r| r.fields.iter().copied())
                    .collect();
                if !unknown.is_empty() {
                    return Evaluation {
                        truth: Truth::Unknown,
                        fields: unknown,
                    };
                }
                Evaluation {
                    truth: Truth::False,
                    fields: vec![],
                }
            }
        }
    }
}

fn is_missing(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// JSON equality, with numbers compared by value (1 == 1.0).
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn condition(op: Op, field: &FieldValue, value: Option<&Json>) -> Truth {
    let actual = match field {
        FieldValue::Unknown(_) => {
            return match op {
                Op::Missing => Truth::True,
                Op::Present => Truth::False,
                _ => Truth::Unknown,
            }
        }
        FieldValue::Absent => {
            return Truth::from_bool(matches!(
                op,
                Op::Ne | Op::NotIn | Op::Missing | Op::ListEmpty
            ));
        }
        FieldValue::Known(v) => v,
    };
    let null = Json::Null;
    let expected = value.unwrap_or(&null);
    let in_list = |v: &Json| match expected {
        Json::Array(items) => items.iter().any(|i| json_eq(i, v)),
        _ => false,
    };
    let compare = |f: fn(f64, f64) -> bool| match (actual.as_f64(), expected.as_f64()) {
        (Some(a), Some(b)) => f(a, b),
        _ => false,
    };
    Truth::from_bool(match op {
        Op::Eq => json_eq(actual, expected),
        Op::Ne => !json_eq(actual, expected),
        Op::In => in_list(actual),
        Op::NotIn => !in_list(actual),
        Op::Missing => is_missing(actual),
        Op::Present => !is_missing(actual),
        Op::Contains => match (actual, expected) {
            (Json::String(s), Json::String(sub)) => s.contains(sub.as_str()),
            (Json::Array(items), v) => items.iter().any(|i| json_eq(i, v)),
            _ => false,
        },
        Op::Gt => compare(|a, b| a > b),
        Op::Gte => compare(|a, b| a >= b),
        Op::Lt => compare(|a, b| a < b),
        Op::Lte => compare(|a, b| a <= b),
        Op::AnyMatch => match actual {
            // Any element equal to the value, or (for a list value) equal to one of them.
            Json::Array(items) => items.iter().any(|i| match expected {
                Json::Array(_) => in_list(i),
                v => json_eq(i, v),
            }),
            _ => false,
        },
        Op::ListEmpty => {
            let empty = matches!(actual, Json::Array(a) if a.is_empty()) || actual.is_null();
            // `value: false` asks for a non-empty list.
            if expected == &Json::Bool(false) {
                !empty
            } else {
                empty
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use Truth::*;

    fn known(v: Json) -> FieldValue {
        FieldValue::Known(v)
    }

    fn unknown() -> FieldValue {
        FieldValue::Unknown("why".into())
    }

    #[test]
    fn operators_on_known_absent_and_unknown_fields() {
        let v = |x: Json| Some(x);
        // (op, field, value, expected)
        let table: Vec<(Op, FieldValue, Option<Json>, Truth)> = vec![
            (Op::Eq, known(json!(true)), v(json!(true)), True),
            (Op::Eq, known(json!(false)), v(json!(true)), False),
            (Op::Eq, known(json!(1)), v(json!(1.0)), True),
            (Op::Eq, FieldValue::Absent, v(json!(true)), False),
            (Op::Eq, unknown(), v(json!(true)), Unknown),
            (Op::Ne, known(json!("A")), v(json!("B")), True),
            (Op::Ne, FieldValue::Absent, v(json!("B")), True),
            (Op::Ne, unknown(), v(json!("B")), Unknown),
            (Op::In, known(json!("A")), v(json!(["A", "B"])), True),
            (Op::In, known(json!("C")), v(json!(["A", "B"])), False),
            (Op::In, FieldValue::Absent, v(json!(["A"])), False),
            (
                Op::NotIn,
                known(json!("MUTABLE")),
                v(json!(["IMMUTABLE"])),
                True,
            ),
            (
                Op::NotIn,
                known(json!("IMMUTABLE")),
                v(json!(["IMMUTABLE"])),
                False,
            ),
            (Op::NotIn, FieldValue::Absent, v(json!(["IMMUTABLE"])), True),
            (Op::NotIn, unknown(), v(json!(["IMMUTABLE"])), Unknown),
            (Op::Missing, known(json!(null)), None, True),
            (Op::Missing, known(json!("")), None, True),
            (Op::Missing, known(json!([])), None, True),
            (Op::Missing, known(json!({})), None, True),
            (Op::Missing, known(json!(false)), None, False),
            (Op::Missing, FieldValue::Absent, None, True),
            (Op::Missing, unknown(), None, True),
            (Op::Present, known(json!(false)), None, True),
            (Op::Present, unknown(), None, False),
            (Op::Present, FieldValue::Absent, None, False),
            (Op::Contains, known(json!("abc")), v(json!("b")), True),
            (Op::Contains, known(json!(["a", "b"])), v(json!("b")), True),
            (Op::Contains, known(json!(["a"])), v(json!("b")), False),
            (Op::Contains, unknown(), v(json!("b")), Unknown),
            (Op::Gt, known(json!(31)), v(json!(30)), True),
            (Op::Gt, known(json!(30)), v(json!(30)), False),
            (Op::Gte, known(json!(30)), v(json!(30)), True),
            (Op::Lt, known(json!(1)), v(json!(2)), True),
            (Op::Lte, known(json!(3)), v(json!(2)), False),
            (Op::Gt, FieldValue::Absent, v(json!(2)), False),
            (Op::Gt, known(json!("x")), v(json!(2)), False),
            (Op::AnyMatch, known(json!(["a", "b"])), v(json!("b")), True),
            (
                Op::AnyMatch,
                known(json!(["a", "b"])),
                v(json!(["c", "a"])),
                True,
            ),
            (Op::AnyMatch, known(json!(["a"])), v(json!("z")), False),
            (Op::AnyMatch, unknown(), v(json!("z")), Unknown),
            (Op::ListEmpty, known(json!([])), None, True),
            (Op::ListEmpty, known(json!([1])), None, False),
            (Op::ListEmpty, known(json!([1])), v(json!(false)), True),
            (Op::ListEmpty, FieldValue::Absent, None, True),
            (Op::ListEmpty, unknown(), None, Unknown),
        ];
        for (op, field, value, expected) in table {
            assert_eq!(
                condition(op, &field, value.as_ref()),
                expected,
                "{op:?} {field:?} {value:?}"
            );
        }
    }

    /// `name eq true`, where `lookup_for` makes field "t" true, "f" false, others unknown.
    fn leaf(name: &str) -> Predicate {
        Predicate::Condition {
            field: name.into(),
            op: Op::Eq,
            value: Some(json!(true)),
        }
    }

    fn lookup_for(name: &str) -> FieldValue {
        match name {
            "t" => known(json!(true)),
            "f" => known(json!(false)),
            _ => unknown(),
        }
    }

    #[test]
    fn kleene_truth_tables_for_all_and_any() {
        let name = |t: Truth| match t {
            True => "t",
            False => "f",
            Unknown => "u",
        };
        let values = [True, False, Unknown];
        for a in values {
            for b in values {
                let all = Predicate::All {
                    all: vec![leaf(name(a)), leaf(name(b))],
                };
                let any = Predicate::Any {
                    any: vec![leaf(name(a)), leaf(name(b))],
                };
                let expected_all = match (a, b) {
                    (False, _) | (_, False) => False,
                    (True, True) => True,
                    _ => Unknown,
                };
                let expected_any = match (a, b) {
                    (True, _) | (_, True) => True,
                    (False, False) => False,
                    _ => Unknown,
                };
                assert_eq!(
                    all.evaluate(&lookup_for).truth,
                    expected_all,
                    "all({a:?}, {b:?})"
                );
                assert_eq!(
                    any.evaluate(&lookup_for).truth,
                    expected_any,
                    "any({a:?}, {b:?})"
                );
            }
        }
    }

    #[test]
    fn nested_groups_and_deciding_fields() {
        let p: Predicate = serde_yaml_ng::from_str(
            "all:\n  - field: t\n    op: eq\n    value: true\n  - any:\n      - field: u\n        op: eq\n        value: true\n      - field: f\n        op: eq\n        value: true\n",
        )
        .unwrap();
        let e = p.evaluate(&lookup_for);
        assert_eq!(e.truth, Unknown);
        assert_eq!(e.fields, vec!["u"]);
    }

    #[test]
    fn validation_rejects_bad_shapes() {
        let p: Predicate = serde_yaml_ng::from_str("field: x\nop: eq\n").unwrap();
        assert!(p.validate().is_err());
        let p: Predicate = serde_yaml_ng::from_str("field: x\nop: in\nvalue: a\n").unwrap();
        assert!(p.validate().is_err());
        let p: Predicate = serde_yaml_ng::from_str("all: []\n").unwrap();
        assert!(p.validate().is_err());
        assert!(
            serde_yaml_ng::from_str::<Predicate>("field: x\nop: resembles\nvalue: 1\n").is_err()
        );
    }
}
