//! The output formats as the binary writes them: SARIF against the official schema, the
//! compact format against the shipped problem matcher, `--output` writing several at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn plangate_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run plangate")
}

fn plangate(args: &[&str]) -> Output {
    plangate_in(Path::new(ROOT), args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// A fresh directory under the system temp dir, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plangate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[path = "support/sarif_schema.rs"]
mod sarif_schema;

use sarif_schema::{errors as schema_errors, validator as sarif_validator};

fn sarif_of(dir: &Path, path: &str) -> Json {
    let out = plangate_in(dir, &["check", path, "--format", "sarif"]);
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    for path in [
        "examples/insecure",
        "testdata/cases/clean",
        "testdata/cases/parse-error",
        "testdata/plans/two-modules/plan.json",
    ] {
        let doc = sarif_of(Path::new(ROOT), path);
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        assert!(
            !doc["runs"][0]["results"].as_array().unwrap().is_empty(),
            "{path}"
        );
    }
    // A finding from a plan points at the .tf line, with the plan value beside it.
    let doc = sarif_of(Path::new(ROOT), "testdata/plans/two-modules/plan.json");
    let result = &doc["runs"][0]["results"][0];
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(".tf")
    );
    let evidence = result["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["physicalLocation"]["artifactLocation"]["uri"]
                == "testdata/plans/two-modules/plan.json"
        })
        .expect("the plan value as a related location");
    assert!(evidence["message"]["text"]
        .as_str()
        .unwrap()
        .contains("/resource_changes/"));

    // A fixture under a directory whose name has a space (and a per cent sign).
    let dir = scratch("sarif space");
    let case = dir.join("my infra 100%");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/insecure/main.tf"),
        case.join("main.tf"),
    )
    .unwrap();
    let doc = sarif_of(&dir, "my infra 100%");
    let errors = schema_errors(&validator, &doc);
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "my%20infra%20100%25/main.tf");
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.starts_with("file:///"), "{base}");
    assert!(base.contains("plangate-sarif%20space-"), "{base}");
    assert!(base.ends_with('/'), "{base}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The schema check above must be able to fail: the same document with a raw space in a
/// `uri-reference`, or an unknown level, is refused.
#[test]
fn the_schema_check_refuses_invalid_sarif() {
    let validator = sarif_validator();
    let doc = sarif_of(Path::new(ROOT), "examples/insecure");
    assert!(schema_errors(&validator, &doc).is_empty());

    let mut raw_space = doc.clone();
    raw_space["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"] = Json::from("my infra/main.tf");
    let errors = schema_errors(&validator, &raw_space);
    assert!(
        errors.iter().any(|e| e.contains("uri-reference")),
        "format checks are on: {errors:#?}"
    );

    let mut bad_level = doc;
    bad_level["runs"][0]["results"][0]["level"] = Json::from("critical");
    assert!(!schema_errors(&validator, &bad_level).is_empty());
}

#[test]
fn sarif_regions_and_fingerprints_follow_the_source_not_the_order() {
    let doc = sarif_of(Path::new(ROOT), "examples/insecure");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let public = results
        .iter()
        .find(|r| r["ruleId"] == "CTL.ECR.PUBLIC.001")
        .unwrap();
    let region = &public["locations"][0]["physicalLocation"]["region"];
    // The same position the JSON report and the text output give: main.tf:35:7.
    assert_eq!(region["startLine"], 35);
    assert_eq!(region["startColumn"], 7);
    assert!(region["endLine"].as_u64().unwrap() > 35);
    // Fingerprints are distinct per (control, asset, root).
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["plangate/v1"].as_str().unwrap())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), results.len());
}

#[derive(Debug)]
struct Matcher {
    owner: String,
    regex: regex::Regex,
    groups: Json,
}

fn problem_matchers() -> Vec<Matcher> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(".github/plangate-matcher.json"))
        .expect("matcher file");
    let doc: Json = serde_json::from_str(&text).unwrap();
    doc["problemMatcher"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let pattern = &m["pattern"][0];
            Matcher {
                owner: m["owner"].as_str().unwrap().to_string(),
                regex: regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap(),
                groups: pattern.clone(),
            }
        })
        .collect()
}

#[test]
fn compact_lines_match_the_shipped_problem_matcher() {
    let matchers = problem_matchers();
    assert_eq!(matchers.len(), 3);
    let mut seen_owners = std::collections::BTreeSet::new();
    for path in [
        "examples/insecure",
        "testdata/cases/parse-error",
        "testdata/CTL.ECR.TAG.IMMUTABLE.001/fail/inconclusive-unset-variable",
        "testdata/cases/suppress/inline",
    ] {
        let args = |format| {
            [
                "check",
                path,
                "--now",
                "2026-06-01T00:00:00Z",
                "--format",
                format,
            ]
        };
        let out = stdout(&plangate(&args("compact")));
        let json: Json = serde_json::from_slice(&plangate(&args("json")).stdout).unwrap();
        // A line per unsuppressed result, input error and located note.
        let count = |key: &str, keep: &dyn Fn(&Json) -> bool| {
            json[key]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| keep(x))
                .count()
        };
        let findings = count("results", &|r| r["suppression"].is_null())
            + count("errors", &|_| true)
            + count("notes", &|n| !n["location"].is_null());
        let mut matched = 0;
        for line in out.lines() {
            let hits: Vec<&Matcher> = matchers.iter().filter(|m| m.regex.is_match(line)).collect();
            if line.starts_with("plangate: ") {
                assert!(hits.is_empty(), "a summary line matched: {line}");
                continue;
            }
            assert_eq!(hits.len(), 1, "{path}: exactly one matcher for {line}");
            let m = hits[0];
            let caps = m.regex.captures(line).unwrap();
            let group = |name: &str| {
                let i = m.groups[name].as_u64().unwrap() as usize;
                caps.get(i).map(|c| c.as_str()).unwrap_or("")
            };
            let word = caps.get(4).unwrap().as_str();
            let expected_owner = match word {
                "critical" | "high" | "error" => "plangate-error",
                "medium" | "warning" => "plangate-warning",
                _ => "plangate-notice",
            };
            assert_eq!(m.owner, expected_owner, "{line}");
            seen_owners.insert(m.owner.clone());
            assert!(group("file").starts_with(path), "{line}");
            assert!(!group("message").is_empty(), "{line}");
            if word == "note" || word == "warning" {
                assert!(group("code").contains('-'), "a note's kind: {line}");
            } else if word != "error" {
                assert!(group("code").starts_with("CTL.ECR."), "{line}");
                assert!(group("line").parse::<u32>().unwrap() > 0, "{line}");
                assert!(group("column").parse::<u32>().unwrap() > 0, "{line}");
            }
            matched += 1;
        }
        assert_eq!(
            matched, findings,
            "{path}: one matched line per result and error:\n{out}"
        );
    }
    assert_eq!(
        seen_owners.len(),
        3,
        "every matcher was exercised: {seen_owners:?}"
    );
}

#[test]
fn github_annotations_cover_every_finding() {
    let out = stdout(&plangate(&[
        "check",
        "examples/insecure",
        "--format",
        "github",
    ]));
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::") && l.contains("file=examples/insecure/main.tf"))
        .collect();
    assert_eq!(annotations.len(), 17, "{out}");
    assert_eq!(
        annotations
            .iter()
            .filter(|l| l.starts_with("::error "))
            .count(),
        3
    );
    assert_eq!(
        annotations
            .iter()
            .filter(|l| l.starts_with("::warning "))
            .count(),
        12
    );
    assert_eq!(
        annotations
            .iter()
            .filter(|l| l.starts_with("::notice "))
            .count(),
        2
    );
    let inconclusive = stdout(&plangate(&[
        "check",
        "testdata/CTL.ECR.TAG.IMMUTABLE.001/fail/inconclusive-unset-variable",
        "--format",
        "github",
    ]));
    assert!(
        inconclusive.lines().any(|l| l.starts_with("::notice ")
            && l.contains("title=inconclusive%3A CTL.ECR.TAG.IMMUTABLE.001")),
        "{inconclusive}"
    );
}

#[test]
fn output_writes_each_format_and_stdout_keeps_its_own() {
    let dir = scratch("outputs");
    let formats = [
        "text", "json", "sarif", "github", "markdown", "junit", "compact",
    ];
    let mut args: Vec<String> = ["check", "examples/insecure", "--format", "compact"]
        .map(String::from)
        .to_vec();
    for f in formats {
        // A nested directory that does not exist yet is created.
        args.push("--output".into());
        args.push(format!(
            "{f}={}",
            dir.join("nested").join(format!("report.{f}")).display()
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = plangate(&args);
    assert_eq!(out.status.code(), Some(1), "violations still fail the run");
    let alone = |format: &str| {
        stdout(&plangate(&[
            "check",
            "examples/insecure",
            "--format",
            format,
        ]))
    };
    assert_eq!(stdout(&out), alone("compact"));
    for f in formats {
        let written =
            std::fs::read_to_string(dir.join("nested").join(format!("report.{f}"))).unwrap();
        // Standard output is not a terminal here, so text has no colour either way.
        assert_eq!(written, alone(f), "--output {f}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_output_arguments_and_unwritable_paths_exit_2() {
    let out = plangate(&["check", "examples/insecure", "--output", "xml=report.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a format"));
    let out = plangate(&["check", "examples/insecure", "--output", "report.sarif"]);
    assert_eq!(out.status.code(), Some(2));

    // A path under a regular file cannot be created: the report is still printed.
    let dir = scratch("unwritable");
    std::fs::write(dir.join("file"), "").unwrap();
    let target = format!("sarif={}", dir.join("file/report.sarif").display());
    let out = plangate(&[
        "check",
        "testdata/cases/clean",
        "--fail-on",
        "high",
        "--output",
        &target,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("plangate: 1 asset(s)"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Real suppressions (inline ignores, config exceptions) in every format: SARIF keeps them
/// with a `suppressions` entry by source, Markdown lists them as suppressed, JUnit skips
/// them, and annotations and compact lines leave them out.
#[test]
fn suppressed_findings_are_kept_apart_in_every_format() {
    let validator = sarif_validator();
    for (path, asset, kind, source) in [
        (
            "testdata/cases/suppress/inline",
            "aws_ecr_repository.above",
            "inSource",
            "inline",
        ),
        (
            "testdata/cases/suppress/config",
            "aws_ecr_repository.tmp_build",
            "external",
            "config",
        ),
    ] {
        let args = |format| {
            [
                "check",
                path,
                "--now",
                "2026-06-01T00:00:00Z",
                "--format",
                format,
            ]
        };
        let doc: Json = serde_json::from_slice(&plangate(&args("sarif")).stdout).unwrap();
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        let suppressed: Vec<&Json> = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert!(!suppressed.is_empty(), "{path}");
        let lifecycle = suppressed
            .iter()
            .find(|r| {
                r["ruleId"] == "CTL.ECR.LIFECYCLE.001"
                    && r["locations"][0]["logicalLocations"][0]["name"] == asset
            })
            .unwrap_or_else(|| panic!("{path}: LIFECYCLE on {asset} is suppressed"));
        let s = &lifecycle["suppressions"][0];
        assert_eq!(s["kind"], kind, "{path}");
        assert_eq!(s["properties"]["source"], source, "{path}");
        assert!(!s["justification"].as_str().unwrap().is_empty());

        let markdown = stdout(&plangate(&args("markdown")));
        let details = markdown
            .split(&format!(
                "<summary>{} suppressed finding(s)</summary>",
                suppressed.len()
            ))
            .nth(1)
            .unwrap_or_else(|| panic!("{path}: no suppressed table:\n{markdown}"));
        assert!(details.contains(&format!("| `{asset}` |")), "{details}");
        assert!(
            details.contains(&format!("| violation | {source} |")),
            "{details}"
        );

        let github = stdout(&plangate(&args("github")));
        let compact = stdout(&plangate(&args("compact")));
        let junit = stdout(&plangate(&args("junit")));
        assert!(
            !compact.lines().any(
                |l| l.contains("[CTL.ECR.LIFECYCLE.001]") && l.ends_with(&format!("({asset})"))
            ),
            "{compact}"
        );
        // Annotations name the asset in their message.
        assert!(
            !github.lines().any(|l| l.contains("CTL.ECR.LIFECYCLE.001")
                && l.contains(&format!("asset: {asset}%0A"))),
            "{github}"
        );
        assert!(
            junit.contains(&format!("<skipped message=\"suppressed ({source}): ")),
            "{junit}"
        );
    }
}
