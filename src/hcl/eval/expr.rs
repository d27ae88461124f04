//! Expression evaluation: operators, references, templates, `for`, splats and calls.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::value::{format_number, Origin, Unknown, Value};
use super::{functions, EvalError, EvalResult, Evaluator, Scope, MAX_EVAL_DEPTH};
use crate::hcl::config::Mode;
use crate::hcl::syntax::{
    BinaryOp, Expr, ExprKind, ForExpr, ObjectKey, TemplatePart, TraversalOp, UnaryOp,
};
use crate::source::Span;

/// The largest value an expression may build: elements, and bytes of text.
const MAX_VALUE_NODES: usize = 2_000_000;
const MAX_STRING_BYTES: usize = 16 << 20;

/// The number of elements in `value`, counting no further than `cap`.
fn node_count(value: &Value, cap: usize) -> usize {
    fn visit(v: &Value, n: &mut usize, cap: usize) {
        *n += 1;
        if *n >= cap {
            return;
        }
        match v {
            Value::List(items) => items.iter().for_each(|i| visit(i, n, cap)),
            Value::Map(m) => m.values().for_each(|i| visit(i, n, cap)),
            Value::Resource(r) => r.attrs.values().for_each(|i| visit(i, n, cap)),
            _ => {}
        }
    }
    let mut n = 0;
    visit(value, &mut n, cap);
    n.min(cap)
}

/// Does `value` exceed the bounds above? Stops counting as soon as it does, so checking a
/// huge (shared, exponentially large) value costs no more than the bound.
fn too_large(value: &Value) -> bool {
    fn visit(v: &Value, nodes: &mut usize, bytes: &mut usize) -> bool {
        *nodes += 1;
        if *nodes > MAX_VALUE_NODES {
            return true;
        }
        match v {
            Value::String(s) => {
                *bytes += s.len();
                *bytes > MAX_STRING_BYTES
            }
            Value::List(items) => items.iter().any(|i| visit(i, nodes, bytes)),
            Value::Map(m) => m.iter().any(|(k, i)| {
                *bytes += k.len();
                visit(i, nodes, bytes)
            }),
            Value::Resource(r) => r.attrs.values().any(|i| visit(i, nodes, bytes)),
            _ => false,
        }
    }
    let (mut nodes, mut bytes) = (0, 0);
    visit(value, &mut nodes, &mut bytes)
}

/// Functions whose result is unknown by nature, not because an argument is.
const UNKNOWABLE_FUNCTIONS: &[&str] = &["timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt"];

fn err(message: impl Into<String>, span: Span) -> EvalError {
    EvalError {
        message: message.into(),
        span,
    }
}

struct DepthGuard<'e, 'a>(&'e Evaluator<'a>);

impl Drop for DepthGuard<'_, '_> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get() - 1);
    }
}

impl Evaluator<'_> {
    pub fn eval(&self, expr: &Expr, scope: &Scope) -> EvalResult {
        let value = self.eval_inner(expr, scope)?;
        // Values built here (lists, objects, strings, function results) are bounded, so that
        // `x = [y, y]` or `"${y}${y}"` repeated cannot double its way past memory.
        if matches!(
            expr.kind,
            ExprKind::Tuple(_)
                | ExprKind::Object(_)
                | ExprKind::For(_)
                | ExprKind::Call { .. }
                | ExprKind::Template(_)
        ) && too_large(&value)
        {
            return Err(err(
                format!(
                    "this expression builds a value larger than plangate evaluates ({MAX_VALUE_NODES} elements or {} MiB of text)",
                    MAX_STRING_BYTES >> 20
                ),
                expr.span,
            ));
        }
        Ok(value)
    }

    fn eval_inner(&self, expr: &Expr, scope: &Scope) -> EvalResult {
        if self.depth.get() >= MAX_EVAL_DEPTH {
            return Ok(Value::unknown(
                "this expression nests too deeply to evaluate",
                Some(expr.span),
            ));
        }
        self.depth.set(self.depth.get() + 1);
        let _guard = DepthGuard(self);
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(v) => Ok(v.clone()),
            ExprKind::Invalid(reason) => Ok(Value::unknown(reason.clone(), Some(span))),
            ExprKind::Template(parts) => {
                // "${x}" alone is x itself, with its type (and its origin, if unknown).
                if let [TemplatePart::Interpolation(e)] = parts.as_slice() {
                    return self.eval(e, scope);
                }
                if parts
                    .iter()
                    .all(|p| matches!(p, TemplatePart::Literal(_) | TemplatePart::Interpolation(_)))
                {
                    return self.eval_flat_template(parts, scope);
                }
                let mut out = String::new();
                match self.eval_template(parts, scope, &mut out)? {
                    Some(unknown) => Ok(unknown),
                    None => Ok(Value::String(out)),
                }
            }
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item, scope)?);
                }
                Ok(Value::list(out))
            }
            ExprKind::Object(entries) => {
                let mut map = BTreeMap::new();
                for (key, value) in entries {
                    let key = match key {
                        ObjectKey::Ident(name) => name.clone(),
                        ObjectKey::Expr(e) => {
                            // A bare name in parentheses is a reference; a bare name is a key.
                            let k = self.eval(e, scope)?;
                            if let Value::Unknown(_) = k {
                                return Ok(k);
                            }
                            match k.as_str() {
                                Some(s) => s.into_owned(),
                                None => {
                                    return Err(err(
                                        format!(
                                            "object keys must be strings, got {}",
                                            k.type_name()
                                        ),
                                        e.span,
                                    ))
                                }
                            }
                        }
                    };
                    map.insert(key, self.eval(value, scope)?);
                }
                Ok(Value::map(map))
            }
            ExprKind::Variable(name) => self.eval_reference(name, &[], span, scope),
            ExprKind::Traversal { base, ops } => match &base.kind {
                ExprKind::Variable(name) => self.eval_reference(name, ops, span, scope),
                _ => {
                    let v = self.eval(base, scope)?;
                    self.apply_ops(v, ops, scope)
                }
            },
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => self.eval_call(name, args, *expand_final, span, scope),
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let c = self.eval(cond, scope)?;
                match c {
                    Value::Unknown(_) => {
                        let a = self.eval(then, scope);
                        let b = self.eval(otherwise, scope);
                        match (a, b) {
                            (Ok(a), Ok(b)) if a == b && a.is_wholly_known() => Ok(a),
                            _ => Ok(c),
                        }
                    }
                    other => match other.as_bool() {
                        Some(true) => self.eval(then, scope),
                        Some(false) => self.eval(otherwise, scope),
                        None => Err(err(
                            format!("the condition must be a bool, got {}", other.type_name()),
                            cond.span,
                        )),
                    },
                }
            }
            ExprKind::Unary { op, expr } => {
                let v = self.eval(expr, scope)?;
                if v.is_unknown() {
                    return Ok(v);
                }
                match op {
                    UnaryOp::Not => v.as_bool().map(|b| Value::Bool(!b)).ok_or_else(|| {
                        err(format!("`!` needs a bool, got {}", v.type_name()), span)
                    }),
                    UnaryOp::Neg => v.as_number().map(|n| Value::Number(-n)).ok_or_else(|| {
                        err(format!("`-` needs a number, got {}", v.type_name()), span)
                    }),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => self.eval_binary(*op, lhs, rhs, span, scope),
            ExprKind::For(f) => self.eval_for(f, span, scope),
        }
    }

    /// A template of literals and interpolations (no directives), each part evaluated once.
    ///
    /// With unknown parts the string is unknown, but: a string built from the caller's own
    /// account id still belongs to that account (`arn:${partition}:iam::${account_id}:root`),
    /// and a JSON document written this way (a heredoc policy) keeps its shape, with each
    /// string holding an unknown part unknown itself, so the policy can still be analysed.
    fn eval_flat_template(&self, parts: &[TemplatePart], scope: &Scope) -> EvalResult {
        let mut values = Vec::with_capacity(parts.len());
        for part in parts {
            if let TemplatePart::Interpolation(e) = part {
                let v = self.eval(e, scope)?;
                match &v {
                    Value::Unknown(_) => {}
                    Value::Null => {
                        return Err(err(
                            "a null value cannot be interpolated into a string",
                            e.span,
                        ))
                    }
                    other if other.as_str().is_none() => {
                        return Err(err(
                            format!(
                                "a {} cannot be interpolated into a string",
                                other.type_name()
                            ),
                            e.span,
                        ))
                    }
                    _ => {}
                }
                values.push(v);
            }
        }
        let holes: Vec<&Arc<Unknown>> = values
            .iter()
            .filter_map(|v| match v {
                Value::Unknown(u) => Some(u),
                _ => None,
            })
            .collect();
        // Literal text, with each unknown part replaced by `hole(i)`.
        let render = |hole: &dyn Fn(usize) -> String| {
            let (mut text, mut next, mut holes_seen) = (String::new(), values.iter(), 0);
            for part in parts {
                match part {
                    TemplatePart::Literal(s) => text.push_str(s),
                    _ => match next.next() {
                        Some(Value::Unknown(_)) => {
                            text.push_str(&hole(holes_seen));
                            holes_seen += 1;
                        }
                        Some(v) => text.push_str(&v.as_str().unwrap_or_default()),
                        None => {}
                    },
                }
            }
            text
        };
        let Some(first) = holes.first() else {
            return Ok(Value::String(render(&|_| String::new())));
        };
        let own_account = holes
            .iter()
            .find_map(|u| u.origin.clone().filter(|o| o.own_account));
        let starts_like_json = matches!(parts.first(), Some(TemplatePart::Literal(s)) if s.trim_start().starts_with('{'));
        // Unknown parts become placeholders from Unicode's private use area.
        let document = starts_like_json
            .then(|| {
                serde_json::from_str::<serde_json::Value>(&render(&|i| {
                    format!("\u{e000}{i}\u{e001}")
                }))
                .ok()
            })
            .flatten()
            .map(|json| {
                let holes: Vec<Arc<Unknown>> = holes.iter().map(|u| Arc::clone(u)).collect();
                Box::new(fill_holes(Value::from_json(&json), &holes))
            });
        Ok(Value::Unknown(Arc::new(Unknown {
            reason: first.reason.clone(),
            span: first.span,
            origin: own_account,
            document,
        })))
    }

    /// Appends a template's text to `out`; returns the first unknown part, if any.
    fn eval_template(
        &self,
        parts: &[TemplatePart],
        scope: &Scope,
        out: &mut String,
    ) -> Result<Option<Value>, EvalError> {
        for part in parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Interpolation(e) => {
                    if out.len() > MAX_STRING_BYTES {
                        return Err(err(
                            "this template builds more text than plangate evaluates",
                            e.span,
                        ));
                    }
                    let v = self.eval(e, scope)?;
                    match &v {
                        Value::Unknown(u) => {
                            // The string is unknown and no longer the referenced value itself;
                            // built from the caller's own account id, it still belongs to it.
                            return Ok(Some(Value::Unknown(Arc::new(Unknown {
                                reason: u.reason.clone(),
                                span: u.span,
                                origin: u.origin.clone().filter(|o| o.own_account),
                                document: None,
                            }))));
                        }
                        Value::Null => {
                            return Err(err(
                                "a null value cannot be interpolated into a string",
                                e.span,
                            ))
                        }
                        other => match other.as_str() {
                            Some(s) => out.push_str(&s),
                            None => {
                                return Err(err(
                                    format!(
                                        "a {} cannot be interpolated into a string",
                                        other.type_name()
                                    ),
                                    e.span,
                                ))
                            }
                        },
                    }
                }
                TemplatePart::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let c = self.eval(cond, scope)?;
                    if let Value::Unknown(u) = &c {
                        return Ok(Some(Value::unknown(u.reason.clone(), u.span)));
                    }
                    let branch = match c.as_bool() {
                        Some(true) => then,
                        Some(false) => otherwise,
                        None => return Err(err("the `%{if}` condition must be a bool", cond.span)),
                    };
                    if let Some(u) = self.eval_template(branch, scope, out)? {
                        return Ok(Some(u));
                    }
                }
                TemplatePart::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let c = self.eval(collection, scope)?;
                    let Some(items) = iterate(&c) else {
                        if let Value::Unknown(u) = &c {
                            return Ok(Some(Value::unknown(u.reason.clone(), u.span)));
                        }
                        return Err(err("`%{for}` needs a collection", collection.span));
                    };
                    for (k, v) in items {
                        let mut s = scope.with_var(value_var, v);
                        if let Some(kv) = key_var {
                            s = s.with_var(kv, k);
                        }
                        if let Some(u) = self.eval_template(body, &s, out)? {
                            return Ok(Some(u));
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    /// A reference starting at a bare name: `var.x`, `local.y`, `aws_ecr_repository.r[0].name`…
    fn eval_reference(
        &self,
        root: &str,
        ops: &[TraversalOp],
        span: Span,
        scope: &Scope,
    ) -> EvalResult {
        // Iteration variables shadow everything else.
        if let Some(v) = scope.var(root) {
            return self.apply_ops(v.clone(), ops, scope);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOp::Attr(name, s)) => Some((name.as_str(), *s)),
            _ => None,
        };
        let need = |i: usize, what: &str| {
            attr(i).ok_or_else(|| err(format!("`{root}` must be followed by {what}"), span))
        };
        match root {
            "var" => {
                let (name, s) = need(0, "a variable name")?;
                let v = self.var_value(scope, name, s)?;
                self.apply_ops(v, &ops[1..], scope)
            }
            "local" => {
                let (name, s) = need(0, "a local value name")?;
                let v = self.local_value(scope, name, s)?;
                self.apply_ops(v, &ops[1..], scope)
            }
            "each" => {
                let (name, _) = need(0, "`.key` or `.value`")?;
                let Some((key, value)) = &scope.each else {
                    return Err(err(
                        "`each` is only available in a resource or module with `for_each`",
                        span,
                    ));
                };
                let v = match name {
                    "key" => key.clone(),
                    "value" => value.clone(),
                    other => {
                        return Err(err(
                            format!("`each.{other}` does not exist; use each.key or each.value"),
                            span,
                        ))
                    }
                };
                self.apply_ops(v, &ops[1..], scope)
            }
            "count" => {
                let (name, _) = need(0, "`.index`")?;
                match (&scope.count_index, name) {
                    (Some(i), "index") => self.apply_ops(i.clone(), &ops[1..], scope),
                    _ => Err(err(
                        "`count.index` is only available in a resource or module with `count`",
                        span,
                    )),
                }
            }
            "path" => {
                let (name, _) = need(0, "`.module`, `.root` or `.cwd`")?;
                let mi = &scope.module;
                let v = match name {
                    "root" => Value::string("."),
                    "cwd" => Value::string(mi.root_dir().to_string_lossy().into_owned()),
                    "module" => Value::string(relative_path(mi.root_dir(), &mi.module.dir)),
                    other => return Err(err(format!("`path.{other}` does not exist"), span)),
                };
                self.apply_ops(v, &ops[1..], scope)
            }
            "terraform" => match attr(0) {
                Some(("workspace", _)) => {
                    self.apply_ops(Value::string("default"), &ops[1..], scope)
                }
                _ => Ok(Value::unknown(
                    "this `terraform.*` value is not known statically",
                    Some(span),
                )),
            },
            "module" => {
                let (name, s) = need(0, "a module name")?;
                let v = self.module_value(scope, name, s)?;
                self.apply_ops(v, &ops[1..], scope)
            }
            "data" => {
                let (rtype, _) = need(0, "a data source type")?;
                let (name, s) = need(1, "a data source name")?;
                match self.resource_value(scope, Mode::Data, rtype, name) {
                    Some(v) => self.apply_ops(v, &ops[2..], scope),
                    None => Err(err(
                        format!("`data.{rtype}.{name}` is not declared in this module"),
                        s,
                    )),
                }
            }
            "self" => Ok(Value::unknown(
                "`self` is only known at apply time",
                Some(span),
            )),
            _ => {
                if let Some((name, s)) = attr(0) {
                    if let Some(v) = self.resource_value(scope, Mode::Managed, root, name) {
                        return self.apply_ops(v, &ops[1..], scope);
                    }
                    if root.starts_with("aws_") || root.contains('_') {
                        return Err(err(
                            format!("`{root}.{name}` is not declared in this module"),
                            s,
                        ));
                    }
                }
                Err(err(format!("unknown name `{root}`"), span))
            }
        }
    }

    fn apply_ops(&self, mut value: Value, ops: &[TraversalOp], scope: &Scope) -> EvalResult {
        let mut i = 0;
        while i < ops.len() {
            if value.is_unknown() {
                return Ok(value);
            }
            match &ops[i] {
                TraversalOp::Attr(name, s) => {
                    value = match value.get_attr(name, Some(*s)) {
                        Some(v) => v,
                        None => {
                            return Err(match &value {
                                Value::Null => err(format!("cannot read `.{name}` of a null value"), *s),
                                Value::List(_) => err(
                                    format!("cannot read `.{name}` of a list; use `[*].{name}` for every element"),
                                    *s,
                                ),
                                Value::Map(_) => err(format!("this object has no attribute `{name}`"), *s),
                                other => err(format!("cannot read `.{name}` of a {}", other.type_name()), *s),
                            })
                        }
                    };
                }
                TraversalOp::Index(e) => {
                    let key = self.eval(e, scope)?;
                    value = index_value(&value, &key, e.span)?;
                }
                TraversalOp::FullSplat | TraversalOp::AttrSplat => {
                    let legacy = matches!(ops[i], TraversalOp::AttrSplat);
                    // `[*]` applies everything after it to each element; `.*` only the
                    // attribute accesses right after it.
                    let rest_end = if legacy {
                        i + 1
                            + ops[i + 1..]
                                .iter()
                                .take_while(|o| matches!(o, TraversalOp::Attr(..)))
                                .count()
                    } else {
                        ops.len()
                    };
                    let per_element = &ops[i + 1..rest_end];
                    let elements: Vec<Value> = match &value {
                        Value::Null => vec![],
                        Value::List(items) => items.to_vec(),
                        other => vec![other.clone()],
                    };
                    let mut out = Vec::with_capacity(elements.len());
                    for el in elements {
                        out.push(self.apply_ops(el, per_element, scope)?);
                    }
                    value = Value::list(out);
                    i = rest_end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(value)
    }

    fn eval_binary(
        &self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        span: Span,
        scope: &Scope,
    ) -> EvalResult {
        let l = self.eval(lhs, scope)?;
        // `&&` and `||` decide without the right side when they can.
        match (op, l.as_bool()) {
            (BinaryOp::And, Some(false)) => return Ok(Value::Bool(false)),
            (BinaryOp::Or, Some(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        let r = self.eval(rhs, scope)?;
        match op {
            BinaryOp::And | BinaryOp::Or => {
                if let (BinaryOp::And, Some(false)) | (BinaryOp::Or, Some(true)) = (op, r.as_bool())
                {
                    return Ok(Value::Bool(op == BinaryOp::Or));
                }
                if l.is_unknown() {
                    return Ok(l);
                }
                if r.is_unknown() {
                    return Ok(r);
                }
                match (l.as_bool(), r.as_bool()) {
                    (Some(a), Some(b)) => Ok(Value::Bool(if op == BinaryOp::And {
                        a && b
                    } else {
                        a || b
                    })),
                    _ => Err(err("`&&` and `||` need bools", span)),
                }
            }
            BinaryOp::Eq | BinaryOp::NotEq => {
                if let Some(u) = l.first_unknown().or(r.first_unknown()) {
                    return Ok(u.clone());
                }
                let equal = values_equal(&l, &r);
                Ok(Value::Bool(if op == BinaryOp::Eq { equal } else { !equal }))
            }
            _ => {
                if l.is_unknown() {
                    return Ok(l);
                }
                if r.is_unknown() {
                    return Ok(r);
                }
                let (Some(a), Some(b)) = (l.as_number(), r.as_number()) else {
                    return Err(err(
                        format!(
                            "arithmetic and comparison need numbers, got {} and {}",
                            l.type_name(),
                            r.type_name()
                        ),
                        span,
                    ));
                };
                Ok(match op {
                    BinaryOp::Less => Value::Bool(a < b),
                    BinaryOp::LessEq => Value::Bool(a <= b),
                    BinaryOp::Greater => Value::Bool(a > b),
                    BinaryOp::GreaterEq => Value::Bool(a >= b),
                    BinaryOp::Plus => Value::Number(a + b),
                    BinaryOp::Minus => Value::Number(a - b),
                    BinaryOp::Mul => Value::Number(a * b),
                    BinaryOp::Div if b == 0.0 => return Err(err("division by zero", span)),
                    BinaryOp::Div => Value::Number(a / b),
                    BinaryOp::Mod if b == 0.0 => return Err(err("modulo by zero", span)),
                    BinaryOp::Mod => Value::Number(a % b),
                    _ => unreachable!("handled above"),
                })
            }
        }
    }

    fn eval_for(&self, f: &ForExpr, span: Span, scope: &Scope) -> EvalResult {
        let collection = self.eval(&f.collection, scope)?;
        let Some(items) = iterate(&collection) else {
            if collection.is_unknown() {
                return Ok(collection);
            }
            return Err(err(
                format!(
                    "a `for` expression needs a collection, got {}",
                    collection.type_name()
                ),
                f.collection.span,
            ));
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut built = 0usize;
        for (k, v) in items {
            let mut s = scope.with_var(&f.value_var, v);
            if let Some(kv) = &f.key_var {
                s = s.with_var(kv, k);
            }
            if let Some(cond) = &f.cond {
                let c = self.eval(cond, &s)?;
                if c.is_unknown() {
                    return Ok(c);
                }
                match c.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Err(err("a `for` condition must be a bool", cond.span)),
                }
            }
            let value = self.eval(&f.value_expr, &s)?;
            // Bounded as it grows: nested `for`s multiply.
            built += node_count(&value, MAX_VALUE_NODES.saturating_sub(built) + 1);
            if built > MAX_VALUE_NODES {
                return Err(err(
                    format!("this `for` expression builds more than {MAX_VALUE_NODES} elements, more than plangate evaluates"),
                    span,
                ));
            }
            match &f.key_expr {
                None => list.push(value),
                Some(key_expr) => {
                    let key = self.eval(key_expr, &s)?;
                    if key.is_unknown() {
                        return Ok(key);
                    }
                    let Some(key) = key.as_str().map(|k| k.into_owned()) else {
                        return Err(err("a `for` key must be a string", key_expr.span));
                    };
                    if f.grouping {
                        groups.entry(key).or_default().push(value);
                    } else if map.insert(key.clone(), value).is_some() {
                        return Err(err(
                            format!(
                                "duplicate key `{key}` in a `for` expression (use `...` to group)"
                            ),
                            span,
                        ));
                    }
                }
            }
        }
        Ok(match &f.key_expr {
            None => Value::list(list),
            Some(_) if f.grouping => Value::map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::list(v)))
                    .collect(),
            ),
            Some(_) => Value::map(map),
        })
    }

    fn eval_call(
        &self,
        name: &str,
        args: &[Expr],
        expand_final: bool,
        span: Span,
        scope: &Scope,
    ) -> EvalResult {
        match name {
            "try" => {
                let mut last_error = None;
                for arg in args {
                    match self.eval(arg, scope) {
                        Ok(v) => return Ok(v),
                        Err(e) => last_error = Some(e),
                    }
                }
                return Err(
                    last_error.unwrap_or_else(|| err("`try` needs at least one argument", span))
                );
            }
            "can" => {
                let Some(arg) = args.first() else {
                    return Err(err("`can` needs one argument", span));
                };
                return Ok(match self.eval(arg, scope) {
                    Ok(v) if v.is_unknown() => v,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.eval(arg, scope)?);
        }
        if expand_final {
            match values.pop() {
                Some(Value::List(items)) => values.extend(items.iter().cloned()),
                Some(v @ Value::Unknown(_)) => return Ok(v),
                Some(other) => {
                    return Err(err(
                        format!("`...` needs a list, got {}", other.type_name()),
                        span,
                    ))
                }
                None => {}
            }
        }
        if let Some(v) = path_function(name, &values, span) {
            return v;
        }
        match name {
            "file" | "fileexists" | "templatefile" | "filebase64" => {
                return self.eval_file_function(name, &values, span, scope)
            }
            _ => {}
        }
        let name = name.strip_prefix("core::").unwrap_or(name);
        if name == "jsonencode"
            && values.len() == 1
            && !values[0].is_unknown()
            && !values[0].is_wholly_known()
        {
            // The text is unknown, but the document's shape is not: keep it for analysis.
            return Ok(crate::extract::policy_document::json_text(
                values.pop().unwrap_or_default(),
            ));
        }
        match functions::call(name, &values, Some(span)) {
            None => Ok(Value::unknown(
                format!("plangate does not evaluate the function `{name}` yet"),
                Some(span),
            )),
            Some(Value::Unknown(u))
                if !UNKNOWABLE_FUNCTIONS.contains(&name)
                    && values.iter().all(Value::is_wholly_known) =>
            {
                // With every argument known, an unknown result is the function's error.
                Err(err(u.reason.clone(), span))
            }
            Some(v) => Ok(v),
        }
    }

    /// `file`, `fileexists`, `templatefile`: read files of the module, never outside it.
    fn eval_file_function(
        &self,
        name: &str,
        args: &[Value],
        span: Span,
        scope: &Scope,
    ) -> EvalResult {
        let Some(path_value) = args.first() else {
            return Err(err(format!("`{name}` needs a path"), span));
        };
        if let Some(u) = path_value.first_unknown() {
            return Ok(u.clone());
        }
        let Some(path) = path_value.as_str() else {
            return Err(err(format!("`{name}` needs a string path"), span));
        };
        let mi = &scope.module;
        let full = crate::discover::normalize(&mi.root_dir().join(path.as_ref()));
        // Inside the module or the root, by real path: a symlink must not lead out.
        let real =
            |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let target = real(&full);
        let allowed =
            target.starts_with(real(&mi.module.dir)) || target.starts_with(real(mi.root_dir()));
        if !allowed {
            return Ok(Value::unknown(
                format!(
                    "`{name}(\"{path}\")` reads outside the module, which plangate does not do"
                ),
                Some(span),
            ));
        }
        if name == "fileexists" {
            return Ok(Value::Bool(full.is_file()));
        }
        let text = match crate::discover::read_capped(&full) {
            Ok(text) => text,
            Err(e) => return Err(err(format!("`{name}(\"{path}\")`: {e}"), span)),
        };
        match name {
            "file" => Ok(Value::String(text)),
            "filebase64" => Ok(
                functions::call("base64encode", &[Value::String(text)], Some(span))
                    .unwrap_or_default(),
            ),
            _ => {
                let vars = args.get(1).cloned().unwrap_or(Value::map(BTreeMap::new()));
                if let Some(u) = vars.first_unknown() {
                    // Only the variables the template uses matter, but we cannot tell cheaply.
                    if vars.as_map().is_none() {
                        return Ok(u.clone());
                    }
                }
                let Some(var_map) = vars.as_map() else {
                    return Err(err("`templatefile` needs an object of variables", span));
                };
                let parts = match crate::hcl::parse::parse_template(span.file, &text, 0) {
                    Ok(parts) => parts,
                    Err(e) => {
                        return Err(err(
                            format!("template `{path}` does not parse: {}", e.message),
                            span,
                        ))
                    }
                };
                let mut s = crate::hcl::eval::Scope {
                    module: scope.module.clone(),
                    each: None,
                    count_index: None,
                    vars: Vec::new(),
                };
                for (k, v) in var_map {
                    s = s.with_var(k, v.clone());
                }
                let mut out = String::new();
                // Spans inside the template file are not ours to show: point at the call.
                match self.eval_template(&parts, &s, &mut out) {
                    Ok(None) => Ok(Value::String(out)),
                    Ok(Some(u)) => Ok(Value::unknown(
                        u.as_unknown().map(|u| u.reason.clone()).unwrap_or_default(),
                        Some(span),
                    )),
                    Err(e) => Err(err(format!("in template `{path}`: {}", e.message), span)),
                }
            }
        }
    }
}

/// `basename`, `dirname`, `abspath`, `pathexpand`: string manipulation on paths, as
/// Terraform does it (no file system access).
fn path_function(name: &str, args: &[Value], span: Span) -> Option<EvalResult> {
    if !matches!(name, "basename" | "dirname" | "abspath" | "pathexpand") {
        return None;
    }
    let Some(arg) = args.first() else {
        return Some(Err(err(format!("`{name}` needs a path"), span)));
    };
    if arg.is_unknown() {
        return Some(Ok(arg.clone()));
    }
    let Some(path) = arg.as_str() else {
        return Some(Err(err(format!("`{name}` needs a string"), span)));
    };
    let trimmed = path.trim_end_matches('/');
    Some(Ok(Value::string(match name {
        "basename" => {
            if trimmed.is_empty() {
                if path.is_empty() {
                    ".".to_string()
                } else {
                    "/".to_string()
                }
            } else {
                trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
            }
        }
        "dirname" => match trimmed.rsplit_once('/') {
            Some(("", _)) => "/".to_string(),
            Some((dir, _)) => dir.to_string(),
            None => ".".to_string(),
        },
        "abspath" => crate::discover::normalize(std::path::Path::new(path.as_ref()))
            .to_string_lossy()
            .into_owned(),
        // `~` is the home directory, which plangate does not look at.
        _ => {
            if path.starts_with('~') {
                return Some(Ok(Value::unknown(
                    "`pathexpand` depends on the home directory of the machine running Terraform",
                    Some(span),
                )));
            }
            path.into_owned()
        }
    })))
}

/// Replaces every string holding a placeholder by the unknown it stands for. A string that
/// also holds the caller's own account id keeps that origin (`arn:aws:iam::<id>:root`).
fn fill_holes(value: Value, holes: &[Arc<Unknown>]) -> Value {
    match value {
        Value::String(s) if s.contains('\u{e000}') => {
            let used: Vec<&Arc<Unknown>> = s
                .split('\u{e000}')
                .skip(1)
                .filter_map(|rest| rest.split('\u{e001}').next()?.parse::<usize>().ok())
                .filter_map(|i| holes.get(i))
                .collect();
            let Some(first) = used.first() else {
                return Value::String(s);
            };
            let own = used
                .iter()
                .find_map(|u| u.origin.clone().filter(|o| o.own_account));
            // A value that is exactly one unknown keeps its origin; a built string does
            // only when it is built from the own account.
            let exact = used.len() == 1 && s.starts_with('\u{e000}') && s.ends_with('\u{e001}');
            let origin = if exact { first.origin.clone() } else { own };
            Value::Unknown(Arc::new(Unknown {
                reason: first.reason.clone(),
                span: first.span,
                origin,
                document: None,
            }))
        }
        Value::List(items) => Value::list(
            items
                .iter()
                .cloned()
                .map(|v| fill_holes(v, holes))
                .collect(),
        ),
        Value::Map(m) => Value::map(
            m.iter()
                .map(|(k, v)| (k.clone(), fill_holes(v.clone(), holes)))
                .collect(),
        ),
        other => other,
    }
}

/// The (key, value) pairs a `for` iterates: index/element for lists, key/value for maps.
fn iterate(v: &Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                .collect(),
        ),
        Value::Null => None,
        other => other.as_map().map(|m| {
            m.iter()
                .map(|(k, x)| (Value::string(k.clone()), x.clone()))
                .collect()
        }),
    }
}

fn index_value(value: &Value, key: &Value, span: Span) -> EvalResult {
    if let Value::Unknown(u) = key {
        // An unknown index into a list of resource instances still tells which resource.
        let origin = match value {
            Value::List(items) => items.iter().find_map(|i| match i {
                Value::Resource(r) => Some(r.address.clone()),
                _ => None,
            }),
            _ => None,
        };
        return Ok(Value::Unknown(Arc::new(Unknown {
            reason: u.reason.clone(),
            span: u.span,
            origin: origin.map(|address| Origin {
                address: address
                    .rsplit_once('[')
                    .map(|(base, _)| format!("{base}[*]"))
                    .unwrap_or(address),
                attribute: String::new(),
                own_account: false,
            }),
            document: None,
        })));
    }
    match value {
        Value::List(items) => {
            let Some(n) = key.as_number() else {
                return Err(err(
                    format!("a list index must be a number, got {}", key.type_name()),
                    span,
                ));
            };
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return Err(err(
                    format!(
                        "index {} is out of range for a list of {} elements",
                        format_number(n),
                        items.len()
                    ),
                    span,
                ));
            }
            Ok(items[n as usize].clone())
        }
        Value::Null => Err(err("cannot index a null value", span)),
        other => match other.as_map() {
            Some(map) => {
                let Some(k) = key.as_str() else {
                    return Err(err(
                        format!("a map key must be a string, got {}", key.type_name()),
                        span,
                    ));
                };
                map.get(k.as_ref())
                    .cloned()
                    .ok_or_else(|| err(format!("the key {:?} does not exist", k), span))
            }
            None => Err(err(format!("cannot index a {}", other.type_name()), span)),
        },
    }
}

/// Terraform equality: numbers and strings do not convert; collections compare deeply.
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Resource(_), _) | (_, Value::Resource(_)) => a.as_map() == b.as_map(),
        _ => a == b,
    }
}

/// `path.module` as Terraform reports it: the module directory relative to the root.
fn relative_path(root: &std::path::Path, dir: &std::path::Path) -> String {
    if dir == root {
        return ".".into();
    }
    if let Ok(rel) = dir.strip_prefix(root) {
        return rel.to_string_lossy().replace('\\', "/");
    }
    // Walk up from the root until the module directory is below.
    let mut up = String::new();
    let mut base = root.to_path_buf();
    while let Some(parent) = base.parent().map(|p| p.to_path_buf()) {
        up.push_str("../");
        base = parent;
        if let Ok(rel) = dir.strip_prefix(&base) {
            return format!("{up}{}", rel.to_string_lossy().replace('\\', "/"))
                .trim_end_matches('/')
                .to_string();
        }
    }
    dir.to_string_lossy().into_owned()
}
