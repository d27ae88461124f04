//! The snapshot model (SPEC §2): one asset per resource instance, every field with the
//! provenance that decided it.

use std::collections::BTreeMap;

use crate::source::Span;

/// A field's value: known, unknown (it applies but cannot be known statically), or absent
/// (it does not apply to this asset).
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Known(serde_json::Value),
    Unknown(String),
    Absent,
}

/// A secondary location worth showing next to a finding (the linked policy, the registry
/// scanning configuration…).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub value: FieldValue,
    /// What decided the value: an attribute, a block, a policy statement, or the resource
    /// header when a provider default applied.
    pub span: Option<Span>,
    /// How the value was decided, in words (shown in messages): "`image_tag_mutability` is
    /// not set, so AWS uses MUTABLE".
    pub why: String,
    pub related: Vec<Related>,
}

impl Field {
    pub fn known(
        value: impl Into<serde_json::Value>,
        span: Option<Span>,
        why: impl Into<String>,
    ) -> Field {
        Field {
            value: FieldValue::Known(value.into()),
            span,
            why: why.into(),
            related: Vec::new(),
        }
    }

    pub fn unknown(reason: impl Into<String>, span: Option<Span>) -> Field {
        let reason = reason.into();
        Field {
            value: FieldValue::Unknown(reason.clone()),
            span,
            why: reason,
            related: Vec::new(),
        }
    }

    /// An unknown field decided at `span` by the unknown value `u`; where `u` itself comes
    /// from (an unset variable's declaration, say) becomes a secondary location.
    pub fn from_unknown(u: &crate::hcl::eval::value::Unknown, span: Option<Span>) -> Field {
        let mut field = Field::unknown(u.reason.clone(), span);
        if let Some(origin) = u.span.filter(|s| Some(*s) != span) {
            field.related.push(Related {
                span: origin,
                message: "the unknown value comes from here".into(),
            });
        }
        field
    }

    pub fn with_related(mut self, related: Vec<Related>) -> Field {
        self.related = related;
        self
    }
}

#[derive(Clone, Debug)]
pub struct Asset {
    /// The Terraform address, module path and instance key included.
    pub id: String,
    /// The root module directory (relative, `/`-separated).
    pub root: String,
    /// The Terraform resource type.
    pub resource_type: String,
    /// `repository`, `public_repository` or `creation_template`.
    pub kind: String,
    /// The resource header: where the asset is.
    pub header: Span,
    /// Fields under `properties.container_registry.`, by dotted path
    /// (`encryption.uses_cmk`).
    pub fields: BTreeMap<String, Field>,
    /// Where the asset's module is called from, shown next to its findings.
    pub context: Vec<Related>,
}

/// The prefix every control field path starts with.
pub const FIELD_PREFIX: &str = "properties.container_registry.";

impl Asset {
    /// Looks up a predicate field path (`properties.container_registry.x.y`).
    pub fn field(&self, path: &str) -> Option<&Field> {
        let rel = path.strip_prefix(FIELD_PREFIX)?;
        self.fields.get(rel)
    }

    pub fn set(&mut self, path: &str, field: Field) {
        self.fields.insert(path.to_string(), field);
    }
}
