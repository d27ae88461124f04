//! Command-line definitions (clap) and one file per verb.

pub mod check;
pub mod controls;
pub mod snapshot;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "plangate",
    version,
    about = "Lints Terraform for AWS ECR security controls, pointing at the exact line before anything is deployed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the source lines.
    Text,
    /// The plangate.report/v1 JSON report.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// A Markdown summary table (pull-request comment, job summary).
    Markdown,
    /// JUnit XML.
    Junit,
    /// One line per finding: `file:line:col: severity [ID] message`.
    Compact,
}

/// One `--output FORMAT=PATH`: an extra report written to a file in the same run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputArg {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_output(raw: &str) -> Result<OutputArg, String> {
    let (format, path) = raw
        .split_once('=')
        .ok_or_else(|| format!("`{raw}`: expected FORMAT=PATH, e.g. sarif=plangate.sarif"))?;
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("`{format}` is not a format ({})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{raw}`: the path is empty"));
    }
    Ok(OutputArg {
        format,
        path: PathBuf::from(path),
    })
}

/// What a run reads: the Terraform, its variables, findings and configuration. Shared by
/// `check` and `snapshot`.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// Terraform directories or files, or `terraform show -json` plan files (directories
    /// are scanned recursively; `-` reads a plan from standard input).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The Terraform sources of the plans being checked, for pointing findings at `.tf`
    /// lines (default: each plan's own directory).
    #[arg(long = "source-dir", value_name = "DIR")]
    pub source_dir: Option<PathBuf>,
    /// Set a root module variable, as `terraform plan -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Load variable values from a .tfvars or .tfvars.json file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Read image scan findings (`aws ecr describe-image-scan-findings` or Amazon Inspector
    /// `list-findings` JSON) for CTL.ECR.FINDINGS.UNRESOLVED.001 (repeatable).
    #[arg(long = "findings", value_name = "FILE")]
    pub findings: Vec<PathBuf>,
    /// Measure findings ages and ignore expiry dates against this time (RFC 3339) instead
    /// of now.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Use this configuration file instead of the nearest `.plangate.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format (standard output).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write the report in FORMAT to PATH (repeatable), e.g. `--output sarif=plangate.sarif`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputArg>,
    /// Fail (exit 1) on violations at or above this severity [default: the config file's
    /// `fail_on`, else low].
    #[arg(long, value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: Option<String>,
    /// Also fail when a control's verdict cannot be known statically.
    #[arg(long)]
    pub fail_on_inconclusive: bool,
    /// Load additional ctrl.v1 controls from this directory.
    #[arg(long = "controls", value_name = "DIR")]
    pub controls_dir: Option<PathBuf>,
    /// Report findings recorded in this baseline file as suppressed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current unsuppressed findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Never colour the text output (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub no_color: bool,
}

#[derive(clap::Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the snapshot to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check Terraform configuration against the ECR controls.
    Check(Box<CheckArgs>),
    /// Write the snapshot (SPEC §2, obs.v0.1) of the ECR assets found, for other tools.
    Snapshot(Box<SnapshotArgs>),
    /// List the controls.
    Controls,
    /// Print one control in full.
    Explain {
        /// A control id, e.g. CTL.ECR.PUBLIC.001.
        id: String,
    },
    /// Write a commented starter `.plangate.yaml` in the current directory.
    Init,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_arguments_name_a_format_and_a_path() {
        assert_eq!(
            parse_output("SARIF=out/a=b.sarif"),
            Ok(OutputArg {
                format: Format::Sarif,
                path: PathBuf::from("out/a=b.sarif"),
            })
        );
        assert!(parse_output("plangate.sarif")
            .unwrap_err()
            .contains("FORMAT=PATH"));
        assert!(parse_output("xml=a").unwrap_err().contains("compact"));
        assert!(parse_output("json=").is_err());
    }
}
