//! The JSON report (`plangate.report/v1`, SPEC §6): stable field names, deterministic order.
//!
//! Serialised from borrowed structs straight to text: a repository with tens of thousands
//! of findings must not build a second copy of the report as a JSON tree first.

use serde::Serialize;
use serde_json::Value as Json;

use crate::controls::catalogue::Severity;
use crate::run::Report;
use crate::source::{SourceDb, Span};

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    start: Position,
    end: Position,
}

fn loc(db: &SourceDb, span: Span) -> Location<'_> {
    let file = db.get(span.file);
    let (sl, sc) = file.line_col(span.start as usize);
    let (el, ec) = file.line_col(span.end as usize);
    Location {
        file: &file.name,
        start: Position {
            line: sl,
            column: sc,
        },
        end: Position {
            line: el,
            column: ec,
        },
    }
}

/// `{file, start{line, column}, end{line, column}}` with 1-based lines and columns.
pub fn location(db: &SourceDb, span: Span) -> Json {
    serde_json::to_value(loc(db, span)).unwrap_or(Json::Null)
}

#[derive(Serialize)]
struct AssetOut<'a> {
    id: &'a str,
    root: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    kind: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    message: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    kind: &'a str,
    reason: &'a str,
    expires: Option<&'a str>,
}

#[derive(Serialize)]
struct ResultOut<'a> {
    control_id: &'a str,
    asset_id: &'a str,
    root: &'a str,
    outcome: &'a str,
    severity: &'a str,
    message: &'a str,
    location: Location<'a>,
    related: Vec<RelatedOut<'a>>,
    reason: Option<&'a str>,
    suppression: Option<SuppressionOut<'a>>,
    /// Findings from a plan name the plan value that decided them.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceOut<'a>>,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    json_pointer: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct NotEvaluatedOut<'a> {
    control_id: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    file: &'a str,
    message: &'a str,
    location: Option<Location<'a>>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    kind: &'a str,
    message: &'a str,
    location: Option<Location<'a>>,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct Summary {
    assets: usize,
    violations: usize,
    inconclusive: usize,
    suppressed: usize,
    errors: usize,
    violations_by_severity: BySeverity,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct ReportOut<'a> {
    schema_version: &'static str,
    tool: Tool,
    assets: Vec<AssetOut<'a>>,
    results: Vec<ResultOut<'a>>,
    not_evaluated: Vec<NotEvaluatedOut<'a>>,
    errors: Vec<ErrorOut<'a>>,
    notes: Vec<NoteOut<'a>>,
    summary: Summary,
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    let _ = render_to(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report to `writer` as it is serialised, without holding the text in memory.
pub fn render_to(report: &Report, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
    let db = &report.db;
    let counts = super::Counts::of(report);
    let violations_of = |sev: Severity| {
        counts
            .by_severity
            .iter()
            .find(|(s, _)| *s == sev)
            .map_or(0, |(_, n)| *n)
    };
    let out = ReportOut {
        schema_version: "plangate.report/v1",
        tool: Tool {
            name: "plangate",
            version: env!("CARGO_PKG_VERSION"),
        },
        assets: report
            .assets
            .iter()
            .map(|a| AssetOut {
                id: &a.id,
                root: &a.root,
                resource_type: &a.resource_type,
                kind: &a.kind,
                location: loc(db, a.header),
            })
            .collect(),
        results: report
            .findings
            .iter()
            .map(|f| ResultOut {
                control_id: &f.control_id,
                asset_id: &f.asset_id,
                root: &f.root,
                outcome: f.outcome.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                location: loc(db, f.span),
                related: f
                    .related
                    .iter()
                    .map(|r| RelatedOut {
                        message: &r.message,
                        location: loc(db, r.span),
                    })
                    .collect(),
                reason: f.reason.as_deref(),
                suppression: f.suppression.as_ref().map(|s| SuppressionOut {
                    kind: s.kind.as_str(),
                    reason: &s.reason,
                    expires: s.expires.as_deref(),
                }),
                evidence: f.evidence.as_ref().map(|e| EvidenceOut {
                    json_pointer: &e.pointer,
                    location: loc(db, e.span),
                }),
            })
            .collect(),
        not_evaluated: report
            .not_evaluated
            .iter()
            .map(|n| NotEvaluatedOut {
                control_id: &n.control_id,
                reason: &n.reason,
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| ErrorOut {
                file: &e.file,
                message: &e.message,
                location: e.span.map(|s| loc(db, s)),
            })
            .collect(),
        notes: report
            .notes
            .iter()
            .map(|n| NoteOut {
                kind: n.kind,
                message: &n.message,
                location: n.span.map(|s| loc(db, s)),
            })
            .collect(),
        summary: Summary {
            assets: report.assets.len(),
            violations: counts.violations,
            inconclusive: counts.inconclusive,
            suppressed: counts.suppressed,
            errors: counts.errors,
            violations_by_severity: BySeverity {
                critical: violations_of(Severity::Critical),
                high: violations_of(Severity::High),
                medium: violations_of(Severity::Medium),
                low: violations_of(Severity::Low),
                info: violations_of(Severity::Info),
            },
        },
    };
    serde_json::to_writer_pretty(&mut *writer, &out).map_err(std::io::Error::other)?;
    writer.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn location_is_one_based() {
        let mut db = crate::source::SourceDb::default();
        let id = db.add("a.tf".into(), "a.tf".into(), "ab\ncd\n".into());
        let l = super::location(&db, crate::source::Span::new(id, 3, 5));
        assert_eq!(
            l,
            serde_json::json!({"file": "a.tf", "start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 3}})
        );
    }
}
