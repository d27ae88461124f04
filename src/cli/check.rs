//! `plangate check`: run the pipeline, print the report, choose the exit code.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use clap::ArgMatches;

use super::{CheckArgs, Format, InputArgs, OutputArg};
use crate::controls::catalogue::{self, Severity};
use crate::hcl::{EvalOptions, VarArg};
use crate::run::{self, CheckOptions};

/// `--var` and `--var-file` in the order they were given: Terraform applies them in
/// command-line order, later ones winning.
fn var_args(args: &InputArgs, matches: Option<&ArgMatches>) -> Result<Vec<VarArg>, String> {
    let mut ordered: Vec<(usize, VarArg)> = Vec::new();
    let var_idx: Vec<usize> = matches
        .and_then(|m| m.indices_of("vars"))
        .map(|i| i.collect())
        .unwrap_or_default();
    let file_idx: Vec<usize> = matches
        .and_then(|m| m.indices_of("var_files"))
        .map(|i| i.collect())
        .unwrap_or_default();
    for (n, raw) in args.vars.iter().enumerate() {
        let Some((name, value)) = raw.split_once('=') else {
            return Err(format!("--var `{raw}`: expected NAME=VALUE"));
        };
        ordered.push((
            var_idx.get(n).copied().unwrap_or(n),
            VarArg::Var(name.trim().to_string(), value.to_string()),
        ));
    }
    for (n, file) in args.var_files.iter().enumerate() {
        ordered.push((
            file_idx.get(n).copied().unwrap_or(usize::MAX / 2 + n),
            VarArg::File(crate::discover::normalize(file)),
        ));
    }
    ordered.sort_by_key(|(i, _)| *i);
    Ok(ordered.into_iter().map(|(_, v)| v).collect())
}

/// `TF_VAR_name` values from the environment.
fn env_vars() -> BTreeMap<String, String> {
    std::env::vars()
        .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|name| (name.to_string(), v)))
        .collect()
}

/// The run options the input arguments describe; `Err` is a usage error to print.
pub fn options(args: &InputArgs, matches: Option<&ArgMatches>) -> Result<CheckOptions, String> {
    let now = match &args.now {
        Some(t) => crate::findings::parse_rfc3339(t).ok_or_else(|| {
            format!("--now `{t}` is not an RFC 3339 time (e.g. 2026-06-01T00:00:00Z)")
        })?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    Ok(CheckOptions {
        paths: args.paths.clone(),
        eval: EvalOptions {
            var_args: var_args(args, matches)?,
            env_vars: env_vars(),
        },
        config: args.config.clone(),
        findings_files: args.findings.clone(),
        now,
        source_dir: args.source_dir.clone(),
        ..CheckOptions::default()
    })
}

/// Runs the check and prints the report; returns the exit code.
pub fn run(args: &CheckArgs, matches: Option<&ArgMatches>) -> i32 {
    let mut options = match options(&args.input, matches) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("plangate: {e}");
            return 2;
        }
    };
    options.extra_controls = match &args.controls_dir {
        Some(dir) => match catalogue::load_dir(dir) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("plangate: --controls: {e}");
                return 2;
            }
        },
        None => vec![],
    };
    options.baseline = args.baseline.clone();
    let report = run::check(&options);
    let color =
        !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = write_report(args.format, &report, color, &mut out);
        let _ = out.flush();
    }
    let mut write_failed = false;
    for output in &args.outputs {
        // Files never get colour: they are read by tools, not terminals.
        if let Err(e) = write_output(output, &report) {
            eprintln!("plangate: --output {}: {e}", output.path.display());
            write_failed = true;
        }
    }
    if let Some(path) = &args.write_baseline {
        if let Err(e) = std::fs::write(path, crate::suppress::baseline_json(&report.findings)) {
            eprintln!(
                "plangate: cannot write the baseline {}: {e}",
                path.display()
            );
            return 2;
        }
    }
    if write_failed {
        // A report that was asked for and not written must not pass as a clean run.
        return 2;
    }
    let fail_on = args
        .fail_on
        .as_deref()
        .and_then(Severity::parse)
        .or(report.config_fail_on)
        .unwrap_or(Severity::Low);
    let code = report.exit_code(fail_on, args.fail_on_inconclusive);
    // The process ends right after this: freeing every value of a large report one by one
    // would only cost time.
    std::mem::forget(report);
    code
}

/// Writes one report. JSON is streamed: a large report is never held in memory as text.
fn write_report(
    format: Format,
    report: &run::Report,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use crate::report;
    let text = match format {
        Format::Json => return report::json::render_to(report, out),
        Format::Text => report::text::render(report, color),
        Format::Sarif => report::sarif::render(report),
        Format::Github => report::github::render(report),
        Format::Markdown => report::markdown::render(report),
        Format::Junit => report::junit::render(report),
        Format::Compact => report::compact::render(report),
    };
    out.write_all(text.as_bytes())
}

/// Writes one `--output` file, creating its directory (`reports/plangate.sarif`).
fn write_output(output: &OutputArg, report: &run::Report) -> std::io::Result<()> {
    if let Some(dir) = output.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(&output.path)?);
    write_report(output.format, report, false, &mut file)?;
    file.flush()
}
