//! `plangate snapshot`: the assets a check would evaluate, as snapshot JSON.

use clap::ArgMatches;

use super::SnapshotArgs;
use crate::run;

pub fn run(args: &SnapshotArgs, matches: Option<&ArgMatches>) -> i32 {
    let options = match super::check::options(&args.input, matches) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("plangate: {e}");
            return 2;
        }
    };
    let report = run::check(&options);
    for e in &report.errors {
        eprintln!("plangate: {}: {}", e.file, e.message);
    }
    let doc = crate::snapshot_json::to_json(
        &report.assets,
        &report.db,
        "terraform.hcl",
        &crate::snapshot_json::rfc3339(options.now),
    );
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("plangate: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => print!("{text}"),
    }
    if report.errors.is_empty() {
        0
    } else {
        2
    }
}
