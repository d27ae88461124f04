//! Runs every fixture under `testdata/<CONTROL-ID>/{pass,fail}/<case>/` and compares the
//! results with the `# expect:` / `# expect-inconclusive:` markers written in the case.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use plangate::controls::evaluate::OutcomeKind;
use plangate::run::{check, CheckOptions};

/// (file, line, control id, outcome)
type Expectation = (String, usize, String, &'static str);

fn case_dirs(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(controls) = std::fs::read_dir(root) else {
        return out;
    };
    for control in controls.filter_map(|e| e.ok()) {
        let name = control.file_name().to_string_lossy().into_owned();
        if !name.starts_with("CTL.") {
            continue;
        }
        for verdict in ["pass", "fail"] {
            let Ok(cases) = std::fs::read_dir(control.path().join(verdict)) else {
                continue;
            };
            for case in cases.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()) {
                out.push((name.clone(), case.path()));
            }
        }
    }
    out.sort();
    out
}

fn markers(dir: &Path) -> Vec<Expectation> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = plangate::source::display_path(&plangate::discover::normalize(&file));
        for (i, line) in text.lines().enumerate() {
            for (marker, outcome) in [
                ("# expect-inconclusive:", "inconclusive"),
                ("# expect:", "violation"),
            ] {
                let mut rest = line;
                while let Some(pos) = rest.find(marker) {
                    rest = &rest[pos + marker.len()..];
                    let id: String = rest
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                        .collect();
                    out.push((name.clone(), i + 1, id, outcome));
                }
            }
        }
    }
    out
}

#[test]
fn every_fixture_matches_its_markers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let cases = case_dirs(&root);
    assert!(
        cases.len() >= 40,
        "expected the per-control fixtures, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (control, dir) in &cases {
        let expected: BTreeSet<Expectation> = markers(dir).into_iter().collect();
        let mut checked: BTreeSet<String> = expected.iter().map(|e| e.2.clone()).collect();
        checked.insert(control.clone());
        // Scan-findings files (`*findings*.json`) sit next to the Terraform, judged at a
        // fixed time.
        let mut findings_files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                name.ends_with(".json") && name.contains("findings")
            })
            .collect();
        findings_files.sort();
        let report = check(&CheckOptions {
            paths: vec![dir.clone()],
            findings_files,
            now: plangate::findings::parse_rfc3339("2026-06-01T00:00:00Z").unwrap(),
            ..CheckOptions::default()
        });
        let actual: BTreeSet<Expectation> = report
            .findings
            .iter()
            .filter(|f| checked.contains(&f.control_id))
            .map(|f| {
                let file = report.db.get(f.span.file);
                let (line, _) = file.line_col(f.span.start as usize);
                let outcome = match f.outcome {
                    OutcomeKind::Violation => "violation",
                    OutcomeKind::Inconclusive => "inconclusive",
                };
                (file.name.clone(), line, f.control_id.clone(), outcome)
            })
            .collect();
        let is_fail_case = dir.parent().is_some_and(|p| p.ends_with("fail"));
        if is_fail_case && !expected.iter().any(|e| &e.2 == control) {
            failures.push(format!(
                "{}: a failing case must mark at least one {control}",
                dir.display()
            ));
        }
        if !report.errors.is_empty() {
            failures.push(format!(
                "{}: input errors: {:?}",
                dir.display(),
                report.errors
            ));
        }
        if expected != actual {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let unexpected: Vec<_> = actual.difference(&expected).collect();
            let messages: Vec<String> = report
                .findings
                .iter()
                .filter(|f| checked.contains(&f.control_id))
                .map(|f| format!("    {} {}: {}", f.control_id, f.outcome.as_str(), f.message))
                .collect();
            failures.push(format!(
                "{}:\n  expected but missing: {missing:?}\n  reported but not expected: {unexpected:?}\n{}",
                dir.display(),
                messages.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
