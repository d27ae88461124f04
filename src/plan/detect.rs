//! What a JSON input is, decided by its content (SPEC §4.2): a Terraform plan (and which
//! format version), an observation snapshot, or something plangate cannot read.

use super::json::Json;

/// What a JSON document holds.
#[derive(Debug, PartialEq)]
pub enum DocKind {
    /// `terraform show -json` of a saved plan, with its `format_version` (empty when a
    /// trimmed plan has none).
    Plan { format_version: String },
    /// Anything else, with a message saying what it is and what to pass instead.
    Unsupported(String),
}

/// Does plangate understand this plan `format_version`? Terraform documents that a minor
/// version bump only adds fields, so every 1.x reads like 1.0; 0.1 and 0.2 are the
/// pre-1.0 formats (Terraform 0.12 to 0.15), which have the same shape for what we read.
pub fn format_version_supported(version: &str) -> bool {
    let mut parts = version.split('.');
    let (Some(major), Some(minor), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(major), Ok(minor)) = (major.parse::<u32>(), minor.parse::<u32>()) else {
        return false;
    };
    matches!((major, minor), (0, 1) | (0, 2) | (1, _))
}

/// Classifies a parsed JSON document.
pub fn classify(doc: &Json) -> DocKind {
    let Some(_) = doc.members() else {
        return DocKind::Unsupported(
            "this JSON file is not a Terraform plan: a plan (`terraform show -json plan.out`) is a JSON object".into(),
        );
    };
    if let Some(schema) = doc.get("schema_version").and_then(Json::as_str) {
        if schema.starts_with("obs.") {
            return DocKind::Unsupported(format!(
                "this is an observation snapshot (schema_version \"{schema}\"), not a plan"
            ));
        }
    }
    let is_plan = doc.get("planned_values").is_some_and(Json::is_object)
        || doc
            .get("resource_changes")
            .is_some_and(|r| r.items().is_some());
    let Some(version) = doc.get("format_version") else {
        // Terraform always writes `format_version`; a plan trimmed by hand (as test suites
        // and scripts do) still has the plan sections, and reads like a 1.x plan.
        if is_plan {
            return DocKind::Plan {
                format_version: String::new(),
            };
        }
        return DocKind::Unsupported(not_a_plan(doc));
    };
    if !is_plan {
        if doc.get("values").is_some() {
            return DocKind::Unsupported(
                "this is Terraform state (`terraform show -json` without a plan file), not a plan: run `terraform plan -out plan.out` and pass `terraform show -json plan.out`".into(),
            );
        }
        return DocKind::Unsupported(not_a_plan(doc));
    }
    let Some(version) = version.as_str() else {
        return DocKind::Unsupported(
            "this plan's `format_version` is not a string; it is not `terraform show -json` output"
                .into(),
        );
    };
    if !format_version_supported(version) {
        return DocKind::Unsupported(format!(
            "this plan has format_version \"{version}\", which plangate does not know: it reads plan format versions 0.1 through 1.x (Terraform 0.12 and later); a newer plangate may read it"
        ));
    }
    DocKind::Plan {
        format_version: version.to_string(),
    }
}

fn not_a_plan(doc: &Json) -> String {
    let keys: Vec<String> = doc
        .members()
        .unwrap_or_default()
        .iter()
        .take(5)
        .map(|m| format!("`{}`", m.key))
        .collect();
    let has = if keys.is_empty() {
        "it is an empty object".to_string()
    } else {
        format!("it has {}", keys.join(", "))
    };
    format!(
        "this JSON file is not a Terraform plan: a plan has `format_version` and `planned_values` or `resource_changes`, {has}; create one with `terraform show -json plan.out > plan.json`"
    )
}

/// A file that is not text at all: a saved binary plan (a zip archive) gets its own advice.
pub fn binary_plan_hint(bytes: &[u8]) -> Option<String> {
    bytes.starts_with(b"PK\x03\x04").then(|| {
        "this is a binary plan file (`terraform plan -out`); plangate reads its JSON form: `terraform show -json plan.out > plan.json`".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use super::*;

    #[test]
    fn format_versions_0_1_through_1_x() {
        for v in ["0.1", "0.2", "1.0", "1.2", "1.15"] {
            assert!(format_version_supported(v), "{v}");
        }
        for v in ["0.0", "0.3", "2.0", "1", "1.0.0", "one.two", ""] {
            assert!(!format_version_supported(v), "{v}");
        }
    }

    #[test]
    fn plans_snapshots_state_and_other_json() {
        let kind = |t: &str| classify(&parse(t).unwrap());
        assert_eq!(
            kind(r#"{"format_version":"1.2","resource_changes":[]}"#),
            DocKind::Plan {
                format_version: "1.2".into()
            }
        );
        assert_eq!(
            kind(r#"{"format_version":"0.1","planned_values":{}}"#),
            DocKind::Plan {
                format_version: "0.1".into()
            }
        );
        let msg = |t: &str| match kind(t) {
            DocKind::Unsupported(m) => m,
            other => panic!("{other:?}"),
        };
        assert!(msg(r#"{"format_version":"2.0","planned_values":{}}"#).contains("\"2.0\""));
        assert!(msg(r#"{"schema_version":"obs.v0.1","assets":[]}"#).contains("snapshot"));
        assert!(msg(r#"{"format_version":"1.0","values":{}}"#).contains("state"));
        assert!(msg(r#"{"Statement":[]}"#).contains("not a Terraform plan"));
        assert!(msg(r#"{"format_version":"1.0"}"#).contains("not a Terraform plan"));
        // A hand-trimmed plan without its version still reads as a plan.
        assert_eq!(
            kind(r#"{"planned_values":{"root_module":{}}}"#),
            DocKind::Plan {
                format_version: String::new()
            }
        );
        assert!(msg("[1]").contains("not a Terraform plan"));
    }
}
