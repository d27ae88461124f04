//! plangate: a Terraform linter for AWS ECR security controls.
//!
//! The pipeline (see ARCHITECTURE.md): discover → read → parse → evaluate → extract →
//! controls → render. Each stage is a module below and knows nothing of the stages after it.

pub mod aws_state;
pub mod cli;
pub mod config;
pub mod controls;
pub mod discover;
pub mod extract;
pub mod findings;
pub mod fuzzing;
pub mod hcl;
pub mod plan;
pub mod report;
pub mod run;
pub mod snapshot;
pub mod snapshot_json;
pub mod source;
pub mod suppress;
