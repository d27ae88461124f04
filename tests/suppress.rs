//! Suppressions, configuration, assume facts and the baseline (SPEC §5), end to end.

use std::path::{Path, PathBuf};

use plangate::report::finding::SuppressionKind;
use plangate::run::{check, CheckOptions, Report};

fn run(dir: &str, now: &str) -> Report {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    check(&CheckOptions {
        paths: vec![PathBuf::from(dir)],
        now: plangate::findings::parse_rfc3339(now).unwrap(),
        ..CheckOptions::default()
    })
}

fn finding<'r>(
    report: &'r Report,
    control: &str,
    asset: &str,
) -> Option<&'r plangate::report::finding::Finding> {
    report
        .findings
        .iter()
        .find(|f| f.control_id == control && f.asset_id == asset)
}

fn note_kinds_on_line(report: &Report, kind: &str) -> Vec<usize> {
    report
        .notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| {
            let span = n.span.unwrap();
            report.db.get(span.file).line_col(span.start as usize).0
        })
        .collect()
}

#[test]
fn inline_ignores_above_on_the_header_and_on_the_attribute() {
    let report = run("testdata/cases/suppress/inline", "2026-06-01T00:00:00Z");
    let above = finding(&report, "CTL.ECR.LIFECYCLE.001", "aws_ecr_repository.above").unwrap();
    let s = above
        .suppression
        .as_ref()
        .expect("suppressed by the comment above");
    assert_eq!(s.kind, SuppressionKind::Inline);
    assert_eq!(s.reason, "scratch repository, images are deleted by hand");
    assert!(
        finding(&report, "CTL.ECR.SIGNING.001", "aws_ecr_repository.header")
            .unwrap()
            .suppression
            .is_some()
    );
    assert!(finding(
        &report,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "aws_ecr_repository.header"
    )
    .unwrap()
    .suppression
    .is_some());
    // The ignore on `above` only covers its own control and its own resource.
    assert!(
        finding(&report, "CTL.ECR.SIGNING.001", "aws_ecr_repository.above")
            .unwrap()
            .suppression
            .is_none()
    );
}

#[test]
fn ignores_without_reason_expired_unused_or_unknown_are_reported_and_do_not_suppress() {
    let report = run("testdata/cases/suppress/inline", "2026-06-01T00:00:00Z");
    assert!(
        finding(&report, "CTL.ECR.SCAN.001", "aws_ecr_repository.no_reason")
            .unwrap()
            .suppression
            .is_none()
    );
    assert_eq!(note_kinds_on_line(&report, "ignore-missing-reason"), [12]);
    assert!(finding(
        &report,
        "CTL.ECR.ENCRYPT.CMK.001",
        "aws_ecr_repository.expired"
    )
    .unwrap()
    .suppression
    .is_none());
    assert_eq!(note_kinds_on_line(&report, "ignore-expired"), [17]);
    let expired = report
        .notes
        .iter()
        .find(|n| n.kind == "ignore-expired")
        .unwrap();
    assert!(
        expired.message.contains("2020-01-31"),
        "{}",
        expired.message
    );
    assert_eq!(note_kinds_on_line(&report, "ignore-unused"), [22]);
    assert_eq!(note_kinds_on_line(&report, "ignore-unknown-control"), [27]);
}

#[test]
fn an_instance_key_limits_an_ignore_to_one_instance() {
    let report = run("testdata/cases/suppress/inline", "2026-06-01T00:00:00Z");
    let worker = finding(
        &report,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "aws_ecr_repository.svc[\"worker\"]",
    )
    .unwrap();
    assert!(worker.suppression.is_some());
    let api = finding(
        &report,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "aws_ecr_repository.svc[\"api\"]",
    )
    .unwrap();
    assert!(api.suppression.is_none());
}

#[test]
fn an_ignore_stops_suppressing_the_day_after_it_expires() {
    let dir = std::env::temp_dir().join(format!("plangate-until-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "# plangate:ignore CTL.ECR.SIGNING.001 until=2026-06-01 -- rollout\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n",
    )
    .unwrap();
    let on_the_day = run(dir.to_str().unwrap(), "2026-06-01T12:00:00Z");
    assert!(
        finding(&on_the_day, "CTL.ECR.SIGNING.001", "aws_ecr_repository.r")
            .unwrap()
            .suppression
            .is_some()
    );
    let after = run(dir.to_str().unwrap(), "2026-06-02T00:00:00Z");
    assert!(
        finding(&after, "CTL.ECR.SIGNING.001", "aws_ecr_repository.r")
            .unwrap()
            .suppression
            .is_none()
    );
}

#[test]
fn config_exceptions_controls_and_fail_on() {
    let report = run("testdata/cases/suppress/config", "2026-06-01T00:00:00Z");
    let legacy = finding(
        &report,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "module.legacy.aws_ecr_repository.this",
    )
    .unwrap();
    let s = legacy.suppression.as_ref().unwrap();
    assert_eq!(s.kind, SuppressionKind::Config);
    assert_eq!(s.expires.as_deref(), Some("2999-12-31"));
    assert!(finding(
        &report,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "aws_ecr_repository.app"
    )
    .unwrap()
    .suppression
    .is_none());
    assert!(finding(
        &report,
        "CTL.ECR.LIFECYCLE.001",
        "aws_ecr_repository.tmp_build"
    )
    .unwrap()
    .suppression
    .is_some());
    assert!(
        finding(&report, "CTL.ECR.LIFECYCLE.001", "aws_ecr_repository.app")
            .unwrap()
            .suppression
            .is_none()
    );
    // The expired exception does not apply, and says so.
    assert!(
        finding(&report, "CTL.ECR.SCAN.001", "aws_ecr_repository.app")
            .unwrap()
            .suppression
            .is_none()
    );
    assert_eq!(
        report
            .notes
            .iter()
            .filter(|n| n.kind == "exception-expired")
            .count(),
        1
    );
    // Disabled by prefix.
    assert!(!report
        .controls
        .iter()
        .any(|c| c.id == "CTL.ECR.INCOMPLETE.001"));
    assert_eq!(
        report.config_fail_on,
        Some(plangate::controls::catalogue::Severity::High)
    );
    assert_eq!(report.exit_code(report.config_fail_on.unwrap(), false), 0);
}

#[test]
fn a_config_error_points_at_its_line() {
    let dir = std::env::temp_dir().join(format!("plangate-badconfig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join(".plangate.yaml"), "fail_on: high\nexeptions: []\n").unwrap();
    let report = run(dir.to_str().unwrap(), "2026-06-01T00:00:00Z");
    let error = &report.errors[0];
    assert!(error.message.contains("exeptions"), "{}", error.message);
    let span = error.span.unwrap();
    assert_eq!(report.db.get(span.file).line_col(span.start as usize).0, 2);
    // The Terraform is still linted.
    assert!(!report.findings.is_empty());
    assert_eq!(
        report.exit_code(plangate::controls::catalogue::Severity::Low, false),
        2
    );
}

#[test]
fn assume_facts_for_enhanced_scanning_and_signing() {
    let report = run("testdata/cases/suppress/assume", "2026-06-01T00:00:00Z");
    // prod-* is covered by the assumed ENHANCED rule and signing enforcement.
    assert!(finding(
        &report,
        "CTL.ECR.ENHANCED.SCANNING.001",
        "aws_ecr_repository.prod_api"
    )
    .is_none());
    assert!(finding(
        &report,
        "CTL.ECR.SIGNING.001",
        "aws_ecr_repository.prod_api"
    )
    .is_none());
    // dev-api is not: the message names the assumed configuration's filters.
    let enhanced = finding(
        &report,
        "CTL.ECR.ENHANCED.SCANNING.001",
        "aws_ecr_repository.dev_api",
    )
    .unwrap();
    assert!(
        enhanced.message.contains("`prod-*`"),
        "{}",
        enhanced.message
    );
    let signing = finding(&report, "CTL.ECR.SIGNING.001", "aws_ecr_repository.dev_api").unwrap();
    assert!(
        signing.message.contains("assume: signing:"),
        "{}",
        signing.message
    );
}

#[test]
fn baseline_round_trip_survives_moved_code() {
    let dir = std::env::temp_dir().join(format!("plangate-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tf = dir.join("main.tf");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases/suppress/baseline/main.tf"),
        &tf,
    )
    .unwrap();
    let baseline = dir.join("baseline.json");
    let first = run(dir.to_str().unwrap(), "2026-06-01T00:00:00Z");
    assert!(!first.findings.is_empty());
    std::fs::write(
        &baseline,
        plangate::suppress::baseline_json(&first.findings),
    )
    .unwrap();

    // Lines inserted above the resource, and a new repository.
    let text = std::fs::read_to_string(&tf).unwrap();
    std::fs::write(&tf, format!("# moved down\n\n\n{text}\nresource \"aws_ecr_repository\" \"new\" {{\n  name = \"new\"\n}}\n")).unwrap();
    let second = check(&CheckOptions {
        paths: vec![dir.clone()],
        baseline: Some(baseline),
        now: plangate::findings::parse_rfc3339("2026-06-01T00:00:00Z").unwrap(),
        ..CheckOptions::default()
    });
    for f in &second.findings {
        let suppressed = f.suppression.as_ref().map(|s| s.kind);
        if f.asset_id == "aws_ecr_repository.old" {
            assert_eq!(
                suppressed,
                Some(SuppressionKind::Baseline),
                "{}",
                f.control_id
            );
        } else {
            assert_eq!(suppressed, None, "{} on {}", f.control_id, f.asset_id);
        }
    }
    assert_eq!(
        second.exit_code(plangate::controls::catalogue::Severity::Low, false),
        1
    );
}
