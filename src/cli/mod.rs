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
    Text,
    Json,
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
