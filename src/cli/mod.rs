//! Command-line definitions (clap) and one file per verb.

pub mod check;
pub mod controls;

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

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Terraform directories or files, or `terraform show -json` plan files, to check
    /// (directories are scanned recursively; `-` reads a plan from standard input).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The Terraform sources of the plans being checked, for pointing findings at `.tf`
    /// lines (default: each plan's own directory).
    #[arg(long = "source-dir", value_name = "DIR")]
    pub source_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fail (exit 1) on violations at or above this severity.
    #[arg(long, default_value = "low", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: String,
    /// Also fail when a control's verdict cannot be known statically.
    #[arg(long)]
    pub fail_on_inconclusive: bool,
    /// Set a root module variable, as `terraform plan -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Load variable values from a .tfvars or .tfvars.json file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Load additional ctrl.v1 controls from this directory.
    #[arg(long = "controls", value_name = "DIR")]
    pub controls_dir: Option<PathBuf>,
    /// Read image scan findings (`aws ecr describe-image-scan-findings` or Amazon Inspector
    /// `list-findings` JSON) for CTL.ECR.FINDINGS.UNRESOLVED.001 (repeatable).
    #[arg(long = "findings", value_name = "FILE")]
    pub findings: Vec<PathBuf>,
    /// Measure findings ages against this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Never colour the text output (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub no_color: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check Terraform configuration against the ECR controls.
    Check(CheckArgs),
    /// List the controls.
    Controls,
    /// Print one control in full.
    Explain {
        /// A control id, e.g. CTL.ECR.PUBLIC.001.
        id: String,
    },
}
