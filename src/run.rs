//! One `plangate check` run: every stage of the pipeline in order, with nothing rendered.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::{self, Config};
use crate::controls::catalogue::{Control, Severity};
use crate::controls::evaluate::{self, OutcomeKind};
use crate::discover;
use crate::extract;
use crate::hcl::{self, EvalOptions, InputError};
use crate::plan;
use crate::report::finding::{self, Evidence, Finding};
use crate::snapshot::{Asset, FieldValue, Related};
use crate::source::{FileId, SourceDb, Span};
use crate::suppress;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub eval: EvalOptions,
    /// Extra controls, loaded in addition to the built-in catalogue.
    pub extra_controls: Vec<Control>,
    /// Scan-findings files (`--findings`).
    pub findings_files: Vec<PathBuf>,
    /// The time findings ages and ignore expiry dates are measured against (Unix seconds).
    pub now: i64,
    /// `--config FILE`; without it, `.plangate.yaml` is looked up from the first path.
    pub config: Option<PathBuf>,
    /// `--baseline FILE`: findings recorded there are reported as suppressed.
    pub baseline: Option<PathBuf>,
    /// Where the Terraform sources of the plans are (`--source-dir`); without it, each
    /// plan's own directory.
    pub source_dir: Option<PathBuf>,
}

/// A message that is neither a control result nor an input error.
#[derive(Clone, Debug)]
pub struct Note {
    /// What kind of note, for machines: `module-unavailable`, `dangling-link`,
    /// `ignore-unused`, `ignore-expired`, …
    pub kind: &'static str,
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
    /// `fail_on` from the config file, used when `--fail-on` is not given.
    pub config_fail_on: Option<Severity>,
}

/// The config file that applies, read into the database so its errors have positions.
fn load_config(
    options: &CheckOptions,
    db: &mut SourceDb,
    errors: &mut Vec<InputError>,
) -> Option<(Config, FileId)> {
    let path = match &options.config {
        Some(p) => p.clone(),
        None => config::find(options.paths.first().filter(|p| p.as_os_str() != "-")?)?,
    };
    let id = match hcl::read_file(db, &path) {
        Ok(id) => id,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    match config::parse(&db.get(id).text) {
        Ok(c) => Some((c, id)),
        Err(e) => {
            errors.push(InputError {
                file: db.get(id).name.clone(),
                message: format!("invalid configuration: {}", e.message),
                span: e.offset.map(|o| Span::new(id, o, o)),
            });
            None
        }
    }
}

/// Where a top-level `assume` fact is written in the config file.
fn fact_span(db: &SourceDb, file: FileId, key: &str) -> Option<Span> {
    let text = &db.get(file).text;
    let at = text.find("assume:")?;
    let offset = at + text[at..].find(&format!("{key}:"))?;
    Some(Span::new(file, offset, offset + key.len()))
}

pub fn check(options: &CheckOptions) -> Report {
    let mut db = SourceDb::default();
    let mut errors: Vec<InputError> = Vec::new();
    let loaded = load_config(options, &mut db, &mut errors);
    let config_dir = loaded
        .as_ref()
        .and_then(|(_, id)| db.get(*id).path.parent().map(discover::normalize));

    let mut controls = crate::controls::catalogue::builtin();
    controls.extend(options.extra_controls.iter().cloned());
    if let Some((config, _)) = &loaded {
        controls.retain(|c| config.controls.is_enabled(&c.id));
    }

    let mut inputs = discover::discover(&options.paths);
    if let (Some((config, _)), Some(dir)) = (&loaded, &config_dir) {
        // `exclude` globs are relative to the config file's directory.
        let excluded = |path: &std::path::Path| {
            path.strip_prefix(dir).ok().is_some_and(|rel| {
                let rel = rel.to_string_lossy().replace('\\', "/");
                config.exclude.iter().any(|g| {
                    config::glob_match(g, &rel)
                        || config::glob_match(g.trim_end_matches("/**"), &rel)
                })
            })
        };
        inputs.module_dirs.retain(|d, _| !excluded(d));
    }
    let mut eval_options = options.eval.clone();
    if let (Some((config, _)), Some(dir)) = (&loaded, &config_dir) {
        // Config var files come first: command-line values override them.
        let files = config
            .var_files
            .iter()
            .map(|f| hcl::VarArg::File(discover::normalize(&dir.join(f))));
        eval_options.var_args = files.chain(eval_options.var_args).collect();
    }
    errors.extend(inputs.problems.iter().map(|p| InputError {
        file: crate::source::display_path(&p.path),
        message: p.message.clone(),
        span: None,
    }));
    if inputs.module_dirs.is_empty()
        && inputs.problems.is_empty()
        && inputs.json_documents.is_empty()
        && inputs.state_candidates.is_empty()
    {
        for p in &options.paths {
            errors.push(InputError {
                file: crate::source::display_path(p),
                message: "no Terraform files (.tf, .tf.json) found here".into(),
                span: None,
            });
        }
    }

    let output = hcl::run(&inputs, &mut db, &eval_options);
    errors.extend(output.errors);
    let mut roots = output.roots;
    let mut notes: Vec<Note> = Vec::new();

    // JSON inputs are detected by content: AWS CLI output (deployed state), snapshots,
    // plans; anything else named on the command line gets a clear error. JSON files found
    // in directories without Terraform are read only if they are AWS CLI output.
    let mut relocation = Relocation::default();
    let mut state_instances = Vec::new();
    let mut snapshot_assets = Vec::new();
    for candidate in &inputs.state_candidates {
        if let Some(instances) = crate::aws_state::load_file(&mut db, candidate) {
            state_instances.extend(instances);
        }
    }
    for doc in &inputs.json_documents {
        // Read and parsed once; then told apart by content.
        let (file, parsed) = match plan::read(&mut db, doc) {
            Ok(read) => read,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(kind) = crate::aws_state::classify(&parsed) {
            state_instances.extend(crate::aws_state::lower(&parsed, kind, file));
            continue;
        }
        match crate::snapshot_json::from_document(&mut db, file, &parsed) {
            Some(Ok(assets)) => {
                snapshot_assets.extend(assets);
                continue;
            }
            Some(Err(message)) => {
                errors.push(InputError {
                    file: db.get(file).name.clone(),
                    message,
                    span: None,
                });
                continue;
            }
            None => {}
        }
        match plan::load_parsed(&mut db, doc, file, &parsed, options.source_dir.as_deref()) {
            Ok(p) => {
                errors.extend(p.errors);
                notes.extend(p.notes.into_iter().map(|message| Note {
                    kind: "plan",
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

    if !state_instances.is_empty() {
        roots.push(crate::aws_state::root(state_instances));
    }
    for root in &roots {
        for n in &root.notes {
            notes.push(Note {
                kind: "evaluation",
                message: n.message.clone(),
                span: Some(n.span),
            });
        }
    }
    let assumed = match &loaded {
        Some((config, id)) => extract::assume::Assumed {
            facts: Some(&config.assume),
            registry_scanning_span: fact_span(&db, *id, "registry_scanning"),
            signing_span: fact_span(&db, *id, "signing"),
        },
        None => extract::assume::Assumed::default(),
    };
    let extraction = extract::extract(&roots, &db, &assumed);
    for n in extraction.notes {
        notes.push(Note {
            kind: "link",
            message: n.message,
            span: Some(n.span),
        });
    }
    let mut assets = extraction.assets;
    assets.extend(snapshot_assets);
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
    let mut findings = finding::build(&controls, &assets, &outcomes, &db);
    if !relocation.is_empty() {
        relocation.apply(&mut findings, &mut assets, &mut notes);
        finding::sort(&mut findings, &db);
    }
    let not_evaluated = not_evaluated(&controls, &assets);

    let baseline = options.baseline.as_ref().and_then(|path| {
        let read = discover::read_capped(path).and_then(|text| suppress::read_baseline(&text));
        match read {
            Ok(keys) => Some((crate::source::display_path(path), keys)),
            Err(message) => {
                errors.push(InputError {
                    file: crate::source::display_path(path),
                    message,
                    span: None,
                });
                None
            }
        }
    });
    notes.extend(suppress::apply(
        &mut findings,
        &assets,
        &controls,
        &db,
        &suppress::Inputs {
            config: loaded.as_ref().map(|(c, _)| c),
            config_file: loaded.as_ref().map(|(_, id)| *id),
            baseline,
            today: options.now.div_euclid(86_400),
        },
    ));

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
        config_fail_on: loaded.and_then(|(c, _)| c.fail_on),
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
