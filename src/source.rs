//! The read stage: every input file's text, a `FileId` for it, and byte spans into it.
//!
//! Everything upstream of rendering speaks in byte offsets; line and column are computed
//! here, once per file, only when a diagnostic is rendered.

use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The span from `range` (as hcl-edit reports it) in `file`, shifted by `base`
    /// (non-zero when the text was parsed out of a larger file, e.g. a `.tf.json` string).
    pub fn from_range(
        file: FileId,
        range: Option<std::ops::Range<usize>>,
        base: usize,
    ) -> Option<Span> {
        range.map(|r| Span::new(file, base + r.start, base + r.end))
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One file as read from disk (or standard input).
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user: relative to the current directory, `/`-separated.
    pub name: String,
    /// Path on disk, for resolving module sources and `file()` calls.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// Columns are byte distances in an ASCII file: no counting per position (a one-line
    /// plan of megabytes would make that quadratic).
    ascii: bool,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            ascii: text.is_ascii(),
            name,
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        if self.ascii {
            return (line + 1, offset - start + 1);
        }
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

/// All files of a run. Files are only ever added, so a `FileId` stays valid.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn add(&mut self, name: String, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile::new(name, path, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn find_by_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The user-facing name of `path`: relative to the current directory when it lies under it,
/// always with `/` separators, so reports are the same on every machine.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = match cwd.as_deref() {
        Some(cwd) => relative_to(path, cwd),
        None => path.to_path_buf(),
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

/// `path` relative to `base`, going up with `..` when it is not below it (as long as the
/// two share more than the file system root); otherwise `path` unchanged.
fn relative_to(path: &Path, base: &Path) -> std::path::PathBuf {
    if let Ok(rel) = path.strip_prefix(base) {
        return rel.to_path_buf();
    }
    if !path.is_absolute() {
        return path.to_path_buf();
    }
    let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Sharing only `/` is no relation worth expressing with `..`.
    if common <= 1 {
        return path.to_path_buf();
    }
    let mut out = std::path::PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_base_go_up() {
        assert_eq!(
            relative_to(Path::new("/w/main/a.tf"), Path::new("/w/main")),
            Path::new("a.tf")
        );
        assert_eq!(
            relative_to(Path::new("/w/shared/p.json"), Path::new("/w/main")),
            Path::new("../shared/p.json")
        );
        assert_eq!(
            relative_to(Path::new("/tmp/x.tf"), Path::new("/w/main")),
            Path::new("/tmp/x.tf")
        );
    }

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\n\u{e9}x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_text(2), "\u{e9}x");
        assert_eq!(f.line_text(9), "");
    }
}
