//! The `.tf` frontend: hcl-edit's syntax tree lowered into plangate's [`syntax`] types.
//!
//! hcl-edit gives byte spans for every node; we keep them, shifted by `base` when the text
//! was cut out of a larger file (templates inside `.tf.json` strings).

use std::sync::Arc;

use hcl_edit::expr::{
    BinaryOperator, Expression, ObjectKey as HclObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span as _;

use crate::hcl::eval::value::Value;
use crate::hcl::syntax::*;
use crate::source::{FileId, Span};

/// A parse failure, at a byte offset of the file.
#[derive(Clone, Debug)]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

/// Parses a whole `.tf` (or `.tfvars`) file.
pub fn parse_body(file: FileId, text: &str) -> Result<Body, ParseError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ParseError {
        message: e.message().to_string(),
        offset: e.location().offset(),
    })?;
    let lower = Lower { file, base: 0 };
    Ok(lower.body(&body))
}

/// Parses a string template (the contents of a `.tf.json` string) located at `base`.
pub fn parse_template(
    file: FileId,
    text: &str,
    base: usize,
) -> Result<Vec<TemplatePart>, ParseError> {
    let template = hcl_edit::parser::parse_template(text).map_err(|e| ParseError {
        message: e.message().to_string(),
        offset: base + e.location().offset(),
    })?;
    let lower = Lower { file, base };
    Ok(lower.template(&template))
}

/// Parses one expression (a `--var` value, a `.tf.json` expression) located at `base`.
pub fn parse_expr(file: FileId, text: &str, base: usize) -> Result<Expr, ParseError> {
    let expr = hcl_edit::parser::parse_expr(text).map_err(|e| ParseError {
        message: e.message().to_string(),
        offset: base + e.location().offset(),
    })?;
    let lower = Lower { file, base };
    Ok(lower.expr(&expr))
}

struct Lower {
    file: FileId,
    base: usize,
}

impl Lower {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        Span::from_range(self.file, range, self.base)
            .unwrap_or(Span::new(self.file, self.base, self.base))
    }

    fn body(&self, body: &hcl_edit::structure::Body) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => out.attrs.push(Attribute {
                    name: attr.key.value().as_str().to_string(),
                    expr: Arc::new(self.expr(&attr.value)),
                    span: self.span(attr.span()),
                }),
                Structure::Block(block) => {
                    let span = self.span(block.span());
                    let header_end = block
                        .labels
                        .last()
                        .and_then(|l| l.span())
                        .or_else(|| block.ident.span())
                        .map(|r| self.base + r.end)
                        .unwrap_or(span.start as usize);
                    let header_start = block
                        .ident
                        .span()
                        .map(|r| self.base + r.start)
                        .unwrap_or(span.start as usize);
                    out.blocks.push(Block {
                        kind: block.ident.value().as_str().to_string(),
                        labels: block
                            .labels
                            .iter()
                            .map(|l| match l {
                                BlockLabel::Ident(i) => i.value().as_str().to_string(),
                                BlockLabel::String(s) => s.value().to_string(),
                            })
                            .collect(),
                        body: self.body(&block.body),
                        span,
                        header: Span::new(self.file, header_start, header_end),
                    });
                }
            }
        }
        out
    }

    fn expr(&self, expr: &Expression) -> Expr {
        let span = self.span(expr.span());
        let kind = match expr {
            Expression::Null(_) => ExprKind::Literal(Value::Null),
            Expression::Bool(b) => ExprKind::Literal(Value::Bool(*b.value())),
            Expression::Number(n) => {
                ExprKind::Literal(Value::Number(n.value().as_f64().unwrap_or(f64::NAN)))
            }
            Expression::String(s) => ExprKind::Literal(Value::String(s.value().to_string())),
            Expression::Array(items) => {
                ExprKind::Tuple(items.iter().map(|e| self.expr(e)).collect())
            }
            Expression::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            HclObjectKey::Ident(ident) => {
                                ObjectKey::Ident(ident.value().as_str().to_string())
                            }
                            HclObjectKey::Expression(e) => ObjectKey::Expr(self.expr(e)),
                        };
                        (key, self.expr(value.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => ExprKind::Template(self.template(t)),
            Expression::HeredocTemplate(h) => ExprKind::Template(self.template(&h.template)),
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Variable(v.value().as_str().to_string()),
            Expression::Conditional(c) => ExprKind::Conditional {
                cond: Box::new(self.expr(&c.cond_expr)),
                then: Box::new(self.expr(&c.true_expr)),
                otherwise: Box::new(self.expr(&c.false_expr)),
            },
            Expression::FuncCall(call) => {
                let mut name = String::new();
                for ns in &call.name.namespace {
                    name.push_str(ns.value().as_str());
                    name.push_str("::");
                }
                name.push_str(call.name.name.value().as_str());
                ExprKind::Call {
                    name,
                    args: call.args.iter().map(|a| self.expr(a)).collect(),
                    expand_final: call.args.expand_final(),
                }
            }
            Expression::Traversal(t) => ExprKind::Traversal {
                base: Box::new(self.expr(&t.expr)),
                ops: t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => TraversalOp::AttrSplat,
                        TraversalOperator::FullSplat(_) => TraversalOp::FullSplat,
                        TraversalOperator::GetAttr(ident) => TraversalOp::Attr(
                            ident.value().as_str().to_string(),
                            self.span(op.span()),
                        ),
                        TraversalOperator::Index(e) => TraversalOp::Index(self.expr(e)),
                        TraversalOperator::LegacyIndex(i) => TraversalOp::Index(Expr::literal(
                            Value::Number(*i.value() as f64),
                            self.span(op.span()),
                        )),
                    })
                    .collect(),
            },
            Expression::UnaryOp(op) => ExprKind::Unary {
                op: match op.operator.value() {
                    UnaryOperator::Neg => UnaryOp::Neg,
                    UnaryOperator::Not => UnaryOp::Not,
                },
                expr: Box::new(self.expr(&op.expr)),
            },
            Expression::BinaryOp(op) => ExprKind::Binary {
                op: match op.operator.value() {
                    BinaryOperator::Eq => BinaryOp::Eq,
                    BinaryOperator::NotEq => BinaryOp::NotEq,
                    BinaryOperator::LessEq => BinaryOp::LessEq,
                    BinaryOperator::GreaterEq => BinaryOp::GreaterEq,
                    BinaryOperator::Less => BinaryOp::Less,
                    BinaryOperator::Greater => BinaryOp::Greater,
                    BinaryOperator::Plus => BinaryOp::Plus,
                    BinaryOperator::Minus => BinaryOp::Minus,
                    BinaryOperator::Mul => BinaryOp::Mul,
                    BinaryOperator::Div => BinaryOp::Div,
                    BinaryOperator::Mod => BinaryOp::Mod,
                    BinaryOperator::And => BinaryOp::And,
                    BinaryOperator::Or => BinaryOp::Or,
                },
                lhs: Box::new(self.expr(&op.lhs_expr)),
                rhs: Box::new(self.expr(&op.rhs_expr)),
            },
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f
                    .intro
                    .key_var
                    .as_ref()
                    .map(|k| k.value().as_str().to_string()),
                value_var: f.intro.value_var.value().as_str().to_string(),
                collection: self.expr(&f.intro.collection_expr),
                key_expr: f.key_expr.as_ref().map(|k| self.expr(k)),
                value_expr: self.expr(&f.value_expr),
                grouping: f.grouping,
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
            })),
        };
        Expr { kind, span }
    }

    /// Lowers template elements, applying `~` strip markers to the neighbouring literals.
    fn template(&self, template: &Template) -> Vec<TemplatePart> {
        // (part, strip whitespace before it, strip whitespace after it)
        let mut parts: Vec<(TemplatePart, bool, bool)> = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(s) => {
                    parts.push((TemplatePart::Literal(s.value().to_string()), false, false))
                }
                Element::Interpolation(i) => parts.push((
                    TemplatePart::Interpolation(self.expr(&i.expr)),
                    i.strip.strip_start(),
                    i.strip.strip_end(),
                )),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => parts.push((
                        TemplatePart::If {
                            cond: self.expr(&d.if_expr.cond_expr),
                            then: self.template(&d.if_expr.template),
                            otherwise: d
                                .else_expr
                                .as_ref()
                                .map(|e| self.template(&e.template))
                                .unwrap_or_default(),
                        },
                        d.if_expr.strip.strip_start(),
                        d.endif_expr.strip.strip_end(),
                    )),
                    Directive::For(d) => parts.push((
                        TemplatePart::For {
                            key_var: d
                                .for_expr
                                .key_var
                                .as_ref()
                                .map(|k| k.value().as_str().to_string()),
                            value_var: d.for_expr.value_var.value().as_str().to_string(),
                            collection: self.expr(&d.for_expr.collection_expr),
                            body: self.template(&d.for_expr.template),
                        },
                        d.for_expr.strip.strip_start(),
                        d.endfor_expr.strip.strip_end(),
                    )),
                },
            }
        }
        for i in 0..parts.len() {
            let (strip_before, strip_after) = (parts[i].1, parts[i].2);
            if strip_before && i > 0 {
                if let TemplatePart::Literal(s) = &mut parts[i - 1].0 {
                    *s = s.trim_end().to_string();
                }
            }
            if strip_after && i + 1 < parts.len() {
                if let TemplatePart::Literal(s) = &mut parts[i + 1].0 {
                    *s = s.trim_start().to_string();
                }
            }
        }
        parts.into_iter().map(|(p, _, _)| p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_header_and_attribute_spans() {
        let text = "resource \"aws_ecr_repository\" \"x\" {\n  name = \"a\"\n}\n";
        let body = parse_body(FileId(0), text).unwrap();
        let block = &body.blocks[0];
        assert_eq!(block.labels, ["aws_ecr_repository", "x"]);
        assert_eq!(
            &text[block.header.range()],
            "resource \"aws_ecr_repository\" \"x\""
        );
        let attr = block.body.attr("name").unwrap();
        assert_eq!(&text[attr.span.range()], "name = \"a\"");
    }

    #[test]
    fn parse_errors_carry_their_offset() {
        let err = parse_body(FileId(0), "a = {\n  b = \n").unwrap_err();
        assert!(err.offset > 0, "{err:?}");
    }

    #[test]
    fn heredoc_with_strip_markers() {
        let body = parse_body(FileId(0), "a = \"x %{~ if true ~} y %{~ endif ~} z\"\n").unwrap();
        let ExprKind::Template(parts) = &body.attrs[0].expr.kind else {
            panic!("template expected");
        };
        assert!(matches!(&parts[0], TemplatePart::Literal(s) if s == "x"));
    }
}
