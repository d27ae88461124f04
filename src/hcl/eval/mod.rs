//! The evaluate stage: Terraform semantics over the syntax tree, one root module at a time.
//!
//! Everything is lazy and memoised per module instance: a reference to
//! `aws_ecr_repository.x` expands that resource on first use, a reference to `module.m`
//! instantiates that call on first use. Values that cannot be known statically are
//! `Value::Unknown` with a reason — evaluation itself never fails.

pub mod expr;
pub mod functions;
pub mod instance;
pub mod types;
pub mod value;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::hcl::config::{Mode, Module, ModuleCall, ResourceConfig};
use crate::hcl::syntax::{Body, Expr, ExprKind};
use crate::source::Span;
use instance::{EvalAttr, EvalBlock, EvalBody, Instance, InstanceKey, UnknownBlocks};
use value::{ResourceValue, Unknown, Value};

/// How deep module calls may nest before we stop (a module calling itself, say).
const MAX_MODULE_DEPTH: u32 = 24;
/// How deep evaluation may recurse (long chains of locals) before giving up on a value.
pub const MAX_EVAL_DEPTH: u32 = 4096;
/// The most instances one `count`/`for_each` may produce.
const MAX_INSTANCES: usize = 100_000;
/// The most resource instances one root may expand into, and the most module instances:
/// beyond these, expansion stops with a note instead of exhausting memory.
const INSTANCE_BUDGET: usize = 100_000;
const MODULE_INSTANCE_BUDGET: usize = 10_000;

/// Resource types the extractor reads. Others are evaluated only when something refers to
/// them: a monorepo's S3 buckets and IAM roles cost nothing unless an ECR resource uses them.
fn is_relevant(mode: Mode, resource_type: &str) -> bool {
    match mode {
        Mode::Managed => {
            resource_type.starts_with("aws_ecr") || resource_type.starts_with("aws_kms")
        }
        Mode::Data => matches!(
            resource_type,
            "aws_iam_policy_document" | "aws_kms_key" | "aws_kms_alias"
        ),
    }
}

/// Everything evaluation needs to know about the module directories of a run.
#[derive(Default)]
pub struct ModuleSet {
    pub modules: HashMap<PathBuf, Arc<Module>>,
    /// Per root directory: modules `terraform init` installed, by module key (`ecr`,
    /// `ecr.nested`) as `.terraform/modules/modules.json` lists them.
    pub installed: HashMap<PathBuf, HashMap<String, PathBuf>>,
}

impl ModuleSet {
    pub fn get(&self, dir: &Path) -> Option<&Arc<Module>> {
        self.modules.get(dir)
    }
}

/// A note about evaluation the user should see (a module that could not be loaded…).
#[derive(Clone, Debug)]
pub struct EvalNote {
    pub message: String,
    pub span: Span,
}

/// An error in an expression: what Terraform would refuse. `try`/`can` catch these;
/// elsewhere they become unknown values with the message as reason.
#[derive(Clone, Debug)]
pub struct EvalError {
    pub message: String,
    pub span: Span,
}

pub type EvalResult = Result<Value, EvalError>;

/// Values given to the root module's variables, already in precedence order.
#[derive(Clone, Debug, Default)]
pub struct RootInputs {
    pub values: HashMap<String, Value>,
}

/// Per-expression context: which module instance, and the iteration variables in scope.
#[derive(Clone)]
pub struct Scope {
    pub module: Rc<ModuleInstance>,
    pub each: Option<(Value, Value)>,
    pub count_index: Option<Value>,
    /// `for` expression variables, dynamic block iterators, template `for` variables.
    pub vars: Vec<(String, Value)>,
}

impl Scope {
    fn new(module: Rc<ModuleInstance>) -> Scope {
        Scope {
            module,
            each: None,
            count_index: None,
            vars: Vec::new(),
        }
    }

    pub fn with_var(&self, name: &str, value: Value) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_string(), value));
        s
    }

    pub fn var(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// One instance key, with the `each` (key, value) and `count.index` values for it.
type ExpansionKey = (InstanceKey, Option<(Value, Value)>, Option<Value>);

struct Expansion {
    instances: Vec<(InstanceKey, Arc<EvalBody>)>,
    /// How expressions see the resource (an object, a list for `count`, a map for `for_each`).
    value: Value,
    unknown: Option<Arc<Unknown>>,
    provider: String,
}

struct ChildCall {
    instances: Vec<(InstanceKey, Rc<ModuleInstance>)>,
    /// Set when the call cannot be evaluated (remote source not downloaded…).
    unavailable: Option<Arc<Unknown>>,
    /// `count`/`for_each` of the call is unknown.
    unknown_expansion: Option<Arc<Unknown>>,
}

/// One instance of a module: the root, or one instance of a `module` call.
pub struct ModuleInstance {
    pub module: Arc<Module>,
    /// Module call names from the root, without instance keys (`ecr.nested`): the key
    /// `terraform init` files installed modules under.
    key_path: String,
    /// `module.a["x"].module.b`, empty for the root.
    pub path: String,
    depth: u32,
    /// The module directories of this instance and every caller above it.
    ancestry: Vec<PathBuf>,
    /// The call that created this instance (its address and header), none for the root.
    call_site: Option<(String, Span)>,
    inputs: HashMap<String, Value>,
    /// Local provider names (`aws`, `aws.east`) to the root's provider configuration.
    providers: HashMap<String, String>,
    /// Directory of the root module, for `path.root` and relative `file()` paths.
    root_dir: PathBuf,
    locals: RefCell<HashMap<String, Value>>,
    outputs: RefCell<HashMap<String, Value>>,
    resources: RefCell<HashMap<usize, Rc<Expansion>>>,
    children: RefCell<HashMap<String, Rc<ChildCall>>>,
    in_progress: RefCell<HashSet<String>>,
}

impl ModuleInstance {
    pub fn address_prefix(&self) -> String {
        if self.path.is_empty() {
            String::new()
        } else {
            format!("{}.", self.path)
        }
    }
}

/// Evaluates one root module and every module it calls.
pub struct Evaluator<'a> {
    pub modules: &'a ModuleSet,
    pub depth: Cell<u32>,
    notes: RefCell<Vec<EvalNote>>,
    all_instances: RefCell<Vec<Rc<ModuleInstance>>>,
    noted_calls: RefCell<HashSet<(PathBuf, String)>>,
    /// Resource and module instances still allowed in this root (see `INSTANCE_BUDGET`).
    instances_left: Cell<usize>,
    modules_left: Cell<usize>,
    budget_noted: Cell<bool>,
}

/// The result of evaluating one root module.
pub struct RootEvaluation {
    pub instances: Vec<Instance>,
    pub notes: Vec<EvalNote>,
}

impl<'a> Evaluator<'a> {
    pub fn new(modules: &'a ModuleSet) -> Evaluator<'a> {
        Evaluator {
            modules,
            depth: Cell::new(0),
            notes: RefCell::new(Vec::new()),
            all_instances: RefCell::new(Vec::new()),
            noted_calls: RefCell::new(HashSet::new()),
            instances_left: Cell::new(INSTANCE_BUDGET),
            budget_noted: Cell::new(false),
            modules_left: Cell::new(MODULE_INSTANCE_BUDGET),
        }
    }

    /// Evaluates the root module at `root` with the given variable values.
    pub fn evaluate_root(self, root: &Arc<Module>, inputs: RootInputs) -> RootEvaluation {
        let mut values = HashMap::new();
        for (name, var) in &root.variables {
            let value = match inputs.values.get(name) {
                Some(v) => v.clone(),
                None => self.variable_default(root, var),
            };
            values.insert(name.clone(), typed(value, var, &root.dir));
        }
        let root_instance = Rc::new(ModuleInstance {
            module: root.clone(),
            key_path: String::new(),
            path: String::new(),
            depth: 0,
            ancestry: Vec::new(),
            call_site: None,
            inputs: values,
            providers: HashMap::new(),
            root_dir: root.dir.clone(),
            locals: RefCell::default(),
            outputs: RefCell::default(),
            resources: RefCell::default(),
            children: RefCell::default(),
            in_progress: RefCell::default(),
        });
        self.all_instances.borrow_mut().push(root_instance.clone());
        self.instantiate_tree(&root_instance);

        let mut instances = Vec::new();
        let all: Vec<Rc<ModuleInstance>> = self.all_instances.borrow().clone();
        for mi in all {
            for (idx, res) in mi.module.resources.iter().enumerate() {
                if !is_relevant(res.mode, &res.resource_type) {
                    continue;
                }
                let expansion = self.expand_resource(&mi, idx);
                for (key, body) in &expansion.instances {
                    instances.push(Instance {
                        address: format!(
                            "{}{}{}",
                            mi.address_prefix(),
                            res.local_address(),
                            key.suffix()
                        ),
                        module_path: mi.path.clone(),
                        resource_type: res.resource_type.clone(),
                        name: res.name.clone(),
                        key: key.clone(),
                        is_data: res.mode == Mode::Data,
                        provider: expansion.provider.clone(),
                        body: body.clone(),
                        header: res.block.header,
                        expansion_unknown: expansion.unknown.clone(),
                        call_site: mi.call_site.clone(),
                    });
                }
            }
        }
        instances.sort_by(|a, b| a.address.cmp(&b.address));
        let mut notes = self.notes.into_inner();
        notes.sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
        RootEvaluation { instances, notes }
    }

    /// Instantiates every module call below `mi`, depth first, so that every module
    /// instance's resources are reported even when nothing references them.
    fn instantiate_tree(&self, mi: &Rc<ModuleInstance>) {
        for call in &mi.module.module_calls {
            let child = self.child_call(mi, &call.name);
            for (_, instance) in &child.instances {
                self.instantiate_tree(instance);
            }
        }
    }

    fn note(&self, message: String, span: Span) {
        self.notes.borrow_mut().push(EvalNote { message, span });
    }

    fn variable_default(&self, module: &Module, var: &crate::hcl::config::Variable) -> Value {
        match &var.default {
            // Defaults are literal values in Terraform.
            Some(expr) => constant_value(expr, &module.dir),
            None => Value::unknown(
                format!(
                    "`var.{}` has no default and no value was given (set it in terraform.tfvars, with --var or --var-file, or with TF_VAR_{})",
                    var.name, var.name
                ),
                Some(var.header),
            ),
        }
    }

    /// Evaluates an expression; a Terraform error becomes an unknown value with the message.
    pub fn eval_or_unknown(&self, expr: &Expr, scope: &Scope) -> Value {
        match self.eval(expr, scope) {
            Ok(v) => v,
            Err(e) => Value::unknown(e.message, Some(e.span)),
        }
    }

    /// Runs `f` under a guard key: re-entering the same key (a reference cycle) gives an
    /// unknown value instead of infinite recursion.
    fn guarded(
        &self,
        mi: &ModuleInstance,
        key: String,
        span: Span,
        f: impl FnOnce() -> Value,
    ) -> Value {
        if !mi.in_progress.borrow_mut().insert(key.clone()) {
            return Value::unknown(format!("`{key}` refers to itself"), Some(span));
        }
        let v = f();
        mi.in_progress.borrow_mut().remove(&key);
        v
    }

    pub fn local_value(&self, scope: &Scope, name: &str, span: Span) -> EvalResult {
        let mi = &scope.module;
        if let Some(v) = mi.locals.borrow().get(name) {
            return Ok(v.clone());
        }
        let Some(attr) = mi.module.locals.get(name) else {
            return Err(EvalError {
                message: format!(
                    "`local.{name}` is not declared in {}",
                    mi.module.display_dir
                ),
                span,
            });
        };
        let expr = attr.expr.clone();
        let v = self.guarded(mi, format!("local.{name}"), span, || {
            self.eval_or_unknown(&expr, &Scope::new(mi.clone()))
        });
        mi.locals.borrow_mut().insert(name.to_string(), v.clone());
        Ok(v)
    }

    pub fn var_value(&self, scope: &Scope, name: &str, span: Span) -> EvalResult {
        scope
            .module
            .inputs
            .get(name)
            .cloned()
            .ok_or_else(|| EvalError {
                message: format!(
                    "`var.{name}` is not declared in {}",
                    scope.module.module.display_dir
                ),
                span,
            })
    }

    /// The value of `module.<name>` as seen from `scope`.
    pub fn module_value(&self, scope: &Scope, name: &str, span: Span) -> EvalResult {
        let mi = &scope.module;
        let Some(call) = mi.module.module_calls.iter().find(|c| c.name == name) else {
            return Err(EvalError {
                message: format!(
                    "`module.{name}` is not declared in {}",
                    mi.module.display_dir
                ),
                span,
            });
        };
        let child = self.child_call(mi, name);
        if let Some(u) = &child.unavailable {
            return Ok(Value::Unknown(u.clone()));
        }
        if let Some(u) = &child.unknown_expansion {
            return Ok(Value::Unknown(u.clone()));
        }
        let outputs_of = |instance: &Rc<ModuleInstance>| Value::map(self.all_outputs(instance));
        let has_count = call.block.body.attr("count").is_some();
        let has_for_each = call.block.body.attr("for_each").is_some();
        Ok(if has_count {
            Value::list(child.instances.iter().map(|(_, i)| outputs_of(i)).collect())
        } else if has_for_each {
            Value::map(
                child
                    .instances
                    .iter()
                    .map(|(k, i)| match k {
                        InstanceKey::Key(k) => (k.clone(), outputs_of(i)),
                        other => (other.suffix(), outputs_of(i)),
                    })
                    .collect(),
            )
        } else {
            child
                .instances
                .first()
                .map(|(_, i)| outputs_of(i))
                .unwrap_or(Value::Null)
        })
    }

    fn all_outputs(&self, mi: &Rc<ModuleInstance>) -> BTreeMap<String, Value> {
        let mut names: Vec<&String> = mi.module.outputs.keys().collect();
        names.sort();
        names
            .into_iter()
            .map(|name| (name.clone(), self.output_value(mi, name)))
            .collect()
    }

    fn output_value(&self, mi: &Rc<ModuleInstance>, name: &str) -> Value {
        if let Some(v) = mi.outputs.borrow().get(name) {
            return v.clone();
        }
        let attr = &mi.module.outputs[name];
        let expr = attr.expr.clone();
        let v = self.guarded(mi, format!("output.{name}"), attr.span, || {
            self.eval_or_unknown(&expr, &Scope::new(mi.clone()))
        });
        mi.outputs.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    /// Instantiates (once) the module call `name` of `mi`.
    fn child_call(&self, mi: &Rc<ModuleInstance>, name: &str) -> Rc<ChildCall> {
        if let Some(c) = mi.children.borrow().get(name) {
            return c.clone();
        }
        let call = mi
            .module
            .module_calls
            .iter()
            .find(|c| c.name == name)
            .expect("module call exists");
        let result = Rc::new(self.instantiate_call(mi, call));
        mi.children
            .borrow_mut()
            .insert(name.to_string(), result.clone());
        result
    }

    fn instantiate_call(&self, mi: &Rc<ModuleInstance>, call: &ModuleCall) -> ChildCall {
        let unavailable = |reason: String| ChildCall {
            instances: vec![],
            unavailable: Some(Arc::new(Unknown {
                reason,
                span: Some(call.block.header),
                origin: None,
                document: None,
            })),
            unknown_expansion: None,
        };
        if mi.depth >= MAX_MODULE_DEPTH {
            let reason = format!("module `{}` nests more than {MAX_MODULE_DEPTH} levels deep (does a module call itself?)", call.name);
            self.note(reason.clone(), call.block.header);
            return unavailable(reason);
        }
        let Some(module) = self.resolve_module(mi, call) else {
            let source = call.source().unwrap_or_else(|| "(no source)".into());
            let reason = if call.local_source().is_some() {
                format!(
                    "module `{}`: local source `{source}` has no Terraform files",
                    call.name
                )
            } else {
                format!(
                    "module `{}` (source `{source}`) is not available locally: run `terraform init` so plangate can read it from .terraform/modules",
                    call.name
                )
            };
            if self
                .noted_calls
                .borrow_mut()
                .insert((mi.module.dir.clone(), call.name.clone()))
            {
                self.note(reason.clone(), call.block.header);
            }
            return unavailable(reason);
        };
        // Terraform refuses a module that (directly or not) calls itself.
        if module.dir == mi.module.dir || mi.ancestry.contains(&module.dir) {
            let reason = format!(
                "module `{}` calls `{}`, which is already among its callers: Terraform refuses recursive module calls, so it is not expanded",
                call.name,
                module.display_dir
            );
            self.note(reason.clone(), call.block.header);
            return unavailable(reason);
        }

        let scope = Scope::new(mi.clone());
        let keys = match self.expansion_keys(&call.block.body, &scope) {
            Ok(keys) => keys,
            Err(u) => {
                return ChildCall {
                    instances: vec![],
                    unavailable: None,
                    unknown_expansion: Some(u),
                }
            }
        };
        let left = self.modules_left.get();
        if keys.len() > left {
            let reason = format!(
                "module `{}`: this configuration expands to more than {MODULE_INSTANCE_BUDGET} module instances; plangate stops expanding here",
                call.name
            );
            self.note(reason.clone(), call.block.header);
            return unavailable(reason);
        }
        self.modules_left.set(left - keys.len());
        let providers = self.provider_map(mi, call);
        let mut instances = Vec::new();
        for (key, each, count_index) in keys {
            let mut s = scope.clone();
            s.each = each;
            s.count_index = count_index;
            let mut inputs = HashMap::new();
            for (var_name, var) in &module.variables {
                let value = match call.block.body.attr(var_name) {
                    Some(attr) => {
                        let v = self.eval_or_unknown(&attr.expr, &s);
                        // A null argument means "use the default", as in Terraform.
                        if v.is_null() && var.default.is_some() {
                            self.variable_default(&module, var)
                        } else {
                            v
                        }
                    }
                    None => match &var.default {
                        Some(_) => self.variable_default(&module, var),
                        None => Value::unknown(
                            format!(
                                "variable `{var_name}` of module `{}` has no default and the module call does not set it",
                                call.name
                            ),
                            Some(call.block.header),
                        ),
                    },
                };
                inputs.insert(var_name.clone(), typed(value, var, &module.dir));
            }
            let child = Rc::new(ModuleInstance {
                module: module.clone(),
                key_path: child_key(&mi.key_path, &call.name),
                path: format!(
                    "{}module.{}{}",
                    mi.address_prefix(),
                    call.name,
                    key.suffix()
                ),
                depth: mi.depth + 1,
                call_site: Some((
                    format!(
                        "{}module.{}{}",
                        mi.address_prefix(),
                        call.name,
                        key.suffix()
                    ),
                    call.block.header,
                )),
                ancestry: mi
                    .ancestry
                    .iter()
                    .cloned()
                    .chain([mi.module.dir.clone()])
                    .collect(),
                inputs,
                providers: providers.clone(),
                root_dir: mi.root_dir.clone(),
                locals: RefCell::default(),
                outputs: RefCell::default(),
                resources: RefCell::default(),
                children: RefCell::default(),
                in_progress: RefCell::default(),
            });
            self.all_instances.borrow_mut().push(child.clone());
            instances.push((key, child));
        }
        ChildCall {
            instances,
            unavailable: None,
            unknown_expansion: None,
        }
    }

    /// The module a call loads: a local path, or what `terraform init` installed for it.
    fn resolve_module(&self, mi: &ModuleInstance, call: &ModuleCall) -> Option<Arc<Module>> {
        let dir = match call.local_source() {
            Some(source) => crate::discover::normalize(&mi.module.dir.join(source)),
            None => self
                .modules
                .installed
                .get(&mi.root_dir)?
                .get(&child_key(&mi.key_path, &call.name))?
                .clone(),
        };
        self.modules.get(&dir).cloned()
    }

    /// `providers = { aws = aws.east }` on a call, resolved to the root's configurations.
    fn provider_map(&self, mi: &ModuleInstance, call: &ModuleCall) -> HashMap<String, String> {
        let mut map = HashMap::new();
        // Without an explicit map, the default provider configuration is inherited.
        map.insert("aws".to_string(), mi.resolve_provider("aws"));
        if let Some(attr) = call.block.body.attr("providers") {
            if let ExprKind::Object(entries) = &attr.expr.kind {
                for (key, value) in entries {
                    let key = match key {
                        crate::hcl::syntax::ObjectKey::Ident(k) => k.clone(),
                        crate::hcl::syntax::ObjectKey::Expr(e) => match e.reference_path() {
                            Some(p) => p.join("."),
                            None => continue,
                        },
                    };
                    if let Some(path) = value.reference_path() {
                        map.insert(key, mi.resolve_provider(&path.join(".")));
                    }
                }
            }
        }
        map
    }

    /// The `count`/`for_each` instance keys of a resource or module call body, with the
    /// `each` and `count.index` values for each. `Err` when they cannot be known.
    fn expansion_keys(
        &self,
        body: &Body,
        scope: &Scope,
    ) -> Result<Vec<ExpansionKey>, Arc<Unknown>> {
        if let Some(attr) = body.attr("count") {
            let v = self.eval_or_unknown(&attr.expr, scope);
            return match v {
                Value::Unknown(u) => Err(u),
                other => match other.as_number() {
                    Some(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) <= MAX_INSTANCES => {
                        Ok((0..n as i64)
                            .map(|i| (InstanceKey::Index(i), None, Some(Value::Number(i as f64))))
                            .collect())
                    }
                    _ => {
                        // Terraform refuses this configuration: say so, do not guess.
                        let reason = format!("`count` must be a whole number between 0 and {MAX_INSTANCES}, got {other}");
                        self.note(reason.clone(), attr.span);
                        Err(Arc::new(Unknown {
                            reason,
                            span: Some(attr.span),
                            origin: None,
                            document: None,
                        }))
                    }
                },
            };
        }
        if let Some(attr) = body.attr("for_each") {
            let v = self.eval_or_unknown(&attr.expr, scope);
            // An invalid `for_each` is a configuration Terraform refuses: a note, not a guess.
            let unknown = |reason: String| {
                self.note(reason.clone(), attr.span);
                Arc::new(Unknown {
                    reason,
                    span: Some(attr.span),
                    origin: None,
                    document: None,
                })
            };
            return match &v {
                Value::Unknown(u) => Err(u.clone()),
                Value::Null => Err(unknown("`for_each` is null".into())),
                Value::Map(_) | Value::Resource(_) => {
                    let map = v.as_map().expect("map");
                    Ok(map
                        .iter()
                        .map(|(k, val)| {
                            (
                                InstanceKey::Key(k.clone()),
                                Some((Value::string(k.clone()), val.clone())),
                                None,
                            )
                        })
                        .collect())
                }
                Value::List(items) => {
                    if let Some(u) = items.iter().find_map(|i| i.as_unknown()) {
                        return Err(Arc::new(u.clone()));
                    }
                    let mut keys: Vec<String> = Vec::with_capacity(items.len());
                    for item in items.iter() {
                        match item.as_str() {
                            Some(s) => keys.push(s.into_owned()),
                            None => {
                                return Err(unknown(format!(
                                    "`for_each` over a list must hold strings (a set of strings), found {}",
                                    item.type_name()
                                )))
                            }
                        }
                    }
                    keys.sort();
                    keys.dedup();
                    if keys.len() > MAX_INSTANCES {
                        return Err(unknown(format!("`for_each` has {} keys, more than the {MAX_INSTANCES} plangate expands", keys.len())));
                    }
                    Ok(keys
                        .into_iter()
                        .map(|k| {
                            let v = Value::string(k.clone());
                            (InstanceKey::Key(k), Some((v.clone(), v)), None)
                        })
                        .collect())
                }
                other => Err(unknown(format!(
                    "`for_each` must be a map or a set of strings, got {}",
                    other.type_name()
                ))),
            };
        }
        Ok(vec![(InstanceKey::None, None, None)])
    }

    /// Expands (once) resource number `idx` of `mi` into its instances.
    fn expand_resource(&self, mi: &Rc<ModuleInstance>, idx: usize) -> Rc<Expansion> {
        if let Some(e) = mi.resources.borrow().get(&idx) {
            return e.clone();
        }
        let res = &mi.module.resources[idx];
        let key = res.local_address();
        if !mi.in_progress.borrow_mut().insert(key.clone()) {
            let u = Arc::new(Unknown {
                reason: format!("`{key}` refers to itself"),
                span: Some(res.block.header),
                origin: None,
                document: None,
            });
            return Rc::new(Expansion {
                instances: vec![],
                value: Value::Unknown(u.clone()),
                unknown: Some(u),
                provider: "aws".into(),
            });
        }
        let expansion = Rc::new(self.expand_resource_uncached(mi, res));
        mi.in_progress.borrow_mut().remove(&key);
        mi.resources.borrow_mut().insert(idx, expansion.clone());
        expansion
    }

    fn expand_resource_uncached(&self, mi: &Rc<ModuleInstance>, res: &ResourceConfig) -> Expansion {
        let scope = Scope::new(mi.clone());
        let provider = self.resource_provider(mi, res);
        let base_address = format!("{}{}", mi.address_prefix(), res.local_address());
        let keys = self.expansion_keys(&res.block.body, &scope);
        // Past the budget, nothing more is expanded: a note says where it stopped.
        let wanted = keys.as_ref().map_or(1, Vec::len);
        let left = self.instances_left.get();
        if wanted > left {
            let reason = format!(
                "this configuration expands to more than {INSTANCE_BUDGET} resource instances; plangate stopped expanding at `{base_address}` and did not check it or the resources after it"
            );
            if left > 0 || !self.budget_noted.replace(true) {
                self.note(reason.clone(), res.block.header);
            }
            self.instances_left.set(0);
            let u = Arc::new(Unknown {
                reason,
                span: Some(res.block.header),
                origin: None,
                document: None,
            });
            return Expansion {
                instances: vec![],
                value: Value::Unknown(u.clone()),
                unknown: Some(u),
                provider,
            };
        }
        self.instances_left.set(left - wanted);
        let (keys, unknown) = match keys {
            Ok(keys) => (keys, None),
            Err(u) => {
                // One instance standing for all: each.key, each.value and count.index unknown.
                let each_unknown = Value::Unknown(u.clone());
                let each = res
                    .block
                    .body
                    .attr("for_each")
                    .map(|_| (each_unknown.clone(), each_unknown.clone()));
                let count_index = res.block.body.attr("count").map(|_| each_unknown.clone());
                (vec![(InstanceKey::Any, each, count_index)], Some(u))
            }
        };
        let mut instances = Vec::with_capacity(keys.len());
        for (key, each, count_index) in keys {
            let mut s = scope.clone();
            s.each = each;
            s.count_index = count_index;
            let body = self.eval_body(&res.block.body, &s, true);
            instances.push((key, Arc::new(body)));
        }
        let value_of = |key: &InstanceKey, body: &EvalBody| {
            let address = format!("{base_address}{}", key.suffix());
            resource_value(res, address, body)
        };
        let value = if let Some(u) = &unknown {
            Value::Unknown(u.clone())
        } else if res.block.body.attr("count").is_some() {
            Value::list(instances.iter().map(|(k, b)| value_of(k, b)).collect())
        } else if res.block.body.attr("for_each").is_some() {
            Value::map(
                instances
                    .iter()
                    .map(|(k, b)| {
                        let name = match k {
                            InstanceKey::Key(s) => s.clone(),
                            other => other.suffix(),
                        };
                        (name, value_of(k, b))
                    })
                    .collect(),
            )
        } else {
            instances
                .first()
                .map(|(k, b)| value_of(k, b))
                .unwrap_or(Value::Null)
        };
        Expansion {
            instances,
            value,
            unknown,
            provider,
        }
    }

    /// The root provider configuration a resource uses.
    fn resource_provider(&self, mi: &ModuleInstance, res: &ResourceConfig) -> String {
        let local = res
            .block
            .body
            .attr("provider")
            .and_then(|a| match &a.expr.kind {
                ExprKind::Literal(Value::String(s)) => Some(s.clone()),
                _ => a.expr.reference_path().map(|p| p.join(".")),
            })
            .unwrap_or_else(|| "aws".to_string());
        mi.resolve_provider(&local)
    }

    /// The value of a resource reference `type.name` (or `data.type.name`) from `scope`.
    pub fn resource_value(
        &self,
        scope: &Scope,
        mode: Mode,
        resource_type: &str,
        name: &str,
    ) -> Option<Value> {
        let mi = &scope.module;
        let idx =
            *mi.module
                .resource_index
                .get(&(mode, resource_type.to_string(), name.to_string()))?;
        Some(self.expand_resource(mi, idx).value.clone())
    }

    /// Evaluates a block body: attributes, static blocks and `dynamic` blocks.
    pub fn eval_body(&self, body: &Body, scope: &Scope, is_resource: bool) -> EvalBody {
        let mut out = EvalBody::default();
        for attr in &body.attrs {
            if is_resource
                && matches!(
                    attr.name.as_str(),
                    "count" | "for_each" | "depends_on" | "provider"
                )
            {
                continue;
            }
            let value = self.eval_or_unknown(&attr.expr, scope);
            out.attrs.push(EvalAttr {
                name: attr.name.clone(),
                value,
                span: attr.span,
                expr: Some(attr.expr.clone()),
            });
        }
        for block in &body.blocks {
            if is_resource
                && matches!(
                    block.kind.as_str(),
                    "lifecycle" | "provisioner" | "connection"
                )
            {
                continue;
            }
            if block.kind == "dynamic" {
                self.eval_dynamic(block, scope, &mut out);
                continue;
            }
            out.blocks.push(EvalBlock {
                kind: block.kind.clone(),
                body: self.eval_body(&block.body, scope, false),
                span: block.span,
            });
        }
        out
    }

    fn eval_dynamic(&self, block: &crate::hcl::syntax::Block, scope: &Scope, out: &mut EvalBody) {
        let Some(kind) = block.labels.first() else {
            return;
        };
        let iterator = block
            .body
            .attr("iterator")
            .and_then(|a| match &a.expr.kind {
                ExprKind::Variable(name) => Some(name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| kind.clone());
        let Some(content) = block.body.blocks_of("content").next() else {
            return;
        };
        let collection = match block.body.attr("for_each") {
            Some(attr) => self.eval_or_unknown(&attr.expr, scope),
            None => Value::unknown("`dynamic` block without `for_each`", Some(block.header)),
        };
        let items: Vec<(Value, Value)> = match &collection {
            Value::Unknown(u) => {
                out.unknown_blocks.push(UnknownBlocks {
                    kind: kind.clone(),
                    reason: u.clone(),
                    span: block.span,
                });
                return;
            }
            Value::Null => vec![],
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                .collect(),
            other => match other.as_map() {
                Some(map) => map
                    .iter()
                    .map(|(k, v)| (Value::string(k.clone()), v.clone()))
                    .collect(),
                None => {
                    out.unknown_blocks.push(UnknownBlocks {
                        kind: kind.clone(),
                        reason: Arc::new(Unknown {
                            reason: format!(
                                "`dynamic \"{kind}\"` for_each must be a collection, got {}",
                                other.type_name()
                            ),
                            span: Some(block.header),
                            origin: None,
                            document: None,
                        }),
                        span: block.span,
                    });
                    return;
                }
            },
        };
        for (key, value) in items {
            let mut iter = BTreeMap::new();
            iter.insert("key".to_string(), key);
            iter.insert("value".to_string(), value);
            let s = scope.with_var(&iterator, Value::map(iter));
            out.blocks.push(EvalBlock {
                kind: kind.clone(),
                body: self.eval_body(&content.body, &s, false),
                span: block.span,
            });
        }
    }
}

impl ModuleInstance {
    /// Maps a provider name local to this module to the root's configuration name.
    pub fn resolve_provider(&self, local: &str) -> String {
        if self.path.is_empty() {
            return local.to_string();
        }
        self.providers
            .get(local)
            .cloned()
            .unwrap_or_else(|| local.to_string())
    }

    pub fn root_dir(&self) -> &Path {
        &self.root_dir
    }
}

/// The object a reference to one resource instance yields: its written arguments, plus the
/// attributes the provider derives from them without contacting AWS.
fn resource_value(res: &ResourceConfig, address: String, body: &EvalBody) -> Value {
    let mut attrs = body.to_value_map();
    match res.resource_type.as_str() {
        // The provider sets a repository's id to its name.
        "aws_ecr_repository" => {
            if let Some(name) = attrs.get("name").cloned() {
                attrs.insert("id".into(), name);
            }
        }
        "aws_ecrpublic_repository" => {
            if let Some(name) = attrs.get("repository_name").cloned() {
                attrs.insert("id".into(), name);
            }
        }
        "aws_kms_alias" => {
            if let Some(name) = attrs.get("name").cloned() {
                attrs.insert("id".into(), name);
            }
        }
        "aws_iam_policy_document" if res.mode == Mode::Data => {
            let json = crate::extract::policy_document::render_document(body);
            attrs.insert("json".into(), json.clone());
            attrs.insert("minified_json".into(), json);
        }
        _ => {}
    }
    // Attributes written as null are unset: reading them gives the provider's value.
    attrs.retain(|_, v| !v.is_null());
    // An unknown argument still says which instance it belongs to, so that a policy whose
    // `repository` reads an unknown name links to the right repository.
    for (name, v) in attrs.iter_mut() {
        if let Value::Unknown(u) = v {
            if u.origin.is_none() {
                let mut u = (**u).clone();
                u.origin = Some(value::Origin {
                    address: address.clone(),
                    attribute: name.clone(),
                    own_account: false,
                });
                *v = Value::Unknown(Arc::new(u));
            }
        }
    }
    Value::Resource(Arc::new(ResourceValue {
        address,
        resource_type: res.resource_type.clone(),
        attrs,
    }))
}

/// A variable's value converted to its declared type (optional attributes filled in).
fn typed(value: Value, var: &crate::hcl::config::Variable, dir: &Path) -> Value {
    match &var.type_expr {
        Some(ty) => types::apply(value, ty, dir),
        None => value,
    }
}

/// The installed-module key of call `name` below the module with key `parent`.
fn child_key(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// Evaluates an expression that may only use literals (variable defaults, `.tfvars`).
pub fn constant_value(expr: &Expr, dir: &Path) -> Value {
    let modules = ModuleSet::default();
    let evaluator = Evaluator::new(&modules);
    let module = Arc::new(Module::new(dir.to_path_buf(), String::new()));
    let instance = Rc::new(ModuleInstance {
        module,
        key_path: String::new(),
        path: String::new(),
        depth: 0,
        ancestry: Vec::new(),
        call_site: None,
        inputs: HashMap::new(),
        providers: HashMap::new(),
        root_dir: dir.to_path_buf(),
        locals: RefCell::default(),
        outputs: RefCell::default(),
        resources: RefCell::default(),
        children: RefCell::default(),
        in_progress: RefCell::default(),
    });
    evaluator.eval_or_unknown(expr, &Scope::new(instance))
}
