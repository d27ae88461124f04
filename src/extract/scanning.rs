//! `scanning.*`: a repository's own scan-on-push setting combined with the registry
//! scanning configuration of its provider (AWS filter semantics).

use crate::hcl::eval::instance::{Blocks, EvalBody, Instance};
use crate::hcl::eval::value::Value;
use crate::snapshot::{Asset, Field, Related};
use crate::source::Span;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tri {
    True,
    False,
    Unknown,
}

/// AWS repository filter semantics: with `*`, each `*` stands for zero or more
/// characters and the whole name must match; without `*`, the name must contain it.
pub fn filter_matches(filter: &str, name: &str) -> bool {
    // ECR refuses an empty filter; it covers nothing.
    if filter.is_empty() {
        return false;
    }
    if !filter.contains('*') {
        return name.contains(filter);
    }
    // Linear-time glob with `*` only.
    let parts: Vec<&str> = filter.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// A name pattern where `*` stands for zero or more characters and the whole name must
/// match (unlike registry filters, a pattern without `*` is an exact name).
pub fn filter_matches_glob(pattern: &str, name: &str) -> bool {
    if pattern.contains('*') {
        filter_matches(pattern, name)
    } else {
        pattern == name
    }
}

struct RuleMatch {
    truth: Tri,
    span: Option<Span>,
    reason: String,
    filters: Vec<String>,
}

/// Does some rule with a scanning frequency (not MANUAL) cover the repository `name`?
fn rules_match(config: &Instance, name: &Value) -> RuleMatch {
    let mut result = RuleMatch {
        truth: Tri::False,
        span: None,
        reason: String::new(),
        filters: Vec::new(),
    };
    let rules = match config.body.blocks("rule") {
        Blocks::Unknown(u) => {
            result.truth = Tri::Unknown;
            result.span = Some(u.span);
            result.reason = format!(
                "the registry scanning rules cannot be known: {}",
                u.reason.reason
            );
            return result;
        }
        Blocks::Known(rules) => rules,
    };
    for rule in rules {
        let frequency = rule
            .body
            .value("scan_frequency")
            .cloned()
            .unwrap_or(Value::Null);
        let frequency_scans = match &frequency {
            Value::Unknown(u) => {
                result.truth = Tri::Unknown;
                result.span = Some(rule.span);
                result.reason = u.reason.clone();
                continue;
            }
            v => matches!(
                v.as_str().as_deref(),
                Some("SCAN_ON_PUSH") | Some("CONTINUOUS_SCAN")
            ),
        };
        if !frequency_scans {
            continue;
        }
        let filters = match rule.body.blocks("repository_filter") {
            Blocks::Unknown(u) => {
                result.truth = Tri::Unknown;
                result.span = Some(u.span);
                result.reason = format!(
                    "the rule's repository filters cannot be known: {}",
                    u.reason.reason
                );
                continue;
            }
            Blocks::Known(f) => f,
        };
        for filter_block in filters {
            let Some(filter_attr) = filter_block.body.attr("filter") else {
                continue;
            };
            let filter = match &filter_attr.value {
                Value::Unknown(u) => {
                    result.truth = Tri::Unknown;
                    result.span = Some(filter_attr.span);
                    result.reason = u.reason.clone();
                    continue;
                }
                v => v.as_str().map(|s| s.into_owned()).unwrap_or_default(),
            };
            result.filters.push(filter.clone());
            let matched = match name {
                Value::Unknown(u) if filter != "*" => {
                    if result.truth != Tri::True {
                        result.truth = Tri::Unknown;
                        result.span = Some(filter_attr.span);
                        result.reason = format!("the repository name cannot be known, so whether filter `{filter}` matches it cannot either: {}", u.reason);
                    }
                    continue;
                }
                Value::Unknown(_) => true,
                v => filter_matches(&filter, &v.as_str().unwrap_or_default()),
            };
            if matched {
                result.truth = Tri::True;
                result.span = Some(filter_attr.span);
                result.reason =
                    format!("the registry scanning rule filter `{filter}` matches this repository");
                return result;
            }
        }
    }
    result
}

pub fn extract(
    asset: &mut Asset,
    body: &EvalBody,
    name: &Value,
    header: Span,
    config: Option<&Instance>,
) {
    // The repository's own scan-on-push setting.
    let (scan_on_push, sop_span, sop_why) = match body.blocks("image_scanning_configuration") {
        Blocks::Unknown(u) => (
            Tri::Unknown,
            Some(u.span),
            format!(
                "whether `image_scanning_configuration` is present cannot be known: {}",
                u.reason.reason
            ),
        ),
        Blocks::Known(blocks) => match blocks.first() {
            None => (
                Tri::False,
                None,
                "there is no `image_scanning_configuration` block".to_string(),
            ),
            Some(block) => match block
                .body
                .attr("scan_on_push")
                .filter(|a| !a.value.is_null())
            {
                None => (
                    Tri::False,
                    Some(block.span),
                    "`image_scanning_configuration` does not set `scan_on_push`".to_string(),
                ),
                Some(attr) => match &attr.value {
                    Value::Unknown(u) => (Tri::Unknown, Some(attr.span), u.reason.clone()),
                    v => match v.as_bool() {
                        Some(true) => (
                            Tri::True,
                            Some(attr.span),
                            "`scan_on_push` is true".to_string(),
                        ),
                        Some(false) => (
                            Tri::False,
                            Some(attr.span),
                            "`scan_on_push` is false".to_string(),
                        ),
                        None => (
                            Tri::Unknown,
                            Some(attr.span),
                            format!("`scan_on_push` is a {}, not a bool", v.type_name()),
                        ),
                    },
                },
            },
        },
    };
    // Where an unknown scan_on_push comes from (an unset variable's declaration).
    let sop_unknown_field = || {
        let unknown = match body.blocks("image_scanning_configuration") {
            Blocks::Known(blocks) => blocks
                .first()
                .and_then(|b| b.body.value("scan_on_push"))
                .and_then(Value::as_unknown)
                .cloned(),
            Blocks::Unknown(_) => None,
        };
        match unknown {
            Some(u) => Field::from_unknown(&u, sop_span),
            None => Field::unknown(sop_why.clone(), sop_span),
        }
    };
    match scan_on_push {
        Tri::Unknown => asset.set("scanning.scan_on_push", sop_unknown_field()),
        t => asset.set(
            "scanning.scan_on_push",
            Field::known(t == Tri::True, sop_span.or(Some(header)), sop_why.clone()),
        ),
    }

    // The registry's configuration for this repository's provider.
    let (scan_type, type_span, type_written) = match config {
        None => (Value::string("BASIC"), None, false),
        Some(c) => match c.body.attr("scan_type").filter(|a| !a.value.is_null()) {
            Some(a) => (a.value.clone(), Some(a.span), true),
            None => (Value::string("BASIC"), Some(c.header), false),
        },
    };
    let config_related = config
        .map(|c| {
            vec![Related {
                span: c.header,
                message: "the registry scanning configuration".into(),
            }]
        })
        .unwrap_or_default();
    let rules = match config {
        Some(c) => rules_match(c, name),
        None => RuleMatch {
            truth: Tri::False,
            span: None,
            reason: String::new(),
            filters: vec![],
        },
    };
    let scan_type_str = match &scan_type {
        Value::Unknown(u) => {
            asset.set("scanning.scan_type", Field::from_unknown(u, type_span));
            None
        }
        v => {
            let s = v.as_str().map(|s| s.into_owned()).unwrap_or_default();
            let why = if config.is_none() {
                "no `aws_ecr_registry_scanning_configuration` in the scanned configuration, so the registry uses BASIC scanning".to_string()
            } else if type_written {
                format!("the registry's `scan_type` is \"{s}\"")
            } else {
                "the registry scanning configuration does not set `scan_type`, so it is BASIC"
                    .to_string()
            };
            asset.set(
                "scanning.scan_type",
                Field::known(s.clone(), type_span.or(Some(header)), why),
            );
            Some(s)
        }
    };

    // enabled = scan_on_push OR a scanning rule matches (three-valued).
    let enabled = match (scan_on_push, rules.truth) {
        (Tri::True, _) => Field::known(true, sop_span, sop_why.clone()),
        (_, Tri::True) => Field::known(true, rules.span, rules.reason.clone()),
        (Tri::Unknown, _) => sop_unknown_field(),
        (_, Tri::Unknown) => Field::unknown(rules.reason.clone(), rules.span),
        (Tri::False, Tri::False) => {
            let registry_part = match config {
                None => "there is no `aws_ecr_registry_scanning_configuration` in the scanned configuration (if registry scanning is managed elsewhere, declare it under `assume: registry_scanning:` in .plangate.yaml)".to_string(),
                Some(_) if rules.filters.is_empty() => "the registry scanning configuration has no scanning rule".to_string(),
                Some(_) => format!(
                    "no registry scanning rule filter ({}) matches this repository",
                    rules.filters.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            Field::known(
                false,
                sop_span.or(Some(header)),
                format!("{sop_why}, and {registry_part}"),
            )
            .with_related(config_related.clone())
        }
    };
    asset.set("scanning.enabled", enabled);

    // enhanced = scan type ENHANCED AND a scanning rule matches.
    let enhanced = match scan_type_str.as_deref() {
        None => Field::unknown(
            match &scan_type {
                Value::Unknown(u) => u.reason.clone(),
                _ => String::new(),
            },
            type_span,
        ),
        Some("ENHANCED") => match rules.truth {
            Tri::True => Field::known(true, rules.span, format!("the registry uses ENHANCED scanning and {}", rules.reason)),
            Tri::Unknown => Field::unknown(rules.reason.clone(), rules.span),
            Tri::False => Field::known(
                false,
                Some(header),
                if rules.filters.is_empty() {
                    "the registry uses ENHANCED scanning, but it has no scanning rule".to_string()
                } else {
                    format!(
                        "the registry uses ENHANCED scanning, but none of its rule filters ({}) matches this repository's name",
                        rules.filters.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                    )
                },
            )
            .with_related(config_related.clone()),
        },
        Some(other) => {
            let why = if config.is_none() {
                "there is no `aws_ecr_registry_scanning_configuration` with `scan_type = \"ENHANCED\"` in the scanned configuration, so the registry uses BASIC scanning (if enhanced scanning is managed elsewhere, declare it under `assume: registry_scanning:` in .plangate.yaml)".to_string()
            } else {
                format!("the registry's scan type is {other}, not ENHANCED")
            };
            let span = if type_written { type_span } else { Some(header) };
            Field::known(false, span, why).with_related(if type_written { vec![] } else { config_related.clone() })
        }
    };
    asset.set("scanning.enhanced", enhanced);
}

#[cfg(test)]
mod tests {
    use super::filter_matches;

    #[test]
    fn aws_filter_semantics() {
        assert!(filter_matches("*", "anything"));
        assert!(filter_matches("prod-*", "prod-api"));
        assert!(!filter_matches("prod-*", "dev-prod-api"));
        assert!(filter_matches("*-api", "prod-api"));
        assert!(filter_matches("a*b*c", "aXXbYYc"));
        assert!(!filter_matches("a*b*c", "aXXcYYb"));
        assert!(filter_matches("a**", "a"));
        // Without a wildcard, a filter matches names that contain it.
        assert!(filter_matches("example", "ecr-example-complete"));
        assert!(!filter_matches("example1", "ecr-ex-complete"));
        // ECR refuses an empty filter: it covers nothing.
        assert!(!filter_matches("", "anything"));
    }
}
