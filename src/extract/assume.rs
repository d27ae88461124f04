//! `assume:` facts from `.plangate.yaml`: what is managed outside the scanned Terraform.
//!
//! An assumed registry scanning configuration is turned into the same evaluated instance a
//! scanned `aws_ecr_registry_scanning_configuration` would be, with spans in the YAML file,
//! so the scanning logic and its messages stay the same.

use std::sync::Arc;

use crate::config::{Assumptions, ScanFrequency, ScanType};
use crate::hcl::eval::instance::{EvalAttr, EvalBlock, EvalBody, Instance, InstanceKey};
use crate::hcl::eval::value::Value;
use crate::snapshot::Field;
use crate::source::Span;

/// The facts, and where in the config file each is written.
#[derive(Default)]
pub struct Assumed<'a> {
    pub facts: Option<&'a Assumptions>,
    pub registry_scanning_span: Option<Span>,
    pub signing_span: Option<Span>,
}

fn attr(name: &str, value: Value, span: Span) -> EvalAttr {
    EvalAttr {
        name: name.into(),
        value,
        span,
        expr: None,
    }
}

impl Assumed<'_> {
    /// The assumed registry scanning configuration as an instance of `provider`.
    pub fn registry_instance(&self, provider: &str) -> Option<Instance> {
        let scanning = self.facts?.registry_scanning.as_ref()?;
        let span = self.registry_scanning_span?;
        let scan_type = match scanning.scan_type {
            ScanType::Basic => "BASIC",
            ScanType::Enhanced => "ENHANCED",
        };
        let rules = scanning
            .rules
            .iter()
            .map(|rule| {
                let frequency = match rule.scan_frequency {
                    ScanFrequency::ScanOnPush => "SCAN_ON_PUSH",
                    ScanFrequency::ContinuousScan => "CONTINUOUS_SCAN",
                    ScanFrequency::Manual => "MANUAL",
                };
                let filters = rule
                    .filters
                    .iter()
                    .map(|f| EvalBlock {
                        kind: "repository_filter".into(),
                        body: EvalBody {
                            attrs: vec![attr("filter", Value::string(f.clone()), span)],
                            ..EvalBody::default()
                        },
                        span,
                    })
                    .collect();
                EvalBlock {
                    kind: "rule".into(),
                    body: EvalBody {
                        attrs: vec![attr("scan_frequency", Value::string(frequency), span)],
                        blocks: filters,
                        unknown_blocks: vec![],
                    },
                    span,
                }
            })
            .collect();
        Some(Instance {
            address: "assume.registry_scanning".into(),
            module_path: String::new(),
            resource_type: "aws_ecr_registry_scanning_configuration".into(),
            name: "assumed".into(),
            key: InstanceKey::None,
            is_data: false,
            provider: provider.to_string(),
            body: Arc::new(EvalBody {
                attrs: vec![attr("scan_type", Value::string(scan_type), span)],
                blocks: rules,
                unknown_blocks: vec![],
            }),
            header: span,
            expansion_unknown: None::<Arc<_>>,
            call_site: None,
        })
    }

    /// `signing.enforced` for a repository named `name`, when a fact covers it.
    pub fn signing(&self, name: &Value) -> Option<Field> {
        let signing = self.facts?.signing.as_ref()?;
        let span = self.signing_span?;
        let covered = match name.as_str() {
            Some(n) => signing
                .repositories
                .iter()
                .any(|p| super::scanning::filter_matches_glob(p, &n)),
            // An unknown name is covered only by a pattern covering every name.
            None => signing.repositories.iter().any(|p| p == "*"),
        };
        covered.then(|| {
            Field::known(
                signing.enforced,
                Some(span),
                if signing.enforced {
                    "`assume.signing` in .plangate.yaml declares signature verification enforced for this repository"
                } else {
                    "`assume.signing` in .plangate.yaml declares signature verification not enforced for this repository"
                },
            )
        })
    }
}
