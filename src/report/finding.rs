//! Findings: control outcomes joined with their asset, located, worded, and ordered.

use crate::controls::catalogue::{Control, Severity};
use crate::controls::evaluate::{Outcome, OutcomeKind};
use crate::snapshot::{Asset, FieldValue, Related};
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct Finding {
    pub control: usize,
    pub control_id: String,
    pub severity: Severity,
    pub asset_id: String,
    pub root: String,
    pub outcome: OutcomeKind,
    pub message: String,
    pub span: Span,
    pub related: Vec<Related>,
    /// For inconclusive results: why the verdict cannot be known.
    pub reason: Option<String>,
    /// Set when an inline ignore, a config exception or the baseline accepts this finding.
    /// Suppressed findings stay in every report; they never fail a run.
    pub suppression: Option<Suppression>,
    /// For findings from a plan: where the deciding value is in the plan file.
    pub evidence: Option<Evidence>,
}

/// The value inside a plan file that decided a finding, by span and JSON pointer (kept
/// when the finding itself is re-anchored to the `.tf` sources).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub span: Span,
    pub pointer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `# plangate:ignore …` in the source.
    Inline,
    /// An `exceptions:` entry of `.plangate.yaml`.
    Config,
    /// Listed in the `--baseline` file.
    Baseline,
}

impl SuppressionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Inline => "inline",
            SuppressionKind::Config => "config",
            SuppressionKind::Baseline => "baseline",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
    /// `YYYY-MM-DD`, when the acceptance expires.
    pub expires: Option<String>,
}

/// Turns outcomes into findings, sorted by file position, then control, then asset.
pub fn build(
    controls: &[Control],
    assets: &[Asset],
    outcomes: &[Outcome],
    db: &crate::source::SourceDb,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = outcomes
        .iter()
        .map(|o| {
            let control = &controls[o.control];
            let asset = &assets[o.asset];
            let fields: Vec<&crate::snapshot::Field> = o
                .fields
                .iter()
                .filter_map(|f| asset.fields.get(f))
                .collect();
            // The field that decided last is the most specific (for `all`, the final
            // condition; e.g. "enhanced" rather than "enabled").
            let primary = fields.iter().rev().find(|f| f.span.is_some()).copied();
            let span = primary.and_then(|f| f.span).unwrap_or(asset.header);
            let mut related: Vec<Related> = Vec::new();
            for f in &fields {
                for r in &f.related {
                    if r.span != span && !related.iter().any(|x| x.span == r.span) {
                        related.push(r.clone());
                    }
                }
            }
            // A finding inside a module: where the module is called from.
            for c in &asset.context {
                if c.span.file != span.file && !related.iter().any(|r| r.span == c.span) {
                    related.push(c.clone());
                }
            }
            if span != asset.header && !related.iter().any(|r| r.span == asset.header) {
                related.push(Related {
                    span: asset.header,
                    message: format!("`{}`", asset.id),
                });
            }
            let (message, reason) = match o.kind {
                OutcomeKind::Violation => {
                    let whys: Vec<&str> = fields
                        .iter()
                        .map(|f| f.why.as_str())
                        .filter(|w| !w.is_empty())
                        .collect();
                    let message = if whys.is_empty() {
                        control.name.clone()
                    } else {
                        whys.join("; ")
                    };
                    (message, None)
                }
                OutcomeKind::Inconclusive => {
                    let reasons: Vec<&str> = fields
                        .iter()
                        .filter_map(|f| match &f.value {
                            FieldValue::Unknown(r) => Some(r.as_str()),
                            _ => None,
                        })
                        .collect();
                    let reason = if reasons.is_empty() {
                        "a value this control needs cannot be known statically".to_string()
                    } else {
                        reasons.join("; ")
                    };
                    (
                        format!("cannot decide \"{}\": {reason}", control.name),
                        Some(reason),
                    )
                }
            };
            Finding {
                control: o.control,
                control_id: control.id.clone(),
                severity: control.severity,
                asset_id: asset.id.clone(),
                root: asset.root.clone(),
                outcome: o.kind,
                message,
                span,
                related,
                reason,
                suppression: None,
                evidence: None,
            }
        })
        .collect();
    sort(&mut findings, db);
    findings
}

/// Sorts findings by file position, then control, then asset. Keys are computed once per
/// finding; file names are borrowed, not copied.
pub fn sort(findings: &mut [Finding], db: &crate::source::SourceDb) {
    findings.sort_by_cached_key(|f| {
        (
            db.get(f.span.file).name.as_str(),
            f.span.start,
            f.control_id.clone(),
            f.root.clone(),
            f.asset_id.clone(),
            f.outcome,
        )
    });
}
