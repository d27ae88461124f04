//! SPEC §7's bad inputs, each through the binary: a clear message naming the file (and the
//! position where there is one), the other inputs still linted, the documented exit code,
//! no panic, no hang.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const GOOD: &str = "resource \"aws_ecr_repository\" \"ok\" {\n  name = \"ok\"\n}\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plangate-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `plangate check <dir> --format json` with a time limit; returns output and report.
fn check(path: &Path, extra: &[&str]) -> (Output, serde_json::Value) {
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plangate"));
    cmd.arg("check")
        .arg(path)
        .args(["--format", "json"])
        .args(extra);
    let out = cmd.output().expect("run plangate");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{} took {:?}",
        path.display(),
        started.elapsed()
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stderr}", path.display()));
    (out, report)
}

/// The bad file is reported (by name, with a message containing `words`), the good file
/// next to it is still linted, and the exit code is 2.
fn assert_reported(dir: &Path, bad_name: &str, words: &str) -> serde_json::Value {
    std::fs::write(dir.join("ok.tf"), GOOD).unwrap();
    let (out, report) = check(dir, &[]);
    assert_eq!(out.status.code(), Some(2), "{report}");
    let errors = report["errors"].as_array().unwrap();
    let error = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with(bad_name))
        .unwrap_or_else(|| panic!("no error for {bad_name}: {errors:?}"));
    assert!(
        error["message"].as_str().unwrap().contains(words),
        "{error}"
    );
    assert!(
        report["assets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == "aws_ecr_repository.ok"),
        "the good file is still linted"
    );
    error.clone()
}

#[test]
fn malformed_hcl_names_file_and_line() {
    let dir = scratch("hcl");
    std::fs::write(
        dir.join("bad.tf"),
        "resource \"aws_ecr_repository\" \"x\" {\n  name = \n}\n",
    )
    .unwrap();
    let error = assert_reported(&dir, "bad.tf", "expected");
    assert_eq!(error["location"]["start"]["line"], 2);
}

#[test]
fn malformed_tf_json_names_file_and_position() {
    let dir = scratch("json");
    std::fs::write(
        dir.join("bad.tf.json"),
        "{\"resource\": {\"aws_ecr_repository\": {\"x\": {\"name\": \"x\",}}}}",
    )
    .unwrap();
    let error = assert_reported(&dir, "bad.tf.json", "railing comma");
    assert_eq!(error["location"]["start"]["line"], 1);
}

#[test]
fn binary_and_non_utf8_files() {
    let dir = scratch("binary");
    std::fs::write(dir.join("main.tf"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    assert_reported(&dir, "main.tf", "binary");
    let dir = scratch("latin1");
    std::fs::write(dir.join("main.tf"), b"# caf\xe9\nresource \"x\" \"y\" {}\n").unwrap();
    assert_reported(&dir, "main.tf", "line 1, column 6");
}

#[test]
fn a_utf8_byte_order_mark_is_fine() {
    let dir = scratch("bom");
    std::fs::write(dir.join("main.tf"), format!("\u{feff}{GOOD}")).unwrap();
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        report["assets"][0]["location"]["start"],
        serde_json::json!({"line": 1, "column": 1})
    );
}

#[test]
fn a_fifty_megabyte_file_is_linted() {
    let dir = scratch("big");
    let mut text = String::from(GOOD);
    let comment = format!("# {}\n", "x".repeat(1000));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&comment);
    }
    std::fs::write(dir.join("main.tf"), text).unwrap();
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", report["errors"]);
    assert_eq!(report["summary"]["assets"], 1);
}

#[test]
fn a_file_above_the_size_limit_is_refused_with_its_size() {
    let dir = scratch("huge");
    let f = std::fs::File::create(dir.join("huge.tf")).unwrap();
    f.set_len(70 * 1024 * 1024).unwrap();
    assert_reported(&dir, "huge.tf", "larger than");
}

#[test]
fn an_expression_nested_ten_thousand_deep() {
    let dir = scratch("deep");
    let deep = format!(
        "locals {{\n  a = {}1{}\n}}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    std::fs::write(dir.join("deep.tf"), deep).unwrap();
    assert_reported(&dir, "deep.tf", "nest");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_and_a_link_out_of_the_tree_are_not_followed() {
    let dir = scratch("loop");
    std::fs::write(dir.join("main.tf"), GOOD).unwrap();
    std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
    std::os::unix::fs::symlink("/", dir.join("root")).unwrap();
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(report["summary"]["assets"], 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    let bad = dir.join("secret.tf");
    std::fs::write(&bad, GOOD.replace("ok", "secret")).unwrap();
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&bad).is_ok() {
        // Running as root: permissions do not stop reads, so there is nothing to test.
        return;
    }
    assert_reported(&dir, "secret.tf", "permission denied");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let dir = scratch("fifo");
    let status = Command::new("mkfifo").arg(dir.join("pipe.tf")).status();
    if !status.is_ok_and(|s| s.success()) {
        return;
    }
    assert_reported(&dir, "pipe.tf", "not a regular file");
}

#[test]
fn a_directory_without_terraform() {
    let dir = scratch("empty");
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no Terraform files"));
}

#[test]
fn an_invalid_policy_document_is_inconclusive_with_the_reason() {
    let dir = scratch("policy");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\nresource \"aws_ecr_repository_policy\" \"p\" {\n  repository = aws_ecr_repository.r.name\n  policy     = \"{\\\"Statement\\\": [\"\n}\n",
    )
    .unwrap();
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let public = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["control_id"] == "CTL.ECR.PUBLIC.001")
        .expect("a PUBLIC result");
    assert_eq!(public["outcome"], "inconclusive");
    assert!(
        public["reason"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{public}"
    );
    assert_eq!(public["location"]["start"]["line"], 6);
}

#[test]
fn a_plan_with_an_unknown_format_version() {
    let dir = scratch("plan");
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version": "9.0", "planned_values": {}, "resource_changes": []}"#,
    )
    .unwrap();
    let good = dir.join("good");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::write(good.join("main.tf"), GOOD).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plangate"));
    let out = cmd
        .arg("check")
        .arg(&plan)
        .arg(&good)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("9.0"),
        "{}",
        report["errors"]
    );
    assert_eq!(report["summary"]["assets"], 1);
}

#[test]
fn runaway_expansion_stops_with_a_note() {
    let dir = scratch("runaway");
    std::fs::write(
        dir.join("main.tf"),
        "locals {\n  x0 = [\"a\", \"b\"]\n  x1 = [for a in local.x0 : [for b in local.x0 : [a, b]]]\n  big = [for i in range(1000) : [for j in range(1000) : [for k in range(1000) : k]]]\n}\nresource \"aws_ecr_repository\" \"r\" {\n  count = 1e9\n  name  = \"r\"\n}\nresource \"aws_ecr_repository\" \"s\" {\n  name = length(local.big) > 0 ? \"s\" : \"t\"\n}\n",
    )
    .unwrap();
    let (out, report) = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`count` must be a whole number")),
        "{notes:?}"
    );
}

#[test]
fn overlapping_path_arguments_are_scanned_once_without_error() {
    let dir = scratch("overlap");
    std::fs::create_dir_all(dir.join("envs")).unwrap();
    std::fs::write(dir.join("envs/main.tf"), GOOD).unwrap();
    let (out, report) = check(&dir, &[dir.join("envs").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", report["errors"]);
    assert_eq!(report["summary"]["assets"], 1);
}
