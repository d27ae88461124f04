//! Re-anchoring plan findings to the Terraform sources the plan was made from (SPEC §4.2).
//!
//! The root module's directory is parsed with the HCL frontend, and every module call is
//! followed to its directory (a local `source`, or `.terraform/modules/modules.json` after
//! `terraform init`). A plan span then maps to the attribute — or the nested block, or the
//! resource header when the argument is not written (a provider default) — of the same
//! resource in the same module, found by the full module path and resource address. A
//! resource that cannot be found that way keeps its plan span: guessing by `type.name` alone
//! would point at the wrong module's file when two modules declare `aws_ecr_repository.this`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use super::json::Json;
use super::lower::{PathStep, SpanInfo};
use crate::discover;
use crate::hcl::config::{Mode, Module};
use crate::hcl::syntax::Body;
use crate::source::{display_path, SourceDb, Span};

/// Module calls are followed at most this deep (a module calling itself is a loop).
const MAX_MODULE_DEPTH: usize = 32;

/// The parsed modules of a plan's configuration, by module path (call names from the root).
pub struct Sources {
    modules: HashMap<Vec<String>, Module>,
}

/// Parses the root module at `root_dir` and every module it calls. `None` when the
/// directory holds no Terraform files (then findings stay in the plan).
pub fn load_sources(
    db: &mut SourceDb,
    root_dir: &Path,
    configuration: Option<&Json>,
    notes: &mut Vec<String>,
) -> Option<Sources> {
    let installed = installed_modules(root_dir);
    let mut sources = Sources {
        modules: HashMap::new(),
    };
    let root_config = configuration.and_then(|c| c.get("root_module"));
    // Breadth first, calls in name order: notes come out in a stable order.
    let mut pending: VecDeque<(Vec<String>, PathBuf, Option<&Json>)> =
        VecDeque::from([(Vec::new(), root_dir.to_path_buf(), root_config)]);
    while let Some((path, dir, config)) = pending.pop_front() {
        let Some(module) = load_module(db, &dir, notes) else {
            if path.is_empty() {
                return None;
            }
            notes.push(format!(
                "the sources of `{}` were not found in {}; its findings point into the plan",
                shown(&path),
                display_path(&dir)
            ));
            continue;
        };
        if path.len() < MAX_MODULE_DEPTH {
            let plan_calls = config.and_then(|c| c.get("module_calls"));
            let mut names: BTreeSet<String> =
                module.module_calls.iter().map(|c| c.name.clone()).collect();
            names.extend(
                plan_calls
                    .and_then(Json::members)
                    .unwrap_or_default()
                    .iter()
                    .map(|m| m.key.clone()),
            );
            for name in names {
                let call_config = plan_calls.and_then(|c| c.get(&name));
                let mut child_path = path.clone();
                child_path.push(name.clone());
                let source = call_config
                    .and_then(|c| c.get("source"))
                    .and_then(Json::as_str)
                    .map(str::to_string)
                    .or_else(|| {
                        module
                            .module_calls
                            .iter()
                            .find(|c| c.name == name)
                            .and_then(|c| c.source())
                    });
                let local = source
                    .as_deref()
                    .filter(|s| s.starts_with("./") || s.starts_with("../"))
                    .map(|s| discover::normalize(&dir.join(s)));
                let child_dir = local.or_else(|| installed.get(&child_path.join(".")).cloned());
                match child_dir {
                    Some(d) => pending.push_back((child_path, d, call_config.and_then(|c| c.get("module")))),
                    None => notes.push(format!(
                        "the sources of `{}` (`{}`) are not on disk: run `terraform init` to download them; its findings point into the plan",
                        shown(&child_path),
                        source.unwrap_or_default()
                    )),
                }
            }
        }
        sources.modules.insert(path, module);
    }
    Some(sources)
}

fn shown(path: &[String]) -> String {
    path.iter()
        .map(|n| format!("module.{n}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// `.terraform/modules/modules.json`: module keys (`ecr.inner`) to their directories.
fn installed_modules(root_dir: &Path) -> HashMap<String, PathBuf> {
    let path = root_dir.join(".terraform/modules/modules.json");
    let Ok(text) = discover::read_capped(&path) else {
        return HashMap::new();
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return HashMap::new();
    };
    doc.get("Modules")
        .and_then(|m| m.as_array())
        .map(|mods| {
            mods.iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let dir = m.get("Dir")?.as_str()?;
                    Some((key.to_string(), discover::normalize(&root_dir.join(dir))))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads and parses one module directory; `None` when it holds no Terraform files.
fn load_module(db: &mut SourceDb, dir: &Path, notes: &mut Vec<String>) -> Option<Module> {
    let mut problems = Vec::new();
    let files = discover::terraform_files_in(dir, &mut problems);
    if files.is_empty() {
        return None;
    }
    let mut module = Module::new(dir.to_path_buf(), display_path(dir));
    for file in files {
        // The same file may already be in the run as HCL input: read it once.
        let id = match db.find_by_path(&file) {
            Some(id) => id,
            None => match crate::hcl::read_file(db, &file) {
                Ok(id) => id,
                Err(e) => {
                    notes.push(format!(
                        "{}: {}; findings in it point into the plan",
                        e.file, e.message
                    ));
                    continue;
                }
            },
        };
        match crate::hcl::parse_file(db, id) {
            Ok(body) => module.add_file(body),
            Err(e) => notes.push(format!(
                "{} does not parse ({}); findings for resources in it point into the plan",
                e.file, e.message
            )),
        }
    }
    Some(module)
}

/// Maps every plan span to its place in the sources, where the resource is found.
/// Also returns the resources of the plan that the sources do not declare.
pub fn anchor(
    spans: &HashMap<Span, SpanInfo>,
    sources: &Sources,
) -> (HashMap<Span, Span>, BTreeSet<String>) {
    let mut out = HashMap::new();
    let mut missing = BTreeSet::new();
    for (span, info) in spans {
        let Some(module) = sources.modules.get(&info.module) else {
            continue;
        };
        let mode = if info.data { Mode::Data } else { Mode::Managed };
        let Some(resource) = module.resource(mode, &info.resource_type, &info.name) else {
            let mut shown_path = shown(&info.module);
            if !shown_path.is_empty() {
                shown_path.push('.');
            }
            missing.insert(format!("{shown_path}{}.{}", info.resource_type, info.name));
            continue;
        };
        out.insert(
            *span,
            locate(&resource.block.body, resource.block.header, &info.path),
        );
    }
    (out, missing)
}

/// Walks an argument path through a resource body: the attribute when written, else the
/// innermost enclosing block's header.
fn locate(body: &Body, header: Span, path: &[PathStep]) -> Span {
    let mut body = body;
    let mut fallback = header;
    for step in path {
        match step {
            PathStep::Attr(name) => {
                return body.attr(name).map(|a| a.span).unwrap_or(fallback);
            }
            PathStep::Block(kind, index) => {
                let written: Vec<_> = body.blocks_of(kind).collect();
                let dynamic = body
                    .blocks_of("dynamic")
                    .find(|b| b.labels.first().is_some_and(|l| l == kind));
                match dynamic {
                    // Blocks made by `dynamic` cannot be told apart: the `dynamic` block
                    // is where they are written.
                    Some(d) if written.is_empty() => return d.header,
                    Some(_) => return fallback,
                    None => match written.get(*index) {
                        Some(block) => {
                            body = &block.body;
                            fallback = block.header;
                        }
                        None => return fallback,
                    },
                }
            }
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn resource(text: &str) -> crate::hcl::syntax::Block {
        let body = crate::hcl::parse::parse_body(FileId(0), text).unwrap();
        body.blocks.into_iter().next().unwrap()
    }

    fn line_of(text: &str, span: Span) -> usize {
        text[..span.start as usize].matches('\n').count() + 1
    }

    #[test]
    fn arguments_map_to_attributes_blocks_and_headers() {
        let text = r#"resource "aws_ecr_repository" "r" {
  name = "r"

  encryption_configuration {
    encryption_type = "KMS"
  }

  dynamic "image_scanning_configuration" {
    for_each = [1]
    content {
      scan_on_push = true
    }
  }
}
"#;
        let r = resource(text);
        let at = |path: Vec<PathStep>| line_of(text, locate(&r.body, r.header, &path));
        let attr = |n: &str| PathStep::Attr(n.into());
        let block = |n: &str, i| PathStep::Block(n.into(), i);
        assert_eq!(at(vec![]), 1);
        assert_eq!(at(vec![attr("name")]), 2);
        // Not written: the resource header (a provider default).
        assert_eq!(at(vec![attr("image_tag_mutability")]), 1);
        assert_eq!(at(vec![block("encryption_configuration", 0)]), 4);
        assert_eq!(
            at(vec![
                block("encryption_configuration", 0),
                attr("encryption_type")
            ]),
            5
        );
        // Not written inside a written block: that block's header.
        assert_eq!(
            at(vec![block("encryption_configuration", 0), attr("kms_key")]),
            4
        );
        assert_eq!(at(vec![block("encryption_configuration", 1)]), 1);
        // Made by `dynamic`: the dynamic block.
        assert_eq!(
            at(vec![
                block("image_scanning_configuration", 0),
                attr("scan_on_push")
            ]),
            8
        );
    }
}
