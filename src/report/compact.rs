//! One line per finding, `file:line:col: severity [ID] message`, for editors' and CI's
//! problem matchers (`.github/plangate-matcher.json` matches it).
//!
//! The word after the position says what a line is: a severity for a violation,
//! `inconclusive` for a verdict that cannot be known before apply, `error` for an input
//! that could not be read, `warning` for a problem with an ignore or a config exception,
//! `note` for other notes (the code in brackets is then the note's kind). Suppressed findings get no line; the closing
//! summary (which no matcher matches) counts them.

use crate::controls::evaluate::OutcomeKind;
use crate::report::{note_is_warning, Counts};
use crate::run::Report;
use crate::source::{SourceDb, Span};

pub fn render(report: &Report) -> String {
    let db = &report.db;
    let mut out = String::new();
    for e in &report.errors {
        // Without a position the file alone is named; the matcher's line and column are
        // optional for this reason.
        let at = match e.span {
            Some(span) => position(db, span),
            None => one_line(&e.file),
        };
        out.push_str(&format!("{at}: error [input] {}\n", one_line(&e.message)));
    }
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        let word = match f.outcome {
            OutcomeKind::Violation => f.severity.as_str(),
            OutcomeKind::Inconclusive => "inconclusive",
        };
        out.push_str(&format!(
            "{}: {word} [{}] {} ({})\n",
            position(db, f.span),
            f.control_id,
            one_line(&f.message),
            one_line(&f.asset_id),
        ));
    }
    for n in &report.notes {
        if let Some(span) = n.span {
            let word = if note_is_warning(n.kind) {
                "warning"
            } else {
                "note"
            };
            out.push_str(&format!(
                "{}: {word} [{}] {}\n",
                position(db, span),
                n.kind,
                one_line(&n.message)
            ));
        }
    }
    for n in &report.not_evaluated {
        out.push_str(&format!(
            "plangate: not evaluated: {}: {}\n",
            n.control_id,
            one_line(&n.reason)
        ));
    }
    out.push_str(&format!("plangate: {}\n", Counts::of(report).sentence()));
    out
}

fn position(db: &SourceDb, span: Span) -> String {
    let file = db.get(span.file);
    let (line, col) = file.line_col(span.start as usize);
    format!("{}:{line}:{col}", one_line(&file.name))
}

/// One finding, one line: a line break inside a message would start a bogus new one.
fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_line_per_unsuppressed_finding_then_a_summary() {
        let out = render(&sample::report());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "infra/broken.tf: error [input] expected `}`",
                "infra/main.tf:2:3: error [input] unexpected token",
                "infra/main.tf:3:3: medium [CTL.ECR.TAG.IMMUTABLE.001] `image_tag_mutability` is \"MUTABLE\" (aws_ecr_repository.web)",
                "infra/main.tf:1:1: inconclusive [CTL.ECR.SCAN.001] cannot decide \"scanning\": var.scan has no value (aws_ecr_repository.web)",
                "infra/my dir/ecr 100%.tf:3:3: high [CTL.ECR.PUBLIC.001] allows principal \"*\" | anyone: 100%, <all> second line (aws_ecr_repository.api)",
                "infra/main.tf:1:1: note [module-unavailable] module \"x\" needs `terraform init`",
                "infra/main.tf:3:3: warning [ignore-expired] this ignore expired on 2020-01-31",
                "plangate: not evaluated: CTL.ECR.FINDINGS.UNRESOLVED.001: needs image scan findings",
                "plangate: 2 violation(s) (1 high, 1 medium), 1 inconclusive, 2 suppressed, 2 input error(s)",
            ]
        );
    }
}
