//! The plan frontend: `terraform show -json` output → the evaluated instances the HCL path
//! produces (SPEC §4.2), plus what is needed to locate findings: each plan span's JSON
//! pointer, and, when the sources are present, the `.tf` span it re-anchors to.
//!
//! `detect` decides what a JSON input is, `json` parses it with positions, `address` reads
//! Terraform addresses, `lower` builds the instances and `anchor` maps plan spans to sources.

pub mod address;
pub mod anchor;
pub mod detect;
pub mod json;
pub mod lower;

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use crate::discover;
use crate::hcl::eval::EvalNote;
use crate::hcl::{InputError, RootResult};
use crate::source::{display_path, FileId, SourceDb, Span};
use detect::DocKind;
pub use lower::SpanInfo;

/// How `-` is shown in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// One plan, lowered and (when its sources are found) anchored.
pub struct PlanInput {
    pub root: RootResult,
    /// Every span in the plan file that lowering produced, with its JSON pointer.
    pub spans: HashMap<Span, SpanInfo>,
    /// Plan span → source span, for the resources found in the sources.
    pub anchors: HashMap<Span, Span>,
    pub notes: Vec<String>,
    /// Problems that do not stop the plan from being linted (a `--source-dir` without
    /// Terraform files).
    pub errors: Vec<InputError>,
}

/// Is `path` standard input (`-`)?
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    if is_stdin(path) {
        // Waiting for someone to type a plan would look like a hang.
        if std::io::stdin().is_terminal() {
            return Err("standard input is a terminal, not a plan: pipe one in, as in `terraform show -json plan.out | plangate check -`".into());
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(discover::MAX_PLAN_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input cannot be read: {e}"))?;
        if bytes.len() as u64 > discover::MAX_PLAN_BYTES {
            return Err(format!(
                "standard input is larger than the {} MiB plangate reads",
                discover::MAX_PLAN_BYTES / (1024 * 1024)
            ));
        }
        return Ok(bytes);
    }
    discover::read_bytes_capped(path, discover::MAX_PLAN_BYTES)
}

/// Reads, detects, lowers and anchors one JSON input. `Err` when it is not a plan
/// plangate can read (with a message saying what it is and what to do).
pub fn load(
    db: &mut SourceDb,
    path: &Path,
    source_dir: Option<&Path>,
) -> Result<PlanInput, InputError> {
    let (file, doc) = read(db, path)?;
    load_parsed(db, path, file, &doc, source_dir)
}

/// Reads a JSON input (a file, or `-` for standard input) once into the database and
/// parses it with positions: plans, snapshots and AWS CLI output are all told apart from
/// this one parse.
pub fn read(db: &mut SourceDb, path: &Path) -> Result<(FileId, json::Json), InputError> {
    let name = if is_stdin(path) {
        STDIN_NAME.to_string()
    } else {
        display_path(path)
    };
    let error = |message: String| InputError {
        file: name.clone(),
        message,
        span: None,
    };
    let bytes = read_bytes(path).map_err(&error)?;
    if let Some(hint) = detect::binary_plan_hint(&bytes) {
        return Err(error(hint));
    }
    let text = discover::decode_text(bytes).map_err(&error)?;
    let shown_path = if is_stdin(path) {
        PathBuf::from(STDIN_NAME)
    } else {
        path.to_path_buf()
    };
    let file = db.add(name.clone(), shown_path, text);
    let doc = json::parse(&db.get(file).text).map_err(|e| InputError {
        file: name.clone(),
        message: format!("this JSON input does not parse: {}", e.message),
        span: Some(Span::new(file, e.offset, e.offset)),
    })?;
    Ok((file, doc))
}

/// Lowers a JSON input already read by [`read`], or says why it is not a plan.
pub fn load_parsed(
    db: &mut SourceDb,
    path: &Path,
    file: FileId,
    doc: &json::Json,
    source_dir: Option<&Path>,
) -> Result<PlanInput, InputError> {
    let name = db.get(file).name.clone();
    if let DocKind::Unsupported(message) = detect::classify(doc) {
        return Err(InputError {
            file: name,
            message,
            span: None,
        });
    }
    let lowered = lower::lower(doc, file);

    // The sources: `--source-dir`, else the plan's own directory (the current directory
    // for standard input, where `terraform show -json plan.out | plangate check -` runs).
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let root_dir = match source_dir {
        Some(d) => discover::normalize(d),
        None if is_stdin(path) => discover::normalize(Path::new(".")),
        None => discover::normalize(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    let sources = anchor::load_sources(db, &root_dir, doc.get("configuration"), &mut notes);
    // Notes about sources have no span: they name the plan they are about.
    for n in &mut notes {
        *n = format!("{name}: {n}");
    }
    let mut anchors = HashMap::new();
    match sources {
        Some(sources) => {
            let (map, missing) = anchor::anchor(&lowered.spans, &sources);
            anchors = map;
            if !missing.is_empty() {
                let list: Vec<String> = missing.iter().take(5).map(|m| format!("`{m}`")).collect();
                notes.push(format!(
                    "{name}: {} {} in the plan but not in the sources in {}; {} findings point into the plan (are these the sources the plan was made from?)",
                    list.join(", "),
                    if missing.len() == 1 { "is" } else { "are" },
                    display_path(&root_dir),
                    if missing.len() == 1 { "its" } else { "their" },
                ));
            }
        }
        None if source_dir.is_some() => errors.push(InputError {
            file: display_path(&root_dir),
            message: "--source-dir: no Terraform files (.tf, .tf.json) here; findings point into the plan".into(),
            span: None,
        }),
        None => {}
    }
    let root = RootResult {
        dir: shown_path_dir(path),
        display: name,
        instances: lowered.instances,
        notes: lowered
            .notes
            .into_iter()
            .map(|(message, span)| EvalNote { message, span })
            .collect(),
    };
    Ok(PlanInput {
        root,
        spans: lowered.spans,
        anchors,
        notes,
        errors,
    })
}

fn shown_path_dir(path: &Path) -> PathBuf {
    if is_stdin(path) {
        PathBuf::from(STDIN_NAME)
    } else {
        discover::normalize(path)
    }
}
