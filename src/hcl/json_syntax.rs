//! The `.tf.json` frontend: Terraform's JSON syntax lowered into the same [`syntax`] types.
//!
//! JSON syntax has no schema of its own: whether `"x": {…}` is an attribute holding an
//! object or a nested block depends on the resource type. We decide by name, with the list
//! of nested block types plangate reads (ECR, IAM policy documents, meta-blocks); anything
//! else is an attribute, which is what every other argument of those resources is.

use std::sync::Arc;

use jsonc_parser::ast::{ObjectPropName, Value as JsonValue};
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::hcl::eval::value::Value;
use crate::hcl::parse::{self, ParseError};
use crate::hcl::syntax::*;
use crate::source::{FileId, Span};

/// Nested block types written without labels.
pub(crate) const NESTED_BLOCKS: &[&str] = &[
    "encryption_configuration",
    "image_scanning_configuration",
    "image_tag_mutability_exclusion_filter",
    "rule",
    "repository_filter",
    "statement",
    "principals",
    "not_principals",
    "condition",
    "lifecycle",
    "timeouts",
    "content",
    "replication_configuration",
    "destination",
    "pull_through_cache_rule",
    "catalog_data",
];

/// Top-level block types and how many labels each has.
fn top_level_labels(kind: &str) -> Option<usize> {
    match kind {
        "resource" | "data" => Some(2),
        "variable" | "output" | "module" | "provider" => Some(1),
        "locals" | "terraform" | "moved" | "import" | "check" | "removed" => Some(0),
        _ => None,
    }
}

pub fn json_parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parses a JSON document with byte positions.
pub fn parse_json(text: &str) -> Result<JsonValue<'_>, ParseError> {
    let result =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &json_parse_options())
            .map_err(|e| ParseError {
                message: e.kind().to_string(),
                offset: e.range().start,
            })?;
    result.value.ok_or(ParseError {
        message: "the file holds no JSON value".into(),
        offset: 0,
    })
}

/// Parses a whole `.tf.json` file.
pub fn parse_body(file: FileId, text: &str) -> Result<Body, ParseError> {
    let value = parse_json(text)?;
    let JsonValue::Object(root) = &value else {
        return Err(ParseError {
            message: "a .tf.json file must hold a JSON object at the top level".into(),
            offset: range_of(&value).start,
        });
    };
    let lower = LowerJson { file };
    let mut body = Body::default();
    for prop in &root.properties {
        let kind = prop_name(&prop.name);
        if kind == "//" {
            continue;
        }
        let Some(labels) = top_level_labels(&kind) else {
            return Err(ParseError {
                message: format!("unknown top-level block type `{kind}`"),
                offset: prop.range.start,
            });
        };
        if kind == "locals" {
            // `"locals": {...}` or `[{...}, {...}]`: every entry an attribute.
            for obj in objects_of(&prop.value) {
                body.blocks.push(Block {
                    kind: "locals".into(),
                    labels: vec![],
                    body: lower.attributes_only(obj),
                    span: lower.span(prop.range.start, prop.range.end),
                    header: lower.span(prop.range.start, prop.range.start + kind.len() + 2),
                });
            }
            continue;
        }
        lower.labelled_blocks(
            &kind,
            labels,
            &prop.value,
            vec![],
            &mut body.blocks,
            prop.range.start,
        );
    }
    Ok(body)
}

fn prop_name(name: &ObjectPropName) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    }
}

fn prop_name_range(name: &ObjectPropName) -> jsonc_parser::common::Range {
    match name {
        ObjectPropName::String(s) => s.range,
        ObjectPropName::Word(w) => w.range,
    }
}

fn range_of(value: &JsonValue) -> jsonc_parser::common::Range {
    match value {
        JsonValue::StringLit(v) => v.range,
        JsonValue::NumberLit(v) => v.range,
        JsonValue::BooleanLit(v) => v.range,
        JsonValue::Object(v) => v.range,
        JsonValue::Array(v) => v.range,
        JsonValue::NullKeyword(v) => v.range,
    }
}

/// A block body may be written as an object or as an array of objects.
fn objects_of<'v, 'a>(value: &'v JsonValue<'a>) -> Vec<&'v jsonc_parser::ast::Object<'a>> {
    match value {
        JsonValue::Object(o) => vec![o],
        JsonValue::Array(items) => items
            .elements
            .iter()
            .filter_map(|e| match e {
                JsonValue::Object(o) => Some(o),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

struct LowerJson {
    file: FileId,
}

impl LowerJson {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// `"resource": {"type": {"name": {body}}}`: one label per nesting level.
    fn labelled_blocks(
        &self,
        kind: &str,
        labels_left: usize,
        value: &JsonValue,
        labels: Vec<String>,
        out: &mut Vec<Block>,
        header_start: usize,
    ) {
        if labels_left == 0 {
            for obj in objects_of(value) {
                let body = if kind == "variable" {
                    self.variable_body(obj)
                } else {
                    self.body(obj)
                };
                out.push(Block {
                    kind: kind.to_string(),
                    labels: labels.clone(),
                    body,
                    span: self.span(header_start, obj.range.end),
                    header: self.span(header_start, obj.range.start),
                });
            }
            return;
        }
        for obj in objects_of(value) {
            for prop in &obj.properties {
                let label = prop_name(&prop.name);
                if label == "//" {
                    continue;
                }
                let mut labels = labels.clone();
                labels.push(label);
                // The innermost label's property is where the block "starts" for a reader.
                let start = if labels_left == 1 {
                    prop_name_range(&prop.name).start
                } else {
                    header_start
                };
                self.labelled_blocks(kind, labels_left - 1, &prop.value, labels, out, start);
            }
        }
    }

    fn attributes_only(&self, obj: &jsonc_parser::ast::Object) -> Body {
        let mut body = Body::default();
        for prop in &obj.properties {
            let name = prop_name(&prop.name);
            if name == "//" {
                continue;
            }
            body.attrs.push(Attribute {
                name,
                expr: Arc::new(self.expr(&prop.value)),
                span: self.span(prop.range.start, prop.range.end),
            });
        }
        body
    }

    /// In a `variable` block, `default` is a literal value, not an expression.
    fn variable_body(&self, obj: &jsonc_parser::ast::Object) -> Body {
        let mut body = self.attributes_only(obj);
        for (attr, prop) in body
            .attrs
            .iter_mut()
            .zip(obj.properties.iter().filter(|p| prop_name(&p.name) != "//"))
        {
            if attr.name == "default" {
                attr.expr = Arc::new(self.literal(&prop.value));
            }
        }
        body
    }

    fn body(&self, obj: &jsonc_parser::ast::Object) -> Body {
        let mut body = Body::default();
        for prop in &obj.properties {
            let name = prop_name(&prop.name);
            let name_range = prop_name_range(&prop.name);
            if name == "//" {
                continue;
            }
            let is_block_shape = matches!(prop.value, JsonValue::Object(_))
                || matches!(&prop.value, JsonValue::Array(a) if !a.elements.is_empty() && a.elements.iter().all(|e| matches!(e, JsonValue::Object(_))));
            if name == "dynamic" {
                self.labelled_blocks(
                    "dynamic",
                    1,
                    &prop.value,
                    vec![],
                    &mut body.blocks,
                    name_range.start,
                );
            } else if is_block_shape && NESTED_BLOCKS.contains(&name.as_str()) {
                for o in objects_of(&prop.value) {
                    body.blocks.push(Block {
                        kind: name.clone(),
                        labels: vec![],
                        body: self.body(o),
                        span: self.span(name_range.start, o.range.end),
                        header: self.span(name_range.start, name_range.end),
                    });
                }
            } else if name == "provider" || name == "source" {
                // Meta-arguments given as bare strings, not templates.
                body.attrs.push(Attribute {
                    name,
                    expr: Arc::new(self.literal(&prop.value)),
                    span: self.span(prop.range.start, prop.range.end),
                });
            } else {
                body.attrs.push(Attribute {
                    name,
                    expr: Arc::new(self.expr(&prop.value)),
                    span: self.span(prop.range.start, prop.range.end),
                });
            }
        }
        body
    }

    /// A JSON value as a plain literal (no templates).
    fn literal(&self, value: &JsonValue) -> Expr {
        let r = range_of(value);
        let span = self.span(r.start, r.end);
        let v = match value {
            JsonValue::StringLit(s) => Value::String(s.value.to_string()),
            JsonValue::NumberLit(n) => Value::Number(n.value.parse().unwrap_or(f64::NAN)),
            JsonValue::BooleanLit(b) => Value::Bool(b.value),
            JsonValue::NullKeyword(_) => Value::Null,
            JsonValue::Array(a) => {
                return Expr {
                    kind: ExprKind::Tuple(a.elements.iter().map(|e| self.literal(e)).collect()),
                    span,
                }
            }
            JsonValue::Object(o) => {
                return Expr {
                    kind: ExprKind::Object(
                        o.properties
                            .iter()
                            .map(|p| (ObjectKey::Ident(prop_name(&p.name)), self.literal(&p.value)))
                            .collect(),
                    ),
                    span,
                }
            }
        };
        Expr::literal(v, span)
    }

    /// A JSON value in expression position: strings are templates.
    fn expr(&self, value: &JsonValue) -> Expr {
        let r = range_of(value);
        let span = self.span(r.start, r.end);
        match value {
            JsonValue::StringLit(s) => self.template(&s.value, r.start, span),
            JsonValue::Array(a) => Expr {
                kind: ExprKind::Tuple(a.elements.iter().map(|e| self.expr(e)).collect()),
                span,
            },
            JsonValue::Object(o) => Expr {
                kind: ExprKind::Object(
                    o.properties
                        .iter()
                        .filter(|p| prop_name(&p.name) != "//")
                        .map(|p| {
                            let nr = prop_name_range(&p.name);
                            let key_span = self.span(nr.start, nr.end);
                            let key = prop_name(&p.name);
                            let key = if key.contains("${") {
                                ObjectKey::Expr(self.template(&key, nr.start, key_span))
                            } else {
                                ObjectKey::Ident(key)
                            };
                            (key, self.expr(&p.value))
                        })
                        .collect(),
                ),
                span,
            },
            _ => self.literal(value),
        }
    }

    fn template(&self, decoded: &str, start: usize, span: Span) -> Expr {
        if !decoded.contains("${") && !decoded.contains("%{") {
            return Expr::literal(Value::String(decoded.to_string()), span);
        }
        // Spans inside the template are exact when the string has no escapes (its raw text
        // is the decoded text); otherwise they are approximate.
        let parsed = parse::parse_template(self.file, decoded, start + 1);
        match parsed {
            Ok(parts) => {
                // A string that is exactly one interpolation is that expression (keeps its type).
                if let [TemplatePart::Interpolation(e)] = parts.as_slice() {
                    if decoded.trim_start().starts_with("${") && decoded.trim_end().ends_with('}') {
                        return e.clone();
                    }
                }
                Expr {
                    kind: ExprKind::Template(parts),
                    span,
                }
            }
            Err(e) => Expr {
                kind: ExprKind::Invalid(format!(
                    "this string is not a valid template: {}",
                    e.message
                )),
                span,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_and_nested_blocks_in_either_shape() {
        let text = r#"{
  "resource": {
    "aws_ecr_repository": {
      "app": {
        "name": "app-${var.env}",
        "image_scanning_configuration": [{"scan_on_push": true}],
        "encryption_configuration": {"encryption_type": "KMS"},
        "//": "a comment"
      }
    }
  },
  "variable": {"env": {"default": "${not_a_template}"}}
}"#;
        let body = parse_body(FileId(0), text).unwrap();
        let repo = body.blocks.iter().find(|b| b.kind == "resource").unwrap();
        assert_eq!(repo.labels, ["aws_ecr_repository", "app"]);
        assert_eq!(repo.body.blocks.len(), 2);
        assert!(matches!(
            repo.body.attr("name").unwrap().expr.kind,
            ExprKind::Template(_)
        ));
        assert!(repo.body.attr("//").is_none());
        let var = body.blocks.iter().find(|b| b.kind == "variable").unwrap();
        assert!(matches!(
            var.body.attr("default").unwrap().expr.kind,
            ExprKind::Literal(Value::String(_))
        ));
        // The header of the innermost block starts at its name.
        assert!(text[repo.header.range()].starts_with("\"app\""));
    }

    #[test]
    fn invalid_json_reports_position() {
        let err = parse_body(FileId(0), "{\n  \"resource\": [\n").unwrap_err();
        assert!(err.offset > 0);
    }
}
