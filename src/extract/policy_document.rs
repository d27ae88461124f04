//! `data "aws_iam_policy_document"`: the JSON document the provider would render, computed
//! from the evaluated blocks (statements, principals, conditions, source and override
//! documents), so repository policies built this way are analysed like any other.

use serde_json::{json, Map, Value as Json};

use crate::hcl::eval::instance::{Blocks, EvalBlock, EvalBody};
use crate::hcl::eval::value::Value;

/// The rendered document as a JSON string value, or an unknown value saying what could not
/// be known. `None` only if the body is not a policy document at all.
pub fn document_json(body: &EvalBody) -> Option<Value> {
    match render(body) {
        Ok(doc) => Some(Value::String(
            serde_json::to_string_pretty(&doc).unwrap_or_default(),
        )),
        Err(unknown) => Some(unknown),
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

fn known(v: &Value) -> Result<Json, Value> {
    v.to_json()
}

/// A string or list of strings, as the provider accepts for actions, resources, values.
fn string_list(v: &Value) -> Result<Vec<Json>, Value> {
    match known(v)? {
        Json::Array(items) => Ok(items),
        Json::Null => Ok(vec![]),
        other => Ok(vec![other]),
    }
}

/// One element renders as a bare string, several as a list (as the provider does).
fn one_or_many(mut items: Vec<Json>) -> Json {
    items.sort_by_key(|a| a.to_string());
    items.dedup();
    if items.len() == 1 {
        items.pop().unwrap_or(Json::Null)
    } else {
        Json::Array(items)
    }
}

fn render(body: &EvalBody) -> Result<Json, Value> {
    let mut statements: Vec<Json> = Vec::new();
    if let Some(sources) = body.value("source_policy_documents") {
        for doc in string_list(sources)? {
            statements.extend(statements_of(&doc));
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
            for s in statements_of(&doc) {
                merge_by_sid(&mut statements, s);
            }
        }
    }
    let mut doc = Map::new();
    let version = body
        .value("version")
        .map(known)
        .transpose()?
        .unwrap_or(json!("2012-10-17"));
    doc.insert("Version".into(), version);
    if let Some(id) = body.value("policy_id") {
        doc.insert("Id".into(), known(id)?);
    }
    doc.insert("Statement".into(), Json::Array(statements));
    Ok(Json::Object(doc))
}

/// The statements of a JSON policy document given as a string.
fn statements_of(doc: &Json) -> Vec<Json> {
    let parsed: Option<Json> = doc.as_str().and_then(|s| serde_json::from_str(s).ok());
    match parsed.as_ref().and_then(|d| d.get("Statement")) {
        Some(Json::Array(items)) => items.clone(),
        Some(obj @ Json::Object(_)) => vec![obj.clone()],
        _ => vec![],
    }
}

/// A statement with a `Sid` replaces an earlier one with the same `Sid`; others append.
fn merge_by_sid(statements: &mut Vec<Json>, s: Json) {
    let sid = s
        .get("Sid")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(sid) = sid {
        if let Some(existing) = statements
            .iter_mut()
            .find(|e| e.get("Sid").and_then(Json::as_str) == Some(&sid))
        {
            *existing = s;
            return;
        }
    }
    statements.push(s);
}

fn statement(body: &EvalBody) -> Result<Json, Value> {
    let mut s = Map::new();
    if let Some(sid) = body.value("sid") {
        s.insert("Sid".into(), known(sid)?);
    }
    let effect = body
        .value("effect")
        .map(known)
        .transpose()?
        .unwrap_or(json!("Allow"));
    s.insert("Effect".into(), effect);
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = body.value(attr) {
            let items = string_list(v)?;
            if !items.is_empty() {
                s.insert(key.into(), one_or_many(items));
            }
        }
    }
    for (kind, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(p) = principals(body, kind)? {
            s.insert(key.into(), p);
        }
    }
    let conditions = match body.blocks("condition") {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(u) => return Err(Value::Unknown(u.reason.clone())),
    };
    if !conditions.is_empty() {
        let mut by_test: Map<String, Json> = Map::new();
        for c in conditions {
            let test = c
                .body
                .value("test")
                .map(known)
                .transpose()?
                .unwrap_or(Json::Null);
            let variable = c
                .body
                .value("variable")
                .map(known)
                .transpose()?
                .unwrap_or(Json::Null);
            let values = c
                .body
                .value("values")
                .map(string_list)
                .transpose()?
                .unwrap_or_default();
            let (Some(test), Some(variable)) = (test.as_str(), variable.as_str()) else {
                continue;
            };
            let entry = by_test.entry(test.to_string()).or_insert_with(|| json!({}));
            if let Some(map) = entry.as_object_mut() {
                map.insert(variable.to_string(), one_or_many(values));
            }
        }
        s.insert("Condition".into(), Json::Object(by_test));
    }
    Ok(Json::Object(s))
}

fn principals(body: &EvalBody, kind: &str) -> Result<Option<Json>, Value> {
    let blocks = match body.blocks(kind) {
        Blocks::Known(blocks) => blocks,
        Blocks::Unknown(u) => return Err(Value::Unknown(u.reason.clone())),
    };
    if blocks.is_empty() {
        return Ok(None);
    }
    let mut by_type: Map<String, Json> = Map::new();
    for b in blocks {
        let ptype = b
            .body
            .value("type")
            .map(known)
            .transpose()?
            .unwrap_or(Json::Null);
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
            return Ok(Some(json!("*")));
        }
        let entry = by_type
            .entry(ptype.to_string())
            .or_insert_with(|| json!([]));
        if let Some(list) = entry.as_array_mut() {
            list.extend(ids);
        }
    }
    let rendered: Map<String, Json> = by_type
        .into_iter()
        .map(|(k, v)| {
            let items = v.as_array().cloned().unwrap_or_default();
            (k, one_or_many(items))
        })
        .collect();
    Ok(Some(Json::Object(rendered)))
}
