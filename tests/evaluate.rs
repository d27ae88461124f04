//! Evaluating Terraform like Terraform: instances, links, modules and variables, judged
//! through the assets and results a user sees.

use std::collections::BTreeMap;
use std::path::PathBuf;

use plangate::controls::evaluate::OutcomeKind;
use plangate::hcl::{EvalOptions, VarArg};
use plangate::run::{check, CheckOptions, Report};

fn run_with(case: &str, eval: EvalOptions) -> Report {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let report = check(&CheckOptions {
        paths: vec![PathBuf::from(format!("testdata/cases/eval/{case}"))],
        eval,
        ..CheckOptions::default()
    });
    assert!(report.errors.is_empty(), "{case}: {:?}", report.errors);
    report
}

fn run(case: &str) -> Report {
    run_with(case, EvalOptions::default())
}

fn asset_ids(report: &Report) -> Vec<&str> {
    report.assets.iter().map(|a| a.id.as_str()).collect()
}

fn outcome(report: &Report, control: &str, asset: &str) -> Option<OutcomeKind> {
    report
        .findings
        .iter()
        .find(|f| f.control_id == control && f.asset_id == asset)
        .map(|f| f.outcome)
}

#[test]
fn for_each_over_a_map_gives_one_asset_per_key() {
    let report = run("for-each-map");
    assert_eq!(
        asset_ids(&report),
        ["aws_ecr_repository.r[\"a\"]", "aws_ecr_repository.r[\"b\"]"]
    );
}

#[test]
fn count_instances_link_their_lifecycle_policies_per_index() {
    for case in ["count-link", "element-splat-link"] {
        let report = run(case);
        assert_eq!(
            asset_ids(&report),
            ["aws_ecr_repository.r[0]", "aws_ecr_repository.r[1]"],
            "{case}"
        );
        for asset in asset_ids(&report) {
            assert_eq!(
                outcome(&report, "CTL.ECR.LIFECYCLE.001", asset),
                None,
                "{case}: {asset}"
            );
        }
        assert!(report.notes.is_empty(), "{case}: {:?}", report.notes);
    }
}

#[test]
fn a_dynamic_block_over_an_empty_list_is_absent_not_unknown() {
    let report = run("dynamic-null-encryption");
    assert_eq!(
        outcome(&report, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r"),
        Some(OutcomeKind::Violation)
    );
}

#[test]
fn a_module_call_with_count_zero_yields_no_asset() {
    assert!(run("module-count-false").assets.is_empty());
}

#[test]
fn try_falls_back_when_the_attribute_is_missing() {
    let report = run("try-default");
    assert_eq!(
        outcome(&report, "CTL.ECR.SCAN.001", "aws_ecr_repository.r"),
        None
    );
}

#[test]
fn an_unset_variable_is_inconclusive_and_points_at_its_declaration() {
    let report = run("unset-variable");
    let f = report
        .findings
        .iter()
        .find(|f| f.control_id == "CTL.ECR.SCAN.001")
        .expect("a SCAN result");
    assert_eq!(f.outcome, OutcomeKind::Inconclusive);
    assert!(
        f.reason.as_deref().unwrap().contains("`var.scan`"),
        "{:?}",
        f.reason
    );
    let declaration = f
        .related
        .iter()
        .find(|r| r.message.contains("comes from"))
        .expect("the declaration as a related location");
    assert_eq!(
        report
            .db
            .get(declaration.span.file)
            .line_col(declaration.span.start as usize)
            .0,
        1
    );
}

#[test]
fn variable_precedence_follows_terraform() {
    let scan_fails = |eval: EvalOptions| {
        outcome(
            &run_with("var-precedence", eval),
            "CTL.ECR.SCAN.001",
            "aws_ecr_repository.app",
        ) == Some(OutcomeKind::Violation)
    };
    // terraform.tfvars says false.
    assert!(scan_fails(EvalOptions::default()));
    // --var beats terraform.tfvars.
    assert!(!scan_fails(EvalOptions {
        var_args: vec![VarArg::Var("scan".into(), "true".into())],
        ..EvalOptions::default()
    }));
    // TF_VAR_ is below terraform.tfvars…
    let env: BTreeMap<String, String> = [("scan".to_string(), "true".to_string())].into();
    assert!(scan_fails(EvalOptions {
        env_vars: env.clone(),
        ..EvalOptions::default()
    }));
    // …and used when nothing else sets the variable.
    let report = {
        std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
        check(&CheckOptions {
            paths: vec![PathBuf::from("testdata/cases/eval/unset-variable")],
            eval: EvalOptions {
                env_vars: env,
                ..EvalOptions::default()
            },
            ..CheckOptions::default()
        })
    };
    assert_eq!(
        outcome(&report, "CTL.ECR.SCAN.001", "aws_ecr_repository.r"),
        None
    );
}

#[test]
fn registry_filters_built_with_a_for_expression_in_a_dynamic_block() {
    let report = run("dynamic-registry-filters");
    assert_eq!(
        outcome(
            &report,
            "CTL.ECR.ENHANCED.SCANNING.001",
            "aws_ecr_repository.r[\"payments-api\"]"
        ),
        None
    );
    assert_eq!(
        outcome(
            &report,
            "CTL.ECR.ENHANCED.SCANNING.001",
            "aws_ecr_repository.r[\"search-api\"]"
        ),
        None
    );
    assert_eq!(
        outcome(
            &report,
            "CTL.ECR.ENHANCED.SCANNING.001",
            "aws_ecr_repository.r[\"misc-tool\"]"
        ),
        Some(OutcomeKind::Violation)
    );
}

#[test]
fn installed_remote_modules_are_evaluated_and_missing_ones_noted_once() {
    let report = run("remote-module");
    assert_eq!(asset_ids(&report), ["module.ecr.aws_ecr_repository.this"]);
    assert_eq!(
        outcome(
            &report,
            "CTL.ECR.TAG.IMMUTABLE.001",
            "module.ecr.aws_ecr_repository.this"
        ),
        None
    );
    let notes: Vec<&str> = report.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("module `missing`") && notes[0].contains("terraform init"),
        "{notes:?}"
    );
}

#[test]
fn every_linking_form_links_and_a_dangling_policy_is_a_note() {
    let report = run("link-forms");
    for asset in asset_ids(&report) {
        assert_eq!(
            outcome(&report, "CTL.ECR.LIFECYCLE.001", asset),
            None,
            "{asset} has its lifecycle policy"
        );
    }
    assert_eq!(report.assets.len(), 7);
    let dangling: Vec<&str> = report.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(dangling.len(), 1, "{dangling:?}");
    assert!(dangling[0].contains("not-in-this-configuration"));
}

#[test]
fn nested_dynamic_blocks_with_iterators_next_to_static_blocks() {
    let report = run("nested-dynamic");
    for covered in [
        "aws_ecr_repository.r[\"prod-api\"]",
        "aws_ecr_repository.r[\"release-web\"]",
    ] {
        assert_eq!(
            outcome(&report, "CTL.ECR.SCAN.001", covered),
            None,
            "{covered}"
        );
        assert_eq!(
            outcome(&report, "CTL.ECR.ENHANCED.SCANNING.001", covered),
            None,
            "{covered}"
        );
    }
    assert_eq!(
        outcome(
            &report,
            "CTL.ECR.SCAN.001",
            "aws_ecr_repository.r[\"dev-tool\"]"
        ),
        Some(OutcomeKind::Violation)
    );
}

#[test]
fn optional_object_attributes_take_their_defaults() {
    let report = run("optional-attributes");
    let api = "module.ecr.aws_ecr_repository.this[\"api\"]";
    let worker = "module.ecr.aws_ecr_repository.this[\"worker\"]";
    assert_eq!(
        outcome(&report, "CTL.ECR.TAG.IMMUTABLE.001", api),
        Some(OutcomeKind::Violation)
    );
    assert_eq!(outcome(&report, "CTL.ECR.TAG.IMMUTABLE.001", worker), None);
    assert_eq!(outcome(&report, "CTL.ECR.SCAN.001", api), None);
    assert_eq!(
        outcome(&report, "CTL.ECR.SCAN.001", worker),
        Some(OutcomeKind::Violation)
    );
    // `kms_key` is absent, so null: no encryption block, a definite violation.
    assert_eq!(
        outcome(&report, "CTL.ECR.ENCRYPT.CMK.001", api),
        Some(OutcomeKind::Violation)
    );
}
