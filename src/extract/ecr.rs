//! ECR resources → assets: repositories, public repositories and creation templates, with
//! their lifecycle and repository policies linked (SPEC §2.1).

use std::collections::{BTreeMap, HashMap};

use super::iam_policy::{self, PolicyAnalysis, Tri};
use super::link::{Link, RepoIndex};
use super::{encryption, policy_span, scanning, ExtractNote};
use crate::hcl::eval::instance::{EvalAttr, Instance};
use crate::hcl::eval::value::Value;
use crate::hcl::RootResult;
use crate::snapshot::{Asset, Field, Related};
use crate::source::{SourceDb, Span};

/// A linked policy document (repository policy or lifecycle policy) of an asset.
struct LinkedPolicy<'a> {
    instance: &'a Instance,
    attr: Option<&'a EvalAttr>,
}

pub fn extract_root(
    root: &RootResult,
    db: &SourceDb,
    assumed: &super::assume::Assumed,
    assets: &mut Vec<Asset>,
    notes: &mut Vec<ExtractNote>,
) {
    let managed: Vec<&Instance> = root.instances.iter().filter(|i| !i.is_data).collect();
    let index_by_address = super::InstanceIndex::new(&root.instances);
    let first_asset = assets.len();
    let mut index = RepoIndex::default();

    // Registry scanning configuration per provider configuration.
    let mut registry: HashMap<&str, &Instance> = HashMap::new();
    for i in managed
        .iter()
        .filter(|i| i.resource_type == "aws_ecr_registry_scanning_configuration")
    {
        registry.entry(i.provider.as_str()).or_insert(i);
    }

    for instance in &managed {
        let (kind, name_attr) = match instance.resource_type.as_str() {
            "aws_ecr_repository" => ("repository", "name"),
            "aws_ecrpublic_repository" => ("public_repository", "repository_name"),
            "aws_ecr_repository_creation_template" => ("creation_template", "prefix"),
            _ => continue,
        };
        let mut asset = Asset {
            id: instance.address.clone(),
            root: root.display.clone(),
            resource_type: instance.resource_type.clone(),
            kind: kind.to_string(),
            header: instance.header,
            fields: BTreeMap::new(),
            context: instance
                .call_site
                .iter()
                .map(|(address, span)| Related {
                    span: *span,
                    message: format!(
                        "`{address}` is called here: its arguments decide values inside the module"
                    ),
                })
                .collect(),
        };
        let name = instance.body.value(name_attr).cloned().unwrap_or_else(|| {
            Value::unknown(format!("`{name_attr}` is not set"), Some(instance.header))
        });
        if let Some(n) = name.as_str() {
            asset.set(
                "name",
                Field::known(
                    n.into_owned(),
                    instance.body.attr(name_attr).map(|a| a.span),
                    format!("`{name_attr}`"),
                ),
            );
        }
        if kind == "repository" {
            index.add(assets.len(), &instance.address, name.as_str().as_deref());
        }
        match kind {
            "public_repository" => public_repository(&mut asset, instance),
            _ => {
                tag_mutability(&mut asset, instance);
                encryption::extract(
                    &mut asset,
                    &instance.body,
                    instance.header,
                    &index_by_address,
                );
                if kind == "repository" {
                    // A scanned registry configuration wins over an assumed one.
                    let assumed_registry;
                    let config = match registry.get(instance.provider.as_str()).copied() {
                        Some(c) => Some(c),
                        None => {
                            assumed_registry = assumed.registry_instance(&instance.provider);
                            assumed_registry.as_ref()
                        }
                    };
                    scanning::extract(&mut asset, &instance.body, &name, instance.header, config);
                    let signing = assumed.signing(&name).unwrap_or_else(|| {
                        Field::known(
                            false,
                            Some(instance.header),
                            "no enforced image signature verification for this repository is in the scanned configuration (Terraform's ECR resources cannot express it); if it is enforced elsewhere, declare it under `assume: signing:` in .plangate.yaml",
                        )
                    });
                    asset.set("signing.enforced", signing);
                } else {
                    // A creation template carries its policies inline.
                    let inline = |name: &str| -> Vec<LinkedPolicy> {
                        instance
                            .body
                            .attr(name)
                            .filter(|a| !a.value.is_null())
                            .map(|a| LinkedPolicy {
                                instance,
                                attr: Some(a),
                            })
                            .into_iter()
                            .collect()
                    };
                    lifecycle_fields(&mut asset, inline("lifecycle_policy"), instance.header);
                    policy_fields(
                        &mut asset,
                        inline("repository_policy"),
                        instance.header,
                        &index_by_address,
                        db,
                    );
                }
            }
        }
        assets.push(asset);
    }

    // Repository-level resources, linked by evaluated name or by origin.
    let mut lifecycles: HashMap<usize, Vec<LinkedPolicy>> = HashMap::new();
    let mut policies: HashMap<usize, Vec<LinkedPolicy>> = HashMap::new();
    for instance in &managed {
        let target = match instance.resource_type.as_str() {
            "aws_ecr_lifecycle_policy" => &mut lifecycles,
            "aws_ecr_repository_policy" => &mut policies,
            _ => continue,
        };
        let repository = instance
            .body
            .value("repository")
            .cloned()
            .unwrap_or(Value::Null);
        match index.link(&repository) {
            Link::Repos(repos) => {
                for r in repos {
                    target.entry(r).or_default().push(LinkedPolicy {
                        instance,
                        attr: instance.body.attr("policy"),
                    });
                }
            }
            Link::Dangling(name) => notes.push(ExtractNote {
                message: format!(
                    "`{}` applies to repository `{name}`, which is not in the scanned configuration; it was not checked",
                    instance.address
                ),
                span: instance.body.attr("repository").map(|a| a.span).unwrap_or(instance.header),
                root: root.display.clone(),
            }),
            Link::Unknown(reason) => notes.push(ExtractNote {
                message: format!(
                    "`{}` could not be linked to a repository: {reason}",
                    instance.address
                ),
                span: instance.body.attr("repository").map(|a| a.span).unwrap_or(instance.header),
                root: root.display.clone(),
            }),
        }
    }
    for (offset, asset) in assets[first_asset..].iter_mut().enumerate() {
        if asset.kind != "repository" {
            continue;
        }
        let idx = first_asset + offset;
        let header = asset.header;
        lifecycle_fields(asset, lifecycles.remove(&idx).unwrap_or_default(), header);
        policy_fields(
            asset,
            policies.remove(&idx).unwrap_or_default(),
            header,
            &index_by_address,
            db,
        );
    }
}

fn public_repository(asset: &mut Asset, instance: &Instance) {
    let why = "`aws_ecrpublic_repository` is public by design: anyone can pull its images. Keep only intentionally open-source images there; move anything else to a private `aws_ecr_repository`";
    asset.set(
        "access.public",
        Field::known(true, Some(instance.header), why),
    );
}

fn tag_mutability(asset: &mut Asset, instance: &Instance) {
    let attr = instance
        .body
        .attr("image_tag_mutability")
        .filter(|a| !a.value.is_null());
    let field = match attr {
        None => Field::known(
            "MUTABLE",
            Some(instance.header),
            "`image_tag_mutability` is not set, so AWS uses MUTABLE",
        ),
        Some(a) => match &a.value {
            Value::Unknown(u) => Field::from_unknown(u, Some(a.span)),
            v => match v.as_str() {
                Some(s) => Field::known(
                    s.to_string(),
                    Some(a.span),
                    format!("`image_tag_mutability` is \"{s}\""),
                ),
                // Terraform refuses this; plangate will not guess what was meant.
                None => Field::unknown(
                    format!(
                        "`image_tag_mutability` is a {}, not a string",
                        v.type_name()
                    ),
                    Some(a.span),
                ),
            },
        },
    };
    asset.set("image_tag_mutability", field);
}

/// The JSON text of a policy argument, or why it cannot be known.
fn policy_text(value: &Value) -> Result<String, String> {
    match value {
        Value::Unknown(u) => Err(u.reason.clone()),
        Value::String(s) => Ok(s.clone()),
        // A policy written as an object (e.g. from jsondecode) is its JSON.
        other => other
            .to_json()
            .map(|j| j.to_string())
            .map_err(|u| u.as_unknown().map(|u| u.reason.clone()).unwrap_or_default()),
    }
}

/// How many rules a lifecycle policy document has (`None`: it is not a document with a
/// `rules` list). A document whose text is unknown may still have a known list of rules.
fn lifecycle_rule_count(value: &Value) -> Result<Option<usize>, String> {
    if let Some(doc) = value.as_unknown().and_then(|u| u.document.as_deref()) {
        if let Some(rules) = doc
            .get_attr("rules", None)
            .and_then(|r| r.as_list().map(<[Value]>::len))
        {
            return Ok(Some(rules));
        }
    }
    let text = policy_text(value)?;
    Ok(serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|doc| doc.get("rules").and_then(|r| r.as_array()).map(Vec::len)))
}

fn lifecycle_fields(asset: &mut Asset, linked: Vec<LinkedPolicy>, header: Span) {
    if linked.is_empty() {
        let why = if asset.kind == "creation_template" {
            "the creation template sets no `lifecycle_policy`, so repositories created from it have none"
        } else {
            "no `aws_ecr_lifecycle_policy` for this repository in the scanned configuration"
        };
        asset.set(
            "has_lifecycle_policy",
            Field::known(false, Some(header), why),
        );
        return;
    }
    let mut unknown = None;
    let mut empty = None;
    for policy in &linked {
        let span = policy
            .attr
            .map(|a| a.span)
            .unwrap_or(policy.instance.header);
        let related = vec![Related {
            span: policy.instance.header,
            message: "the lifecycle policy".into(),
        }];
        let Some(attr) = policy.attr else {
            empty = Some(Field::known(
                false,
                Some(span),
                format!("`{}` has no `policy`", policy.instance.address),
            ));
            continue;
        };
        let rules = match lifecycle_rule_count(&attr.value) {
            Ok(rules) => rules,
            Err(reason) => {
                unknown = Some(Field::unknown(
                    format!("the lifecycle policy document cannot be known: {reason}"),
                    Some(span),
                ));
                continue;
            }
        };
        match rules {
            Some(n) if n > 0 => {
                asset.set(
                    "has_lifecycle_policy",
                    Field::known(
                        true,
                        Some(span),
                        format!("`{}` has {n} rule(s)", policy.instance.address),
                    )
                    .with_related(related),
                );
                return;
            }
            Some(_) => {
                empty = Some(
                    Field::known(
                        false,
                        Some(span),
                        format!(
                            "the lifecycle policy of `{}` has no rules",
                            policy.instance.address
                        ),
                    )
                    .with_related(related),
                )
            }
            None => {
                empty = Some(
                    Field::known(
                        false,
                        Some(span),
                        format!(
                        "the lifecycle policy of `{}` is not a JSON document with a `rules` list",
                        policy.instance.address
                    ),
                    )
                    .with_related(related),
                )
            }
        }
    }
    if let Some(f) = unknown.or(empty) {
        asset.set("has_lifecycle_policy", f);
    }
}

fn policy_fields(
    asset: &mut Asset,
    linked: Vec<LinkedPolicy>,
    header: Span,
    instances: &super::InstanceIndex,
    db: &SourceDb,
) {
    if linked.is_empty() {
        let why = "no repository policy grants access beyond the account";
        asset.set("access.public", Field::known(false, Some(header), why));
        asset.set(
            "policy.has_broad_cross_account",
            Field::known(false, Some(header), why),
        );
        return;
    }
    let mut public: Option<Field> = None;
    let mut broad: Option<Field> = None;
    for policy in &linked {
        let attr_span = policy
            .attr
            .map(|a| a.span)
            .unwrap_or(policy.instance.header);
        let related = vec![Related {
            span: header,
            message: format!("repository `{}`", asset.id),
        }];
        let structured = policy
            .attr
            .and_then(|a| a.value.as_unknown())
            .and_then(|u| u.document.as_deref().cloned());
        let text = match policy.attr.map(|a| policy_text(&a.value)) {
            Some(Ok(t)) => t,
            Some(Err(_)) if structured.is_some() => String::new(),
            Some(Err(reason)) => {
                let reason = format!("the repository policy document cannot be known: {reason}");
                merge(
                    &mut public,
                    Field::unknown(reason.clone(), Some(attr_span)).with_related(related.clone()),
                );
                merge(
                    &mut broad,
                    Field::unknown(reason, Some(attr_span)).with_related(related),
                );
                continue;
            }
            None => continue,
        };
        let parsed = match structured {
            Some(doc) => Ok(doc),
            None => iam_policy::parse_policy_json(&text),
        };
        let analysis = match parsed {
            Ok(doc) => iam_policy::analyze(&doc),
            Err(_) => {
                // Point at the line of the JSON error in the file, not in the policy text.
                let (reason, span) = json_error(&text, policy.attr, db);
                let span = span.unwrap_or(attr_span);
                merge(
                    &mut public,
                    Field::unknown(reason.clone(), Some(span)).with_related(related.clone()),
                );
                merge(
                    &mut broad,
                    Field::unknown(reason, Some(span)).with_related(related),
                );
                continue;
            }
        };
        let span_of = |statement: Option<usize>| {
            statement
                .and_then(|i| statement_span(policy, i, instances, db))
                .unwrap_or(attr_span)
        };
        let PolicyAnalysis {
            public: p,
            broad: b,
            ..
        } = analysis;
        merge(
            &mut public,
            verdict_field(&p, span_of(p.statement), related.clone()),
        );
        merge(&mut broad, verdict_field(&b, span_of(b.statement), related));
    }
    let none = || {
        Field::known(
            false,
            Some(header),
            "the repository policy has no statement to evaluate",
        )
    };
    asset.set("access.public", public.unwrap_or_else(none));
    asset.set("policy.has_broad_cross_account", broad.unwrap_or_else(none));
}

/// Why a policy text is not JSON, and where in the file the error is when the text is
/// written there (a heredoc or a string literal).
fn json_error(text: &str, attr: Option<&EvalAttr>, db: &SourceDb) -> (String, Option<Span>) {
    let Err(e) = serde_json::from_str::<serde_json::Value>(text) else {
        return ("the repository policy is not valid JSON".into(), None);
    };
    let literal = attr.and_then(|a| a.expr.as_deref()).filter(|e| {
        matches!(
            e.kind,
            crate::hcl::syntax::ExprKind::Literal(_) | crate::hcl::syntax::ExprKind::Template(_)
        )
    });
    let span = literal
        .and_then(|expr| policy_span::text_line_span(expr.span, e.line().saturating_sub(1), db));
    let what = e.to_string();
    let what = what.split(" at line ").next().unwrap_or(&what).to_string();
    let reason = match span {
        Some(s) => format!(
            "the repository policy is not valid JSON: {what} (line {} of the file)",
            db.get(s.file).line_col(s.start as usize).0
        ),
        None => format!("the repository policy is not valid JSON: {what} (line {}, column {} of the policy text)", e.line(), e.column()),
    };
    (reason, span)
}

fn verdict_field(v: &iam_policy::Verdict, span: Span, related: Vec<Related>) -> Field {
    match v.value {
        Tri::True => Field::known(true, Some(span), v.reason.clone()).with_related(related),
        Tri::False => Field::known(false, Some(span), v.reason.clone()),
        Tri::Unknown => Field::unknown(v.reason.clone(), Some(span)).with_related(related),
    }
}

/// Several policies on one repository: true wins, then unknown, then false.
fn merge(slot: &mut Option<Field>, new: Field) {
    use crate::snapshot::FieldValue::*;
    let rank = |f: &Field| match &f.value {
        Known(serde_json::Value::Bool(true)) => 2,
        Unknown(_) => 1,
        _ => 0,
    };
    if slot.as_ref().is_none_or(|old| rank(&new) > rank(old)) {
        *slot = Some(new);
    }
}

/// Locates statement `index` of a policy in its source: the HCL object or JSON text that
/// wrote it, or the `statement` block of the `aws_iam_policy_document` it references.
fn statement_span(
    policy: &LinkedPolicy,
    index: usize,
    instances: &super::InstanceIndex,
    db: &SourceDb,
) -> Option<Span> {
    let expr = policy.attr?.expr.as_ref()?;
    if let Some(span) = policy_span::statement_span(expr, index, db) {
        return Some(span);
    }
    // `data.aws_iam_policy_document.x.json` (possibly indexed): its statement blocks.
    let path = expr.reference_path()?;
    if path.len() >= 3 && path[0] == "data" && path[1] == "aws_iam_policy_document" {
        let prefix = if policy.instance.module_path.is_empty() {
            format!("data.aws_iam_policy_document.{}", path[2])
        } else {
            format!(
                "{}.data.aws_iam_policy_document.{}",
                policy.instance.module_path, path[2]
            )
        };
        let doc = instances.get_any(&prefix)?;
        let blocks = super::policy_document::own_statement_blocks(&doc.body);
        // Statements from source documents come first in the rendered document.
        let offset: usize = doc
            .body
            .value("source_policy_documents")
            .and_then(Value::as_list)
            .map(|docs| {
                docs.iter()
                    .filter_map(|d| d.as_str())
                    .filter_map(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .map(|d| match d.get("Statement") {
                        Some(serde_json::Value::Array(items)) => items.len(),
                        Some(_) => 1,
                        None => 0,
                    })
                    .sum()
            })
            .unwrap_or(0);
        return blocks.get(index.checked_sub(offset)?).map(|b| b.span);
    }
    None
}
