//! Finding the span of one policy statement inside the expression that wrote the policy:
//! a `jsonencode({...})` object, a JSON string or heredoc, or a `statement` block of a
//! `data "aws_iam_policy_document"`.

use crate::hcl::syntax::{Expr, ExprKind, ObjectKey, TemplatePart};
use crate::source::{SourceDb, Span};

/// The span of statement `index` in `expr`, if it can be located syntactically.
pub fn statement_span(expr: &Expr, index: usize, db: &SourceDb) -> Option<Span> {
    match &expr.kind {
        ExprKind::Call { name, args, .. } if name == "jsonencode" => {
            object_statement(args.first()?, index)
        }
        ExprKind::Literal(crate::hcl::eval::value::Value::String(text)) => {
            json_text_statement(expr.span, text, index, db)
        }
        ExprKind::Template(parts) => {
            // A heredoc with interpolations: locate in the literal text around them. An
            // interpolation usually sits inside a JSON string; failing that, it stands for
            // a whole JSON value.
            ["\u{e000}", "\"x\""].iter().find_map(|hole| {
                let text: String = parts
                    .iter()
                    .map(|p| match p {
                        TemplatePart::Literal(s) => s.as_str(),
                        _ => hole,
                    })
                    .collect();
                json_text_statement(expr.span, &text, index, db)
            })
        }
        _ => None,
    }
}

fn object_statement(obj: &Expr, index: usize) -> Option<Span> {
    let ExprKind::Object(entries) = &obj.kind else {
        return None;
    };
    let (_, statements) = entries.iter().find(|(k, _)| match k {
        ObjectKey::Ident(name) => name == "Statement",
        ObjectKey::Expr(e) => matches!(&e.kind, ExprKind::Literal(crate::hcl::eval::value::Value::String(s)) if s == "Statement"),
    })?;
    match &statements.kind {
        ExprKind::Tuple(items) => items.get(index).map(|e| e.span),
        ExprKind::Object(_) if index == 0 => Some(statements.span),
        _ => None,
    }
}

/// In JSON text written in the file (a heredoc or a quoted string), the line of the
/// statement's `Principal` key (or the statement itself), mapped back to the file by line:
/// heredoc indentation stripping changes columns, never lines.
fn json_text_statement(expr_span: Span, text: &str, index: usize, db: &SourceDb) -> Option<Span> {
    let value = crate::hcl::json_syntax::parse_json(text).ok()?;
    let jsonc_parser::ast::Value::Object(doc) = &value else {
        return None;
    };
    let statements = doc
        .properties
        .iter()
        .find(|p| p.name.as_str() == "Statement")?;
    let statement = match &statements.value {
        jsonc_parser::ast::Value::Array(items) => items.elements.get(index)?,
        other if index == 0 => other,
        _ => return None,
    };
    let jsonc_parser::ast::Value::Object(st) = statement else {
        return None;
    };
    let target = st
        .properties
        .iter()
        .find(|p| matches!(p.name.as_str(), "Principal" | "NotPrincipal"))
        .map(|p| p.range.start)
        .unwrap_or(st.range.start);
    let line_in_text = text[..target.min(text.len())].matches('\n').count();

    text_line_span(expr_span, line_in_text, db)
}

/// The span of line `line_in_text` (0-based) of JSON text written in the file at
/// `expr_span` (a heredoc or a quoted string), trimmed of indentation. Heredoc indentation
/// stripping changes columns, never lines.
pub fn text_line_span(expr_span: Span, line_in_text: usize, db: &SourceDb) -> Option<Span> {
    let file = db.get(expr_span.file);
    let (start_line, _) = file.line_col(expr_span.start as usize);
    let raw = &file.text[expr_span.range()];
    // A heredoc's text starts on the line after `<<EOF`; a quoted string on its own line.
    let first_text_line = if raw.starts_with("<<") {
        start_line + 1
    } else {
        start_line
    };
    let line = first_text_line + line_in_text;
    if line > file.line_count() {
        return None;
    }
    let line_start = file.line_starts()[line - 1];
    let line_text = file.line_text(line);
    let indent = line_text.len() - line_text.trim_start().len();
    Some(Span::new(
        expr_span.file,
        line_start + indent,
        line_start + line_text.trim_end().len(),
    ))
}
