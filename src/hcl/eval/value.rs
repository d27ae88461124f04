//! Terraform values as the evaluator sees them, including unknown values that say why.
//!
//! An unknown value is not an error: it is what Terraform calls "known after apply" or what
//! a linter cannot know statically (an unset variable, a data source). It carries a reason
//! a user can act on, the span that produced it, and — when it stands for an attribute of a
//! resource instance — that instance's address, so links survive unknown names.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::source::Span;

/// Where an unknown value comes from when it is an attribute of a resource or data source.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// Full instance address, module path and key included: `module.a.aws_kms_key.k[0]`.
    pub address: String,
    /// The attribute read from it: `arn`, `name`, `account_id`.
    pub attribute: String,
    /// True for values known to belong to the caller's own account
    /// (`data.aws_caller_identity.*`): a principal built from it is never a wildcard.
    pub own_account: bool,
}

/// A value that cannot be known statically.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub reason: String,
    pub span: Option<Span>,
    pub origin: Option<Origin>,
    /// For JSON text that is unknown only because parts of it are (`jsonencode` of a value
    /// with apply-time parts, a policy document data source's `json`): the document as a
    /// value in which only those parts are unknown, so it can still be analysed.
    pub document: Option<Box<Value>>,
}

/// A resource or data source instance seen from an expression (`aws_ecr_repository.x`).
/// Attributes not written in the configuration are computed by the provider: reading them
/// gives an unknown value whose origin is this instance.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceValue {
    pub address: String,
    pub resource_type: String,
    pub attrs: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, tuples and sets (sets are kept sorted and de-duplicated by `toset`).
    List(Arc<Vec<Value>>),
    /// Maps and objects.
    Map(Arc<BTreeMap<String, Value>>),
    Resource(Arc<ResourceValue>),
    Unknown(Arc<Unknown>),
}

impl Value {
    pub fn unknown(reason: impl Into<String>, span: Option<Span>) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            span,
            origin: None,
            document: None,
        }))
    }

    pub fn unknown_from(reason: impl Into<String>, span: Option<Span>, origin: Origin) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            span,
            origin: Some(origin),
            document: None,
        }))
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Arc::new(entries))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        self.first_unknown().is_none()
    }

    /// The first unknown value inside this one (depth first, in key order).
    pub fn first_unknown(&self) -> Option<&Value> {
        match self {
            Value::Unknown(_) => Some(self),
            Value::List(items) => items.iter().find_map(Value::first_unknown),
            Value::Map(m) => m.values().find_map(Value::first_unknown),
            Value::Resource(r) => r.attrs.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// The Terraform type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Resource(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// A string, with Terraform's automatic conversion from numbers and bools.
    pub fn as_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
            Value::Number(n) => Some(std::borrow::Cow::Owned(format_number(*n))),
            Value::Bool(b) => Some(std::borrow::Cow::Owned(b.to_string())),
            _ => None,
        }
    }

    /// A bool, with Terraform's automatic conversion from "true"/"false".
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// A number, with Terraform's automatic conversion from numeric strings.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The attributes of a map, object or resource instance.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            Value::Resource(r) => Some(&r.attrs),
            _ => None,
        }
    }

    /// Reads attribute `name`, as `value.name` does in Terraform. `None` when this value has
    /// no such attribute (the caller decides whether that is an error or an unknown).
    pub fn get_attr(&self, name: &str, span: Option<Span>) -> Option<Value> {
        match self {
            Value::Map(m) => m.get(name).cloned(),
            Value::Resource(r) => Some(match r.attrs.get(name) {
                Some(v) => v.clone(),
                None => Value::unknown_from(
                    format!("`{}.{name}` is known only after apply", r.address),
                    span,
                    Origin {
                        address: r.address.clone(),
                        attribute: name.to_string(),
                        own_account: r.resource_type == "aws_caller_identity",
                    },
                ),
            }),
            Value::Unknown(u) => Some(Value::Unknown(u.clone())),
            _ => None,
        }
    }

    /// Converts to JSON, as `jsonencode` does. Fails with the first unknown value inside.
    pub fn to_json(&self) -> Result<serde_json::Value, Value> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(
                items.iter().map(Value::to_json).collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_json()?)))
                    .collect::<Result<_, Value>>()?,
            ),
            Value::Resource(r) => serde_json::Value::Object(
                r.attrs
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_json()?)))
                    .collect::<Result<_, Value>>()?,
            ),
            Value::Unknown(_) => return Err(self.clone()),
        })
    }

    /// Converts from JSON, as `jsondecode` does.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::list(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(m) => Value::map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Numbers print as Terraform prints them: integers without a fractional part.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

impl fmt::Display for Value {
    /// Terraform-like rendering, for messages and evidence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(_) | Value::Resource(_) => {
                let m = self.as_map().expect("map-like");
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown(_) => f.write_str("(known after apply)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_conversions_follow_terraform() {
        assert_eq!(Value::string("true").as_bool(), Some(true));
        assert_eq!(Value::string("3").as_number(), Some(3.0));
        assert_eq!(Value::Number(3.0).as_str().unwrap(), "3");
        assert_eq!(Value::Number(1.5).as_str().unwrap(), "1.5");
        assert_eq!(Value::string("x").as_bool(), None);
    }

    #[test]
    fn resource_attributes_not_written_are_unknown_with_origin() {
        let r = Value::Resource(Arc::new(ResourceValue {
            address: "aws_kms_key.k".into(),
            resource_type: "aws_kms_key".into(),
            attrs: BTreeMap::new(),
        }));
        let arn = r.get_attr("arn", None).unwrap();
        let origin = arn.as_unknown().unwrap().origin.as_ref().unwrap();
        assert_eq!(origin.address, "aws_kms_key.k");
        assert_eq!(origin.attribute, "arn");
    }

    #[test]
    fn json_round_trip_keeps_integers_integral() {
        let v = Value::from_json(&serde_json::json!({"a": [1, 2.5, "x", null, true]}));
        assert_eq!(
            v.to_json().unwrap(),
            serde_json::json!({"a": [1, 2.5, "x", null, true]})
        );
        let with_unknown = Value::list(vec![Value::unknown("why", None)]);
        assert!(with_unknown.to_json().is_err());
    }
}
