//! The text format: rustc-style diagnostics (codespan-reporting) and a summary line.

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as DiagSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use crate::controls::catalogue::Severity;
use crate::controls::evaluate::OutcomeKind;
use crate::run::Report;
use crate::source::{FileId, SourceDb};

impl<'a> Files<'a> for SourceDb {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id).line_col(byte_index).0 - 1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

fn diag_severity(severity: Severity) -> DiagSeverity {
    match severity {
        Severity::Critical | Severity::High => DiagSeverity::Error,
        Severity::Medium => DiagSeverity::Warning,
        Severity::Low | Severity::Info => DiagSeverity::Note,
    }
}

/// Renders the report as text; `color` adds ANSI colours.
pub fn render(report: &Report, color: bool) -> String {
    let config = Config::default();
    let mut out = String::new();
    let mut emit = |d: &Diagnostic<FileId>| {
        if color {
            let mut buffer = termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buffer, &config, &report.db, d).is_ok() {
                out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
            }
        } else {
            let _ = term::emit_to_string(&mut out, &config, &report.db, d);
        }
    };
    for e in &report.errors {
        let mut d = Diagnostic::error().with_message(format!("{}: {}", e.file, e.message));
        if let Some(span) = e.span {
            d = Diagnostic::error()
                .with_message(format!("cannot parse {}", e.file))
                .with_labels(vec![
                    Label::primary(span.file, span.range()).with_message(e.message.clone())
                ]);
        }
        emit(&d);
    }
    // Suppressed findings are accepted on purpose: counted in the summary, not shown.
    for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
        let control = &report.controls[f.control];
        let mut labels =
            vec![Label::primary(f.span.file, f.span.range()).with_message(f.message.clone())];
        for r in &f.related {
            labels.push(
                Label::secondary(r.span.file, r.span.range()).with_message(r.message.clone()),
            );
        }
        let mut notes = vec![format!("asset: {}", f.asset_id)];
        if let Some(e) = &f.evidence {
            let file = report.db.get(e.span.file);
            let (line, col) = file.line_col(e.span.start as usize);
            // Re-anchored findings also say where the value is in the plan.
            notes.push(if e.span == f.span {
                format!("plan value: {}", e.pointer)
            } else {
                format!("plan value: {} at {}:{line}:{col}", e.pointer, file.name)
            });
        }
        let (severity, title) = match f.outcome {
            OutcomeKind::Violation => {
                // One line per paragraph: the catalogue's text, then the Terraform hint.
                let action = control
                    .remediation
                    .action
                    .lines()
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                notes.push(format!("help: {action}"));
                (
                    diag_severity(f.severity),
                    format!("{} ({})", control.name, f.severity),
                )
            }
            // Not a finding, not a hint: a note saying what could not be decided.
            OutcomeKind::Inconclusive => (
                DiagSeverity::Note,
                format!("inconclusive: {} ({})", control.name, f.severity),
            ),
        };
        let compliance = control.compliance_line();
        if !compliance.is_empty() {
            notes.push(format!("compliance: {compliance}"));
        }
        emit(
            &Diagnostic::new(severity)
                .with_code(f.control_id.clone())
                .with_message(title)
                .with_labels(labels)
                .with_notes(notes),
        );
    }
    for n in &report.notes {
        // Problems with ignores and exceptions are the user's to fix: warnings.
        let severity = if n.kind.starts_with("ignore-") || n.kind.starts_with("exception-") {
            DiagSeverity::Warning
        } else {
            DiagSeverity::Note
        };
        let mut d = Diagnostic::new(severity).with_message(n.message.clone());
        if let Some(span) = n.span {
            d = d.with_labels(vec![Label::primary(span.file, span.range())]);
        }
        emit(&d);
    }
    for n in &report.not_evaluated {
        out.push_str(&format!("not evaluated: {}: {}\n", n.control_id, n.reason));
    }
    out.push_str(&format!(
        "plangate: {} asset(s) checked against {} controls: {}\n",
        report.assets.len(),
        report.controls.len(),
        super::Counts::of(report).sentence(),
    ));
    out
}
