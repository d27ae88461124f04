//! `.plangate.yaml`: what a team decides once — accepted exceptions, enabled controls, the
//! failure threshold, variable files, excluded paths, and `assume` facts about things
//! managed outside the scanned configuration (SPEC §5).
//!
//! Found by walking up from the first scanned path, or given with `--config`. Unknown keys
//! and wrong types are errors that point at the line in the YAML file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::controls::catalogue::Severity;

pub const FILE_NAME: &str = ".plangate.yaml";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    #[serde(default)]
    pub controls: ControlSelection,
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Variable files applied to every root, relative to the config file.
    #[serde(default)]
    pub var_files: Vec<PathBuf>,
    /// Path globs, relative to the config file, that are not scanned.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub assume: Assumptions,
}

/// A finding accepted on purpose: a control on assets whose address matches a glob.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub control: String,
    /// Asset address glob (`*` matches anything): `module.legacy.*`, `aws_ecr_repository.tmp_*`.
    #[serde(default = "any_asset")]
    pub asset: String,
    pub reason: String,
    /// `YYYY-MM-DD`: the exception stops applying after this day.
    #[serde(default)]
    pub expires: Option<String>,
}

fn any_asset() -> String {
    "*".into()
}

/// `enable`/`disable` by control id or id prefix (`CTL.ECR.SIGNING`); `enable` empty = all.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSelection {
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub disable: Vec<String>,
}

impl ControlSelection {
    pub fn is_enabled(&self, id: &str) -> bool {
        let matches = |pattern: &String| {
            id == pattern || id.starts_with(&format!("{}.", pattern.trim_end_matches('.')))
        };
        (self.enable.is_empty() || self.enable.iter().any(matches))
            && !self.disable.iter().any(matches)
    }
}

/// Facts about the deployment that the scanned Terraform does not contain.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    /// The registry scanning configuration, when it is managed elsewhere (another stack,
    /// the console, an organization policy). Applies to registries with no
    /// `aws_ecr_registry_scanning_configuration` in the scanned configuration.
    #[serde(default)]
    pub registry_scanning: Option<AssumedRegistryScanning>,
    /// Image signature verification enforced outside the scanned configuration (an
    /// admission controller, an ECR signing policy).
    #[serde(default)]
    pub signing: Option<AssumedSigning>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumedRegistryScanning {
    pub scan_type: ScanType,
    #[serde(default)]
    pub rules: Vec<AssumedRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum ScanType {
    #[serde(rename = "BASIC")]
    Basic,
    #[serde(rename = "ENHANCED")]
    Enhanced,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumedRule {
    pub scan_frequency: ScanFrequency,
    /// Repository filters with AWS semantics (`*` wildcard; no `*` = contains).
    pub filters: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum ScanFrequency {
    #[serde(rename = "SCAN_ON_PUSH")]
    ScanOnPush,
    #[serde(rename = "CONTINUOUS_SCAN")]
    ContinuousScan,
    #[serde(rename = "MANUAL")]
    Manual,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumedSigning {
    pub enforced: bool,
    /// Repository name patterns (`*` wildcard) the enforcement covers; default: all.
    #[serde(default = "all_repositories")]
    pub repositories: Vec<String>,
}

fn all_repositories() -> Vec<String> {
    vec!["*".into()]
}

/// A config file problem, at a byte offset of the file when there is one.
#[derive(Clone, Debug)]
pub struct ConfigError {
    pub message: String,
    pub offset: Option<usize>,
}

/// Parses `.plangate.yaml` text.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    // A configuration nests a few levels; refuse pathological nesting before the YAML
    // parser spends its time on it.
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > 64 {
                    return Err(ConfigError {
                        message: "the configuration nests more than 64 levels deep".into(),
                        offset: Some(i),
                    });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let config: Config = serde_yaml_ng::from_str(text).map_err(|e| ConfigError {
        message: e.to_string(),
        offset: e.location().map(|l| l.index()),
    })?;
    for exception in &config.exceptions {
        if exception.asset.len() > 1024 {
            return Err(ConfigError {
                message: "exceptions: an `asset` glob longer than 1024 characters".into(),
                offset: text.find(exception.control.as_str()),
            });
        }
        if let Some(date) = &exception.expires {
            if parse_date(date).is_none() {
                return Err(ConfigError {
                    message: format!("exceptions: `expires: {date}` is not a date (YYYY-MM-DD)"),
                    offset: text.find(date.as_str()),
                });
            }
        }
        if exception.reason.trim().is_empty() {
            return Err(ConfigError {
                message: format!(
                    "exceptions: the exception for {} needs a `reason`",
                    exception.control
                ),
                offset: text.find(exception.control.as_str()),
            });
        }
    }
    Ok(config)
}

/// The config file that applies to `start`: the nearest `.plangate.yaml` in it or above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = crate::discover::normalize(start);
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<i64> {
    crate::findings::parse_rfc3339(&format!("{}T00:00:00Z", s.trim())).map(|t| t.div_euclid(86_400))
}

/// A glob where `*` matches any run of characters (including `/`, `.` and `[`) and `?` one
/// character; linear time.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains('?') {
        // `*` only: anchored first and last pieces, leftmost search for the middle ones
        // (a later match is never needed: the next `*` absorbs the difference). Linear.
        let pieces: Vec<&str> = pattern.split('*').collect();
        if pieces.len() == 1 {
            return pattern == text;
        }
        let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
        if text.len() < first.len() + last.len()
            || !text.starts_with(first)
            || !text.ends_with(last)
        {
            return false;
        }
        let mut rest = &text[first.len()..text.len() - last.len()];
        for piece in &pieces[1..pieces.len() - 1] {
            match rest.find(piece) {
                Some(i) => rest = &rest[i + piece.len()..],
                None => return false,
            }
        }
        return true;
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The commented starter file `plangate init` writes.
pub const STARTER: &str = r#"# plangate configuration. Every key is optional; see `plangate explain <ID>` for controls.

# Fail (exit 1) on violations at or above this severity: info, low, medium, high, critical.
# The --fail-on flag overrides it.
fail_on: low

# Turn controls on or off by id or id prefix. An empty `enable` means all controls.
controls:
  enable: []
  disable: []
  #   - CTL.ECR.LIFECYCLE.001

# Findings accepted on purpose. `asset` is a glob over asset addresses (`*` matches
# anything); `expires` (YYYY-MM-DD) makes the exception stop applying after that day.
exceptions: []
#  - control: CTL.ECR.TAG.IMMUTABLE.001
#    asset: "module.legacy.*"
#    reason: "legacy deploy tooling re-tags :latest; replaced in Q3"
#    expires: 2027-06-30

# Variable files applied to every root module, relative to this file.
var_files: []

# Paths (globs relative to this file) that plangate does not scan.
exclude: []
#  - "sandbox/**"

# Facts about things managed outside the scanned Terraform. plangate assumes the scanned
# configuration is the whole deployment unless told otherwise here.
assume: {}
#  registry_scanning:        # applies where no aws_ecr_registry_scanning_configuration is scanned
#    scan_type: ENHANCED
#    rules:
#      - scan_frequency: CONTINUOUS_SCAN
#        filters: ["*"]
#  signing:                  # e.g. enforced by an admission controller or an ECR signing policy
#    enforced: true
#    repositories: ["*"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_file_parses() {
        let config = parse(STARTER).unwrap();
        assert!(config.exceptions.is_empty());
        assert_eq!(config.fail_on, Some(Severity::Low));
    }

    #[test]
    fn unknown_keys_and_wrong_types_point_at_their_line() {
        let err = parse("fail_on: low\nexeptions: []\n").unwrap_err();
        assert!(err.message.contains("exeptions"), "{}", err.message);
        assert_eq!(err.offset, Some(13));
        let err = parse("fail_on: low\ncontrols:\n  enable: CTL.ECR\n").unwrap_err();
        assert!(err.offset.unwrap() > 20, "{err:?}");
        let err = parse("fail_on: severe\n").unwrap_err();
        assert!(err.message.contains("severe"), "{}", err.message);
        let err = parse(
            "exceptions:\n  - control: CTL.ECR.SCAN.001\n    reason: ok\n    expires: soon\n",
        )
        .unwrap_err();
        assert!(err.message.contains("not a date"));
    }

    #[test]
    fn assume_facts_parse() {
        let config = parse(
            "assume:\n  registry_scanning:\n    scan_type: ENHANCED\n    rules:\n      - scan_frequency: CONTINUOUS_SCAN\n        filters: [\"prod-*\"]\n  signing:\n    enforced: true\n",
        )
        .unwrap();
        let scanning = config.assume.registry_scanning.unwrap();
        assert_eq!(scanning.scan_type, ScanType::Enhanced);
        assert_eq!(scanning.rules[0].filters, ["prod-*"]);
        assert_eq!(config.assume.signing.unwrap().repositories, ["*"]);
    }

    #[test]
    fn control_selection_by_id_and_prefix() {
        let sel = ControlSelection {
            enable: vec![],
            disable: vec!["CTL.ECR.SIGNING".into()],
        };
        assert!(!sel.is_enabled("CTL.ECR.SIGNING.001"));
        assert!(sel.is_enabled("CTL.ECR.SCAN.001"));
        let sel = ControlSelection {
            enable: vec!["CTL.ECR.SCAN.001".into()],
            disable: vec![],
        };
        assert!(sel.is_enabled("CTL.ECR.SCAN.001"));
        assert!(!sel.is_enabled("CTL.ECR.SCAN.0011"));
    }

    #[test]
    fn globs() {
        assert!(glob_match(
            "module.legacy.*",
            "module.legacy.aws_ecr_repository.this[\"a\"]"
        ));
        assert!(glob_match(
            "aws_ecr_repository.tmp_?",
            "aws_ecr_repository.tmp_1"
        ));
        assert!(!glob_match(
            "aws_ecr_repository.tmp_?",
            "aws_ecr_repository.tmp_12"
        ));
        assert!(glob_match("*", ""));
        assert!(glob_match("sandbox/**", "sandbox/a/b.tf"));
        assert!(!glob_match("a*a*a*a*b", &"a".repeat(200)));
        // Linear: a long pattern against a long text returns at once.
        let long = format!("*{}b", "a".repeat(300_000));
        let started = std::time::Instant::now();
        assert!(!glob_match(&long, &"a".repeat(300_000)));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
