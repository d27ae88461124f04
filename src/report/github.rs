//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, shown on the pull request's diff, then a plain summary line.

use crate::controls::catalogue::Severity;
use crate::controls::evaluate::OutcomeKind;
use crate::report::{note_is_warning, paragraphs, Counts};
use crate::run::Report;
use crate::source::{SourceDb, Span};

pub fn render(report: &Report) -> String {
    let db = &report.db;
    let mut out = String::new();
    for e in &report.errors {
        let mut props = vec![("file", e.file.clone())];
        if let Some(span) = e.span {
            props.extend(position(db, span));
        }
        props.push(("title", "plangate: input error".into()));
        out.push_str(&command("error", &props, &e.message));
    }
    // Suppressed findings are accepted on purpose: no annotation, only the count below.
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        let control = &report.controls[f.control];
        let file = db.get(f.span.file).name.clone();
        let mut props = vec![("file", file)];
        props.extend(position(db, f.span));
        let (level, title, message) = match f.outcome {
            OutcomeKind::Violation => {
                let mut message = format!("{}\nasset: {}", f.message, f.asset_id);
                for p in paragraphs(&control.remediation.action) {
                    message.push_str(&format!("\nhelp: {p}"));
                }
                (
                    level(f.severity),
                    format!("{} {} ({})", f.control_id, control.name, f.severity),
                    message,
                )
            }
            // Not a failure: a notice that says what could not be decided, and why.
            OutcomeKind::Inconclusive => (
                "notice",
                format!("inconclusive: {} {}", f.control_id, control.name),
                format!("{}\nasset: {}", f.message, f.asset_id),
            ),
        };
        props.push(("title", title));
        out.push_str(&command(level, &props, &message));
    }
    for n in &report.notes {
        let mut props = Vec::new();
        if let Some(span) = n.span {
            props.push(("file", db.get(span.file).name.clone()));
            props.extend(position(db, span));
        }
        props.push(("title", format!("plangate: {}", n.kind)));
        let level = if note_is_warning(n.kind) {
            "warning"
        } else {
            "notice"
        };
        out.push_str(&command(level, &props, &n.message));
    }
    for n in &report.not_evaluated {
        let props = vec![("title", format!("not evaluated: {}", n.control_id))];
        out.push_str(&command("notice", &props, &n.reason));
    }
    out.push_str(&format!(
        "plangate: {} asset(s) checked against {} controls: {}\n",
        report.assets.len(),
        report.controls.len(),
        Counts::of(report).sentence()
    ));
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// `line`, `col`, `endLine` and, on a single line, `endColumn` (GitHub ignores columns
/// for an annotation over several lines). The end column is inclusive here, unlike SARIF.
fn position(db: &SourceDb, span: Span) -> Vec<(&'static str, String)> {
    let file = db.get(span.file);
    let (line, col) = file.line_col(span.start as usize);
    let (end_line, end_col) = file.line_col(span.end as usize);
    let mut props = vec![
        ("line", line.to_string()),
        ("col", col.to_string()),
        ("endLine", end_line.to_string()),
    ];
    if end_line == line {
        props.push(("endColumn", end_col.saturating_sub(1).max(col).to_string()));
    }
    props
}

fn command(name: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::{name}{sep}{}::{}\n",
        props.join(","),
        escape_data(message)
    )
}

/// The runner's escaping of a command's message: `%`, CR and LF, so the whole command
/// stays on one line and a message can never start a command of its own.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value additionally escapes the `:` and `,` that delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// The runner's unescaping, to check a round trip.
    fn unescape(s: &str) -> String {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }

    #[test]
    fn violations_are_annotations_at_their_span_with_escaped_text() {
        let out = render(&sample::report());
        let public = out
            .lines()
            .find(|l| l.contains("CTL.ECR.PUBLIC.001"))
            .expect("an annotation for PUBLIC");
        assert!(
            public.starts_with(
                "::error file=infra/my dir/ecr 100%25.tf,line=3,col=3,endLine=5,title=CTL.ECR.PUBLIC.001 "
            ),
            "{public}"
        );
        let (head, message) = public.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!head.contains("endColumn"), "several lines: no end column");
        // The message escapes only %, CR and LF: `:` and `,` stay as they are.
        assert!(message.starts_with(
            "allows principal \"*\" | anyone: 100%25, <all>%0D%0Asecond line%0Aasset: aws_ecr_repository.api%0Ahelp: "
        ), "{message}");
        assert!(unescape(message).contains("second line\nasset: aws_ecr_repository.api"));

        let tag = out
            .lines()
            .find(|l| l.contains("CTL.ECR.TAG.IMMUTABLE.001"))
            .unwrap();
        assert!(
            tag.starts_with("::warning file=infra/main.tf,line=3,col=3,endLine=3,endColumn=34,"),
            "{tag}"
        );
    }

    #[test]
    fn titles_escape_property_delimiters() {
        let out = render(&sample::report());
        let tag = out
            .lines()
            .find(|l| l.contains("CTL.ECR.TAG.IMMUTABLE.001"))
            .unwrap();
        // "title=" is the last property; its value must not contain a bare ',' or ':'.
        let title = tag
            .split("title=")
            .nth(1)
            .unwrap()
            .split("::")
            .next()
            .unwrap();
        assert!(!title.contains(',') && !title.contains(':'), "{title}");
        let report = sample::report();
        let name = &report.controls[report.findings[0].control].name;
        assert_eq!(
            unescape(title),
            format!("CTL.ECR.TAG.IMMUTABLE.001 {name} (medium)")
        );
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }

    #[test]
    fn inconclusive_is_a_notice_and_suppressed_findings_are_not_annotated() {
        let out = render(&sample::report());
        let scan = out
            .lines()
            .find(|l| l.contains("CTL.ECR.SCAN.001"))
            .unwrap();
        assert!(scan.starts_with("::notice "), "{scan}");
        assert!(
            scan.contains("title=inconclusive%3A CTL.ECR.SCAN.001"),
            "{scan}"
        );
        for suppressed in ["CTL.ECR.LIFECYCLE.001", "CTL.ECR.ENCRYPT.CMK.001"] {
            assert!(
                !out.contains(suppressed),
                "{suppressed} is suppressed:\n{out}"
            );
        }
        assert!(out.ends_with(
            "2 violation(s) (1 high, 1 medium), 1 inconclusive, 2 suppressed, 2 input error(s)\n"
        ));
    }

    #[test]
    fn input_errors_notes_and_unevaluated_controls_are_reported() {
        let out = render(&sample::report());
        assert!(out.starts_with(
            "::error file=infra/broken.tf,title=plangate%3A input error::expected `}`\n"
        ));
        assert!(out.contains("::error file=infra/main.tf,line=2,col=3,endLine=2,endColumn=6,"));
        assert!(out.contains(
            "::notice file=infra/main.tf,line=1,col=1,endLine=1,endColumn=35,title=plangate%3A module-unavailable::module"
        ));
        assert!(out.contains(
            "::warning file=infra/main.tf,line=3,col=3,endLine=3,endColumn=34,title=plangate%3A ignore-expired::this ignore expired"
        ));
        assert!(out.contains(
            "::notice title=not evaluated%3A CTL.ECR.FINDINGS.UNRESOLVED.001::needs image scan findings\n"
        ));
        // Every line is a command, but for the closing summary.
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[..lines.len() - 1].iter().all(|l| l.starts_with("::")));
    }
}
