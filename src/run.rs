//! One `plangate check` run: every stage of the pipeline in order, with nothing rendered.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::controls::catalogue::{Control, Severity};
use crate::controls::evaluate::{self, OutcomeKind};
use crate::discover;
use crate::extract;
use crate::hcl::{self, EvalOptions, InputError};
use crate::plan;
use crate::report::finding::{self, Evidence, Finding};
use crate::snapshot::{Asset, FieldValue, Related};
use crate::source::{SourceDb, Span};

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub eval: EvalOptions,
    /// Extra controls, loaded in addition to the built-in catalogue.
    pub extra_controls: Vec<Control>,
    /// Scan-findings files (`--findings`).
    pub findings_files: Vec<PathBuf>,
    /// The time findings ages are measured against (Unix seconds).
    pub now: i64,
    /// Where the Terraform sources of the plans are (`--source-dir`); without it, each
    /// plan's own directory.
    pub source_dir: Option<PathBuf>,
}

/// A message that is neither a control result nor an input error.
#[derive(Clone, Debug)]
pub struct Note {
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct NotEvaluated {
    pub control_id: String,
    pub reason: String,
}

/// Everything a run found, ready to render.
pub struct Report {
    pub db: SourceDb,
    pub controls: Vec<Control>,
    pub assets: Vec<Asset>,
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluated>,
    pub errors: Vec<InputError>,
    pub notes: Vec<Note>,
}

pub fn check(options: &CheckOptions) -> Report {
    let mut db = SourceDb::default();
    let mut controls = crate::controls::catalogue::builtin();
    controls.extend(options.extra_controls.iter().cloned());

    let inputs = discover::discover(&options.paths);
    let mut errors: Vec<InputError> = inputs
        .problems
        .iter()
        .map(|p| InputError {
            file: crate::source::display_path(&p.path),
            message: p.message.clone(),
            span: None,
        })
        .collect();
    if inputs.module_dirs.is_empty()
        && inputs.problems.is_empty()
        && inputs.json_documents.is_empty()
    {
        for p in &options.paths {
            errors.push(InputError {
                file: crate::source::display_path(p),
                message: "no Terraform files (.tf, .tf.json) found here".into(),
                span: None,
            });
        }
    }

    let output = hcl::run(&inputs, &mut db, &options.eval);
    errors.extend(output.errors);
    let mut roots = output.roots;
    let mut notes: Vec<Note> = Vec::new();

    // Plans (and other JSON inputs, which get a clear error) are detected by content.
    let mut relocation = Relocation::default();
    for doc in &inputs.json_documents {
        match plan::load(&mut db, doc, options.source_dir.as_deref()) {
            Ok(p) => {
                errors.extend(p.errors);
                notes.extend(p.notes.into_iter().map(|message| Note {
                    message,
                    span: None,
                }));
                relocation
                    .pointers
                    .extend(p.spans.into_iter().map(|(s, i)| (s, i.pointer)));
                relocation.anchors.extend(p.anchors);
                roots.push(p.root);
            }
            Err(e) => errors.push(e),
        }
    }

    for root in &roots {
        for n in &root.notes {
            notes.push(Note {
                message: n.message.clone(),
                span: Some(n.span),
            });
        }
    }
    let extraction = extract::extract(&roots, &db);
    for n in extraction.notes {
        notes.push(Note {
            message: n.message,
            span: Some(n.span),
        });
    }
    let mut assets = extraction.assets;
    if !options.findings_files.is_empty() {
        let mut scan_findings = Vec::new();
        for path in &options.findings_files {
            match crate::findings::read_file(path) {
                Ok(f) => scan_findings.extend(f),
                Err(message) => errors.push(InputError {
                    file: crate::source::display_path(path),
                    message,
                    span: None,
                }),
            }
        }
        crate::findings::attach(&mut assets, &scan_findings, options.now);
    }
    let outcomes = evaluate::evaluate(&controls, &assets);
    let order = |span: Span| (db.get(span.file).name.clone(), span.start);
    let mut findings = finding::build(&controls, &assets, &outcomes, order);
    if !relocation.is_empty() {
        relocation.apply(&mut findings, &mut assets, &mut notes);
        finding::sort(&mut findings, order);
    }
    let not_evaluated = not_evaluated(&controls, &assets);

    errors.sort_by(|a, b| {
        (&a.file, a.span.map(|s| s.start)).cmp(&(&b.file, b.span.map(|s| s.start)))
    });
    errors.dedup_by(|a, b| a.file == b.file && a.message == b.message && a.span == b.span);
    notes.sort_by_key(|n| n.span.map(|s| (db.get(s.file).name.clone(), s.start)));
    notes.dedup_by(|a, b| a.message == b.message && a.span == b.span);
    Report {
        db,
        controls,
        assets,
        findings,
        not_evaluated,
        errors,
        notes,
    }
}

/// Plan spans → what findings show: the `.tf` span they re-anchor to (when the sources
/// were found) and the JSON pointer of the plan value, kept as evidence.
#[derive(Default)]
struct Relocation {
    pointers: HashMap<Span, String>,
    anchors: HashMap<Span, Span>,
}

impl Relocation {
    fn is_empty(&self) -> bool {
        self.pointers.is_empty()
    }

    fn span(&self, span: Span) -> Span {
        self.anchors.get(&span).copied().unwrap_or(span)
    }

    fn apply(&self, findings: &mut [Finding], assets: &mut [Asset], notes: &mut [Note]) {
        for f in findings.iter_mut() {
            if let Some(pointer) = self.pointers.get(&f.span) {
                f.evidence = Some(Evidence {
                    span: f.span,
                    pointer: pointer.clone(),
                });
            }
            f.span = self.span(f.span);
            let mut related: Vec<Related> = Vec::new();
            for mut r in std::mem::take(&mut f.related) {
                r.span = self.span(r.span);
                if r.span != f.span && !related.iter().any(|x| x.span == r.span) {
                    related.push(r);
                }
            }
            f.related = related;
        }
        for a in assets.iter_mut() {
            a.header = self.span(a.header);
            for field in a.fields.values_mut() {
                field.span = field.span.map(|s| self.span(s));
                for r in &mut field.related {
                    r.span = self.span(r.span);
                }
            }
        }
        for n in notes.iter_mut() {
            n.span = n.span.map(|s| self.span(s));
        }
    }
}

/// Controls that could not be evaluated at all: every field they read is absent from every
/// asset they apply to (scan findings without a findings input, say). Listed once per run
/// instead of passing silently.
fn not_evaluated(controls: &[Control], assets: &[Asset]) -> Vec<NotEvaluated> {
    let mut out = Vec::new();
    for control in controls {
        let applicable: Vec<&Asset> = assets
            .iter()
            .filter(|a| control.applies_to_kind(&a.kind))
            .collect();
        if applicable.is_empty() {
            continue;
        }
        let fields: Vec<&str> = control
            .predicate
            .fields()
            .into_iter()
            .filter(|f| *f != "properties.container_registry.kind")
            .collect();
        let all_absent = fields.iter().all(|f| {
            applicable.iter().all(|a| {
                matches!(
                    a.field(f).map(|x| &x.value),
                    None | Some(FieldValue::Absent)
                )
            })
        });
        if all_absent && !fields.is_empty() {
            let reason = if fields.iter().any(|f| f.contains(".findings.")) {
                "needs image scan findings, which Terraform configuration does not contain: pass `aws ecr describe-image-scan-findings` or Amazon Inspector `list-findings` output with --findings FILE".to_string()
            } else {
                format!("no input provides {}", fields.join(", "))
            };
            out.push(NotEvaluated {
                control_id: control.id.clone(),
                reason,
            });
        }
    }
    out
}

impl Report {
    /// Exit code per SPEC §6: 2 for input errors, 1 for violations at or above
    /// `fail_on` (and inconclusive results when asked), 0 otherwise.
    pub fn exit_code(&self, fail_on: Severity, fail_on_inconclusive: bool) -> i32 {
        if !self.errors.is_empty() {
            return 2;
        }
        let failing = self.findings.iter().any(|f| {
            f.suppression.is_none()
                && f.severity >= fail_on
                && (f.outcome == OutcomeKind::Violation || fail_on_inconclusive)
        });
        i32::from(failing)
    }
}
