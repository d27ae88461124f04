//! Plan JSON → the evaluated instances the HCL path produces (SPEC §4.2), so that the
//! extractor and every control run unchanged on plans.
//!
//! Values come from `resource_changes[].change.after`, with `after_unknown` marking the
//! leaves known only after apply; `planned_values` fills in when a change carries no `after`
//! or the plan has no `resource_changes`. Every span points at the value inside the plan
//! file, and each one is recorded with its JSON pointer and the configuration element it
//! stands for, so that findings can name the pointer and be re-anchored to `.tf` files.

use std::collections::{BTreeSet, HashMap};

use super::address::{self, ModulePath, ResourceAddress, Step};
use super::json::{pointer_token, Json, Kind};
use crate::hcl::eval::instance::{
    EvalAttr, EvalBlock, EvalBody, Instance, InstanceKey, UnknownBlocks,
};
use crate::hcl::eval::value::{Origin, Unknown, Value};
use crate::hcl::json_syntax::NESTED_BLOCKS;
use crate::source::{FileId, Span};

/// A step from a resource to one of its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    Attr(String),
    /// The `n`th nested block of a kind.
    Block(String, usize),
}

/// What a span in the plan stands for: its JSON pointer, and the resource argument (in
/// configuration terms: module path by call names, resource, argument path) it holds.
#[derive(Clone, Debug)]
pub struct SpanInfo {
    pub pointer: String,
    /// Module call names from the root, instance keys dropped (`["ecr"]`): sources are per
    /// module, not per module instance.
    pub module: Vec<String>,
    pub data: bool,
    pub resource_type: String,
    pub name: String,
    /// Empty for the resource itself.
    pub path: Vec<PathStep>,
}

pub struct Lowered {
    pub instances: Vec<Instance>,
    pub spans: HashMap<Span, SpanInfo>,
    /// Things worth telling the user (an entry whose address cannot be read…).
    pub notes: Vec<(String, Span)>,
}

/// One resource instance to lower: where its values and unknown markers are.
struct Entry<'a> {
    addr: ResourceAddress,
    /// The `"address"` value: the instance's header span.
    header: &'a Json,
    header_ptr: String,
    values: Option<(&'a Json, String)>,
    unknown: Option<(&'a Json, String)>,
}

static NO_EXPRESSIONS: Json = Json {
    range: 0..0,
    kind: Kind::Object(Vec::new()),
};

/// References are followed through module outputs and variables at most this deep.
const MAX_REFERENCE_DEPTH: usize = 16;

pub fn lower(doc: &Json, file: FileId) -> Lowered {
    let mut lower = Lower {
        file,
        spans: HashMap::new(),
        notes: Vec::new(),
        root_config: doc.get("configuration").and_then(|c| c.get("root_module")),
        addresses: Vec::new(),
    };
    let entries = lower.entries(doc);
    lower.addresses = entries.iter().map(|e| e.addr.clone()).collect();
    let mut instances: Vec<Instance> = entries.iter().map(|e| lower.instance(e)).collect();
    instances.sort_by(|a, b| a.address.cmp(&b.address));
    instances.dedup_by(|a, b| a.address == b.address);
    Lowered {
        instances,
        spans: lower.spans,
        notes: lower.notes,
    }
}

struct Lower<'a> {
    file: FileId,
    spans: HashMap<Span, SpanInfo>,
    notes: Vec<(String, Span)>,
    root_config: Option<&'a Json>,
    /// Every instance in the plan, for resolving references.
    addresses: Vec<ResourceAddress>,
}

/// Where lowering is, inside one instance.
struct Ctx<'c> {
    addr: ResourceAddress,
    /// Configuration module nodes from the root to the instance's module (shorter when the
    /// plan has no configuration for some module).
    config_modules: Vec<&'c Json>,
}

impl<'a> Lower<'a> {
    fn span(&self, json: &Json) -> Span {
        Span::new(self.file, json.range.start, json.range.end)
    }

    fn record(
        &mut self,
        json: &Json,
        pointer: String,
        addr: &ResourceAddress,
        path: &[PathStep],
    ) -> Span {
        let span = self.span(json);
        self.spans.entry(span).or_insert_with(|| SpanInfo {
            pointer,
            module: addr.module.iter().map(|(n, _)| n.clone()).collect(),
            data: addr.data,
            resource_type: addr.resource_type.clone(),
            name: addr.name.clone(),
            path: path.to_vec(),
        });
        span
    }

    /// The instances of the plan: resource changes that leave something behind, then any
    /// planned resource without a change entry, then the data sources read while planning.
    /// Data sources never become assets; the extractor may consult them (which key a
    /// `data "aws_kms_alias"` looked up).
    fn entries(&mut self, doc: &'a Json) -> Vec<Entry<'a>> {
        // (address, the planned resource object, its pointer)
        let mut planned: Vec<(ResourceAddress, &'a Json, String)> = Vec::new();
        if let Some(root) = doc.get("planned_values").and_then(|p| p.get("root_module")) {
            let ptr = "/planned_values/root_module".to_string();
            self.planned_module(root, ptr, false, &mut planned, 0);
        }
        let mut read: Vec<(ResourceAddress, &'a Json, String)> = Vec::new();
        if let Some(root) = doc
            .get("prior_state")
            .and_then(|p| p.get("values"))
            .and_then(|v| v.get("root_module"))
        {
            let ptr = "/prior_state/values/root_module".to_string();
            self.planned_module(root, ptr, true, &mut read, 0);
        }
        let read_addresses: BTreeSet<String> = read.iter().map(|(a, _, _)| a.full()).collect();
        let planned_by_address: HashMap<String, usize> = planned
            .iter()
            .enumerate()
            .map(|(i, (a, _, _))| (a.full(), i))
            .collect();
        let planned_values = |i: usize| {
            let (_, r, p) = &planned[i];
            r.get("values")
                .filter(|v| v.is_object())
                .map(|v| (v, format!("{p}/values")))
        };
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        if let Some(rc) = doc
            .get("resource_changes")
            .filter(|rc| rc.items().is_none() && !rc.is_null())
        {
            self.notes.push((
                "`resource_changes` is not a list; it was ignored".into(),
                self.span(rc),
            ));
        }
        if let Some(changes) = doc.get("resource_changes").and_then(Json::items) {
            for (i, rc) in changes.iter().enumerate() {
                let ptr = format!("/resource_changes/{i}");
                let Some(addr) = self.entry_address(rc) else {
                    continue;
                };
                // A deposed object is an old copy being destroyed: it is not deployed.
                if rc.get("deposed").is_some_and(|d| !d.is_null()) {
                    continue;
                }
                seen.insert(addr.full());
                // A data source read during planning is in `prior_state`, with its values.
                if addr.data && read_addresses.contains(&addr.full()) {
                    continue;
                }
                let change = rc.get("change");
                let actions: Vec<&str> = change
                    .and_then(|c| c.get("actions"))
                    .and_then(Json::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Json::as_str)
                    .collect();
                // Delete-only (and `removed`'s forget) leaves nothing deployed to check.
                if !actions.is_empty() && actions.iter().all(|a| *a == "delete" || *a == "forget") {
                    continue;
                }
                let after = change
                    .and_then(|c| c.get("after"))
                    .filter(|a| a.is_object())
                    .map(|a| (a, format!("{ptr}/change/after")));
                // Some plans carry `after: null` for a create and the values only in
                // `planned_values`.
                let values = after.or_else(|| {
                    planned_by_address
                        .get(&addr.full())
                        .and_then(|&p| planned_values(p))
                });
                let unknown = change
                    .and_then(|c| c.get("after_unknown"))
                    .filter(|u| u.is_object())
                    .map(|u| (u, format!("{ptr}/change/after_unknown")));
                out.push(Entry {
                    addr,
                    header: rc.get("address").unwrap_or(rc),
                    header_ptr: format!("{ptr}/address"),
                    values,
                    unknown,
                });
            }
        }
        // Plans without `resource_changes` (or a resource missing from them) still describe
        // the resource in `planned_values`.
        for (i, (addr, resource, ptr)) in planned.iter().enumerate() {
            if !seen.insert(addr.full()) {
                continue;
            }
            out.push(Entry {
                addr: addr.clone(),
                header: resource.get("address").unwrap_or(resource),
                header_ptr: format!("{ptr}/address"),
                values: planned_values(i),
                unknown: None,
            });
        }
        for (addr, resource, ptr) in read {
            out.push(Entry {
                addr,
                header: resource.get("address").unwrap_or(resource),
                header_ptr: format!("{ptr}/address"),
                values: resource
                    .get("values")
                    .filter(|v| v.is_object())
                    .map(|v| (v, format!("{ptr}/values"))),
                unknown: None,
            });
        }
        out
    }

    /// The resources (`data`: the data sources) of a `planned_values` or `prior_state`
    /// module and its child modules.
    fn planned_module(
        &mut self,
        module: &'a Json,
        ptr: String,
        data: bool,
        out: &mut Vec<(ResourceAddress, &'a Json, String)>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        let resources = module
            .get("resources")
            .and_then(Json::items)
            .unwrap_or_default();
        for (i, r) in resources.iter().enumerate() {
            if (r.get("mode").and_then(Json::as_str) == Some("data")) != data {
                continue;
            }
            if let Some(addr) = self.entry_address(r).filter(|a| a.data == data) {
                out.push((addr, r, format!("{ptr}/resources/{i}")));
            }
        }
        let children = module
            .get("child_modules")
            .and_then(Json::items)
            .unwrap_or_default();
        for (i, child) in children.iter().enumerate() {
            let child_ptr = format!("{ptr}/child_modules/{i}");
            self.planned_module(child, child_ptr, data, out, depth + 1);
        }
    }

    /// The address of a resource change or planned resource: from `address`, or from
    /// `module_address`, `mode`, `type`, `name` and `index` when it cannot be read.
    fn entry_address(&mut self, entry: &Json) -> Option<ResourceAddress> {
        let text = entry.get("address").and_then(Json::as_str);
        if let Some(addr) = text.and_then(address::parse_resource_address) {
            return Some(addr);
        }
        let from_fields = || {
            let module = address::parse_module_address(
                entry
                    .get("module_address")
                    .and_then(Json::as_str)
                    .unwrap_or(""),
            )?;
            let key = match entry.get("index").map(|i| &i.kind) {
                None | Some(Kind::Null) => InstanceKey::None,
                Some(Kind::Number(n)) => InstanceKey::Index(*n as i64),
                Some(Kind::String(s)) => InstanceKey::Key(s.clone()),
                _ => return None,
            };
            Some(ResourceAddress {
                module,
                data: entry.get("mode").and_then(Json::as_str) == Some("data"),
                resource_type: entry.get("type")?.as_str()?.to_string(),
                name: entry.get("name")?.as_str()?.to_string(),
                key,
            })
        };
        let addr = from_fields();
        if addr.is_none() {
            self.notes.push((
                format!(
                    "this plan entry's address `{}` cannot be read; the entry was skipped",
                    text.unwrap_or("")
                ),
                self.span(entry.get("address").unwrap_or(entry)),
            ));
        }
        addr
    }

    /// The configuration module nodes along `module`.
    fn config_modules(&self, module: &ModulePath) -> Vec<&'a Json> {
        let mut nodes = Vec::new();
        let Some(mut node) = self.root_config else {
            return nodes;
        };
        nodes.push(node);
        for (name, _) in module {
            match node
                .get("module_calls")
                .and_then(|c| c.get(name))
                .and_then(|c| c.get("module"))
            {
                Some(child) => {
                    nodes.push(child);
                    node = child;
                }
                None => break,
            }
        }
        nodes
    }

    /// The resource's entry in `configuration`.
    fn resource_config(&self, ctx: &Ctx<'a>) -> Option<&'a Json> {
        if ctx.config_modules.len() != ctx.addr.module.len() + 1 {
            return None;
        }
        let module = ctx.config_modules.last()?;
        let mode = if ctx.addr.data { "data" } else { "managed" };
        module
            .get("resources")
            .and_then(Json::items)?
            .iter()
            .find(|r| {
                r.get("type").and_then(Json::as_str) == Some(&ctx.addr.resource_type)
                    && r.get("name").and_then(Json::as_str) == Some(&ctx.addr.name)
                    && r.get("mode").and_then(Json::as_str).unwrap_or("managed") == mode
            })
    }

    fn instance(&mut self, entry: &Entry<'a>) -> Instance {
        let addr = &entry.addr;
        let ctx = Ctx {
            addr: addr.clone(),
            config_modules: self.config_modules(&addr.module),
        };
        let config = self.resource_config(&ctx);
        // `provider_config_key` is `aws`, `aws.east`, or (older plans) `module.x:aws`: the
        // local name is what the HCL path calls the configuration.
        let provider = config
            .and_then(|c| c.get("provider_config_key"))
            .and_then(Json::as_str)
            .map(|k| k.rsplit(':').next().unwrap_or(k).to_string())
            .unwrap_or_else(|| "aws".to_string());
        let header = self.record(entry.header, entry.header_ptr.clone(), addr, &[]);
        // A resource with no arguments written has no `expressions` at all.
        let expressions = config.map(|c| c.get("expressions").unwrap_or(&NO_EXPRESSIONS));
        let body = self.body(
            &ctx,
            entry.values.as_ref().map(|(v, p)| (*v, p.as_str())),
            entry.unknown.as_ref().map(|(u, p)| (*u, p.as_str())),
            &[],
            expressions,
        );
        Instance {
            address: addr.full(),
            module_path: address::module_path_string(&addr.module),
            resource_type: addr.resource_type.clone(),
            name: addr.name.clone(),
            key: addr.key.clone(),
            is_data: addr.data,
            provider,
            body: std::sync::Arc::new(body),
            header,
            expansion_unknown: None,
            call_site: None,
        }
    }

    /// One object of values (a resource's or a nested block's) merged with its unknown
    /// markers. `config` is the matching `expressions` object when the configuration has
    /// one for exactly this object.
    fn body(
        &mut self,
        ctx: &Ctx<'a>,
        values: Option<(&'a Json, &str)>,
        unknown: Option<(&'a Json, &str)>,
        path: &[PathStep],
        config: Option<&'a Json>,
    ) -> EvalBody {
        let mut body = EvalBody::default();
        let mut keys: Vec<&str> = Vec::new();
        for (obj, _) in values.iter().chain(unknown.iter()) {
            for m in obj.members().unwrap_or_default() {
                if !keys.contains(&m.key.as_str()) {
                    keys.push(&m.key);
                }
            }
        }
        for key in keys {
            let v = values
                .and_then(|(o, p)| Some((o.get(key)?, format!("{p}/{}", pointer_token(key)))));
            let u = unknown
                .and_then(|(o, p)| Some((o.get(key)?, format!("{p}/{}", pointer_token(key)))));
            let mut attr_path = path.to_vec();
            attr_path.push(PathStep::Attr(key.to_string()));
            let key_config = config.and_then(|c| c.get(key));
            if let Some((u_json, u_ptr)) = u.as_ref().filter(|(u, _)| u.is_true()) {
                // Unknown, and the configuration shows the argument is not written: the
                // provider computes it, as it would a default (a KMS repository's
                // `kms_key` is AWS's key then). Without configuration it stays unknown, and
                // so do nested blocks, which `dynamic` may write without a trace there.
                if config.is_some()
                    && key_config.is_none()
                    && !NESTED_BLOCKS.contains(&key)
                    && v.as_ref().is_none_or(|(v, _)| v.is_null())
                {
                    continue;
                }
                let span = self.record(u_json, u_ptr.clone(), &ctx.addr, &attr_path);
                let reason = format!(
                    "`{}.{}` is known only after apply",
                    ctx.addr.full(),
                    display_path(&attr_path)
                );
                let origin = key_config.and_then(|e| self.origin(ctx, e));
                let value = Value::Unknown(std::sync::Arc::new(Unknown {
                    reason: reason.clone(),
                    span: Some(span),
                    origin,
                    document: None,
                }));
                if NESTED_BLOCKS.contains(&key) {
                    body.unknown_blocks.push(UnknownBlocks {
                        kind: key.to_string(),
                        reason: std::sync::Arc::new(Unknown {
                            reason,
                            span: Some(span),
                            origin: None,
                            document: None,
                        }),
                        span,
                    });
                } else {
                    body.attrs.push(EvalAttr {
                        name: key.to_string(),
                        value,
                        span,
                        expr: None,
                    });
                }
                continue;
            }
            let block_shaped = |j: &Json| match &j.kind {
                Kind::Null | Kind::Object(_) => true,
                Kind::Array(items) => items.iter().all(Json::is_object),
                _ => false,
            };
            let is_block = NESTED_BLOCKS.contains(&key)
                && v.as_ref().is_none_or(|(v, _)| block_shaped(v))
                && u.as_ref()
                    .is_none_or(|(u, _)| block_shaped(u) || u.is_true());
            if is_block {
                // Nested blocks are lists of objects (single blocks: one object); `[]` and
                // `null` mean no block.
                let elements = |j: Option<&(&'a Json, String)>| -> Vec<(&'a Json, String)> {
                    match j {
                        Some((j, p)) => match &j.kind {
                            Kind::Array(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, e)| (e, format!("{p}/{i}")))
                                .collect(),
                            Kind::Object(_) => vec![(*j, p.clone())],
                            _ => vec![],
                        },
                        None => vec![],
                    }
                };
                let vs = elements(v.as_ref());
                let us = elements(u.as_ref());
                let n = if vs.is_empty() { us.len() } else { vs.len() };
                for i in 0..n {
                    let ve = vs.get(i);
                    let ue = us.get(i);
                    let Some((anchor, anchor_ptr)) = ve.or(ue) else {
                        continue;
                    };
                    let mut block_path = path.to_vec();
                    block_path.push(PathStep::Block(key.to_string(), i));
                    let span = self.record(anchor, anchor_ptr.clone(), &ctx.addr, &block_path);
                    let block_config = key_config.and_then(|c| match &c.kind {
                        Kind::Array(items) => items.get(i),
                        Kind::Object(_) if i == 0 => Some(c),
                        _ => None,
                    });
                    let block_body = self.body(
                        ctx,
                        ve.map(|(j, p)| (*j, p.as_str())),
                        ue.map(|(j, p)| (*j, p.as_str())),
                        &block_path,
                        block_config,
                    );
                    body.blocks.push(EvalBlock {
                        kind: key.to_string(),
                        body: block_body,
                        span,
                    });
                }
                continue;
            }
            let (anchor, anchor_ptr) = match (&v, &u) {
                (Some((j, p)), _) | (None, Some((j, p))) => (*j, p.clone()),
                (None, None) => continue,
            };
            let span = self.record(anchor, anchor_ptr, &ctx.addr, &attr_path);
            let value = self.value(
                ctx,
                v.as_ref().map(|(j, p)| (*j, p.as_str())),
                u.as_ref().map(|(j, p)| (*j, p.as_str())),
                &attr_path,
                &display_path(&attr_path),
            );
            body.attrs.push(EvalAttr {
                name: key.to_string(),
                value,
                span,
                expr: None,
            });
        }
        body
    }

    /// An argument's value (anything but a nested block), with unknown leaves.
    fn value(
        &mut self,
        ctx: &Ctx<'a>,
        v: Option<(&Json, &str)>,
        u: Option<(&Json, &str)>,
        attr_path: &[PathStep],
        shown: &str,
    ) -> Value {
        if let Some((u_json, u_ptr)) = u.filter(|(u, _)| u.is_true()) {
            let span = self.record(u_json, u_ptr.to_string(), &ctx.addr, attr_path);
            return Value::unknown(
                format!("`{}.{shown}` is known only after apply", ctx.addr.full()),
                Some(span),
            );
        }
        let v_items = v.and_then(|(j, _)| j.items());
        let u_items = u.and_then(|(j, _)| j.items());
        if v_items.is_some() || (u_items.is_some() && v.is_none_or(|(j, _)| j.is_null())) {
            let n = v_items
                .map_or(0, <[Json]>::len)
                .max(u_items.map_or(0, <[Json]>::len));
            let items = (0..n)
                .map(|i| {
                    let vi = v_items
                        .and_then(|x| x.get(i))
                        .map(|j| (j, format!("{}/{i}", v.unwrap().1)));
                    let ui = u_items
                        .and_then(|x| x.get(i))
                        .map(|j| (j, format!("{}/{i}", u.unwrap().1)));
                    self.value(
                        ctx,
                        vi.as_ref().map(|(j, p)| (*j, p.as_str())),
                        ui.as_ref().map(|(j, p)| (*j, p.as_str())),
                        attr_path,
                        &format!("{shown}[{i}]"),
                    )
                })
                .collect();
            return Value::list(items);
        }
        let v_members = v.and_then(|(j, _)| j.members());
        let u_members = u.and_then(|(j, _)| j.members());
        if v_members.is_some() || (u_members.is_some() && v.is_none_or(|(j, _)| j.is_null())) {
            let mut keys: Vec<&str> = Vec::new();
            for m in v_members
                .unwrap_or_default()
                .iter()
                .chain(u_members.unwrap_or_default())
            {
                if !keys.contains(&m.key.as_str()) {
                    keys.push(&m.key);
                }
            }
            let mut map = std::collections::BTreeMap::new();
            for key in keys {
                let vk =
                    v.and_then(|(j, p)| Some((j.get(key)?, format!("{p}/{}", pointer_token(key)))));
                let uk =
                    u.and_then(|(j, p)| Some((j.get(key)?, format!("{p}/{}", pointer_token(key)))));
                let item = self.value(
                    ctx,
                    vk.as_ref().map(|(j, p)| (*j, p.as_str())),
                    uk.as_ref().map(|(j, p)| (*j, p.as_str())),
                    attr_path,
                    &format!(
                        "{shown}[{}]",
                        serde_json::to_string(key).unwrap_or_default()
                    ),
                );
                map.insert(key.to_string(), item);
            }
            return Value::map(map);
        }
        match v.map(|(j, _)| &j.kind) {
            Some(Kind::Bool(b)) => Value::Bool(*b),
            Some(Kind::Number(n)) => Value::Number(*n),
            Some(Kind::String(s)) => Value::String(s.clone()),
            _ => Value::Null,
        }
    }

    /// The instance an unknown argument refers to, from its configuration expression's
    /// `references` (`["aws_kms_key.k.arn", "aws_kms_key.k"]`): the first that resolves.
    fn origin(&self, ctx: &Ctx<'a>, expression: &Json) -> Option<Origin> {
        let path: Vec<(String, Option<InstanceKey>)> = ctx
            .addr
            .module
            .iter()
            .map(|(n, k)| (n.clone(), Some(k.clone())))
            .collect();
        self.resolve_expression(
            ctx,
            expression,
            &path,
            ctx.config_modules.len().min(path.len() + 1),
            0,
        )
    }

    /// Resolves an expression's references in the module at `path` (whose configuration
    /// node is `config_modules[depth_in_config - 1]`).
    fn resolve_expression(
        &self,
        ctx: &Ctx<'a>,
        expression: &Json,
        path: &[(String, Option<InstanceKey>)],
        config_len: usize,
        depth: usize,
    ) -> Option<Origin> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        let references = expression.get("references").and_then(Json::items)?;
        references
            .iter()
            .filter_map(Json::as_str)
            .find_map(|r| self.resolve_reference(ctx, r, path, config_len, depth))
    }

    fn resolve_reference(
        &self,
        ctx: &Ctx<'a>,
        reference: &str,
        path: &[(String, Option<InstanceKey>)],
        config_len: usize,
        depth: usize,
    ) -> Option<Origin> {
        let steps = address::steps(reference)?;
        let name = |i: usize| match steps.get(i) {
            Some(Step::Name(n)) => Some(n.as_str()),
            _ => None,
        };
        match name(0)? {
            "local" | "each" | "count" | "path" | "terraform" | "self" => None,
            "var" => {
                // A module variable: the caller's argument expression, in the caller.
                if path.is_empty() || config_len < path.len() + 1 {
                    return None;
                }
                let (call, _) = path.last()?;
                let caller = ctx.config_modules.get(path.len() - 1)?;
                let argument = caller
                    .get("module_calls")?
                    .get(call)?
                    .get("expressions")?
                    .get(name(1)?)?;
                self.resolve_expression(
                    ctx,
                    argument,
                    &path[..path.len() - 1],
                    path.len(),
                    depth + 1,
                )
            }
            "module" => {
                // A module output: its expression, inside the called module.
                let call = name(1)?;
                let (key, output_at) = match steps.get(2) {
                    Some(Step::Key(k)) => (Some(k.clone()), 3),
                    _ => (None, 2),
                };
                let output = name(output_at)?;
                let here = ctx.config_modules.get(config_len.checked_sub(1)?)?;
                let module = here.get("module_calls")?.get(call)?.get("module")?;
                let expression = module.get("outputs")?.get(output)?.get("expression")?;
                let mut child_path = path.to_vec();
                child_path.push((call.to_string(), key));
                // The called module's configuration node, for references inside it.
                let mut child_ctx_modules: Vec<&Json> = ctx.config_modules[..config_len].to_vec();
                child_ctx_modules.push(module);
                let child_ctx = Ctx {
                    addr: ctx.addr.clone(),
                    config_modules: child_ctx_modules,
                };
                let len = child_ctx.config_modules.len();
                self.resolve_expression(&child_ctx, expression, &child_path, len, depth + 1)
            }
            "data" => {
                let (rtype, rname) = (name(1)?, name(2)?);
                self.find_instance(ctx, path, true, rtype, rname, &steps[3..])
            }
            rtype => {
                let rname = name(1)?;
                self.find_instance(ctx, path, false, rtype, rname, &steps[2..])
            }
        }
    }

    /// The instance a reference designates, with the attribute it reads. A reference
    /// without an index to a resource with several instances designates the one with the
    /// referring instance's key (`for_each` over the same keys), else all of them (`[*]`).
    fn find_instance(
        &self,
        ctx: &Ctx<'a>,
        path: &[(String, Option<InstanceKey>)],
        data: bool,
        rtype: &str,
        rname: &str,
        rest: &[Step],
    ) -> Option<Origin> {
        let (key, attr_at) = match rest.first() {
            Some(Step::Key(k)) => (Some(k), 1),
            _ => (None, 0),
        };
        let attribute = match rest.get(attr_at) {
            Some(Step::Name(n)) => n.clone(),
            _ => String::new(),
        };
        let candidates: Vec<&ResourceAddress> =
            self.addresses
                .iter()
                .filter(|a| {
                    a.data == data
                        && a.resource_type == rtype
                        && a.name == rname
                        && a.module.len() == path.len()
                        && a.module.iter().zip(path).all(|((n, k), (pn, pk))| {
                            n == pn && pk.as_ref().is_none_or(|pk| pk == k)
                        })
                        && key.is_none_or(|k| *k == a.key)
                })
                .collect();
        let chosen = match candidates.as_slice() {
            [] => return None,
            [one] => one.full(),
            many => match many
                .iter()
                .find(|a| a.key == ctx.addr.key && a.module == ctx.addr.module)
            {
                Some(same) => same.full(),
                None => {
                    let mut any = (*many[0]).clone();
                    any.key = InstanceKey::Any;
                    any.full()
                }
            },
        };
        Some(Origin {
            address: chosen,
            attribute,
            own_account: rtype == "aws_caller_identity",
        })
    }
}

/// `encryption_configuration[0].kms_key`, as Terraform shows an argument path.
fn display_path(path: &[PathStep]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Attr(a) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(a);
            }
            PathStep::Block(b, i) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&format!("{b}[{i}]"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use super::*;
    use crate::hcl::eval::instance::Blocks;

    fn lowered(text: &str) -> Lowered {
        lower(&parse(text).unwrap(), FileId(0))
    }

    fn instance<'l>(l: &'l Lowered, address: &str) -> &'l Instance {
        l.instances
            .iter()
            .find(|i| i.address == address)
            .unwrap_or_else(|| panic!("no {address} in {:?}", addresses(l)))
    }

    fn addresses(l: &Lowered) -> Vec<&str> {
        l.instances.iter().map(|i| i.address.as_str()).collect()
    }

    fn origin(value: &Value) -> &str {
        &value.as_unknown().unwrap().origin.as_ref().unwrap().address
    }

    #[test]
    fn after_and_after_unknown_merge_into_attributes_and_blocks() {
        let text = r#"{"format_version":"1.2","resource_changes":[
          {"address":"aws_ecr_repository.r","mode":"managed","type":"aws_ecr_repository","name":"r",
           "change":{"actions":["create"],"before":null,
             "after":{"name":"r","image_tag_mutability":"MUTABLE","tags":{"a":"b"},
                      "encryption_configuration":[{"encryption_type":"KMS"}],
                      "image_scanning_configuration":[]},
             "after_unknown":{"arn":true,"tags":{"c":true},
                      "encryption_configuration":[{"kms_key":true}],"image_scanning_configuration":[]}}}]}"#;
        let l = lowered(text);
        let r = instance(&l, "aws_ecr_repository.r");
        assert_eq!(r.provider, "aws");
        assert_eq!(r.body.value("name"), Some(&Value::string("r")));
        assert!(r.body.value("arn").unwrap().is_unknown());
        let tags = r.body.value("tags").unwrap().as_map().unwrap();
        assert_eq!(tags["a"], Value::string("b"));
        assert!(tags["c"].is_unknown());
        let Blocks::Known(enc) = r.body.blocks("encryption_configuration") else {
            panic!("known blocks")
        };
        let key = enc[0].body.value("kms_key").unwrap().as_unknown().unwrap();
        assert_eq!(
            key.reason,
            "`aws_ecr_repository.r.encryption_configuration[0].kms_key` is known only after apply"
        );
        // Without configuration there is no origin to resolve.
        assert!(key.origin.is_none());
        let Blocks::Known(scan) = r.body.blocks("image_scanning_configuration") else {
            panic!("known blocks")
        };
        assert!(scan.is_empty());
        let info = &l.spans[&r.body.attr("image_tag_mutability").unwrap().span];
        assert_eq!(
            info.pointer,
            "/resource_changes/0/change/after/image_tag_mutability"
        );
        assert_eq!(
            info.path,
            vec![PathStep::Attr("image_tag_mutability".into())]
        );
        let key_span = enc[0].body.attr("kms_key").unwrap().span;
        assert_eq!(
            l.spans[&key_span].pointer,
            "/resource_changes/0/change/after_unknown/encryption_configuration/0/kms_key"
        );
    }

    #[test]
    fn skipped_changes_and_planned_values_fallback() {
        let text = r#"{"format_version":"0.1",
          "planned_values":{"root_module":{"resources":[
             {"address":"aws_ecr_repository.nulled","mode":"managed","type":"aws_ecr_repository","name":"nulled","values":{"name":"from-planned"}},
             {"address":"aws_ecr_repository.only_planned","mode":"managed","type":"aws_ecr_repository","name":"only_planned","values":{"name":"p"}}],
            "child_modules":[{"address":"module.m","resources":[
             {"address":"module.m.aws_ecr_repository.c","mode":"managed","type":"aws_ecr_repository","name":"c","values":{"name":"c"}}]}]}},
          "resource_changes":[
            {"address":"aws_ecr_repository.gone","mode":"managed","type":"aws_ecr_repository","name":"gone","change":{"actions":["delete"],"before":{},"after":null}},
            {"address":"aws_ecr_repository.forgotten","mode":"managed","type":"aws_ecr_repository","name":"forgotten","change":{"actions":["forget"],"before":{},"after":null}},
            {"address":"aws_ecr_repository.replaced","mode":"managed","type":"aws_ecr_repository","name":"replaced","change":{"actions":["delete","create"],"before":{},"after":{"name":"new"}}},
            {"address":"aws_ecr_repository.replaced","mode":"managed","type":"aws_ecr_repository","name":"replaced","deposed":"00000001","change":{"actions":["delete"],"before":{},"after":null}},
            {"address":"data.aws_kms_key.k","mode":"data","type":"aws_kms_key","name":"k","change":{"actions":["read"],"before":null,"after":{}}},
            {"address":"aws_ecr_repository.nulled","mode":"managed","type":"aws_ecr_repository","name":"nulled","change":{"actions":["create"],"before":null,"after":null,"after_unknown":{"arn":true}}}]}"#;
        let l = lowered(text);
        assert_eq!(
            addresses(&l),
            [
                "aws_ecr_repository.nulled",
                "aws_ecr_repository.only_planned",
                "aws_ecr_repository.replaced",
                "data.aws_kms_key.k",
                "module.m.aws_ecr_repository.c"
            ]
        );
        // Data sources are instances the extractor may consult, never assets.
        assert!(instance(&l, "data.aws_kms_key.k").is_data);
        let nulled = instance(&l, "aws_ecr_repository.nulled");
        assert_eq!(
            nulled.body.value("name"),
            Some(&Value::string("from-planned"))
        );
        assert!(nulled.body.value("arn").unwrap().is_unknown());
        let c = instance(&l, "module.m.aws_ecr_repository.c");
        assert_eq!(c.module_path, "module.m");
        assert_eq!(
            l.spans[&c.header].pointer,
            "/planned_values/root_module/child_modules/0/resources/0/address"
        );
    }

    /// A plan whose `configuration` has a KMS key in a module, reached through its output,
    /// a module variable, and a counted key referenced without an index.
    const CONFIGURED: &str = r#"{"format_version":"1.2",
      "resource_changes":[
        {"address":"module.kms.aws_kms_key.this","module_address":"module.kms","mode":"managed","type":"aws_kms_key","name":"this","change":{"actions":["create"],"after":{},"after_unknown":{"arn":true}}},
        {"address":"aws_kms_key.counted[0]","mode":"managed","type":"aws_kms_key","name":"counted","index":0,"change":{"actions":["create"],"after":{},"after_unknown":{"arn":true}}},
        {"address":"aws_kms_key.counted[1]","mode":"managed","type":"aws_kms_key","name":"counted","index":1,"change":{"actions":["create"],"after":{},"after_unknown":{"arn":true}}},
        {"address":"aws_ecr_repository.via_output","mode":"managed","type":"aws_ecr_repository","name":"via_output","change":{"actions":["create"],
          "after":{"encryption_configuration":[{"encryption_type":"KMS"}]},"after_unknown":{"encryption_configuration":[{"kms_key":true}]}}},
        {"address":"aws_ecr_repository.counted","mode":"managed","type":"aws_ecr_repository","name":"counted","change":{"actions":["create"],
          "after":{"encryption_configuration":[{"encryption_type":"KMS"}]},"after_unknown":{"encryption_configuration":[{"kms_key":true}]}}},
        {"address":"aws_ecr_repository.aws_key","mode":"managed","type":"aws_ecr_repository","name":"aws_key","change":{"actions":["create"],
          "after":{"encryption_configuration":[{"encryption_type":"KMS"}]},"after_unknown":{"encryption_configuration":[{"kms_key":true}]}}},
        {"address":"aws_ecr_repository.dynamic","mode":"managed","type":"aws_ecr_repository","name":"dynamic","change":{"actions":["create"],
          "after":{"encryption_configuration":[{"encryption_type":"KMS"}]},"after_unknown":{"encryption_configuration":[{"kms_key":true}]}}},
        {"address":"module.ecr[\"a\"].aws_ecr_repository.this","module_address":"module.ecr[\"a\"]","mode":"managed","type":"aws_ecr_repository","name":"this","change":{"actions":["create"],
          "after":{"encryption_configuration":[{"encryption_type":"KMS"}]},"after_unknown":{"encryption_configuration":[{"kms_key":true}]}}}],
      "configuration":{"root_module":{
        "resources":[
          {"address":"aws_kms_key.counted","mode":"managed","type":"aws_kms_key","name":"counted","provider_config_key":"aws","count_expression":{"constant_value":2}},
          {"address":"aws_ecr_repository.via_output","mode":"managed","type":"aws_ecr_repository","name":"via_output","provider_config_key":"aws.east",
           "expressions":{"encryption_configuration":[{"encryption_type":{"constant_value":"KMS"},"kms_key":{"references":["module.kms.key_arn","module.kms"]}}]}},
          {"address":"aws_ecr_repository.counted","mode":"managed","type":"aws_ecr_repository","name":"counted","provider_config_key":"aws",
           "expressions":{"encryption_configuration":[{"encryption_type":{"constant_value":"KMS"},"kms_key":{"references":["aws_kms_key.counted","count.index"]}}]}},
          {"address":"aws_ecr_repository.aws_key","mode":"managed","type":"aws_ecr_repository","name":"aws_key","provider_config_key":"aws",
           "expressions":{"encryption_configuration":[{"encryption_type":{"constant_value":"KMS"}}]}},
          {"address":"aws_ecr_repository.dynamic","mode":"managed","type":"aws_ecr_repository","name":"dynamic","provider_config_key":"aws","expressions":{}}],
        "module_calls":{
          "kms":{"source":"./kms","module":{
            "resources":[{"address":"aws_kms_key.this","mode":"managed","type":"aws_kms_key","name":"this","provider_config_key":"kms:aws"}],
            "outputs":{"key_arn":{"expression":{"references":["aws_kms_key.this.arn","aws_kms_key.this"]}}}}},
          "ecr":{"source":"./ecr","for_each_expression":{"constant_value":["a"]},
            "expressions":{"key":{"references":["module.kms.key_arn","module.kms"]}},
            "module":{"resources":[{"address":"aws_ecr_repository.this","mode":"managed","type":"aws_ecr_repository","name":"this","provider_config_key":"aws",
              "expressions":{"encryption_configuration":[{"encryption_type":{"constant_value":"KMS"},"kms_key":{"references":["var.key"]}}]}}],
              "variables":{"key":{}}}}}}}}"#;

    fn kms_key(l: &Lowered, address: &str) -> Option<Value> {
        let Blocks::Known(enc) = instance(l, address).body.blocks("encryption_configuration")
        else {
            panic!("known blocks")
        };
        enc[0].body.value("kms_key").cloned()
    }

    #[test]
    fn unknown_keys_resolve_through_configuration_references() {
        let l = lowered(CONFIGURED);
        // Through a module output.
        let v = kms_key(&l, "aws_ecr_repository.via_output").unwrap();
        assert_eq!(origin(&v), "module.kms.aws_kms_key.this");
        // Through a module variable, then the caller's module output.
        let v = kms_key(&l, "module.ecr[\"a\"].aws_ecr_repository.this").unwrap();
        assert_eq!(origin(&v), "module.kms.aws_kms_key.this");
        // A counted key referenced without an index: every instance.
        let v = kms_key(&l, "aws_ecr_repository.counted").unwrap();
        assert_eq!(origin(&v), "aws_kms_key.counted[*]");
        // Not written in the configuration: the provider's default (AWS's key).
        assert_eq!(kms_key(&l, "aws_ecr_repository.aws_key"), None);
        // The block is not in the configuration (a `dynamic` block): still unknown.
        let v = kms_key(&l, "aws_ecr_repository.dynamic").unwrap();
        assert!(v.as_unknown().unwrap().origin.is_none());
        // Provider configurations by their local names, module prefixes dropped.
        assert_eq!(
            instance(&l, "aws_ecr_repository.via_output").provider,
            "aws.east"
        );
        assert_eq!(instance(&l, "module.kms.aws_kms_key.this").provider, "aws");
    }

    #[test]
    fn same_key_instances_link_one_to_one() {
        let text = r#"{"format_version":"1.2","resource_changes":[
          {"address":"aws_ecr_repository.r[\"a\"]","mode":"managed","type":"aws_ecr_repository","name":"r","index":"a","change":{"actions":["create"],"after":{},"after_unknown":{"name":true}}},
          {"address":"aws_ecr_repository.r[\"b\"]","mode":"managed","type":"aws_ecr_repository","name":"r","index":"b","change":{"actions":["create"],"after":{},"after_unknown":{"name":true}}},
          {"address":"aws_ecr_lifecycle_policy.p[\"b\"]","mode":"managed","type":"aws_ecr_lifecycle_policy","name":"p","index":"b","change":{"actions":["create"],"after":{"policy":"{}"},"after_unknown":{"repository":true}}},
          {"address":"aws_ecr_lifecycle_policy.first","mode":"managed","type":"aws_ecr_lifecycle_policy","name":"first","change":{"actions":["create"],"after":{"policy":"{}"},"after_unknown":{"repository":true}}}],
          "configuration":{"root_module":{"resources":[
            {"address":"aws_ecr_repository.r","mode":"managed","type":"aws_ecr_repository","name":"r","expressions":{"name":{"references":["each.key"]}}},
            {"address":"aws_ecr_lifecycle_policy.p","mode":"managed","type":"aws_ecr_lifecycle_policy","name":"p","expressions":{"repository":{"references":["aws_ecr_repository.r","each.key"]}}},
            {"address":"aws_ecr_lifecycle_policy.first","mode":"managed","type":"aws_ecr_lifecycle_policy","name":"first","expressions":{"repository":{"references":["aws_ecr_repository.r[\"a\"].name","aws_ecr_repository.r[\"a\"]","aws_ecr_repository.r"]}}}]}}}"#;
        let l = lowered(text);
        let p = instance(&l, "aws_ecr_lifecycle_policy.p[\"b\"]");
        assert_eq!(
            origin(p.body.value("repository").unwrap()),
            "aws_ecr_repository.r[\"b\"]"
        );
        let first = instance(&l, "aws_ecr_lifecycle_policy.first");
        let repository = first.body.value("repository").unwrap();
        assert_eq!(origin(repository), "aws_ecr_repository.r[\"a\"]");
        assert_eq!(
            repository
                .as_unknown()
                .unwrap()
                .origin
                .as_ref()
                .unwrap()
                .attribute,
            "name"
        );
    }

    #[test]
    fn an_unknown_nested_block_list_is_unknown_blocks() {
        let text = r#"{"format_version":"1.0","resource_changes":[
          {"address":"aws_ecr_repository.r","mode":"managed","type":"aws_ecr_repository","name":"r","change":{"actions":["create"],
           "after":{"name":"r"},"after_unknown":{"encryption_configuration":true}}}]}"#;
        let l = lowered(text);
        let r = instance(&l, "aws_ecr_repository.r");
        assert!(matches!(
            r.body.blocks("encryption_configuration"),
            Blocks::Unknown(_)
        ));
    }

    #[test]
    fn unreadable_addresses_fall_back_to_fields_or_are_noted() {
        let text = r#"{"format_version":"1.0","resource_changes":[
          {"address":"???","module_address":"module.m[\"k\"]","mode":"managed","type":"aws_ecr_repository","name":"r","index":2,"change":{"actions":["create"],"after":{}}},
          {"address":"???","change":{"actions":["create"],"after":{}}}]}"#;
        let l = lowered(text);
        assert_eq!(addresses(&l), ["module.m[\"k\"].aws_ecr_repository.r[2]"]);
        assert_eq!(l.notes.len(), 1);
    }
}
