//! The render stage: findings in, bytes out, one file per format.

pub mod compact;
pub mod finding;
pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::controls::catalogue::Severity;
use crate::controls::evaluate::OutcomeKind;
use crate::run::Report;

/// Severities from the most to the least severe, the order summaries list them in.
pub const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// The counts every format's summary line shows. Suppressed findings are counted apart:
/// they are accepted on purpose and never count as violations or inconclusive results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub violations: usize,
    pub inconclusive: usize,
    pub suppressed: usize,
    pub errors: usize,
    /// Unsuppressed violations per severity, in [`SEVERITIES`] order, zeros left out.
    pub by_severity: Vec<(Severity, usize)>,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let shown = || report.findings.iter().filter(|f| f.suppression.is_none());
        let violations = || shown().filter(|f| f.outcome == OutcomeKind::Violation);
        Counts {
            violations: violations().count(),
            inconclusive: shown()
                .filter(|f| f.outcome == OutcomeKind::Inconclusive)
                .count(),
            suppressed: report
                .findings
                .iter()
                .filter(|f| f.suppression.is_some())
                .count(),
            errors: report.errors.len(),
            by_severity: SEVERITIES
                .iter()
                .map(|&s| (s, violations().filter(|f| f.severity == s).count()))
                .filter(|(_, n)| *n > 0)
                .collect(),
        }
    }

    /// `17 violation(s) (3 high, 12 medium, 2 low), 0 inconclusive, 0 suppressed, 0 input error(s)`
    pub fn sentence(&self) -> String {
        let by = if self.by_severity.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = self
                .by_severity
                .iter()
                .map(|(s, n)| format!("{n} {s}"))
                .collect();
            format!(" ({})", parts.join(", "))
        };
        format!(
            "{} violation(s){by}, {} inconclusive, {} suppressed, {} input error(s)",
            self.violations, self.inconclusive, self.suppressed, self.errors
        )
    }
}

/// Notes about ignores and config exceptions (expired, unused, without a reason) are the
/// user's to fix, so they are warnings; other notes (a module that needs `terraform init`)
/// only inform. The text format draws the same line.
pub fn note_is_warning(kind: &str) -> bool {
    kind.starts_with("ignore-") || kind.starts_with("exception-")
}

/// A control's remediation text as paragraphs, each on one line: the catalogue wraps its
/// YAML text at 90 columns, which means nothing in an annotation or a table cell.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A small report built by hand, for the formats' unit tests: one finding of every kind a
/// renderer must keep apart (violations of each level, inconclusive, suppressed inline and
/// by the baseline, an input error, a note) and text that needs escaping in every format.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;
    use crate::controls::catalogue::builtin;
    use crate::hcl::InputError;
    use crate::report::finding::{Finding, Suppression, SuppressionKind};
    use crate::run::{NotEvaluated, Note};
    use crate::snapshot::Related;
    use crate::source::{SourceDb, Span};

    pub const MAIN_TF: &str = "resource \"aws_ecr_repository\" \"web\" {\n  name = \"web\"\n  image_tag_mutability = \"MUTABLE\"\n}\n";
    pub const SPACED_TF: &str = "# é\nresource \"aws_ecr_repository\" \"api\" {\n  policy = <<EOF\n{\"Principal\": \"*\"}\nEOF\n}\n";

    fn finding(
        report_controls: &[crate::controls::catalogue::Control],
        id: &str,
        asset: &str,
        span: Span,
        message: &str,
    ) -> Finding {
        let control = report_controls
            .iter()
            .position(|c| c.id == id)
            .expect("control exists");
        Finding {
            control,
            control_id: id.to_string(),
            severity: report_controls[control].severity,
            asset_id: asset.to_string(),
            root: "infra".into(),
            outcome: OutcomeKind::Violation,
            message: message.to_string(),
            span,
            related: vec![],
            reason: None,
            suppression: None,
            evidence: None,
        }
    }

    pub fn report() -> Report {
        let mut db = SourceDb::default();
        let main = db.add(
            "infra/main.tf".into(),
            "/ws/infra/main.tf".into(),
            MAIN_TF.into(),
        );
        let spaced = db.add(
            "infra/my dir/ecr 100%.tf".into(),
            "/ws/infra/my dir/ecr 100%.tf".into(),
            SPACED_TF.into(),
        );
        let at = |text: &str, what: &str| text.find(what).expect("in sample text");
        let header = Span::new(main, 0, at(MAIN_TF, " {"));
        let m = at(MAIN_TF, "image_tag_mutability");
        let mutability = Span::new(main, m, at(MAIN_TF, "\"MUTABLE\"") + 9);
        // Lines 3–5 of the spaced file, a span over several lines after a two-byte "é".
        let policy = Span::new(spaced, at(SPACED_TF, "policy"), at(SPACED_TF, "EOF\n}") + 3);
        let controls = builtin();
        let mut public = finding(
            &controls,
            "CTL.ECR.PUBLIC.001",
            "aws_ecr_repository.api",
            policy,
            "allows principal \"*\" | anyone: 100%, <all>\r\nsecond line",
        );
        public.related.push(Related {
            span: Span::new(spaced, at(SPACED_TF, "resource"), at(SPACED_TF, " {")),
            message: "repository `aws_ecr_repository.api`".into(),
        });
        let tag = finding(
            &controls,
            "CTL.ECR.TAG.IMMUTABLE.001",
            "aws_ecr_repository.web",
            mutability,
            "`image_tag_mutability` is \"MUTABLE\"",
        );
        let mut lifecycle = finding(
            &controls,
            "CTL.ECR.LIFECYCLE.001",
            "aws_ecr_repository.web",
            header,
            "no lifecycle policy",
        );
        lifecycle.suppression = Some(Suppression {
            kind: SuppressionKind::Inline,
            reason: "short-lived test repository".into(),
            expires: Some("2031-01-01".into()),
        });
        let mut cmk = finding(
            &controls,
            "CTL.ECR.ENCRYPT.CMK.001",
            "aws_ecr_repository.web",
            header,
            "encrypted with AES256",
        );
        cmk.suppression = Some(Suppression {
            kind: SuppressionKind::Baseline,
            reason: "accepted in the baseline".into(),
            expires: None,
        });
        let mut scan = finding(
            &controls,
            "CTL.ECR.SCAN.001",
            "aws_ecr_repository.web",
            header,
            "cannot decide \"scanning\": var.scan has no value",
        );
        scan.outcome = OutcomeKind::Inconclusive;
        scan.reason = Some("var.scan has no value".into());
        Report {
            db,
            controls,
            assets: vec![],
            findings: vec![tag, lifecycle, cmk, scan, public],
            not_evaluated: vec![NotEvaluated {
                control_id: "CTL.ECR.FINDINGS.UNRESOLVED.001".into(),
                reason: "needs image scan findings".into(),
            }],
            errors: vec![
                InputError {
                    file: "infra/broken.tf".into(),
                    message: "expected `}`".into(),
                    span: None,
                },
                InputError {
                    file: "infra/main.tf".into(),
                    message: "unexpected token".into(),
                    span: Some(Span::new(
                        main,
                        at(MAIN_TF, "name"),
                        at(MAIN_TF, "name") + 4,
                    )),
                },
            ],
            notes: vec![
                Note {
                    kind: "module-unavailable",
                    message: "module \"x\" needs `terraform init`".into(),
                    span: Some(header),
                },
                Note {
                    kind: "ignore-expired",
                    message: "this ignore expired on 2020-01-31".into(),
                    span: Some(mutability),
                },
            ],
            config_fail_on: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_keep_suppressed_findings_apart() {
        let counts = Counts::of(&sample::report());
        assert_eq!(
            counts,
            Counts {
                violations: 2,
                inconclusive: 1,
                suppressed: 2,
                errors: 2,
                by_severity: vec![(Severity::High, 1), (Severity::Medium, 1)],
            }
        );
        assert_eq!(
            counts.sentence(),
            "2 violation(s) (1 high, 1 medium), 1 inconclusive, 2 suppressed, 2 input error(s)"
        );
    }

    #[test]
    fn paragraphs_join_wrapped_lines() {
        // A folded YAML scalar keeps one line per paragraph; spacing inside is noise.
        assert_eq!(
            paragraphs("Re-create  the repository.\n\n  In Terraform,\tset x.\n"),
            vec!["Re-create the repository.", "In Terraform, set x."]
        );
    }
}
