//! Entry points for the fuzz targets (`fuzz/`) and for replaying their corpora in
//! `cargo test`: each runs one frontend on arbitrary bytes, in memory, through every stage
//! after it. None may panic or hang, whatever the input.

use std::path::PathBuf;
use std::sync::Arc;

use crate::controls::{catalogue, evaluate};
use crate::hcl::config::Module;
use crate::hcl::eval::{Evaluator, ModuleSet, RootInputs};
use crate::hcl::RootResult;
use crate::report::finding;
use crate::run::Report;
use crate::source::SourceDb;

/// HCL text (as `.tf`, and the same bytes as `.tf.json`): parse, evaluate, extract,
/// check and render.
pub fn hcl(data: &[u8]) {
    let Ok(text) = crate::discover::decode_text(data.to_vec()) else {
        return;
    };
    for name in ["fuzz/main.tf", "fuzz/main.tf.json"] {
        let mut db = SourceDb::default();
        let dir = PathBuf::from("/nonexistent-fuzz-module");
        let id = db.add(name.into(), dir.join(name), text.clone());
        let Ok(body) = crate::hcl::parse_file(&db, id) else {
            continue;
        };
        let mut module = Module::new(dir.clone(), "fuzz".into());
        module.add_file(body);
        let module = Arc::new(module);
        let set = ModuleSet {
            modules: [(dir.clone(), module.clone())].into_iter().collect(),
            installed: Default::default(),
        };
        let evaluation = Evaluator::new(&set).evaluate_root(&module, RootInputs::default());
        let roots = vec![RootResult {
            dir,
            display: "fuzz".into(),
            instances: evaluation.instances,
            notes: evaluation.notes,
        }];
        let extraction = crate::extract::extract(&roots, &db, &Default::default());
        render(db, extraction.assets);
    }
}

fn render(db: SourceDb, assets: Vec<crate::snapshot::Asset>) {
    let controls = catalogue::builtin();
    let outcomes = evaluate::evaluate(&controls, &assets);
    let findings = finding::build(&controls, &assets, &outcomes, &db);
    let report = Report {
        db,
        controls,
        assets,
        findings,
        not_evaluated: vec![],
        errors: vec![],
        notes: vec![],
        config_fail_on: None,
    };
    let _ = crate::report::json::render(&report);
    let _ = crate::report::text::render(&report, false);
}

/// A plan JSON document: decode, parse with positions, classify, lower, extract, check.
pub fn plan(data: &[u8]) {
    let Ok(text) = crate::discover::decode_text(data.to_vec()) else {
        return;
    };
    let mut db = SourceDb::default();
    let file = db.add(
        "fuzz/plan.json".into(),
        PathBuf::from("fuzz/plan.json"),
        text,
    );
    let Ok(doc) = crate::plan::json::parse(&db.get(file).text) else {
        return;
    };
    if let crate::plan::detect::DocKind::Unsupported(_) = crate::plan::detect::classify(&doc) {
        return;
    }
    let lowered = crate::plan::lower::lower(&doc, file);
    let roots = vec![RootResult {
        dir: PathBuf::from("fuzz"),
        display: "fuzz".into(),
        instances: lowered.instances,
        notes: vec![],
    }];
    let extraction = crate::extract::extract(&roots, &db, &Default::default());
    render(db, extraction.assets);
}

/// An IAM policy document: parse and analyse.
pub fn iam_policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = crate::extract::iam_policy::parse_policy_json(text) {
        let _ = crate::extract::iam_policy::analyze(&doc);
    }
}

/// A `.plangate.yaml` file.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::config::parse(text);
}

/// A scan-findings file.
pub fn findings(data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(findings) = crate::findings::parse(&doc) {
        let _ = findings.len();
    }
}
