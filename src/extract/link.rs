//! Linking repository-level resources (policies, lifecycle policies) to repositories:
//! by evaluated name when it is known, by the referenced instance when it is not.

use std::collections::HashMap;

use crate::hcl::eval::value::Value;

/// The repositories of one root module, indexed once by name and by address.
#[derive(Default)]
pub struct RepoIndex {
    by_name: HashMap<String, Vec<usize>>,
    by_address: HashMap<String, usize>,
    /// Address without its instance key → every instance of that resource.
    by_base: HashMap<String, Vec<usize>>,
}

pub enum Link {
    Repos(Vec<usize>),
    /// The name cannot be known and does not come from a resource in the scanned input.
    Unknown(String),
    /// A known name (or an address) that no repository in the scanned input has.
    Dangling(String),
}

impl RepoIndex {
    pub fn add(&mut self, asset: usize, address: &str, name: Option<&str>) {
        if let Some(name) = name {
            self.by_name
                .entry(name.to_string())
                .or_default()
                .push(asset);
        }
        self.by_address.insert(address.to_string(), asset);
        let base = address
            .strip_suffix(']')
            .and_then(|a| a.rfind('[').map(|p| &address[..p]))
            .unwrap_or(address);
        self.by_base
            .entry(base.to_string())
            .or_default()
            .push(asset);
    }

    /// Which repositories a `repository = …` value designates.
    pub fn link(&self, value: &Value) -> Link {
        match value {
            Value::Unknown(u) => match &u.origin {
                Some(origin) => {
                    if let Some(&a) = self.by_address.get(&origin.address) {
                        return Link::Repos(vec![a]);
                    }
                    // `aws_ecr_repository.r[*]`: every instance of that resource.
                    if let Some(hits) = origin
                        .address
                        .strip_suffix("[*]")
                        .and_then(|base| self.by_base.get(base))
                    {
                        return Link::Repos(hits.clone());
                    }
                    Link::Unknown(u.reason.clone())
                }
                None => Link::Unknown(u.reason.clone()),
            },
            other => match other.as_str() {
                Some(name) => {
                    // `repository` may also be given as a repository ARN's name part.
                    let name = name
                        .rsplit_once(":repository/")
                        .map(|(_, n)| n)
                        .unwrap_or(&name);
                    match self.by_name.get(name) {
                        Some(repos) => Link::Repos(repos.clone()),
                        None => Link::Dangling(name.to_string()),
                    }
                }
                None => Link::Unknown(format!(
                    "`repository` is a {}, not a repository name",
                    other.type_name()
                )),
            },
        }
    }
}
