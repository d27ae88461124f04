//! The evaluate stage's output: resource instances with every argument evaluated.
//!
//! Both frontends produce these (the HCL evaluator and, later, the plan lowering), so the
//! extractor never needs to know where a value came from — only its span.

use std::sync::Arc;

use crate::hcl::eval::value::{Unknown, Value};
use crate::hcl::syntax::Expr;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct EvalAttr {
    pub name: String,
    pub value: Value,
    /// The whole `name = expr`.
    pub span: Span,
    /// The syntax it came from, for locating a policy statement inside it.
    pub expr: Option<Arc<Expr>>,
}

#[derive(Clone, Debug)]
pub struct EvalBlock {
    pub kind: String,
    pub body: EvalBody,
    pub span: Span,
}

/// A `dynamic` block whose `for_each` cannot be known: it may stand for zero or more blocks.
#[derive(Clone, Debug)]
pub struct UnknownBlocks {
    pub kind: String,
    pub reason: Arc<Unknown>,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct EvalBody {
    pub attrs: Vec<EvalAttr>,
    pub blocks: Vec<EvalBlock>,
    pub unknown_blocks: Vec<UnknownBlocks>,
}

/// Whether nested blocks of a kind are present, when a `dynamic` block may hide them.
pub enum Blocks<'a> {
    Known(Vec<&'a EvalBlock>),
    Unknown(&'a UnknownBlocks),
}

impl EvalBody {
    pub fn attr(&self, name: &str) -> Option<&EvalAttr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The value of an attribute, `None` when it is not written (or written as `null`,
    /// which Terraform treats the same way for provider arguments).
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.attr(name).map(|a| &a.value).filter(|v| !v.is_null())
    }

    pub fn blocks(&self, kind: &str) -> Blocks<'_> {
        if let Some(u) = self.unknown_blocks.iter().find(|u| u.kind == kind) {
            return Blocks::Unknown(u);
        }
        Blocks::Known(self.blocks.iter().filter(|b| b.kind == kind).collect())
    }

    /// The body as a value (attributes, and nested blocks as lists of objects), as a
    /// reference to the resource sees it.
    pub fn to_value_map(&self) -> std::collections::BTreeMap<String, Value> {
        let mut map: std::collections::BTreeMap<String, Value> = self
            .attrs
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        let mut kinds: Vec<&str> = self.blocks.iter().map(|b| b.kind.as_str()).collect();
        kinds.dedup();
        for kind in kinds {
            let items = self
                .blocks
                .iter()
                .filter(|b| b.kind == kind)
                .map(|b| Value::map(b.body.to_value_map()))
                .collect();
            map.insert(kind.to_string(), Value::list(items));
        }
        for u in &self.unknown_blocks {
            map.insert(u.kind.clone(), Value::Unknown(u.reason.clone()));
        }
        map
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceKey {
    None,
    Index(i64),
    Key(String),
    /// `count`/`for_each` could not be known: this instance stands for all of them.
    Any,
}

impl InstanceKey {
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[{}]", serde_json::to_string(k).unwrap_or_default()),
            InstanceKey::Any => "[*]".to_string(),
        }
    }
}

/// One evaluated resource or data source instance.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Full address: `module.ecr.aws_ecr_repository.this[0]`.
    pub address: String,
    /// The module path part of the address (`module.ecr`), empty for the root module.
    pub module_path: String,
    pub resource_type: String,
    pub name: String,
    pub key: InstanceKey,
    pub is_data: bool,
    /// The provider configuration this instance uses, as the root module names it
    /// (`aws`, `aws.replica`): registry-level settings apply per provider configuration.
    pub provider: String,
    pub body: Arc<EvalBody>,
    /// `resource "type" "name"` — where findings about defaults point.
    pub header: Span,
    /// Why `count`/`for_each` is unknown, for `InstanceKey::Any`.
    pub expansion_unknown: Option<Arc<Unknown>>,
    /// The `module "…"` call that instantiated this instance's module (innermost), with
    /// its address: where a finding inside a shared module can be changed from.
    pub call_site: Option<(String, Span)>,
}
