//! Replays the fuzz targets' seed corpora, every minimized crashing input found so far
//! (`fuzz/regressions/<target>/`), and the project's own inputs of each kind (which are the
//! targets' starting corpora too), so what fuzzing found stays fixed.

use std::path::{Path, PathBuf};

/// Files below `dir` (recursively) whose names end with one of `suffixes`.
fn files_below(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            files_below(&path, suffixes, out);
        } else if name != ".gitkeep" && suffixes.iter().any(|s| name.ends_with(s)) {
            out.push(path);
        }
    }
}

/// Runs `target` on `fuzz/{seeds,regressions}/<target>/` and on the files below each of
/// `project` (directory, file suffixes).
fn replay(target: &str, run: fn(&[u8]), project: &[(&str, &[&str])]) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["seeds", "regressions"] {
        files_below(
            &manifest.join("fuzz").join(dir).join(target),
            &[""],
            &mut files,
        );
    }
    for (dir, suffixes) in project {
        files_below(&manifest.join(dir), suffixes, &mut files);
    }
    files.sort();
    assert!(!files.is_empty(), "no inputs for the {target} target");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        // libFuzzer runs targets on an 8 MiB main thread; do the same.
        let name = file.display().to_string();
        std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || run(&data))
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{name} panics"));
    }
}

#[test]
fn hcl_inputs() {
    replay(
        "hcl",
        plangate::fuzzing::hcl,
        &[("examples", &[".tf"]), ("testdata", &[".tf", ".tf.json"])],
    );
}

#[test]
fn plan_inputs() {
    replay(
        "plan",
        plangate::fuzzing::plan,
        &[("testdata/plans", &[".json"])],
    );
}

#[test]
fn iam_policy_inputs() {
    replay("iam_policy", plangate::fuzzing::iam_policy, &[]);
}

#[test]
fn config_inputs() {
    replay(
        "config",
        plangate::fuzzing::config,
        &[
            ("examples", &[".plangate.yaml"]),
            ("testdata/cases/suppress", &[".plangate.yaml"]),
        ],
    );
}

#[test]
fn findings_inputs() {
    replay(
        "findings",
        plangate::fuzzing::findings,
        &[(
            "testdata/CTL.ECR.FINDINGS.UNRESOLVED.001",
            &["findings.json"],
        )],
    );
}
