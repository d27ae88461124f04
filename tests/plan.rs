//! Plan input as users run it: `plangate check plan.json`, `… | plangate check -`, with and
//! without the Terraform sources next to the plan. Fixtures are in `testdata/plans/` (see
//! its README); the real plans in `../shared/plans/` are used when present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value as Json;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plangate");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn plangate(args: &[&str]) -> Output {
    run_in(manifest(), args, None)
}

fn report(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn check_json(args: &[&str]) -> Json {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    report(&plangate(&all))
}

/// (control id, asset id, outcome, file, line) of every result.
fn results(report: &Json) -> Vec<(String, String, String, String, u64)> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["control_id"].as_str().unwrap().to_string(),
                r["asset_id"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
                r["location"]["file"].as_str().unwrap().to_string(),
                r["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn result<'r>(report: &'r Json, control: &str, asset: &str) -> Option<&'r Json> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["control_id"] == control && r["asset_id"] == asset)
}

fn asset_ids(report: &Json) -> Vec<String> {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

fn errors(report: &Json) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plangate-plan-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn shared_plan(name: &str) -> Option<PathBuf> {
    let path = manifest().join("../shared/plans").join(name);
    if path.exists() {
        Some(path)
    } else {
        println!("note: {} is absent; skipping", path.display());
        None
    }
}

const TERRAGOAT: &str = "terragoat-format-0.1.json";

#[test]
fn the_real_plans_lint_without_error() {
    for name in [
        TERRAGOAT,
        "after-unknown.json",
        "module-call-terraform-1.14.json",
    ] {
        let Some(path) = shared_plan(name) else {
            continue;
        };
        let out = plangate(&["check", "--format", "json", path.to_str().unwrap()]);
        assert_ne!(out.status.code(), Some(2), "{name}");
        assert!(errors(&report(&out)).is_empty(), "{name}");
    }
}

#[test]
fn terragoat_repository_violates_five_controls_at_its_plan_values() {
    let Some(path) = shared_plan(TERRAGOAT) else {
        return;
    };
    let out = plangate(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let r = report(&out);
    assert_eq!(asset_ids(&r), ["aws_ecr_repository.repository"]);
    let mut violated: Vec<String> = results(&r)
        .into_iter()
        .filter(|(_, asset, outcome, ..)| {
            asset == "aws_ecr_repository.repository" && outcome == "violation"
        })
        .map(|(control, ..)| control)
        .collect();
    violated.sort();
    assert_eq!(
        violated,
        [
            "CTL.ECR.ENCRYPT.CMK.001",
            "CTL.ECR.LIFECYCLE.001",
            "CTL.ECR.SCAN.001",
            "CTL.ECR.SIGNING.001",
            "CTL.ECR.TAG.IMMUTABLE.001",
        ]
    );
    // Without sources, findings point into the plan: the value, or the resource's address
    // when a default decided; the JSON pointer is the evidence.
    let tag = result(
        &r,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "aws_ecr_repository.repository",
    )
    .unwrap();
    assert_eq!(tag["location"]["start"]["line"], 1540);
    assert_eq!(tag["location"]["start"]["column"], 35);
    assert_eq!(
        tag["evidence"]["json_pointer"],
        "/resource_changes/6/change/after/image_tag_mutability"
    );
    let cmk = result(
        &r,
        "CTL.ECR.ENCRYPT.CMK.001",
        "aws_ecr_repository.repository",
    )
    .unwrap();
    assert_eq!(cmk["location"]["start"]["line"], 1527);
    assert_eq!(
        cmk["evidence"]["json_pointer"],
        "/resource_changes/6/address"
    );
}

#[test]
fn terragoat_reads_the_same_in_utf16_and_with_a_byte_order_mark() {
    let Some(path) = shared_plan(TERRAGOAT) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let dir = temp_dir("encodings");
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
    // Windows line ends too, as PowerShell writes them.
    let crlf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            text.replace('\n', "\r\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let baseline = results(&check_json(&[path.to_str().unwrap()]))
        .into_iter()
        .map(|(c, a, o, _, line)| (c, a, o, line))
        .collect::<Vec<_>>();
    for (name, bytes) in [
        ("utf16le.json", utf16le),
        ("utf16be.json", utf16be),
        ("bom.json", bom),
        ("tfplan", crlf16),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let r = check_json(&[file.to_str().unwrap()]);
        assert!(errors(&r).is_empty(), "{name}: {:?}", errors(&r));
        let got: Vec<_> = results(&r)
            .into_iter()
            .map(|(c, a, o, _, line)| (c, a, o, line))
            .collect();
        assert_eq!(got, baseline, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plan_is_read_from_standard_input() {
    let plan = std::fs::read(manifest().join("testdata/plans/module-for-each/plan.json")).unwrap();
    let out = run_in(manifest(), &["check", "-", "--format", "json"], Some(&plan));
    let r = report(&out);
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    assert_eq!(
        asset_ids(&r),
        ["module.ecr[\"main\"].aws_ecr_repository.this[0]"]
    );
    assert!(results(&r)
        .iter()
        .all(|(_, _, _, file, _)| file == "<stdin>"));
}

#[test]
fn module_for_each_with_a_delete_only_change_is_one_asset() {
    let r = check_json(&["testdata/plans/module-for-each/plan.json"]);
    assert!(errors(&r).is_empty());
    // `module.ecr["old"]` is only deleted and the data source only read: neither is an
    // asset.
    assert_eq!(
        asset_ids(&r),
        ["module.ecr[\"main\"].aws_ecr_repository.this[0]"]
    );
    assert_eq!(
        r["assets"][0]["root"],
        "testdata/plans/module-for-each/plan.json"
    );
    let tag = result(
        &r,
        "CTL.ECR.TAG.IMMUTABLE.001",
        "module.ecr[\"main\"].aws_ecr_repository.this[0]",
    );
    assert!(tag.is_none(), "the repository is IMMUTABLE");
}

#[test]
fn an_unknown_kms_key_referencing_a_kms_key_resource_is_customer_managed() {
    let r = check_json(&["testdata/plans/kms-unknown-from-configuration/plan.json"]);
    assert!(errors(&r).is_empty());
    assert_eq!(asset_ids(&r), ["aws_ecr_repository.r"]);
    assert!(result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").is_none());
}

/// The kms fixture, changed by `edit`, in a temporary file.
fn edited_kms_plan(name: &str, edit: impl Fn(&mut Json)) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(
        manifest().join("testdata/plans/kms-unknown-from-configuration/plan.json"),
    )
    .unwrap();
    let mut plan: Json = serde_json::from_str(&text).unwrap();
    edit(&mut plan);
    let dir = temp_dir(name);
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    (dir, file)
}

#[test]
fn an_unknown_kms_key_without_configuration_is_inconclusive() {
    let (dir, file) = edited_kms_plan("no-configuration", |plan| {
        plan.as_object_mut().unwrap().remove("configuration");
    });
    let r = check_json(&[file.to_str().unwrap()]);
    let cmk = result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").unwrap();
    assert_eq!(cmk["outcome"], "inconclusive");
    let reason = cmk["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "`aws_ecr_repository.r.encryption_configuration[0].kms_key` is known only after apply"
        ),
        "{reason}"
    );
    assert_eq!(
        cmk["evidence"]["json_pointer"],
        "/resource_changes/0/change/after_unknown/encryption_configuration/0/kms_key"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kms_without_a_configured_key_is_the_aws_managed_key() {
    let (dir, file) = edited_kms_plan("no-key", |plan| {
        let resources = plan["configuration"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap();
        let enc = &mut resources[0]["expressions"]["encryption_configuration"][0];
        enc.as_object_mut().unwrap().remove("kms_key");
    });
    let r = check_json(&[file.to_str().unwrap()]);
    let cmk = result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").unwrap();
    assert_eq!(cmk["outcome"], "violation");
    assert!(cmk["message"].as_str().unwrap().contains("aws/ecr"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_counted_kms_key_referenced_without_an_index_is_customer_managed() {
    let (dir, file) = edited_kms_plan("counted-key", |plan| {
        let changes = plan["resource_changes"].as_array_mut().unwrap();
        let mut second = changes[1].clone();
        changes[1]["address"] = "aws_kms_key.k[0]".into();
        changes[1]["index"] = 0.into();
        second["address"] = "aws_kms_key.k[1]".into();
        second["index"] = 1.into();
        changes.push(second);
        let resources = plan["configuration"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap();
        resources[0]["expressions"]["encryption_configuration"][0]["kms_key"] =
            serde_json::json!({"references": ["aws_kms_key.k", "count.index"]});
    });
    let r = check_json(&[file.to_str().unwrap()]);
    assert!(errors(&r).is_empty());
    assert!(result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_policy_links_to_a_repository_whose_name_is_known_only_after_apply() {
    let r = check_json(&["testdata/plans/unknown-repository-name/plan.json"]);
    assert!(errors(&r).is_empty());
    assert_eq!(asset_ids(&r), ["aws_ecr_repository.r"]);
    assert!(result(&r, "CTL.ECR.LIFECYCLE.001", "aws_ecr_repository.r").is_none());
    assert!(r["notes"].as_array().unwrap().is_empty(), "{}", r["notes"]);
}

const APP: &str = "module.app.aws_ecr_repository.this";
const BASE: &str = "module.base.aws_ecr_repository.this";

/// `(file, line)` of a result.
fn at(r: &Json, control: &str, asset: &str) -> (String, u64) {
    let res = result(r, control, asset).unwrap_or_else(|| panic!("no {control} on {asset}"));
    (
        res["location"]["file"].as_str().unwrap().to_string(),
        res["location"]["start"]["line"].as_u64().unwrap(),
    )
}

#[test]
fn with_sources_next_to_the_plan_findings_point_at_the_right_modules_tf_lines() {
    let r = check_json(&["testdata/plans/two-modules/plan.json"]);
    assert!(errors(&r).is_empty());
    let dir = "testdata/plans/two-modules/modules";
    assert_eq!(
        at(&r, "CTL.ECR.TAG.IMMUTABLE.001", APP),
        (format!("{dir}/app/main.tf"), 7)
    );
    assert_eq!(
        at(&r, "CTL.ECR.TAG.IMMUTABLE.001", BASE),
        (format!("{dir}/base/main.tf"), 15)
    );
    // A default points at the resource header; a nested block's argument at its line.
    assert_eq!(
        at(&r, "CTL.ECR.ENCRYPT.CMK.001", BASE),
        (format!("{dir}/base/main.tf"), 8)
    );
    assert_eq!(
        at(&r, "CTL.ECR.SCAN.001", BASE),
        (format!("{dir}/base/main.tf"), 12)
    );
    // The plan value is still named.
    let tag = result(&r, "CTL.ECR.TAG.IMMUTABLE.001", BASE).unwrap();
    assert_eq!(
        tag["evidence"]["json_pointer"],
        "/resource_changes/1/change/after/image_tag_mutability"
    );
    assert_eq!(
        tag["evidence"]["location"]["file"],
        "testdata/plans/two-modules/plan.json"
    );
    // Assets are located at their resource blocks.
    let locations: Vec<(String, u64)> = r["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["location"]["file"].as_str().unwrap().to_string(),
                a["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        locations,
        [
            (format!("{dir}/app/main.tf"), 5),
            (format!("{dir}/base/main.tf"), 8)
        ]
    );
    // The text output shows the .tf line and names the plan value.
    let text = plangate(&["check", "testdata/plans/two-modules/plan.json"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("modules/base/main.tf:15:3"), "{stdout}");
    assert!(stdout.contains("plan value: /resource_changes/1/change/after/image_tag_mutability at testdata/plans/two-modules/plan.json:"), "{stdout}");
}

#[test]
fn plan_and_hcl_inputs_give_the_same_asset_ids() {
    let from_hcl = check_json(&["testdata/plans/two-modules"]);
    let from_plan = check_json(&["testdata/plans/two-modules/plan.json"]);
    assert_eq!(asset_ids(&from_hcl), asset_ids(&from_plan));
    assert_eq!(asset_ids(&from_plan), [APP, BASE]);
    // And the same findings at the same lines.
    let strip = |r: &Json| -> Vec<(String, String, String, u64)> {
        results(r)
            .into_iter()
            .map(|(c, a, _, f, l)| (c, a, f, l))
            .collect()
    };
    assert_eq!(strip(&from_hcl), strip(&from_plan));
}

#[test]
fn source_dir_and_standard_input_find_the_sources() {
    let sources = manifest().join("testdata/plans/two-modules");
    let dir = temp_dir("source-dir");
    let copy = dir.join("plan.json");
    std::fs::copy(sources.join("plan.json"), &copy).unwrap();

    // Alone, the copied plan has no sources: findings stay in the plan.
    let r = check_json(&[copy.to_str().unwrap()]);
    let (file, _) = at(&r, "CTL.ECR.TAG.IMMUTABLE.001", APP);
    assert!(file.ends_with("plan.json"), "{file}");

    let r = check_json(&[
        copy.to_str().unwrap(),
        "--source-dir",
        "testdata/plans/two-modules",
    ]);
    assert_eq!(
        at(&r, "CTL.ECR.TAG.IMMUTABLE.001", APP),
        (
            "testdata/plans/two-modules/modules/app/main.tf".to_string(),
            7
        )
    );

    // `terraform show -json plan.out | plangate check -` in the root module's directory.
    let plan = std::fs::read(sources.join("plan.json")).unwrap();
    let out = run_in(&sources, &["check", "-", "--format", "json"], Some(&plan));
    let r = report(&out);
    assert_eq!(
        at(&r, "CTL.ECR.TAG.IMMUTABLE.001", BASE),
        ("modules/base/main.tf".to_string(), 15)
    );

    // A --source-dir without Terraform files is an input error; the plan is still linted.
    let out = plangate(&[
        "check",
        "--format",
        "json",
        copy.to_str().unwrap(),
        "--source-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let r = report(&out);
    assert!(errors(&r)[0].contains("--source-dir"), "{:?}", errors(&r));
    assert!(result(&r, "CTL.ECR.TAG.IMMUTABLE.001", APP).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_that_is_not_a_plan_plangate_reads_is_a_clear_error() {
    let dir = temp_dir("not-plans");
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "future.json",
            br#"{"format_version":"2.0","planned_values":{"root_module":{}}}"#,
            "format_version \"2.0\"",
        ),
        (
            "policy.json",
            br#"{"Version":"2012-10-17","Statement":[]}"#,
            "not a Terraform plan",
        ),
        (
            "state.json",
            br#"{"format_version":"1.0","values":{"root_module":{}}}"#,
            "Terraform state",
        ),
        (
            "broken.json",
            br#"{"format_version": "1.0", "#,
            "does not parse",
        ),
        ("plan.out", b"PK\x03\x04\x14\x00binary", "binary plan file"),
        ("list.json", b"[1, 2]", "not a Terraform plan"),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = plangate(&["check", "--format", "json", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let r = report(&out);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1, "{name}: {errs:?}");
        assert!(errs[0].contains(expected), "{name}: {}", errs[0]);
        assert!(r["errors"][0]["file"].as_str().unwrap().ends_with(name));
    }
    // A bad plan next to a good one: the good one is still linted.
    let out = plangate(&[
        "check",
        "--format",
        "json",
        dir.join("future.json").to_str().unwrap(),
        "testdata/plans/module-for-each/plan.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(asset_ids(&report(&out)).len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_key_read_by_a_kms_data_source_is_classified_by_what_it_read() {
    const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/0b7c3f7e-4a5d-4c2a-9f55-2e1d3c4b5a69";
    let plan_with = |name: &str, data: Json| {
        edited_kms_plan(name, |plan| {
            let repo = &mut plan["resource_changes"][0]["change"];
            repo["after"]["encryption_configuration"][0]["kms_key"] = KEY.into();
            repo["after_unknown"]["encryption_configuration"][0] = serde_json::json!({});
            plan["prior_state"] = serde_json::json!({
                "format_version": "1.0",
                "terraform_version": "1.9.8",
                "values": {"root_module": {"resources": [data.clone()]}}
            });
        })
    };
    // `data "aws_kms_alias"` of alias/aws/ecr: the AWS-managed key, whatever its ARN.
    let (dir, file) = plan_with(
        "alias-data",
        serde_json::json!({
            "address": "data.aws_kms_alias.ecr", "mode": "data", "type": "aws_kms_alias",
            "name": "ecr", "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": {"arn": "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr",
                       "id": "alias/aws/ecr", "name": "alias/aws/ecr",
                       "target_key_arn": KEY, "target_key_id": "0b7c3f7e-4a5d-4c2a-9f55-2e1d3c4b5a69"},
            "sensitive_values": {}
        }),
    );
    let r = check_json(&[file.to_str().unwrap()]);
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    let cmk = result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").unwrap();
    assert_eq!(cmk["outcome"], "violation");
    let _ = std::fs::remove_dir_all(&dir);
    // `data "aws_kms_key"` says who manages the key it read.
    for (manager, violates) in [("AWS", true), ("CUSTOMER", false)] {
        let (dir, file) = plan_with(
            &format!("key-data-{manager}"),
            serde_json::json!({
                "address": "data.aws_kms_key.k", "mode": "data", "type": "aws_kms_key",
                "name": "k", "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": {"arn": KEY, "id": "0b7c3f7e-4a5d-4c2a-9f55-2e1d3c4b5a69",
                           "key_id": "alias/team", "key_manager": manager},
                "sensitive_values": {}
            }),
        );
        let r = check_json(&[file.to_str().unwrap()]);
        assert_eq!(
            result(&r, "CTL.ECR.ENCRYPT.CMK.001", "aws_ecr_repository.r").is_some(),
            violates,
            "{manager}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
