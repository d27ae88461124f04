//! The HCL frontend: read and parse module directories, find the roots, evaluate them.

pub mod config;
pub mod eval;
pub mod json_syntax;
pub mod parse;
pub mod syntax;
pub mod variables;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{self, Inputs};
use crate::source::{display_path, FileId, SourceDb, Span};
use config::Module;
use eval::instance::Instance;
use eval::{EvalNote, Evaluator, ModuleSet};
use syntax::Body;

/// An input that could not be read or parsed.
#[derive(Clone, Debug)]
pub struct InputError {
    pub file: String,
    pub message: String,
    pub span: Option<Span>,
}

/// A `--var` or `--var-file` argument, in command-line order.
#[derive(Clone, Debug)]
pub enum VarArg {
    Var(String, String),
    File(PathBuf),
}

#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    pub var_args: Vec<VarArg>,
    /// `TF_VAR_name` values from the environment.
    pub env_vars: BTreeMap<String, String>,
}

/// One evaluated root module.
pub struct RootResult {
    pub dir: PathBuf,
    /// The root's directory as shown to users (relative, `/`-separated).
    pub display: String,
    pub instances: Vec<Instance>,
    pub notes: Vec<EvalNote>,
}

pub struct HclOutput {
    pub roots: Vec<RootResult>,
    pub errors: Vec<InputError>,
}

/// Reads `path` into the source database, or explains why it cannot.
pub fn read_file(db: &mut SourceDb, path: &Path) -> Result<FileId, InputError> {
    match discover::read_capped(path) {
        Ok(text) => Ok(db.add(display_path(path), path.to_path_buf(), text)),
        Err(message) => Err(InputError {
            file: display_path(path),
            message,
            span: None,
        }),
    }
}

/// Parses a `.tf` or `.tf.json` file already in the database.
pub fn parse_file(db: &SourceDb, id: FileId) -> Result<Body, InputError> {
    let file = db.get(id);
    let result = if file.name.ends_with(".json") {
        json_syntax::parse_body(id, &file.text)
    } else {
        parse::parse_body(id, &file.text)
    };
    result.map_err(|e| InputError {
        file: file.name.clone(),
        message: e.message,
        span: Some(Span::new(id, e.offset, e.offset)),
    })
}

/// The modules `terraform init` installed for the root at `dir`, by module key, from
/// `.terraform/modules/modules.json` (absent before `init`: an empty map).
fn installed_modules(dir: &Path, errors: &mut Vec<InputError>) -> HashMap<String, PathBuf> {
    let manifest = dir.join(".terraform/modules/modules.json");
    let Ok(text) = discover::read_capped(&manifest) else {
        return HashMap::new();
    };
    let parsed: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(InputError {
                file: display_path(&manifest),
                message: format!("not a valid module manifest (run `terraform init` again): {e}"),
                span: None,
            });
            return HashMap::new();
        }
    };
    parsed
        .get("Modules")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let key = m.get("Key")?.as_str()?;
            let module_dir = m.get("Dir")?.as_str()?;
            (!key.is_empty()).then(|| (key.to_string(), discover::normalize(&dir.join(module_dir))))
        })
        .collect()
}

/// Loads, parses and evaluates every module directory of `inputs`.
pub fn run(inputs: &Inputs, db: &mut SourceDb, options: &EvalOptions) -> HclOutput {
    let mut errors = Vec::new();
    let mut modules: HashMap<PathBuf, Module> = HashMap::new();

    let mut pending: Vec<(PathBuf, Vec<PathBuf>)> = inputs
        .module_dirs
        .iter()
        .map(|(d, f)| (d.clone(), f.clone()))
        .collect();
    // Modules `terraform init` installed for a scanned directory are loaded too.
    let mut installed: HashMap<PathBuf, HashMap<String, PathBuf>> = HashMap::new();
    for dir in inputs.module_dirs.keys() {
        let modules = installed_modules(dir, &mut errors);
        for module_dir in modules.values() {
            let known = inputs.module_dirs.contains_key(module_dir)
                || pending.iter().any(|(d, _)| d == module_dir);
            if !known {
                let files = discover::terraform_files_in(module_dir, &mut Vec::new());
                if !files.is_empty() {
                    pending.push((module_dir.clone(), files));
                }
            }
        }
        if !modules.is_empty() {
            installed.insert(dir.clone(), modules);
        }
    }
    // Which directory calls which, among everything loaded.
    let mut callers: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    while !pending.is_empty() {
        let mut file_ids = Vec::new();
        for (dir, files) in &pending {
            for f in files {
                match read_file(db, f) {
                    Ok(id) => file_ids.push((dir.clone(), id)),
                    Err(e) => errors.push(e),
                }
            }
        }
        let db_ref: &SourceDb = db;
        let parsed: Vec<(PathBuf, Result<Body, InputError>)> = file_ids
            .par_iter()
            .map(|(dir, id)| (dir.clone(), parse_file(db_ref, *id)))
            .collect();
        for (dir, _) in &pending {
            modules
                .entry(dir.clone())
                .or_insert_with(|| Module::new(dir.clone(), display_path(dir)));
        }
        for (dir, body) in parsed {
            match body {
                Ok(body) => modules.get_mut(&dir).expect("module").add_file(body),
                Err(e) => errors.push(e),
            }
        }
        // Local module sources outside the scanned paths are loaded too, so that calls
        // into them can be evaluated.
        let mut next = Vec::new();
        for (dir, _) in &pending {
            let module = &modules[dir];
            for call in &module.module_calls {
                let Some(source) = call.local_source() else {
                    continue;
                };
                let target = discover::normalize(&dir.join(source));
                callers
                    .entry(target.clone())
                    .or_default()
                    .insert(dir.clone());
                if !modules.contains_key(&target)
                    && next.iter().all(|(d, _): &(PathBuf, _)| d != &target)
                {
                    let mut problems = Vec::new();
                    let files = discover::terraform_files_in(&target, &mut problems);
                    if !files.is_empty() {
                        next.push((target, files));
                    }
                }
            }
        }
        pending = next;
    }

    // A scanned directory is a root unless another scanned module calls it, or it was
    // named on the command line apart from its callers (SPEC §4.1).
    let scanned: BTreeSet<&PathBuf> = inputs.module_dirs.keys().collect();
    let mut roots: Vec<PathBuf> = inputs
        .module_dirs
        .keys()
        .filter(|dir| {
            let scanned_callers: Vec<&PathBuf> = callers
                .get(*dir)
                .map(|c| {
                    c.iter()
                        .filter(|c| scanned.contains(c) && c != dir)
                        .collect()
                })
                .unwrap_or_default();
            if scanned_callers.is_empty() {
                return true;
            }
            inputs.named_dirs.contains(*dir) && scanned_callers.iter().all(|c| !c.starts_with(dir))
        })
        .cloned()
        .collect();
    // Directories only reachable through a cycle of module calls (a calls b calls a) have
    // no root above them: evaluate them as roots too rather than not at all.
    let mut calls: BTreeMap<&PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for (target, by) in &callers {
        for caller in by {
            calls.entry(caller).or_default().push(target);
        }
    }
    let mut reached: BTreeSet<&PathBuf> = BTreeSet::new();
    let mut stack: Vec<&PathBuf> = roots.iter().collect();
    while let Some(dir) = stack.pop() {
        if reached.insert(dir) {
            stack.extend(calls.get(dir).into_iter().flatten().copied());
        }
    }
    let unreached: Vec<PathBuf> = inputs
        .module_dirs
        .keys()
        .filter(|d| !reached.contains(d))
        .cloned()
        .collect();
    roots.extend(unreached);

    let module_set = ModuleSet {
        modules: modules.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
        installed,
    };

    // Terraform refuses `-var` for a variable no root declares: a typo must not pass
    // silently as "the value was applied".
    for arg in &options.var_args {
        if let VarArg::Var(name, _) = arg {
            if !roots
                .iter()
                .any(|r| module_set.modules[r].variables.contains_key(name))
            {
                errors.push(InputError {
                    file: format!("--var {name}"),
                    message: format!(
                        "no root module declares a variable `{name}`; check the spelling"
                    ),
                    span: None,
                });
            }
        }
    }

    // Variable values come from files in each root: read them before evaluating.
    let mut root_inputs = Vec::new();
    for dir in &roots {
        let module = &module_set.modules[dir];
        let values = variables::root_variable_values(module, db, options, &mut errors);
        root_inputs.push((dir.clone(), values));
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 * 1024 * 1024)
        .build()
        .expect("thread pool");
    let mut results: Vec<RootResult> = pool.install(|| {
        root_inputs
            .into_par_iter()
            .map(|(dir, values)| {
                let module = module_set.modules[&dir].clone();
                let evaluation = Evaluator::new(&module_set).evaluate_root(&module, values);
                RootResult {
                    display: display_path(&dir),
                    dir,
                    instances: evaluation.instances,
                    notes: evaluation.notes,
                }
            })
            .collect()
    });
    results.sort_by(|a, b| a.display.cmp(&b.display));
    HclOutput {
        roots: results,
        errors,
    }
}
