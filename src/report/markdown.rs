//! Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`: the counts, then a table
//! of violations, inconclusive results and suppressed findings, each apart.

use crate::controls::evaluate::OutcomeKind;
use crate::report::finding::Finding;
use crate::report::{note_is_warning, Counts};
use crate::run::Report;

/// Rows per table. A pull-request comment holds at most 65,536 characters; past this the
/// table says how many rows it left out, and the SARIF or JSON report has them all.
pub const MAX_ROWS: usize = 150;

pub fn render(report: &Report) -> String {
    let counts = Counts::of(report);
    let mut out = String::from("## plangate\n\n");
    let verdict = if counts.violations == 0 && counts.errors == 0 {
        "✅ No violations"
    } else if counts.violations == 0 {
        "⚠️ No violations, but some input could not be read"
    } else {
        "❌ Violations found"
    };
    out.push_str(&format!(
        "**{verdict}**: {} asset(s) checked against {} controls: {}.\n",
        report.assets.len(),
        report.controls.len(),
        counts.sentence()
    ));

    let shown = |kind: OutcomeKind| -> Vec<&Finding> {
        report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none() && f.outcome == kind)
            .collect()
    };
    let mut violations = shown(OutcomeKind::Violation);
    // Most severe first; the report's own order (by file and line) within a severity.
    violations.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !violations.is_empty() {
        out.push_str("\n### Violations\n\n| Severity | Control | Asset | Location | Finding |\n|---|---|---|---|---|\n");
        table(&mut out, &violations, |f| {
            vec![
                f.severity.as_str().to_string(),
                control_cell(report, f),
                code(&f.asset_id),
                code(&location(report, f)),
                cell(&f.message),
            ]
        });
    }
    let inconclusive = shown(OutcomeKind::Inconclusive);
    if !inconclusive.is_empty() {
        out.push_str("\n### Inconclusive\n\nThese controls could not be decided before apply; they do not fail the run.\n\n| Severity | Control | Asset | Location | Why |\n|---|---|---|---|---|\n");
        table(&mut out, &inconclusive, |f| {
            vec![
                f.severity.as_str().to_string(),
                control_cell(report, f),
                code(&f.asset_id),
                code(&location(report, f)),
                cell(f.reason.as_deref().unwrap_or(&f.message)),
            ]
        });
    }
    let suppressed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>{} suppressed finding(s)</summary>\n\n| Control | Asset | Location | Outcome | Suppressed by | Reason | Expires |\n|---|---|---|---|---|---|---|\n",
            suppressed.len()
        ));
        table(&mut out, &suppressed, |f| {
            let s = f.suppression.as_ref().expect("filtered on suppression");
            vec![
                control_cell(report, f),
                code(&f.asset_id),
                code(&location(report, f)),
                f.outcome.as_str().to_string(),
                s.kind.as_str().to_string(),
                cell(&s.reason),
                s.expires.clone().unwrap_or_else(|| "never".into()),
            ]
        });
        out.push_str("\n</details>\n");
    }
    if !report.errors.is_empty() {
        out.push_str("\n### Input errors\n\n");
        for e in &report.errors {
            let at = match e.span {
                Some(span) => {
                    let (line, col) = report.db.get(span.file).line_col(span.start as usize);
                    format!("{}:{line}:{col}", e.file)
                }
                None => e.file.clone(),
            };
            out.push_str(&format!("- {}: {}\n", code(&at), cell(&e.message)));
        }
    }
    if !report.notes.is_empty() {
        out.push_str("\n### Notes\n\n");
        for n in &report.notes {
            let at = match n.span {
                Some(span) => {
                    let file = report.db.get(span.file);
                    let (line, col) = file.line_col(span.start as usize);
                    format!("{} ", code(&format!("{}:{line}:{col}", file.name)))
                }
                None => String::new(),
            };
            let mark = if note_is_warning(n.kind) {
                "⚠️ "
            } else {
                ""
            };
            out.push_str(&format!(
                "- {mark}{at}{}: {}\n",
                code(n.kind),
                cell(&n.message)
            ));
        }
    }
    if !report.not_evaluated.is_empty() {
        out.push_str("\n### Not evaluated\n\n");
        for n in &report.not_evaluated {
            out.push_str(&format!("- {}: {}\n", code(&n.control_id), cell(&n.reason)));
        }
    }
    out
}

fn table(out: &mut String, rows: &[&Finding], cells: impl Fn(&Finding) -> Vec<String>) {
    for f in rows.iter().take(MAX_ROWS) {
        out.push_str(&format!("| {} |\n", cells(f).join(" | ")));
    }
    if rows.len() > MAX_ROWS {
        out.push_str(&format!(
            "\n…and {} more; the SARIF or JSON report lists them all.\n",
            rows.len() - MAX_ROWS
        ));
    }
}

fn control_cell(report: &Report, f: &Finding) -> String {
    format!(
        "{}<br>{}",
        code(&f.control_id),
        cell(&report.controls[f.control].name)
    )
}

fn location(report: &Report, f: &Finding) -> String {
    let file = report.db.get(f.span.file);
    let (line, col) = file.line_col(f.span.start as usize);
    format!("{}:{line}:{col}", file.name)
}

/// Text for a table cell. Messages use backticks for code, so code spans are kept; outside
/// them, characters Markdown or HTML would read are escaped. A `|` ends a cell even inside
/// a code span, so it is escaped everywhere; a line break would end the row.
pub fn cell(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace(['\r', '\n'], " ");
    // An unpaired backtick would swallow the rest of the row: then no code spans at all.
    let code_spans = text.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if code_spans => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            _ if in_code => out.push(c),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code span for a name or a path, long enough to hold any backticks in it.
pub fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ").replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn a_table_per_kind_most_severe_first() {
        let out = render(&sample::report());
        assert!(out.starts_with("## plangate\n\n**❌ Violations found**: 0 asset(s) checked against 10 controls: 2 violation(s) (1 high, 1 medium), 1 inconclusive, 2 suppressed, 2 input error(s).\n"), "{out}");
        let violations = out.split("### Violations").nth(1).unwrap();
        let rows: Vec<&str> = violations
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Severity"))
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(
            rows[0].starts_with("| high | `CTL.ECR.PUBLIC.001`<br>"),
            "{}",
            rows[0]
        );
        assert!(rows[0].contains("| `aws_ecr_repository.api` | `infra/my dir/ecr 100%.tf:3:3` |"));
        // The message: a pipe, angle brackets and a line break must not break the table.
        assert!(
            rows[0].ends_with(
                "| allows principal \"\\*\" \\| anyone: 100%, &lt;all&gt; second line |"
            ),
            "{}",
            rows[0]
        );
        assert!(rows[1].starts_with("| medium | `CTL.ECR.TAG.IMMUTABLE.001`"));
        assert!(
            rows[1].ends_with("| `image_tag_mutability` is \"MUTABLE\" |"),
            "{}",
            rows[1]
        );
        let inconclusive = out.split("### Inconclusive").nth(1).unwrap();
        assert!(inconclusive.contains("| medium | `CTL.ECR.SCAN.001`"));
        assert!(inconclusive.contains("| var.scan has no value |"));
    }

    #[test]
    fn suppressed_findings_are_listed_as_suppressed_with_their_reason() {
        let out = render(&sample::report());
        let suppressed = out
            .split("<details><summary>2 suppressed finding(s)</summary>")
            .nth(1)
            .unwrap();
        assert!(suppressed.contains("| `CTL.ECR.LIFECYCLE.001`<br>"));
        assert!(suppressed
            .contains("| violation | inline | short-lived test repository | 2031-01-01 |"));
        assert!(suppressed.contains("| violation | baseline | accepted in the baseline | never |"));
        // And nowhere else.
        let before = out.split("<details>").next().unwrap();
        assert!(!before.contains("CTL.ECR.LIFECYCLE.001"));
        assert!(out.contains("- `infra/broken.tf`: expected `}`\n"));
        assert!(out.contains("- `infra/main.tf:2:3`: unexpected token\n"));
        assert!(out.contains("- `CTL.ECR.FINDINGS.UNRESOLVED.001`: needs image scan findings\n"));
        assert!(out.contains(
            "- `infra/main.tf:1:1` `module-unavailable`: module \"x\" needs `terraform init`\n"
        ));
        assert!(out.contains(
            "- ⚠️ `infra/main.tf:3:3` `ignore-expired`: this ignore expired on 2020-01-31\n"
        ));
    }

    #[test]
    fn a_clean_report_says_so_and_long_tables_are_cut() {
        let mut report = sample::report();
        report.errors.clear();
        let kept: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .cloned()
            .collect();
        report.findings = kept;
        let out = render(&report);
        assert!(out.contains("**✅ No violations**"), "{out}");
        assert!(!out.contains("### Violations"));

        let mut report = sample::report();
        let tag = report.findings[0].clone();
        report.findings = vec![tag; MAX_ROWS + 3];
        let out = render(&report);
        assert_eq!(
            out.matches("| medium | `CTL.ECR.TAG.IMMUTABLE.001`")
                .count(),
            MAX_ROWS
        );
        assert!(out.contains("…and 3 more;"));
    }

    #[test]
    fn cells_escape_markup_outside_code_spans_only() {
        assert_eq!(cell("`a|b*c` *x* <y>"), "`a\\|b*c` \\*x\\* &lt;y&gt;");
        // An unpaired backtick is escaped rather than opening a span to the end of the row.
        assert_eq!(cell("it's `odd"), "it's \\`odd");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("x|y"), "`x\\|y`");
    }
}
