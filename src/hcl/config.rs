//! One module directory's declarations, collected from all of its files, not yet evaluated.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::hcl::syntax::{Attribute, Block, Body, Expr};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub default: Option<Arc<Expr>>,
    /// The `type` constraint, applied to whatever value the variable gets.
    pub type_expr: Option<Arc<Expr>>,
    /// The `variable "x"` header: where an unset variable's reason points.
    pub header: Span,
}

#[derive(Debug)]
pub struct ResourceConfig {
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    pub block: Block,
}

impl ResourceConfig {
    /// `aws_ecr_repository.x` or `data.aws_iam_policy_document.x`, without module path.
    pub fn local_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.resource_type, self.name),
            Mode::Data => format!("data.{}.{}", self.resource_type, self.name),
        }
    }
}

#[derive(Debug)]
pub struct ModuleCall {
    pub name: String,
    pub block: Block,
}

impl ModuleCall {
    /// The `source` argument when it is a plain string, as Terraform requires.
    pub fn source(&self) -> Option<String> {
        let attr = self.block.body.attr("source")?;
        match &attr.expr.kind {
            crate::hcl::syntax::ExprKind::Literal(crate::hcl::eval::value::Value::String(s)) => {
                Some(s.clone())
            }
            _ => None,
        }
    }

    /// A local path source (`./x`, `../x`), which Terraform reads straight from disk.
    pub fn local_source(&self) -> Option<String> {
        self.source()
            .filter(|s| s.starts_with("./") || s.starts_with("../"))
    }
}

/// The declarations of one module directory.
#[derive(Debug, Default)]
pub struct Module {
    pub dir: PathBuf,
    /// The directory as shown to users (relative, `/`-separated).
    pub display_dir: String,
    pub variables: BTreeMap<String, Variable>,
    pub locals: HashMap<String, Attribute>,
    pub resources: Vec<ResourceConfig>,
    pub resource_index: HashMap<(Mode, String, String), usize>,
    pub module_calls: Vec<ModuleCall>,
    pub outputs: HashMap<String, Attribute>,
    /// `provider "aws" { alias = … }` blocks, for registry-level settings per provider.
    pub providers: Vec<Block>,
}

impl Module {
    pub fn new(dir: PathBuf, display_dir: String) -> Module {
        Module {
            dir,
            display_dir,
            ..Module::default()
        }
    }

    /// Adds the top-level blocks of one file. Later duplicates of a name are ignored, as
    /// Terraform would refuse them anyway.
    pub fn add_file(&mut self, body: Body) {
        for block in body.blocks {
            match block.kind.as_str() {
                "variable" if block.labels.len() == 1 => {
                    let name = block.labels[0].clone();
                    let default = block.body.attr("default").map(|a| a.expr.clone());
                    let type_expr = block.body.attr("type").map(|a| a.expr.clone());
                    self.variables.entry(name.clone()).or_insert(Variable {
                        name,
                        default,
                        type_expr,
                        header: block.header,
                    });
                }
                "locals" => {
                    for attr in block.body.attrs {
                        self.locals.entry(attr.name.clone()).or_insert(attr);
                    }
                }
                "resource" | "data" if block.labels.len() == 2 => {
                    let mode = if block.kind == "resource" {
                        Mode::Managed
                    } else {
                        Mode::Data
                    };
                    let key = (mode, block.labels[0].clone(), block.labels[1].clone());
                    if self.resource_index.contains_key(&key) {
                        continue;
                    }
                    self.resource_index.insert(key, self.resources.len());
                    self.resources.push(ResourceConfig {
                        mode,
                        resource_type: block.labels[0].clone(),
                        name: block.labels[1].clone(),
                        block,
                    });
                }
                "module"
                    if block.labels.len() == 1
                        && self.module_calls.iter().all(|c| c.name != block.labels[0]) =>
                {
                    self.module_calls.push(ModuleCall {
                        name: block.labels[0].clone(),
                        block,
                    });
                }
                "output" if block.labels.len() == 1 => {
                    if let Some(value) = block.body.attr("value") {
                        self.outputs
                            .entry(block.labels[0].clone())
                            .or_insert(value.clone());
                    }
                }
                "provider" => self.providers.push(block),
                _ => {}
            }
        }
    }

    pub fn resource(&self, mode: Mode, resource_type: &str, name: &str) -> Option<&ResourceConfig> {
        self.resource_index
            .get(&(mode, resource_type.to_string(), name.to_string()))
            .map(|&i| &self.resources[i])
    }
}
