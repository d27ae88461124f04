//! Snapshot JSON (SPEC §2, `obs.v0.1`): writing the assets plangate extracted, and reading
//! a snapshot back as assets, so other tools can consume plangate's view of Terraform and
//! plangate can evaluate snapshots written by others.
//!
//! Unknown fields are left out, the format's convention for "could not be determined";
//! plangate's own provenance (root, unknown fields with their reasons, which span decided
//! each field) goes under the extension key `plangate`, and is read back when present.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};

use crate::snapshot::{Asset, Field, FieldValue};
use crate::source::{FileId, SourceDb, Span};

pub const SCHEMA_VERSION: &str = "obs.v0.1";

fn position(db: &SourceDb, span: Span) -> Json {
    let file = db.get(span.file);
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    json!({"file": file.name, "line": line, "column": column, "end_line": end_line, "end_column": end_column})
}

/// Inserts `value` at a dotted path in a JSON object.
fn insert_path(target: &mut Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let child = target.entry(head.to_string()).or_insert_with(|| json!({}));
            if let Json::Object(map) = child {
                insert_path(map, rest, value);
            }
        }
    }
}

/// The snapshot document for `assets`. `source_type` is `terraform.hcl` or
/// `terraform.plan_json`; `captured_at` an RFC 3339 time.
pub fn to_json(assets: &[Asset], db: &SourceDb, source_type: &str, captured_at: &str) -> Json {
    let assets: Vec<Json> = assets
        .iter()
        .map(|asset| {
            let mut registry = Map::new();
            registry.insert("kind".into(), json!(asset.kind));
            let mut unknown = Map::new();
            let mut provenance = Map::new();
            for (path, field) in &asset.fields {
                match &field.value {
                    FieldValue::Known(v) => insert_path(&mut registry, path, v.clone()),
                    FieldValue::Unknown(reason) => {
                        unknown.insert(path.clone(), json!(reason));
                    }
                    FieldValue::Absent => {}
                }
                if let Some(span) = field.span {
                    let mut p = position(db, span);
                    p["why"] = json!(field.why);
                    provenance.insert(path.clone(), p);
                }
            }
            json!({
                "id": asset.id,
                "type": asset.resource_type,
                "vendor": "aws",
                "properties": {"container_registry": registry},
                "source": position(db, asset.header),
                "plangate": {"root": asset.root, "unknown": unknown, "provenance": provenance},
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "captured_at": captured_at,
        "generated_by": {"tool": "plangate", "tool_version": env!("CARGO_PKG_VERSION"), "source_type": source_type},
        "assets": assets,
    })
}

/// RFC 3339 UTC text of Unix seconds.
pub fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Flattens `properties.container_registry` into dotted field paths.
fn flatten(prefix: &str, value: &Json, out: &mut BTreeMap<String, Json>) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

/// Reads a snapshot document's assets. `anchor` gives the span an asset's findings point
/// at, from its `source` (a file on disk) or, failing that, its place in the snapshot.
pub fn from_json(
    doc: &Json,
    mut anchor: impl FnMut(usize, Option<&Json>) -> Span,
) -> Result<Vec<Asset>, String> {
    let version = doc
        .get("schema_version")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if version != "obs.v0.1" && version != "obs.v1" {
        return Err(format!(
            "snapshot schema_version `{version}` is not supported (obs.v0.1 or obs.v1)"
        ));
    }
    let items = doc
        .get("assets")
        .and_then(Json::as_array)
        .ok_or("the snapshot has no `assets` list")?;
    let mut assets = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let id = item
            .get("id")
            .and_then(Json::as_str)
            .ok_or(format!("asset {i} has no `id`"))?;
        let registry = item
            .get("properties")
            .and_then(|p| p.get("container_registry"));
        let Some(registry) = registry else {
            // Not a container registry asset: nothing for these controls.
            continue;
        };
        if !registry.is_object() {
            return Err(format!(
                "asset {i} (`{id}`): properties.container_registry must be an object"
            ));
        }
        let header = anchor(i, item.get("source"));
        let mut flat = BTreeMap::new();
        flatten("", registry, &mut flat);
        let resource_type = item
            .get("type")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        let kind = flat
            .remove("kind")
            .and_then(|k| k.as_str().map(str::to_string))
            .unwrap_or_else(|| match resource_type.as_str() {
                "aws_ecrpublic_repository" => "public_repository".into(),
                "aws_ecr_repository_creation_template" => "creation_template".into(),
                _ => "repository".into(),
            });
        let mut fields: BTreeMap<String, Field> = flat
            .into_iter()
            .map(|(path, value)| (path, Field::known(value, Some(header), "from the snapshot")))
            .collect();
        let extension = item.get("plangate");
        if let Some(unknown) = extension
            .and_then(|e| e.get("unknown"))
            .and_then(Json::as_object)
        {
            for (path, reason) in unknown {
                fields.insert(
                    path.clone(),
                    Field::unknown(reason.as_str().unwrap_or("unknown"), Some(header)),
                );
            }
        }
        assets.push(Asset {
            id: id.to_string(),
            root: extension
                .and_then(|e| e.get("root"))
                .and_then(Json::as_str)
                .unwrap_or(".")
                .to_string(),
            resource_type,
            kind,
            header,
            fields,
            context: vec![],
        });
    }
    Ok(assets)
}

/// The span of `source` ({file, line, column, end_line, end_column}) in a file on disk,
/// read into the database; `None` when the file cannot be read.
pub fn source_span(db: &mut SourceDb, source: &Json) -> Option<Span> {
    let file = source.get("file")?.as_str()?;
    let path = crate::discover::normalize(std::path::Path::new(file));
    // A snapshot may come from anywhere: its `source` is read only when it names a
    // Terraform file below the current directory (by real path), never /etc/shadow.
    let cwd = std::env::current_dir().ok()?;
    let real = std::fs::canonicalize(&path).ok()?;
    let cwd_real = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    if !crate::discover::is_terraform_file(&real) || !real.starts_with(&cwd_real) {
        return None;
    }
    let id: FileId = match db.find_by_path(&path) {
        Some(id) => id,
        None => crate::hcl::read_file(db, &path).ok()?,
    };
    let f = db.get(id);
    let offset = |line: u64, column: u64| {
        let start = *f.line_starts().get((line as usize).checked_sub(1)?)?;
        let text = f.line_text(line as usize);
        let byte: usize = text
            .chars()
            .take((column as usize).saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        Some(start + byte)
    };
    let line = source.get("line")?.as_u64()?;
    let start = offset(
        line,
        source.get("column").and_then(Json::as_u64).unwrap_or(1),
    )?;
    let end = source
        .get("end_line")
        .and_then(Json::as_u64)
        .and_then(|l| {
            offset(
                l,
                source.get("end_column").and_then(Json::as_u64).unwrap_or(1),
            )
        })
        .unwrap_or(start);
    Some(Span::new(id, start, end.max(start)))
}

/// The assets of a snapshot document read with positions (see `plan::read`); `None`
/// when the document is not a snapshot.
pub fn from_document(
    db: &mut SourceDb,
    file: FileId,
    doc: &crate::plan::json::Json,
) -> Option<Result<Vec<Asset>, String>> {
    let version = doc.get("schema_version")?.as_str()?;
    if !version.starts_with("obs.") || doc.get("assets").is_none() {
        return None;
    }
    // Where each asset is in the snapshot, for assets without a readable `source`.
    let ranges: Vec<std::ops::Range<usize>> = doc
        .get("assets")
        .and_then(|a| a.items())
        .map(|items| items.iter().map(|i| i.range.clone()).collect())
        .unwrap_or_default();
    Some(from_json(&doc.to_serde(), |i, source| {
        source.and_then(|s| source_span(db, s)).unwrap_or_else(|| {
            let r = ranges.get(i).cloned().unwrap_or(0..0);
            Span::new(file, r.start, r.start + 1)
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_780_272_000), "2026-06-01T00:00:00Z");
        assert_eq!(
            crate::findings::parse_rfc3339(&rfc3339(1_234_567_890)),
            Some(1_234_567_890)
        );
    }

    #[test]
    fn unknown_fields_are_left_out_but_kept_in_the_extension() {
        let mut db = SourceDb::default();
        let file = db.add(
            "main.tf".into(),
            "main.tf".into(),
            "resource \"aws_ecr_repository\" \"r\" {}\n".into(),
        );
        let header = Span::new(file, 0, 10);
        let mut asset = Asset {
            id: "aws_ecr_repository.r".into(),
            root: ".".into(),
            resource_type: "aws_ecr_repository".into(),
            kind: "repository".into(),
            header,
            fields: BTreeMap::new(),
            context: vec![],
        };
        asset.set(
            "encryption.uses_cmk",
            Field::known(false, Some(header), "default"),
        );
        asset.set(
            "access.public",
            Field::unknown("policy from an unset variable", Some(header)),
        );
        let doc = to_json(&[asset], &db, "terraform.hcl", "2026-06-01T00:00:00Z");
        let registry = &doc["assets"][0]["properties"]["container_registry"];
        assert_eq!(registry["encryption"]["uses_cmk"], json!(false));
        assert!(registry.get("access").is_none());
        assert_eq!(
            doc["assets"][0]["plangate"]["unknown"]["access.public"],
            json!("policy from an unset variable")
        );

        let back = from_json(&doc, |_, _| header).unwrap();
        assert_eq!(back[0].kind, "repository");
        assert_eq!(
            back[0].fields["encryption.uses_cmk"].value,
            FieldValue::Known(json!(false))
        );
        assert!(matches!(
            back[0].fields["access.public"].value,
            FieldValue::Unknown(_)
        ));
    }
}
