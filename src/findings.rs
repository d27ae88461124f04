//! Image scan findings (SPEC §4.4): `aws ecr describe-image-scan-findings` output (basic
//! `findings` and `enhancedFindings`) and Amazon Inspector `list-findings` output, attached
//! to repositories by name to fill `findings.*`.
//!
//! A CRITICAL finding unresolved for more than 14 days, or a HIGH one for more than 30,
//! counts. Age runs from the finding's `firstObservedAt`, else the image's push time, else
//! the scan's completion time, measured against `--now`. Closed and suppressed findings do
//! not count.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use crate::snapshot::{Asset, Field};

const CRITICAL_DAYS: i64 = 14;
const HIGH_DAYS: i64 = 30;

/// One scan finding, reduced to what the control needs.
#[derive(Clone, Debug)]
pub struct ScanFinding {
    pub repository: String,
    pub registry: Option<String>,
    pub id: String,
    pub severity: String,
    pub package: Option<String>,
    pub image_digest: Option<String>,
    /// Unix seconds when the finding started to count.
    pub since: Option<i64>,
    pub active: bool,
}

/// Parses an RFC 3339 timestamp (`2026-05-31T12:00:00.123+02:00`, `…Z`) to Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "Z"),
    };
    let mut t = time.splitn(3, ':');
    let (hh, mm): (i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let ss: f64 = t.next().unwrap_or("0").parse().ok()?;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    // Years 1-9999 only, real calendar days: no arithmetic on nonsense dates.
    if !(1..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || day < 1
        || day > month_days[(m - 1) as usize]
        || !(0..=23).contains(&hh)
        || !(0..=59).contains(&mm)
        || !(0.0..61.0).contains(&ss)
    {
        return None;
    }
    let offset_secs = match offset {
        "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            let (oh, om): (i64, i64) = (oh.parse().ok()?, om.parse().ok()?);
            if !(0..=23).contains(&oh) || !(0..=59).contains(&om) {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss as i64 - offset_secs)
}

/// A timestamp as the AWS CLI prints it: RFC 3339 text or epoch seconds.
fn timestamp(v: Option<&Json>) -> Option<i64> {
    match v? {
        Json::String(s) => parse_rfc3339(s),
        // Epoch seconds, within years 1970-9999.
        Json::Number(n) => n
            .as_f64()
            .filter(|f| (0.0..=253_402_300_799.0).contains(f))
            .map(|f| f as i64),
        _ => None,
    }
}

fn str_at<'a>(v: &'a Json, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// Reads one findings file; `Err` says why it is not one.
pub fn read_file(path: &Path) -> Result<Vec<ScanFinding>, String> {
    let text = crate::discover::read_capped(path)?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| {
        format!(
            "invalid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    parse(&doc)
}

pub fn parse(doc: &Json) -> Result<Vec<ScanFinding>, String> {
    let mut out = Vec::new();
    if let Some(scan) = doc.get("imageScanFindings") {
        let repository = doc
            .get("repositoryName")
            .and_then(Json::as_str)
            .ok_or("`repositoryName` is missing")?
            .to_string();
        let registry = doc
            .get("registryId")
            .and_then(Json::as_str)
            .map(str::to_string);
        let digest = str_at(doc, &["imageId", "imageDigest"]).map(str::to_string);
        let completed = timestamp(scan.get("imageScanCompletedAt"));
        for f in scan
            .get("findings")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let package = f
                .get("attributes")
                .and_then(Json::as_array)
                .and_then(|attrs| {
                    attrs
                        .iter()
                        .find(|a| a.get("key").and_then(Json::as_str) == Some("package_name"))
                })
                .and_then(|a| a.get("value").and_then(Json::as_str))
                .map(str::to_string);
            out.push(ScanFinding {
                repository: repository.clone(),
                registry: registry.clone(),
                id: f
                    .get("name")
                    .and_then(Json::as_str)
                    .unwrap_or("(unnamed)")
                    .to_string(),
                severity: f
                    .get("severity")
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .to_uppercase(),
                package,
                image_digest: digest.clone(),
                since: completed,
                active: true,
            });
        }
        for f in scan
            .get("enhancedFindings")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            out.push(enhanced(
                f,
                Some(&repository),
                registry.as_deref(),
                digest.as_deref(),
                completed,
            ));
        }
        return Ok(out);
    }
    if let Some(findings) = doc.get("findings").and_then(Json::as_array) {
        // Amazon Inspector `list-findings`: each finding names its image resource.
        for f in findings {
            if f.get("resources").is_none() && f.get("severity").is_none() {
                continue;
            }
            out.push(enhanced(f, None, None, None, None));
        }
        return Ok(out);
    }
    Err("not a scan-findings file: expected `aws ecr describe-image-scan-findings` output (with `imageScanFindings`) or Amazon Inspector `list-findings` output (with `findings`)".into())
}

fn enhanced(
    f: &Json,
    repository: Option<&str>,
    registry: Option<&str>,
    digest: Option<&str>,
    completed: Option<i64>,
) -> ScanFinding {
    let image = f.get("resources").and_then(Json::as_array).and_then(|r| {
        r.iter()
            .find_map(|r| r.get("details").and_then(|d| d.get("awsEcrContainerImage")))
    });
    let status = f
        .get("status")
        .and_then(Json::as_str)
        .unwrap_or("ACTIVE")
        .to_uppercase();
    ScanFinding {
        repository: repository
            .map(str::to_string)
            .or_else(|| {
                image
                    .and_then(|i| i.get("repositoryName"))
                    .and_then(Json::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default(),
        registry: registry.map(str::to_string).or_else(|| {
            image
                .and_then(|i| i.get("registry"))
                .and_then(Json::as_str)
                .map(str::to_string)
        }),
        id: str_at(f, &["packageVulnerabilityDetails", "vulnerabilityId"])
            .or_else(|| f.get("title").and_then(Json::as_str))
            .or_else(|| f.get("findingArn").and_then(Json::as_str))
            .unwrap_or("(unnamed)")
            .to_string(),
        severity: f
            .get("severity")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_uppercase(),
        package: f
            .get("packageVulnerabilityDetails")
            .and_then(|p| p.get("vulnerablePackages"))
            .and_then(Json::as_array)
            .and_then(|p| p.first())
            .and_then(|p| p.get("name"))
            .and_then(Json::as_str)
            .map(str::to_string),
        image_digest: digest.map(str::to_string).or_else(|| {
            image
                .and_then(|i| i.get("imageHash"))
                .and_then(Json::as_str)
                .map(str::to_string)
        }),
        since: timestamp(f.get("firstObservedAt"))
            .or_else(|| timestamp(image.and_then(|i| i.get("pushedAt"))))
            .or(completed),
        active: status == "ACTIVE",
    }
}

/// Fills `findings.*` on every repository asset from the given findings.
pub fn attach(assets: &mut [Asset], findings: &[ScanFinding], now: i64) {
    let mut by_repo: HashMap<&str, Vec<&ScanFinding>> = HashMap::new();
    for f in findings {
        by_repo.entry(f.repository.as_str()).or_default().push(f);
    }
    for asset in assets.iter_mut().filter(|a| a.kind == "repository") {
        let header = Some(asset.header);
        let name = match asset.fields.get("name").map(|f| &f.value) {
            Some(crate::snapshot::FieldValue::Known(Json::String(n))) => n.clone(),
            _ => {
                asset.set(
                    "findings.has_unresolved_critical_or_high",
                    Field::unknown("the repository name cannot be known, so its scan findings cannot be matched", header),
                );
                continue;
            }
        };
        let mine: Vec<&ScanFinding> = by_repo.get(name.as_str()).cloned().unwrap_or_default();
        let active: Vec<&&ScanFinding> = mine.iter().filter(|f| f.active).collect();
        let count = |sev: &str| active.iter().filter(|f| f.severity == sev).count();
        asset.set(
            "findings.critical_count",
            Field::known(count("CRITICAL"), header, "active CRITICAL findings"),
        );
        asset.set(
            "findings.high_count",
            Field::known(count("HIGH"), header, "active HIGH findings"),
        );
        let age_days = |f: &ScanFinding| f.since.map(|s| (now - s).div_euclid(86_400));
        let oldest = active
            .iter()
            .filter(|f| f.severity == "CRITICAL" || f.severity == "HIGH")
            .filter_map(|f| age_days(f))
            .max();
        if let Some(days) = oldest {
            asset.set(
                "findings.oldest_finding_days",
                Field::known(days, header, "oldest active CRITICAL or HIGH finding"),
            );
        }
        // Every finding past its remediation window: the oldest is named in the message,
        // the others are counted by severity so a CRITICAL is never hidden.
        let mut overdue: Vec<(i64, i64, &ScanFinding)> = active
            .iter()
            .filter_map(|f| {
                let limit = match f.severity.as_str() {
                    "CRITICAL" => CRITICAL_DAYS,
                    "HIGH" => HIGH_DAYS,
                    _ => return None,
                };
                let since = f.since?;
                (now - since > limit * 86_400).then_some((
                    (now - since).div_euclid(86_400),
                    limit,
                    **f,
                ))
            })
            .collect();
        overdue.sort_by(|a, b| (b.0, &a.2.id).cmp(&(a.0, &b.2.id)));
        let rest_critical = overdue
            .iter()
            .skip(1)
            .filter(|o| o.2.severity == "CRITICAL")
            .count();
        let others = overdue.len().saturating_sub(1);
        let overdue = overdue.first().copied();
        let field = match overdue {
            Some((days, limit, f)) => Field::known(
                true,
                header,
                format!(
                    "finding {} ({}{}) in image {} has been unresolved for {days} days (limit {limit} days){}",
                    f.id,
                    f.severity,
                    f.package.as_ref().map(|p| format!(", package {p}")).unwrap_or_default(),
                    f.image_digest.as_deref().unwrap_or("(unknown digest)"),
                    match (others, rest_critical) {
                        (0, _) => String::new(),
                        (n, 0) => format!(", and {n} more finding(s) past their window"),
                        (n, c) => format!(", and {n} more finding(s) past their window ({c} CRITICAL)"),
                    },
                ),
            ),
            // A CRITICAL or HIGH finding with no usable timestamp could be overdue: say so.
            None if active.iter().any(|f| (f.severity == "CRITICAL" || f.severity == "HIGH") && f.since.is_none()) => {
                let f = active
                    .iter()
                    .find(|f| (f.severity == "CRITICAL" || f.severity == "HIGH") && f.since.is_none())
                    .expect("checked above");
                Field::unknown(
                    format!(
                        "finding {} ({}) has no usable date (firstObservedAt, image push time or scan completion time), so its age cannot be known",
                        f.id, f.severity
                    ),
                    header,
                )
            }
            None if mine.is_empty() => Field::known(false, header, "no scan findings for this repository in the given files"),
            None => Field::known(false, header, "no active CRITICAL or HIGH finding is past its remediation window"),
        };
        asset.set("findings.has_unresolved_critical_or_high", field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offsets_and_fractions() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-06-01T00:00:00Z"), Some(1_780_272_000));
        assert_eq!(
            parse_rfc3339("2026-06-01T02:00:00.5+02:00"),
            Some(1_780_272_000)
        );
        assert_eq!(
            parse_rfc3339("2026-05-31T19:00:00-05:00"),
            Some(1_780_272_000)
        );
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-02-31T00:00:00Z"), None);
        assert!(parse_rfc3339("2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse_rfc3339("99999-01-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-06-01T00:00:00+99999999999:00"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    fn finding(id: &str, severity: &str, since: i64) -> ScanFinding {
        ScanFinding {
            repository: "app".into(),
            registry: None,
            id: id.into(),
            severity: severity.into(),
            package: None,
            image_digest: Some("sha256:abc".into()),
            since: Some(since),
            active: true,
        }
    }

    #[test]
    fn the_oldest_overdue_finding_is_named_and_the_rest_counted_by_severity() {
        let mut asset = Asset {
            id: "aws_ecr_repository.app".into(),
            root: ".".into(),
            resource_type: "aws_ecr_repository".into(),
            kind: "repository".into(),
            header: crate::source::Span::new(crate::source::FileId(0), 0, 0),
            fields: Default::default(),
            context: vec![],
        };
        asset.set("name", Field::known("app", None, "name"));
        let day = 86_400;
        let now = 100 * day;
        let findings = [
            finding("CVE-HIGH-OLD", "HIGH", now - 59 * day),
            finding("CVE-CRIT", "CRITICAL", now - 20 * day),
            finding("CVE-CRIT-NEW", "CRITICAL", now - 5 * day),
        ];
        attach(std::slice::from_mut(&mut asset), &findings, now);
        let field = &asset.fields["findings.has_unresolved_critical_or_high"];
        assert_eq!(
            field.value,
            crate::snapshot::FieldValue::Known(serde_json::json!(true))
        );
        assert!(
            field.why.starts_with("finding CVE-HIGH-OLD (HIGH)"),
            "{}",
            field.why
        );
        assert!(
            field
                .why
                .ends_with("and 1 more finding(s) past their window (1 CRITICAL)"),
            "{}",
            field.why
        );
        assert_eq!(
            asset.fields["findings.critical_count"].value,
            crate::snapshot::FieldValue::Known(serde_json::json!(2))
        );
    }

    #[test]
    fn an_undated_critical_finding_makes_the_verdict_unknown() {
        let mut asset = Asset {
            id: "aws_ecr_repository.app".into(),
            root: ".".into(),
            resource_type: "aws_ecr_repository".into(),
            kind: "repository".into(),
            header: crate::source::Span::new(crate::source::FileId(0), 0, 0),
            fields: Default::default(),
            context: vec![],
        };
        asset.set("name", Field::known("app", None, "name"));
        let mut f = finding("CVE-X", "CRITICAL", 0);
        f.since = None;
        attach(std::slice::from_mut(&mut asset), &[f], 100 * 86_400);
        let field = &asset.fields["findings.has_unresolved_critical_or_high"];
        assert!(
            matches!(field.value, crate::snapshot::FieldValue::Unknown(_)),
            "{field:?}"
        );
    }

    #[test]
    fn not_a_findings_file_says_so() {
        assert!(parse(&serde_json::json!({"a": 1}))
            .unwrap_err()
            .contains("not a scan-findings file"));
    }
}
