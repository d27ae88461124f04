//! Replays the fuzz targets' seed corpora and every minimized crashing input found so far
//! (`fuzz/regressions/<target>/`), so what fuzzing found stays fixed.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for file in files
            .into_iter()
            .filter(|f| f.file_name().is_some_and(|n| n != ".gitkeep"))
        {
            let data = std::fs::read(&file).unwrap();
            // libFuzzer runs targets on an 8 MiB main thread; do the same.
            let name = file.display().to_string();
            std::thread::Builder::new()
                .stack_size(8 * 1024 * 1024)
                .spawn(move || run(&data))
                .unwrap()
                .join()
                .unwrap_or_else(|_| panic!("{name} panics"));
            count += 1;
        }
    }
    assert!(count > 0, "no inputs for the {target} target");
}

#[test]
fn hcl_inputs() {
    replay("hcl", plangate::fuzzing::hcl);
}

#[test]
fn plan_inputs() {
    replay("plan", plangate::fuzzing::plan);
}

#[test]
fn iam_policy_inputs() {
    replay("iam_policy", plangate::fuzzing::iam_policy);
}

#[test]
fn config_inputs() {
    replay("config", plangate::fuzzing::config);
}

#[test]
fn findings_inputs() {
    replay("findings", plangate::fuzzing::findings);
}
