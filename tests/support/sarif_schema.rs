//! The official SARIF 2.1.0 schema as a validator, shared by the unit tests of
//! `src/report/sarif.rs` and `tests/formats.rs` (included with `#[path]`).

use std::path::Path;

use serde_json::Value as Json;

/// The schema (`tests/schemas`, unmodified) with format checks on. Its language-tag
/// pattern is malformed (`…[a-zA-Z]{2}]?$`, a stray bracket that strict regex engines
/// refuse): replaced here by the pattern it means.
pub fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("schema file");
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(
        text.contains(broken),
        "the schema's pattern changed; revisit this patch"
    );
    let text = text.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Json = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Every way `doc` breaks the schema, with where.
pub fn errors(validator: &jsonschema::Validator, doc: &Json) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}
