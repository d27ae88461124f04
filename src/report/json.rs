//! The JSON report (`plangate.report/v1`, SPEC §6): stable field names, deterministic order.

use serde_json::{json, Value as Json};

use crate::controls::evaluate::OutcomeKind;
use crate::run::Report;
use crate::source::{SourceDb, Span};

/// `{file, start{line, column}, end{line, column}}` with 1-based lines and columns.
pub fn location(db: &SourceDb, span: Span) -> Json {
    let file = db.get(span.file);
    let (sl, sc) = file.line_col(span.start as usize);
    let (el, ec) = file.line_col(span.end as usize);
    json!({
        "file": file.name,
        "start": {"line": sl, "column": sc},
        "end": {"line": el, "column": ec},
    })
}

pub fn render(report: &Report) -> String {
    let db = &report.db;
    let assets: Vec<Json> = report
        .assets
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "root": a.root,
                "type": a.resource_type,
                "kind": a.kind,
                "location": location(db, a.header),
            })
        })
        .collect();
    let results: Vec<Json> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "control_id": f.control_id,
                "asset_id": f.asset_id,
                "root": f.root,
                "outcome": f.outcome.as_str(),
                "severity": f.severity.as_str(),
                "message": f.message,
                "location": location(db, f.span),
                "related": f.related.iter().map(|r| json!({
                    "message": r.message,
                    "location": location(db, r.span),
                })).collect::<Vec<_>>(),
                "reason": f.reason,
                "suppression": f.suppression.as_ref().map(|s| json!({
                    "kind": s.kind.as_str(),
                    "reason": s.reason,
                    "expires": s.expires,
                })),
            });
            // Findings from a plan name the plan value that decided them.
            if let Some(e) = &f.evidence {
                result["evidence"] = json!({
                    "json_pointer": e.pointer,
                    "location": location(db, e.span),
                });
            }
            result
        })
        .collect();
    let errors: Vec<Json> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "file": e.file,
                "message": e.message,
                "location": e.span.map(|s| location(db, s)),
            })
        })
        .collect();
    let notes: Vec<Json> = report
        .notes
        .iter()
        .map(|n| json!({"message": n.message, "location": n.span.map(|s| location(db, s))}))
        .collect();
    let count = |kind: OutcomeKind| {
        report
            .findings
            .iter()
            .filter(|f| f.outcome == kind && f.suppression.is_none())
            .count()
    };
    let mut by_severity = serde_json::Map::new();
    for sev in ["critical", "high", "medium", "low", "info"] {
        let n = report
            .findings
            .iter()
            .filter(|f| {
                f.outcome == OutcomeKind::Violation
                    && f.suppression.is_none()
                    && f.severity.as_str() == sev
            })
            .count();
        by_severity.insert(sev.into(), json!(n));
    }
    let doc = json!({
        "schema_version": "plangate.report/v1",
        "tool": {"name": "plangate", "version": env!("CARGO_PKG_VERSION")},
        "assets": assets,
        "results": results,
        "not_evaluated": report.not_evaluated.iter().map(|n| json!({"control_id": n.control_id, "reason": n.reason})).collect::<Vec<_>>(),
        "errors": errors,
        "notes": notes,
        "summary": {
            "assets": report.assets.len(),
            "violations": count(OutcomeKind::Violation),
            "inconclusive": count(OutcomeKind::Inconclusive),
            "suppressed": report.findings.iter().filter(|f| f.suppression.is_some()).count(),
            "errors": report.errors.len(),
            "violations_by_severity": by_severity,
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
