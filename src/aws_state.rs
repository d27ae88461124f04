//! Deployed state: the JSON the AWS CLI prints for `aws ecr describe-repositories`,
//! `get-repository-policy`, `get-lifecycle-policy` and
//! `get-registry-scanning-configuration`, lowered into the same instances the Terraform
//! frontends produce, so every control asks the same questions of what is already running.
//!
//! Each repository's id is its ARN. Registry-level settings apply per registry id. Findings
//! point at the value in the CLI output file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::hcl::eval::instance::{EvalAttr, EvalBlock, EvalBody, Instance, InstanceKey};
use crate::hcl::eval::value::Value;
use crate::hcl::RootResult;
use crate::plan::json::{Json, Kind};
use crate::source::{display_path, FileId, SourceDb, Span};

/// What kind of AWS CLI output a JSON document is, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateKind {
    Repositories,
    RepositoryPolicy,
    LifecyclePolicy,
    RegistryScanning,
}

/// Recognises AWS CLI ECR output by its keys.
pub fn classify(doc: &Json) -> Option<StateKind> {
    if doc
        .get("repositories")
        .and_then(Json::items)
        .is_some_and(|r| r.iter().any(|r| r.get("repositoryArn").is_some()))
    {
        return Some(StateKind::Repositories);
    }
    if doc.get("repositoryName").is_some() && doc.get("policyText").is_some() {
        return Some(StateKind::RepositoryPolicy);
    }
    if doc.get("repositoryName").is_some() && doc.get("lifecyclePolicyText").is_some() {
        return Some(StateKind::LifecyclePolicy);
    }
    if doc.get("scanningConfiguration").is_some() {
        return Some(StateKind::RegistryScanning);
    }
    None
}

fn span(file: FileId, j: &Json) -> Span {
    Span::new(file, j.range.start, j.range.end)
}

/// A JSON leaf as a value.
fn value(j: &Json) -> Value {
    match &j.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) => Value::Number(*n),
        Kind::String(s) => Value::String(s.clone()),
        Kind::Array(items) => Value::list(items.iter().map(value).collect()),
        Kind::Object(members) => Value::map(
            members
                .iter()
                .map(|m| (m.key.clone(), value(&m.value)))
                .collect(),
        ),
    }
}

fn attr(file: FileId, name: &str, j: Option<&Json>) -> Option<EvalAttr> {
    let j = j?;
    Some(EvalAttr {
        name: name.into(),
        value: value(j),
        span: span(file, j),
        expr: None,
    })
}

fn block(kind: &str, attrs: Vec<Option<EvalAttr>>, blocks: Vec<EvalBlock>, at: Span) -> EvalBlock {
    EvalBlock {
        kind: kind.into(),
        body: EvalBody {
            attrs: attrs.into_iter().flatten().collect(),
            blocks,
            unknown_blocks: vec![],
        },
        span: at,
    }
}

fn instance(
    address: String,
    resource_type: &str,
    registry: &str,
    body: EvalBody,
    header: Span,
) -> Instance {
    Instance {
        name: address.rsplit('/').next().unwrap_or_default().to_string(),
        address,
        module_path: String::new(),
        resource_type: resource_type.into(),
        key: InstanceKey::None,
        is_data: false,
        provider: format!("registry {registry}"),
        body: Arc::new(body),
        header,
        expansion_unknown: None,
        call_site: None,
    }
}

fn registry_of(doc: &Json) -> String {
    doc.get("registryId")
        .and_then(Json::as_str)
        .unwrap_or("(unknown registry)")
        .to_string()
}

/// Lowers one recognised document into instances.
pub fn lower(doc: &Json, kind: StateKind, file: FileId) -> Vec<Instance> {
    let mut out = Vec::new();
    match kind {
        StateKind::Repositories => {
            for repo in doc
                .get("repositories")
                .and_then(Json::items)
                .unwrap_or_default()
            {
                let Some(arn) = repo.get("repositoryArn").and_then(Json::as_str) else {
                    continue;
                };
                let header = repo
                    .get("repositoryName")
                    .map(|n| span(file, n))
                    .unwrap_or(span(file, repo));
                let mut blocks = Vec::new();
                if let Some(scan) = repo.get("imageScanningConfiguration") {
                    blocks.push(block(
                        "image_scanning_configuration",
                        vec![attr(file, "scan_on_push", scan.get("scanOnPush"))],
                        vec![],
                        span(file, scan),
                    ));
                }
                if let Some(enc) = repo.get("encryptionConfiguration") {
                    blocks.push(block(
                        "encryption_configuration",
                        vec![
                            attr(file, "encryption_type", enc.get("encryptionType")),
                            attr(file, "kms_key", enc.get("kmsKey")),
                        ],
                        vec![],
                        span(file, enc),
                    ));
                }
                let body = EvalBody {
                    attrs: [
                        attr(file, "name", repo.get("repositoryName")),
                        attr(file, "image_tag_mutability", repo.get("imageTagMutability")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    blocks,
                    unknown_blocks: vec![],
                };
                let registry = repo
                    .get("registryId")
                    .and_then(Json::as_str)
                    .unwrap_or("(unknown registry)");
                out.push(instance(
                    arn.to_string(),
                    "aws_ecr_repository",
                    registry,
                    body,
                    header,
                ));
            }
        }
        StateKind::RepositoryPolicy | StateKind::LifecyclePolicy => {
            let (resource_type, text_key, suffix) = if kind == StateKind::RepositoryPolicy {
                ("aws_ecr_repository_policy", "policyText", "policy")
            } else {
                (
                    "aws_ecr_lifecycle_policy",
                    "lifecyclePolicyText",
                    "lifecycle-policy",
                )
            };
            let name = doc
                .get("repositoryName")
                .and_then(Json::as_str)
                .unwrap_or_default();
            let body = EvalBody {
                attrs: [
                    attr(file, "repository", doc.get("repositoryName")),
                    attr(file, "policy", doc.get(text_key)),
                ]
                .into_iter()
                .flatten()
                .collect(),
                ..EvalBody::default()
            };
            let header = doc
                .get("repositoryName")
                .map(|n| span(file, n))
                .unwrap_or(span(file, doc));
            out.push(instance(
                format!("{name}/{suffix}"),
                resource_type,
                &registry_of(doc),
                body,
                header,
            ));
        }
        StateKind::RegistryScanning => {
            let Some(config) = doc.get("scanningConfiguration") else {
                return out;
            };
            let rules = config
                .get("rules")
                .and_then(Json::items)
                .unwrap_or_default()
                .iter()
                .map(|rule| {
                    let filters = rule
                        .get("repositoryFilters")
                        .and_then(Json::items)
                        .unwrap_or_default()
                        .iter()
                        .map(|f| {
                            block(
                                "repository_filter",
                                vec![
                                    attr(file, "filter", f.get("filter")),
                                    attr(file, "filter_type", f.get("filterType")),
                                ],
                                vec![],
                                span(file, f),
                            )
                        })
                        .collect();
                    block(
                        "rule",
                        vec![attr(file, "scan_frequency", rule.get("scanFrequency"))],
                        filters,
                        span(file, rule),
                    )
                })
                .collect();
            let body = EvalBody {
                attrs: [attr(file, "scan_type", config.get("scanType"))]
                    .into_iter()
                    .flatten()
                    .collect(),
                blocks: rules,
                unknown_blocks: vec![],
            };
            let registry = registry_of(doc);
            let header = doc
                .get("registryId")
                .map(|r| span(file, r))
                .unwrap_or(span(file, config));
            out.push(instance(
                format!("{registry}/registry-scanning-configuration"),
                "aws_ecr_registry_scanning_configuration",
                &registry,
                body,
                header,
            ));
        }
    }
    out
}

/// Reads and lowers an AWS CLI output file; `None` for a file that is not AWS CLI ECR
/// output (the caller tries the other JSON formats, which report unreadable files).
pub fn load_file(db: &mut SourceDb, path: &Path) -> Option<Vec<Instance>> {
    // JSON inputs share the plan size limit, so a large file is judged by its content.
    let bytes = crate::discover::read_bytes_capped(path, crate::discover::MAX_PLAN_BYTES).ok()?;
    let text = crate::discover::decode_text(bytes).ok()?;
    // Plans and state (tens of megabytes) announce themselves at the top: do not parse them
    // twice.
    if crate::discover::head(&text, 4096).contains("\"format_version\"") {
        return None;
    }
    let doc = crate::plan::json::parse(&text).ok()?;
    let kind = classify(&doc)?;
    let file = db.add(display_path(path), PathBuf::from(path), text);
    Some(lower(&doc, kind, file))
}

/// All deployed-state instances of a run as one root.
pub fn root(instances: Vec<Instance>) -> RootResult {
    RootResult {
        dir: PathBuf::from("."),
        display: "aws".into(),
        instances,
        notes: vec![],
    }
}
