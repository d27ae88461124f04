//! `data "aws_iam_policy_document"`: the document the provider would render, computed from
//! the evaluated blocks (statements, principals, conditions, source and override
//! documents), so repository policies built this way are analysed like any other.
//!
//! The document is built as a [`Value`] in which only apply-time parts are unknown (an
//! account id from `data.aws_caller_identity`, say): the statement analysis can still decide
//! most verdicts, while the `json` text itself is unknown.

use std::collections::BTreeMap;

use crate::hcl::eval::instance::{Blocks, EvalBlock, EvalBody};
use crate::hcl::eval::value::Value;

type Object = BTreeMap<String, Value>;

/// The `json` attribute: the JSON string the provider would produce, or, when some part is
/// known only after apply, an unknown value that carries the document with only those
/// parts unknown.
pub fn render_document(body: &EvalBody) -> Value {
    match render(body) {
        Ok(doc) => json_text(doc),
        Err(unknown) => unknown,
    }
}

/// `jsonencode` semantics for a document: its text, or an unknown carrying the document.
pub fn json_text(doc: Value) -> Value {
    match doc.to_json() {
        Ok(j) => Value::String(serde_json::to_string_pretty(&j).unwrap_or_default()),
        Err(u) => {
            let unknown = u.as_unknown();
            Value::Unknown(std::sync::Arc::new(crate::hcl::eval::value::Unknown {
                reason: format!(
                    "the JSON document contains a value known only after apply: {}",
                    unknown.map(|u| u.reason.as_str()).unwrap_or_default()
                ),
                span: unknown.and_then(|u| u.span),
                origin: None,
                document: Some(Box::new(doc)),
            }))
        }
    }
}

/// The statements declared in the body itself, in order: used to point a finding at the
/// `statement` block that causes it.
pub fn own_statement_blocks(body: &EvalBody) -> Vec<&EvalBlock> {
    match body.blocks("statement") {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(_) => vec![],
    }
}

fn s(text: &str) -> Value {
    Value::string(text)
}

/// A string or list of strings, as the provider accepts for actions, resources, values.
/// Unknown elements stay in place; only a list unknown as a whole is an error.
fn string_list(v: &Value) -> Result<Vec<Value>, Value> {
    match v {
        Value::Unknown(_) => Err(v.clone()),
        Value::List(items) => Ok(items.to_vec()),
        Value::Null => Ok(vec![]),
        other => Ok(vec![other.clone()]),
    }
}

/// One element renders as a bare string, several as a list (as the provider does).
fn one_or_many(mut items: Vec<Value>) -> Value {
    items.sort_by_key(|a| a.to_string());
    items.dedup();
    if items.len() == 1 {
        items.pop().unwrap_or(Value::Null)
    } else {
        Value::list(items)
    }
}

/// A scalar argument that must be known for the document's shape to be known.
fn shape(body: &EvalBody, name: &str) -> Result<Option<Value>, Value> {
    match body.value(name) {
        Some(v @ Value::Unknown(_)) => Err(v.clone()),
        other => Ok(other.cloned()),
    }
}

fn render(body: &EvalBody) -> Result<Value, Value> {
    let mut statements: Vec<Value> = Vec::new();
    if let Some(sources) = body.value("source_policy_documents") {
        for doc in string_list(sources)? {
            statements.extend(statements_of(&doc)?);
        }
    }
    let own = match body.blocks("statement") {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(u) => return Err(Value::Unknown(u.reason.clone())),
    };
    for block in own {
        merge_by_sid(&mut statements, statement(&block.body)?);
    }
    if let Some(overrides) = body.value("override_policy_documents") {
        for doc in string_list(overrides)? {
            for st in statements_of(&doc)? {
                merge_by_sid(&mut statements, st);
            }
        }
    }
    let mut doc = Object::new();
    doc.insert(
        "Version".into(),
        body.value("version").cloned().unwrap_or(s("2012-10-17")),
    );
    if let Some(id) = body.value("policy_id") {
        doc.insert("Id".into(), id.clone());
    }
    doc.insert("Statement".into(), Value::list(statements));
    Ok(Value::map(doc))
}

/// The statements of a JSON policy document given as a string.
fn statements_of(doc: &Value) -> Result<Vec<Value>, Value> {
    if doc.is_unknown() {
        return Err(doc.clone());
    }
    let parsed: Option<serde_json::Value> =
        doc.as_str().and_then(|t| serde_json::from_str(&t).ok());
    Ok(match parsed.as_ref().and_then(|d| d.get("Statement")) {
        Some(serde_json::Value::Array(items)) => items.iter().map(Value::from_json).collect(),
        Some(obj @ serde_json::Value::Object(_)) => vec![Value::from_json(obj)],
        _ => vec![],
    })
}

fn sid_of(statement: &Value) -> Option<String> {
    match statement.as_map()?.get("Sid")? {
        Value::String(sid) if !sid.is_empty() => Some(sid.clone()),
        _ => None,
    }
}

/// A statement with a `Sid` replaces an earlier one with the same `Sid`; others append.
fn merge_by_sid(statements: &mut Vec<Value>, st: Value) {
    if let Some(sid) = sid_of(&st) {
        if let Some(existing) = statements
            .iter_mut()
            .find(|e| sid_of(e).as_deref() == Some(sid.as_str()))
        {
            *existing = st;
            return;
        }
    }
    statements.push(st);
}

fn statement(body: &EvalBody) -> Result<Value, Value> {
    let mut st = Object::new();
    if let Some(sid) = body.value("sid") {
        st.insert("Sid".into(), sid.clone());
    }
    st.insert(
        "Effect".into(),
        body.value("effect").cloned().unwrap_or(s("Allow")),
    );
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = body.value(attr) {
            let items = string_list(v)?;
            if !items.is_empty() {
                st.insert(key.into(), one_or_many(items));
            }
        }
    }
    for (kind, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(p) = principals(body, kind)? {
            st.insert(key.into(), p);
        }
    }
    let conditions = match body.blocks("condition") {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(u) => return Err(Value::Unknown(u.reason.clone())),
    };
    if !conditions.is_empty() {
        let mut by_test: BTreeMap<String, Object> = BTreeMap::new();
        for c in conditions {
            let (Some(test), Some(variable)) =
                (shape(&c.body, "test")?, shape(&c.body, "variable")?)
            else {
                continue;
            };
            let values = c
                .body
                .value("values")
                .map(string_list)
                .transpose()?
                .unwrap_or_default();
            let (Some(test), Some(variable)) = (test.as_str(), variable.as_str()) else {
                continue;
            };
            by_test
                .entry(test.into_owned())
                .or_default()
                .insert(variable.into_owned(), one_or_many(values));
        }
        let rendered: Object = by_test
            .into_iter()
            .map(|(k, v)| (k, Value::map(v)))
            .collect();
        st.insert("Condition".into(), Value::map(rendered));
    }
    Ok(Value::map(st))
}

fn principals(body: &EvalBody, kind: &str) -> Result<Option<Value>, Value> {
    let blocks = match body.blocks(kind) {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(u) => return Err(Value::Unknown(u.reason.clone())),
    };
    if blocks.is_empty() {
        return Ok(None);
    }
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for b in blocks {
        let Some(ptype) = shape(&b.body, "type")? else {
            continue;
        };
        let ids = b
            .body
            .value("identifiers")
            .map(string_list)
            .transpose()?
            .unwrap_or_default();
        let Some(ptype) = ptype.as_str() else {
            continue;
        };
        // `type = "*"` with identifiers ["*"] is the anonymous principal "*".
        if ptype == "*" {
            return Ok(Some(s("*")));
        }
        by_type.entry(ptype.into_owned()).or_default().extend(ids);
    }
    let rendered: Object = by_type
        .into_iter()
        .map(|(k, v)| (k, one_or_many(v)))
        .collect();
    Ok(Some(Value::map(rendered)))
}
