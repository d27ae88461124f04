//! The discover stage: which files and module directories a run covers. Never parses.
//!
//! Directories are walked recursively (skipping `.terraform/`, `.git/` and other hidden
//! directories), symlinks are followed once (a loop is reported, not walked forever), and
//! everything comes back sorted so that every run is deterministic.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

/// Files larger than this are refused with a message rather than read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Plans of large estates run to hundreds of megabytes: they get a larger limit.
pub const MAX_PLAN_BYTES: u64 = 128 * 1024 * 1024;

/// A problem with an input path, before any parsing.
#[derive(Clone, Debug)]
pub struct InputProblem {
    pub path: PathBuf,
    pub message: String,
}

/// What a run covers.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Module directories found, with their `.tf`/`.tf.json` files, sorted.
    pub module_dirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Directories named on the command line (or selected by a file argument).
    pub named_dirs: BTreeSet<PathBuf>,
    /// JSON files that are not `.tf.json`: plans or snapshots, routed by content.
    pub json_documents: Vec<PathBuf>,
    /// JSON files in scanned directories that hold no Terraform: read if they are AWS CLI
    /// output (deployed state), ignored otherwise.
    pub state_candidates: Vec<PathBuf>,
    pub problems: Vec<InputProblem>,
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) and makes it absolute, without
/// touching the file system (module sources may name directories through symlinks).
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub fn is_terraform_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Reads a file as text: refuses huge files, strips a UTF-8 byte-order mark, and names
/// the first invalid byte of a file that is not UTF-8.
pub fn read_capped(path: &Path) -> Result<String, String> {
    decode_text(read_bytes_capped(path, MAX_FILE_BYTES)?)
}

/// Reads a file's bytes, refusing huge files.
pub fn read_bytes_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| describe_io(&e))?;
    // A FIFO, a device or a directory is never Terraform: opening a FIFO would block,
    // reading /dev/zero would never end.
    if meta.is_dir() {
        return Err("this is a directory, not a file".into());
    }
    if !meta.is_file() {
        return Err("this is not a regular file (a FIFO, socket or device); not read".into());
    }
    if meta.len() > max {
        return Err(format!(
            "the file is {} MiB, larger than the {} MiB plangate reads",
            meta.len() / (1024 * 1024),
            max / (1024 * 1024)
        ));
    }
    // Bounded even if the file grows between the size check and the read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let file = std::fs::File::open(path).map_err(|e| describe_io(&e))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max + 1), &mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "the file grew past the {} MiB plangate reads",
            max / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// The first `max` bytes of `text` at most, cut at a character boundary: for sniffing what
/// a document is without parsing all of it.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_text(rest.to_vec());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16(&units).map_err(|_| "the file is not valid UTF-16".to_string());
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("the file is binary, not text".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        format!(
            "the file is not valid UTF-8: invalid byte at line {line}, column {column} (byte offset {at}); save it as UTF-8"
        )
    })
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied: the file cannot be read".into(),
        _ => e.to_string(),
    }
}

/// Finds the module directories and other inputs under the given paths.
pub fn discover(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    let mut visited = HashSet::new();
    for path in paths {
        // `-` is standard input: a plan piped from `terraform show -json`.
        if path.as_os_str() == "-" {
            inputs.json_documents.push(path.clone());
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                inputs.problems.push(InputProblem {
                    path: path.clone(),
                    message: describe_io(&e),
                });
                continue;
            }
        };
        let abs = normalize(path);
        if meta.is_dir() {
            inputs.named_dirs.insert(abs.clone());
            walk(&abs, &mut inputs, &mut visited, 0);
        } else if is_terraform_file(&abs) {
            // A file argument (as pre-commit passes them) selects its directory.
            let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            inputs.named_dirs.insert(dir.clone());
            add_module_dir(&dir, &mut inputs);
        } else if abs.extension().is_some_and(|e| e == "json") || looks_like_plan(&abs) {
            inputs.json_documents.push(abs);
        } else {
            inputs.problems.push(InputProblem {
                path: path.clone(),
                message: "not a Terraform file (.tf, .tf.json), a directory, or a JSON plan".into(),
            });
        }
    }
    inputs.json_documents.sort();
    inputs.json_documents.dedup();
    inputs
}

/// Plans are recognised by content, not name (`tfplan`, `plan.txt`): a file whose text
/// starts like a JSON object, in any encoding `decode_text` reads, or a saved binary plan
/// (a zip archive), which the plan reader then explains how to convert.
fn looks_like_plan(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if file.take(64).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"PK\x03\x04") {
        return true;
    }
    let text: String = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        // UTF-16: the ASCII characters are every other byte.
        head[2..]
            .iter()
            .filter(|b| **b != 0)
            .map(|b| *b as char)
            .collect()
    } else {
        String::from_utf8_lossy(head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&head))
            .into_owned()
    };
    text.trim_start().starts_with('{')
}

/// Adds one directory's Terraform files (not its subdirectories).
fn add_module_dir(dir: &Path, inputs: &mut Inputs) {
    if inputs.module_dirs.contains_key(dir) {
        return;
    }
    let files = terraform_files_in(dir, &mut inputs.problems);
    if !files.is_empty() {
        inputs.module_dirs.insert(dir.to_path_buf(), files);
    }
}

/// The `.tf`/`.tf.json` files directly in `dir`, sorted.
pub fn terraform_files_in(dir: &Path, problems: &mut Vec<InputProblem>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(InputProblem {
                path: dir.to_path_buf(),
                message: describe_io(&e),
            });
            return vec![];
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| is_terraform_file(p) && !p.is_dir())
        .collect();
    files.sort();
    // A `.tf` name on something that is not a regular file (a FIFO, a broken link) is
    // reported, not silently skipped: the user meant it to be linted.
    files.retain(|p| {
        let regular = p.is_file();
        if !regular {
            problems.push(InputProblem {
                path: p.clone(),
                message: if std::fs::metadata(p).is_err() {
                    "a broken symbolic link: its target does not exist".into()
                } else {
                    "this is not a regular file (a FIFO, socket or device); not read".into()
                },
            });
        }
        regular
    });
    files
}

const MAX_WALK_DEPTH: usize = 64;

fn walk(dir: &Path, inputs: &mut Inputs, visited: &mut HashSet<PathBuf>, depth: usize) {
    // Directory symlinks are not followed, so a directory seen twice was named twice
    // (`plangate check . ./envs`): scan it once, silently.
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(real) {
        return;
    }
    if depth > MAX_WALK_DEPTH {
        inputs.problems.push(InputProblem {
            path: dir.to_path_buf(),
            message: format!(
                "directories nest more than {MAX_WALK_DEPTH} levels deep here; skipped"
            ),
        });
        return;
    }
    add_module_dir(dir, inputs);
    if !inputs.module_dirs.contains_key(dir) {
        let mut json: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        json.sort();
        inputs.state_candidates.extend(json);
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // Symbolic links to directories are not followed: they can lead out of the scanned
    // tree (to `/`, `/proc`) or back into it under another name.
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        walk(&sub, inputs, visited, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn decode_handles_bom_utf16_binary_and_bad_utf8() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa = 1".to_vec()).unwrap(), "a = 1");
        assert_eq!(
            decode_text(vec![0xFF, 0xFE, b'{', 0, b'}', 0]).unwrap(),
            "{}"
        );
        assert!(decode_text(vec![1, 0, 2]).unwrap_err().contains("binary"));
        assert!(decode_text(vec![b'a', 0xC3, b'('])
            .unwrap_err()
            .contains("offset 1"));
    }
}
