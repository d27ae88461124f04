//! The GitHub Action (`action.yml`) run as the runner would run it: its `run:` steps in
//! order, with bash, in a simulated GitHub environment (GITHUB_WORKSPACE, GITHUB_OUTPUT,
//! GITHUB_STEP_SUMMARY, GITHUB_PATH, RUNNER_TEMP), the test's own build of plangate on
//! PATH, and a `cargo` that fails if called, so the build step must see it can skip.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value as Yaml;

#[path = "support/sarif_schema.rs"]
mod sarif_schema;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What one run of the action left behind.
#[derive(Debug)]
struct ActionRun {
    /// The exit code of the step that failed, or 0.
    exit_code: i32,
    /// The `outputs:` of the action, resolved from its steps' outputs.
    outputs: BTreeMap<String, String>,
    /// The job summary (GITHUB_STEP_SUMMARY) after the run.
    summary: String,
    /// Everything the steps printed.
    log: String,
    /// The ids of the steps that ran.
    ran: Vec<String>,
}

fn load_action() -> Yaml {
    let text = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).expect("action.yml");
    serde_yaml_ng::from_str(&text).expect("action.yml is YAML")
}

fn str_of(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Null => String::new(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

/// `${{ inputs.x }}` and `${{ steps.id.outputs.y }}`: the only expressions the harness
/// knows. Anything else in a `run:` step's `env:` fails the test rather than being guessed.
fn resolve(
    text: &str,
    inputs: &BTreeMap<String, String>,
    steps: &BTreeMap<String, BTreeMap<String, String>>,
) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*([^}]+?)\s*\}\}").unwrap();
    re.replace_all(text, |caps: &regex::Captures| {
        let expr = &caps[1];
        let parts: Vec<&str> = expr.split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => inputs
                .get(*name)
                .unwrap_or_else(|| panic!("unknown input {name}"))
                .clone(),
            ["steps", id, "outputs", name] => steps
                .get(*id)
                .and_then(|o| o.get(*name))
                .cloned()
                .unwrap_or_default(),
            _ => panic!("the action test cannot evaluate `{expr}`"),
        }
    })
    .into_owned()
}

/// `name=value` lines, as the runner reads GITHUB_OUTPUT (and `name<<EOF` blocks).
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plangate-action-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the action's steps with `given` inputs, in the repository checked out at `workspace`.
fn run_action(tmp: &Path, workspace: &Path, given: &[(&str, &str)]) -> ActionRun {
    let action = load_action();
    assert_eq!(str_of(&action["runs"]["using"]), "composite");
    let mut inputs = BTreeMap::new();
    for (name, spec) in action["inputs"].as_mapping().expect("inputs") {
        inputs.insert(str_of(name), str_of(&spec["default"]));
    }
    for (name, value) in given {
        assert!(
            inputs.contains_key(*name),
            "no input `{name}` in action.yml"
        );
        inputs.insert(name.to_string(), value.to_string());
    }

    // A `cargo` that must never run: plangate is already on PATH at the action's version.
    let fake_bin = tmp.join("fake-bin");
    std::fs::create_dir_all(&fake_bin).unwrap();
    let cargo = fake_bin.join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\necho \"cargo was called: $*\" >&2\nexit 97\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let plangate_dir = Path::new(env!("CARGO_BIN_EXE_plangate")).parent().unwrap();
    let mut path_dirs: Vec<PathBuf> = vec![fake_bin, plangate_dir.to_path_buf()];
    path_dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));

    let summary = tmp.join("step-summary.md");
    let github_path = tmp.join("github-path");
    let github_env = tmp.join("github-env");
    let runner_temp = tmp.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    for f in [&summary, &github_path, &github_env] {
        std::fs::write(f, "").unwrap();
    }

    let mut step_outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut log = String::new();
    let mut ran = Vec::new();
    let mut exit_code = 0;
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    for (n, step) in steps.iter().enumerate() {
        let id = step
            .get("id")
            .map(str_of)
            .unwrap_or_else(|| format!("step{n}"));
        if step.get("uses").is_some() {
            // A `uses:` step (the cache) is GitHub's own; it must be optional for the
            // action to work without it, as it does here.
            assert!(
                step.get("if").is_some(),
                "`uses:` step {id} should be conditional"
            );
            continue;
        }
        let script = str_of(step.get("run").expect("a run or uses step"));
        assert_eq!(
            step.get("shell").map(str_of).as_deref(),
            Some("bash"),
            "{id}"
        );
        assert!(
            step.get("if").is_none(),
            "run step {id}: put conditions in the script"
        );
        assert!(
            !script.contains("${{"),
            "run step {id}: pass inputs through env:, never into the script text"
        );
        let output_file = tmp.join(format!("output-{id}"));
        std::fs::write(&output_file, "").unwrap();
        let script_file = tmp.join(format!("step-{id}.sh"));
        std::fs::write(&script_file, &script).unwrap();
        let mut cmd = Command::new("bash");
        // The runner's own invocation for `shell: bash`.
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(workspace)
            .env("PATH", std::env::join_paths(&path_dirs).unwrap())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", ROOT)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_ENV", &github_env)
            .env("RUNNER_TEMP", &runner_temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env_remove("NO_COLOR");
        if let Some(env) = step.get("env").and_then(Yaml::as_mapping) {
            for (k, v) in env {
                cmd.env(str_of(k), resolve(&str_of(v), &inputs, &step_outputs));
            }
        }
        let out = cmd.output().expect("run bash");
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        let outputs = parse_outputs(&std::fs::read_to_string(&output_file).unwrap());
        step_outputs.insert(id.clone(), outputs);
        ran.push(id);
        // GITHUB_PATH additions apply to the steps after this one.
        for dir in std::fs::read_to_string(&github_path).unwrap().lines().rev() {
            if !path_dirs.iter().any(|d| d == Path::new(dir)) {
                path_dirs.insert(0, PathBuf::from(dir));
            }
        }
        let code = out.status.code().unwrap_or(-1);
        if code != 0 {
            // A failing step ends the action; later steps do not run.
            exit_code = code;
            break;
        }
    }

    let mut outputs = BTreeMap::new();
    for (name, spec) in action["outputs"].as_mapping().expect("outputs") {
        outputs.insert(
            str_of(name),
            resolve(&str_of(&spec["value"]), &inputs, &step_outputs),
        );
    }
    ActionRun {
        exit_code,
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap(),
        log,
        ran,
    }
}

fn valid_sarif(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("the SARIF file was written");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let errors = sarif_schema::errors(&sarif_schema::validator(), &doc);
    assert!(errors.is_empty(), "{errors:#?}");
    doc
}

#[test]
fn a_failing_example_fails_the_step_with_annotations_summary_outputs_and_sarif() {
    let tmp = scratch("insecure");
    let sarif = tmp.join("out/plangate.sarif");
    let run = run_action(
        &tmp,
        Path::new(ROOT),
        &[
            ("paths", "examples/insecure"),
            ("sarif-file", sarif.to_str().unwrap()),
        ],
    );
    assert_eq!(run.exit_code, 1, "{}", run.log);
    assert_eq!(run.ran, ["plan", "build", "check"], "every run step ran");
    assert_eq!(run.outputs["findings"], "17", "{:?}", run.outputs);
    assert_eq!(run.outputs["inconclusive"], "0");
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["sarif-file"], sarif.to_str().unwrap());
    assert!(!run.log.contains("cargo was called"), "{}", run.log);
    assert!(
        run.log
            .contains("::error file=examples/insecure/main.tf,line=35,col=7,"),
        "{}",
        run.log
    );
    assert!(run.summary.starts_with("## plangate\n"), "{}", run.summary);
    assert!(run
        .summary
        .contains("| Severity | Control | Asset | Location | Finding |"));
    assert!(run.summary.contains("`CTL.ECR.PUBLIC.001`"));
    let doc = valid_sarif(&sarif);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 17);
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn a_passing_case_passes_and_still_reports() {
    let tmp = scratch("clean");
    let run = run_action(
        &tmp,
        Path::new(ROOT),
        &[
            ("paths", "testdata/cases/clean"),
            ("fail-on", "high"),
            ("sarif-file", tmp.join("clean.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(run.exit_code, 0, "{}", run.log);
    // SIGNING (medium) remains: counted, annotated, below the fail-on threshold.
    assert_eq!(run.outputs["findings"], "1", "{:?}", run.outputs);
    assert_eq!(run.outputs["exit-code"], "0");
    assert!(run
        .log
        .contains("::warning file=testdata/cases/clean/main.tf"));
    assert!(
        run.summary.contains("| medium | `CTL.ECR.SIGNING.001`"),
        "{}",
        run.summary
    );
    valid_sarif(&tmp.join("clean.sarif"));
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn several_paths_on_separate_lines_are_checked_together() {
    let tmp = scratch("paths");
    let run = run_action(
        &tmp,
        Path::new(ROOT),
        &[
            ("paths", "testdata/cases/clean\n  examples/insecure  \n\n"),
            ("sarif-file", tmp.join("both.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(run.exit_code, 1, "{}", run.log);
    assert_eq!(run.outputs["findings"], "18", "{}", run.log);
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// The skip above is real: asked to build, the action calls cargo (here, the failing fake),
/// and stops before checking anything.
#[test]
fn install_true_builds_with_cargo_from_the_action_checkout() {
    let tmp = scratch("install");
    let run = run_action(
        &tmp,
        Path::new(ROOT),
        &[
            ("install", "true"),
            ("sarif-file", tmp.join("never.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(run.exit_code, 97, "{}", run.log);
    assert!(
        run.log.contains(&format!(
            "cargo was called: install --locked --force --path {ROOT} --root"
        )),
        "{}",
        run.log
    );
    assert_eq!(run.ran, ["plan", "build"]);
    assert!(!tmp.join("never.sarif").exists());
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn an_unknown_install_value_is_refused() {
    let tmp = scratch("bad-install");
    let run = run_action(&tmp, Path::new(ROOT), &[("install", "maybe")]);
    assert_eq!(run.exit_code, 2, "{}", run.log);
    assert!(run.log.contains("install must be auto, true or false"));
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// Without a `fail-on` input the repository's `.plangate.yaml` decides; the input, when
/// given, wins over it.
#[test]
fn fail_on_defaults_to_the_config_file_and_the_input_overrides_it() {
    let tmp = scratch("config-fail-on");
    let workspace = tmp.join("repo");
    std::fs::create_dir_all(workspace.join("infra")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("testdata/cases/clean/main.tf"),
        workspace.join("infra/main.tf"),
    )
    .unwrap();
    std::fs::write(workspace.join(".plangate.yaml"), "fail_on: high\n").unwrap();
    let sarif = "reports/plangate.sarif";
    let run = run_action(
        &tmp,
        &workspace,
        &[("paths", "infra"), ("sarif-file", sarif)],
    );
    assert_eq!(
        run.exit_code, 0,
        "SIGNING is medium, below the config's high: {}",
        run.log
    );
    assert_eq!(run.outputs["findings"], "1");
    // A relative sarif-file is relative to the workspace.
    valid_sarif(&workspace.join(sarif));

    let run = run_action(
        &tmp,
        &workspace,
        &[
            ("paths", "infra"),
            ("fail-on", "medium"),
            ("sarif-file", sarif),
        ],
    );
    assert_eq!(run.exit_code, 1, "{}", run.log);
    std::fs::remove_dir_all(&tmp).unwrap();
}
