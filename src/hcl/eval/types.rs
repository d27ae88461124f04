//! Variable type constraints, applied as Terraform applies them to a variable's value:
//! `optional(T, default)` attributes of `object({...})` types are filled in (with their
//! default, or null), attributes the type does not declare are dropped, and collections
//! convert element by element. Without this, modules that take objects with optional
//! attributes would read attributes that are not there.

use std::collections::BTreeMap;
use std::path::Path;

use super::constant_value;
use super::value::Value;
use crate::hcl::syntax::{Expr, ExprKind, ObjectKey};

/// Converts `value` to the type `ty` (a type expression as written in a `variable` block).
/// Anything this does not understand is returned unchanged.
pub fn apply(value: Value, ty: &Expr, dir: &Path) -> Value {
    match (&ty.kind, value) {
        (_, v @ Value::Unknown(_)) | (_, v @ Value::Null) => v,
        (ExprKind::Call { name, args, .. }, v) => match (name.as_str(), args.as_slice()) {
            ("optional", [inner, ..]) => apply(v, inner, dir),
            ("object", [attrs]) => object(v, attrs, dir),
            ("list" | "set", [elem]) => match v {
                Value::List(items) => {
                    Value::list(items.iter().map(|i| apply(i.clone(), elem, dir)).collect())
                }
                other => other,
            },
            ("map", [elem]) => match v.as_map() {
                Some(m) => Value::map(
                    m.iter()
                        .map(|(k, i)| (k.clone(), apply(i.clone(), elem, dir)))
                        .collect(),
                ),
                None => v,
            },
            ("tuple", [elems]) => match (&elems.kind, &v) {
                (ExprKind::Tuple(types), Value::List(items)) => Value::list(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| match types.get(i) {
                            Some(t) => apply(item.clone(), t, dir),
                            None => item.clone(),
                        })
                        .collect(),
                ),
                _ => v,
            },
            _ => v,
        },
        (_, v) => v,
    }
}

/// `object({ a = string, b = optional(number, 1) })`.
fn object(value: Value, attrs: &Expr, dir: &Path) -> Value {
    let (ExprKind::Object(fields), Some(given)) = (&attrs.kind, value.as_map()) else {
        return value;
    };
    let mut out = BTreeMap::new();
    for (key, ty) in fields {
        let name = match key {
            ObjectKey::Ident(n) => n.clone(),
            ObjectKey::Expr(e) => match &e.kind {
                ExprKind::Literal(Value::String(s)) => s.clone(),
                ExprKind::Variable(n) => n.clone(),
                _ => continue,
            },
        };
        let optional = match &ty.kind {
            ExprKind::Call { name, args, .. } if name == "optional" => Some(args.get(1)),
            _ => None,
        };
        let v = given.get(&name).cloned().unwrap_or(Value::Null);
        let v = match (v, optional) {
            // A null or missing optional attribute takes its default.
            (Value::Null, Some(Some(default))) => constant_value(default, dir),
            (Value::Null, Some(None)) => Value::Null,
            (Value::Null, None) if !given.contains_key(&name) => continue,
            (v, _) => v,
        };
        out.insert(name, apply(v, ty, dir));
    }
    Value::map(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hcl::parse::parse_expr;
    use crate::source::FileId;

    fn ty(text: &str) -> Expr {
        parse_expr(FileId(0), text, 0).unwrap()
    }

    fn val(text: &str) -> Value {
        constant_value(&ty(text), Path::new("."))
    }

    #[test]
    fn optional_attributes_get_their_defaults_or_null() {
        let t = ty("list(object({ prefix = string, mutability = optional(string, \"MUTABLE\"), policy = optional(string) }))");
        let v = apply(
            val("[{ prefix = \"a\" }, { prefix = \"b\", mutability = \"IMMUTABLE\", extra = 1 }]"),
            &t,
            Path::new("."),
        );
        let items = v.as_list().unwrap();
        let first = items[0].as_map().unwrap();
        assert_eq!(first["mutability"], Value::string("MUTABLE"));
        assert_eq!(first["policy"], Value::Null);
        let second = items[1].as_map().unwrap();
        assert_eq!(second["mutability"], Value::string("IMMUTABLE"));
        assert!(
            !second.contains_key("extra"),
            "undeclared attributes are dropped"
        );
    }

    #[test]
    fn nested_optional_objects_and_maps() {
        let t = ty(
            "map(object({ enc = optional(object({ type = optional(string, \"AES256\") }), {}) }))",
        );
        let v = apply(val("{ a = {} }"), &t, Path::new("."));
        let enc = v.as_map().unwrap()["a"].as_map().unwrap()["enc"].clone();
        assert_eq!(enc.as_map().unwrap()["type"], Value::string("AES256"));
    }
}
