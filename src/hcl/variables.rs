//! Root module variable values, in Terraform's precedence order (lowest first):
//! `TF_VAR_name`, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)` in
//! lexical order, then `--var-file` and `--var` in command-line order. Defaults are applied
//! by the evaluator for variables none of these set.

use std::path::{Path, PathBuf};

use super::config::Module;
use super::eval::value::Value;
use super::eval::{constant_value, RootInputs};
use super::syntax::{Expr, ExprKind};
use super::{parse, parse_file, read_file, EvalOptions, InputError, VarArg};
use crate::source::{display_path, SourceDb};

/// The variable-definition files Terraform loads automatically from a root directory.
pub fn auto_var_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    (n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")) && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    files
}

pub fn root_variable_values(
    module: &Module,
    db: &mut SourceDb,
    options: &EvalOptions,
    errors: &mut Vec<InputError>,
) -> RootInputs {
    let mut inputs = RootInputs::default();
    let mut set = |name: &str, value: Value| {
        if module.variables.contains_key(name) {
            inputs.values.insert(name.to_string(), value);
        }
    };
    for (name, raw) in &options.env_vars {
        let value = raw_value(db, &format!("TF_VAR_{name}"), raw, &module.dir);
        set(name, value);
    }
    let mut files = auto_var_files(&module.dir);
    for arg in &options.var_args {
        if let VarArg::File(path) = arg {
            files.push(path.clone());
        }
    }
    // Files first in their order, then --var/--var-file interleaved in command-line order.
    let auto_count = files.len()
        - options
            .var_args
            .iter()
            .filter(|a| matches!(a, VarArg::File(_)))
            .count();
    for file in &files[..auto_count] {
        for (name, value) in var_file_values(db, file, &module.dir, errors) {
            set(&name, value);
        }
    }
    for arg in &options.var_args {
        match arg {
            VarArg::File(path) => {
                for (name, value) in var_file_values(db, path, &module.dir, errors) {
                    set(&name, value);
                }
            }
            VarArg::Var(name, raw) => {
                let value = raw_value(db, &format!("--var {name}"), raw, &module.dir);
                set(name, value);
            }
        }
    }
    inputs
}

/// The assignments of a `.tfvars` or `.tfvars.json` file.
fn var_file_values(
    db: &mut SourceDb,
    path: &Path,
    dir: &Path,
    errors: &mut Vec<InputError>,
) -> Vec<(String, Value)> {
    let id = match db.find_by_path(path) {
        Some(id) => id,
        None => match read_file(db, path) {
            Ok(id) => id,
            Err(e) => {
                errors.push(e);
                return vec![];
            }
        },
    };
    let name = db.get(id).name.clone();
    let body = if name.ends_with(".json") {
        // A .tfvars.json file is a plain JSON object of values.
        match serde_json::from_str::<serde_json::Value>(&db.get(id).text) {
            Ok(serde_json::Value::Object(map)) => {
                return map
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect();
            }
            Ok(_) => {
                errors.push(InputError {
                    file: name,
                    message: "a .tfvars.json file must hold a JSON object".into(),
                    span: None,
                });
                return vec![];
            }
            Err(e) => {
                let offset = crate::source::SourceFile::new(
                    String::new(),
                    PathBuf::new(),
                    db.get(id).text.clone(),
                )
                .line_starts()
                .get(e.line().saturating_sub(1))
                .copied()
                .unwrap_or(0)
                    + e.column().saturating_sub(1);
                errors.push(InputError {
                    file: name,
                    message: format!("invalid JSON: {e}"),
                    span: Some(crate::source::Span::new(id, offset, offset)),
                });
                return vec![];
            }
        }
    } else {
        match parse_file(db, id) {
            Ok(body) => body,
            Err(e) => {
                errors.push(e);
                return vec![];
            }
        }
    };
    body.attrs
        .iter()
        .map(|a| (a.name.clone(), constant_value(&a.expr, dir)))
        .collect()
}

/// A `--var` or `TF_VAR_` value: an HCL literal when it is one (`true`, `3`, `["a"]`),
/// otherwise the raw string, as Terraform does for string variables.
fn raw_value(db: &mut SourceDb, label: &str, raw: &str, dir: &Path) -> Value {
    let id = db.add(
        label.to_string(),
        PathBuf::from(display_path(Path::new(label))),
        raw.to_string(),
    );
    match parse::parse_expr(id, raw, 0) {
        Ok(expr) if is_constant(&expr) => constant_value(&expr, dir),
        _ => Value::String(raw.to_string()),
    }
}

fn is_constant(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Literal(_) => true,
        ExprKind::Tuple(items) => items.iter().all(is_constant),
        ExprKind::Object(entries) => entries.iter().all(|(_, v)| is_constant(v)),
        ExprKind::Unary { expr, .. } => is_constant(expr),
        _ => false,
    }
}
