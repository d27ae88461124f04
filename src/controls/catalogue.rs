//! The control catalogue: `ctrl.v1` YAML files, the ten ECR controls embedded at build time,
//! plus any a user loads with `--controls DIR`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::predicate::Predicate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A compliance reference list; `ctrl.v1` files write one reference as a plain string.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum Refs {
    One(String),
    Many(Vec<String>),
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Remediation {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub action: String,
}

#[derive(Debug, Deserialize)]
struct ControlFile {
    dsl_version: String,
    id: String,
    name: String,
    description: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(rename = "type")]
    control_type: String,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    compliance: BTreeMap<String, Refs>,
    #[serde(default)]
    applies_to: Vec<String>,
    #[serde(default)]
    remediation: Option<Remediation>,
    // Older `ctrl.v1` files call it `mitigation`.
    #[serde(default)]
    mitigation: Option<Remediation>,
    unsafe_predicate: Predicate,
}

#[derive(Clone, Debug)]
pub struct Control {
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub control_type: String,
    pub domain: String,
    pub compliance: BTreeMap<String, Vec<String>>,
    /// Asset kinds the control applies to; empty = all.
    pub applies_to: Vec<String>,
    pub remediation: Remediation,
    pub predicate: Predicate,
}

impl Control {
    pub fn applies_to_kind(&self, kind: &str) -> bool {
        self.applies_to.is_empty() || self.applies_to.iter().any(|k| k == kind)
    }

    /// `nist_800_53_r5: SC-28; soc2: CC6.1` — for one-line displays.
    pub fn compliance_line(&self) -> String {
        self.compliance
            .iter()
            .map(|(framework, refs)| format!("{framework}: {}", refs.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The controls shipped with plangate, embedded at build time.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "CTL.ECR.ENCRYPT.CMK.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.ENCRYPT.CMK.001.yaml"),
    ),
    (
        "CTL.ECR.ENHANCED.SCANNING.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.ENHANCED.SCANNING.001.yaml"),
    ),
    (
        "CTL.ECR.FINDINGS.UNRESOLVED.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.FINDINGS.UNRESOLVED.001.yaml"),
    ),
    (
        "CTL.ECR.INCOMPLETE.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.INCOMPLETE.001.yaml"),
    ),
    (
        "CTL.ECR.LIFECYCLE.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.LIFECYCLE.001.yaml"),
    ),
    (
        "CTL.ECR.POLICY.BROAD.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.POLICY.BROAD.001.yaml"),
    ),
    (
        "CTL.ECR.PUBLIC.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.PUBLIC.001.yaml"),
    ),
    (
        "CTL.ECR.SCAN.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.SCAN.001.yaml"),
    ),
    (
        "CTL.ECR.SIGNING.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.SIGNING.001.yaml"),
    ),
    (
        "CTL.ECR.TAG.IMMUTABLE.001.yaml",
        include_str!("../../rules/ecr/CTL.ECR.TAG.IMMUTABLE.001.yaml"),
    ),
];

/// Parses and validates one control file. `file_name` must be `<id>.yaml`.
pub fn parse_control(file_name: &str, text: &str) -> Result<Control, String> {
    let file: ControlFile =
        serde_yaml_ng::from_str(text).map_err(|e| format!("{file_name}: {e}"))?;
    if file.dsl_version != "ctrl.v1" {
        return Err(format!(
            "{file_name}: dsl_version must be `ctrl.v1`, found `{}`",
            file.dsl_version
        ));
    }
    let id_ok = file.id.starts_with("CTL.")
        && file.id.split('.').count() >= 3
        && file
            .id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '_');
    if !id_ok {
        return Err(format!(
            "{file_name}: `{}` is not a control id (CTL.<DOMAIN>.<CATEGORY>.<NNN>)",
            file.id
        ));
    }
    let stem = file_name
        .strip_suffix(".yaml")
        .or_else(|| file_name.strip_suffix(".yml"))
        .unwrap_or(file_name);
    if stem != file.id {
        return Err(format!(
            "{file_name}: the file name must be the control id `{}`",
            file.id
        ));
    }
    if file.control_type != "unsafe_state" {
        return Err(format!(
            "{file_name}: type `{}` is not supported (only unsafe_state)",
            file.control_type
        ));
    }
    if file.name.trim().is_empty() || file.description.trim().is_empty() {
        return Err(format!(
            "{file_name}: name and description must not be empty"
        ));
    }
    file.unsafe_predicate
        .validate()
        .map_err(|e| format!("{file_name}: unsafe_predicate: {e}"))?;
    Ok(Control {
        id: file.id,
        name: file.name.trim().to_string(),
        description: file.description.trim().to_string(),
        severity: file.severity.unwrap_or(Severity::Medium),
        control_type: file.control_type,
        domain: file.domain.unwrap_or_default(),
        compliance: file
            .compliance
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    match v {
                        Refs::One(s) => vec![s],
                        Refs::Many(v) => v,
                    },
                )
            })
            .collect(),
        applies_to: file.applies_to,
        remediation: file.remediation.or(file.mitigation).unwrap_or_default(),
        predicate: file.unsafe_predicate,
    })
}

/// The embedded catalogue. The files are validated by a test, so failure here is a bug.
pub fn builtin() -> Vec<Control> {
    EMBEDDED
        .iter()
        .map(|(name, text)| {
            parse_control(name, text).unwrap_or_else(|e| panic!("embedded control is invalid: {e}"))
        })
        .collect()
}

/// Loads every `*.yaml` control under `dir` (recursively), sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Control>, String> {
    let mut files = Vec::new();
    collect_yaml(dir, &mut files, 0)?;
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = crate::discover::read_capped(path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            parse_control(name, &text).map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

fn collect_yaml(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_is_embedded_valid_and_named_by_its_id() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/ecr");
        let from_disk = load_dir(&dir).expect("rules load");
        assert_eq!(from_disk.len(), 10, "the ten ECR controls");
        assert_eq!(
            from_disk.len(),
            EMBEDDED.len(),
            "every file in rules/ecr is embedded"
        );
        let builtin = builtin();
        for (disk, embedded) in from_disk.iter().zip(&builtin) {
            assert_eq!(disk.id, embedded.id);
            assert!(
                !embedded.remediation.action.is_empty(),
                "{} has remediation",
                embedded.id
            );
            assert!(
                !embedded.applies_to.is_empty(),
                "{} says what it applies to",
                embedded.id
            );
            for field in embedded.predicate.fields() {
                assert!(
                    field.starts_with(crate::snapshot::FIELD_PREFIX),
                    "{}: field {field} is under properties.container_registry",
                    embedded.id
                );
            }
        }
    }

    #[test]
    fn controls_are_faithful_to_the_catalogue() {
        let controls = builtin();
        let get = |id: &str| controls.iter().find(|c| c.id == id).unwrap();
        let cmk = get("CTL.ECR.ENCRYPT.CMK.001");
        assert_eq!(
            cmk.name,
            "ECR Repository Not Encrypted with Customer-Managed KMS Key"
        );
        assert_eq!(cmk.severity, Severity::Medium);
        assert_eq!(cmk.domain, "encryption");
        assert_eq!(cmk.compliance["hipaa"], ["164.312(a)(2)(iv)"]);
        assert_eq!(
            get("CTL.ECR.ENHANCED.SCANNING.001").severity,
            Severity::High
        );
        assert_eq!(get("CTL.ECR.INCOMPLETE.001").severity, Severity::Low);
        assert!(get("CTL.ECR.INCOMPLETE.001").compliance.is_empty());
        assert_eq!(
            get("CTL.ECR.TAG.IMMUTABLE.001").compliance["cis_aws"],
            ["5.4"]
        );
        assert!(get("CTL.ECR.PUBLIC.001").applies_to_kind("public_repository"));
        assert!(!get("CTL.ECR.SCAN.001").applies_to_kind("creation_template"));
    }

    #[test]
    fn invalid_control_files_are_refused_with_a_reason() {
        let base = "dsl_version: ctrl.v1\nid: CTL.X.Y.001\nname: n\ndescription: d\ntype: unsafe_state\nunsafe_predicate:\n  all:\n    - field: properties.container_registry.a\n      op: eq\n      value: 1\n";
        assert!(parse_control("CTL.X.Y.001.yaml", base).is_ok());
        assert!(parse_control("other.yaml", base)
            .unwrap_err()
            .contains("file name"));
        let bad_version = base.replace("ctrl.v1", "ctrl.v9");
        assert!(parse_control("CTL.X.Y.001.yaml", &bad_version)
            .unwrap_err()
            .contains("dsl_version"));
        let bad_op = base.replace("op: eq", "op: resembles");
        assert!(parse_control("CTL.X.Y.001.yaml", &bad_op).is_err());
    }
}
