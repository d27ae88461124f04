//! `encryption.*`: which key encrypts a repository, and whether the customer manages it.

use super::InstanceIndex;
use crate::hcl::eval::instance::{Blocks, EvalBody};
use crate::hcl::eval::value::Value;
use crate::snapshot::{Asset, Field};
use crate::source::Span;

/// Resource types whose keys the customer manages.
const CUSTOMER_KEY_TYPES: &[&str] = &[
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_kms_external_key",
    "aws_kms_replica_external_key",
];

/// Classification of a `kms_key` value.
enum KeyKind {
    AwsManaged(String),
    Customer(String),
    Unknown(String),
}

/// Is this literal key reference the AWS-managed ECR key?
fn literal_key_kind(key: &str) -> KeyKind {
    let key = key.trim();
    if key.is_empty() {
        return KeyKind::AwsManaged(
            "`kms_key` is empty, so AWS uses the AWS-managed key `aws/ecr`".into(),
        );
    }
    let alias = key
        .rsplit_once(":alias/")
        .map(|(_, a)| format!("alias/{a}"))
        .unwrap_or_else(|| key.to_string());
    if alias.eq_ignore_ascii_case("alias/aws/ecr") {
        return KeyKind::AwsManaged(format!("`kms_key` is \"{key}\", the AWS-managed key"));
    }
    if alias.starts_with("alias/aws/") {
        return KeyKind::AwsManaged(format!("`kms_key` is \"{key}\", an AWS-managed key"));
    }
    KeyKind::Customer(format!("`kms_key` is the customer-managed key \"{key}\""))
}

fn key_kind(value: &Value, instances: &InstanceIndex) -> KeyKind {
    match value {
        Value::Unknown(u) => {
            let Some(origin) = &u.origin else {
                return KeyKind::Unknown(u.reason.clone());
            };
            // `aws_kms_key.k[*]` stands for every instance of a resource: they all have
            // its type, which is what decides here.
            let source = match origin.address.strip_suffix("[*]") {
                Some(base) => instances.get_any(base),
                None => instances.get(&origin.address),
            };
            let Some(source) = source else {
                return KeyKind::Unknown(u.reason.clone());
            };
            if CUSTOMER_KEY_TYPES.contains(&source.resource_type.as_str()) && !source.is_data {
                return KeyKind::Customer(format!(
                    "`kms_key` refers to `{}`, a customer-managed key",
                    origin.address
                ));
            }
            if source.resource_type == "aws_kms_alias" && !source.is_data {
                return KeyKind::Customer(format!(
                    "`kms_key` refers to the alias `{}`",
                    source.address
                ));
            }
            if source.is_data
                && matches!(
                    source.resource_type.as_str(),
                    "aws_kms_key" | "aws_kms_alias"
                )
            {
                let arg = if source.resource_type == "aws_kms_key" {
                    "key_id"
                } else {
                    "name"
                };
                return match source.body.value(arg) {
                    Some(v) => match v.as_str() {
                        Some(s) => match literal_key_kind(&s) {
                            KeyKind::AwsManaged(_) => KeyKind::AwsManaged(format!("`kms_key` comes from `{}`, which looks up `{s}`, the AWS-managed key", source.address)),
                            KeyKind::Customer(_) => KeyKind::Customer(format!("`kms_key` comes from `{}`, which looks up the customer-managed key `{s}`", source.address)),
                            other => other,
                        },
                        None => KeyKind::Unknown(format!("`{}.{arg}` cannot be known", source.address)),
                    },
                    None => KeyKind::Unknown(format!("`{}` has no `{arg}`", source.address)),
                };
            }
            KeyKind::Unknown(u.reason.clone())
        }
        other => match other.as_str() {
            Some(s) => looked_up_key_kind(&s, instances).unwrap_or_else(|| literal_key_kind(&s)),
            None => KeyKind::Unknown(format!("`kms_key` is a {}, not a key", other.type_name())),
        },
    }
}

/// A key ARN or ID that a KMS data source read (as a plan shows it, known): an ARN alone
/// does not say who manages the key, but the data source does — `key_manager` of
/// `data "aws_kms_key"`, the alias name of `data "aws_kms_alias"`.
fn looked_up_key_kind(key: &str, instances: &InstanceIndex) -> Option<KeyKind> {
    let is = |i: &crate::hcl::eval::instance::Instance, attrs: &[&str]| {
        attrs.iter().any(|a| {
            i.body
                .value(a)
                .and_then(|v| v.as_str())
                .is_some_and(|v| v == key)
        })
    };
    for i in instances.data_sources() {
        match i.resource_type.as_str() {
            "aws_kms_key" if is(i, &["arn", "id", "key_id"]) => {
                match i
                    .body
                    .value("key_manager")
                    .and_then(|v| v.as_str())
                    .as_deref()
                {
                    Some("AWS") => {
                        return Some(KeyKind::AwsManaged(format!(
                            "`kms_key` is the key `{}` read, which AWS manages",
                            i.address
                        )))
                    }
                    Some("CUSTOMER") => {
                        return Some(KeyKind::Customer(format!(
                            "`kms_key` is the key `{}` read, a customer-managed key",
                            i.address
                        )))
                    }
                    _ => {}
                }
            }
            "aws_kms_alias" if is(i, &["arn", "target_key_arn", "target_key_id"]) => {
                if let Some(name) = i.body.value("name").and_then(|v| v.as_str()) {
                    return Some(match literal_key_kind(&name) {
                        KeyKind::AwsManaged(_) => KeyKind::AwsManaged(format!(
                            "`kms_key` is the key of `{name}`, read by `{}`: an AWS-managed key",
                            i.address
                        )),
                        _ => KeyKind::Customer(format!(
                            "`kms_key` is the key of the alias `{name}`, read by `{}`",
                            i.address
                        )),
                    });
                }
            }
            _ => {}
        }
    }
    None
}

/// Fills `encryption.*` from an `encryption_configuration` block of `body`.
pub fn extract(asset: &mut Asset, body: &EvalBody, header: Span, instances: &InstanceIndex) {
    let blocks = match body.blocks("encryption_configuration") {
        Blocks::Unknown(u) => {
            let reason = format!(
                "whether `encryption_configuration` is present cannot be known: {}",
                u.reason.reason
            );
            for f in ["encryption.encryption_type", "encryption.uses_cmk"] {
                asset.set(f, Field::unknown(reason.clone(), Some(u.span)));
            }
            return;
        }
        Blocks::Known(blocks) => blocks,
    };
    let Some(block) = blocks.first() else {
        let why = "no `encryption_configuration` block, so AWS encrypts with AES256 under an AWS-owned key";
        asset.set(
            "encryption.encryption_type",
            Field::known("AES256", Some(header), why),
        );
        asset.set(
            "encryption.uses_cmk",
            Field::known(false, Some(header), why),
        );
        return;
    };
    let type_attr = block
        .body
        .attr("encryption_type")
        .filter(|a| !a.value.is_null());
    let (etype, type_span) = match type_attr {
        Some(a) => (a.value.clone(), a.span),
        None => (Value::string("AES256"), block.span),
    };
    let etype = match etype {
        Value::Unknown(u) => {
            asset.set(
                "encryption.encryption_type",
                Field::from_unknown(&u, Some(type_span)),
            );
            asset.set(
                "encryption.uses_cmk",
                Field::from_unknown(&u, Some(type_span)),
            );
            return;
        }
        other => match other.as_str() {
            Some(s) => s.into_owned(),
            None => {
                let reason = format!("`encryption_type` is a {}, not a string", other.type_name());
                asset.set(
                    "encryption.encryption_type",
                    Field::unknown(reason.clone(), Some(type_span)),
                );
                asset.set(
                    "encryption.uses_cmk",
                    Field::unknown(reason, Some(type_span)),
                );
                return;
            }
        },
    };
    let type_why = if type_attr.is_some() {
        format!("`encryption_type` is \"{etype}\"")
    } else {
        "`encryption_type` is not set, so AWS uses AES256".to_string()
    };
    asset.set(
        "encryption.encryption_type",
        Field::known(etype.clone(), Some(type_span), type_why.clone()),
    );
    if etype != "KMS" && etype != "KMS_DSSE" {
        asset.set(
            "encryption.uses_cmk",
            Field::known(
                false,
                Some(type_span),
                format!("{type_why}: the key is AWS-owned, not customer-managed"),
            ),
        );
        return;
    }
    let key_attr = block.body.attr("kms_key").filter(|a| !a.value.is_null());
    let Some(key_attr) = key_attr else {
        asset.set(
            "encryption.uses_cmk",
            Field::known(
                false,
                Some(type_span),
                format!("{type_why} without `kms_key`, so AWS uses the AWS-managed key `aws/ecr`"),
            ),
        );
        return;
    };
    match &key_attr.value {
        Value::Unknown(_) => {}
        v => {
            if let Some(s) = v.as_str() {
                asset.set(
                    "encryption.kms_key_arn",
                    Field::known(s.into_owned(), Some(key_attr.span), "`kms_key`"),
                );
            }
        }
    }
    let field = match key_kind(&key_attr.value, instances) {
        KeyKind::AwsManaged(why) => Field::known(false, Some(key_attr.span), why),
        KeyKind::Customer(why) => Field::known(true, Some(key_attr.span), why),
        KeyKind::Unknown(reason) => Field::unknown(
            format!("whether `kms_key` is a customer-managed key cannot be known: {reason}"),
            Some(key_attr.span),
        ),
    };
    asset.set("encryption.uses_cmk", field);
}
