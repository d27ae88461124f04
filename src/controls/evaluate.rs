//! Controls × assets → outcomes. Knows nothing of Terraform: only fields and predicates.

use super::catalogue::Control;
use super::predicate::Truth;
use crate::snapshot::{Asset, FieldValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutcomeKind {
    Violation,
    Inconclusive,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Violation => "violation",
            OutcomeKind::Inconclusive => "inconclusive",
        }
    }
}

/// A control's verdict on one asset, when it is not a pass.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub control: usize,
    pub asset: usize,
    pub kind: OutcomeKind,
    /// The fields that decided the verdict (relative paths, e.g. `encryption.uses_cmk`).
    pub fields: Vec<String>,
}

/// Evaluates every control against every asset it applies to.
pub fn evaluate(controls: &[Control], assets: &[Asset]) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (ai, asset) in assets.iter().enumerate() {
        let lookup = |path: &str| -> FieldValue {
            if path == "properties.container_registry.kind" {
                return FieldValue::Known(serde_json::Value::String(asset.kind.clone()));
            }
            asset
                .field(path)
                .map(|f| f.value.clone())
                .unwrap_or(FieldValue::Absent)
        };
        for (ci, control) in controls.iter().enumerate() {
            if !control.applies_to_kind(&asset.kind) {
                continue;
            }
            let evaluation = control.predicate.evaluate(&lookup);
            let kind = match evaluation.truth {
                Truth::True => OutcomeKind::Violation,
                Truth::Unknown => OutcomeKind::Inconclusive,
                Truth::False => continue,
            };
            out.push(Outcome {
                control: ci,
                asset: ai,
                kind,
                fields: evaluation
                    .fields
                    .iter()
                    .filter_map(|f| f.strip_prefix(crate::snapshot::FIELD_PREFIX))
                    .filter(|f| *f != "kind")
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
    out
}
