//! JUnit XML, for CI systems that show test reports: one test suite per control, one test
//! case per asset it applies to. A violation is a failure; an inconclusive, suppressed or
//! unevaluated check is skipped with a message saying which; an unreadable input is an error.

use std::collections::BTreeMap;

use crate::controls::evaluate::OutcomeKind;
use crate::report::finding::Finding;
use crate::run::Report;

pub fn render(report: &Report) -> String {
    let db = &report.db;
    let mut suites = String::new();
    let (mut all_tests, mut all_failures, mut all_errors, mut all_skipped) = (0, 0, 0, 0);
    for (index, control) in report.controls.iter().enumerate() {
        // Every asset the control applies to, plus any asset a finding names (so a finding
        // is never lost, even for an asset the report does not list).
        let mut cases: BTreeMap<(String, String), Vec<&Finding>> = report
            .assets
            .iter()
            .filter(|a| control.applies_to_kind(&a.kind))
            .map(|a| ((a.root.clone(), a.id.clone()), Vec::new()))
            .collect();
        for f in report.findings.iter().filter(|f| f.control == index) {
            cases
                .entry((f.root.clone(), f.asset_id.clone()))
                .or_default()
                .push(f);
        }
        if cases.is_empty() {
            continue;
        }
        let not_evaluated = report
            .not_evaluated
            .iter()
            .find(|n| n.control_id == control.id);
        let (mut failures, mut skipped) = (0, 0);
        let mut body = String::new();
        for ((root, asset), findings) in &cases {
            let open = match findings.first() {
                Some(f) => {
                    let file = db.get(f.span.file);
                    let (line, _) = file.line_col(f.span.start as usize);
                    format!(
                        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{line}\">\n",
                        attr(asset),
                        attr(&format!("{}.{root}", control.id)),
                        attr(&file.name),
                    )
                }
                None => format!(
                    "    <testcase name=\"{}\" classname=\"{}\">\n",
                    attr(asset),
                    attr(&format!("{}.{root}", control.id)),
                ),
            };
            body.push_str(&open);
            let failing: Vec<&&Finding> = findings
                .iter()
                .filter(|f| f.suppression.is_none() && f.outcome == OutcomeKind::Violation)
                .collect();
            if let Some(first) = failing.first() {
                failures += 1;
                // One failure element (JUnit allows one); every location in its text.
                let text: Vec<String> = failing.iter().map(|f| describe(report, f)).collect();
                body.push_str(&format!(
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                    attr(&first.message),
                    first.severity,
                    text_node(&text.join("\n"))
                ));
            } else if let Some(f) = findings.iter().find(|f| f.suppression.is_none()) {
                skipped += 1;
                body.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    attr(&format!(
                        "inconclusive: {}",
                        f.reason.as_deref().unwrap_or(&f.message)
                    ))
                ));
            } else if let Some(s) = findings.iter().find_map(|f| f.suppression.as_ref()) {
                skipped += 1;
                body.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    attr(&format!("suppressed ({}): {}", s.kind.as_str(), s.reason))
                ));
            } else if let Some(n) = not_evaluated {
                skipped += 1;
                body.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    attr(&format!("not evaluated: {}", n.reason))
                ));
            }
            body.push_str("    </testcase>\n");
        }
        all_tests += cases.len();
        all_failures += failures;
        all_skipped += skipped;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{body}  </testsuite>\n",
            attr(&control.id),
            cases.len(),
        ));
    }
    if !report.errors.is_empty() {
        let mut body = String::new();
        for e in &report.errors {
            let line = e
                .span
                .map(|s| format!(" line=\"{}\"", db.get(s.file).line_col(s.start as usize).0))
                .unwrap_or_default();
            body.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"plangate.input\" file=\"{}\"{line}>\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n",
                attr(&e.file),
                attr(&e.file),
                attr(&e.message),
            ));
        }
        all_tests += report.errors.len();
        all_errors += report.errors.len();
        suites.push_str(&format!(
            "  <testsuite name=\"plangate.input\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">\n{body}  </testsuite>\n",
            n = report.errors.len(),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plangate\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"{all_errors}\" skipped=\"{all_skipped}\">\n{suites}</testsuites>\n"
    )
}

fn describe(report: &Report, f: &Finding) -> String {
    let file = report.db.get(f.span.file);
    let (line, col) = file.line_col(f.span.start as usize);
    format!(
        "{}:{line}:{col}: {} [{}] {}",
        file.name, f.severity, f.control_id, f.message
    )
}

/// XML 1.0 cannot carry most control characters at all, escaped or not: drop them.
fn xml_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    })
}

fn text_node(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// An attribute value; line breaks are written as character references, which a parser
/// would otherwise normalise to spaces.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn suite<'a>(xml: &'a str, name: &str) -> &'a str {
        let start = xml
            .find(&format!("<testsuite name=\"{name}\""))
            .unwrap_or_else(|| panic!("no suite {name}:\n{xml}"));
        let end = start + xml[start..].find("</testsuite>").unwrap();
        &xml[start..end]
    }

    #[test]
    fn violations_fail_and_everything_else_is_skipped_with_a_reason() {
        let xml = render(&sample::report());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plangate\" tests=\"7\" failures=\"2\" errors=\"2\" skipped=\"3\">"), "{xml}");
        let public = suite(&xml, "CTL.ECR.PUBLIC.001");
        assert!(public.contains("tests=\"1\" failures=\"1\""));
        assert!(public.contains(
            "<testcase name=\"aws_ecr_repository.api\" classname=\"CTL.ECR.PUBLIC.001.infra\" file=\"infra/my dir/ecr 100%.tf\" line=\"3\">"
        ));
        assert!(public.contains(
            "<failure message=\"allows principal &quot;*&quot; | anyone: 100%, &lt;all&gt;&#13;&#10;second line\" type=\"high\">infra/my dir/ecr 100%.tf:3:3: high [CTL.ECR.PUBLIC.001] allows principal \"*\" | anyone: 100%, &lt;all&gt;\r\nsecond line</failure>"
        ), "{public}");
        let scan = suite(&xml, "CTL.ECR.SCAN.001");
        assert!(scan.contains("failures=\"0\" errors=\"0\" skipped=\"1\""));
        assert!(scan.contains("<skipped message=\"inconclusive: var.scan has no value\"/>"));
        assert!(suite(&xml, "CTL.ECR.LIFECYCLE.001")
            .contains("<skipped message=\"suppressed (inline): short-lived test repository\"/>"));
        assert!(suite(&xml, "CTL.ECR.ENCRYPT.CMK.001")
            .contains("<skipped message=\"suppressed (baseline): accepted in the baseline\"/>"));
        let input = suite(&xml, "plangate.input");
        assert!(input.contains("<testcase name=\"infra/main.tf\" classname=\"plangate.input\" file=\"infra/main.tf\" line=\"2\">"));
        assert!(input.contains("<error message=\"expected `}`\" type=\"input\"/>"));
    }

    #[test]
    fn assets_without_findings_are_passing_test_cases() {
        let report = crate::run::check(&crate::run::CheckOptions {
            paths: vec![std::path::PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/testdata/cases/clean"
            ))],
            ..Default::default()
        });
        let xml = render(&report);
        // The clean case only lacks signing: ten suites but FINDINGS (not evaluated)…
        let tag = suite(&xml, "CTL.ECR.TAG.IMMUTABLE.001");
        assert!(
            tag.contains("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\""),
            "{tag}"
        );
        assert!(tag.contains("<testcase name=\"aws_ecr_repository.clean\""));
        assert!(!tag.contains("<failure"));
        assert!(suite(&xml, "CTL.ECR.SIGNING.001").contains("failures=\"1\""));
        assert!(suite(&xml, "CTL.ECR.FINDINGS.UNRESOLVED.001")
            .contains("<skipped message=\"not evaluated: "));
    }

    #[test]
    fn xml_escaping_drops_what_xml_cannot_hold() {
        assert_eq!(attr("a\u{1}b\"<&>'\n"), "ab&quot;&lt;&amp;&gt;&apos;&#10;");
        assert_eq!(text_node("a\u{0}<b>\n"), "a&lt;b&gt;\n");
    }
}
