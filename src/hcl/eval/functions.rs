//! Terraform's built-in functions over evaluated values; unknown in, unknown out.
//!
//! [`call`] evaluates one call. It never panics: a call Terraform would reject (wrong
//! arity, wrong type, index out of range) yields an unknown value whose reason starts with
//! the function's name and says what is wrong, so one bad expression cannot stop a run.
//!
//! Unknown values follow three rules:
//! - a result that depends on an unknown argument is unknown and reuses that argument's
//!   reason, so the user still sees the root cause (its origin is dropped: the result is
//!   not that resource attribute);
//! - a result that *is* (part of) an argument passed through unchanged — `element`,
//!   `lookup`, `one`, `coalesce`, `concat`, `merge`, the conversions — keeps the very same
//!   unknown value, origin included: origins carry the address of the resource a value
//!   comes from, and rules follow them;
//! - a list holding unknown elements is not itself unknown: `length([x.arn, "a"])` is 2.
//!
//! Terraform's automatic conversions apply: numbers and bools are accepted where strings
//! are expected, numeric strings where numbers are, `"true"`/`"false"` where bools are.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::hcl::eval::value::{format_number, Unknown, Value};
use crate::source::Span;

/// Most elements a function may build (`setproduct`); beyond it the result is unknown.
const MAX_ELEMENTS: usize = 1_000_000;
/// Longest string a function may build (`join`, `replace`, `indent`, `format`...).
const MAX_STRING_BYTES: usize = 16 << 20;
/// Terraform's own limit on `range`: it fails rather than building a longer list.
const MAX_RANGE: usize = 1024;
/// Widest field or longest precision `format` accepts: far beyond any real use, small
/// enough that one verb cannot allocate much.
const MAX_FORMAT_WIDTH: usize = 10_000;
/// Marks a variadic upper bound in arity checks.
const ANY: usize = usize::MAX;

/// What a function produces: `Err` carries the unknown to return right away (an error or
/// a propagated unknown), so argument checks can use `?`.
type Out = Result<Value, Value>;

/// Evaluates Terraform function `name`. `None` when this module does not implement it
/// (including `file`, `templatefile`, `try`, `can` and `fileexists`, which the evaluator
/// handles itself): the caller then makes an unknown naming the function.
pub fn call(name: &str, args: &[Value], span: Option<Span>) -> Option<Value> {
    let function: fn(&Cx, &[Value]) -> Out = match name {
        // Encoding.
        "jsonencode" => jsonencode,
        "jsondecode" => jsondecode,
        "base64encode" => base64encode,
        "base64decode" => base64decode,
        "urlencode" => urlencode,
        // Collections.
        "merge" => merge,
        "concat" => concat,
        "coalesce" => coalesce,
        "coalescelist" => coalescelist,
        "compact" => compact,
        "distinct" => distinct,
        "flatten" => flatten,
        "lookup" => lookup,
        "contains" => contains,
        "length" => length,
        "element" => element,
        "index" => index,
        "keys" => keys,
        "values" => values,
        "zipmap" => zipmap,
        "range" => range,
        "one" => one,
        "sort" => sort,
        "reverse" => reverse,
        "slice" => slice,
        "chunklist" => chunklist,
        "transpose" => transpose,
        "matchkeys" => matchkeys,
        "alltrue" => alltrue,
        "anytrue" => anytrue,
        "sum" => sum,
        "list" | "map" => removed,
        // Sets.
        "setunion" => setunion,
        "setintersection" => setintersection,
        "setsubtract" => setsubtract,
        "setproduct" => setproduct,
        // Conversions.
        "tolist" => tolist,
        "toset" => toset,
        "tomap" => tomap,
        "tostring" => tostring,
        "tonumber" => tonumber,
        "tobool" => tobool,
        "sensitive" | "nonsensitive" => identity,
        // Strings.
        "format" => format,
        "formatlist" => formatlist,
        "join" => join,
        "split" => split,
        "replace" => replace,
        "lower" => lower,
        "upper" => upper,
        "title" => title,
        "trimspace" => trimspace,
        "trim" => trim,
        "trimprefix" => trimprefix,
        "trimsuffix" => trimsuffix,
        "chomp" => chomp,
        "startswith" => startswith,
        "endswith" => endswith,
        "strcontains" => strcontains,
        "strrev" => strrev,
        "substr" => substr,
        "indent" => indent,
        "regex" => regex,
        "regexall" => regexall,
        // Numbers.
        "min" => min,
        "max" => max,
        "abs" => abs,
        "ceil" => ceil,
        "floor" => floor,
        "signum" => signum,
        "pow" => pow,
        "log" => log,
        "parseint" => parseint,
        // Networks.
        "cidrhost" => cidrhost,
        "cidrnetmask" => cidrnetmask,
        "cidrsubnet" => cidrsubnet,
        "cidrsubnets" => cidrsubnets,
        // Values a static analysis cannot or does not compute.
        "timestamp" | "plantimestamp" | "uuid" | "uuidv5" | "bcrypt" | "md5" | "sha1"
        | "sha256" | "sha512" | "base64sha256" | "base64sha512" | "rsadecrypt" => not_static,
        _ => return None,
    };
    let cx = Cx { name, span };
    Some(function(&cx, args).unwrap_or_else(|stop| stop))
}

/// The call being evaluated: names the function in error reasons and spans the results.
struct Cx<'a> {
    name: &'a str,
    span: Option<Span>,
}

impl Cx<'_> {
    /// The result of a call Terraform would reject.
    fn fail(&self, msg: impl std::fmt::Display) -> Value {
        Value::unknown(format!("`{}`: {msg}", self.name), self.span)
    }

    /// An unknown result caused by the first unknown inside `cause`: same reason, so the
    /// root cause stays visible, but no origin, since the result is not that value.
    fn because(&self, cause: &Value) -> Value {
        match cause.first_unknown().and_then(Value::as_unknown) {
            Some(u) => Value::Unknown(Arc::new(Unknown {
                reason: u.reason.clone(),
                span: u.span.or(self.span),
                origin: None,
                document: None,
            })),
            None => self.fail("an argument is unknown"),
        }
    }

    fn arity(&self, args: &[Value], min: usize, max: usize) -> Result<(), Value> {
        if (min..=max).contains(&args.len()) {
            return Ok(());
        }
        let want = match (min, max) {
            (1, 1) => "1 argument".to_string(),
            _ if min == max => format!("{min} arguments"),
            (_, ANY) if min == 1 => "at least 1 argument".to_string(),
            (_, ANY) => format!("at least {min} arguments"),
            _ => format!("{min} to {max} arguments"),
        };
        Err(self.fail(format!("expects {want}, got {}", args.len())))
    }

    /// Fails with `cause`'s reason when anything inside it is unknown.
    fn known(&self, cause: &Value) -> Result<(), Value> {
        match cause.first_unknown() {
            Some(u) => Err(self.because(u)),
            None => Ok(()),
        }
    }

    fn known_all(&self, items: &[Value]) -> Result<(), Value> {
        items.iter().try_for_each(|item| self.known(item))
    }

    /// Rejects unknown and null arguments: what every typed accessor checks first.
    fn present(&self, v: &Value, what: &str) -> Result<(), Value> {
        match v {
            Value::Unknown(_) => Err(self.because(v)),
            Value::Null => Err(self.fail(format!("{what} must not be null"))),
            _ => Ok(()),
        }
    }

    fn string<'v>(&self, v: &'v Value, what: &str) -> Result<Cow<'v, str>, Value> {
        self.present(v, what)?;
        v.as_str()
            .ok_or_else(|| self.fail(format!("{what} must be a string, got {}", v.type_name())))
    }

    fn number(&self, v: &Value, what: &str) -> Result<f64, Value> {
        self.present(v, what)?;
        match v.as_number() {
            Some(n) if n.is_finite() => Ok(n),
            Some(_) => Err(self.fail(format!("{what} must be a finite number"))),
            None => Err(self.fail(format!("{what} must be a number, got {}", describe(v)))),
        }
    }

    fn integer(&self, v: &Value, what: &str) -> Result<i64, Value> {
        let n = self.number(v, what)?;
        // Beyond ±9.2e18 an f64 does not fit an i64 (and has no fractional digits anyway).
        if n.fract() != 0.0 || n.abs() > 9.2e18 {
            return Err(self.fail(format!("{what} must be a whole number, got {n}")));
        }
        Ok(n as i64)
    }

    fn boolean(&self, v: &Value, what: &str) -> Result<bool, Value> {
        self.present(v, what)?;
        v.as_bool()
            .ok_or_else(|| self.fail(format!("{what} must be a bool, got {}", describe(v))))
    }

    fn list<'v>(&self, v: &'v Value, what: &str) -> Result<&'v [Value], Value> {
        self.present(v, what)?;
        v.as_list()
            .ok_or_else(|| self.fail(format!("{what} must be a list, got {}", v.type_name())))
    }

    fn map<'v>(&self, v: &'v Value, what: &str) -> Result<&'v BTreeMap<String, Value>, Value> {
        self.present(v, what)?;
        v.as_map()
            .ok_or_else(|| self.fail(format!("{what} must be a map, got {}", v.type_name())))
    }

    /// A number result: Terraform has no NaN, and an infinity is no use to a rule.
    fn finite(&self, n: f64) -> Out {
        if n.is_finite() {
            Ok(Value::Number(n))
        } else {
            Err(self.fail("the result is not a finite number"))
        }
    }

    fn check_size(&self, bytes: usize) -> Result<(), Value> {
        if bytes > MAX_STRING_BYTES {
            return Err(self.fail(format!(
                "the result would be longer than {MAX_STRING_BYTES} bytes"
            )));
        }
        Ok(())
    }
}

/// A value for messages: strings quoted, others by type.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(_) | Value::Number(_) | Value::Null => v.to_string(),
        _ => v.type_name().to_string(),
    }
}

fn string(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::list(items.into_iter().map(string).collect())
}

/// Equality as `contains`, `index` and the set functions see it: Terraform converts
/// one side to the other's type, so `"1"` equals `1` and `"true"` equals `true`.
/// `None` when unknown values inside decide it.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_equal(x.iter().zip(y.iter()))
        }
        _ => match (a.as_map(), b.as_map()) {
            (Some(x), Some(y)) => {
                if x.len() != y.len() || x.keys().ne(y.keys()) {
                    return Some(false);
                }
                all_equal(x.values().zip(y.values()))
            }
            _ => Some(primitive_equal(a, b)),
        },
    }
}

fn all_equal<'a>(pairs: impl Iterator<Item = (&'a Value, &'a Value)>) -> Option<bool> {
    let mut undecided = false;
    for (x, y) in pairs {
        match equal(x, y) {
            Some(false) => return Some(false),
            None => undecided = true,
            Some(true) => {}
        }
    }
    (!undecided).then_some(true)
}

fn primitive_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(n), s @ Value::String(_)) | (s @ Value::String(_), Value::Number(n)) => {
            s.as_number() == Some(*n)
        }
        (Value::Bool(v), s @ Value::String(_)) | (s @ Value::String(_), Value::Bool(v)) => {
            s.as_bool() == Some(*v)
        }
        _ => false,
    }
}

/// A string identifying a known value up to Terraform equality, for de-duplication in
/// linear time (`-0` and `0` are one number; a string and a number stay apart, which is
/// fine because [`unify`] has already converted mixed primitives to strings).
fn canon(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 'T' } else { 'F' }),
        Value::Number(n) => {
            out.push('#');
            out.push_str(&format_number(*n));
        }
        Value::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        Value::List(items) => {
            out.push('[');
            for item in items.iter() {
                canon(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Map(_) | Value::Resource(_) => {
            out.push('{');
            for (k, item) in v.as_map().into_iter().flatten() {
                let _ = write!(out, "{k:?}:");
                canon(item, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Unknown(u) => {
            let _ = write!(out, "?{:p}", Arc::as_ptr(u));
        }
    }
}

fn canon_key(v: &Value) -> String {
    let mut key = String::new();
    canon(v, &mut key);
    key
}

/// Gives the elements of a tuple one type, as Terraform does when it converts a tuple to
/// a list, set or map: mixed strings, numbers and bools all become strings; mixing
/// primitives with collections, or lists with maps, is an error. Unknowns and nulls fit
/// any type and are left alone.
fn unify<'v>(cx: &Cx, items: &'v [Value]) -> Result<Cow<'v, [Value]>, Value> {
    let (mut strings, mut numbers, mut bools, mut lists, mut maps) = (0, 0, 0, 0, 0);
    for item in items {
        match item {
            Value::String(_) => strings = 1,
            Value::Number(_) => numbers = 1,
            Value::Bool(_) => bools = 1,
            Value::List(_) => lists = 1,
            Value::Map(_) | Value::Resource(_) => maps = 1,
            Value::Null | Value::Unknown(_) => {}
        }
    }
    let primitives = strings + numbers + bools;
    if (primitives > 0 && lists + maps > 0) || lists + maps > 1 {
        return Err(cx.fail("all elements must have the same type"));
    }
    if primitives <= 1 {
        return Ok(Cow::Borrowed(items));
    }
    Ok(Cow::Owned(
        items
            .iter()
            .map(|item| match item {
                Value::Number(_) | Value::Bool(_) => {
                    string(item.as_str().map(Cow::into_owned).unwrap_or_default())
                }
                _ => item.clone(),
            })
            .collect(),
    ))
}

/// The elements of a Terraform set built from `items`: one type, no duplicates, strings
/// and numbers and bools in Terraform's order (lexical, numeric, false first). Elements
/// that are or hold unknowns cannot be compared: they are kept, unchanged, at the end.
fn set_of(cx: &Cx, items: &[Value]) -> Result<Vec<Value>, Value> {
    let items = unify(cx, items)?;
    if items.iter().any(Value::is_null) {
        return Err(cx.fail("sets cannot contain null values"));
    }
    let (mut known, unknown): (Vec<Value>, Vec<Value>) =
        items.iter().cloned().partition(Value::is_wholly_known);
    if known.iter().all(|v| matches!(v, Value::Number(_))) {
        known.sort_by(|a, b| match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    } else if known
        .iter()
        .all(|v| matches!(v, Value::String(_) | Value::Bool(_)))
    {
        // Only one of the two kinds is present after `unify`; `false` < `true`, and
        // strings compare bytewise like Go's.
        known.sort_by(|a, b| match (a, b) {
            (Value::String(x), Value::String(y)) => x.cmp(y),
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    }
    let mut seen = HashSet::new();
    known.retain(|v| seen.insert(canon_key(v)));
    known.extend(unknown);
    Ok(known)
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

fn jsonencode(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    cx.known(&args[0])?;
    let mut out = String::new();
    write_json(&args[0], &mut out).map_err(|msg| cx.fail(msg))?;
    Ok(string(out))
}

/// Writes `v` as Terraform's `jsonencode` does: no whitespace, object keys sorted.
fn write_json(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Rust's shortest round-trip rendering without exponent is Go's
        // `big.Float.Text('f', -1)`, which Terraform uses.
        Value::Number(n) if n.is_finite() => {
            let _ = write!(out, "{n}");
        }
        Value::Number(n) => return Err(format!("cannot encode {n} as JSON")),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        Value::Map(_) | Value::Resource(_) => {
            out.push('{');
            for (i, (k, item)) in v.as_map().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(item, out)?;
            }
            out.push('}');
        }
        Value::Unknown(u) => return Err(u.reason.clone()),
    }
    Ok(())
}

/// A JSON string as Go's `encoding/json` writes it, HTML-safe: `<`, `>`, `&`, U+2028 and
/// U+2029 are escaped, which matters when comparing policies byte for byte.
fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

fn jsondecode(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let text = cx.string(&args[0], "the argument")?;
    // serde_json limits nesting depth, so hostile input cannot overflow the stack.
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => Ok(Value::from_json(&json)),
        Err(e) => Err(cx.fail(format!("invalid JSON: {e}"))),
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64encode(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let text = cx.string(&args[0], "the argument")?;
    let mut out = String::with_capacity(text.len().div_ceil(3) * 4);
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(string(out))
}

fn base64decode(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let text = cx.string(&args[0], "the argument")?;
    let bytes = decode_base64(&text)
        .ok_or_else(|| cx.fail(format!("failed to decode base64 data {:?}", &*text)))?;
    String::from_utf8(bytes)
        .map(string)
        .map_err(|_| cx.fail("the result of decoding the provided string is not valid UTF-8"))
}

/// Standard base64 with padding, as Go's `StdEncoding` reads it (line breaks ignored).
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b'\n' && *b != b'\r')
        .collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quads = clean.len() / 4;
    for (q, quad) in clean.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 || (pad > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &b in &quad[..4 - pad] {
            let digit = BASE64.iter().position(|c| *c == b)?;
            n = (n << 6) | digit as u32;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}

/// Go's `url.QueryEscape`, which Terraform's `urlencode` uses.
fn urlencode(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let text = cx.string(&args[0], "the argument")?;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Ok(string(out))
}

// ---------------------------------------------------------------------------------------
// Collections
// ---------------------------------------------------------------------------------------

fn merge(cx: &Cx, args: &[Value]) -> Out {
    let mut out = BTreeMap::new();
    for (i, arg) in args.iter().enumerate() {
        // Terraform treats a null argument as an empty map.
        if arg.is_null() {
            continue;
        }
        let map = cx.map(arg, &format!("argument {}", i + 1))?;
        out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok(Value::map(out))
}

fn concat(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        out.extend_from_slice(cx.list(arg, &format!("argument {}", i + 1))?);
    }
    Ok(Value::list(out))
}

/// The first argument that is neither null nor an empty string. An unknown argument
/// reached before that is returned itself: it is most likely the value chosen.
fn coalesce(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    // Terraform first converts all arguments to one type: mixed primitives to strings.
    let unified = unify(cx, args).map_err(|_| cx.fail("all arguments must have the same type"))?;
    for arg in unified.iter() {
        match arg {
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            _ => return Ok(arg.clone()),
        }
    }
    Err(cx.fail("no non-null, non-empty-string arguments"))
}

fn coalescelist(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    if let Some(bad) = args
        .iter()
        .find(|a| !matches!(a, Value::List(_) | Value::Null | Value::Unknown(_)))
    {
        return Err(cx.fail(format!(
            "arguments must be lists or tuples, got {}",
            bad.type_name()
        )));
    }
    for arg in args {
        match arg {
            Value::List(items) if items.is_empty() => continue,
            Value::Null => continue,
            _ => return Ok(arg.clone()),
        }
    }
    Err(cx.fail("no non-null arguments"))
}

fn compact(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let mut out = Vec::new();
    for item in cx.list(&args[0], "the list")? {
        match item {
            // An unknown element may turn out to be "": the length is unknown.
            Value::Unknown(_) => return Err(cx.because(item)),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            _ => out.push(string(cx.string(item, "each element")?)),
        }
    }
    Ok(Value::list(out))
}

fn distinct(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let items = cx.list(&args[0], "the list")?;
    // An unknown element may equal any other.
    cx.known_all(items)?;
    let items = unify(cx, items)?;
    let mut seen = HashSet::new();
    Ok(Value::list(
        items
            .iter()
            .filter(|v| seen.insert(canon_key(v)))
            .cloned()
            .collect(),
    ))
}

/// Unknown elements are kept as single elements: Terraform knows their type from the
/// provider schema and we do not, and they are almost always strings (ARNs, IDs).
fn flatten(cx: &Cx, args: &[Value]) -> Out {
    fn flatten_into(items: &[Value], out: &mut Vec<Value>) {
        for item in items {
            match item {
                Value::List(inner) => flatten_into(inner, out),
                _ => out.push(item.clone()),
            }
        }
    }
    cx.arity(args, 1, 1)?;
    let mut out = Vec::new();
    flatten_into(cx.list(&args[0], "the argument")?, &mut out);
    Ok(Value::list(out))
}

fn lookup(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 3)?;
    cx.present(&args[0], "the map")?;
    let key = cx.string(&args[1], "the key")?;
    if let Value::Resource(_) = &args[0] {
        // Attributes not written in the configuration are computed: `get_attr` makes
        // them unknowns that name the resource.
        return Ok(args[0].get_attr(&key, cx.span).unwrap_or_default());
    }
    match cx.map(&args[0], "the map")?.get(&*key) {
        Some(v) => Ok(v.clone()),
        None => match args.get(2) {
            Some(default) => Ok(default.clone()),
            None => Err(cx.fail(format!("lookup failed to find key {key:?}"))),
        },
    }
}

fn contains(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let items = cx.list(&args[0], "the list")?;
    let wanted = &args[1];
    let mut undecided = None;
    for item in items {
        match equal(item, wanted) {
            Some(true) => return Ok(Value::Bool(true)),
            Some(false) => {}
            None => {
                undecided.get_or_insert_with(|| wanted.first_unknown().unwrap_or(item).clone());
            }
        }
    }
    match undecided {
        Some(cause) => Err(cx.because(&cause)),
        None => Ok(Value::Bool(false)),
    }
}

fn length(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let arg = &args[0];
    cx.present(arg, "the argument")?;
    let n = match arg {
        Value::String(s) => s.chars().count(),
        Value::List(items) => items.len(),
        Value::Map(m) => m.len(),
        Value::Resource(r) => r.attrs.len(),
        _ => {
            return Err(cx.fail(format!(
                "the argument must be a string, a list or a map, got {}",
                arg.type_name()
            )))
        }
    };
    Ok(Value::Number(n as f64))
}

/// `element` wraps around: index `len` is 0 and index -1 is the last element.
fn element(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let items = cx.list(&args[0], "the list")?;
    let i = cx.integer(&args[1], "the index")?;
    if items.is_empty() {
        return Err(cx.fail("cannot use element function with an empty list"));
    }
    let len = items.len() as i64;
    Ok(items[i.rem_euclid(len) as usize].clone())
}

fn index(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let items = cx.list(&args[0], "the list")?;
    if items.is_empty() {
        return Err(cx.fail("cannot search an empty list"));
    }
    for (i, item) in items.iter().enumerate() {
        match equal(item, &args[1]) {
            Some(true) => return Ok(Value::Number(i as f64)),
            Some(false) => {}
            // An earlier unknown element might be the match.
            None => return Err(cx.because(args[1].first_unknown().unwrap_or(item))),
        }
    }
    Err(cx.fail("item not found"))
}

fn keys(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    Ok(strings(cx.map(&args[0], "the argument")?.keys().cloned()))
}

fn values(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let map = cx.map(&args[0], "the argument")?;
    Ok(Value::list(map.values().cloned().collect()))
}

fn zipmap(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let keys = cx.list(&args[0], "the keys")?;
    let values = cx.list(&args[1], "the values")?;
    if keys.len() != values.len() {
        return Err(cx.fail(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        let k = cx.string(k, &format!("key {i}"))?;
        out.insert(k.into_owned(), v.clone());
    }
    Ok(Value::map(out))
}

fn range(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 3)?;
    let mut nums = [0.0; 3];
    for (i, arg) in args.iter().enumerate() {
        nums[i] = cx.number(arg, &format!("argument {}", i + 1))?;
    }
    let direction = |from: f64, to: f64| if to < from { -1.0 } else { 1.0 };
    let (start, end, step) = match args.len() {
        1 => (0.0, nums[0], direction(0.0, nums[0])),
        2 => (nums[0], nums[1], direction(nums[0], nums[1])),
        _ => (nums[0], nums[1], nums[2]),
    };
    if step == 0.0 {
        return Err(cx.fail("step must not be zero"));
    }
    let down = step < 0.0;
    if down && end > start {
        return Err(cx.fail("end must be less than start when step is negative"));
    }
    if !down && end < start {
        return Err(cx.fail("end must be greater than start when step is positive"));
    }
    let mut out = Vec::new();
    loop {
        // Each value is computed afresh and rounded to 15 significant digits, so float
        // error neither accumulates nor shows: Terraform's big floats give 0.3, not
        // 0.30000000000000004, for the fourth value of `range(0, 1, 0.1)`.
        let n = start + out.len() as f64 * step;
        let n = format!("{n:.14e}").parse().unwrap_or(n);
        if (down && n <= end) || (!down && n >= end) {
            break;
        }
        if out.len() >= MAX_RANGE {
            return Err(cx.fail(format!(
                "more than {MAX_RANGE} values were generated; either decrease the \
                 difference between start and end or use a smaller step"
            )));
        }
        out.push(Value::Number(n));
    }
    Ok(Value::list(out))
}

fn one(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    match cx.list(&args[0], "the argument")? {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        more => Err(cx.fail(format!(
            "must be a list, set, or tuple value with either zero or one elements, got {}",
            more.len()
        ))),
    }
}

fn sort(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let items = cx.list(&args[0], "the list")?;
    cx.known_all(items)?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if item.is_null() {
            return Err(cx.fail(format!(
                "given list element {i} is null; a null string cannot be sorted"
            )));
        }
        out.push(cx.string(item, &format!("element {i}"))?.into_owned());
    }
    // Terraform sorts strings (numbers too, as strings) bytewise.
    out.sort();
    Ok(strings(out))
}

fn reverse(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let items = cx.list(&args[0], "the argument")?;
    Ok(Value::list(items.iter().rev().cloned().collect()))
}

fn slice(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 3, 3)?;
    let items = cx.list(&args[0], "the list")?;
    let start = cx.integer(&args[1], "the start index")?;
    let end = cx.integer(&args[2], "the end index")?;
    let len = items.len() as i64;
    let problem = if start < 0 {
        Some("start index must not be less than zero")
    } else if start > len {
        Some("start index must not be greater than the length of the list")
    } else if end < 0 {
        Some("end index must not be less than zero")
    } else if end > len {
        Some("end index must not be greater than the length of the list")
    } else if start > end {
        Some("start index must not be greater than end index")
    } else {
        None
    };
    if let Some(problem) = problem {
        return Err(cx.fail(problem));
    }
    Ok(Value::list(items[start as usize..end as usize].to_vec()))
}

fn chunklist(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let items = cx.list(&args[0], "the list")?;
    let size = cx.integer(&args[1], "the size")?;
    if size < 0 {
        return Err(cx.fail("the size argument must be positive"));
    }
    if items.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    // Terraform's convention: size 0 means "one chunk holding everything".
    if size == 0 {
        return Ok(Value::list(vec![args[0].clone()]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::list(
        items
            .chunks(size)
            .map(|chunk| Value::list(chunk.to_vec()))
            .collect(),
    ))
}

fn transpose(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let map = cx.map(&args[0], "the argument")?;
    cx.known(&args[0])?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, list) in map {
        let items = list
            .as_list()
            .ok_or_else(|| cx.fail("input must be a map of lists of strings"))?;
        for item in items {
            let item = cx.string(item, "each list element")?;
            out.entry(item.into_owned()).or_default().push(key.clone());
        }
    }
    Ok(Value::map(
        out.into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, strings(v))
            })
            .collect(),
    ))
}

/// The elements of `values` whose counterpart in `keys` is in `searchset`. Unknown
/// elements of `values` pass through: only `keys` and `searchset` decide the selection.
fn matchkeys(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 3, 3)?;
    let values = cx.list(&args[0], "the values")?;
    let keys = cx.list(&args[1], "the keys")?;
    let searchset = cx.list(&args[2], "the searchset")?;
    if values.len() != keys.len() {
        return Err(cx.fail("length of keys and values should be equal"));
    }
    if searchset.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    cx.known_all(keys)?;
    cx.known_all(searchset)?;
    let selected = values
        .iter()
        .zip(keys)
        .filter(|(_, k)| searchset.iter().any(|s| equal(k, s) == Some(true)))
        .map(|(v, _)| v.clone())
        .collect();
    Ok(Value::list(selected))
}

/// True unless some element is false (or null); unknown only when no known element
/// decides it — sounder than Terraform, which gives up at the first unknown.
fn alltrue(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let mut undecided = None;
    for (i, item) in cx.list(&args[0], "the list")?.iter().enumerate() {
        match item {
            Value::Unknown(_) => {
                undecided.get_or_insert(item);
            }
            Value::Null => return Ok(Value::Bool(false)),
            _ => {
                if !cx.boolean(item, &format!("element {i}"))? {
                    return Ok(Value::Bool(false));
                }
            }
        }
    }
    match undecided {
        Some(cause) => Err(cx.because(cause)),
        None => Ok(Value::Bool(true)),
    }
}

fn anytrue(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let mut undecided = None;
    for (i, item) in cx.list(&args[0], "the list")?.iter().enumerate() {
        match item {
            Value::Unknown(_) => {
                undecided.get_or_insert(item);
            }
            Value::Null => {}
            _ => {
                if cx.boolean(item, &format!("element {i}"))? {
                    return Ok(Value::Bool(true));
                }
            }
        }
    }
    match undecided {
        Some(cause) => Err(cx.because(cause)),
        None => Ok(Value::Bool(false)),
    }
}

fn sum(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let items = cx.list(&args[0], "the argument")?;
    if items.is_empty() {
        return Err(cx.fail("cannot sum an empty list"));
    }
    cx.known_all(items)?;
    let mut total = 0.0;
    for (i, item) in items.iter().enumerate() {
        total += cx.number(item, &format!("element {i}"))?;
    }
    cx.finite(total)
}

/// `list` and `map` were removed in Terraform 0.12; say what replaces them.
fn removed(cx: &Cx, _args: &[Value]) -> Out {
    let replacement = if cx.name == "list" {
        "tolist([ ... ])"
    } else {
        "tomap({ ... })"
    };
    Err(cx.fail(format!(
        "the {:?} function was deprecated in Terraform v0.12 and is no longer available; \
         use {replacement} syntax to write a literal {}",
        cx.name, cx.name
    )))
}

// ---------------------------------------------------------------------------------------
// Sets
// ---------------------------------------------------------------------------------------

fn setunion(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let mut all = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        all.extend_from_slice(cx.list(arg, &format!("argument {}", i + 1))?);
    }
    Ok(Value::list(set_of(cx, &all)?))
}

/// The known, type-unified elements of each set argument, for the set operations that
/// must compare every element.
fn known_sets(cx: &Cx, args: &[Value]) -> Result<Vec<Vec<Value>>, Value> {
    let mut all = Vec::new();
    let mut lens = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let items = cx.list(arg, &format!("argument {}", i + 1))?;
        cx.known_all(items)?;
        all.extend_from_slice(items);
        lens.push(items.len());
    }
    // Unify across all arguments, so `["1"]` and `[1]` meet as strings.
    let unified = unify(cx, &all)?;
    let mut rest: &[Value] = &unified;
    let mut out = Vec::new();
    for len in lens {
        let (head, tail) = rest.split_at(len);
        out.push(set_of(cx, head)?);
        rest = tail;
    }
    Ok(out)
}

fn setintersection(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let mut sets = known_sets(cx, args)?.into_iter();
    let first = sets.next().unwrap_or_default();
    let others: Vec<HashSet<String>> = sets.map(|s| s.iter().map(canon_key).collect()).collect();
    let out = first
        .into_iter()
        .filter(|v| {
            let key = canon_key(v);
            others.iter().all(|o| o.contains(&key))
        })
        .collect();
    Ok(Value::list(out))
}

fn setsubtract(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let sets = known_sets(cx, args)?;
    let remove: HashSet<String> = sets[1].iter().map(canon_key).collect();
    let out = sets[0]
        .iter()
        .filter(|v| !remove.contains(&canon_key(v)))
        .cloned()
        .collect();
    Ok(Value::list(out))
}

fn setproduct(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, ANY)?;
    let mut sets = Vec::with_capacity(args.len());
    let mut total: usize = 1;
    for (i, arg) in args.iter().enumerate() {
        let items = cx.list(arg, &format!("argument {}", i + 1))?;
        total = total.saturating_mul(items.len());
        sets.push(items);
    }
    if total == 0 {
        return Ok(Value::list(Vec::new()));
    }
    if total > MAX_ELEMENTS {
        return Err(cx.fail(format!(
            "the product would have {total} elements, more than {MAX_ELEMENTS}"
        )));
    }
    // An odometer over the argument lists, last argument turning fastest.
    let mut positions = vec![0usize; sets.len()];
    let mut out = Vec::with_capacity(total);
    for _ in 0..total {
        out.push(Value::list(
            positions
                .iter()
                .zip(&sets)
                .map(|(&p, set)| set[p].clone())
                .collect(),
        ));
        for (p, set) in positions.iter_mut().zip(&sets).rev() {
            *p += 1;
            if *p < set.len() {
                break;
            }
            *p = 0;
        }
    }
    Ok(Value::list(out))
}

// ---------------------------------------------------------------------------------------
// Conversions: null converts to null, and an unknown passes through as itself.
// ---------------------------------------------------------------------------------------

/// The value to convert; `Err` is already the result: null stays null and an unknown
/// passes through as itself.
fn conversion_input<'v>(cx: &Cx, args: &'v [Value]) -> Result<&'v Value, Value> {
    cx.arity(args, 1, 1)?;
    match &args[0] {
        v @ (Value::Null | Value::Unknown(_)) => Err(v.clone()),
        v => Ok(v),
    }
}

fn cannot_convert(cx: &Cx, v: &Value, to: &str) -> Value {
    cx.fail(format!("cannot convert {} to {to}", describe(v)))
}

fn tolist(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    let items = v.as_list().ok_or_else(|| cannot_convert(cx, v, "list"))?;
    Ok(match unify(cx, items)? {
        Cow::Borrowed(_) => v.clone(),
        Cow::Owned(items) => Value::list(items),
    })
}

fn toset(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    let items = v.as_list().ok_or_else(|| cannot_convert(cx, v, "set"))?;
    Ok(Value::list(set_of(cx, items)?))
}

fn tomap(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    let map = v.as_map().ok_or_else(|| cannot_convert(cx, v, "map"))?;
    let values: Vec<Value> = map.values().cloned().collect();
    let unified = unify(cx, &values)?;
    Ok(Value::map(
        map.keys().cloned().zip(unified.iter().cloned()).collect(),
    ))
}

fn tostring(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    match v {
        Value::String(_) => Ok(v.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(string(v.as_str().unwrap_or_default())),
        _ => Err(cannot_convert(cx, v, "string")),
    }
}

fn tonumber(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    match v {
        Value::Number(_) => Ok(v.clone()),
        // Unlike the lenient `as_number`, Terraform does not accept surrounding spaces.
        Value::String(s) => match s.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => Err(cannot_convert(cx, v, "number")),
        },
        _ => Err(cannot_convert(cx, v, "number")),
    }
}

fn tobool(cx: &Cx, args: &[Value]) -> Out {
    let v = conversion_input(cx, args)?;
    v.as_bool()
        .map(Value::Bool)
        .ok_or_else(|| cannot_convert(cx, v, "bool"))
}

/// `sensitive` and `nonsensitive` change only a mark this linter does not track.
fn identity(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    Ok(args[0].clone())
}

// ---------------------------------------------------------------------------------------
// format and formatlist: Go's printf verbs as go-cty implements them.
// ---------------------------------------------------------------------------------------

fn format(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let spec = cx.string(&args[0], "the format string")?;
    // Collections print as JSON, which needs every value inside known.
    cx.known_all(&args[1..])?;
    let values: Vec<&Value> = args[1..].iter().collect();
    sprintf(&spec, &values)
        .map(string)
        .map_err(|msg| cx.fail(msg))
}

/// Each list argument supplies one element per result; other arguments repeat. A result
/// whose own arguments hold unknowns is unknown; the others are still computed.
fn formatlist(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let spec = cx.string(&args[0], "the format string")?;
    let rest = &args[1..];
    let mut len: Option<(usize, usize)> = None;
    for (i, arg) in rest.iter().enumerate() {
        match arg {
            // It may be a list, which would decide the result's length.
            Value::Unknown(_) => return Err(cx.because(arg)),
            Value::List(items) => match len {
                None => len = Some((items.len(), i)),
                Some((n, j)) if n != items.len() => {
                    return Err(cx.fail(format!(
                        "argument {} has length {}, which is inconsistent with argument {} \
                         of length {n}",
                        i + 2,
                        items.len(),
                        j + 2
                    )))
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    let count = len.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(count);
    let mut bytes = 0usize;
    for k in 0..count {
        let values: Vec<&Value> = rest
            .iter()
            .map(|arg| match arg {
                Value::List(items) => &items[k],
                other => other,
            })
            .collect();
        if let Some(cause) = values.iter().find_map(|v| v.first_unknown()) {
            out.push(cx.because(cause));
            continue;
        }
        let text = sprintf(&spec, &values)
            .map_err(|msg| cx.fail(format!("error on format iteration {k}: {msg}")))?;
        bytes += text.len();
        cx.check_size(bytes)?;
        out.push(string(text));
    }
    Ok(Value::list(out))
}

/// One `%` sequence: `%[flags][width][.precision][[argument]]verb`.
#[derive(Default)]
struct Verb {
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `args` by `spec`; `Err` is the message. All arguments are wholly known.
fn sprintf(spec: &str, args: &[&Value]) -> Result<String, String> {
    let bytes = spec.as_bytes();
    let mut out = String::new();
    let mut next_arg = 1;
    let mut highest = 0;
    let mut i = 0;
    while i < spec.len() {
        let Some(pct) = spec[i..].find('%') else {
            out.push_str(&spec[i..]);
            break;
        };
        out.push_str(&spec[i..i + pct]);
        let start = i + pct;
        i = start + 1;
        if bytes.get(i) == Some(&b'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut verb = Verb {
            arg: next_arg,
            ..Verb::default()
        };
        while let Some(flag) = bytes.get(i) {
            match flag {
                b'0' => verb.zero = true,
                b'#' => verb.sharp = true,
                b'-' => verb.minus = true,
                b'+' => verb.plus = true,
                b' ' => verb.space = true,
                _ => break,
            }
            i += 1;
        }
        if matches!(bytes.get(i), Some(b'1'..=b'9')) {
            verb.width = Some(read_decimal(bytes, &mut i, MAX_FORMAT_WIDTH, "width")?);
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            verb.prec = Some(read_decimal(bytes, &mut i, MAX_FORMAT_WIDTH, "precision")?);
        }
        if bytes.get(i) == Some(&b'[') {
            i += 1;
            if !matches!(bytes.get(i), Some(b'1'..=b'9')) {
                return Err(format!("invalid argument index at offset {i}"));
            }
            // Any index beyond the arguments fails below; the bound only stops overflow.
            verb.arg = read_decimal(bytes, &mut i, args.len() + 1, "argument index")?;
            if bytes.get(i) != Some(&b']') {
                return Err(format!("invalid argument index at offset {i}"));
            }
            i += 1;
        }
        match spec[i..].chars().next() {
            Some(c) if c.is_ascii_alphabetic() => verb.mode = c,
            Some(c) => return Err(format!("unrecognized format character {c:?} at offset {i}")),
            None => return Err(format!("invalid format string starting at offset {start}")),
        }
        i += 1;
        highest = highest.max(verb.arg);
        append_verb(&verb, &spec[start..i], start, args, &mut out)?;
        next_arg = verb.arg + 1;
        if out.len() > MAX_STRING_BYTES {
            return Err(format!(
                "the result would be longer than {MAX_STRING_BYTES} bytes"
            ));
        }
    }
    if highest < args.len() {
        return Err(if highest == 0 {
            "too many arguments; no verbs in format string".to_string()
        } else {
            format!("too many arguments; only {highest} used by format string")
        });
    }
    Ok(out)
}

/// Reads a run of decimal digits at `*i` (possibly empty: 0), failing above `max`.
fn read_decimal(bytes: &[u8], i: &mut usize, max: usize, what: &str) -> Result<usize, String> {
    let mut n: usize = 0;
    while let Some(d @ b'0'..=b'9') = bytes.get(*i) {
        n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *i += 1;
    }
    if n > max {
        return Err(format!("{what} {n} is too large"));
    }
    Ok(n)
}

fn append_verb(
    verb: &Verb,
    raw: &str,
    offset: usize,
    args: &[&Value],
    out: &mut String,
) -> Result<(), String> {
    let Some(&arg) = args.get(verb.arg - 1) else {
        return Err(format!(
            "not enough arguments for {raw:?} at {offset}: need index {} but have {} total",
            verb.arg,
            args.len()
        ));
    };
    let unsupported = |why: &str| format!("unsupported value for {raw:?} at {offset}: {why}");
    if verb.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted"));
    }
    match verb.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !verb.sharp => s.clone(),
                Value::Number(n) if !verb.sharp => format_g(*n, None, false),
                _ => {
                    let mut json = String::new();
                    write_json(arg, &mut json).map_err(|e| unsupported(&e))?;
                    json
                }
            };
            pad(verb, &text, out);
        }
        't' => {
            let b = arg.as_bool().ok_or_else(|| unsupported("bool required"))?;
            pad(verb, if b { "true" } else { "false" }, out);
        }
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let n = arg.as_number().filter(|n| n.is_finite());
            let n = n.ok_or_else(|| unsupported("number required"))?;
            if n.fract() != 0.0 {
                return Err(unsupported("an integer is required"));
            }
            format_integer(verb, n, out).map_err(|e| unsupported(&e))?;
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = arg.as_number().filter(|n| n.is_finite());
            format_float(verb, n.ok_or_else(|| unsupported("number required"))?, out);
        }
        's' | 'q' => {
            let text = arg.as_str().ok_or_else(|| unsupported("string required"))?;
            // A precision limits how many characters of the input are used.
            let text = match verb.prec {
                Some(p) if p > 0 => text.chars().take(p).collect::<String>(),
                _ => text.into_owned(),
            };
            if verb.mode == 'q' {
                let mut quoted = String::new();
                write_json_string(&text, &mut quoted);
                pad(verb, &quoted, out);
            } else {
                pad(verb, &text, out);
            }
        }
        other => {
            return Err(format!(
                "unsupported format verb {other:?} in {raw:?} at offset {offset}"
            ))
        }
    }
    Ok(())
}

/// Pads `text` to the verb's width, counted in characters (go-cty's string padding).
fn pad(verb: &Verb, text: &str, out: &mut String) {
    let missing = verb.width.unwrap_or(0).saturating_sub(text.chars().count());
    let fill = if verb.zero { "0" } else { " " }.repeat(missing);
    if verb.minus {
        out.push_str(text);
        out.push_str(&fill);
    } else {
        out.push_str(&fill);
        out.push_str(text);
    }
}

/// `%d %b %o %x %X` as Go's `big.Int` formats them: sign, `#` prefix, precision as a
/// minimum digit count, then width padding.
fn format_integer(verb: &Verb, n: f64, out: &mut String) -> Result<(), String> {
    let magnitude = n.abs();
    let digits = if verb.mode == 'd' {
        if magnitude < 9.2e18 {
            (magnitude as u64).to_string()
        } else {
            // Exact digits of a large integral f64.
            format!("{magnitude:.0}")
        }
    } else {
        if magnitude >= 3.4e38 {
            return Err("number too large for this verb".to_string());
        }
        let m = magnitude as u128;
        match verb.mode {
            'b' => format!("{m:b}"),
            'o' => format!("{m:o}"),
            'x' => format!("{m:x}"),
            _ => format!("{m:X}"),
        }
    };
    let sign = sign_of(verb, n < 0.0);
    let prefix = match (verb.sharp, verb.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(p) = verb.prec {
        if digits.len() < p {
            zeros = p - digits.len();
        } else if digits == "0" && p == 0 {
            // Go prints nothing at all for zero with precision 0.
            return Ok(());
        }
    }
    let (mut left, mut right) = (0, 0);
    let len = sign.len() + prefix.len() + zeros + digits.len();
    if let Some(width) = verb.width.filter(|w| *w > len) {
        let d = width - len;
        if verb.minus {
            right = d;
        } else if verb.zero && verb.prec.is_none() {
            zeros += d;
        } else {
            left = d;
        }
    }
    out.push_str(&" ".repeat(left));
    out.push_str(sign);
    out.push_str(prefix);
    out.push_str(&"0".repeat(zeros));
    out.push_str(&digits);
    out.push_str(&" ".repeat(right));
    Ok(())
}

fn sign_of(verb: &Verb, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    }
}

/// `%e %E %f %g %G` as Go's `big.Float` formats them.
fn format_float(verb: &Verb, n: f64, out: &mut String) {
    let magnitude = n.abs();
    let upper = verb.mode.is_ascii_uppercase();
    let body = match verb.mode {
        'e' | 'E' => {
            let (digits, exp) = rounded_digits(magnitude, verb.prec.unwrap_or(6) + 1);
            exponent_form(&digits, exp, verb.prec.unwrap_or(6), upper)
        }
        'f' => format!("{magnitude:.*}", verb.prec.unwrap_or(6)),
        _ => format_g(magnitude, verb.prec, upper),
    };
    let sign = sign_of(verb, n < 0.0);
    let missing = verb
        .width
        .unwrap_or(0)
        .saturating_sub(sign.len() + body.len());
    if verb.zero {
        out.push_str(sign);
        out.push_str(&"0".repeat(missing));
        out.push_str(&body);
    } else if verb.minus {
        out.push_str(sign);
        out.push_str(&body);
        out.push_str(&" ".repeat(missing));
    } else {
        out.push_str(&" ".repeat(missing));
        out.push_str(sign);
        out.push_str(&body);
    }
}

/// Significant decimal digits of `x >= 0` (no trailing zeros; empty for zero) and the
/// exponent `e` of the first one (`x = 0.d₁d₂… × 10^(e+1)`). `sig = None`: the shortest
/// digits that round-trip.
fn decimal_digits(x: f64, sig: Option<usize>) -> (String, i32) {
    if x == 0.0 {
        return (String::new(), 0);
    }
    let text = match sig {
        None => format!("{x:e}"),
        Some(p) => format!("{x:.*e}", p.max(1) - 1),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (
        digits.trim_end_matches('0').to_string(),
        exp.parse().unwrap_or(0),
    )
}

fn rounded_digits(x: f64, sig: usize) -> (String, i32) {
    decimal_digits(x, Some(sig))
}

/// `d.ddde±XX` with `frac` digits after the point and at least two exponent digits.
fn exponent_form(digits: &str, exp: i32, frac: usize, upper: bool) -> String {
    let bytes = digits.as_bytes();
    let digit = |i: usize| bytes.get(i).map_or('0', |b| *b as char);
    let mut s = String::new();
    s.push(digit(0));
    if frac > 0 {
        s.push('.');
        s.extend((1..=frac).map(digit));
    }
    let exp = if digits.is_empty() { 0 } else { exp };
    let _ = write!(
        s,
        "{}{}{:02}",
        if upper { 'E' } else { 'e' },
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    );
    s
}

/// `ddd.ddd` with `frac` digits after the point; `point` digits before it.
fn fixed_form(digits: &str, point: i64, frac: usize) -> String {
    let bytes = digits.as_bytes();
    let digit = |i: i64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| bytes.get(i))
            .map_or('0', |b| *b as char)
    };
    let mut s = String::new();
    if point > 0 {
        s.extend((0..point).map(digit));
    } else {
        s.push('0');
    }
    if frac > 0 {
        s.push('.');
        s.extend((0..frac as i64).map(|i| digit(point + i)));
    }
    s
}

/// Go's `%g` (strconv's rules): exponent form when the exponent is below -4 or at least
/// the precision (6 for the shortest form), fixed form otherwise.
fn format_g(x: f64, prec: Option<usize>, upper: bool) -> String {
    let negative = x < 0.0;
    let (digits, exp) = decimal_digits(x.abs(), prec);
    let nd = digits.len() as i64;
    // Go's decimal point position: the number is 0.digits × 10^point.
    let point = if digits.is_empty() {
        0
    } else {
        i64::from(exp) + 1
    };
    let mut p = prec.map_or(nd, |p| p.max(1) as i64);
    let mut eprec = p;
    if eprec > nd && nd >= point {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let e = point - 1;
    let body = if e < -4 || e >= eprec {
        p = p.min(nd);
        exponent_form(&digits, exp, (p - 1).max(0) as usize, upper)
    } else {
        if p > point {
            p = nd;
        }
        fixed_form(&digits, point, (p - point).max(0) as usize)
    };
    if negative {
        format!("-{body}")
    } else {
        body
    }
}

// ---------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------

fn join(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, ANY)?;
    let sep = cx.string(&args[0], "the separator")?;
    let mut lists = Vec::with_capacity(args.len() - 1);
    for (i, arg) in args[1..].iter().enumerate() {
        let items = cx.list(arg, &format!("list {}", i + 1))?;
        cx.known_all(items)?;
        lists.push(items);
    }
    let mut parts = Vec::new();
    for items in lists {
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                return Err(cx.fail(format!(
                    "element {i} is null; cannot concatenate null values"
                )));
            }
            parts.push(cx.string(item, &format!("element {i}"))?);
        }
    }
    let bytes = parts.iter().map(|p| p.len()).sum::<usize>()
        + sep.len().saturating_mul(parts.len().saturating_sub(1));
    cx.check_size(bytes)?;
    Ok(string(parts.join(&*sep)))
}

/// Go's `strings.Split`: an empty separator splits between characters.
fn split(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let sep = cx.string(&args[0], "the separator")?;
    let text = cx.string(&args[1], "the string")?;
    Ok(if sep.is_empty() {
        strings(text.chars().map(String::from))
    } else {
        strings(text.split(&*sep))
    })
}

/// A `substr` written `/.../` is a regular expression, and the replacement may use
/// `$1` or `${name}`.
fn replace(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 3, 3)?;
    let text = cx.string(&args[0], "the string")?;
    let search = cx.string(&args[1], "the substring")?;
    let with = cx.string(&args[2], "the replacement")?;
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        let re = compile_regex(cx, &search[1..search.len() - 1])?;
        let mut out = String::new();
        let mut last = 0;
        for caps in re.captures_iter(&text) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(&text[last..m.start()]);
            caps.expand(&with, &mut out);
            last = m.end();
            cx.check_size(out.len())?;
        }
        out.push_str(&text[last..]);
        return Ok(string(out));
    }
    let count = if search.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(&*search).count()
    };
    cx.check_size(text.len() + count.saturating_mul(with.len()))?;
    Ok(string(text.replace(&*search, &with)))
}

/// One string argument to one string result.
fn map_string(cx: &Cx, args: &[Value], f: impl FnOnce(&str) -> String) -> Out {
    cx.arity(args, 1, 1)?;
    Ok(string(f(&cx.string(&args[0], "the argument")?)))
}

/// Go maps case one character to one character (`ß` stays `ß`); Rust may expand.
fn map_case(text: &str, f: impl Fn(char) -> Option<char>) -> String {
    text.chars().map(|c| f(c).unwrap_or(c)).collect()
}

fn single<I: Iterator<Item = char>>(mut chars: I) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

fn lower(cx: &Cx, args: &[Value]) -> Out {
    map_string(cx, args, |s| map_case(s, |c| single(c.to_lowercase())))
}

fn upper(cx: &Cx, args: &[Value]) -> Out {
    map_string(cx, args, |s| map_case(s, |c| single(c.to_uppercase())))
}

/// Go's `strings.Title`: upper-cases each letter that follows a separator (anything but
/// letters, digits and `_`).
fn title(cx: &Cx, args: &[Value]) -> Out {
    fn separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        !c.is_alphanumeric() && c.is_whitespace()
    }
    map_string(cx, args, |s| {
        let mut prev = ' ';
        s.chars()
            .map(|c| {
                let out = if separator(prev) {
                    single(c.to_uppercase()).unwrap_or(c)
                } else {
                    c
                };
                prev = c;
                out
            })
            .collect()
    })
}

fn trimspace(cx: &Cx, args: &[Value]) -> Out {
    map_string(cx, args, |s| s.trim().to_string())
}

/// Removes trailing `\n`, `\r\n` and `\r`, all of them.
fn chomp(cx: &Cx, args: &[Value]) -> Out {
    map_string(cx, args, |s| s.trim_end_matches(['\r', '\n']).to_string())
}

fn strrev(cx: &Cx, args: &[Value]) -> Out {
    map_string(cx, args, |s| s.chars().rev().collect())
}

/// Two string arguments, read before either is used.
fn two_strings<'v>(cx: &Cx, args: &'v [Value]) -> Result<(Cow<'v, str>, Cow<'v, str>), Value> {
    cx.arity(args, 2, 2)?;
    Ok((
        cx.string(&args[0], "the string")?,
        cx.string(&args[1], "argument 2")?,
    ))
}

fn trim(cx: &Cx, args: &[Value]) -> Out {
    let (text, cutset) = two_strings(cx, args)?;
    Ok(string(text.trim_matches(|c: char| cutset.contains(c))))
}

fn trimprefix(cx: &Cx, args: &[Value]) -> Out {
    let (text, prefix) = two_strings(cx, args)?;
    Ok(string(text.strip_prefix(&*prefix).unwrap_or(&text)))
}

fn trimsuffix(cx: &Cx, args: &[Value]) -> Out {
    let (text, suffix) = two_strings(cx, args)?;
    Ok(string(text.strip_suffix(&*suffix).unwrap_or(&text)))
}

fn startswith(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    // Every string starts with "", known or not (Terraform's refinement).
    if args[0].is_unknown() && matches!(&args[1], Value::String(p) if p.is_empty()) {
        return Ok(Value::Bool(true));
    }
    let (text, prefix) = two_strings(cx, args)?;
    Ok(Value::Bool(text.starts_with(&*prefix)))
}

fn endswith(cx: &Cx, args: &[Value]) -> Out {
    let (text, suffix) = two_strings(cx, args)?;
    Ok(Value::Bool(text.ends_with(&*suffix)))
}

fn strcontains(cx: &Cx, args: &[Value]) -> Out {
    let (text, part) = two_strings(cx, args)?;
    Ok(Value::Bool(text.contains(&*part)))
}

/// Offsets and lengths count characters; a negative offset counts from the end and a
/// negative length means "to the end".
fn substr(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 3, 3)?;
    let text = cx.string(&args[0], "the string")?;
    let mut offset = cx.integer(&args[1], "the offset")?;
    let length = cx.integer(&args[2], "the length")?;
    let total = text.chars().count() as i64;
    if offset < 0 {
        offset = (offset + total).max(0);
    }
    if length == 0 || offset >= total {
        return Ok(string(""));
    }
    let end = if length < 0 {
        total
    } else {
        offset.saturating_add(length).min(total)
    };
    Ok(string(
        text.chars()
            .skip(offset as usize)
            .take((end - offset) as usize)
            .collect::<String>(),
    ))
}

/// Adds `n` spaces after each newline: the first line is left as it is.
fn indent(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let n = cx.integer(&args[0], "the number of spaces")?;
    let text = cx.string(&args[1], "the string")?;
    let n = usize::try_from(n).map_err(|_| cx.fail("the number of spaces must not be negative"))?;
    let lines = text.matches('\n').count();
    if lines == 0 {
        return Ok(string(text));
    }
    // Checked before building the padding, which is then at most the size limit.
    cx.check_size(text.len().saturating_add(lines.saturating_mul(n)))?;
    Ok(string(text.replace('\n', &format!("\n{}", " ".repeat(n)))))
}

fn compile_regex(cx: &Cx, pattern: &str) -> Result<regex::Regex, Value> {
    regex::Regex::new(pattern).map_err(|e| cx.fail(format!("invalid regexp pattern: {e}")))
}

/// What a match of a pattern produces, from its capture groups.
enum Shape {
    /// No groups: the matched text.
    Whole,
    /// Unnamed groups: a list of their texts.
    Tuple,
    /// Named groups: a map of their texts.
    Object,
}

fn regex_shape(cx: &Cx, re: &regex::Regex) -> Result<Shape, Value> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    match (named, names.len() - named) {
        (0, 0) => Ok(Shape::Whole),
        (0, _) => Ok(Shape::Tuple),
        (_, 0) => Ok(Shape::Object),
        _ => {
            Err(cx.fail("invalid regexp pattern: cannot mix both named and unnamed capture groups"))
        }
    }
}

/// A group that did not take part in the match is null.
fn regex_result(re: &regex::Regex, caps: &regex::Captures, shape: &Shape) -> Value {
    let text = |i: usize| caps.get(i).map_or(Value::Null, |m| string(m.as_str()));
    match shape {
        Shape::Whole => text(0),
        Shape::Tuple => Value::list((1..caps.len()).map(text).collect()),
        Shape::Object => Value::map(
            re.capture_names()
                .enumerate()
                .filter_map(|(i, name)| Some((name?.to_string(), text(i))))
                .collect(),
        ),
    }
}

fn regex(cx: &Cx, args: &[Value]) -> Out {
    let (pattern, text) = two_strings(cx, args)?;
    let re = compile_regex(cx, &pattern)?;
    let shape = regex_shape(cx, &re)?;
    match re.captures(&text) {
        Some(caps) => Ok(regex_result(&re, &caps, &shape)),
        None => Err(cx.fail("pattern did not match any part of the given string")),
    }
}

fn regexall(cx: &Cx, args: &[Value]) -> Out {
    let (pattern, text) = two_strings(cx, args)?;
    let re = compile_regex(cx, &pattern)?;
    let shape = regex_shape(cx, &re)?;
    Ok(Value::list(
        re.captures_iter(&text)
            .map(|caps| regex_result(&re, &caps, &shape))
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

fn numbers(cx: &Cx, args: &[Value]) -> Result<Vec<f64>, Value> {
    cx.arity(args, 1, ANY)?;
    args.iter()
        .enumerate()
        .map(|(i, a)| cx.number(a, &format!("argument {}", i + 1)))
        .collect()
}

fn min(cx: &Cx, args: &[Value]) -> Out {
    let nums = numbers(cx, args)?;
    Ok(Value::Number(
        nums.into_iter().fold(f64::INFINITY, f64::min),
    ))
}

fn max(cx: &Cx, args: &[Value]) -> Out {
    let nums = numbers(cx, args)?;
    Ok(Value::Number(
        nums.into_iter().fold(f64::NEG_INFINITY, f64::max),
    ))
}

fn unary(cx: &Cx, args: &[Value], f: impl FnOnce(f64) -> f64) -> Out {
    cx.arity(args, 1, 1)?;
    cx.finite(f(cx.number(&args[0], "the argument")?))
}

fn abs(cx: &Cx, args: &[Value]) -> Out {
    unary(cx, args, f64::abs)
}

fn ceil(cx: &Cx, args: &[Value]) -> Out {
    unary(cx, args, f64::ceil)
}

fn floor(cx: &Cx, args: &[Value]) -> Out {
    unary(cx, args, f64::floor)
}

fn signum(cx: &Cx, args: &[Value]) -> Out {
    unary(cx, args, |n| {
        if n > 0.0 {
            1.0
        } else if n < 0.0 {
            -1.0
        } else {
            0.0
        }
    })
}

fn pow(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let base = cx.number(&args[0], "the base")?;
    let exponent = cx.number(&args[1], "the exponent")?;
    cx.finite(base.powf(exponent))
}

fn log(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let n = cx.number(&args[0], "the number")?;
    let base = cx.number(&args[1], "the base")?;
    cx.finite(n.ln() / base.ln())
}

/// Digits are 0-9, then a-z, then (bases above 36) A-Z, as Go's `big.Int.SetString`.
fn parseint(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let text = cx.string(&args[0], "the number")?;
    let base = cx.integer(&args[1], "the base")?;
    if !(2..=62).contains(&base) {
        return Err(cx.fail("base must be a whole number between 2 and 62 inclusive"));
    }
    let invalid = || {
        cx.fail(format!(
            "cannot parse {:?} as a base {base} integer",
            &*text
        ))
    };
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, &text[..]),
    };
    if digits.is_empty() {
        return Err(invalid());
    }
    let mut n = 0.0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(invalid()),
        };
        if d >= base {
            return Err(invalid());
        }
        // Exact up to 2^53, like every Terraform number this linter holds.
        n = n * base as f64 + d as f64;
    }
    cx.finite(if negative { -n } else { n })
}

// ---------------------------------------------------------------------------------------
// Networks
// ---------------------------------------------------------------------------------------

/// An address prefix: the masked network address, held in the low `bits` bits.
#[derive(Clone, Copy)]
struct Cidr {
    addr: u128,
    bits: u32,
    len: u32,
}

impl Cidr {
    fn full(bits: u32) -> u128 {
        u128::MAX >> (128 - bits)
    }

    fn mask(len: u32, bits: u32) -> u128 {
        u128::MAX.checked_shl(bits - len).unwrap_or(0) & Self::full(bits)
    }

    fn last(self) -> u128 {
        self.addr | (!Self::mask(self.len, self.bits) & Self::full(self.bits))
    }

    fn render_addr(addr: u128, bits: u32) -> String {
        if bits == 32 {
            std::net::Ipv4Addr::from(addr as u32).to_string()
        } else {
            std::net::Ipv6Addr::from(addr).to_string()
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}",
            Cidr::render_addr(self.addr, self.bits),
            self.len
        )
    }
}

fn parse_cidr(cx: &Cx, v: &Value) -> Result<Cidr, Value> {
    let text = cx.string(v, "the prefix")?;
    let invalid = || cx.fail(format!("invalid CIDR expression: {:?}", &*text));
    let (addr, len) = text.split_once('/').ok_or_else(invalid)?;
    let (addr, bits) = match addr.parse::<std::net::IpAddr>().map_err(|_| invalid())? {
        std::net::IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        std::net::IpAddr::V6(a) => (u128::from(a), 128),
    };
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let len: u32 = len.parse().map_err(|_| invalid())?;
    if len > bits {
        return Err(invalid());
    }
    Ok(Cidr {
        addr: addr & Cidr::mask(len, bits),
        bits,
        len,
    })
}

fn cidrhost(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 2, 2)?;
    let net = parse_cidr(cx, &args[0])?;
    let hostnum = cx.integer(&args[1], "the host number")?;
    let host_bits = net.bits - net.len;
    let max_host = if host_bits == 0 {
        0
    } else {
        u128::MAX >> (128 - host_bits)
    };
    // A negative number counts back from the last address: -1 is the last one.
    let offset = if hostnum < 0 {
        let back = u128::from(hostnum.unsigned_abs() - 1);
        max_host.checked_sub(back)
    } else {
        Some(hostnum as u128).filter(|n| *n <= max_host)
    };
    let offset = offset.ok_or_else(|| {
        cx.fail(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            net.len
        ))
    })?;
    Ok(string(Cidr::render_addr(net.addr | offset, net.bits)))
}

fn cidrnetmask(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, 1)?;
    let net = parse_cidr(cx, &args[0])?;
    if net.bits != 32 {
        return Err(cx.fail("IPv6 addresses cannot have a netmask"));
    }
    Ok(string(Cidr::render_addr(Cidr::mask(net.len, 32), 32)))
}

fn cidrsubnet(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 3, 3)?;
    let net = parse_cidr(cx, &args[0])?;
    let newbits = cx.integer(&args[1], "newbits")?;
    let netnum = cx.integer(&args[2], "netnum")?;
    if newbits < 0 || net.len as i64 + newbits > net.bits as i64 {
        return Err(cx.fail(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.len
        )));
    }
    let newlen = net.len + newbits as u32;
    let fits = netnum >= 0 && (newbits >= 63 || netnum < (1i64 << newbits));
    if !fits {
        return Err(cx.fail(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )));
    }
    let shifted = (netnum as u128).checked_shl(net.bits - newlen).unwrap_or(0);
    Ok(string(
        Cidr {
            addr: net.addr | shifted,
            bits: net.bits,
            len: newlen,
        }
        .to_string(),
    ))
}

/// Consecutive subnets of the given sizes, packed from the start of the prefix.
fn cidrsubnets(cx: &Cx, args: &[Value]) -> Out {
    cx.arity(args, 1, ANY)?;
    let net = parse_cidr(cx, &args[0])?;
    let full = Cidr::full(net.bits);
    let mut out = Vec::with_capacity(args.len() - 1);
    // Go's algorithm: start just before the prefix, then step to the next aligned
    // subnet of each requested size.
    let mut current: Option<Cidr> = None;
    for (i, arg) in args[1..].iter().enumerate() {
        let newbits = cx.integer(arg, &format!("argument {}", i + 2))?;
        if newbits < 1 {
            return Err(cx.fail("must extend prefix by at least one bit"));
        }
        if newbits > 32 {
            return Err(cx.fail("may not extend prefix by more than 32 bits"));
        }
        let len = net.len + newbits as u32;
        if len > net.bits {
            let family = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(cx.fail(format!(
                "would extend prefix to {len} bits, which is too long for an {family} address"
            )));
        }
        let mask = Cidr::mask(len, net.bits);
        let before = current.unwrap_or(Cidr {
            addr: net.addr.wrapping_sub(1) & full & mask,
            bits: net.bits,
            len,
        });
        let aligned = Cidr {
            addr: before.last() & mask,
            bits: net.bits,
            len,
        };
        let next_addr = aligned.last().wrapping_add(1) & full;
        let next = Cidr {
            addr: next_addr & mask,
            bits: net.bits,
            len,
        };
        let inside = next.addr & Cidr::mask(net.len, net.bits) == net.addr;
        if next_addr == 0 || !inside {
            let after = current.map_or_else(|| before.to_string(), |c| c.to_string());
            return Err(cx.fail(format!(
                "not enough remaining address space for a subnet with a prefix of {len} \
                 bits after {after}"
            )));
        }
        out.push(string(next.to_string()));
        current = Some(next);
    }
    Ok(Value::list(out))
}

// ---------------------------------------------------------------------------------------
// Values a static analysis cannot or does not compute
// ---------------------------------------------------------------------------------------

fn not_static(cx: &Cx, _args: &[Value]) -> Out {
    let name = cx.name;
    let reason = match name {
        "timestamp" => format!("`{name}()` is known only at apply time"),
        "plantimestamp" => format!("`{name}()` is known only at plan time"),
        "uuid" | "bcrypt" => format!("`{name}()` is random: a new value at every run"),
        _ => format!("`{name}()` is not computed by static analysis"),
    };
    Err(Value::unknown(reason, cx.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hcl::eval::value::{Origin, ResourceValue};
    use crate::source::FileId;

    fn s(text: &str) -> Value {
        string(text)
    }

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    fn l(items: Vec<Value>) -> Value {
        Value::list(items)
    }

    fn ls(items: &[&str]) -> Value {
        strings(items.iter().copied())
    }

    fn m(entries: &[(&str, Value)]) -> Value {
        Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn unknown(reason: &str) -> Value {
        Value::unknown(reason, None)
    }

    /// An unknown attribute of a resource, as the evaluator makes them.
    fn attr(address: &str, attribute: &str) -> Value {
        Value::unknown_from(
            format!("`{address}.{attribute}` is known only after apply"),
            None,
            Origin {
                address: address.to_string(),
                attribute: attribute.to_string(),
                own_account: false,
            },
        )
    }

    fn c(name: &str, args: Vec<Value>) -> Value {
        call(name, &args, None).unwrap_or_else(|| panic!("`{name}` is not implemented"))
    }

    /// Asserts `v` is an error from `name` whose reason mentions `part`.
    #[track_caller]
    fn assert_error(v: &Value, name: &str, part: &str) {
        let reason = &v.as_unknown().expect("an unknown").reason;
        assert!(
            reason.starts_with(&format!("`{name}`:")) && reason.contains(part),
            "unexpected reason {reason:?}"
        );
    }

    /// Asserts `v` is unknown with `reason` but no origin (a dependent result).
    #[track_caller]
    fn assert_because(v: &Value, reason: &str) {
        let u = v.as_unknown().expect("an unknown");
        assert_eq!(u.reason, reason);
        assert!(u.origin.is_none());
    }

    /// Asserts `v` is the very same unknown as `original` (same allocation).
    #[track_caller]
    fn assert_same(v: &Value, original: &Value) {
        match (v, original) {
            (Value::Unknown(a), Value::Unknown(b)) => assert!(Arc::ptr_eq(a, b), "{v:?}"),
            _ => panic!("expected the original unknown, got {v:?}"),
        }
    }

    #[test]
    fn unimplemented_and_evaluator_functions_return_none() {
        for name in ["file", "templatefile", "try", "can", "fileexists", "nosuch"] {
            assert!(call(name, &[s("x")], None).is_none(), "{name}");
        }
    }

    #[test]
    fn errors_carry_the_call_span() {
        let span = Span {
            file: FileId(1),
            start: 3,
            end: 9,
        };
        let v = call("element", &[l(vec![]), n(0.0)], Some(span)).unwrap();
        assert_eq!(v.as_unknown().unwrap().span, Some(span));
        assert_error(&v, "element", "empty list");
    }

    // --- encoding -------------------------------------------------------------------

    #[test]
    fn jsonencode_sorts_keys_escapes_html_and_prints_integers() {
        let v = m(&[
            ("b", l(vec![n(1.0), n(2.5), Value::Bool(true), Value::Null])),
            ("a", s("<x> & \"y\"\n")),
        ]);
        assert_eq!(
            c("jsonencode", vec![v]),
            s(r#"{"a":"\u003cx\u003e \u0026 \"y\"\n","b":[1,2.5,true,null]}"#)
        );
        assert_eq!(c("jsonencode", vec![n(1e21)]), s("1000000000000000000000"));
        assert_eq!(
            c("jsonencode", vec![s("\u{1}\u{2028}")]),
            s(r#""\u0001\u2028""#)
        );
    }

    #[test]
    fn jsonencode_of_a_value_holding_an_unknown_is_unknown_with_its_reason() {
        let v = c(
            "jsonencode",
            vec![m(&[("k", attr("aws_kms_key.k", "arn"))])],
        );
        assert_because(&v, "`aws_kms_key.k.arn` is known only after apply");
    }

    #[test]
    fn jsondecode_parses_and_rejects_bad_json() {
        assert_eq!(
            c("jsondecode", vec![s(r#"{"a": [1, "x"], "b": null}"#)]),
            m(&[("a", l(vec![n(1.0), s("x")])), ("b", Value::Null)])
        );
        assert_error(&c("jsondecode", vec![s("{")]), "jsondecode", "invalid JSON");
        let deep = "[".repeat(10_000);
        assert_error(
            &c("jsondecode", vec![s(&deep)]),
            "jsondecode",
            "invalid JSON",
        );
    }

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        assert_eq!(
            c("base64encode", vec![s("Hello World")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(c("base64encode", vec![s("ab")]), s("YWI="));
        assert_eq!(
            c("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            s("Hello World")
        );
        assert_eq!(c("base64decode", vec![s("YWI=")]), s("ab"));
        assert_error(
            &c("base64decode", vec![s("YW=I")]),
            "base64decode",
            "failed",
        );
        assert_error(&c("base64decode", vec![s("abc")]), "base64decode", "failed");
        assert_error(&c("base64decode", vec![s("/w==")]), "base64decode", "UTF-8");
    }

    #[test]
    fn urlencode_is_query_escape() {
        assert_eq!(
            c("urlencode", vec![s("a b&c=d/é~")]),
            s("a+b%26c%3Dd%2F%C3%A9~")
        );
    }

    // --- collections ----------------------------------------------------------------

    #[test]
    fn merge_later_wins_skips_null_and_keeps_unknown_values() {
        let arn = attr("aws_iam_role.r", "arn");
        let v = c(
            "merge",
            vec![
                m(&[("a", s("1")), ("b", s("2"))]),
                Value::Null,
                m(&[("b", s("3")), ("c", arn.clone())]),
            ],
        );
        let map = v.as_map().unwrap();
        assert_eq!(map["a"], s("1"));
        assert_eq!(map["b"], s("3"));
        assert_same(&map["c"], &arn);
        assert_eq!(c("merge", vec![]), m(&[]));
        assert_error(&c("merge", vec![ls(&["a"])]), "merge", "must be a map");
        assert_because(&c("merge", vec![unknown("why")]), "why");
    }

    #[test]
    fn concat_keeps_unknown_elements() {
        let arn = attr("aws_s3_bucket.b", "arn");
        let v = c("concat", vec![ls(&["a"]), l(vec![arn.clone()]), l(vec![])]);
        let items = v.as_list().unwrap();
        assert_eq!(items[0], s("a"));
        assert_same(&items[1], &arn);
        assert_error(&c("concat", vec![s("a")]), "concat", "must be a list");
        assert_error(&c("concat", vec![]), "concat", "at least 1 argument");
    }

    #[test]
    fn coalesce_skips_null_and_empty_and_passes_unknowns_through() {
        assert_eq!(c("coalesce", vec![Value::Null, s(""), s("b")]), s("b"));
        assert_eq!(c("coalesce", vec![n(1.0), n(2.0)]), n(1.0));
        // Mixed primitives unify to strings.
        assert_eq!(c("coalesce", vec![Value::Null, n(1.0), s("x")]), s("1"));
        let arn = attr("aws_kms_key.k", "arn");
        assert_same(&c("coalesce", vec![Value::Null, arn.clone(), s("x")]), &arn);
        assert_error(
            &c("coalesce", vec![Value::Null, s("")]),
            "coalesce",
            "no non-null",
        );
        assert_error(
            &c("coalesce", vec![s("a"), ls(&["b"])]),
            "coalesce",
            "same type",
        );
    }

    #[test]
    fn coalescelist_returns_the_first_non_empty_list() {
        assert_eq!(
            c("coalescelist", vec![l(vec![]), ls(&["a"]), ls(&["b"])]),
            ls(&["a"])
        );
        let list = unknown("list unknown");
        assert_same(&c("coalescelist", vec![l(vec![]), list.clone()]), &list);
        assert_error(&c("coalescelist", vec![s("a")]), "coalescelist", "lists");
        assert_error(
            &c("coalescelist", vec![l(vec![])]),
            "coalescelist",
            "no non-null",
        );
    }

    #[test]
    fn compact_drops_null_and_empty_and_is_unknown_with_unknown_elements() {
        assert_eq!(
            c("compact", vec![l(vec![s("a"), s(""), Value::Null, n(1.0)])]),
            ls(&["a", "1"])
        );
        assert_because(&c("compact", vec![l(vec![s("a"), unknown("u")])]), "u");
    }

    #[test]
    fn distinct_keeps_first_occurrences() {
        assert_eq!(
            c("distinct", vec![ls(&["b", "a", "b", "c", "a"])]),
            ls(&["b", "a", "c"])
        );
        assert_eq!(c("distinct", vec![l(vec![s("1"), n(1.0)])]), ls(&["1"]));
        assert_because(&c("distinct", vec![l(vec![s("a"), unknown("u")])]), "u");
    }

    #[test]
    fn flatten_flattens_nested_lists_and_keeps_unknown_elements() {
        let arn = attr("aws_s3_bucket.b", "arn");
        let v = c(
            "flatten",
            vec![l(vec![
                l(vec![s("a"), l(vec![s("b")])]),
                l(vec![]),
                arn.clone(),
                m(&[("k", s("v"))]),
            ])],
        );
        let items = v.as_list().unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[..2], [s("a"), s("b")]);
        assert_same(&items[2], &arn);
        assert_error(&c("flatten", vec![s("a")]), "flatten", "must be a list");
    }

    #[test]
    fn lookup_finds_defaults_and_fails() {
        let map = m(&[("a", s("x")), ("u", attr("aws_kms_key.k", "arn"))]);
        assert_eq!(c("lookup", vec![map.clone(), s("a")]), s("x"));
        assert_eq!(c("lookup", vec![map.clone(), s("b"), s("d")]), s("d"));
        assert_error(&c("lookup", vec![map.clone(), s("b")]), "lookup", "\"b\"");
        let kept = c("lookup", vec![map.clone(), s("u")]);
        assert_same(&kept, &map.as_map().unwrap()["u"]);
        assert_because(&c("lookup", vec![unknown("m"), s("a")]), "m");
        assert_because(&c("lookup", vec![map, unknown("k")]), "k");
        assert_error(
            &c("lookup", vec![ls(&["a"]), s("a")]),
            "lookup",
            "must be a map",
        );
    }

    #[test]
    fn lookup_on_a_resource_gives_configured_or_computed_attributes() {
        let r = Value::Resource(Arc::new(ResourceValue {
            address: "aws_s3_bucket.b".into(),
            resource_type: "aws_s3_bucket".into(),
            attrs: [("bucket".to_string(), s("logs"))].into_iter().collect(),
        }));
        assert_eq!(c("lookup", vec![r.clone(), s("bucket")]), s("logs"));
        let arn = c("lookup", vec![r, s("arn")]);
        let origin = arn.as_unknown().unwrap().origin.as_ref().unwrap();
        assert_eq!(
            (origin.address.as_str(), origin.attribute.as_str()),
            ("aws_s3_bucket.b", "arn")
        );
    }

    #[test]
    fn contains_is_three_valued() {
        assert_eq!(
            c("contains", vec![l(vec![s("a"), unknown("u")]), s("a")]),
            Value::Bool(true)
        );
        assert_because(
            &c("contains", vec![l(vec![s("b"), unknown("u")]), s("a")]),
            "u",
        );
        assert_eq!(c("contains", vec![ls(&["b"]), s("a")]), Value::Bool(false));
        assert_eq!(c("contains", vec![ls(&["1"]), n(1.0)]), Value::Bool(true));
        assert_eq!(
            c("contains", vec![l(vec![]), unknown("v")]),
            Value::Bool(false)
        );
        assert_because(&c("contains", vec![ls(&["a"]), unknown("v")]), "v");
        assert_eq!(
            c("contains", vec![l(vec![ls(&["a", "b"])]), ls(&["a", "b"])]),
            Value::Bool(true)
        );
        assert_error(&c("contains", vec![s("abc"), s("a")]), "contains", "list");
    }

    #[test]
    fn length_counts_characters_elements_and_keys() {
        assert_eq!(c("length", vec![s("héllo")]), n(5.0));
        assert_eq!(c("length", vec![l(vec![unknown("u"), s("a")])]), n(2.0));
        assert_eq!(c("length", vec![m(&[("a", unknown("u"))])]), n(1.0));
        assert_because(&c("length", vec![unknown("u")]), "u");
        assert_error(&c("length", vec![n(5.0)]), "length", "must be a string");
        assert_error(&c("length", vec![Value::Null]), "length", "null");
    }

    #[test]
    fn element_wraps_around_and_passes_unknowns_through() {
        let list = ls(&["a", "b", "c"]);
        assert_eq!(c("element", vec![list.clone(), n(1.0)]), s("b"));
        assert_eq!(c("element", vec![list.clone(), n(3.0)]), s("a"));
        assert_eq!(c("element", vec![list.clone(), n(-1.0)]), s("c"));
        assert_eq!(c("element", vec![list.clone(), s("2")]), s("c"));
        let arn = attr("aws_kms_key.k", "arn");
        assert_same(
            &c("element", vec![l(vec![s("a"), arn.clone()]), n(1.0)]),
            &arn,
        );
        assert_because(&c("element", vec![unknown("list"), n(0.0)]), "list");
        assert_error(&c("element", vec![list, n(0.5)]), "element", "whole number");
    }

    #[test]
    fn index_finds_or_fails_and_respects_unknowns() {
        assert_eq!(c("index", vec![ls(&["a", "b", "b"]), s("b")]), n(1.0));
        assert_eq!(
            c("index", vec![l(vec![s("a"), unknown("u")]), s("a")]),
            n(0.0)
        );
        assert_because(
            &c("index", vec![l(vec![unknown("u"), s("a")]), s("a")]),
            "u",
        );
        assert_error(&c("index", vec![ls(&["a"]), s("z")]), "index", "not found");
        assert_error(&c("index", vec![l(vec![]), s("z")]), "index", "empty");
    }

    #[test]
    fn keys_and_values_follow_key_order() {
        let arn = attr("aws_kms_key.k", "arn");
        let map = m(&[("b", s("2")), ("a", arn.clone())]);
        assert_eq!(c("keys", vec![map.clone()]), ls(&["a", "b"]));
        let vals = c("values", vec![map]);
        assert_same(&vals.as_list().unwrap()[0], &arn);
        assert_eq!(vals.as_list().unwrap()[1], s("2"));
        assert_because(&c("keys", vec![unknown("u")]), "u");
    }

    #[test]
    fn zipmap_pairs_keys_with_values() {
        let arn = attr("aws_kms_key.k", "arn");
        let v = c(
            "zipmap",
            vec![ls(&["a", "b"]), l(vec![n(1.0), arn.clone()])],
        );
        assert_eq!(v.as_map().unwrap()["a"], n(1.0));
        assert_same(&v.as_map().unwrap()["b"], &arn);
        assert_error(
            &c("zipmap", vec![ls(&["a"]), l(vec![])]),
            "zipmap",
            "does not match",
        );
        assert_because(&c("zipmap", vec![l(vec![unknown("k")]), ls(&["v"])]), "k");
    }

    #[test]
    fn range_follows_terraform_and_is_capped() {
        assert_eq!(c("range", vec![n(3.0)]), l(vec![n(0.0), n(1.0), n(2.0)]));
        assert_eq!(
            c("range", vec![n(1.0), n(4.0)]),
            l(vec![n(1.0), n(2.0), n(3.0)])
        );
        assert_eq!(
            c("range", vec![n(3.0), n(0.0)]),
            l(vec![n(3.0), n(2.0), n(1.0)])
        );
        assert_eq!(
            c("range", vec![n(0.0), n(1.0), n(0.25)]),
            l(vec![n(0.0), n(0.25), n(0.5), n(0.75)])
        );
        assert_eq!(
            c("range", vec![n(0.0), n(0.5), n(0.1)]),
            l(vec![n(0.0), n(0.1), n(0.2), n(0.3), n(0.4)])
        );
        assert_eq!(c("range", vec![n(-2.0)]), l(vec![n(0.0), n(-1.0)]));
        assert_eq!(c("range", vec![n(0.0)]), l(vec![]));
        assert_error(&c("range", vec![n(0.0), n(5.0), n(0.0)]), "range", "zero");
        assert_error(
            &c("range", vec![n(0.0), n(5.0), n(-1.0)]),
            "range",
            "negative",
        );
        assert_error(&c("range", vec![n(1e300)]), "range", "more than 1024");
        // Exactly Terraform's limit: 1024 values are fine, the 1025th is an error.
        assert_eq!(c("range", vec![n(1024.0)]).as_list().unwrap().len(), 1024);
        assert_error(&c("range", vec![n(1025.0)]), "range", "more than 1024");
        assert_error(&c("range", vec![n(1e18), n(2e18), n(1.0)]), "range", "1024");
    }

    #[test]
    fn one_returns_null_the_element_or_fails() {
        assert_eq!(c("one", vec![l(vec![])]), Value::Null);
        assert_eq!(c("one", vec![ls(&["a"])]), s("a"));
        let arn = attr("aws_kms_key.k", "arn");
        assert_same(&c("one", vec![l(vec![arn.clone()])]), &arn);
        assert_error(&c("one", vec![ls(&["a", "b"])]), "one", "zero or one");
    }

    #[test]
    fn sort_is_lexical_and_needs_known_elements() {
        assert_eq!(
            c("sort", vec![l(vec![s("b"), n(10.0), s("a"), n(9.0)])]),
            ls(&["10", "9", "a", "b"])
        );
        assert_because(&c("sort", vec![l(vec![s("b"), unknown("u")])]), "u");
        assert_error(&c("sort", vec![l(vec![Value::Null])]), "sort", "null");
    }

    #[test]
    fn reverse_and_slice_pass_elements_through() {
        let arn = attr("aws_kms_key.k", "arn");
        let v = c("reverse", vec![l(vec![arn.clone(), s("a")])]);
        assert_eq!(v.as_list().unwrap()[0], s("a"));
        assert_same(&v.as_list().unwrap()[1], &arn);
        let list = l(vec![s("a"), arn.clone(), s("c")]);
        let v = c("slice", vec![list.clone(), n(1.0), n(3.0)]);
        assert_same(&v.as_list().unwrap()[0], &arn);
        assert_eq!(v.as_list().unwrap()[1], s("c"));
        assert_eq!(c("slice", vec![list.clone(), n(3.0), n(3.0)]), l(vec![]));
        assert_error(
            &c("slice", vec![list.clone(), n(2.0), n(1.0)]),
            "slice",
            "greater than end",
        );
        assert_error(&c("slice", vec![list, n(0.0), n(4.0)]), "slice", "length");
    }

    #[test]
    fn chunklist_splits_into_chunks() {
        let list = ls(&["a", "b", "c"]);
        assert_eq!(
            c("chunklist", vec![list.clone(), n(2.0)]),
            l(vec![ls(&["a", "b"]), ls(&["c"])])
        );
        assert_eq!(
            c("chunklist", vec![list.clone(), n(0.0)]),
            l(vec![list.clone()])
        );
        assert_eq!(c("chunklist", vec![l(vec![]), n(2.0)]), l(vec![]));
        assert_error(
            &c("chunklist", vec![list, n(-1.0)]),
            "chunklist",
            "positive",
        );
    }

    #[test]
    fn transpose_swaps_keys_and_values() {
        let v = c(
            "transpose",
            vec![m(&[("a", ls(&["1", "2"])), ("b", ls(&["2", "3"]))])],
        );
        assert_eq!(
            v,
            m(&[("1", ls(&["a"])), ("2", ls(&["a", "b"])), ("3", ls(&["b"]))])
        );
        assert_error(
            &c("transpose", vec![m(&[("a", s("x"))])]),
            "transpose",
            "lists",
        );
    }

    #[test]
    fn matchkeys_selects_by_keys() {
        let arn = attr("aws_instance.i", "id");
        let v = c(
            "matchkeys",
            vec![
                l(vec![s("i-1"), arn.clone(), s("i-3")]),
                ls(&["us-west", "us-east", "us-east"]),
                ls(&["us-east"]),
            ],
        );
        let items = v.as_list().unwrap();
        assert_same(&items[0], &arn);
        assert_eq!(items[1], s("i-3"));
        assert_error(
            &c("matchkeys", vec![ls(&["a"]), ls(&[]), ls(&["x"])]),
            "matchkeys",
            "length",
        );
        assert_because(
            &c(
                "matchkeys",
                vec![ls(&["a"]), l(vec![unknown("k")]), ls(&["x"])],
            ),
            "k",
        );
    }

    #[test]
    fn alltrue_and_anytrue_are_three_valued() {
        let t = Value::Bool(true);
        let f = Value::Bool(false);
        assert_eq!(c("alltrue", vec![l(vec![])]), t);
        assert_eq!(c("alltrue", vec![l(vec![t.clone(), s("true")])]), t);
        assert_eq!(c("alltrue", vec![l(vec![unknown("u"), f.clone()])]), f);
        assert_because(&c("alltrue", vec![l(vec![unknown("u"), t.clone()])]), "u");
        assert_eq!(c("anytrue", vec![l(vec![])]), f);
        assert_eq!(c("anytrue", vec![l(vec![unknown("u"), t.clone()])]), t);
        assert_because(&c("anytrue", vec![l(vec![unknown("u"), f.clone()])]), "u");
        assert_error(&c("anytrue", vec![ls(&["yes"])]), "anytrue", "bool");
    }

    #[test]
    fn sum_adds_numbers() {
        assert_eq!(c("sum", vec![l(vec![n(1.0), s("2"), n(3.5)])]), n(6.5));
        assert_error(&c("sum", vec![l(vec![])]), "sum", "empty");
        assert_because(&c("sum", vec![l(vec![n(1.0), unknown("u")])]), "u");
        assert_error(
            &c("sum", vec![l(vec![n(1e308), n(1e308)])]),
            "sum",
            "finite",
        );
    }

    #[test]
    fn removed_functions_say_what_replaces_them() {
        assert_error(&c("list", vec![s("a")]), "list", "tolist");
        assert_error(&c("map", vec![]), "map", "tomap");
    }

    // --- sets ----------------------------------------------------------------------

    #[test]
    fn set_functions_sort_and_dedupe() {
        assert_eq!(
            c("setunion", vec![ls(&["b", "a"]), ls(&["c", "a"])]),
            ls(&["a", "b", "c"])
        );
        assert_eq!(
            c(
                "setintersection",
                vec![ls(&["a", "b", "c"]), ls(&["c", "b", "d"])]
            ),
            ls(&["b", "c"])
        );
        assert_eq!(
            c("setsubtract", vec![ls(&["a", "b", "c"]), ls(&["a", "c"])]),
            ls(&["b"])
        );
        assert_eq!(
            c("setintersection", vec![ls(&["1", "2"]), l(vec![n(1.0)])]),
            ls(&["1"])
        );
        assert_because(
            &c("setsubtract", vec![ls(&["a"]), l(vec![unknown("u")])]),
            "u",
        );
        let arn = attr("aws_kms_key.k", "arn");
        let v = c("setunion", vec![l(vec![arn.clone(), s("a")])]);
        assert_same(&v.as_list().unwrap()[1], &arn);
    }

    #[test]
    fn setproduct_builds_all_combinations_and_is_capped() {
        assert_eq!(
            c("setproduct", vec![ls(&["a", "b"]), ls(&["1", "2"])]),
            l(vec![
                ls(&["a", "1"]),
                ls(&["a", "2"]),
                ls(&["b", "1"]),
                ls(&["b", "2"]),
            ])
        );
        assert_eq!(c("setproduct", vec![ls(&["a"]), l(vec![])]), l(vec![]));
        let big = l((0..1000).map(|i| n(i as f64)).collect());
        assert_error(
            &c("setproduct", vec![big.clone(), big.clone(), big]),
            "setproduct",
            "more than",
        );
        assert_error(
            &c("setproduct", vec![ls(&["a"])]),
            "setproduct",
            "at least 2",
        );
    }

    // --- conversions ---------------------------------------------------------------

    #[test]
    fn conversions_follow_terraform_rules() {
        assert_eq!(c("tostring", vec![n(1.5)]), s("1.5"));
        assert_eq!(c("tostring", vec![Value::Bool(true)]), s("true"));
        assert_eq!(c("tostring", vec![Value::Null]), Value::Null);
        assert_error(
            &c("tostring", vec![ls(&["a"])]),
            "tostring",
            "cannot convert",
        );
        assert_eq!(c("tonumber", vec![s("1e3")]), n(1000.0));
        assert_eq!(c("tonumber", vec![Value::Null]), Value::Null);
        assert_error(&c("tonumber", vec![s("abc")]), "tonumber", "cannot convert");
        assert_error(&c("tonumber", vec![s("NaN")]), "tonumber", "cannot convert");
        assert_eq!(c("tobool", vec![s("false")]), Value::Bool(false));
        assert_error(&c("tobool", vec![s("yes")]), "tobool", "cannot convert");
        assert_eq!(c("tolist", vec![l(vec![s("a"), n(1.0)])]), ls(&["a", "1"]));
        assert_error(&c("tolist", vec![m(&[])]), "tolist", "cannot convert");
        assert_eq!(c("toset", vec![ls(&["b", "a", "b"])]), ls(&["a", "b"]));
        assert_eq!(
            c("toset", vec![l(vec![n(10.0), n(9.0), n(10.0)])]),
            l(vec![n(9.0), n(10.0)])
        );
        assert_eq!(
            c("tomap", vec![m(&[("a", n(1.0)), ("b", s("x"))])]),
            m(&[("a", s("1")), ("b", s("x"))])
        );
        assert_error(&c("tomap", vec![ls(&["a"])]), "tomap", "cannot convert");
        assert_eq!(c("sensitive", vec![s("x")]), s("x"));
    }

    #[test]
    fn conversions_pass_unknowns_through() {
        let arn = attr("aws_kms_key.k", "arn");
        for name in [
            "tostring",
            "tonumber",
            "tobool",
            "tolist",
            "toset",
            "tomap",
            "nonsensitive",
        ] {
            assert_same(&c(name, vec![arn.clone()]), &arn);
        }
        let v = c("tolist", vec![l(vec![arn.clone(), s("a")])]);
        assert_same(&v.as_list().unwrap()[0], &arn);
        let v = c("toset", vec![l(vec![arn.clone(), s("b"), s("a"), s("b")])]);
        let items = v.as_list().unwrap();
        assert_eq!(items[..2], [s("a"), s("b")]);
        assert_same(&items[2], &arn);
    }

    // --- format --------------------------------------------------------------------

    #[test]
    fn format_supports_go_verbs() {
        let f = |spec: &str, args: Vec<Value>| {
            let mut all = vec![s(spec)];
            all.extend(args);
            c("format", all)
        };
        assert_eq!(f("Hello, %s!", vec![s("Ander")]), s("Hello, Ander!"));
        assert_eq!(f("%d items", vec![n(10.0)]), s("10 items"));
        assert_eq!(
            f("%5d|%-5d|%05d", vec![n(42.0), n(42.0), n(-42.0)]),
            s("   42|42   |-0042")
        );
        assert_eq!(f("%+d % d", vec![n(5.0), n(5.0)]), s("+5  5"));
        assert_eq!(f("%.2f", vec![n(1.23456)]), s("1.23"));
        assert_eq!(f("%f", vec![n(10.0)]), s("10.000000"));
        assert_eq!(f("%8.3f|", vec![n(-1.23456)]), s("  -1.235|"));
        assert_eq!(
            f("%e %E", vec![n(1000.0), n(1000.0)]),
            s("1.000000e+03 1.000000E+03")
        );
        assert_eq!(
            f("%g %g %g", vec![n(1000.0), n(1e-7), n(0.5)]),
            s("1000 1e-07 0.5")
        );
        assert_eq!(f("%.3g", vec![n(1234.5678)]), s("1.23e+03"));
        assert_eq!(
            f("%v %v %v", vec![s("a"), n(2.0), Value::Bool(true)]),
            s("a 2 true")
        );
        assert_eq!(f("%v", vec![n(1234567.0)]), s("1.234567e+06"));
        assert_eq!(
            f("%v", vec![m(&[("b", n(1.0)), ("a", ls(&["x"]))])]),
            s(r#"{"a":["x"],"b":1}"#)
        );
        assert_eq!(f("%#v", vec![s("a")]), s("\"a\""));
        assert_eq!(f("%q", vec![s("a\"b")]), s(r#""a\"b""#));
        assert_eq!(f("%t", vec![s("true")]), s("true"));
        assert_eq!(
            f(
                "%b %o %x %X %#x",
                vec![n(5.0), n(9.0), n(254.0), n(254.0), n(254.0)]
            ),
            s("101 11 fe FE 0xfe")
        );
        assert_eq!(f("%[2]d %[1]d %d", vec![n(1.0), n(2.0)]), s("2 1 2"));
        assert_eq!(f("100%%", vec![]), s("100%"));
        assert_eq!(
            f("%.3s|%6s|%-6s|", vec![s("abcdef"), s("ab"), s("ab")]),
            s("abc|    ab|ab    |")
        );
        assert_eq!(f("%s", vec![n(1.5)]), s("1.5"));
        assert_eq!(f("%v", vec![Value::Null]), s("null"));
    }

    #[test]
    fn format_rejects_bad_specs_and_arguments() {
        let f = |spec: &str, args: Vec<Value>| {
            let mut all = vec![s(spec)];
            all.extend(args);
            c("format", all)
        };
        assert_error(&f("%d", vec![]), "format", "not enough arguments");
        assert_error(
            &f("%s", vec![s("a"), s("b")]),
            "format",
            "too many arguments; only 1",
        );
        assert_error(&f("x", vec![s("a")]), "format", "no verbs");
        assert_error(&f("%d", vec![n(1.5)]), "format", "integer");
        assert_error(&f("%d", vec![s("x")]), "format", "number required");
        assert_error(&f("%s", vec![ls(&["a"])]), "format", "string required");
        assert_error(&f("%s", vec![Value::Null]), "format", "null");
        assert_error(&f("%z", vec![n(1.0)]), "format", "unsupported format verb");
        assert_error(&f("%!", vec![]), "format", "unrecognized");
        assert_error(&f("50%", vec![]), "format", "invalid format string");
        assert_error(
            &f("%99999999999999999999999d", vec![n(1.0)]),
            "format",
            "too large",
        );
        assert_error(
            &f("%[99999999999999999999999]d", vec![n(1.0)]),
            "format",
            "too large",
        );
        assert_because(&f("%s", vec![unknown("u")]), "u");
        assert_because(&f("%v", vec![l(vec![unknown("u")])]), "u");
    }

    #[test]
    fn formatlist_iterates_lists_and_repeats_scalars() {
        let v = c("formatlist", vec![s("%s-%s"), ls(&["a", "b"]), s("x")]);
        assert_eq!(v, ls(&["a-x", "b-x"]));
        assert_eq!(c("formatlist", vec![s("hi")]), ls(&["hi"]));
        let v = c(
            "formatlist",
            vec![s("arn:%s"), l(vec![s("a"), attr("aws_kms_key.k", "id")])],
        );
        let items = v.as_list().unwrap();
        assert_eq!(items[0], s("arn:a"));
        assert_because(&items[1], "`aws_kms_key.k.id` is known only after apply");
        assert_error(
            &c("formatlist", vec![s("%s%s"), ls(&["a"]), ls(&["a", "b"])]),
            "formatlist",
            "inconsistent",
        );
        assert_error(
            &c("formatlist", vec![s("%d"), ls(&["a"])]),
            "formatlist",
            "iteration 0",
        );
    }

    // --- strings -------------------------------------------------------------------

    #[test]
    fn join_and_split() {
        assert_eq!(
            c("join", vec![s(","), ls(&["a", "b"]), ls(&["c"])]),
            s("a,b,c")
        );
        assert_eq!(
            c("join", vec![s("-"), l(vec![n(1.0), Value::Bool(true)])]),
            s("1-true")
        );
        assert_because(&c("join", vec![s(","), l(vec![s("a"), unknown("u")])]), "u");
        assert_error(
            &c("join", vec![s(","), l(vec![Value::Null])]),
            "join",
            "null",
        );
        assert_error(&c("join", vec![s(",")]), "join", "at least 2");
        assert_eq!(
            c("split", vec![s(","), s("a,b,,c")]),
            ls(&["a", "b", "", "c"])
        );
        assert_eq!(c("split", vec![s(","), s("")]), ls(&[""]));
        assert_eq!(c("split", vec![s(""), s("ab")]), ls(&["a", "b"]));
    }

    #[test]
    fn replace_plain_and_regex() {
        assert_eq!(
            c("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            s("1 - 2 - 3")
        );
        assert_eq!(
            c(
                "replace",
                vec![s("hello world"), s("/w(or)ld/"), s("$1 ${1}")]
            ),
            s("hello or or")
        );
        assert_eq!(
            c("replace", vec![s("baaac"), s("/a*/"), s("X")]),
            s("XbXcX")
        );
        assert_eq!(c("replace", vec![s("a/b"), s("/"), s("_")]), s("a_b"));
        assert_error(
            &c("replace", vec![s("x"), s("/(/"), s("")]),
            "replace",
            "invalid regexp",
        );
        let long = "a".repeat(1 << 20);
        let with = "b".repeat(64);
        assert_error(
            &c("replace", vec![s(&long), s("a"), s(&with)]),
            "replace",
            "longer than",
        );
        assert_error(
            &c("replace", vec![s(&long), s("/a/"), s(&with)]),
            "replace",
            "longer than",
        );
    }

    #[test]
    fn case_and_trim_functions() {
        assert_eq!(c("lower", vec![s("HÉLLO")]), s("héllo"));
        assert_eq!(c("upper", vec![s("straße")]), s("STRAßE"));
        assert_eq!(
            c("title", vec![s("hello world-wide web_site")]),
            s("Hello World-Wide Web_site")
        );
        assert_eq!(c("trimspace", vec![s(" \t x \n")]), s("x"));
        assert_eq!(c("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(
            c("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(c("trimprefix", vec![s("hello"), s("x")]), s("hello"));
        assert_eq!(
            c("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(c("chomp", vec![s("hello\r\n\n")]), s("hello"));
        assert_eq!(c("strrev", vec![s("abc")]), s("cba"));
        assert_eq!(c("upper", vec![n(1.0)]), s("1"));
    }

    #[test]
    fn string_predicates() {
        assert_eq!(
            c("startswith", vec![s("hello"), s("he")]),
            Value::Bool(true)
        );
        assert_eq!(
            c("startswith", vec![unknown("u"), s("")]),
            Value::Bool(true)
        );
        assert_because(&c("startswith", vec![unknown("u"), s("h")]), "u");
        assert_eq!(c("endswith", vec![s("hello"), s("he")]), Value::Bool(false));
        assert_eq!(
            c("strcontains", vec![s("hello"), s("ll")]),
            Value::Bool(true)
        );
    }

    #[test]
    fn substr_counts_characters() {
        assert_eq!(
            c("substr", vec![s("hello world"), n(1.0), n(4.0)]),
            s("ello")
        );
        assert_eq!(
            c("substr", vec![s("hello world"), n(-5.0), n(-1.0)]),
            s("world")
        );
        assert_eq!(c("substr", vec![s("héllo"), n(1.0), n(2.0)]), s("él"));
        assert_eq!(c("substr", vec![s("hello"), n(10.0), n(2.0)]), s(""));
        assert_eq!(c("substr", vec![s("hello"), n(-10.0), n(2.0)]), s("he"));
        assert_eq!(c("substr", vec![s("hello"), n(3.0), n(100.0)]), s("lo"));
        assert_eq!(c("substr", vec![s("hello"), n(9e18), n(9e18)]), s(""));
    }

    #[test]
    fn indent_pads_lines_after_the_first() {
        assert_eq!(c("indent", vec![n(2.0), s("a\nb\n")]), s("a\n  b\n  "));
        assert_error(&c("indent", vec![n(-1.0), s("a")]), "indent", "negative");
        assert_error(
            &c("indent", vec![n(1e15), s("a\nb")]),
            "indent",
            "longer than",
        );
    }

    #[test]
    fn regex_shapes_follow_the_groups() {
        assert_eq!(
            c(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
            ),
            s("aaabbbccc")
        );
        assert_eq!(
            c("regex", vec![s(r"(\d\d\d\d)-(\d\d)-(x)?"), s("2019-02-01")]),
            l(vec![s("2019"), s("02"), Value::Null])
        );
        assert_eq!(
            c(
                "regex",
                vec![s(r"^(?P<user>[^@]+)@(?P<domain>.+)$"), s("me@example.com")]
            ),
            m(&[("domain", s("example.com")), ("user", s("me"))])
        );
        assert_error(
            &c("regex", vec![s("z"), s("abc")]),
            "regex",
            "did not match",
        );
        assert_error(&c("regex", vec![s("(a)(?P<n>b)"), s("ab")]), "regex", "mix");
        assert_eq!(
            c("regexall", vec![s("[a-z]+"), s("1a2bb3")]),
            ls(&["a", "bb"])
        );
        assert_eq!(c("regexall", vec![s("z"), s("abc")]), l(vec![]));
        assert_because(&c("regex", vec![s("a"), unknown("u")]), "u");
    }

    // --- numbers -------------------------------------------------------------------

    #[test]
    fn number_functions() {
        assert_eq!(c("min", vec![n(12.0), n(54.0), n(3.0)]), n(3.0));
        assert_eq!(c("max", vec![n(12.0), s("54"), n(3.0)]), n(54.0));
        assert_error(&c("max", vec![]), "max", "at least 1");
        assert_eq!(c("abs", vec![n(-12.4)]), n(12.4));
        assert_eq!(c("ceil", vec![n(5.1)]), n(6.0));
        assert_eq!(c("floor", vec![n(-5.1)]), n(-6.0));
        assert_eq!(c("signum", vec![n(-13.0)]), n(-1.0));
        assert_eq!(c("signum", vec![n(0.0)]), n(0.0));
        assert_eq!(c("pow", vec![n(3.0), n(2.0)]), n(9.0));
        assert_error(&c("pow", vec![n(10.0), n(400.0)]), "pow", "finite");
        assert_error(&c("pow", vec![n(-8.0), n(0.5)]), "pow", "finite");
        assert_eq!(c("log", vec![n(16.0), n(2.0)]), n(4.0));
        assert_eq!(c("parseint", vec![s("100"), n(10.0)]), n(100.0));
        assert_eq!(c("parseint", vec![s("-FF"), n(16.0)]), n(-255.0));
        assert_eq!(c("parseint", vec![s("zZ"), n(62.0)]), n(35.0 * 62.0 + 61.0));
        assert_error(
            &c("parseint", vec![s("12"), n(2.0)]),
            "parseint",
            "cannot parse",
        );
        assert_error(
            &c("parseint", vec![s("1"), n(63.0)]),
            "parseint",
            "between 2 and 62",
        );
        assert_because(&c("abs", vec![unknown("u")]), "u");
        assert_error(&c("abs", vec![n(f64::NAN)]), "abs", "finite");
    }

    // --- networks ------------------------------------------------------------------

    #[test]
    fn cidr_functions() {
        assert_eq!(
            c("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            c("cidrhost", vec![s("10.12.112.0/20"), n(-1.0)]),
            s("10.12.127.255")
        );
        assert_eq!(
            c("cidrhost", vec![s("fd00:fd12:3456:7890::/56"), n(16.0)]),
            s("fd00:fd12:3456:7800::10")
        );
        assert_error(
            &c("cidrhost", vec![s("10.0.0.0/30"), n(4.0)]),
            "cidrhost",
            "accommodate",
        );
        assert_eq!(c("cidrhost", vec![s("10.0.0.1/32"), n(0.0)]), s("10.0.0.1"));
        assert_eq!(c("cidrnetmask", vec![s("172.16.0.0/12")]), s("255.240.0.0"));
        assert_error(&c("cidrnetmask", vec![s("::/0")]), "cidrnetmask", "IPv6");
        assert_eq!(
            c("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
            s("172.18.0.0/16")
        );
        assert_eq!(
            c("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            c(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_error(
            &c("cidrsubnet", vec![s("10.0.0.0/30"), n(3.0), n(0.0)]),
            "cidrsubnet",
            "insufficient",
        );
        assert_error(
            &c("cidrsubnet", vec![s("10.0.0.0/8"), n(2.0), n(4.0)]),
            "cidrsubnet",
            "accommodate",
        );
        assert_error(
            &c("cidrsubnet", vec![s("10.0.0/8"), n(2.0), n(0.0)]),
            "cidrsubnet",
            "invalid CIDR",
        );
        assert_eq!(
            c(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            ls(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(
            c(
                "cidrsubnets",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(16.0)]
            ),
            ls(&["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72"])
        );
        assert_error(
            &c(
                "cidrsubnets",
                vec![s("10.0.0.0/30"), n(1.0), n(1.0), n(1.0)],
            ),
            "cidrsubnets",
            "not enough remaining address space",
        );
        assert_eq!(c("cidrsubnets", vec![s("10.0.0.0/8")]), l(vec![]));
    }

    // --- unknown propagation -------------------------------------------------------

    #[test]
    fn unknown_arguments_give_unknowns_with_the_root_reason() {
        let cases: Vec<(&str, Vec<Value>)> = vec![
            ("upper", vec![unknown("root")]),
            ("join", vec![unknown("root"), ls(&["a"])]),
            ("join", vec![s(","), unknown("root")]),
            ("split", vec![s(","), unknown("root")]),
            ("replace", vec![s("a"), s("a"), unknown("root")]),
            ("length", vec![unknown("root")]),
            ("keys", vec![unknown("root")]),
            ("concat", vec![ls(&["a"]), unknown("root")]),
            ("flatten", vec![unknown("root")]),
            ("jsondecode", vec![unknown("root")]),
            ("cidrsubnet", vec![unknown("root"), n(1.0), n(1.0)]),
            ("min", vec![n(1.0), unknown("root")]),
            ("range", vec![unknown("root")]),
            ("formatlist", vec![s("%s"), unknown("root")]),
        ];
        for (name, args) in cases {
            assert_because(&c(name, args), "root");
        }
    }

    #[test]
    fn propagated_unknowns_drop_the_origin_but_keep_span_and_reason() {
        let span = |start| {
            Some(Span {
                file: FileId(0),
                start,
                end: start + 1,
            })
        };
        let arn = attr("aws_kms_key.k", "arn");
        let v = call("upper", &[arn], span(7)).unwrap();
        let u = v.as_unknown().unwrap();
        assert_eq!(u.reason, "`aws_kms_key.k.arn` is known only after apply");
        assert!(u.origin.is_none());
        // The root cause's own span when it has one, else the call's.
        assert_eq!(u.span, span(7));
        let rooted = Value::unknown("root", span(2));
        let v = call("upper", &[rooted], span(7)).unwrap();
        assert_eq!(v.as_unknown().unwrap().span, span(2));
    }

    #[test]
    fn functions_that_cannot_be_computed_say_why() {
        let v = c("timestamp", vec![]);
        assert_eq!(
            v.as_unknown().unwrap().reason,
            "`timestamp()` is known only at apply time"
        );
        assert!(c("uuid", vec![])
            .as_unknown()
            .unwrap()
            .reason
            .contains("random"));
        assert!(c("sha256", vec![s("x")]).is_unknown());
        assert!(c("bcrypt", vec![s("x")]).is_unknown());
    }

    // --- robustness ----------------------------------------------------------------

    /// Every function name `call` implements, for the robustness sweep.
    const NAMES: &[&str] = &[
        "jsonencode",
        "jsondecode",
        "base64encode",
        "base64decode",
        "urlencode",
        "merge",
        "concat",
        "coalesce",
        "coalescelist",
        "compact",
        "distinct",
        "flatten",
        "lookup",
        "contains",
        "length",
        "element",
        "index",
        "keys",
        "values",
        "zipmap",
        "range",
        "one",
        "sort",
        "reverse",
        "slice",
        "chunklist",
        "transpose",
        "matchkeys",
        "alltrue",
        "anytrue",
        "sum",
        "list",
        "map",
        "setunion",
        "setintersection",
        "setsubtract",
        "setproduct",
        "tolist",
        "toset",
        "tomap",
        "tostring",
        "tonumber",
        "tobool",
        "sensitive",
        "nonsensitive",
        "format",
        "formatlist",
        "join",
        "split",
        "replace",
        "lower",
        "upper",
        "title",
        "trimspace",
        "trim",
        "trimprefix",
        "trimsuffix",
        "chomp",
        "startswith",
        "endswith",
        "strcontains",
        "strrev",
        "substr",
        "indent",
        "regex",
        "regexall",
        "min",
        "max",
        "abs",
        "ceil",
        "floor",
        "signum",
        "pow",
        "log",
        "parseint",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnet",
        "cidrsubnets",
        "timestamp",
        "plantimestamp",
        "uuid",
        "uuidv5",
        "bcrypt",
        "md5",
        "sha1",
        "sha256",
        "sha512",
        "base64sha256",
        "base64sha512",
        "rsadecrypt",
    ];

    fn odd_values() -> Vec<Value> {
        vec![
            Value::Null,
            Value::Bool(true),
            n(0.0),
            n(-1.0),
            n(1.5),
            n(1e300),
            n(-9e18),
            n(f64::NAN),
            n(f64::INFINITY),
            s(""),
            s("%v%[3]d%-99.99q"),
            s("/(a)|(?P<x>b)/"),
            s("::/0"),
            s("255.255.255.255/32"),
            l(vec![]),
            l(vec![s("a"), n(1.0), Value::Null]),
            l(vec![unknown("u"), l(vec![s("x")])]),
            m(&[("a", ls(&["x", "y"])), ("b", unknown("u"))]),
            unknown("u"),
        ]
    }

    #[test]
    fn no_input_panics() {
        let values = odd_values();
        for name in NAMES {
            assert!(call(name, &[], None).is_some(), "{name}");
            for a in &values {
                assert!(call(name, std::slice::from_ref(a), None).is_some());
                for b in &values {
                    assert!(call(name, &[a.clone(), b.clone()], None).is_some());
                }
            }
            for a in &values[..12] {
                for b in &values[..12] {
                    for d in &values[12..] {
                        assert!(call(name, &[a.clone(), b.clone(), d.clone()], None).is_some());
                        assert!(call(name, &[d.clone(), a.clone(), b.clone()], None).is_some());
                    }
                }
            }
        }
    }

    #[test]
    fn wrong_arity_is_an_error_not_a_panic() {
        assert_error(&c("upper", vec![]), "upper", "expects 1 argument, got 0");
        assert_error(
            &c("substr", vec![s("a")]),
            "substr",
            "expects 3 arguments, got 1",
        );
        assert_error(
            &c("lookup", vec![m(&[])]),
            "lookup",
            "expects 2 to 3 arguments",
        );
    }
}
