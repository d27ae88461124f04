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

/// The instances of one root, indexed once by address and by address without instance key,
/// so that resolving a reference never scans every instance.
pub struct InstanceIndex<'a> {
    by_address: std::collections::HashMap<&'a str, &'a crate::hcl::eval::instance::Instance>,
    by_base: std::collections::HashMap<&'a str, &'a crate::hcl::eval::instance::Instance>,
    data: Vec<&'a crate::hcl::eval::instance::Instance>,
}

impl<'a> InstanceIndex<'a> {
    pub fn new(instances: &'a [crate::hcl::eval::instance::Instance]) -> InstanceIndex<'a> {
        let mut index = InstanceIndex {
            by_address: std::collections::HashMap::with_capacity(instances.len()),
            by_base: std::collections::HashMap::new(),
            data: instances.iter().filter(|i| i.is_data).collect(),
        };
        for i in instances {
            index.by_address.insert(&i.address, i);
            let base = i
                .address
                .strip_suffix(']')
                .and_then(|a| a.rfind('[').map(|p| &i.address[..p]));
            if let Some(base) = base {
                index.by_base.entry(base).or_insert(i);
            }
        }
        index
    }

    /// The data source instances (lookups), in address order.
    pub fn data_sources(
        &self,
    ) -> impl Iterator<Item = &'a crate::hcl::eval::instance::Instance> + '_ {
        self.data.iter().copied()
    }

    /// The instance at `address`.
    pub fn get(&self, address: &str) -> Option<&'a crate::hcl::eval::instance::Instance> {
        self.by_address.get(address).copied()
    }

    /// The instance at `address`, or the first instance of that resource when it has
    /// `count`/`for_each` and the reference did not say which.
    pub fn get_any(&self, address: &str) -> Option<&'a crate::hcl::eval::instance::Instance> {
        self.get(address)
            .or_else(|| self.by_base.get(address).copied())
    }
}

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
