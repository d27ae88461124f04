//! The extract stage: AWS ECR knowledge. Evaluated instances in, snapshot assets out.
//!
//! This is the only stage that knows Terraform attribute names and AWS defaults.

pub mod assume;
pub mod ecr;
pub mod encryption;
pub mod iam_policy;
pub mod link;
pub mod policy_document;
pub mod policy_span;
pub mod scanning;

use crate::hcl::RootResult;
use crate::snapshot::Asset;
use crate::source::{SourceDb, Span};

/// Something worth telling the user that is not a control result (a dangling link…).
#[derive(Clone, Debug)]
pub struct ExtractNote {
    pub message: String,
    pub span: Span,
    pub root: String,
}

pub struct Extraction {
    pub assets: Vec<Asset>,
    pub notes: Vec<ExtractNote>,
}

pub fn extract(roots: &[RootResult], db: &SourceDb, assumed: &assume::Assumed) -> Extraction {
    let mut assets = Vec::new();
    let mut notes = Vec::new();
    for root in roots {
        ecr::extract_root(root, db, assumed, &mut assets, &mut notes);
    }
    Extraction { assets, notes }
}
