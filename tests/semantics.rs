//! ECR semantics exactly right: policy verdicts, key classification, registry filters,
//! lifecycle policies and provider scoping, each case a fixture in
//! `testdata/cases/semantics/`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use plangate::controls::evaluate::OutcomeKind;
use plangate::run::{check, CheckOptions, Report};

fn run(case: &str) -> Report {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let report = check(&CheckOptions {
        paths: vec![PathBuf::from(format!("testdata/cases/semantics/{case}"))],
        ..CheckOptions::default()
    });
    assert!(report.errors.is_empty(), "{case}: {:?}", report.errors);
    report
}

/// The violated controls among PUBLIC and BROAD for `aws_ecr_repository.r`.
fn policy_verdicts(case: &str) -> BTreeSet<&'static str> {
    let report = run(case);
    let mut out = BTreeSet::new();
    for f in &report.findings {
        assert_ne!(
            f.outcome,
            OutcomeKind::Inconclusive,
            "{case}: {}",
            f.message
        );
        match f.control_id.as_str() {
            "CTL.ECR.PUBLIC.001" => out.insert("PUBLIC"),
            "CTL.ECR.POLICY.BROAD.001" => out.insert("BROAD"),
            _ => false,
        };
    }
    out
}

#[test]
fn policy_verdicts_match_aws_semantics() {
    let both: BTreeSet<&str> = ["BROAD", "PUBLIC"].into();
    let public: BTreeSet<&str> = ["PUBLIC"].into();
    assert!(policy_verdicts("source-account-condition").is_empty());
    assert_eq!(policy_verdicts("aws-star-list"), both);
    assert_eq!(policy_verdicts("describe-only"), public);
    assert_eq!(policy_verdicts("get-wildcard"), both);
    assert_eq!(policy_verdicts("not-action-put"), both);
    assert_eq!(policy_verdicts("secure-transport-only"), both);
    assert!(policy_verdicts("other-account-role").is_empty());
    assert!(policy_verdicts("source-policy-documents").contains("PUBLIC"));
}

fn violates(report: &Report, control: &str, asset: &str) -> bool {
    report.findings.iter().any(|f| {
        f.control_id == control && f.asset_id == asset && f.outcome == OutcomeKind::Violation
    })
}

#[test]
fn keys_looked_up_by_data_sources() {
    assert!(!violates(
        &run("kms-data-team-images"),
        "CTL.ECR.ENCRYPT.CMK.001",
        "aws_ecr_repository.r"
    ));
    assert!(violates(
        &run("kms-data-aws-ecr"),
        "CTL.ECR.ENCRYPT.CMK.001",
        "aws_ecr_repository.r"
    ));
}

#[test]
fn registry_filters_follow_aws_semantics() {
    let report = run("registry-filters");
    for covered in [
        "aws_ecr_repository.api_prod",
        "aws_ecr_repository.my_prod_api",
    ] {
        assert!(!violates(&report, "CTL.ECR.SCAN.001", covered), "{covered}");
        assert!(
            !violates(&report, "CTL.ECR.ENHANCED.SCANNING.001", covered),
            "{covered}"
        );
    }
    // A MANUAL rule scans nothing.
    assert!(violates(
        &report,
        "CTL.ECR.SCAN.001",
        "aws_ecr_repository.manual_only"
    ));
}

#[test]
fn an_empty_lifecycle_policy_and_a_dangling_one() {
    let report = run("empty-lifecycle");
    assert!(violates(
        &report,
        "CTL.ECR.LIFECYCLE.001",
        "aws_ecr_repository.r"
    ));
    let notes: Vec<&str> = report.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`ghost`") && n.contains("aws_ecr_lifecycle_policy.ghost")),
        "{notes:?}"
    );
}

#[test]
fn registry_scanning_applies_per_provider_configuration() {
    let report = run("provider-alias");
    assert!(violates(
        &report,
        "CTL.ECR.SCAN.001",
        "aws_ecr_repository.east"
    ));
    assert!(!violates(
        &report,
        "CTL.ECR.SCAN.001",
        "aws_ecr_repository.west"
    ));
    assert!(!violates(
        &report,
        "CTL.ECR.ENHANCED.SCANNING.001",
        "aws_ecr_repository.west"
    ));
}
