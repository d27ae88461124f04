//! A plan file as an owned JSON tree in which every value keeps its byte range, so that a
//! finding can point at the exact value inside the plan.

use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value as Ast};

use crate::hcl::json_syntax;
use crate::hcl::parse::ParseError;

/// Plans nest a few levels per module and block; anything deeper than this is not a plan
/// Terraform wrote, and refusing it keeps the recursive walks below bounded.
const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug)]
pub struct Json {
    pub range: Range<usize>,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub value: Json,
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Json]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The same document without positions.
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            // Integers stay integers (`line: 7` must read back with `as_u64`).
            Kind::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                serde_json::Value::from(*n as i64)
            }
            Kind::Number(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Kind::String(s) => serde_json::Value::String(s.clone()),
            Kind::Array(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_serde).collect())
            }
            Kind::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// `true` exactly: how `after_unknown` marks a value known only after apply.
    pub fn is_true(&self) -> bool {
        matches!(self.kind, Kind::Bool(true))
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object(_))
    }
}

/// Parses a JSON document, keeping byte ranges.
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let ast = json_syntax::parse_json(text)?;
    convert(&ast, 0)
}

fn convert(value: &Ast, depth: usize) -> Result<Json, ParseError> {
    let range = range_of(value);
    if depth > MAX_DEPTH {
        return Err(ParseError {
            message: format!("JSON nests more than {MAX_DEPTH} levels deep here"),
            offset: range.start,
        });
    }
    let kind = match value {
        Ast::NullKeyword(_) => Kind::Null,
        Ast::BooleanLit(b) => Kind::Bool(b.value),
        Ast::NumberLit(n) => Kind::Number(n.value.parse().unwrap_or(f64::NAN)),
        Ast::StringLit(s) => Kind::String(s.value.to_string()),
        Ast::Array(a) => Kind::Array(
            a.elements
                .iter()
                .map(|e| convert(e, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Ast::Object(o) => Kind::Object(
            o.properties
                .iter()
                .map(|p| {
                    Ok(Member {
                        key: match &p.name {
                            ObjectPropName::String(s) => s.value.to_string(),
                            ObjectPropName::Word(w) => w.value.to_string(),
                        },
                        value: convert(&p.value, depth + 1)?,
                    })
                })
                .collect::<Result<_, ParseError>>()?,
        ),
    };
    Ok(Json { range, kind })
}

fn range_of(value: &Ast) -> Range<usize> {
    let r = match value {
        Ast::StringLit(v) => v.range,
        Ast::NumberLit(v) => v.range,
        Ast::BooleanLit(v) => v.range,
        Ast::Object(v) => v.range,
        Ast::Array(v) => v.range,
        Ast::NullKeyword(v) => v.range,
    };
    r.start..r.end
}

/// One step of a JSON pointer (RFC 6901): `~` and `/` escaped.
pub fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_ranges() {
        let text = r#"{"a": [1, "x", null, true], "b": {"c": false}}"#;
        let doc = parse(text).unwrap();
        let a = doc.get("a").unwrap();
        assert_eq!(&text[a.range.clone()], r#"[1, "x", null, true]"#);
        let x = &a.items().unwrap()[1];
        assert_eq!(x.as_str(), Some("x"));
        assert_eq!(&text[x.range.clone()], "\"x\"");
        assert!(a.items().unwrap()[3].is_true());
        assert!(doc.get("b").unwrap().get("c").is_some());
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn too_deep_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(400), "]".repeat(400));
        assert!(parse(&text).unwrap_err().message.contains("levels deep"));
    }
}
