//! The suppress stage: inline `plangate:ignore` comments, config exceptions and the
//! baseline mark findings as accepted. Ignores that are unused, expired, unexplained or
//! name an unknown control are reported — an ignore must never hide more than it says.

use std::collections::HashSet;

use crate::config::{glob_match, parse_date, Config};
use crate::controls::catalogue::Control;
use crate::report::finding::{Finding, Suppression, SuppressionKind};
use crate::run::Note;
use crate::snapshot::Asset;
use crate::source::{FileId, SourceDb, Span};

/// One `# plangate:ignore ID[,ID] [["key"]] [until=YYYY-MM-DD] -- reason` comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Ignore {
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: usize,
    pub span: Span,
    pub ids: Vec<String>,
    /// Instance key, as written without brackets and quotes (`worker`, `0`).
    pub key: Option<String>,
    pub until: Option<String>,
    pub reason: Option<String>,
}

const MARKER: &str = "plangate:ignore";

/// Finds the ignore comment on one line, if any.
pub fn parse_line(file: FileId, line_no: usize, line_start: usize, line: &str) -> Option<Ignore> {
    let at = line.find(MARKER)?;
    // Only in a comment: `#` or `//` must come before the marker.
    let before = &line[..at];
    let comment_at = before.rfind('#').or_else(|| before.rfind("//"))?;
    let rest = &line[at + MARKER.len()..];
    let (spec, reason) = match rest.split_once("--") {
        Some((spec, reason)) => (
            spec,
            Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
        ),
        None => (rest, None),
    };
    let mut ignore = Ignore {
        file,
        line: line_no,
        span: Span::new(
            file,
            line_start + comment_at,
            line_start + line.trim_end().len(),
        ),
        ids: Vec::new(),
        key: None,
        until: None,
        reason,
    };
    for token in spec.split_whitespace() {
        if let Some(date) = token.strip_prefix("until=") {
            ignore.until = Some(date.to_string());
        } else if token.starts_with('[') {
            let key = token.trim_start_matches('[').trim_end_matches(']');
            ignore.key = Some(key.trim_matches('"').to_string());
        } else {
            ignore.ids.extend(
                token
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    Some(ignore)
}

/// Every ignore comment in the Terraform files of the run.
pub fn collect(db: &SourceDb) -> Vec<Ignore> {
    let mut out = Vec::new();
    for (id, file) in db.files() {
        if !file.name.ends_with(".tf") || !file.text.contains(MARKER) {
            continue;
        }
        for (i, &start) in file.line_starts().iter().enumerate() {
            if let Some(ignore) = parse_line(id, i + 1, start, file.line_text(i + 1)) {
                out.push(ignore);
            }
        }
    }
    out
}

fn is_comment_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('#') || t.starts_with("//")
}

/// The instance key at the end of an address (`this["a"]` → `a`, `this[0]` → `0`).
fn instance_key(address: &str) -> Option<&str> {
    let inner = address.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    Some(inner[open + 1..].trim_matches('"'))
}

/// Does `ignore` cover a finding at `primary` on the asset whose header is `header`?
fn covers(ignore: &Ignore, db: &SourceDb, header: Span, primary: Span, asset_id: &str) -> bool {
    let file = db.get(ignore.file);
    let on_line = |span: Span| {
        span.file == ignore.file && file.line_col(span.start as usize).0 == ignore.line
    };
    let header_line = file.line_col(header.start as usize).0;
    // On the header line, on the offending line, or in the comment lines right above the
    // header.
    let above_header = header.file == ignore.file
        && ignore.line < header_line
        && (ignore.line + 1..header_line).all(|l| is_comment_line(file.line_text(l)));
    let placed = on_line(header) || on_line(primary) || above_header;
    let key_ok = match &ignore.key {
        None => true,
        Some(key) => instance_key(asset_id) == Some(key.as_str()),
    };
    placed && key_ok
}

/// Baseline keys: (control id, root, asset id).
pub type BaselineKeys = HashSet<(String, String, String)>;

pub struct Inputs<'a> {
    pub config: Option<&'a Config>,
    /// The config file in the database, for locating exception problems.
    pub config_file: Option<FileId>,
    /// `(file name, keys)` of the `--baseline` file: keys are (control, root, asset).
    pub baseline: Option<(String, BaselineKeys)>,
    /// Today, in days since 1970-01-01.
    pub today: i64,
}

/// Marks accepted findings and returns the notes about ignores themselves.
pub fn apply(
    findings: &mut [Finding],
    assets: &[Asset],
    controls: &[Control],
    db: &SourceDb,
    inputs: &Inputs,
) -> Vec<Note> {
    let mut notes = Vec::new();
    let known_ids: HashSet<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    // Indexed once: every ignore looks at every finding's asset.
    let headers: std::collections::HashMap<(&str, &str), Span> = assets
        .iter()
        .map(|a| ((a.id.as_str(), a.root.as_str()), a.header))
        .collect();
    let header_of = |f: &Finding| {
        headers
            .get(&(f.asset_id.as_str(), f.root.as_str()))
            .copied()
            .unwrap_or(f.span)
    };

    for ignore in collect(db) {
        let note = |kind: &'static str, message: String| Note {
            kind,
            message,
            span: Some(ignore.span),
        };
        let unknown: Vec<&String> = ignore
            .ids
            .iter()
            .filter(|id| !known_ids.contains(id.as_str()))
            .collect();
        for id in &unknown {
            notes.push(note("ignore-unknown-control", format!("`{id}` is not a control id; this ignore does not apply to it (`plangate controls` lists them)")));
        }
        if ignore.ids.is_empty() {
            notes.push(note("ignore-no-control", "this ignore names no control id; write `# plangate:ignore CTL.ECR.X.001 -- reason`".into()));
            continue;
        }
        let Some(reason) = ignore.reason.clone() else {
            notes.push(note("ignore-missing-reason", "this ignore has no reason, so it does not suppress anything: add `-- <why this is accepted>`".into()));
            continue;
        };
        if let Some(until) = &ignore.until {
            match parse_date(until) {
                None => {
                    notes.push(note("ignore-bad-date", format!("`until={until}` is not a date (YYYY-MM-DD); this ignore does not suppress anything")));
                    continue;
                }
                Some(day) if day < inputs.today => {
                    notes.push(note("ignore-expired", format!("this ignore expired on {until} and no longer suppresses; fix the finding or renew the ignore")));
                    continue;
                }
                Some(_) => {}
            }
        }
        let mut used = false;
        for f in findings.iter_mut().filter(|f| f.suppression.is_none()) {
            if ignore.ids.iter().any(|id| id == &f.control_id)
                && covers(&ignore, db, header_of(f), f.span, &f.asset_id)
            {
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::Inline,
                    reason: reason.clone(),
                    expires: ignore.until.clone(),
                });
                used = true;
            }
        }
        if !used && unknown.len() < ignore.ids.len() {
            notes.push(note(
                "ignore-unused",
                format!(
                    "this ignore of {} suppressed nothing; remove it",
                    ignore.ids.join(", ")
                ),
            ));
        }
    }

    if let Some(config) = inputs.config {
        let file_span = inputs.config_file.map(|id| Span::new(id, 0, 0));
        for exception in &config.exceptions {
            let span = inputs
                .config_file
                .and_then(|id| {
                    db.get(id)
                        .text
                        .find(exception.control.as_str())
                        .map(|o| Span::new(id, o, o + exception.control.len()))
                })
                .or(file_span);
            if !known_ids.contains(exception.control.as_str()) {
                notes.push(Note {
                    kind: "exception-unknown-control",
                    message: format!("exception for `{}`: not a control id", exception.control),
                    span,
                });
                continue;
            }
            if let Some(day) = exception.expires.as_deref().and_then(parse_date) {
                if day < inputs.today {
                    notes.push(Note {
                        kind: "exception-expired",
                        message: format!(
                            "the exception for {} on `{}` expired on {} and no longer applies",
                            exception.control,
                            exception.asset,
                            exception.expires.as_deref().unwrap_or_default()
                        ),
                        span,
                    });
                    continue;
                }
            }
            for f in findings.iter_mut().filter(|f| f.suppression.is_none()) {
                if f.control_id == exception.control && glob_match(&exception.asset, &f.asset_id) {
                    f.suppression = Some(Suppression {
                        kind: SuppressionKind::Config,
                        reason: exception.reason.clone(),
                        expires: exception.expires.clone(),
                    });
                }
            }
        }
    }

    if let Some((name, keys)) = &inputs.baseline {
        for f in findings.iter_mut().filter(|f| f.suppression.is_none()) {
            if keys.contains(&(f.control_id.clone(), f.root.clone(), f.asset_id.clone())) {
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::Baseline,
                    reason: format!("recorded in the baseline {name}"),
                    expires: None,
                });
            }
        }
    }
    notes
}

/// The baseline file: the current unsuppressed findings, keyed by (control, root, asset)
/// so that moving code around does not bring them back.
pub fn baseline_json(findings: &[Finding]) -> String {
    let mut keys: Vec<(&str, &str, &str)> = findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(|f| (f.control_id.as_str(), f.root.as_str(), f.asset_id.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    let entries: Vec<serde_json::Value> = keys
        .into_iter()
        .map(|(c, r, a)| serde_json::json!({"control_id": c, "root": r, "asset_id": a}))
        .collect();
    let doc = serde_json::json!({"schema_version": "plangate.baseline/v1", "findings": entries});
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Reads a baseline file's keys.
pub fn read_baseline(text: &str) -> Result<BaselineKeys, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a baseline file: {e}"))?;
    if doc.get("schema_version").and_then(|v| v.as_str()) != Some("plangate.baseline/v1") {
        return Err("not a baseline file: expected schema_version plangate.baseline/v1 (written by --write-baseline)".into());
    }
    let entries = doc
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or("the baseline has no `findings` list")?;
    Ok(entries
        .iter()
        .filter_map(|e| {
            let s = |k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string);
            Some((s("control_id")?, s("root")?, s("asset_id")?))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments_parse_in_every_form() {
        let f = FileId(0);
        let ig = parse_line(
            f,
            3,
            0,
            "# plangate:ignore CTL.ECR.LIFECYCLE.001 -- short-lived test repo",
        )
        .unwrap();
        assert_eq!(ig.ids, ["CTL.ECR.LIFECYCLE.001"]);
        assert_eq!(ig.reason.as_deref(), Some("short-lived test repo"));
        let ig = parse_line(f, 1, 0, "  name = \"x\" // plangate:ignore CTL.A.B.001,CTL.C.D.002 [\"worker\"] until=2027-01-31 -- migrating").unwrap();
        assert_eq!(ig.ids, ["CTL.A.B.001", "CTL.C.D.002"]);
        assert_eq!(ig.key.as_deref(), Some("worker"));
        assert_eq!(ig.until.as_deref(), Some("2027-01-31"));
        assert!(parse_line(f, 1, 0, "# plangate:ignore CTL.A.B.001")
            .unwrap()
            .reason
            .is_none());
        // Outside a comment (in a string) it is not an ignore.
        assert!(parse_line(
            f,
            1,
            0,
            "description = \"plangate:ignore CTL.A.B.001 -- x\""
        )
        .is_none());
    }

    #[test]
    fn instance_keys_from_addresses() {
        assert_eq!(
            instance_key("aws_ecr_repository.this[\"worker\"]"),
            Some("worker")
        );
        assert_eq!(
            instance_key("module.a.aws_ecr_repository.this[0]"),
            Some("0")
        );
        assert_eq!(instance_key("aws_ecr_repository.this"), None);
    }

    #[test]
    fn baseline_round_trip() {
        let text = r#"{"schema_version": "plangate.baseline/v1", "findings": [{"control_id": "C", "root": "r", "asset_id": "a"}]}"#;
        let keys = read_baseline(text).unwrap();
        assert!(keys.contains(&("C".to_string(), "r".to_string(), "a".to_string())));
        assert!(read_baseline("{}").is_err());
    }
}
