//! SARIF 2.1.0, as GitHub code scanning reads it: repository-relative locations, one rule
//! per control with its full text and `security-severity`, stable fingerprints.

use std::path::Path;

use serde_json::{json, Map, Value as Json};

use crate::controls::catalogue::{Control, Severity};
use crate::controls::evaluate::OutcomeKind;
use crate::report::finding::{Finding, SuppressionKind};
use crate::report::{note_is_warning, paragraphs};
use crate::run::Report;
use crate::source::{SourceDb, Span};

/// The base every relative location is resolved against: the directory plangate ran in,
/// which in CI is the repository root, so GitHub can match files to the repository.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of our own entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "plangate/v1";

pub fn render(report: &Report) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    render_with_root(report, &cwd)
}

/// As [`render`], with `root` as the directory the report's relative file names start from.
pub fn render_with_root(report: &Report, root: &Path) -> String {
    let db = &report.db;
    let rules: Vec<Json> = report.controls.iter().map(rule).collect();
    let results: Vec<Json> = report.findings.iter().map(|f| result(db, f)).collect();
    let mut execution = Vec::new();
    for e in &report.errors {
        let location = match e.span {
            Some(span) => physical_location(db, span),
            None => json!({"artifactLocation": artifact_location(&e.file)}),
        };
        execution.push(json!({
            "level": "error",
            "message": {"text": format!("{}: {}", e.file, e.message)},
            "locations": [{"physicalLocation": location}],
        }));
    }
    for n in &report.notes {
        let level = if note_is_warning(n.kind) {
            "warning"
        } else {
            "note"
        };
        let mut note = json!({
            "level": level,
            "message": {"text": n.message},
            "descriptor": {"id": n.kind},
        });
        if let Some(span) = n.span {
            note["locations"] = json!([{"physicalLocation": physical_location(db, span)}]);
        }
        execution.push(note);
    }
    // A control that could not run at all is a fact about the configuration of the run,
    // which SARIF keeps apart from results.
    let configuration: Vec<Json> = report
        .not_evaluated
        .iter()
        .map(|n| {
            let mut note = json!({
                "level": "note",
                "message": {"text": format!("not evaluated: {}", n.reason)},
            });
            if let Some(index) = report.controls.iter().position(|c| c.id == n.control_id) {
                note["associatedRule"] = json!({"id": n.control_id, "index": index});
            }
            note
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "plangate",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {
                SRCROOT: {
                    "uri": directory_uri(root),
                    "description": {"text": "The directory plangate ran in; report paths are relative to it."},
                }
            },
            // Our columns count characters (Unicode code points), not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": execution,
                "toolConfigurationNotifications": configuration,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub's mapping: an error blocks, a warning asks for attention, a note informs.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` scale (0.0–10.0): over 9.0 critical, 7.0–8.9 high,
/// 4.0–6.9 medium, 0.1–3.9 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn rule(control: &Control) -> Json {
    let action = paragraphs(&control.remediation.action);
    let mut help_text = String::new();
    let mut help_md = String::new();
    if !control.remediation.description.is_empty() {
        let what = paragraphs(&control.remediation.description).join("\n\n");
        help_text.push_str(&format!("{what}\n\n"));
        help_md.push_str(&format!("**What is wrong**\n\n{what}\n\n"));
    }
    help_text.push_str(&action.join("\n\n"));
    help_md.push_str(&format!("**Remediation**\n\n{}", action.join("\n\n")));
    if !control.compliance.is_empty() {
        help_text.push_str(&format!("\n\nCompliance: {}", control.compliance_line()));
        help_md.push_str("\n\n**Compliance**\n");
        for (framework, refs) in &control.compliance {
            help_md.push_str(&format!("\n- {framework}: {}", refs.join(", ")));
        }
    }
    // "security" makes GitHub treat these as security alerts and read security-severity.
    let mut tags = vec!["security".to_string()];
    if !control.domain.is_empty() {
        tags.push(control.domain.clone());
    }
    for (framework, refs) in &control.compliance {
        for r in refs {
            tags.push(format!("{framework}/{r}"));
        }
    }
    json!({
        "id": control.id,
        "shortDescription": {"text": control.name},
        "fullDescription": {"text": control.description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level(control.severity)},
        "properties": {
            "security-severity": security_severity(control.severity),
            "severity": control.severity.as_str(),
            "tags": tags,
        },
    })
}

fn result(db: &SourceDb, f: &Finding) -> Json {
    let inconclusive = f.outcome == OutcomeKind::Inconclusive;
    // Inconclusive is not a failure of the control: keep it visible, at the lowest level.
    let level = if inconclusive {
        "note"
    } else {
        level(f.severity)
    };
    let mut related: Vec<Json> = f
        .related
        .iter()
        .map(|r| {
            json!({
                "physicalLocation": physical_location(db, r.span),
                "message": {"text": r.message},
            })
        })
        .collect();
    // A finding from a plan points at the `.tf` line; the plan value that decided it is
    // kept beside it.
    if let Some(e) = &f.evidence {
        related.push(json!({
            "physicalLocation": physical_location(db, e.span),
            "message": {"text": format!("the plan value that decided this ({})", e.pointer)},
        }));
    }
    for (i, r) in related.iter_mut().enumerate() {
        r["id"] = json!(i + 1);
    }
    let mut properties = Map::new();
    properties.insert("outcome".into(), json!(f.outcome.as_str()));
    properties.insert("inconclusive".into(), json!(inconclusive));
    properties.insert("severity".into(), json!(f.severity.as_str()));
    properties.insert("asset".into(), json!(f.asset_id));
    properties.insert("root".into(), json!(f.root));
    if let Some(reason) = &f.reason {
        properties.insert("reason".into(), json!(reason));
    }
    if let Some(e) = &f.evidence {
        properties.insert("evidence".into(), json!(e.pointer));
    }
    let mut result = json!({
        "ruleId": f.control_id,
        "ruleIndex": f.control,
        "kind": "fail",
        "level": level,
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": physical_location(db, f.span),
            "logicalLocations": [{
                "name": f.asset_id,
                "fullyQualifiedName": format!("{}/{}", f.root, f.asset_id),
                "kind": "resource",
            }],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(&f.control_id, &f.asset_id, &f.root)},
        "properties": properties,
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if let Some(s) = &f.suppression {
        let kind = match s.kind {
            SuppressionKind::Inline => "inSource",
            SuppressionKind::Config | SuppressionKind::Baseline => "external",
        };
        let mut suppression = json!({
            "kind": kind,
            "status": "accepted",
            "justification": s.reason,
            "properties": {"source": s.kind.as_str()},
        });
        if let Some(expires) = &s.expires {
            suppression["properties"]["expires"] = json!(expires);
        }
        result["suppressions"] = json!([suppression]);
    }
    result
}

fn physical_location(db: &SourceDb, span: Span) -> Json {
    let file = db.get(span.file);
    let (start_line, start_column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    // SARIF's end column is one past the last character: exactly our end offset's column.
    json!({
        "artifactLocation": artifact_location(&file.name),
        "region": {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        },
    })
}

/// A report file name (relative to the run's directory, `/`-separated, or absolute when
/// outside it) as a SARIF artifact location.
fn artifact_location(name: &str) -> Json {
    if let Some(uri) = absolute_file_uri(name) {
        json!({"uri": uri})
    } else {
        json!({"uri": percent_encode(name, false), "uriBaseId": SRCROOT})
    }
}

fn absolute_file_uri(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if name.starts_with('/') {
        Some(format!("file://{}", percent_encode(name, true)))
    } else if windows_drive {
        Some(format!("file:///{}", percent_encode(name, true)))
    } else {
        None
    }
}

/// `file:///…/` for a directory: absolute, percent-encoded, ending in a slash as SARIF
/// requires of a base URI.
fn directory_uri(dir: &Path) -> String {
    let mut name = dir.to_string_lossy().replace('\\', "/");
    if !name.ends_with('/') {
        name.push('/');
    }
    absolute_file_uri(&name).unwrap_or_else(|| format!("file:///{}", percent_encode(&name, true)))
}

/// Percent-encodes a path for a URI: every byte but unreserved characters, `/` and the
/// sub-delimiters. A `:` is kept only in an absolute path (a drive letter); in a relative
/// reference it would read as a scheme.
fn percent_encode(path: &str, absolute: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (absolute && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stable identity for a finding across runs: the control, the asset and the root module,
/// never the line, so editing above a finding does not make it new. FNV-1a, 128 bits.
pub fn fingerprint(control_id: &str, asset_id: &str, root: &str) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    // A separator byte no identifier contains, so ("ab", "c") and ("a", "bc") differ.
    for part in [control_id, asset_id, root] {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

/// The official schema, shared with `tests/formats.rs`.
#[cfg(test)]
#[path = "../../tests/support/sarif_schema.rs"]
mod sarif_schema;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn every_kind_of_result_is_valid_sarif() {
        // Suppressions, inconclusive results, related locations, input errors, notes and an
        // unevaluated control: the sample has them all, and a root with a space.
        use super::sarif_schema;
        let errors = sarif_schema::errors(&sarif_schema::validator(), &doc());
        assert!(errors.is_empty(), "{errors:#?}");
    }

    fn doc() -> Json {
        let text = render_with_root(&sample::report(), Path::new("/home/ci/my repo"));
        serde_json::from_str(&text).expect("SARIF is JSON")
    }

    fn result_for<'a>(doc: &'a Json, rule: &str) -> &'a Json {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no result for {rule}"))
    }

    #[test]
    fn locations_are_relative_percent_encoded_and_have_real_regions() {
        let doc = doc();
        let run = &doc["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"][SRCROOT]["uri"],
            "file:///home/ci/my%20repo/"
        );
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let public = result_for(&doc, "CTL.ECR.PUBLIC.001");
        let location = &public["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"],
            json!({"uri": "infra/my%20dir/ecr%20100%25.tf", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            location["region"],
            json!({"startLine": 3, "startColumn": 3, "endLine": 5, "endColumn": 4})
        );
        let related = &public["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(related["physicalLocation"]["region"]["startColumn"], 1);
    }

    #[test]
    fn levels_follow_severity_and_inconclusive_is_a_marked_note() {
        let doc = doc();
        let public = result_for(&doc, "CTL.ECR.PUBLIC.001");
        assert_eq!(public["level"], "error");
        assert_eq!(public["properties"]["inconclusive"], false);
        assert_eq!(
            result_for(&doc, "CTL.ECR.TAG.IMMUTABLE.001")["level"],
            "warning"
        );
        assert_eq!(result_for(&doc, "CTL.ECR.LIFECYCLE.001")["level"], "note");
        let scan = result_for(&doc, "CTL.ECR.SCAN.001");
        assert_eq!(scan["level"], "note", "SCAN is medium, but inconclusive");
        assert_eq!(scan["properties"]["inconclusive"], true);
        assert_eq!(scan["properties"]["outcome"], "inconclusive");
        assert_eq!(scan["properties"]["reason"], "var.scan has no value");
    }

    #[test]
    fn one_rule_per_control_with_text_help_and_security_severity() {
        let report = sample::report();
        let doc = doc();
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), report.controls.len());
        for (i, r) in rules.iter().enumerate() {
            assert_eq!(
                r["id"],
                report.controls[i].id.as_str(),
                "ruleIndex = position"
            );
            assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
            assert!(!r["help"]["markdown"].as_str().unwrap().is_empty());
            assert!(r["properties"]["tags"]
                .as_array()
                .unwrap()
                .contains(&json!("security")));
        }
        let public = rules
            .iter()
            .find(|r| r["id"] == "CTL.ECR.PUBLIC.001")
            .unwrap();
        assert_eq!(public["properties"]["security-severity"], "8.0");
        assert_eq!(public["defaultConfiguration"]["level"], "error");
        assert!(public["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("fedramp_moderate: AC-3"));
        let lifecycle = rules
            .iter()
            .find(|r| r["id"] == "CTL.ECR.LIFECYCLE.001")
            .unwrap();
        assert_eq!(lifecycle["properties"]["security-severity"], "3.0");
        let index = result_for(&doc, "CTL.ECR.PUBLIC.001")["ruleIndex"]
            .as_u64()
            .unwrap() as usize;
        assert_eq!(rules[index]["id"], "CTL.ECR.PUBLIC.001");
    }

    #[test]
    fn suppressed_findings_carry_suppressions_by_source() {
        let doc = doc();
        let inline = &result_for(&doc, "CTL.ECR.LIFECYCLE.001")["suppressions"][0];
        assert_eq!(inline["kind"], "inSource");
        assert_eq!(inline["status"], "accepted");
        assert_eq!(inline["justification"], "short-lived test repository");
        assert_eq!(inline["properties"]["expires"], "2031-01-01");
        let baseline = &result_for(&doc, "CTL.ECR.ENCRYPT.CMK.001")["suppressions"][0];
        assert_eq!(baseline["kind"], "external");
        assert_eq!(baseline["properties"]["source"], "baseline");
        assert!(result_for(&doc, "CTL.ECR.PUBLIC.001")
            .get("suppressions")
            .is_none());
    }

    #[test]
    fn fingerprints_depend_on_identity_not_position() {
        let mut report = sample::report();
        let before = fingerprint("CTL.ECR.PUBLIC.001", "aws_ecr_repository.api", "infra");
        // Move the finding: the fingerprint must not change.
        report.findings[4].span.start = 0;
        report.findings[4].span.end = 1;
        let doc: Json = serde_json::from_str(&render_with_root(&report, Path::new("/w"))).unwrap();
        let public = result_for(&doc, "CTL.ECR.PUBLIC.001");
        assert_eq!(
            public["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert_eq!(
            public["partialFingerprints"][FINGERPRINT_KEY],
            before.as_str()
        );
        assert_eq!(before.len(), 32);
        // Any part of the identity changes it, and parts do not run together.
        assert_ne!(
            before,
            fingerprint("CTL.ECR.PUBLIC.001", "aws_ecr_repository.api", "prod")
        );
        assert_ne!(fingerprint("a", "bc", "r"), fingerprint("ab", "c", "r"));
        // FNV-1a 128 of the empty input is the offset basis; pin the algorithm.
        assert_eq!(fingerprint("", "", ""), {
            let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
            for _ in 0..3 {
                h = h.wrapping_mul(0x0000000001000000000000000000013b);
            }
            format!("{h:032x}")
        });
    }

    #[test]
    fn input_errors_fail_the_invocation_and_point_at_the_file() {
        let doc = doc();
        let invocation = &doc["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes[0]["level"], "error");
        assert_eq!(
            notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "infra/broken.tf"
        );
        assert_eq!(
            notes[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
            2
        );
        assert_eq!(notes[2]["level"], "note");
        assert_eq!(notes[2]["descriptor"]["id"], "module-unavailable");
        assert_eq!(notes[3]["level"], "warning", "a problem with an ignore");
        assert_eq!(notes[3]["descriptor"]["id"], "ignore-expired");
        let configuration = invocation["toolConfigurationNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(
            configuration[0]["associatedRule"]["id"],
            "CTL.ECR.FINDINGS.UNRESOLVED.001"
        );
    }

    #[test]
    fn uris_outside_the_root_are_absolute_and_relative_ones_never_look_like_a_scheme() {
        assert_eq!(
            artifact_location("/srv/a b/x.tf"),
            json!({"uri": "file:///srv/a%20b/x.tf"})
        );
        assert_eq!(
            artifact_location("C:/a/x.tf"),
            json!({"uri": "file:///C:/a/x.tf"})
        );
        assert_eq!(
            artifact_location("odd:name/é.tf")["uri"],
            "odd%3Aname/%C3%A9.tf"
        );
        assert_eq!(directory_uri(Path::new("/")), "file:///");
    }
}
