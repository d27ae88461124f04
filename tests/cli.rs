//! The binary as users run it: exit codes, parse errors, the JSON report's exact shape.

use std::path::Path;
use std::process::{Command, Output};

fn plangate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("TF_VAR_scan")
        .output()
        .expect("run plangate")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn violations_exit_1_and_a_clean_threshold_exits_0() {
    let out = plangate(&["check", "examples/insecure"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Only SIGNING (medium) remains on the clean case: failing on high passes.
    let out = plangate(&["check", "testdata/cases/clean", "--fail-on", "high"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = plangate(&["check", "testdata/cases/clean", "--fail-on", "medium"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_clean_case_only_lacks_signing_and_the_hardened_example_passes() {
    let report = json(&plangate(&[
        "check",
        "testdata/cases/clean",
        "--format",
        "json",
    ]));
    let results = report["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(r["control_id"], "CTL.ECR.SIGNING.001", "{r}");
    }
    // The hardened example declares signature enforcement in its .plangate.yaml.
    let out = plangate(&["check", "examples/hardened", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["results"].as_array().unwrap().len(), 0);
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = std::env::temp_dir().join(format!("plangate-init-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_plangate"))
            .arg("init")
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0));
    let text = std::fs::read_to_string(dir.join(".plangate.yaml")).unwrap();
    assert!(plangate::config::parse(&text).is_ok());
    assert_eq!(run().status.code(), Some(2), "does not overwrite");
}

#[test]
fn write_baseline_then_baseline_suppresses_everything() {
    let baseline = std::env::temp_dir().join(format!("plangate-bl-{}.json", std::process::id()));
    let b = baseline.to_str().unwrap();
    assert_eq!(
        plangate(&["check", "examples/insecure", "--write-baseline", b])
            .status
            .code(),
        Some(1)
    );
    let out = plangate(&[
        "check",
        "examples/insecure",
        "--baseline",
        b,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["summary"]["violations"], 0);
    assert_eq!(report["results"][0]["suppression"]["kind"], "baseline");
}

#[test]
fn a_parse_error_is_reported_with_its_position_and_other_files_are_still_linted() {
    let out = plangate(&["check", "testdata/cases/parse-error", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["file"], "testdata/cases/parse-error/broken.tf");
    assert_eq!(errors[0]["location"]["start"]["line"], 3);
    // The good file in the same directory is still linted.
    assert!(report["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["asset_id"] == "aws_ecr_repository.still_linted"));

    let text = plangate(&["check", "testdata/cases/parse-error"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("cannot parse testdata/cases/parse-error/broken.tf"),
        "{stdout}"
    );
    assert!(stdout.contains("broken.tf:3:26"), "{stdout}");
}

#[test]
fn missing_paths_and_empty_directories_are_input_errors() {
    let out = plangate(&["check", "testdata/does-not-exist", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(json(&out)["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no such file"));
    let empty = std::env::temp_dir().join(format!("plangate-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = plangate(&["check", empty.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(json(&out)["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no Terraform files"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        plangate(&["check", "--fail-on", "severe"]).status.code(),
        Some(2)
    );
    assert_eq!(
        plangate(&["check", "--var", "novalue"]).status.code(),
        Some(2)
    );
    assert_eq!(
        plangate(&["explain", "CTL.NOPE.001"]).status.code(),
        Some(2)
    );
}

#[test]
fn controls_and_explain_print_the_catalogue() {
    let out = plangate(&["controls"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 10);
    assert!(stdout.contains("CTL.ECR.PUBLIC.001"));
    let out = plangate(&["explain", "CTL.ECR.PUBLIC.001"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ECR Repository Must Not Be Public"));
    assert!(stdout.contains("fedramp_moderate: AC-3"));
    assert!(stdout.contains("properties.container_registry.access.public eq true"));
}

#[test]
fn var_on_the_command_line_beats_tfvars() {
    let dir = "testdata/cases/var-precedence";
    let scan = |args: &[&str]| {
        let mut all = vec!["check", dir, "--format", "json"];
        all.extend_from_slice(args);
        let report = json(&plangate(&all));
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["control_id"] == "CTL.ECR.SCAN.001")
    };
    // terraform.tfvars says scan = false.
    assert!(scan(&[]));
    assert!(!scan(&["--var", "scan=true"]));
    // Later arguments win.
    assert!(scan(&["--var", "scan=true", "--var", "scan=false"]));
}

/// The JSON report of the insecure example, byte for byte. Regenerate with
/// `cargo run -- check examples/insecure --format json > tests/golden/insecure.json`
/// after an intended change, and review the diff.
#[test]
fn json_report_matches_the_golden_file() {
    let out = plangate(&["check", "examples/insecure", "--format", "json"]);
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/insecure.json");
    let golden = std::fs::read_to_string(&golden_path).expect("golden file");
    let actual = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        actual, golden,
        "JSON report changed; see the comment above this test"
    );
    // And its shape is SPEC §6's.
    let report: serde_json::Value = serde_json::from_str(&actual).unwrap();
    assert_eq!(report["schema_version"], "plangate.report/v1");
    for key in [
        "tool",
        "assets",
        "results",
        "not_evaluated",
        "errors",
        "summary",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    let result = &report["results"][0];
    for key in [
        "control_id",
        "asset_id",
        "root",
        "outcome",
        "severity",
        "message",
        "location",
        "related",
        "reason",
        "suppression",
    ] {
        assert!(result.get(key).is_some(), "result missing {key}");
    }
    for key in ["file", "start", "end"] {
        assert!(result["location"].get(key).is_some());
    }
    let asset = &report["assets"][0];
    for key in ["id", "root", "type", "kind", "location"] {
        assert!(asset.get(key).is_some(), "asset missing {key}");
    }
}
