//! `plangate snapshot`: the output validates against the committed JSON Schema.

use std::path::Path;
use std::process::Command;

fn snapshot(path: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["snapshot", path, "--now", "2026-06-01T00:00:00Z"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/snapshot.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

#[test]
fn snapshots_validate_against_the_schema() {
    let validator = validator();
    for path in [
        "examples/insecure",
        "examples/hardened",
        "testdata/cases/eval/unset-variable",
        "testdata/CTL.ECR.INCOMPLETE.001",
        "testdata/CTL.ECR.PUBLIC.001",
        "testdata/CTL.ECR.TAG.IMMUTABLE.001",
    ] {
        let doc = snapshot(path);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
        assert!(!doc["assets"].as_array().unwrap().is_empty(), "{path}");
    }
}

#[test]
fn the_schema_rejects_what_it_should() {
    let validator = validator();
    let mut doc = snapshot("examples/insecure");
    assert!(validator.is_valid(&doc));
    doc["captured_at"] = serde_json::json!("yesterday");
    assert!(!validator.is_valid(&doc), "format checks are on");
    let mut doc = snapshot("examples/insecure");
    doc["assets"][0]["properties"]["container_registry"]["image_tag_mutability"] =
        serde_json::json!("SOMETIMES");
    assert!(!validator.is_valid(&doc));
}

#[test]
fn unknown_fields_are_left_out_and_explained_in_the_extension() {
    let doc = snapshot("testdata/cases/eval/unset-variable");
    let asset = &doc["assets"][0];
    assert!(asset["properties"]["container_registry"]["scanning"]
        .get("scan_on_push")
        .is_none());
    assert!(asset["plangate"]["unknown"]["scanning.scan_on_push"]
        .as_str()
        .unwrap()
        .contains("`var.scan`"));
}
